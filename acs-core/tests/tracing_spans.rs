//! The call's tracing spans: each field appears once per log line, also on error responses and across retries.

mod common;

use acs_core::{Client, Config, Operation, OperationKind, RetryConfig, Service};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// An error response carrying its request id twice, in the `x-acs-request-id` header and in the body.
fn error_response(status: u16, code: &str, request_id: &str) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("x-acs-request-id", request_id)
        .set_body_json(json!({"Code": code, "Message": "m", "RequestId": request_id}))
}

#[tokio::test]
async fn request_id_and_attempt_are_recorded_once_per_line() {
    let (captured, _guard) = common::capture_logs("acs_core=debug");

    let server = MockServer::start().await;
    Mock::given(any()).respond_with(error_response(400, "Throttling", "req-1")).up_to_n_times(1).mount(&server).await;
    Mock::given(any()).respond_with(error_response(404, "EntityNotExist.User", "req-2")).mount(&server).await;
    let config = Config::builder()
        .static_credentials("AKID", "secret")
        .endpoint_url(server.uri())
        .retry(RetryConfig {
            max_attempts: 3,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
        })
        .build()
        .unwrap();
    let op = Operation::new(Service::Ram, "GetUser", OperationKind::Read);
    let err =
        Client::new(config).unwrap().call::<_, serde_json::Value>(&op, &json!({"UserName": "u"})).await.unwrap_err();
    assert_eq!(err.request_id(), Some("req-2"));

    let text = captured.text();
    let lines: Vec<&str> = text.lines().collect();
    for line in &lines {
        assert!(line.matches("request_id=").count() <= 1, "request_id repeated: {line}");
        assert!(line.matches("attempt=").count() <= 1, "attempt repeated: {line}");
        assert!(line.matches("action=").count() <= 1, "action repeated: {line}");
    }
    let retrying = lines.iter().find(|l| l.contains("retrying")).unwrap_or_else(|| panic!("no retry line: {text}"));
    assert!(retrying.contains("attempt=1") && retrying.contains(r#"request_id="req-1""#), "{retrying}");
    let failed = lines.iter().find(|l| l.contains("call failed")).unwrap_or_else(|| panic!("no failure line: {text}"));
    assert!(failed.contains("attempt=2") && failed.contains(r#"request_id="req-2""#), "{failed}");
    assert!(failed.contains(r#"action="GetUser""#), "the call's context stays on the line: {failed}");
}
