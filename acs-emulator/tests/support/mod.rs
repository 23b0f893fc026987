//! Test support shared by the emulator's integration tests: a signing HTTP helper that speaks the wire
//! protocol directly with `acs-signer` (never through a client crate).
//!
//! ```ignore
//! mod support;
//! use support::*;
//! let emu = start_demo().await;
//! let root = Creds::root(&emu);
//! let (status, body) = call(&emu.endpoint_url(), &root, RAM, "CreateUser", &[("UserName", "alice")]).await;
//! ```
#![allow(dead_code)]

use acs_emulator::{EmulatorHandle, TempCredentials};
use acs_signer::{v1, v3, Credentials};
use secrecy::ExposeSecret;
use serde_json::Value;

/// ECS API version.
pub const ECS: &str = "2014-05-26";
/// RAM API version.
pub const RAM: &str = "2015-05-01";
/// OOS API version.
pub const OOS: &str = "2019-06-01";
/// KMS API version.
pub const KMS: &str = "2016-01-20";
/// STS API version.
pub const STS: &str = "2015-04-01";

/// Credentials to sign with (owned, for convenience in tests).
#[derive(Clone, Debug)]
pub struct Creds {
    pub id: String,
    pub secret: String,
    pub token: Option<String>,
}

impl Creds {
    /// Long-term key.
    pub fn new(id: &str, secret: &str) -> Creds {
        Creds { id: id.to_owned(), secret: secret.to_owned(), token: None }
    }

    /// The emulator's root key.
    pub fn root(emu: &EmulatorHandle) -> Creds {
        let root = emu.root_credentials();
        Creds::new(&root.access_key_id, root.access_key_secret.expose_secret())
    }

    /// STS credentials.
    pub fn temp(t: &TempCredentials) -> Creds {
        Creds {
            id: t.access_key_id.clone(),
            secret: t.access_key_secret.expose_secret().to_owned(),
            token: Some(t.security_token.expose_secret().to_owned()),
        }
    }

    /// From a JSON `Credentials` object of AssumeRole.
    pub fn from_assume_role(body: &Value) -> Creds {
        let c = &body["Credentials"];
        Creds {
            id: c["AccessKeyId"].as_str().unwrap_or_default().to_owned(),
            secret: c["AccessKeySecret"].as_str().unwrap_or_default().to_owned(),
            token: c["SecurityToken"].as_str().map(str::to_owned),
        }
    }

    /// From a JSON `AccessKey` object of CreateAccessKey.
    pub fn from_access_key(body: &Value) -> Creds {
        let k = &body["AccessKey"];
        Creds::new(k["AccessKeyId"].as_str().unwrap_or_default(), k["AccessKeySecret"].as_str().unwrap_or_default())
    }

    fn signer(&self) -> Credentials<'_> {
        let c = Credentials::new(&self.id, &self.secret);
        match &self.token {
            Some(t) => c.with_security_token(t),
            None => c,
        }
    }
}

/// How to put the request on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// ACS3-HMAC-SHA256, parameters in the query (the official SDKs' default).
    V3,
    /// V3 with every parameter in a form body.
    V3Form,
    /// HMAC-SHA1, everything (incl. Signature) in the GET query.
    V1Get,
    /// HMAC-SHA1 POST with every parameter in the form body.
    V1Post,
    /// HMAC-SHA1 POST: protocol parameters in the query, operation parameters in the form body.
    V1Split,
}

/// A signed request, ready to send (tests may tamper with it first).
#[derive(Clone, Debug)]
pub struct Signed {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Overrides for negative tests.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub timestamp: Option<String>,
    pub nonce: Option<String>,
}

fn host_of(endpoint: &str) -> String {
    endpoint.trim_start_matches("http://").trim_start_matches("https://").trim_end_matches('/').to_owned()
}

fn form(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", acs_signer::percent_encode(k), acs_signer::percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Signs a request.
pub fn sign(
    style: Style,
    endpoint: &str,
    creds: &Creds,
    version: &str,
    action: &str,
    params: &[(&str, &str)],
    o: &Overrides,
) -> Signed {
    let now = acs_emulator::ids::now_unix();
    let timestamp = o.timestamp.clone().unwrap_or_else(|| acs_signer::format_timestamp(now));
    let nonce = o.nonce.clone().unwrap_or_else(|| acs_emulator::ids::random_alnum(32));
    let params: Vec<(String, String)> = params.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let signer = creds.signer();
    let base = endpoint.trim_end_matches('/');
    match style {
        Style::V3 | Style::V3Form => {
            let (query, body) = if style == Style::V3 {
                (params.clone(), Vec::new())
            } else {
                (Vec::new(), form(&params).into_bytes())
            };
            let mut headers =
                v3::protocol_headers(&host_of(endpoint), action, version, &timestamp, &nonce, &body, &signer);
            if !body.is_empty() {
                headers.push(("content-type".into(), "application/x-www-form-urlencoded".into()));
            }
            let req = v3::SignableRequest {
                method: "POST",
                canonical_uri: "/",
                query: &query,
                headers: &headers,
                body: &body,
            };
            let sig = v3::sign(&req, &signer);
            headers.push(("authorization".into(), sig.authorization));
            headers.retain(|(k, _)| k != "host");
            let qs = form(&query);
            Signed {
                method: "POST".into(),
                url: if qs.is_empty() { format!("{base}/") } else { format!("{base}/?{qs}") },
                headers,
                body,
            }
        }
        Style::V1Get | Style::V1Post | Style::V1Split => {
            let method = if style == Style::V1Get { "GET" } else { "POST" };
            let protocol = v1::protocol_params(action, version, &signer, &timestamp, &nonce);
            let mut all = protocol.clone();
            all.extend(params.iter().cloned());
            let sig = v1::sign(method, &all, signer.access_key_secret);
            let signature = ("Signature".to_owned(), sig.signature);
            match style {
                Style::V1Get => {
                    all.push(signature);
                    Signed {
                        method: method.into(),
                        url: format!("{base}/?{}", form(&all)),
                        headers: Vec::new(),
                        body: Vec::new(),
                    }
                }
                Style::V1Post => {
                    all.push(signature);
                    Signed {
                        method: method.into(),
                        url: format!("{base}/"),
                        headers: vec![("content-type".into(), "application/x-www-form-urlencoded".into())],
                        body: form(&all).into_bytes(),
                    }
                }
                _ => {
                    let mut query = protocol;
                    query.push(signature);
                    Signed {
                        method: method.into(),
                        url: format!("{base}/?{}", form(&query)),
                        headers: vec![("content-type".into(), "application/x-www-form-urlencoded".into())],
                        body: form(&params).into_bytes(),
                    }
                }
            }
        }
    }
}

/// Sends a signed request; returns the status and the JSON body (`Value::Null` if not JSON).
pub async fn send(signed: &Signed) -> (u16, Value) {
    let (status, _, body) = send_with_headers(signed).await;
    (status, body)
}

/// Sends a signed request; returns the status, the response headers (names in lower case) and the JSON body.
pub async fn send_with_headers(signed: &Signed) -> (u16, Vec<(String, String)>, Value) {
    let client = reqwest::Client::new();
    let method = reqwest::Method::from_bytes(signed.method.as_bytes()).expect("method");
    let mut req = client.request(method, &signed.url);
    for (k, v) in &signed.headers {
        req = req.header(k, v);
    }
    if !signed.body.is_empty() {
        req = req.body(signed.body.clone());
    }
    let resp = req.send().await.expect("emulator reachable");
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_ascii_lowercase(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let text = resp.text().await.expect("body");
    (status, headers, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Signs (V3, parameters in the query) and sends.
pub async fn call(endpoint: &str, creds: &Creds, version: &str, action: &str, params: &[(&str, &str)]) -> (u16, Value) {
    call_with(Style::V3, endpoint, creds, version, action, params).await
}

/// Signs in `style` and sends.
pub async fn call_with(
    style: Style,
    endpoint: &str,
    creds: &Creds,
    version: &str,
    action: &str,
    params: &[(&str, &str)],
) -> (u16, Value) {
    send(&sign(style, endpoint, creds, version, action, params, &Overrides::default())).await
}

/// Calls and asserts success; returns the body.
pub async fn ok(endpoint: &str, creds: &Creds, version: &str, action: &str, params: &[(&str, &str)]) -> Value {
    let (status, body) = call(endpoint, creds, version, action, params).await;
    assert_eq!(status, 200, "{action} failed: {body}");
    assert!(body["RequestId"].is_string(), "{action}: no RequestId in {body}");
    body
}

/// Calls and asserts the error code; returns the body.
pub async fn fails(
    endpoint: &str,
    creds: &Creds,
    version: &str,
    action: &str,
    params: &[(&str, &str)],
    code: &str,
) -> Value {
    let (status, body) = call(endpoint, creds, version, action, params).await;
    assert_eq!(body["Code"], code, "{action}: expected {code}, got HTTP {status} {body}");
    assert!(status >= 400, "{action}: error with status {status}");
    assert!(body["RequestId"].is_string() && body["HostId"].is_string() && body["Recommend"].is_string(), "{body}");
    body
}

/// Like [`fails`], and the HTTP status must be `status`.
pub async fn fails_with(
    endpoint: &str,
    creds: &Creds,
    version: &str,
    action: &str,
    params: &[(&str, &str)],
    status: u16,
    code: &str,
) -> Value {
    let (got, body) = call(endpoint, creds, version, action, params).await;
    assert_eq!((got, body["Code"].as_str()), (status, Some(code)), "{action}: {body}");
    body
}

/// Starts the demo emulator.
pub async fn start_demo() -> EmulatorHandle {
    acs_emulator::Emulator::builder().start().await.expect("emulator starts")
}

/// Creates a RAM user with an AccessKey and the given policies attached (`System:` or custom by name);
/// returns its credentials.
pub async fn ram_user(emu: &EmulatorHandle, name: &str, system_policies: &[&str], custom: &[(&str, &str)]) -> Creds {
    let ep = emu.endpoint_url();
    let root = Creds::root(emu);
    ok(&ep, &root, RAM, "CreateUser", &[("UserName", name)]).await;
    for p in system_policies {
        ok(&ep, &root, RAM, "AttachPolicyToUser", &[("UserName", name), ("PolicyName", p), ("PolicyType", "System")])
            .await;
    }
    for (policy, doc) in custom {
        let (status, _) = call(&ep, &root, RAM, "GetPolicy", &[("PolicyName", policy), ("PolicyType", "Custom")]).await;
        if status != 200 {
            ok(&ep, &root, RAM, "CreatePolicy", &[("PolicyName", policy), ("PolicyDocument", doc)]).await;
        }
        ok(
            &ep,
            &root,
            RAM,
            "AttachPolicyToUser",
            &[("UserName", name), ("PolicyName", policy), ("PolicyType", "Custom")],
        )
        .await;
    }
    let key = ok(&ep, &root, RAM, "CreateAccessKey", &[("UserName", name)]).await;
    Creds::from_access_key(&key)
}
