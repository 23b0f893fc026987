//! Test harness for the service clients' wire tests (cargo feature `test-util`; enable it in `[dev-dependencies]`):
//! a wiremock server answering every POST with a fixed body, a client configuration pointing at it, and the one
//! recorded request decoded into its query and form-body parameters.
//!
//! ```no_run
//! use acs_core::test_util::{config, serve, wire};
//! use acs_core::{Operation, OperationKind, Service, SignatureVersion};
//!
//! # async fn run() {
//! const OP: Operation = Operation::new(Service::Ecs, "DescribeRegions", OperationKind::Read);
//! let server = serve(r#"{"RequestId": "req-1"}"#).await;
//! let client = acs_core::Client::new(config(&server, SignatureVersion::V3)).expect("client");
//! let _: serde_json::Value = client.call(&OP, &serde_json::json!({"RegionId": "cn-hangzhou"})).await.expect("call");
//! let wire = wire(&server).await;
//! assert_eq!(wire.action, "DescribeRegions");
//! assert_eq!(wire.get("RegionId"), Some("cn-hangzhou"));
//! # }
//! ```
//!
//! Test helpers: they panic (with a message) when the server saw something other than what a test expects.

use crate::{Config, Error, RetryConfig, SignatureVersion};
use std::collections::BTreeMap;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Parameters every signed request may carry besides the operation's own (V1 signing, region, token).
pub const PROTOCOL_PARAMS: &[&str] = &[
    "Action",
    "Version",
    "Format",
    "AccessKeyId",
    "SignatureMethod",
    "SignatureVersion",
    "SignatureNonce",
    "Timestamp",
    "Signature",
    "SecurityToken",
    "RegionId",
];

/// One request as the server received it: decoded query and form-body parameters and the action.
#[derive(Clone, Debug, Default)]
pub struct Wire {
    /// Query-string parameters.
    pub query: BTreeMap<String, String>,
    /// Form-body parameters.
    pub body: BTreeMap<String, String>,
    /// The `x-acs-action` header (V3), or the `Action` parameter (V1).
    pub action: String,
}

impl Wire {
    /// Decodes a recorded request.
    ///
    /// # Panics
    /// When the query or the body is not valid form encoding, or the body is not UTF-8.
    pub fn from_request(req: &Request) -> Wire {
        let query: BTreeMap<String, String> =
            acs_signer::parse_form(req.url.query().unwrap_or("")).expect("form-encoded query").into_iter().collect();
        let body: BTreeMap<String, String> =
            acs_signer::parse_form(std::str::from_utf8(&req.body).expect("UTF-8 body"))
                .expect("form-encoded body")
                .into_iter()
                .collect();
        let action = req
            .headers
            .get("x-acs-action")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .or_else(|| query.get("Action").cloned())
            .or_else(|| body.get("Action").cloned())
            .unwrap_or_default();
        Wire { query, body, action }
    }

    /// A parameter from the query or, failing that, the body.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.query.get(name).or_else(|| self.body.get(name)).map(String::as_str)
    }

    /// A JSON-string parameter, parsed.
    ///
    /// # Panics
    /// When the parameter is missing or not JSON.
    pub fn json(&self, name: &str) -> serde_json::Value {
        let text = self.get(name).unwrap_or_else(|| panic!("{name} missing"));
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{name} is not JSON: {e}: {text}"))
    }

    /// Every parameter name, query first.
    pub fn names(&self) -> Vec<String> {
        self.query.keys().chain(self.body.keys()).cloned().collect()
    }

    /// Asserts the marks of the signature `version`: under V3 no V1 signing parameters in the query and each of
    /// `body_params` in the form body only; under V1 `SignatureMethod=HMAC-SHA1`.
    ///
    /// # Panics
    /// Naming the parameter that is out of place.
    pub fn assert_signed_as(&self, version: SignatureVersion, body_params: &[&str]) {
        match version {
            SignatureVersion::V3 => {
                for name in body_params {
                    assert!(
                        self.body.contains_key(*name) && !self.query.contains_key(*name),
                        "{name} goes in the body"
                    );
                }
                for name in self.query.keys() {
                    assert!(
                        !matches!(name.as_str(), "Signature" | "SignatureNonce" | "AccessKeyId"),
                        "no V1 parameter ({name}) under V3"
                    );
                }
            }
            SignatureVersion::V1 => assert_eq!(self.get("SignatureMethod"), Some("HMAC-SHA1"), "V1 signature method"),
        }
    }

    /// Asserts that every parameter sent is in `expected` or in [`PROTOCOL_PARAMS`].
    ///
    /// # Panics
    /// Naming the first unexpected parameter.
    pub fn assert_only(&self, expected: &[&str]) {
        for name in self.names() {
            assert!(
                expected.contains(&name.as_str()) || PROTOCOL_PARAMS.contains(&name.as_str()),
                "unexpected parameter {name}"
            );
        }
    }
}

/// A configuration for tests: region `cn-hangzhou`, static test credentials, every service at `server`, the given
/// signature version, retries disabled.
///
/// # Panics
/// If the configuration is rejected (it never is for a running server).
pub fn config(server: &MockServer, version: SignatureVersion) -> Config {
    config_at(&server.uri(), "testid", "testsecret", version)
}

/// A configuration for tests against any endpoint (e.g. the emulator): region `cn-hangzhou`, the AccessKey `id` /
/// `secret`, every service at `endpoint_url`, the given signature version, retries disabled.
///
/// # Panics
/// If the configuration is rejected (an invalid URL).
pub fn config_at(endpoint_url: &str, id: &str, secret: &str, version: SignatureVersion) -> Config {
    Config::builder()
        .region("cn-hangzhou")
        .static_credentials(id, secret)
        .endpoint_url(endpoint_url)
        .signature_version(version)
        .retry(RetryConfig::disabled())
        .build()
        .expect("test configuration")
}

/// Starts a server answering every POST with HTTP 200 and the JSON `body`.
pub async fn serve(body: &str) -> MockServer {
    serve_status(200, body).await
}

/// Starts a server answering every POST with `status` and the JSON `body`.
pub async fn serve_status(status: u16, body: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json"))
        .mount(&server)
        .await;
    server
}

/// Starts a server answering every POST with HTTP 200 and `body` as JSON.
pub async fn serve_json(body: serde_json::Value) -> MockServer {
    serve(&body.to_string()).await
}

/// Every request the server received, decoded.
///
/// # Panics
/// If request recording is off.
pub async fn requests(server: &MockServer) -> Vec<Wire> {
    server.received_requests().await.expect("request recording on").iter().map(Wire::from_request).collect()
}

/// The single request the server received, decoded.
///
/// # Panics
/// Unless exactly one request was received.
pub async fn wire(server: &MockServer) -> Wire {
    let mut all = requests(server).await;
    assert_eq!(all.len(), 1, "exactly one request");
    all.remove(0)
}

/// Every request's parameters, query and form body merged (the body wins on a clash), in the order received.
///
/// # Panics
/// If request recording is off.
pub async fn params(server: &MockServer) -> Vec<BTreeMap<String, String>> {
    requests(server)
        .await
        .into_iter()
        .map(|wire| {
            let mut all = wire.query;
            all.extend(wire.body);
            all
        })
        .collect()
}

/// Asserts that `result` is [`Error::InvalidInput`] naming `field` (a check made before any request).
///
/// # Panics
/// With the actual result when it is anything else.
pub fn assert_invalid_input<T: std::fmt::Debug>(result: Result<T, Error>, field: &str) {
    match result {
        Err(Error::InvalidInput { field: actual, .. }) => assert_eq!(actual, field, "InvalidInput names the field"),
        other => panic!("expected InvalidInput for {field}, got {other:?}"),
    }
}
