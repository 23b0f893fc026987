//! Hand-written KMS tests: Base64 plaintexts both ways, body parameters under V3 and V1, PageNumber pagination,
//! errors and client-side limits.

use std::collections::BTreeMap;

use acs_core::test_util::{assert_invalid_input, config, requests, serve_json};
use acs_core::{ExposeSecret, SignatureVersion};
use futures::TryStreamExt as _;
use kms_client::{codes, Client, Filter, KeySpec, KeyState, KeyUsage, Tag};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::from_config(&config(server, SignatureVersion::V3)).expect("client")
}

#[tokio::test]
async fn encrypt_takes_bytes_and_decrypt_returns_secret_bytes() {
    let server =
        serve_json(json!({"RequestId": "r", "CiphertextBlob": "Y2lwaGVy", "KeyId": "key-1", "KeyVersionId": "v-1",
        "Plaintext": "dG9wIHNlY3JldA=="}))
        .await;
    let kms = client(&server);
    let sealed = kms
        .encrypt()
        .key_id("alias/axt-key")
        .plaintext_bytes(b"top secret")
        .encryption_context_entry("purpose", "test")
        .send()
        .await
        .expect("encrypt");
    assert_eq!(sealed.ciphertext_blob.as_deref(), Some("Y2lwaGVy"));
    let opened = kms.decrypt().ciphertext_blob("Y2lwaGVy").recipient("{\"x\":1}").send().await.expect("decrypt");
    assert!(!format!("{opened:?}").contains("dG9wIHNlY3JldA"));
    let bytes = opened.plaintext_bytes().expect("valid base64").expect("present");
    assert_eq!(bytes.expose_secret(), b"top secret");
    let s = requests(&server).await;
    assert_eq!(s[0].query["Plaintext"], "dG9wIHNlY3JldA==", "Base64 of the bytes");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&s[0].query["EncryptionContext"]).expect("json"),
        json!({"purpose": "test"})
    );
    assert_eq!(s[1].body.get("Recipient").map(String::as_str), Some("{\"x\":1}"), "Recipient in the body under V3");
    assert!(!s[1].query.contains_key("Recipient"));
    assert_eq!(s[1].query["CiphertextBlob"], "Y2lwaGVy");
}

#[tokio::test]
async fn create_secret_sends_secret_data_in_the_body_and_tags_as_json() {
    for version in [SignatureVersion::V3, SignatureVersion::V1] {
        let server = serve_json(json!({"RequestId": "r", "Arn": "acs:kms:cn-hangzhou:123:secret/axt", "SecretName": "axt", "VersionId": "v1"})).await;
        Client::from_config(&config(&server, version))
            .expect("client")
            .create_secret()
            .secret_name("axt")
            .version_id("v1")
            .secret_data("s3cret-data")
            .tag(Tag::new("owner", "ops"))
            .send()
            .await
            .expect("created");
        let s = requests(&server).await;
        let all: BTreeMap<_, _> = s[0].query.iter().chain(s[0].body.iter()).collect();
        assert_eq!(all.get(&"SecretData".to_owned()).map(|v| v.as_str()), Some("s3cret-data"));
        let tags: serde_json::Value = serde_json::from_str(all[&"Tags".to_owned()]).expect("json");
        assert_eq!(tags, json!([{"TagKey": "owner", "TagValue": "ops"}]));
        if version == SignatureVersion::V3 {
            assert!(s[0].body.contains_key("SecretData") && !s[0].query.contains_key("SecretData"));
        }
    }
}

#[tokio::test]
async fn key_metadata_enums_parse_including_unknown_values() {
    let server = serve_json(
        json!({"RequestId": "r", "KeyMetadata": {"KeyId": "key-1", "KeyState": "Enabled", "KeySpec": "Aliyun_AES_256",
        "KeyUsage": "ENCRYPT/DECRYPT", "Origin": "Aliyun_KMS", "ProtectionLevel": "QUANTUM"}}),
    )
    .await;
    let meta = client(&server).describe_key().key_id("key-1").send().await.expect("ok").key_metadata.expect("metadata");
    assert_eq!(meta.key_state, Some(KeyState::Enabled));
    assert_eq!(meta.key_spec, Some(KeySpec::AliyunAes256));
    assert_eq!(meta.key_usage, Some(KeyUsage::EncryptDecrypt));
    assert_eq!(meta.protection_level.map(|p| p.to_string()).as_deref(), Some("QUANTUM"));
}

#[tokio::test]
async fn list_keys_pages_by_number_until_total_count() {
    let server = MockServer::start().await;
    for page in 1..=2 {
        let keys: Vec<_> = (0..2).map(|i| json!({"KeyId": format!("key-{page}-{i}")})).collect();
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_json(
                json!({"RequestId": "r", "PageNumber": page, "PageSize": 2, "TotalCount": 4, "Keys": {"Key": keys}}),
            ))
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    let ids: Vec<String> = client(&server)
        .list_keys()
        .page_size(2)
        .filter(Filter::new("KeyState", ["Enabled"]))
        .into_paginator()
        .items()
        .map_ok(|k| k.key_id.unwrap_or_default())
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(ids, ["key-1-0", "key-1-1", "key-2-0", "key-2-1"]);
    let s = requests(&server).await;
    assert_eq!(s.len(), 2, "no third request after TotalCount");
    assert_eq!(s[1].query["PageNumber"], "2");
    let filters: serde_json::Value = serde_json::from_str(&s[0].query["Filters"]).expect("json");
    assert_eq!(filters, json!([{"Key": "KeyState", "Values": ["Enabled"]}]));
}

#[tokio::test]
async fn kms_error_codes_are_recognisable() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"RequestId": "r", "HttpStatus": 404, "Code": "Forbidden.KeyNotFound", "Message": "The specified Key is not found."})))
        .mount(&server)
        .await;
    let err = client(&server).describe_key().key_id("key-x").send().await.expect_err("missing");
    assert_eq!(err.code(), Some(codes::FORBIDDEN_KEY_NOT_FOUND));
    assert!(err.is_not_found());
}

#[tokio::test]
async fn documented_limits_are_enforced_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).expect(0).mount(&server).await;
    let kms = client(&server);
    assert_invalid_input(
        kms.schedule_key_deletion().key_id("k").pending_window_in_days(6).send().await,
        "PendingWindowInDays",
    );
    assert_invalid_input(
        kms.schedule_key_deletion().key_id("k").pending_window_in_days(367).send().await,
        "PendingWindowInDays",
    );
    assert_invalid_input(kms.schedule_key_deletion().key_id("k").send().await, "PendingWindowInDays");
    assert_invalid_input(kms.create_alias().alias_name("axt-key").key_id("k").send().await, "AliasName");
    assert_invalid_input(kms.create_alias().alias_name("alias/acs-reserved").key_id("k").send().await, "AliasName");
    assert_invalid_input(
        kms.create_alias().alias_name(format!("alias/{}", "a".repeat(250))).key_id("k").send().await,
        "AliasName",
    );
    assert_invalid_input(kms.encrypt().key_id("k").send().await, "Plaintext");
    assert_invalid_input(kms.decrypt().send().await, "CiphertextBlob");
    assert_invalid_input(
        kms.create_secret().secret_name("bad name").version_id("v1").secret_data("x").send().await,
        "SecretName",
    );
    assert_invalid_input(
        kms.create_secret().secret_name("s".repeat(193)).version_id("v1").secret_data("x").send().await,
        "SecretName",
    );
    assert_invalid_input(kms.create_secret().secret_name("s").secret_data("x").send().await, "VersionId");
    assert_invalid_input(
        kms.create_secret().secret_name("s").version_id("v1").secret_data("x".repeat(30_721)).send().await,
        "SecretData",
    );
    assert_invalid_input(kms.generate_data_key().key_id("k").number_of_bytes(1025).send().await, "NumberOfBytes");
    assert_invalid_input(kms.list_keys().page_size(101).send().await, "PageSize");
}
