//! The response size cap: `Config::max_response_bytes` for calls, a fixed 1 MiB for the credential providers;
//! enforced whether the size is announced (`Content-Length`) or not (chunked bodies).

mod common;

use acs_core::credentials::{AssumeRoleProvider, CredentialsUriProvider, StaticProvider, MAX_RESPONSE_BYTES};
use acs_core::{Credentials, Error, Operation, OperationKind, ProvideCredentials, Service};
use common::*;
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const DESCRIBE: Operation = Operation::new(Service::Ecs, "DescribeInstances", OperationKind::Read);
const LIMIT: u64 = 1000;

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct Describe {
    region_id: &'static str,
}

/// `json` followed by spaces up to exactly `size` bytes (still valid JSON).
fn padded(json: &Value, size: u64) -> Vec<u8> {
    let mut body = json.to_string().into_bytes();
    let size = usize::try_from(size).unwrap();
    assert!(body.len() <= size);
    body.resize(size, b' ');
    body
}

fn ok_json() -> Value {
    json!({"RequestId": "req-1", "TotalCount": 0})
}

async fn call(client: &acs_core::Client) -> Result<Value, Error> {
    client.call(&DESCRIBE, &Describe { region_id: "cn-hangzhou" }).await
}

fn assert_too_large(result: Result<Value, Error>, limit: u64) {
    match result {
        Err(e @ Error::ResponseTooLarge { .. }) => {
            let text = e.to_string();
            assert!(text.contains("DescribeInstances") && text.contains(&limit.to_string()), "{text}");
            let Error::ResponseTooLarge { action, limit: reported, .. } = e else { unreachable!() };
            assert_eq!((action.as_str(), reported), ("DescribeInstances", limit));
        }
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_over_the_limit_fails_naming_the_action_and_the_limit_and_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(padded(&ok_json(), LIMIT + 1), "application/json"))
        .mount(&server)
        .await;
    let client = client_at(&server.uri(), 3, |b| b.max_response_bytes(LIMIT));
    assert_too_large(call(&client).await, LIMIT);
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "a too large response is not retried");
}

#[tokio::test]
async fn a_body_of_exactly_the_limit_is_accepted() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(padded(&ok_json(), LIMIT), "application/json"))
        .mount(&server)
        .await;
    let client = client_at(&server.uri(), 1, |b| b.max_response_bytes(LIMIT));
    assert_eq!(call(&client).await.unwrap()["RequestId"], "req-1");
}

#[tokio::test]
async fn an_error_body_over_the_limit_is_refused_too() {
    let server = MockServer::start().await;
    let error = json!({"RequestId": "r", "Code": "Throttling", "Message": "m"});
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).set_body_raw(padded(&error, LIMIT + 1), "application/json"))
        .mount(&server)
        .await;
    let client = client_at(&server.uri(), 3, |b| b.max_response_bytes(LIMIT));
    assert_too_large(call(&client).await, LIMIT);
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

/// A `200` with a chunked body (no `Content-Length`): `size` bytes of padded JSON in chunks of 100 bytes.
fn chunked_answer(size: u64) -> Vec<Step> {
    let body = padded(&ok_json(), size);
    let mut steps = vec![Step::Send(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec(),
    )];
    steps.extend(body.chunks(100).map(|c| Step::Send(chunk(c))));
    steps.push(Step::Send(chunk(b"")));
    steps
}

#[tokio::test]
async fn a_chunked_body_without_content_length_is_counted_as_it_arrives() {
    let (url, requests) = scripted_server(|| chunked_answer(LIMIT + 1)).await;
    let client = client_at(&url, 3, |b| b.max_response_bytes(LIMIT));
    assert_too_large(call(&client).await, LIMIT);
    assert_eq!(requests.load(std::sync::atomic::Ordering::SeqCst), 1);

    let (url, _) = scripted_server(|| chunked_answer(LIMIT)).await;
    let client = client_at(&url, 1, |b| b.max_response_bytes(LIMIT));
    assert_eq!(call(&client).await.unwrap()["RequestId"], "req-1");
}

#[tokio::test]
async fn an_endless_chunked_body_stops_at_the_limit() {
    // 64 MiB would be buffered whole without the limit; with it, reading stops after about 1 KB.
    let (url, _) = scripted_server(|| {
        let mut steps = vec![Step::Send(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec())];
        steps.extend(std::iter::repeat_with(|| Step::Send(chunk(&[b' '; 65536]))).take(1024));
        steps
    })
    .await;
    let client = client_at(&url, 1, |b| b.max_response_bytes(LIMIT));
    assert_too_large(call(&client).await, LIMIT);
}

fn uri_credentials_body(size: u64) -> Vec<u8> {
    let creds = json!({"Code": "Success", "AccessKeyId": "uri-id", "AccessKeySecret": "uri-s",
                       "SecurityToken": "uri-t", "Expiration": "2999-01-01T00:00:00Z"});
    padded(&creds, size)
}

#[tokio::test]
async fn credential_providers_refuse_bodies_over_one_mebibyte() {
    assert_eq!(MAX_RESPONSE_BYTES, 1024 * 1024);
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(uri_credentials_body(MAX_RESPONSE_BYTES + 1), "application/json"),
        )
        .mount(&server)
        .await;
    let e = CredentialsUriProvider::new(format!("{}/creds", server.uri())).provide_credentials().await.unwrap_err();
    let text = e.to_string();
    assert!(text.contains("credentials URI") && text.contains(&MAX_RESPONSE_BYTES.to_string()), "{text}");

    let sts = AssumeRoleProvider::new(StaticProvider::new(Credentials::new("id", "secret")), "acs:ram::1:role/r")
        .with_endpoint(server.uri());
    let text = sts.provide_credentials().await.unwrap_err().to_string();
    assert!(text.contains("AssumeRole") && text.contains(&MAX_RESPONSE_BYTES.to_string()), "{text}");
}

#[tokio::test]
async fn credential_providers_accept_a_body_of_exactly_one_mebibyte() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(uri_credentials_body(MAX_RESPONSE_BYTES), "application/json"),
        )
        .mount(&server)
        .await;
    let c = CredentialsUriProvider::new(format!("{}/creds", server.uri())).provide_credentials().await.unwrap();
    assert_eq!(c.access_key_id, "uri-id");
}
