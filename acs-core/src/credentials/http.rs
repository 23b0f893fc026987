//! HTTP plumbing shared by the providers that fetch temporary credentials (metadata service, STS, URI).

use super::{Credentials, CredentialsError};
use crate::body::{read_limited, BodyError};
use crate::transport::{host_port, root_cause};
use serde_json::Value;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The largest response body the credential providers accept (metadata service, STS, credentials URI): 1 MiB.
pub const MAX_RESPONSE_BYTES: u64 = 1024 * 1024;

/// A small HTTP client with the given timeouts, or the reason it could not be built. `use_env_proxy: false` is for
/// the link-local metadata service, which must never be reached through `HTTPS_PROXY`/`HTTP_PROXY`.
pub(crate) fn client(connect: Duration, read: Duration, use_env_proxy: bool) -> Result<reqwest::Client, String> {
    let builder = reqwest::Client::builder();
    let builder = if use_env_proxy { builder } else { builder.no_proxy() };
    builder
        .use_rustls_tls()
        .connect_timeout(connect)
        .timeout(read)
        .user_agent(concat!("acs-rust-sdk/", env!("CARGO_PKG_VERSION"), " credentials"))
        .build()
        .map_err(|e| format!("could not build an HTTP client: {e}"))
}

/// The client, or a credentials error explaining why there is none.
pub(crate) fn require(http: &Result<reqwest::Client, String>) -> Result<&reqwest::Client, CredentialsError> {
    http.as_ref().map_err(|e| CredentialsError::new(e.clone()))
}

/// Describes a reqwest error by the server's `host:port` and the root cause, said once (never the URL, whose query
/// may carry a token).
pub(crate) fn describe(e: reqwest::Error) -> String {
    let host = e.url().and_then(host_port).unwrap_or_else(|| "the server".to_owned());
    let e = e.without_url();
    if e.is_timeout() {
        format!("{host} timed out")
    } else if e.is_connect() {
        format!("could not connect to {host}: {}", root_cause(&e))
    } else {
        format!("the request to {host} failed: {}", root_cause(&e))
    }
}

/// Status and body of a response; a body larger than [`MAX_RESPONSE_BYTES`] is an error (a credentials response
/// is a few hundred bytes).
pub(crate) async fn read(resp: reqwest::Response) -> Result<(u16, Vec<u8>), String> {
    let status = resp.status().as_u16();
    match read_limited(resp, MAX_RESPONSE_BYTES).await {
        Ok(body) => Ok((status, body)),
        Err(BodyError::TooLarge) => Err(format!(
            "the response (HTTP {status}) is larger than the limit of {MAX_RESPONSE_BYTES} bytes for credentials responses"
        )),
        Err(BodyError::Read(e)) => Err(describe(e)),
    }
}

/// `2024-05-01T12:00:00Z` → `SystemTime`.
pub(crate) fn parse_expiration(value: &str) -> Option<SystemTime> {
    let secs = acs_signer::parse_timestamp(value.trim())?;
    let secs = u64::try_from(secs).ok()?;
    UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}

fn field<'a>(obj: &'a Value, key: &str) -> Option<&'a str> {
    obj.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// Reads `AccessKeyId`, `AccessKeySecret`, `SecurityToken`, `Expiration` from a JSON object. `source` names the
/// origin for error messages.
pub(crate) fn temporary_credentials(obj: &Value, source: &str) -> Result<Credentials, CredentialsError> {
    let missing = |k: &str| CredentialsError::new(format!("{source}: response has no {k}"));
    let id = field(obj, "AccessKeyId").ok_or_else(|| missing("AccessKeyId"))?;
    let secret = field(obj, "AccessKeySecret").ok_or_else(|| missing("AccessKeySecret"))?;
    let mut c = Credentials::new(id, secret);
    if let Some(t) = field(obj, "SecurityToken") {
        c = c.with_security_token(t);
    }
    if let Some(exp) = field(obj, "Expiration") {
        let at = parse_expiration(exp)
            .ok_or_else(|| CredentialsError::new(format!("{source}: Expiration {exp:?} is not a UTC timestamp")))?;
        c = c.with_expiration(at);
    }
    Ok(c)
}

/// Parses a JSON body; the error names `source` and never quotes the body (it may hold credentials).
pub(crate) fn parse_json(body: &[u8], source: &str) -> Result<Value, CredentialsError> {
    serde_json::from_slice(body).map_err(|e| CredentialsError::new(format!("{source}: response is not JSON ({e})")))
}
