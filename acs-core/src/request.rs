//! Building signed HTTP requests for V1 and V3 (pure: time and nonce are inputs).

use crate::{Credentials, Error, Method, Operation, SignatureVersion};
use acs_signer::{percent_encode, v1, v3};
use secrecy::ExposeSecret;

/// A request ready to send.
pub(crate) struct SignedRequest {
    /// GET or POST.
    pub method: Method,
    /// The full URL, including the query string.
    pub url: String,
    /// Headers to send (all signed ones for V3, plus `content-type` when there is a body).
    pub headers: Vec<(String, String)>,
    /// The form body (possibly empty).
    pub body: Vec<u8>,
    /// Our string-to-sign, to compare with the server's on `SignatureDoesNotMatch`.
    pub string_to_sign: String,
}

const FORM: &str = "application/x-www-form-urlencoded";

/// `k=v&...` with both sides RFC 3986 percent-encoded (valid as a query string and as a form body).
pub(crate) fn encode_pairs<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&percent_encode(k.as_ref()));
        out.push('=');
        out.push_str(&percent_encode(v.as_ref()));
    }
    out
}

/// Base URL (scheme and authority, no trailing slash) and the `host` header value of `endpoint`.
///
/// Every request goes to the path `/` of the host, so an endpoint with a path, query, fragment or user info is
/// rejected instead of having those parts silently dropped (the message never repeats user info).
pub(crate) fn split_endpoint(endpoint: &str) -> Result<(String, String), Error> {
    let url = reqwest::Url::parse(endpoint).map_err(|e| Error::Config(format!("endpoint_url: {e}")))?;
    let host = url.host_str().ok_or_else(|| Error::Config("endpoint_url has no host".to_owned()))?;
    let extra = if !url.username().is_empty() || url.password().is_some() {
        Some("user info")
    } else if !matches!(url.path(), "" | "/") {
        Some("a path")
    } else if url.query().is_some() {
        Some("a query")
    } else if url.fragment().is_some() {
        Some("a fragment")
    } else {
        None
    };
    if let Some(extra) = extra {
        return Err(Error::Config(format!(
            "endpoint_url for host {host} has {extra}; give only scheme, host and port (requests go to `/`)"
        )));
    }
    let authority = match url.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_owned(),
    };
    Ok((format!("{}://{authority}", url.scheme()), authority))
}

fn with_query(base: &str, query: &str) -> String {
    if query.is_empty() {
        format!("{base}/")
    } else {
        format!("{base}/?{query}")
    }
}

/// Signs one attempt of `op` with `params` (the operation's own parameters).
pub(crate) fn build(
    version: SignatureVersion,
    op: &Operation,
    endpoint: &str,
    params: &[(String, String)],
    credentials: &Credentials,
    timestamp: &str,
    nonce: &str,
) -> Result<SignedRequest, Error> {
    let (base, host) = split_endpoint(endpoint)?;
    check_credentials(credentials)?;
    let signer_creds = credentials.as_signer();
    let api_version = op.service.api_version();
    match version {
        SignatureVersion::V1 => {
            let mut all = v1::protocol_params(op.action, api_version, &signer_creds, timestamp, nonce);
            all.extend(params.iter().cloned());
            let signed = v1::sign(op.method.as_str(), &all, credentials.access_key_secret.expose_secret());
            all.push(("Signature".to_owned(), signed.signature));
            let encoded = encode_pairs(&all);
            Ok(match op.method {
                Method::Get => SignedRequest {
                    method: Method::Get,
                    url: with_query(&base, &encoded),
                    headers: Vec::new(),
                    body: Vec::new(),
                    string_to_sign: signed.string_to_sign,
                },
                Method::Post => SignedRequest {
                    method: Method::Post,
                    url: with_query(&base, ""),
                    headers: vec![("content-type".to_owned(), FORM.to_owned())],
                    body: encoded.into_bytes(),
                    string_to_sign: signed.string_to_sign,
                },
            })
        }
        SignatureVersion::V3 => {
            let (body_pairs, query): (Vec<_>, Vec<_>) =
                params.iter().cloned().partition(|(k, _)| op.method == Method::Post && op.is_body_param(k));
            let body = encode_pairs(&body_pairs).into_bytes();
            let mut headers =
                v3::protocol_headers(&host, op.action, api_version, timestamp, nonce, &body, &signer_creds);
            if !body.is_empty() {
                headers.push(("content-type".to_owned(), FORM.to_owned()));
            }
            let signed = v3::sign(
                &v3::SignableRequest {
                    method: op.method.as_str(),
                    canonical_uri: "/",
                    query: &query,
                    headers: &headers,
                    body: &body,
                },
                &signer_creds,
            );
            headers.push(("authorization".to_owned(), signed.authorization));
            // Unsigned: V3 has no `Format` parameter, so ask for JSON the way the official SDKs do.
            headers.push(("accept".to_owned(), "application/json".to_owned()));
            Ok(SignedRequest {
                method: op.method,
                url: with_query(&base, &encode_pairs(&query)),
                headers,
                body,
                string_to_sign: signed.string_to_sign,
            })
        }
    }
}

/// The AccessKey id and the security token travel in headers (V3) or parameters (V1): a control character, such
/// as the newline a value read from a file keeps, can never be valid and would fail later as an opaque "builder
/// error" (retried), or for the secret as `SignatureDoesNotMatch`. The error names the part, never its value.
fn check_credentials(credentials: &Credentials) -> Result<(), Error> {
    let bad = |v: &str| v.chars().any(char::is_control);
    let part = if bad(&credentials.access_key_id) {
        "AccessKey id"
    } else if bad(credentials.access_key_secret.expose_secret()) {
        "AccessKey secret"
    } else if credentials.security_token.as_ref().is_some_and(|t| bad(t.expose_secret())) {
        "security token"
    } else {
        return Ok(());
    };
    Err(Error::Credentials(crate::CredentialsError::new(format!(
        "the {part} contains a control character (a trailing newline from a file or variable?)"
    ))))
}

/// A fresh nonce: 16 random bytes from the system's secure generator, lowercase hex.
pub(crate) fn new_nonce() -> Result<String, Error> {
    use ring::rand::SecureRandom;
    let mut bytes = [0u8; 16];
    ring::rand::SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| Error::Config("the system random number generator failed".into()))?;
    Ok(acs_signer::hex_lower(&bytes))
}

/// The current time as `YYYY-MM-DDThh:mm:ssZ`.
pub(crate) fn now_timestamp() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0);
    acs_signer::format_timestamp(secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{OperationKind, Service};

    fn params() -> Vec<(String, String)> {
        vec![
            ("SecretName".into(), "n".into()),
            ("SecretData".into(), "a b+c".into()),
            ("VersionId".into(), "v1".into()),
        ]
    }

    #[test]
    fn v3_splits_query_and_body() {
        let op = Operation::new(Service::Kms, "CreateSecret", OperationKind::Write).with_body_params(&["SecretData"]);
        let creds = Credentials::new("id", "secret").with_security_token("tok");
        let r =
            build(SignatureVersion::V3, &op, "http://127.0.0.1:9000", &params(), &creds, "2024-01-01T00:00:00Z", "n1")
                .unwrap();
        assert_eq!(r.url, "http://127.0.0.1:9000/?SecretName=n&VersionId=v1");
        assert_eq!(r.body, b"SecretData=a%20b%2Bc");
        let h = |n: &str| r.headers.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
        assert_eq!(h("host"), Some("127.0.0.1:9000"));
        assert_eq!(h("x-acs-action"), Some("CreateSecret"));
        assert_eq!(h("x-acs-version"), Some("2016-01-20"));
        assert_eq!(h("x-acs-security-token"), Some("tok"));
        assert_eq!(h("content-type"), Some(FORM));
        assert_eq!(h("accept"), Some("application/json"));
        assert!(h("authorization")
            .unwrap()
            .starts_with("ACS3-HMAC-SHA256 Credential=id,SignedHeaders=content-type;host;"));
        assert!(r.string_to_sign.starts_with("ACS3-HMAC-SHA256\n"));
    }

    #[test]
    fn v1_post_puts_everything_in_the_body_and_get_in_the_query() {
        let op = Operation::new(Service::Ecs, "DescribeRegions", OperationKind::Read);
        let creds = Credentials::new("id", "secret");
        let p = vec![("RegionId".to_owned(), "cn-hangzhou".to_owned())];
        let r =
            build(SignatureVersion::V1, &op, "https://ecs.example", &p, &creds, "2024-01-01T00:00:00Z", "n1").unwrap();
        assert_eq!(r.url, "https://ecs.example/");
        let body = String::from_utf8(r.body).unwrap();
        let form = acs_signer::parse_form(&body).unwrap();
        let sig = form.iter().find(|(k, _)| k == "Signature").unwrap().1.clone();
        assert_eq!(sig, acs_signer::v1::sign("POST", &form, "secret").signature);
        assert!(form.iter().any(|(k, v)| k == "Format" && v == "JSON"));
        let g = build(SignatureVersion::V1, &op.with_method(Method::Get), "https://ecs.example", &p, &creds, "t", "n")
            .unwrap();
        assert!(g.url.starts_with("https://ecs.example/?") && g.url.contains("Signature=") && g.body.is_empty());
    }

    #[test]
    fn host_header_keeps_ipv6_brackets_and_explicit_ports() {
        assert_eq!(split_endpoint("http://[::1]:8080").unwrap(), ("http://[::1]:8080".into(), "[::1]:8080".into()));
        assert_eq!(split_endpoint("https://h.example:8443/").unwrap().1, "h.example:8443");
        // reqwest omits a default port from its Host header, and so does the signed `host`.
        assert_eq!(split_endpoint("https://h.example:443").unwrap().1, "h.example");
        assert!(split_endpoint("http://h.example/prefix").is_err());
        let e = split_endpoint("http://user:SENTINEL-PW@h.example").unwrap_err().to_string();
        assert!(!e.contains("SENTINEL-PW") && e.contains("user info"), "{e}");
    }

    #[test]
    fn nonces_differ() {
        let a = new_nonce().unwrap();
        assert_eq!(a.len(), 32);
        assert_ne!(a, new_nonce().unwrap());
        assert!(acs_signer::parse_timestamp(&now_timestamp()).is_some());
    }
}
