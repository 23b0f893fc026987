//! Every known-answer vector produced by the official SDKs (`tests/data/signature-vectors.json`) must pass.

use acs_signer::{v1, v3, Credentials};
use serde_json::Value;
use std::collections::BTreeMap;

fn vectors() -> Vec<Value> {
    let text = include_str!("data/signature-vectors.json");
    serde_json::from_str(text).expect("vector file is JSON")
}

fn string_map(v: &Value) -> Vec<(String, String)> {
    let map: BTreeMap<String, String> = serde_json::from_value(v.clone()).expect("string map");
    map.into_iter().collect()
}

#[test]
fn all_vectors_pass() {
    let all = vectors();
    assert!(all.len() >= 21, "expected the full vector set, got {}", all.len());
    let (mut n_v1, mut n_v3) = (0, 0);
    for vector in &all {
        let id = vector["id"].as_str().expect("id");
        let expected = &vector["expected"];
        let secret = vector["access_key_secret"].as_str().expect("secret");
        let method = vector["method"].as_str().expect("method");
        match vector["algorithm"].as_str().expect("algorithm") {
            "HMAC-SHA1" => {
                let params = string_map(&vector["params"]);
                let got = v1::sign(method, &params, secret);
                assert_eq!(got.canonical_query, expected["canonical_query"], "{id}: canonical query");
                assert_eq!(got.string_to_sign, expected["string_to_sign"], "{id}: string to sign");
                assert_eq!(got.signature, expected["signature"], "{id}: signature");
                n_v1 += 1;
            }
            "ACS3-HMAC-SHA256" => {
                let query = string_map(&vector["query"]);
                let headers = string_map(&vector["headers"]);
                let body = vector["body"].as_str().unwrap_or("").as_bytes();
                let creds = Credentials::new(vector["access_key_id"].as_str().expect("id"), secret);
                let request = v3::SignableRequest {
                    method,
                    canonical_uri: vector["canonical_uri"].as_str().unwrap_or("/"),
                    query: &query,
                    headers: &headers,
                    body,
                };
                let got = v3::sign(&request, &creds);
                assert_eq!(got.canonical_request, expected["canonical_request"], "{id}: canonical request");
                assert_eq!(got.string_to_sign, expected["string_to_sign"], "{id}: string to sign");
                assert_eq!(got.signature, expected["signature"], "{id}: signature");
                assert_eq!(got.authorization, expected["authorization"], "{id}: authorization");
                n_v3 += 1;
            }
            other => panic!("{id}: unknown algorithm {other}"),
        }
    }
    assert!(n_v1 > 0 && n_v3 > 0, "both algorithms covered: v1={n_v1} v3={n_v3}");
}

#[test]
fn a_changed_parameter_changes_the_signature() {
    let base = [("Action", "RunCommand"), ("Username", "user01")];
    let changed = [("Action", "RunCommand"), ("Username", "root")];
    assert_ne!(v1::sign("POST", &base, "s").signature, v1::sign("POST", &changed, "s").signature);
}

#[test]
fn v1_sorts_by_raw_key_in_byte_order() {
    let params = [("Tag.2.Key", "b"), ("Tag.10.Key", "c"), ("Tag.1.Key", "a"), ("a", "1"), ("_", "2"), ("Z", "3")];
    let q = v1::canonical_query(&params);
    assert_eq!(q, "Tag.1.Key=a&Tag.10.Key=c&Tag.2.Key=b&Z=3&_=2&a=1");
}

#[test]
fn v3_header_names_are_lowercased_and_trimmed() {
    let creds = Credentials::new("id", "secret");
    let headers = [("Host", " example.com "), ("X-Acs-Action", "A")];
    let q: [(&str, &str); 0] = [];
    let req = v3::SignableRequest { method: "GET", canonical_uri: "/", query: &q, headers: &headers, body: b"" };
    let sig = v3::sign(&req, &creds);
    assert!(sig.canonical_request.contains("\nhost:example.com\nx-acs-action:A\n"), "{}", sig.canonical_request);
    assert_eq!(sig.signed_headers, "host;x-acs-action");
    let (id, signed, value) = v3::parse_authorization(&sig.authorization).expect("parses");
    assert_eq!((id, signed, value), ("id", vec!["host", "x-acs-action"], sig.signature.as_str()));
}
