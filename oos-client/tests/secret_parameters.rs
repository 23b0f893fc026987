//! Hand-written OOS tests: secret values both ways, JSON-string `Names`, NextToken pagination, errors and limits.

use acs_core::test_util::{assert_invalid_input, config, params, serve_json};
use acs_core::{ExposeSecret, SignatureVersion};
use futures::TryStreamExt as _;
use oos_client::{codes, Client};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::from_config(&config(server, SignatureVersion::V3)).expect("client")
}

#[tokio::test]
async fn create_sends_the_value_and_a_client_token_but_debug_hides_it() {
    let server = serve_json(
        json!({"RequestId": "r", "Parameter": {"Name": "axtSecretPassword", "Type": "Secret", "ParameterVersion": 1}}),
    )
    .await;
    let builder = client(&server)
        .create_secret_parameter()
        .name("axtSecretPassword")
        .value("W1ndows!Pass")
        .description("password of user01")
        .constraints(json!({"MinLength": 8}));
    assert!(!format!("{builder:?}").contains("W1ndows"));
    let resp = builder.send().await.expect("created");
    assert_eq!(resp.parameter.and_then(|p| p.parameter_version), Some(1));
    let sent = params(&server).await;
    assert_eq!(sent[0]["Value"], "W1ndows!Pass");
    assert_eq!(sent[0]["RegionId"], "cn-hangzhou");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&sent[0]["Constraints"]).expect("json"),
        json!({"MinLength": 8})
    );
    assert_eq!(sent[0]["ClientToken"].len(), 36, "a ClientToken is generated");
}

#[tokio::test]
async fn decrypted_values_are_secret() {
    let server = serve_json(
        json!({"RequestId": "r", "Parameter": {"Name": "axtSecretPassword", "Type": "Secret", "Value": "W1ndows!Pass",
        "Tags": {"owner": "ops"}, "ParameterVersion": "2"}}),
    )
    .await;
    let resp = client(&server)
        .get_secret_parameter()
        .name("axtSecretPassword")
        .with_decryption(true)
        .send()
        .await
        .expect("ok");
    let p = resp.parameter.expect("parameter");
    assert_eq!(p.value.as_ref().map(|v| v.expose_secret().to_owned()).as_deref(), Some("W1ndows!Pass"));
    assert_eq!(p.parameter_version, Some(2));
    assert_eq!(p.tags, Some(json!({"owner": "ops"})));
    assert!(!format!("{p:?}").contains("W1ndows"));
    assert_eq!(params(&server).await[0]["WithDecryption"], "true");
}

#[tokio::test]
async fn get_secret_parameters_sends_names_as_json_and_reports_invalid_ones() {
    let server = serve_json(json!({"RequestId": "r", "InvalidParameters": ["missing"],
        "Parameters": [{"Name": "a", "Value": "va"}, {"Name": "b", "Value": "vb"}]}))
    .await;
    let resp = client(&server)
        .get_secret_parameters()
        .names(["a", "b", "missing"])
        .with_decryption(true)
        .send()
        .await
        .expect("ok");
    assert_eq!(resp.invalid_parameters, ["missing"]);
    assert_eq!(resp.parameters.len(), 2);
    let sent = params(&server).await;
    assert_eq!(serde_json::from_str::<Vec<String>>(&sent[0]["Names"]).expect("json list"), ["a", "b", "missing"]);
}

#[tokio::test]
async fn list_follows_next_token() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"RequestId": "r", "NextToken": "n2", "Parameters": [{"Name": "a"}]})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"RequestId": "r", "NextToken": null, "Parameters": [{"Name": "b"}]})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let names: Vec<String> = client(&server)
        .list_secret_parameters()
        .max_results(10)
        .into_paginator()
        .items()
        .map_ok(|p| p.name.unwrap_or_default())
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(names, ["a", "b"]);
    assert_eq!(params(&server).await[1]["NextToken"], "n2");
}

#[tokio::test]
async fn not_found_is_recognisable() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"RequestId": "r", "Code": "EntityNotExists.Parameter", "Message": "Parameter axtSecretPassword not exists"})))
        .mount(&server)
        .await;
    let err = client(&server).get_secret_parameter().name("axtSecretPassword").send().await.expect_err("missing");
    assert_eq!(err.code(), Some(codes::ENTITY_NOT_EXISTS_PARAMETER));
    assert!(err.is_not_found());
}

#[tokio::test]
async fn documented_limits_are_enforced_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let oos = client(&server);
    assert_invalid_input(oos.create_secret_parameter().value("s3cret").send().await, "Name");
    assert_invalid_input(oos.create_secret_parameter().name("p").send().await, "Value");
    assert_invalid_input(oos.create_secret_parameter().name("n".repeat(181)).value("s3cret").send().await, "Name");
    assert_invalid_input(oos.create_secret_parameter().name("has space").value("s3cret").send().await, "Name");
    assert_invalid_input(oos.create_secret_parameter().name("ALIYUN-pass").value("s3cret").send().await, "Name");
    assert_invalid_input(oos.create_secret_parameter().name("oos_x").value("s3cret").send().await, "Name");
    assert_invalid_input(
        oos.create_secret_parameter().name("p").value(format!("s3cret{}", "x".repeat(4091))).send().await,
        "Value",
    );
    assert_invalid_input(
        oos.create_secret_parameter().name("p").value("s3cret").description("d".repeat(201)).send().await,
        "Description",
    );
    assert_invalid_input(oos.get_secret_parameters().send().await, "Names");
    let eleven: Vec<String> = (0..11).map(|i| format!("p{i}")).collect();
    assert_invalid_input(oos.get_secret_parameters().names(eleven).send().await, "Names");
    assert_invalid_input(oos.list_secret_parameters().max_results(9).send().await, "MaxResults");
    assert_invalid_input(oos.list_secret_parameters().max_results(101).send().await, "MaxResults");
    assert_invalid_input(oos.update_secret_parameter().name("p").send().await, "Value");
}
