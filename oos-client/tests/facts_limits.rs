//! OOS secret-parameter facts the client checks before any I/O: `Type` is `Secret` (the emulator refuses anything
//! else with `InvalidParameter`), and `Name` is 1–180 letters, digits, `-`, `_`, `/` on every operation naming one.

use acs_core::test_util::{assert_invalid_input, config, config_at};
use acs_core::{ExposeSecret, SecretString, SignatureVersion};
use acs_emulator::Emulator;
use oos_client::operations::{create_secret_parameter, CreateSecretParameterRequest, CreateSecretParameterResponse};
use oos_client::Client;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn type_and_names_are_checked_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let oos = Client::from_config(&config(&server, SignatureVersion::V3)).expect("client");
    let create = || oos.create_secret_parameter().name("axt/password").value("s3cret");
    for bad in ["String", "secret", "SecureString", ""] {
        assert_invalid_input(create().parameter_type(bad).send().await, "Type");
    }
    assert!(create().parameter_type("Secret").as_request().validate().is_ok());
    assert!(create().as_request().validate().is_ok(), "Type may be left out");

    for bad in ["n".repeat(181), "has space".to_owned(), "semi;colon".to_owned()] {
        assert_invalid_input(oos.get_secret_parameter().name(&bad).send().await, "Name");
        assert_invalid_input(oos.update_secret_parameter().name(&bad).value("v").send().await, "Name");
        assert_invalid_input(oos.delete_secret_parameter().name(&bad).send().await, "Name");
    }
    let longest = format!("/axt/{}", "n".repeat(175));
    assert!(oos.get_secret_parameter().name(&longest).as_request().validate().is_ok());
    assert!(oos.delete_secret_parameter().name(&longest).as_request().validate().is_ok());
    assert!(oos.update_secret_parameter().name(&longest).value("v").as_request().validate().is_ok());
}

#[tokio::test]
async fn the_emulator_refuses_a_type_other_than_secret() {
    let emu = Emulator::builder().start().await.expect("emulator");
    let root = emu.root_credentials();
    let config = config_at(
        &emu.endpoint_url(),
        &root.access_key_id,
        root.access_key_secret.expose_secret(),
        SignatureVersion::V3,
    );
    let core = acs_core::Client::new(config).expect("core client");
    let request = CreateSecretParameterRequest {
        region_id: Some("cn-hangzhou".into()),
        name: Some("axt/typed".into()),
        value: Some(SecretString::from("s3cret")),
        parameter_type: Some("String".into()),
        ..CreateSecretParameterRequest::default()
    };
    assert!(request.validate().is_err(), "the client refuses Type=String");
    let err = core
        .call::<_, CreateSecretParameterResponse>(&create_secret_parameter::OPERATION, &request)
        .await
        .expect_err("emulator refuses");
    assert_eq!(err.code(), Some("InvalidParameter"), "{err}");
    assert!(err.to_string().contains("Type"), "{err}");
    let secret = CreateSecretParameterRequest { parameter_type: Some("Secret".into()), ..request };
    assert!(secret.validate().is_ok());
    core.call::<_, CreateSecretParameterResponse>(&create_secret_parameter::OPERATION, &secret)
        .await
        .expect("emulator creates it");
}
