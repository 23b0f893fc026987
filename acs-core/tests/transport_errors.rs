//! Transport failures read once: the action, the endpoint's `host:port` and the root cause, without the layers
//! of the HTTP stack repeating each other, in `Display` and in the printed source chain alike. No mock server: the
//! endpoint is a loopback port on which nothing listens.

use acs_core::credentials::CredentialsUriProvider;
use acs_core::SignatureVersion;
use acs_core::{Client, Config, Error, Method, Operation, OperationKind, ProvideCredentials, RetryConfig, Service};
use serde_json::json;

/// A loopback port that was just free: bound, then released, so connecting to it is refused.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// `error` and its sources joined by `: `, as anyhow's `{:#}` prints them.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        text.push_str(": ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    text
}

/// Panics when a `: `-separated part of `text` appears twice.
fn assert_no_repetition(text: &str) {
    let parts: Vec<&str> = text.split(": ").collect();
    for (i, part) in parts.iter().enumerate() {
        assert!(!parts[..i].contains(part), "{part:?} repeated in {text:?}");
    }
}

#[tokio::test]
async fn a_refused_connection_names_the_action_the_endpoint_and_the_cause_once() {
    let port = closed_port();
    let config = Config::builder()
        .static_credentials("AKID", "secret")
        .signature_version(SignatureVersion::V1)
        .endpoint_url(format!("http://127.0.0.1:{port}"))
        .retry(RetryConfig { max_attempts: 1, ..RetryConfig::default() })
        .build()
        .unwrap();
    let op = Operation::new(Service::Ecs, "RunCommand", OperationKind::Write).with_method(Method::Get);
    let err = Client::new(config).unwrap().call::<_, serde_json::Value>(&op, &json!({})).await.unwrap_err();

    let text = err.to_string();
    assert_eq!(text, format!("RunCommand: could not connect to 127.0.0.1:{port}: connection refused"));
    assert_eq!(chain(&err), text, "the source chain adds nothing the message already says");
    assert_no_repetition(&text);
    assert!(!format!("{err:?}").contains("Signature="), "never the signed URL: {err:?}");
    match &err {
        Error::Transport { cause: Some(cause), .. } => {
            let reqwest = cause.downcast_ref::<reqwest::Error>();
            assert!(reqwest.is_some_and(reqwest::Error::is_connect), "the HTTP client's error stays inspectable");
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_credentials_endpoint_that_refuses_is_described_once() {
    let port = closed_port();
    let err = CredentialsUriProvider::new(format!("http://127.0.0.1:{port}/creds?token=t"))
        .provide_credentials()
        .await
        .unwrap_err();
    let text = chain(&err);
    assert!(text.contains(&format!("could not connect to 127.0.0.1:{port}: connection refused")), "{text}");
    assert_no_repetition(&text);
    assert!(!text.contains("token=t"), "never the URL's query: {text}");
}
