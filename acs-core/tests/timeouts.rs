//! The three timeouts: `read_timeout` (longest wait for data), `attempt_timeout` (whole attempt, also per call)
//! and their errors. The servers stall or trickle for a few hundred milliseconds; the tests assert which timeout
//! fired (the error kind), never how long anything took.

mod common;

use acs_core::{CallOptions, Error, Operation, OperationKind, Service, TimeoutKind};
use common::*;
use serde_json::{json, Value};
use std::time::Duration;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const DESCRIBE: Operation = Operation::new(Service::Ecs, "DescribeInstances", OperationKind::Read);
fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct Describe {
    region_id: &'static str,
}

async fn call(client: &acs_core::Client, options: &CallOptions) -> Result<Value, Error> {
    client.call_with(&DESCRIBE, &Describe { region_id: "cn-hangzhou" }, options).await
}

fn timeout_kind(result: &Result<Value, Error>) -> Option<TimeoutKind> {
    result.as_ref().err().and_then(Error::timeout_kind)
}

/// A `200` whose JSON body (`{"RequestId":"req-1"}` padded with spaces) arrives in `pieces` chunks, `gap` apart.
fn trickle(pieces: usize, gap: Duration) -> Vec<Step> {
    let mut steps = vec![
        Step::Send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec()),
        Step::Send(chunk(json!({"RequestId": "req-1"}).to_string().as_bytes())),
    ];
    for _ in 0..pieces {
        steps.push(Step::Sleep(gap));
        steps.push(Step::Send(chunk(b"    ")));
    }
    steps.push(Step::Send(chunk(b"")));
    steps
}

#[tokio::test]
async fn read_timeout_fires_when_the_response_does_not_start() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"RequestId": "r"})).set_delay(ms(2000)))
        .mount(&server)
        .await;
    let client = client_at(&server.uri(), 1, |b| b.read_timeout(ms(200)));
    let result = call(&client, &CallOptions::default()).await;
    assert_eq!(timeout_kind(&result), Some(TimeoutKind::Read), "{result:?}");
    let text = result.unwrap_err().to_string();
    assert!(text.contains("DescribeInstances") && text.contains("read_timeout"), "{text}");
}

#[tokio::test]
async fn read_timeout_fires_when_the_body_stalls() {
    let (url, _) = scripted_server(|| {
        vec![
            Step::Send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n".to_vec()),
            Step::Send(br#"{"RequestId":"#.to_vec()),
            Step::Sleep(ms(2000)),
            Step::Send(br#""req-1"}                         "#.to_vec()),
        ]
    })
    .await;
    let client = client_at(&url, 1, |b| b.read_timeout(ms(200)));
    let result = call(&client, &CallOptions::default()).await;
    assert_eq!(timeout_kind(&result), Some(TimeoutKind::Read), "{result:?}");
}

#[tokio::test]
async fn a_body_that_keeps_coming_never_trips_the_read_timeout() {
    // Eight gaps of 100 ms: longer in total than the read timeout, each far shorter.
    let (url, _) = scripted_server(|| trickle(8, ms(100))).await;
    let client = client_at(&url, 1, |b| b.read_timeout(ms(500)));
    assert_eq!(call(&client, &CallOptions::default()).await.unwrap()["RequestId"], "req-1");
}

#[tokio::test]
async fn attempt_timeout_bounds_a_trickling_body() {
    let (url, requests) = scripted_server(|| trickle(8, ms(100))).await;
    let client = client_at(&url, 2, |b| b.read_timeout(ms(5000)).attempt_timeout(ms(300)));
    let result = call(&client, &CallOptions::default()).await;
    assert_eq!(timeout_kind(&result), Some(TimeoutKind::Attempt), "{result:?}");
    let text = result.unwrap_err().to_string();
    assert!(text.contains("DescribeInstances") && text.contains("attempt_timeout"), "{text}");
    assert_eq!(requests.load(std::sync::atomic::Ordering::SeqCst), 2, "a read that timed out is retried");
}

#[tokio::test]
async fn the_per_call_attempt_timeout_overrides_the_config() {
    let (url, _) = scripted_server(|| trickle(8, ms(100))).await;
    // Tighter per call than the config (which has none).
    let client = client_at(&url, 1, |b| b.read_timeout(ms(5000)));
    let tight = CallOptions { attempt_timeout: Some(ms(300)), ..CallOptions::default() };
    let result = call(&client, &tight).await;
    assert_eq!(timeout_kind(&result), Some(TimeoutKind::Attempt), "{result:?}");
    assert!(result.unwrap_err().to_string().contains("the call's attempt_timeout"));
    // Looser per call than the config.
    let client = client_at(&url, 1, |b| b.read_timeout(ms(5000)).attempt_timeout(ms(300)));
    let loose = CallOptions { attempt_timeout: Some(ms(30_000)), ..CallOptions::default() };
    assert_eq!(call(&client, &loose).await.unwrap()["RequestId"], "req-1");
}

#[test]
fn timeouts_are_configurable_and_kept_by_to_builder() {
    let config = acs_core::Config::builder()
        .static_credentials(ID, SECRET)
        .connect_timeout(ms(1500))
        .read_timeout(ms(2500))
        .attempt_timeout(ms(9000))
        .build()
        .unwrap();
    let derived = config.to_builder().build().unwrap();
    assert_eq!(
        (derived.connect_timeout(), derived.read_timeout(), derived.attempt_timeout()),
        (ms(1500), ms(2500), Some(ms(9000)))
    );
    assert_eq!(acs_core::Config::builder().build().unwrap().attempt_timeout(), None);
}
