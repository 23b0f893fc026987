//! Helpers shared by the wire tests: recompute signatures from what the server received.
#![allow(dead_code)]

use acs_core::{Client, Config, RetryConfig, SignatureVersion};
use std::collections::BTreeMap;
use std::time::Duration;
use wiremock::MockServer;

pub const ID: &str = "AKIDTEST";
pub const SECRET: &str = "SENTINEL-SECRET-VALUE";

pub fn client(server: &MockServer, version: SignatureVersion, attempts: u32) -> Client {
    let config = Config::builder()
        .region("cn-hangzhou")
        .static_credentials(ID, SECRET)
        .signature_version(version)
        .endpoint_url(server.uri())
        .retry(RetryConfig {
            max_attempts: attempts,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_secs(5),
        })
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

pub fn header<'a>(req: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    req.headers.get(name).and_then(|v| v.to_str().ok())
}

pub fn query_pairs(req: &wiremock::Request) -> Vec<(String, String)> {
    req.url.query().map(|q| acs_signer::parse_form(q).unwrap()).unwrap_or_default()
}

pub fn body_pairs(req: &wiremock::Request) -> Vec<(String, String)> {
    let body = std::str::from_utf8(&req.body).unwrap();
    if body.is_empty() {
        Vec::new()
    } else {
        acs_signer::parse_form(body).unwrap()
    }
}

/// Checks a V3 request's Authorization by recomputing it over the headers it lists; returns the query and body
/// parameters.
pub fn verify_v3(req: &wiremock::Request, secret: &str) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let auth = header(req, "authorization").expect("authorization header");
    let (cred, signed_headers, signature) = acs_signer::v3::parse_authorization(auth).expect("parsable authorization");
    let headers: Vec<(String, String)> = signed_headers
        .iter()
        .map(|h| (h.to_string(), header(req, h).unwrap_or_else(|| panic!("signed header {h} missing")).to_owned()))
        .collect();
    let query = query_pairs(req);
    let token = header(req, "x-acs-security-token");
    let mut creds = acs_signer::Credentials::new(cred, secret);
    if let Some(t) = token {
        creds = creds.with_security_token(t);
    }
    let sig = acs_signer::v3::sign(
        &acs_signer::v3::SignableRequest {
            method: req.method.as_str(),
            canonical_uri: req.url.path(),
            query: &query,
            headers: &headers,
            body: &req.body,
        },
        &creds,
    );
    assert_eq!(sig.signature, signature, "V3 signature does not verify");
    assert_eq!(
        header(req, "x-acs-content-sha256"),
        Some(acs_signer::v3::content_sha256(&req.body).as_str()),
        "content hash"
    );
    (query.into_iter().collect(), body_pairs(req).into_iter().collect())
}

/// Checks a V1 request's `Signature` over query ∪ body; returns all parameters.
pub fn verify_v1(req: &wiremock::Request, secret: &str) -> BTreeMap<String, String> {
    let mut all = query_pairs(req);
    all.extend(body_pairs(req));
    let sent = all.iter().find(|(k, _)| k == "Signature").expect("Signature parameter").1.clone();
    let sig = acs_signer::v1::sign(req.method.as_str(), &all, secret);
    assert_eq!(sig.signature, sent, "V1 signature does not verify");
    all.into_iter().collect()
}
