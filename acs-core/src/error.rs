//! Typed errors: [`Error`] for every client, [`ServiceError`] for error bodies, and error-body parsing.

use crate::credentials::CredentialsError;
use serde_json::{Map, Value};
use std::time::Duration;

/// Errors of every client.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The service answered with an error body.
    #[error("{0}")]
    Service(Box<ServiceError>),
    /// Rejected before any I/O: names the field (wire name, e.g. `InstanceId`) and why.
    #[error("invalid input for {field}: {message}")]
    InvalidInput {
        /// The wire name of the field.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// No credentials could be obtained.
    #[error(transparent)]
    Credentials(CredentialsError),
    /// The request could not be sent or the response not read. The message says it all once: the action, the
    /// endpoint's `host:port` and the root cause, e.g. `RunCommand: could not connect to 127.0.0.1:1: connection
    /// refused`.
    #[error("{message}")]
    Transport {
        /// What failed, where and why.
        message: String,
        /// The underlying HTTP client error (without its URL), to inspect or downcast. It is not returned by
        /// [`std::error::Error::source`]: `message` already names its cause, so printing the chain (e.g. anyhow's
        /// `{:#}`) does not repeat it.
        cause: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// Connecting, waiting for data or the whole attempt took longer than the configured timeout.
    #[error("timeout: {message}")]
    #[non_exhaustive]
    Timeout {
        /// Which timeout fired.
        kind: TimeoutKind,
        /// Which timeout and after how long.
        message: String,
    },
    /// The response body was larger than the configured limit ([`crate::ConfigBuilder::max_response_bytes`]);
    /// reading stopped there. Not retried.
    #[error("the {action} response is larger than the limit of {limit} bytes (max_response_bytes)")]
    ResponseTooLarge {
        /// The action called, e.g. `DescribeInstances`.
        action: String,
        /// The limit, in bytes.
        limit: u64,
        /// HTTP status of the response.
        status: u16,
    },
    /// A response body that could not be parsed (never a panic).
    #[error("could not decode response (HTTP {status}): {message}; body starts with: {body_excerpt}")]
    Decode {
        /// What could not be parsed and why.
        message: String,
        /// HTTP status of the response.
        status: u16,
        /// A short excerpt of the body with secret-looking values redacted.
        body_excerpt: String,
    },
    /// Invalid configuration (missing region, bad endpoint URL, ...).
    #[error("configuration error: {0}")]
    Config(String),
    /// A paginator gave up: the service kept returning pages without items, each with a next cursor.
    #[error("pagination error: {0}")]
    Pagination(String),
    /// A waiter's deadline passed.
    #[error("waiter gave up after {waited:?}; last state: {last_state}")]
    WaiterTimeout {
        /// How long it waited.
        waited: Duration,
        /// The last state the poll function reported.
        last_state: String,
    },
}

/// Which timeout ended an attempt (see [`crate::ConfigBuilder`]'s `connect_timeout`, `read_timeout` and
/// `attempt_timeout`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutKind {
    /// The connection (TCP and TLS) was not established within `connect_timeout`.
    Connect,
    /// No data arrived for `read_timeout` while waiting for the response or reading its body.
    Read,
    /// The whole attempt (connect, send, response and body) took longer than `attempt_timeout` or the per-call
    /// [`crate::CallOptions::attempt_timeout`].
    Attempt,
}

impl Error {
    /// An [`Error::Timeout`] of `kind`.
    pub(crate) fn timeout(kind: TimeoutKind, message: String) -> Self {
        Error::Timeout { kind, message }
    }

    /// Which timeout fired, if this is an [`Error::Timeout`].
    pub fn timeout_kind(&self) -> Option<TimeoutKind> {
        match self {
            Error::Timeout { kind, .. } => Some(*kind),
            _ => None,
        }
    }
}

impl From<CredentialsError> for Error {
    fn from(e: CredentialsError) -> Self {
        Error::Credentials(e)
    }
}

impl From<ServiceError> for Error {
    fn from(e: ServiceError) -> Self {
        Error::Service(Box::new(e))
    }
}

impl Error {
    /// An [`Error::InvalidInput`] naming `field`.
    pub fn invalid_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        Error::InvalidInput { field: field.into(), message: message.into() }
    }

    /// The service error body, if this is one.
    pub fn service_error(&self) -> Option<&ServiceError> {
        match self {
            Error::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The service error code (e.g. `Forbidden.RAM`).
    pub fn code(&self) -> Option<&str> {
        self.service_error().map(|e| e.code.as_str())
    }

    /// The request id of the failed request, when the service returned one.
    pub fn request_id(&self) -> Option<&str> {
        self.service_error().and_then(|e| e.request_id.as_deref())
    }

    /// `Throttling*` or `Rejected.Throttling`.
    pub fn is_throttling(&self) -> bool {
        self.code().is_some_and(is_throttling_code)
    }

    /// The entity does not exist (`EntityNotExist.*`, `*.NotFound`, KMS `Forbidden.KeyNotFound`, ...).
    pub fn is_not_found(&self) -> bool {
        self.code().is_some_and(is_not_found_code)
    }

    /// The entity exists already (`EntityAlreadyExists.*`, `AliasAlreadyExists`, `Rejected.ResourceExist`, ...).
    pub fn is_already_exists(&self) -> bool {
        self.code().is_some_and(|c| {
            c.starts_with("EntityAlreadyExists")
                || c == "AliasAlreadyExists"
                || c == "Rejected.ResourceExist"
                || c.ends_with(".AlreadyExists")
                || c.ends_with(".AlreadyExist")
                || c.ends_with(".Duplicated")
        })
    }

    /// The caller lacks permission (`Forbidden.RAM`, `NoPermission`, `Forbidden.NoPermission`, ...).
    pub fn is_access_denied(&self) -> bool {
        self.code().is_some_and(|c| {
            matches!(
                c,
                "Forbidden.RAM" | "NoPermission" | "Forbidden.NoPermission" | "Forbidden" | "Forbidden.AccessDenied"
            ) || c.starts_with("Forbidden.RAM")
                || c.starts_with("NoPermission.")
        })
    }
}

pub(crate) fn is_throttling_code(code: &str) -> bool {
    code.starts_with("Throttling") || code == "Rejected.Throttling"
}

fn is_not_found_code(c: &str) -> bool {
    // An unknown AccessKey is a credentials problem, not a missing resource.
    if c.starts_with("InvalidAccessKeyId") {
        return false;
    }
    c.starts_with("EntityNotExist.")
        || c.starts_with("EntityNotExists.")
        || c == "EntityNotExist"
        || c == "EntityNotExists"
        || c.ends_with(".NotFound")
        || c.ends_with(".NotExist")
        || c.ends_with(".NotExists")
        || matches!(c, "Forbidden.KeyNotFound" | "Forbidden.AliasNotFound" | "Forbidden.ResourceNotFound")
}

/// An error body from the service.
#[derive(Clone, Debug)]
pub struct ServiceError {
    /// The error code, e.g. `EntityNotExist.User`.
    pub code: String,
    /// The human-readable message.
    pub message: String,
    /// The request id (`RequestId` / `requestId`).
    pub request_id: Option<String>,
    /// The host id (`HostId`).
    pub host_id: Option<String>,
    /// Troubleshooting URL (`Recommend`).
    pub recommend: Option<String>,
    /// HTTP status of the response (or KMS's `HttpStatus` when the status line was 200).
    pub http_status: u16,
    /// On permission denials: which action, principal and policy type denied it.
    pub access_denied_detail: Option<AccessDeniedDetail>,
    /// For `SignatureDoesNotMatch`: the server's string-to-sign, taken from its message.
    pub server_string_to_sign: Option<String>,
    /// For `SignatureDoesNotMatch`: the string-to-sign this client computed, to compare with the server's.
    pub client_string_to_sign: Option<String>,
}

impl std::fmt::Display for ServiceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (HTTP {}): {}", self.code, self.http_status, self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        if let Some(d) = &self.access_denied_detail {
            if let Some(action) = &d.auth_action {
                write!(f, " [denied action {action}")?;
                if let Some(t) = &d.no_permission_type {
                    write!(f, ", {t}")?;
                }
                write!(f, "]")?;
            }
        }
        if let (Some(server), Some(client)) = (&self.server_string_to_sign, &self.client_string_to_sign) {
            write!(f, "\n  server string-to-sign: {server}\n  client string-to-sign: {client}")?;
        }
        if let Some(r) = &self.recommend {
            write!(f, " (see {r})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ServiceError {}

/// Details of a permission denial (`AccessDeniedDetail`).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessDeniedDetail {
    /// The denied action, e.g. `ecs:RunCommand`.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub auth_action: Option<String>,
    /// `SubUser`, `AssumedRoleUser`, ...
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub auth_principal_type: Option<String>,
    /// The account id owning the principal.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub auth_principal_owner_id: Option<String>,
    /// The principal's display name.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub auth_principal_display_name: Option<String>,
    /// `ImplicitDeny` or `ExplicitDeny`.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub no_permission_type: Option<String>,
    /// `AccountLevelIdentityBasedPolicy`, `ResourceGroupLevelIdentityBasedPolicy`, ...
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub policy_type: Option<String>,
    /// An encoded diagnostic message for the console's decoder.
    #[serde(default, deserialize_with = "crate::de::opt_string")]
    pub encoded_diagnostic_message: Option<String>,
}

const EXCERPT_CHARS: usize = 200;
const SENSITIVE_KEY_PARTS: [&str; 6] = ["secret", "password", "plaintext", "token", "credential", "privatekey"];

/// A short excerpt of a body for error messages: JSON string values under secret-looking keys (and under `Value`)
/// are replaced by `"[REDACTED]"`, then the text is cut to 200 characters.
pub(crate) fn body_excerpt(body: &[u8]) -> String {
    let text = match serde_json::from_slice::<Value>(body) {
        Ok(mut v) => {
            redact(&mut v);
            v.to_string()
        }
        Err(_) => String::from_utf8_lossy(body).into_owned(),
    };
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().nth(EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    out
}

fn redact(v: &mut Value) {
    match v {
        // An object or list sent as JSON text (common in these APIs) is redacted inside too.
        Value::String(text) if text.trim_start().starts_with(['{', '[']) => {
            if let Ok(mut inner) = serde_json::from_str::<Value>(text) {
                if inner.is_object() || inner.is_array() {
                    redact(&mut inner);
                    *text = inner.to_string();
                }
            }
        }
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                let lower = k.to_ascii_lowercase();
                // `Value` is how OOS returns a decrypted secret parameter (tag values are redacted along with it).
                let sensitive = lower == "value" || SENSITIVE_KEY_PARTS.iter().any(|p| lower.contains(p));
                if sensitive && !val.is_object() && !val.is_array() {
                    *val = Value::String("[REDACTED]".into());
                } else {
                    redact(val);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

/// A serde_json error as text, with every string it quotes (serde quotes the unexpected value, e.g.
/// `invalid type: string "…", expected u32`, and that value may be a secret) replaced by `"…"`. Field names,
/// which serde puts in backticks, stay.
pub(crate) fn json_error_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        out.push(c);
        if c == '"' {
            // skip the quoted text up to the closing, unescaped quote
            let mut escaped = false;
            for q in chars.by_ref() {
                if escaped {
                    escaped = false;
                } else if q == '\\' {
                    escaped = true;
                } else if q == '"' {
                    break;
                }
            }
            out.push_str("…\"");
        }
    }
    out
}

fn get_str(map: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| match map.get(*k) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    })
}

/// Parses an error body (HTTP status `status`) into a [`ServiceError`], or [`Error::Decode`] when it is not a JSON
/// object carrying an error code (XML, HTML, truncated JSON, ...).
pub(crate) fn parse_error_body(status: u16, body: &[u8], header_request_id: Option<&str>) -> Error {
    let map = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => map,
        Ok(_) => return decode_error("error body is JSON but not an object", status, body),
        Err(e) => {
            let trimmed = String::from_utf8_lossy(body);
            let trimmed = trimmed.trim_start();
            let what = if trimmed.starts_with('<') {
                "error body is XML or HTML, expected JSON (was Format=JSON sent?)".to_owned()
            } else if trimmed.is_empty() {
                "error body is empty".to_owned()
            } else {
                format!("error body is not valid JSON: {e}")
            };
            return decode_error(&what, status, body);
        }
    };
    let Some(code) = get_str(&map, &["Code", "code", "ErrorCode", "errorCode"]) else {
        return decode_error("error body has no Code", status, body);
    };
    let message = get_str(&map, &["Message", "message", "ErrorMessage", "errorMessage"]).unwrap_or_default();
    let http_status = if (200..300).contains(&status) {
        map.get("HttpStatus").and_then(Value::as_u64).and_then(|s| u16::try_from(s).ok()).unwrap_or(status)
    } else {
        status
    };
    let access_denied_detail =
        map.get("AccessDeniedDetail").or_else(|| map.get("accessDeniedDetail")).and_then(|v| match v {
            Value::String(s) => serde_json::from_str::<AccessDeniedDetail>(s).ok(),
            other => serde_json::from_value::<AccessDeniedDetail>(other.clone()).ok(),
        });
    let (message, server_string_to_sign) = if code == "SignatureDoesNotMatch" || code == "IncompleteSignature" {
        // The server quotes its string-to-sign, which under V1 holds the STS token and every parameter value.
        let message = redact_string_to_sign(&message);
        let server = server_string_to_sign(&message);
        (message, server)
    } else {
        (message, None)
    };
    Error::Service(Box::new(ServiceError {
        request_id: get_str(&map, &["RequestId", "requestId"]).or_else(|| header_request_id.map(str::to_owned)),
        host_id: get_str(&map, &["HostId", "hostId"]),
        recommend: get_str(&map, &["Recommend", "recommend"]),
        code,
        message,
        http_status,
        access_denied_detail,
        server_string_to_sign,
        client_string_to_sign: None,
    }))
}

/// Parameter names whose values a V1 string-to-sign must not show (`SecurityToken`, `Password`, `Plaintext`,
/// `SecretData`, ..., and OOS's top-level `Value`).
fn is_secret_param(name: &str) -> bool {
    const PARTS: [&str; 6] = ["secret", "password", "plaintext", "securitytoken", "credential", "privatekey"];
    let lower = name.to_ascii_lowercase();
    name == "Value" || PARTS.iter().any(|p| lower.contains(p))
}

/// `text` (a V1 string-to-sign, or a server message quoting one) with the values of secret parameters replaced by
/// `[REDACTED]`. In a V1 string-to-sign the parameters appear as `Name%3DValue` joined by `%26` (the canonical query
/// encoded once more), so those separators never occur inside a value. A V3 string-to-sign is a hash: unchanged.
pub(crate) fn redact_string_to_sign(text: &str) -> String {
    text.split("%26")
        .map(|pair| {
            let Some(eq) = pair.find("%3D") else { return pair.to_owned() };
            let start = pair[..eq]
                .char_indices()
                .rfind(|(_, c)| *c == '&' || *c == ':' || c.is_whitespace())
                .map_or(0, |(i, c)| i + c.len_utf8());
            if is_secret_param(&pair[start..eq]) {
                format!("{}%3D[REDACTED]", &pair[..eq])
            } else {
                pair.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("%26")
}

/// Whether a 2xx body is an error nonetheless: a JSON object whose top-level `Code`/`code` is not a success marker
/// (`Success`, `200`, `OK`, empty). Some gateways, and KMS with its `HttpStatus` field, answer errors with HTTP 200;
/// no success response of these APIs has a top-level `Code`.
pub(crate) fn is_error_in_success_body(body: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct Probe {
        #[serde(rename = "Code", alias = "code", default)]
        code: Option<Value>,
    }
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return false;
    }
    match serde_json::from_slice::<Probe>(body).map(|p| p.code) {
        Ok(Some(Value::String(code))) => {
            let code = code.trim();
            !(code.is_empty()
                || code == "200"
                || code.eq_ignore_ascii_case("success")
                || code.eq_ignore_ascii_case("ok"))
        }
        Ok(Some(Value::Number(n))) => n.as_u64() != Some(200),
        _ => false,
    }
}

/// The server's string-to-sign in a `SignatureDoesNotMatch` message (`... server string to sign is:XXX`).
pub(crate) fn server_string_to_sign(message: &str) -> Option<String> {
    const MARKERS: [&str; 3] = ["string to sign is:", "stringtosign is:", "string-to-sign is:"];
    let lower = message.to_ascii_lowercase();
    MARKERS.iter().find_map(|m| lower.find(m).map(|i| message[i + m.len()..].trim().trim_end_matches('.').to_owned()))
}

pub(crate) fn decode_error(message: &str, status: u16, body: &[u8]) -> Error {
    Error::Decode { message: message.to_owned(), status, body_excerpt: body_excerpt(body) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_casings() {
        let e = parse_error_body(404, br#"{"code":"EntityNotExist.User","message":"gone","requestId":"R1"}"#, None);
        assert_eq!(e.code(), Some("EntityNotExist.User"));
        assert_eq!(e.request_id(), Some("R1"));
        assert!(e.is_not_found());
        let e = parse_error_body(
            403,
            br#"{"Code":"Forbidden.RAM","Message":"no","RequestId":"R2","HostId":"ecs","Recommend":"https://x",
                "AccessDeniedDetail":{"AuthAction":"ecs:RunCommand","NoPermissionType":"ImplicitDeny"}}"#,
            None,
        );
        let se = e.service_error().unwrap();
        assert_eq!(se.host_id.as_deref(), Some("ecs"));
        assert_eq!(se.recommend.as_deref(), Some("https://x"));
        assert_eq!(se.access_denied_detail.as_ref().unwrap().auth_action.as_deref(), Some("ecs:RunCommand"));
        assert!(e.is_access_denied());
        assert!(e.to_string().contains("ecs:RunCommand"));
    }

    #[test]
    fn kms_http_status_used_when_status_line_is_200() {
        let e = parse_error_body(200, br#"{"Code":"Forbidden.KeyNotFound","Message":"m","HttpStatus":404}"#, None);
        assert_eq!(e.service_error().unwrap().http_status, 404);
        assert!(e.is_not_found());
    }

    #[test]
    fn xml_and_garbage_become_decode_errors() {
        for (body, needle) in [
            (&b"<Error><Code>X</Code></Error>"[..], "XML"),
            (&b"{\"Code\": "[..], "not valid JSON"),
            (&b""[..], "empty"),
            (&b"[1,2]"[..], "not an object"),
            (&b"{\"Message\":\"no code\"}"[..], "no Code"),
        ] {
            match parse_error_body(500, body, None) {
                Error::Decode { message, status, .. } => {
                    assert!(message.contains(needle), "{message}");
                    assert_eq!(status, 500);
                }
                other => panic!("unexpected {other:?}"),
            }
        }
    }

    #[test]
    fn extracts_server_string_to_sign() {
        let msg = "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&A%3D1";
        assert_eq!(server_string_to_sign(msg).as_deref(), Some("POST&%2F&A%3D1"));
        assert_eq!(server_string_to_sign("nothing here"), None);
    }

    proptest::proptest! {
        /// Hostile bodies and messages never panic the error parsing, the redaction or the excerpt.
        #[test]
        fn hostile_error_bodies_never_panic(text in "\\PC*", bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            let body = serde_json::json!({"Code": "SignatureDoesNotMatch", "Message": format!("string to sign is:{text}")});
            let e = parse_error_body(400, body.to_string().as_bytes(), None);
            proptest::prop_assert_eq!(e.code(), Some("SignatureDoesNotMatch"));
            let _ = parse_error_body(500, &bytes, None);
            let _ = body_excerpt(&bytes);
            let _ = is_error_in_success_body(&bytes);
            let redacted = redact_string_to_sign(&text);
            proptest::prop_assert_eq!(redact_string_to_sign(&redacted), redacted);
        }
    }

    #[test]
    fn v1_string_to_sign_redaction_keeps_what_is_not_secret() {
        let sts = "POST&%2F&ClientToken%3Dct%26Name%3Dp%26NewPassword%3Dn%2521%26SecretData%3Dsd%26\
                   SecurityToken%3Dtok%26Tag.1.Value%3Dtv%26Value%3Dv%253D1";
        assert_eq!(
            redact_string_to_sign(sts),
            "POST&%2F&ClientToken%3Dct%26Name%3Dp%26NewPassword%3D[REDACTED]%26SecretData%3D[REDACTED]%26\
             SecurityToken%3D[REDACTED]%26Tag.1.Value%3Dtv%26Value%3D[REDACTED]"
        );
        let v3 = "ACS3-HMAC-SHA256\n0123abcd";
        assert_eq!(redact_string_to_sign(v3), v3);
        // multi-byte whitespace before a name (a hostile server message) must not split a character
        assert_eq!(redact_string_to_sign("is:\u{3000}Password%3Dx"), "is:\u{3000}Password%3D[REDACTED]");
        assert_eq!(redact_string_to_sign("\u{3000}%3Dx%26\u{85}%3D"), "\u{3000}%3Dx%26\u{85}%3D");
        let first = "server string to sign is:POST&%2F&SecurityToken%3Dtok";
        assert_eq!(redact_string_to_sign(first), "server string to sign is:POST&%2F&SecurityToken%3D[REDACTED]");
    }

    #[test]
    fn json_error_messages_do_not_quote_values() {
        let e = serde_json::from_str::<u32>(r#""SENTINEL \" still""#).unwrap_err();
        let m = json_error_message(&e);
        assert!(!m.contains("SENTINEL") && !m.contains("still"), "{m}");
        assert!(m.starts_with("invalid type: string \"…\", expected u32"), "{m}");
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct S {
            a: u32,
        }
        let m = json_error_message(&serde_json::from_str::<S>("{}").unwrap_err());
        assert!(m.contains("missing field `a`"), "{m}");
    }

    #[test]
    fn excerpt_redacts_the_oos_secret_parameter_value() {
        // GetSecretParameter(WithDecryption=true) returns the plaintext as Parameter.Value.
        let body =
            br#"{"RequestId":"r","Parameter":{"Name":"axtSecretPassword","Type":"Secret","Value":"PW-SENTINEL"}}"#;
        let ex = body_excerpt(body);
        assert!(!ex.contains("PW-SENTINEL") && ex.contains("axtSecretPassword"), "{ex}");
    }

    #[test]
    fn excerpt_redacts_inside_json_text_values() {
        let body = br#"{"AccessKey":"{\"AccessKeySecret\":\"SENTINEL\",\"Id\":\"x\"}","Note":"{not json"}"#;
        let ex = body_excerpt(body);
        assert!(!ex.contains("SENTINEL") && ex.contains("Id") && ex.contains("{not json"), "{ex}");
    }

    #[test]
    fn excerpt_redacts_secret_values_and_truncates() {
        let body = br#"{"AccessKey":{"AccessKeySecret":"SENTINEL-SECRET","Id":"x"},"Password":"pw-SENTINEL"}"#;
        let ex = body_excerpt(body);
        assert!(!ex.contains("SENTINEL"), "{ex}");
        let long = vec![b'a'; 1000];
        assert!(body_excerpt(&long).chars().count() <= 201);
    }

    #[test]
    fn classification() {
        let mk = |c: &str| {
            Error::from(ServiceError {
                code: c.into(),
                message: String::new(),
                request_id: None,
                host_id: None,
                recommend: None,
                http_status: 400,
                access_denied_detail: None,
                server_string_to_sign: None,
                client_string_to_sign: None,
            })
        };
        assert!(mk("Throttling.User").is_throttling());
        assert!(mk("Rejected.Throttling").is_throttling());
        assert!(!mk("InvalidParameter").is_throttling());
        assert!(mk("InvalidInstance.NotFound").is_not_found());
        assert!(mk("Forbidden.AliasNotFound").is_not_found());
        assert!(mk("EntityNotExists.Parameter").is_not_found());
        assert!(!mk("Forbidden.RAM").is_not_found());
        assert!(!mk("InvalidAccessKeyId.NotFound").is_not_found());
        assert!(mk("EntityAlreadyExists.User").is_already_exists());
        assert!(mk("Rejected.ResourceExist").is_already_exists());
        assert!(mk("InvalidName.Duplicated").is_already_exists());
        assert!(mk("Forbidden.NoPermission").is_access_denied());
        assert!(!mk("InvalidParameter").is_access_denied());
    }
}
