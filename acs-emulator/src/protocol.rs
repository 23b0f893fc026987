//! The wire protocol: reading a request (V1 over GET query, POST form or a query+form split; V3 with body hashing)
//! and verifying its signature by recomputing it with `acs-signer` (constant-time compare).
//!
//! Rejections use the real gateway codes: `MissingParameter`, `InvalidVersion`, `InvalidAction.NotFound`,
//! `IncompleteSignature`, `InvalidAccessKeyId.NotFound`, `InvalidAccessKeyId.Inactive`, `InvalidTimeStamp.Format`,
//! `InvalidTimeStamp.Expired` (skew over 15 minutes), `SignatureNonceUsed` (replay within 15 minutes),
//! `SignatureDoesNotMatch` (its message carries the server's string-to-sign), `MissingSecurityToken` (an STS
//! AccessKey without its token) and the `InvalidSecurityToken.*` codes; a method other than GET/POST is HTTP 403
//! `UnsupportedHTTPMethod`. A body over 2 MB is HTTP 413 `RequestEntityTooLarge` (the emulator's own code), in the
//! same JSON error shape. Codes, statuses and their sources: [`crate::error_codes`].

use crate::catalog::{self, Service};
use crate::error::ApiError;
use crate::params::Params;
use crate::principal::Principal;
use crate::state::State;
use secrecy::ExposeSecret;
use std::collections::HashMap;

/// Largest accepted clock skew and nonce memory, in seconds.
pub const MAX_SKEW_SECONDS: i64 = 15 * 60;

/// An HTTP request as the protocol layer sees it.
#[derive(Clone, Copy, Debug)]
pub struct HttpRequest<'a> {
    /// `GET` or `POST`.
    pub method: &'a str,
    /// The path (`/`).
    pub path: &'a str,
    /// The raw query string, without `?`.
    pub query: &'a str,
    /// Headers with lower-case names.
    pub headers: &'a [(String, String)],
    /// The exact body bytes.
    pub body: &'a [u8],
}

impl HttpRequest<'_> {
    /// The first value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

#[derive(Clone, Debug)]
enum Signing {
    V1 { pairs: Vec<(String, String)> },
    V3 { query: Vec<(String, String)>, authorization: String },
}

/// A request whose service and action are known, not yet authenticated.
#[derive(Clone, Debug)]
pub struct ParsedRequest {
    /// The service chosen by the API version.
    pub service: Service,
    /// The action.
    pub action: String,
    /// Query ∪ form-body parameters.
    pub params: Params,
    signing: Signing,
}

fn signature_scheme_v3(req: &HttpRequest<'_>) -> Option<String> {
    req.header("authorization").filter(|a| a.trim_start().starts_with(acs_signer::v3::ALGORITHM)).map(str::to_owned)
}

/// Reads the action (returned even when the rest fails, for statistics), service and parameters.
pub fn parse(req: &HttpRequest<'_>) -> (Option<String>, Result<ParsedRequest, ApiError>) {
    if req.method != "GET" && req.method != "POST" {
        let err = ApiError::new(403, "UnsupportedHTTPMethod", format!("HTTP method {} is not supported.", req.method));
        return (None, Err(err));
    }
    let query = match acs_signer::parse_form(req.query) {
        Ok(q) => q,
        Err(_) => return (None, Err(ApiError::invalid_parameter("query", "malformed percent-encoding"))),
    };
    let is_form = req
        .header("content-type")
        .is_some_and(|ct| ct.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded"));
    let mut body_pairs = Vec::new();
    if is_form && !req.body.is_empty() {
        match std::str::from_utf8(req.body).ok().and_then(|b| acs_signer::parse_form(b).ok()) {
            Some(pairs) => body_pairs = pairs,
            None => return (None, Err(ApiError::invalid_parameter("body", "malformed form encoding"))),
        }
    }
    let v3 = signature_scheme_v3(req);
    let mut all = query.clone();
    all.extend(body_pairs);
    let params = Params::from_pairs(all.iter().cloned());
    let (action, version) = if v3.is_some() {
        (req.header("x-acs-action").map(str::to_owned), req.header("x-acs-version").map(str::to_owned))
    } else {
        (params.non_empty("Action").map(str::to_owned), params.non_empty("Version").map(str::to_owned))
    };
    let result = (|| {
        let action = action.clone().filter(|a| !a.is_empty()).ok_or_else(|| ApiError::missing_parameter("Action"))?;
        let version = version.filter(|v| !v.is_empty()).ok_or_else(|| ApiError::missing_parameter("Version"))?;
        let service = Service::from_version(&version).ok_or_else(|| {
            ApiError::bad_request("InvalidVersion", format!("Specified parameter Version is not valid: {version}."))
        })?;
        if catalog::operation(service, &action).is_none() {
            return Err(ApiError::invalid_action(&action));
        }
        let signing = match v3 {
            Some(authorization) => Signing::V3 { query, authorization },
            None => Signing::V1 { pairs: all },
        };
        Ok(ParsedRequest { service, action, params, signing })
    })();
    (action, result)
}

/// Nonces seen in the last 15 minutes, remembered as SHA-256 digests (a nonce's length is up to the caller, so
/// storing it verbatim would let one signed client pin megabytes per request for 15 minutes).
#[derive(Debug, Default)]
pub struct NonceCache {
    seen: HashMap<[u8; 32], i64>,
    inserts: u64,
}

impl NonceCache {
    /// Records `nonce` as seen at `now` (the request's timestamp when that is later, so the nonce outlives every
    /// moment its request is acceptable); `false` when it was already used within [`MAX_SKEW_SECONDS`].
    pub fn insert(&mut self, nonce: &str, now: i64) -> bool {
        self.inserts += 1;
        if self.inserts % 1024 == 0 {
            self.seen.retain(|_, t| *t + MAX_SKEW_SECONDS >= now);
        }
        let mut key = [0u8; 32];
        key.copy_from_slice(ring::digest::digest(&ring::digest::SHA256, nonce.as_bytes()).as_ref());
        match self.seen.get(&key) {
            Some(t) if *t + MAX_SKEW_SECONDS >= now => false,
            _ => {
                self.seen.insert(key, now);
                true
            }
        }
    }
}

/// Checks the skew of a request timestamp; returns it (Unix seconds).
fn check_timestamp(value: &str, now: i64) -> Result<i64, ApiError> {
    let t = acs_signer::parse_timestamp(value).ok_or_else(|| {
        ApiError::bad_request("InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.")
    })?;
    if (now - t).abs() > MAX_SKEW_SECONDS {
        return Err(ApiError::bad_request(
            "InvalidTimeStamp.Expired",
            "Specified time stamp or date value is expired.",
        ));
    }
    Ok(t)
}

fn mismatch(string_to_sign: &str) -> ApiError {
    ApiError::bad_request(
        "SignatureDoesNotMatch",
        format!("Specified signature is not matched with our calculation. server string to sign is:{string_to_sign}"),
    )
}

fn incomplete(why: &str) -> ApiError {
    ApiError::bad_request(
        "IncompleteSignature",
        format!("The request signature does not conform to Aliyun standards: {why}."),
    )
}

/// Verifies the signature, timestamp and nonce, and resolves the caller.
pub fn authenticate(
    parsed: &ParsedRequest,
    req: &HttpRequest<'_>,
    state: &State,
    nonces: &mut NonceCache,
    now: i64,
) -> Result<Principal, ApiError> {
    let p = &parsed.params;
    let (principal, nonce, timestamp) = match &parsed.signing {
        Signing::V1 { pairs } => {
            let key_id = p.required("AccessKeyId")?;
            let signature = p.required("Signature")?;
            if let Some(method) = p.non_empty("SignatureMethod") {
                if method != acs_signer::v1::SIGNATURE_METHOD {
                    return Err(ApiError::invalid_parameter("SignatureMethod", "only HMAC-SHA1 is supported"));
                }
            }
            let timestamp = check_timestamp(p.required("Timestamp")?, now)?;
            let nonce = p.required("SignatureNonce")?;
            let (principal, secret) = state.resolve_access_key(key_id, p.non_empty("SecurityToken"), now)?;
            let expected = acs_signer::v1::sign(req.method, pairs, secret.expose_secret());
            if !acs_signer::signatures_equal(&expected.signature, signature) {
                return Err(mismatch(&expected.string_to_sign));
            }
            (principal, nonce, timestamp)
        }
        Signing::V3 { query, authorization } => {
            let (key_id, signed, signature) = acs_signer::v3::parse_authorization(authorization.trim())
                .ok_or_else(|| incomplete("malformed Authorization header"))?;
            let date = req.header("x-acs-date").ok_or_else(|| ApiError::missing_parameter("x-acs-date"))?;
            let nonce = req
                .header("x-acs-signature-nonce")
                .ok_or_else(|| ApiError::missing_parameter("x-acs-signature-nonce"))?;
            let hash = req
                .header("x-acs-content-sha256")
                .ok_or_else(|| ApiError::missing_parameter("x-acs-content-sha256"))?;
            let timestamp = check_timestamp(date, now)?;
            let signed: Vec<String> = signed.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
            for (name, _) in req.headers.iter().filter(|(k, _)| k.starts_with("x-acs-") || k == "host") {
                if !signed.iter().any(|s| s == name) {
                    return Err(incomplete(&format!("header {name} must be signed")));
                }
            }
            let mut headers = Vec::with_capacity(signed.len());
            for name in &signed {
                let value = req.header(name).ok_or_else(|| incomplete(&format!("signed header {name} is absent")))?;
                headers.push((name.clone(), value.to_owned()));
            }
            let token = req.header("x-acs-security-token");
            let (principal, secret) = state.resolve_access_key(key_id, token, now)?;
            let creds = acs_signer::Credentials::new(key_id, secret.expose_secret());
            let signable = acs_signer::v3::SignableRequest {
                method: req.method,
                canonical_uri: req.path,
                query: query.as_slice(),
                headers: &headers,
                body: req.body,
            };
            let expected = acs_signer::v3::sign(&signable, &creds);
            if !acs_signer::signatures_equal(hash, &acs_signer::v3::content_sha256(req.body)) {
                let mut err = mismatch(&expected.string_to_sign);
                err.message = format!("x-acs-content-sha256 does not match the request body. {}", err.message);
                return Err(err);
            }
            if !acs_signer::signatures_equal(&expected.signature, signature) {
                return Err(mismatch(&expected.string_to_sign));
            }
            (principal, nonce, timestamp)
        }
    };
    // The timestamp stays acceptable until `timestamp + MAX_SKEW_SECONDS`, which is later than
    // `now + MAX_SKEW_SECONDS` for a request stamped ahead of our clock: remember the nonce that long.
    if !nonces.insert(nonce, now.max(timestamp)) {
        return Err(ApiError::bad_request("SignatureNonceUsed", "Specified signature nonce was used already."));
    }
    Ok(principal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req<'a>(method: &'a str, query: &'a str, headers: &'a [(String, String)], body: &'a [u8]) -> HttpRequest<'a> {
        HttpRequest { method, path: "/", query, headers, body }
    }

    #[test]
    fn nonces_are_single_use_within_the_window() {
        let mut cache = NonceCache::default();
        assert!(cache.insert("n1", 1_000));
        assert!(!cache.insert("n1", 1_000 + MAX_SKEW_SECONDS));
        assert!(cache.insert("n2", 1_000));
        // After the window the nonce may be used again (its timestamp would be rejected anyway).
        assert!(cache.insert("n1", 1_000 + MAX_SKEW_SECONDS + 1));
    }

    /// A V1 GET query for `GetCallerIdentity`, signed by the demo root at `timestamp` with `nonce`.
    fn signed_v1_query(timestamp: i64, nonce: &str) -> String {
        let seed = crate::seed::Seed::demo();
        let root = &seed.root_access_keys[0];
        let creds = acs_signer::Credentials::new(&root.id, root.secret.expose_secret());
        let ts = acs_signer::format_timestamp(timestamp);
        let mut pairs = acs_signer::v1::protocol_params("GetCallerIdentity", "2015-04-01", &creds, &ts, nonce);
        let signature = acs_signer::v1::sign("GET", &pairs, root.secret.expose_secret()).signature;
        pairs.push(("Signature".to_owned(), signature));
        pairs
            .iter()
            .map(|(k, v)| format!("{}={}", acs_signer::percent_encode(k), acs_signer::percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    #[test]
    fn a_request_stamped_in_the_future_cannot_be_replayed_while_its_timestamp_is_valid() {
        let state = State::from_seed(&crate::seed::Seed::demo());
        let mut nonces = NonceCache::default();
        let now = 1_700_000_000;
        // Signed 14 minutes ahead (allowed skew): its timestamp stays acceptable until now + 29 minutes.
        let query = signed_v1_query(now + 14 * 60, "future-nonce");
        let request = req("GET", &query, &[], b"");
        let auth = |nonces: &mut NonceCache, at: i64| {
            let parsed = parse(&request).1.map_err(|e| e.code)?;
            authenticate(&parsed, &request, &state, nonces, at).map(|_| ()).map_err(|e| e.code)
        };
        assert_eq!(auth(&mut nonces, now), Ok(()));
        assert_eq!(auth(&mut nonces, now + 16 * 60), Err("SignatureNonceUsed".to_owned()));
        assert_eq!(auth(&mut nonces, now + 28 * 60), Err("SignatureNonceUsed".to_owned()));
        assert_eq!(auth(&mut nonces, now + 30 * 60), Err("InvalidTimeStamp.Expired".to_owned()));
    }

    #[test]
    fn the_nonce_cache_keeps_a_fixed_size_digest_whatever_the_nonce_length() {
        let mut cache = NonceCache::default();
        let huge = "n".repeat(1 << 20);
        assert!(cache.insert(&huge, 1_000));
        assert!(!cache.insert(&huge, 1_001));
        assert!(cache.insert(&huge[1..], 1_001));
        assert!(cache.seen.keys().all(|k| k.len() <= 32), "a signed request's nonce is remembered verbatim");
    }

    #[test]
    fn parse_routes_by_version_and_merges_query_and_form() {
        let headers = vec![("content-type".to_owned(), "application/x-www-form-urlencoded; charset=utf-8".to_owned())];
        let (action, parsed) = parse(&req("POST", "Action=GetUser&Version=2015-05-01", &headers, b"UserName=a%20b+c"));
        assert_eq!(action.as_deref(), Some("GetUser"));
        let parsed = parsed.map_err(|e| e.code);
        assert!(matches!(&parsed, Ok(p) if p.service == Service::Ram && p.params.get("UserName") == Some("a b c")));
    }

    #[test]
    fn parse_rejects_with_gateway_codes() {
        let code = |method: &str, query: &str| parse(&req(method, query, &[], b"")).1.err().map(|e| e.code);
        assert_eq!(code("GET", "Version=2015-05-01").as_deref(), Some("MissingParameter"));
        assert_eq!(code("GET", "Action=GetUser").as_deref(), Some("MissingParameter"));
        assert_eq!(code("GET", "Action=GetUser&Version=2000-01-01").as_deref(), Some("InvalidVersion"));
        assert_eq!(code("GET", "Action=Nope&Version=2015-05-01").as_deref(), Some("InvalidAction.NotFound"));
        let put = parse(&req("PUT", "Action=GetUser&Version=2015-05-01", &[], b"")).1.err().map(|e| (e.status, e.code));
        assert_eq!(put, Some((403, "UnsupportedHTTPMethod".to_owned())));
        assert_eq!(code("GET", "Action=GetUser&Version=2015-05-01&X=%zz").as_deref(), Some("InvalidParameter"));
        // V3 reads the action from the headers, not the query.
        let headers = vec![
            ("authorization".to_owned(), "ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host,Signature=b".to_owned()),
            ("x-acs-version".to_owned(), "2015-04-01".to_owned()),
        ];
        let (action, parsed) = parse(&req("POST", "Action=GetUser", &headers, b""));
        assert_eq!(action, None);
        assert_eq!(parsed.err().map(|e| e.message.contains("Action")), Some(true));
    }

    #[test]
    fn timestamps() {
        let now = 1_700_000_000;
        assert!(check_timestamp(&acs_signer::format_timestamp(now - 899), now).is_ok());
        assert_eq!(
            check_timestamp(&acs_signer::format_timestamp(now + 901), now).err().map(|e| e.code).as_deref(),
            Some("InvalidTimeStamp.Expired")
        );
        assert_eq!(
            check_timestamp("2023-11-14 22:13:20", now).err().map(|e| e.code).as_deref(),
            Some("InvalidTimeStamp.Format")
        );
    }
}
