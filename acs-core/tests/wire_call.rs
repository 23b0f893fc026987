//! Wire tests of `Client::call`: exact parameters and headers, signatures recomputed from what the server
//! received, retries, error bodies.

mod common;

use acs_core::{CallOptions, Error, Method, Operation, OperationKind, Service, SignatureVersion};
use common::*;
use serde_json::json;
use std::collections::BTreeMap;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct Tag {
    key: String,
    value: String,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct RunCommand {
    region_id: String,
    instance_id: Vec<String>,
    command_content: String,
    tag: Vec<Tag>,
    keep_command: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_token: Option<String>,
}

#[derive(serde::Deserialize, Debug)]
#[serde(rename_all = "PascalCase")]
struct RunCommandResponse {
    request_id: String,
    invoke_id: String,
}

const RUN_COMMAND: Operation = Operation::new(Service::Ecs, "RunCommand", OperationKind::Write);
const DESCRIBE: Operation = Operation::new(Service::Ecs, "DescribeInvocations", OperationKind::Read);

fn run_command(token: Option<&str>) -> RunCommand {
    RunCommand {
        region_id: "cn-hangzhou".into(),
        instance_id: vec!["i-1".into(), "i-2".into()],
        command_content: "echo 'a b' && whoami *~".into(),
        tag: vec![Tag { key: "k".into(), value: "中".into() }],
        keep_command: false,
        client_token: token.map(str::to_owned),
    }
}

fn ok_body() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"RequestId": "req-ok", "InvokeId": "t-1"}))
}

fn error_body(status: u16, code: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({"RequestId": "req-err", "Code": code, "Message": "m"}))
}

fn expected_operation_params() -> BTreeMap<String, String> {
    [
        ("RegionId", "cn-hangzhou"),
        ("InstanceId.1", "i-1"),
        ("InstanceId.2", "i-2"),
        ("CommandContent", "echo 'a b' && whoami *~"),
        ("Tag.1.Key", "k"),
        ("Tag.1.Value", "中"),
        ("KeepCommand", "false"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

#[tokio::test]
async fn v3_post_sends_exact_params_and_verifiable_signature() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok_body()).mount(&server).await;
    let client = client(&server, SignatureVersion::V3, 1);
    let resp: RunCommandResponse = client.call(&RUN_COMMAND, &run_command(None)).await.unwrap();
    assert_eq!((resp.request_id.as_str(), resp.invoke_id.as_str()), ("req-ok", "t-1"));

    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 1);
    let req = &reqs[0];
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(req.url.path(), "/");
    let (query, body) = verify_v3(req, SECRET);
    assert_eq!(query, expected_operation_params());
    assert!(body.is_empty());
    assert!(req.body.is_empty());
    assert_eq!(header(req, "x-acs-action"), Some("RunCommand"));
    assert_eq!(header(req, "x-acs-version"), Some("2014-05-26"));
    assert!(acs_signer::parse_timestamp(header(req, "x-acs-date").unwrap()).is_some());
    assert_eq!(header(req, "x-acs-signature-nonce").unwrap().len(), 32);
    assert_eq!(header(req, "host"), Some(server.address().to_string().as_str()));
    assert!(header(req, "x-acs-security-token").is_none());
    assert!(header(req, "user-agent").unwrap().starts_with("acs-rust-sdk/"));
    let auth = header(req, "authorization").unwrap();
    assert!(auth.contains("Credential=AKIDTEST,"), "{auth}");
    assert!(!auth.contains(SECRET));
}

#[tokio::test]
async fn v3_body_params_go_in_the_form_body() {
    #[derive(serde::Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct CreateSecret {
        secret_name: String,
        secret_data: String,
        version_id: String,
    }
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok_body()).mount(&server).await;
    let op = Operation::new(Service::Kms, "CreateSecret", OperationKind::Write).with_body_params(&["SecretData"]);
    let req = CreateSecret { secret_name: "s".into(), secret_data: "p@ss w+rd&=".into(), version_id: "v1".into() };
    let _: serde_json::Value = client(&server, SignatureVersion::V3, 1).call(&op, &req).await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    let (query, body) = verify_v3(&reqs[0], SECRET);
    assert_eq!(query.keys().collect::<Vec<_>>(), ["SecretName", "VersionId"]);
    assert_eq!(body.get("SecretData").map(String::as_str), Some("p@ss w+rd&="));
    assert_eq!(body.len(), 1);
    assert_eq!(header(&reqs[0], "content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(header(&reqs[0], "x-acs-version"), Some("2016-01-20"));
}

#[tokio::test]
async fn v1_post_sends_form_body_with_protocol_params() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok_body()).mount(&server).await;
    let _: RunCommandResponse =
        client(&server, SignatureVersion::V1, 1).call(&RUN_COMMAND, &run_command(None)).await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    let req = &reqs[0];
    assert_eq!(req.method.as_str(), "POST");
    assert!(req.url.query().is_none(), "POST carries no query: {:?}", req.url.query());
    assert_eq!(header(req, "content-type"), Some("application/x-www-form-urlencoded"));
    let mut params = verify_v1(req, SECRET);
    for (k, v) in [
        ("Action", "RunCommand"),
        ("Version", "2014-05-26"),
        ("Format", "JSON"),
        ("AccessKeyId", ID),
        ("SignatureMethod", "HMAC-SHA1"),
        ("SignatureVersion", "1.0"),
    ] {
        assert_eq!(params.remove(k).as_deref(), Some(v), "{k}");
    }
    assert_eq!(params.remove("SignatureNonce").unwrap().len(), 32);
    assert!(acs_signer::parse_timestamp(&params.remove("Timestamp").unwrap()).is_some());
    assert!(params.remove("Signature").is_some());
    assert_eq!(params, expected_operation_params());
    assert!(header(req, "authorization").is_none());
}

#[tokio::test]
async fn v1_get_puts_everything_in_the_query() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok_body()).mount(&server).await;
    let op = DESCRIBE.with_method(Method::Get);
    let _: serde_json::Value = client(&server, SignatureVersion::V1, 1).call(&op, &run_command(None)).await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    let req = &reqs[0];
    assert_eq!(req.method.as_str(), "GET");
    assert!(req.body.is_empty());
    let params = verify_v1(req, SECRET);
    assert_eq!(params.get("Action").map(String::as_str), Some("DescribeInvocations"));
    assert_eq!(params.get("Tag.1.Value").map(String::as_str), Some("中"));
}

#[tokio::test]
async fn throttling_is_retried_with_a_fresh_nonce_and_signature() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(error_body(400, "Throttling.User")).up_to_n_times(1).mount(&server).await;
    Mock::given(any()).respond_with(ok_body()).mount(&server).await;
    let resp: RunCommandResponse =
        client(&server, SignatureVersion::V3, 3).call(&RUN_COMMAND, &run_command(None)).await.unwrap();
    assert_eq!(resp.invoke_id, "t-1");
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 2);
    let n0 = header(&reqs[0], "x-acs-signature-nonce").unwrap();
    let n1 = header(&reqs[1], "x-acs-signature-nonce").unwrap();
    assert_ne!(n0, n1);
    assert_ne!(header(&reqs[0], "authorization"), header(&reqs[1], "authorization"));
    verify_v3(&reqs[0], SECRET);
    verify_v3(&reqs[1], SECRET);
}

#[tokio::test]
async fn v1_retry_uses_a_fresh_nonce() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(error_body(503, "ServiceUnavailable")).up_to_n_times(1).mount(&server).await;
    Mock::given(any()).respond_with(ok_body()).mount(&server).await;
    let _: RunCommandResponse =
        client(&server, SignatureVersion::V1, 3).call(&RUN_COMMAND, &run_command(None)).await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 2);
    let a = verify_v1(&reqs[0], SECRET);
    let b = verify_v1(&reqs[1], SECRET);
    assert_ne!(a["SignatureNonce"], b["SignatureNonce"]);
}

#[tokio::test]
async fn throttling_gives_up_after_max_attempts() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(error_body(400, "Throttling")).mount(&server).await;
    let err = client(&server, SignatureVersion::V3, 3)
        .call::<_, serde_json::Value>(&RUN_COMMAND, &run_command(None))
        .await
        .unwrap_err();
    assert!(err.is_throttling());
    assert_eq!(err.request_id(), Some("req-err"));
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn internal_error_not_retried_for_plain_write() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(error_body(500, "InternalError")).mount(&server).await;
    let err = client(&server, SignatureVersion::V3, 4)
        .call::<_, serde_json::Value>(&RUN_COMMAND, &run_command(None))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("InternalError"));
    assert_eq!(err.service_error().unwrap().http_status, 500);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn internal_error_retried_for_read_and_client_token_write() {
    for (op, token) in [(DESCRIBE, None), (RUN_COMMAND, Some("tok-1"))] {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(error_body(500, "InternalError")).up_to_n_times(2).mount(&server).await;
        Mock::given(any()).respond_with(ok_body()).mount(&server).await;
        let _: RunCommandResponse =
            client(&server, SignatureVersion::V3, 4).call(&op, &run_command(token)).await.unwrap();
        assert_eq!(server.received_requests().await.unwrap().len(), 3, "{}", op.action);
    }
}

#[tokio::test]
async fn empty_client_token_does_not_make_a_write_retryable() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(error_body(500, "InternalError")).mount(&server).await;
    let r = client(&server, SignatureVersion::V3, 4)
        .call::<_, serde_json::Value>(&RUN_COMMAND, &run_command(Some("")))
        .await;
    assert!(r.is_err());
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn auth_and_parameter_errors_are_not_retried() {
    for code in ["Forbidden.RAM", "InvalidParameter", "InvalidAccessKeyId.NotFound"] {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(error_body(403, code)).mount(&server).await;
        let err =
            client(&server, SignatureVersion::V3, 4).call::<_, serde_json::Value>(&DESCRIBE, &run_command(None)).await;
        assert_eq!(err.unwrap_err().code(), Some(code));
        assert_eq!(server.received_requests().await.unwrap().len(), 1, "{code}");
    }
}

#[tokio::test]
async fn retry_after_header_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(error_body(400, "Throttling.Api").insert_header("x-acs-retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(ok_body()).mount(&server).await;
    let start = std::time::Instant::now();
    let _: RunCommandResponse =
        client(&server, SignatureVersion::V3, 2).call(&DESCRIBE, &run_command(None)).await.unwrap();
    // The backoff alone would wait about 1 ms; the server asked for 1 s, which is a lower bound on the wait.
    assert!(start.elapsed() >= std::time::Duration::from_secs(1));
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn xml_and_malformed_error_bodies_become_decode_errors() {
    for (body, needle) in [
        ("<?xml version=\"1.0\"?><Error><Code>Throttling</Code></Error>", "XML"),
        ("{\"Code\": \"Thrott", "not valid JSON"),
    ] {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(ResponseTemplate::new(400).set_body_string(body)).mount(&server).await;
        let err = client(&server, SignatureVersion::V3, 3)
            .call::<_, serde_json::Value>(&DESCRIBE, &run_command(None))
            .await
            .unwrap_err();
        match &err {
            Error::Decode { message, status, body_excerpt } => {
                assert!(message.contains(needle), "{message}");
                assert_eq!(*status, 400);
                assert!(body_excerpt.starts_with(&body[..5]), "{body_excerpt}");
            }
            other => panic!("expected Decode, got {other:?}"),
        }
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }
}

#[tokio::test]
async fn success_body_not_matching_the_model_is_a_decode_error_without_secrets() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"RequestId": "r", "AccessKeySecret": "LEAKED-SENTINEL"})),
        )
        .mount(&server)
        .await;
    let err = client(&server, SignatureVersion::V3, 1)
        .call::<_, RunCommandResponse>(&DESCRIBE, &run_command(None))
        .await
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(matches!(err, Error::Decode { status: 200, .. }));
    assert!(text.contains("InvokeId"), "{text}");
    assert!(!text.contains("LEAKED-SENTINEL"), "{text}");
}

#[tokio::test]
async fn signature_mismatch_shows_both_strings_to_sign() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "RequestId": "r", "Code": "SignatureDoesNotMatch", "HostId": "ecs.aliyuncs.com",
            "Message": "Specified signature is not matched with our calculation. server string to sign is:ACS3-HMAC-SHA256\nabc",
        })))
        .mount(&server)
        .await;
    let err = client(&server, SignatureVersion::V3, 4)
        .call::<_, serde_json::Value>(&DESCRIBE, &run_command(None))
        .await
        .unwrap_err();
    let se = err.service_error().unwrap();
    assert_eq!(se.server_string_to_sign.as_deref(), Some("ACS3-HMAC-SHA256\nabc"));
    let ours = se.client_string_to_sign.as_deref().unwrap();
    assert!(ours.starts_with("ACS3-HMAC-SHA256\n") && ours.len() == "ACS3-HMAC-SHA256\n".len() + 64, "{ours}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert!(err.to_string().contains("client string-to-sign"));
}

#[tokio::test]
async fn lowercase_error_keys_are_accepted() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "requestId": "r-lower", "code": "EntityNotExist.User", "message": "gone"
        })))
        .mount(&server)
        .await;
    let err = client(&server, SignatureVersion::V3, 1)
        .call::<_, serde_json::Value>(&DESCRIBE, &run_command(None))
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.request_id(), Some("r-lower"));
    assert_eq!(err.service_error().unwrap().message, "gone");
}

#[tokio::test]
async fn connection_refused_is_a_transport_error_without_secrets() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let config = acs_core::Config::builder()
        .static_credentials(ID, SECRET)
        .signature_version(SignatureVersion::V1)
        .endpoint_url(format!("http://{addr}"))
        .retry(acs_core::RetryConfig { max_attempts: 2, ..acs_core::RetryConfig::default() })
        .build()
        .unwrap();
    let client = acs_core::Client::new(config).unwrap();
    let err = client
        .call_with::<_, serde_json::Value>(
            &DESCRIBE.with_method(Method::Get),
            &run_command(None),
            &CallOptions::default(),
        )
        .await
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(matches!(err, Error::Transport { .. }), "{text}");
    assert!(!text.contains(SECRET) && !text.contains("Signature="), "{text}");
}

#[tokio::test]
async fn debug_output_never_contains_the_secret() {
    let server = MockServer::start().await;
    let c = client(&server, SignatureVersion::V3, 1);
    let text = format!("{c:?} {:?}", c.config());
    assert!(text.contains(ID), "{text}");
    assert!(!text.contains(SECRET), "{text}");
}

#[tokio::test]
async fn per_call_attempt_timeout_applies_and_is_retried_only_for_reads() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok_body().set_delay(std::time::Duration::from_secs(3))).mount(&server).await;
    let client = client(&server, SignatureVersion::V3, 2);
    let options =
        CallOptions { attempt_timeout: Some(std::time::Duration::from_millis(100)), ..CallOptions::default() };
    let err = client.call_with::<_, serde_json::Value>(&RUN_COMMAND, &run_command(None), &options).await.unwrap_err();
    assert_eq!(err.timeout_kind(), Some(acs_core::TimeoutKind::Attempt), "{err:?}");
    assert!(err.to_string().contains("RunCommand") && err.to_string().contains("attempt_timeout"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "a timed-out write is not repeated");
    let err = client.call_with::<_, serde_json::Value>(&DESCRIBE, &run_command(None), &options).await.unwrap_err();
    assert_eq!(err.timeout_kind(), Some(acs_core::TimeoutKind::Attempt), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3, "a timed-out read is retried");
}

#[tokio::test]
#[allow(deprecated)]
async fn the_former_per_call_read_timeout_still_limits_the_attempt() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok_body().set_delay(std::time::Duration::from_secs(3))).mount(&server).await;
    let client = client(&server, SignatureVersion::V3, 1);
    let options = CallOptions { read_timeout: Some(std::time::Duration::from_millis(100)), ..CallOptions::default() };
    let err = client.call_with::<_, serde_json::Value>(&DESCRIBE, &run_command(None), &options).await.unwrap_err();
    assert_eq!(err.timeout_kind(), Some(acs_core::TimeoutKind::Attempt), "{err:?}");
}

#[tokio::test]
async fn xml_success_body_is_a_clear_decode_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_string("<?xml version=\"1.0\"?><R><RequestId>x</RequestId></R>"),
        )
        .mount(&server)
        .await;
    let err = client(&server, SignatureVersion::V3, 1)
        .call::<_, RunCommandResponse>(&DESCRIBE, &run_command(None))
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Decode { message, .. } if message.contains("XML")), "{err}");
}

#[tokio::test]
async fn with_credentials_provider_signs_with_the_new_key() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok_body()).mount(&server).await;
    let base = client(&server, SignatureVersion::V3, 1);
    let other = base.with_credentials_provider(acs_core::credentials::StaticProvider::new(acs_core::Credentials::new(
        "OTHER-ID",
        "other-secret",
    )));
    let _: RunCommandResponse = other.call(&RUN_COMMAND, &run_command(None)).await.unwrap();
    let _: RunCommandResponse = base.call(&RUN_COMMAND, &run_command(None)).await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    assert!(header(&reqs[0], "authorization").unwrap().contains("Credential=OTHER-ID,"));
    verify_v3(&reqs[0], "other-secret");
    verify_v3(&reqs[1], SECRET);
}

#[derive(serde::Deserialize, Debug)]
#[serde(rename_all = "PascalCase")]
struct LenientResponse {
    #[serde(default)]
    request_id: Option<String>,
    #[serde(default)]
    invoke_id: Option<String>,
}

#[tokio::test]
async fn a_200_carrying_an_error_code_is_a_service_error() {
    // Some gateways (and KMS) answer HTTP 200 with an error body; a lenient model must not turn it into success.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "RequestId": "req-200", "Code": "Forbidden.KeyNotFound", "Message": "no key", "HttpStatus": 404,
        })))
        .mount(&server)
        .await;
    let err = client(&server, SignatureVersion::V3, 3)
        .call::<_, LenientResponse>(&DESCRIBE, &run_command(None))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("Forbidden.KeyNotFound"));
    assert_eq!(err.request_id(), Some("req-200"));
    assert_eq!(err.service_error().unwrap().http_status, 404);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);

    // A 200 "Throttling" is retried like any throttling answer.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"Code": "Throttling.User", "Message": "slow"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(ok_body()).mount(&server).await;
    let ok: LenientResponse =
        client(&server, SignatureVersion::V3, 3).call(&DESCRIBE, &run_command(None)).await.unwrap();
    assert_eq!(ok.invoke_id.as_deref(), Some("t-1"));
    assert_eq!(ok.request_id.as_deref(), Some("req-ok"));

    // A success-looking `Code` (as the metadata service and STS send) is not an error.
    for code in [json!("Success"), json!("200"), json!(""), json!(200)] {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"Code": code, "InvokeId": "t-2"})))
            .mount(&server)
            .await;
        let ok: LenientResponse =
            client(&server, SignatureVersion::V3, 1).call(&DESCRIBE, &run_command(None)).await.unwrap();
        assert_eq!(ok.invoke_id.as_deref(), Some("t-2"), "{code}");
    }
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct CreateLoginProfile {
    user_name: String,
    password: String,
}

#[tokio::test]
async fn v1_signature_mismatch_never_shows_the_token_or_secret_parameters() {
    // The V1 string-to-sign holds every parameter value, including the STS token and passwords.
    let server = MockServer::start().await;
    let server_sts = "POST&%2F&AccessKeyId%3DAKIDTEST%26Password%3DPW-SENTINEL%26SecurityToken%3DTOKEN-SENTINEL%26\
                      UserName%3Dalice";
    Mock::given(any())
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "RequestId": "r", "Code": "SignatureDoesNotMatch",
            "Message": format!("Specified signature is not matched with our calculation. server string to sign is:{server_sts}"),
        })))
        .mount(&server)
        .await;
    let credentials = acs_core::Credentials::new(ID, SECRET).with_security_token("TOKEN-SENTINEL");
    let config = acs_core::Config::builder()
        .credentials_provider(acs_core::credentials::StaticProvider::new(credentials))
        .signature_version(SignatureVersion::V1)
        .endpoint_url(server.uri())
        .retry(acs_core::RetryConfig::disabled())
        .build()
        .unwrap();
    let op = Operation::new(Service::Ram, "CreateLoginProfile", OperationKind::Write);
    let request = CreateLoginProfile { user_name: "alice".into(), password: "PW-SENTINEL".into() };
    let err = acs_core::Client::new(config).unwrap().call::<_, serde_json::Value>(&op, &request).await.unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(!text.contains("TOKEN-SENTINEL"), "{text}");
    assert!(!text.contains("PW-SENTINEL"), "{text}");
    assert!(!text.contains(SECRET), "{text}");
    // Everything else stays comparable.
    let se = err.service_error().unwrap();
    let ours = se.client_string_to_sign.as_deref().unwrap();
    assert!(ours.starts_with("POST&%2F&AccessKeyId%3DAKIDTEST%26"), "{ours}");
    assert!(ours.contains("UserName%3Dalice"), "{ours}");
    assert!(ours.contains("SecurityToken%3D[REDACTED]"), "{ours}");
    assert!(se.server_string_to_sign.as_deref().unwrap().contains("UserName%3Dalice"));
    assert!(se.message.contains("Password%3D[REDACTED]"), "{}", se.message);
}

#[derive(serde::Deserialize, Debug)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
struct AccessKeyModel {
    access_key_id: String,
}

#[derive(serde::Deserialize, Debug)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
struct CreateAccessKeyResponse {
    access_key: AccessKeyModel,
}

#[tokio::test]
async fn a_type_mismatch_never_quotes_the_string_received() {
    // serde_json's message quotes the unexpected string; here it is an object sent as JSON text, secret included.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "RequestId": "r",
            "AccessKey": "{\"AccessKeyId\":\"id\",\"AccessKeySecret\":\"LEAKED-SENTINEL\"}",
        })))
        .mount(&server)
        .await;
    let err = client(&server, SignatureVersion::V3, 1)
        .call::<_, CreateAccessKeyResponse>(&RUN_COMMAND, &run_command(None))
        .await
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(matches!(err, Error::Decode { status: 200, .. }), "{text}");
    assert!(text.contains("invalid type: string"), "{text}");
    assert!(!text.contains("LEAKED-SENTINEL"), "{text}");
}

#[tokio::test]
async fn an_empty_200_is_a_decode_error_that_says_so() {
    for body in ["", " \r\n"] {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_string(body)).mount(&server).await;
        let err = client(&server, SignatureVersion::V3, 1)
            .call::<_, LenientResponse>(&DESCRIBE, &run_command(None))
            .await
            .unwrap_err();
        match err {
            Error::Decode { message, status: 200, .. } => assert!(message.contains("body is empty"), "{message}"),
            other => panic!("expected Decode, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn credentials_with_a_line_break_fail_clearly_and_once() {
    // e.g. `export ALIBABA_CLOUD_ACCESS_KEY_ID=$(cat id.txt)` keeps the file's trailing newline in a token
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ok_body()).mount(&server).await;
    let credentials = acs_core::Credentials::new(ID, SECRET).with_security_token("TOKEN-SENTINEL\n");
    let config = acs_core::Config::builder()
        .credentials_provider(acs_core::credentials::StaticProvider::new(credentials))
        .endpoint_url(server.uri())
        .build()
        .unwrap();
    let err = acs_core::Client::new(config)
        .unwrap()
        .call::<_, serde_json::Value>(&DESCRIBE, &run_command(None))
        .await
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(!text.contains("TOKEN-SENTINEL"), "{text}");
    assert!(text.contains("security token"), "{text}");
    assert_eq!(server.received_requests().await.unwrap().len(), 0);

    let config = acs_core::Config::builder()
        .static_credentials(ID, format!("{SECRET}\r\n"))
        .endpoint_url(server.uri())
        .build()
        .unwrap();
    let err = acs_core::Client::new(config)
        .unwrap()
        .call::<_, serde_json::Value>(&DESCRIBE, &run_command(None))
        .await
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("AccessKey secret") && !text.contains(SECRET), "{text}");
    assert_eq!(server.received_requests().await.unwrap().len(), 0);
}
