//! A sentinel secret never shows up in Debug/Display output of configs, clients, credentials, providers and
//! errors, nor in the crate's tracing output (which also never carries full query strings).

mod common;

use acs_core::credentials::{AssumeRoleProvider, CliProfileProvider, MapEnv, StaticProvider};
use acs_core::{Client, Config, Credentials, Error, Method, Operation, OperationKind, RetryConfig, Service};
use acs_core::{ProvideCredentials, SignatureVersion};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "SENTINEL-SECRET-7f3a";
const TOKEN: &str = "SENTINEL-TOKEN-91bc";

fn assert_clean(what: &str, text: &str) {
    assert!(!text.contains(SECRET), "{what} leaks the secret: {text}");
    assert!(!text.contains(TOKEN), "{what} leaks the token: {text}");
}

#[test]
fn debug_and_display_are_redacted() {
    let creds = Credentials::new("AKID", SECRET).with_security_token(TOKEN);
    assert_clean("Credentials", &format!("{creds:?}"));
    let config = Config::builder()
        .credentials_provider(StaticProvider::new(creds.clone()))
        .region("cn-hangzhou")
        .build()
        .unwrap();
    assert_clean("Config", &format!("{config:?}"));
    assert_clean("ConfigBuilder", &format!("{:?}", Config::builder().static_credentials("AKID", SECRET)));
    let client = Client::new(config).unwrap();
    assert_clean("Client", &format!("{client:?}"));
    let assume = AssumeRoleProvider::new(StaticProvider::new(creds), "acs:ram::1:role/r");
    assert_clean("AssumeRoleProvider", &format!("{assume:?}"));
    let env = MapEnv::new().with("ALIBABA_CLOUD_ACCESS_KEY_SECRET", SECRET);
    assert_clean("CliProfileProvider", &format!("{:?}", CliProfileProvider::new(Arc::new(env))));
}

#[tokio::test]
async fn credential_errors_do_not_quote_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".aliyun")).unwrap();
    // Invalid JSON that contains a secret: the error names the file, not its content.
    std::fs::write(
        dir.path().join(".aliyun/config.json"),
        format!("{{\"profiles\": [{{\"access_key_secret\": \"{SECRET}\""),
    )
    .unwrap();
    let env = MapEnv::new().with("HOME", dir.path().to_str().unwrap());
    let e = CliProfileProvider::new(Arc::new(env)).provide_credentials().await.unwrap_err();
    assert!(e.to_string().contains("config.json"), "{e}");
    assert_clean("CredentialsError", &format!("{e} {e:?}"));
}

/// Client calls of this binary run one at a time: tracing caches per call site whether any subscriber wants it, and
/// a call on another thread (without the capturing subscriber) racing with the capturing test can cache "no".
static CLIENT_CALLS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test]
async fn tracing_output_has_context_but_no_secrets_or_query_strings() {
    let _serial = CLIENT_CALLS.lock().await;
    let (captured, _guard) = common::capture_logs("acs_core=trace");

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"Code": "Throttling", "Message": "slow down", "RequestId": "req-1"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"RequestId": "req-2"})))
        .mount(&server)
        .await;
    let config = Config::builder()
        .credentials_provider(StaticProvider::new(Credentials::new("AKID", SECRET).with_security_token(TOKEN)))
        .signature_version(SignatureVersion::V1)
        .endpoint_url(server.uri())
        .retry(RetryConfig {
            max_attempts: 2,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
        })
        .build()
        .unwrap();
    let op = Operation::new(Service::Ecs, "DescribeInstances", OperationKind::Read).with_method(Method::Get);
    let _: serde_json::Value =
        Client::new(config).unwrap().call(&op, &json!({"RegionId": "cn-hangzhou", "PageSize": 10})).await.unwrap();

    let text = captured.text();
    assert!(text.contains("DescribeInstances"), "{text}");
    assert!(text.contains("attempt=2"), "{text}");
    assert!(text.contains("req-1") && text.contains("Throttling"), "{text}");
    assert_clean("tracing output", &text);
    for fragment in ["Signature=", "SignatureNonce", "AccessKeyId=", "PageSize="] {
        assert!(!text.contains(fragment), "tracing output contains {fragment:?}: {text}");
    }
}

#[tokio::test]
async fn service_error_display_is_clean() {
    let _serial = CLIENT_CALLS.lock().await;
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({
            "Code": "Forbidden.RAM", "Message": "denied", "RequestId": "r",
            "AccessDeniedDetail": {"AuthAction": "ecs:RunCommand", "NoPermissionType": "ImplicitDeny",
                                   "PolicyType": "AccountLevelIdentityBasedPolicy"}})))
        .mount(&server)
        .await;
    let config = Config::builder()
        .credentials_provider(StaticProvider::new(Credentials::new("AKID", SECRET).with_security_token(TOKEN)))
        .endpoint_url(server.uri())
        .build()
        .unwrap();
    let op = Operation::new(Service::Ecs, "RunCommand", OperationKind::Write);
    let err: Error = Client::new(config).unwrap().call::<_, serde_json::Value>(&op, &json!({})).await.unwrap_err();
    assert!(err.is_access_denied());
    let text = format!("{err} {err:?}");
    assert!(text.contains("ImplicitDeny") && text.contains("ecs:RunCommand"), "{text}");
    assert_clean("service error", &text);
}
