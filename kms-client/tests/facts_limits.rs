//! The KMS facts the client checks before any I/O, and the emulator's answer to the same values when the client
//! check is bypassed (so both sides agree on the boundary): `Encrypt.Plaintext` is Base64 of 1 to 6,144 bytes.

use acs_core::test_util::{assert_invalid_input, config, config_at};
use acs_core::{ExposeSecret, SecretString, SignatureVersion};
use acs_emulator::{Emulator, EmulatorHandle};
use base64::Engine as _;
use kms_client::operations::{encrypt, EncryptRequest, EncryptResponse};
use kms_client::Client;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[tokio::test]
async fn encrypt_plaintext_must_be_base64_of_1_to_6144_bytes_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let kms = Client::from_config(&config(&server, SignatureVersion::V3)).expect("client");
    let encrypt = || kms.encrypt().key_id("alias/k");
    for bad in ["not base64!", "aGVsbG8", "aGVsbG8===", "aGVs-G8=", "====", ""] {
        assert_invalid_input(encrypt().plaintext(bad).send().await, "Plaintext");
    }
    assert_invalid_input(encrypt().plaintext_bytes(vec![7u8; 6_145]).send().await, "Plaintext");
    // the message names the rule and never the secret
    let err = encrypt().plaintext("s3cret pass").send().await.expect_err("not Base64");
    assert!(err.to_string().contains("Base64") && !err.to_string().contains("s3cret"), "{err}");
    let err = encrypt().plaintext_bytes(vec![7u8; 6_145]).send().await.expect_err("too long");
    assert!(err.to_string().contains("6145"), "{err}");
    for good in [b64(b"x"), b64(b"xy"), b64(b"xyz"), b64(&[0xfb; 6_144])] {
        assert!(encrypt().plaintext(good.clone()).as_request().validate().is_ok(), "{good:.20}");
    }
}

fn clients(emu: &EmulatorHandle) -> (Client, acs_core::Client) {
    let root = emu.root_credentials();
    let config = config_at(
        &emu.endpoint_url(),
        &root.access_key_id,
        root.access_key_secret.expose_secret(),
        SignatureVersion::V3,
    );
    (Client::from_config(&config).expect("client"), acs_core::Client::new(config).expect("core client"))
}

#[tokio::test]
async fn the_emulator_draws_the_same_plaintext_line() {
    let emu = Emulator::builder().start().await.expect("emulator");
    let (kms, core) = clients(&emu);
    let key = kms.create_key().send().await.expect("key").key_metadata.and_then(|m| m.key_id).expect("key id");
    // the largest plaintext the client accepts, the emulator accepts too
    let sealed = kms.encrypt().key_id(&key).plaintext_bytes(vec![1u8; 6_144]).send().await.expect("6144 bytes");
    assert!(sealed.ciphertext_blob.is_some_and(|b| !b.is_empty()));
    // what the client refuses, the emulator (sent it without the client's check) refuses with InvalidParameter
    for bad in [b64(&[1u8; 6_145]), "not base64!".to_owned()] {
        let request = EncryptRequest {
            key_id: Some(key.clone()),
            plaintext: Some(SecretString::from(bad.clone())),
            ..EncryptRequest::default()
        };
        assert!(request.validate().is_err(), "the client refuses {bad:.20}");
        let err = core.call::<_, EncryptResponse>(&encrypt::OPERATION, &request).await.expect_err("emulator refuses");
        assert_eq!(err.code(), Some("InvalidParameter"), "{err}");
        assert!(err.to_string().contains("Plaintext"), "{err}");
    }
}
