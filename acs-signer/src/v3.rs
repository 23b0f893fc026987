//! Signature V3: `ACS3-HMAC-SHA256` (PROTOCOL.md §3).

use crate::encoding::percent_encode_into;
use crate::{hex_lower, Credentials};
use ring::{digest, hmac};

/// The V3 algorithm name, the first word of `Authorization`.
pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// A request to sign with V3. Headers are signed exactly as given (names compared case-insensitively).
#[derive(Debug, Clone, Copy)]
pub struct SignableRequest<'a, K: AsRef<str>, V: AsRef<str>, HK: AsRef<str>, HV: AsRef<str>> {
    /// HTTP method in upper case.
    pub method: &'a str,
    /// The path, `/` for every RPC-style operation.
    pub canonical_uri: &'a str,
    /// Decoded query parameters.
    pub query: &'a [(K, V)],
    /// Headers to sign: at least `host`, every `x-acs-*` header and `content-type` when there is a body.
    pub headers: &'a [(HK, HV)],
    /// The exact body bytes sent.
    pub body: &'a [u8],
}

/// What V3 signing produced: the `Authorization` header and the strings it was computed from.
#[derive(Clone, PartialEq, Eq)]
pub struct V3Signature {
    /// The canonical request whose SHA-256 is signed.
    pub canonical_request: String,
    /// `ACS3-HMAC-SHA256\n` + hex SHA-256 of the canonical request.
    pub string_to_sign: String,
    /// Lowercase hex HMAC-SHA256.
    pub signature: String,
    /// Lowercase header names joined by `;`.
    pub signed_headers: String,
    /// The value of the `Authorization` header.
    pub authorization: String,
}

impl std::fmt::Debug for V3Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("V3Signature")
            .field("string_to_sign", &self.string_to_sign)
            .field("signed_headers", &self.signed_headers)
            .field("signature", &self.signature)
            .finish_non_exhaustive()
    }
}

/// Lowercase hex SHA-256 of `body`: the value of `x-acs-content-sha256`.
pub fn content_sha256(body: &[u8]) -> String {
    hex_lower(digest::digest(&digest::SHA256, body).as_ref())
}

/// The headers V3 requires (besides `content-type`, which the caller adds when there is a body):
/// `host`, `x-acs-action`, `x-acs-version`, `x-acs-date`, `x-acs-signature-nonce`, `x-acs-content-sha256`,
/// and `x-acs-security-token` for STS credentials.
pub fn protocol_headers(
    host: &str,
    action: &str,
    version: &str,
    date: &str,
    nonce: &str,
    body: &[u8],
    credentials: &Credentials<'_>,
) -> Vec<(String, String)> {
    let mut headers = vec![
        ("host".to_owned(), host.to_owned()),
        ("x-acs-action".to_owned(), action.to_owned()),
        ("x-acs-version".to_owned(), version.to_owned()),
        ("x-acs-date".to_owned(), date.to_owned()),
        ("x-acs-signature-nonce".to_owned(), nonce.to_owned()),
        ("x-acs-content-sha256".to_owned(), content_sha256(body)),
    ];
    if let Some(token) = credentials.security_token {
        headers.push(("x-acs-security-token".to_owned(), token.to_owned()));
    }
    headers
}

/// The canonical query of V3: pairs sorted by raw key then value (byte order), each side percent-encoded,
/// `k=v` joined by `&`; `""` when there is no query.
pub fn canonical_query<K: AsRef<str>, V: AsRef<str>>(query: &[(K, V)]) -> String {
    let mut sorted: Vec<(&str, &str)> = query.iter().map(|(k, v)| (k.as_ref(), v.as_ref())).collect();
    sorted.sort_unstable();
    let mut out = String::new();
    for (i, (k, v)) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        percent_encode_into(k, &mut out);
        out.push('=');
        percent_encode_into(v, &mut out);
    }
    out
}

/// Signs a V3 request with `credentials`.
///
/// ```
/// use acs_signer::{v3, Credentials};
/// let creds = Credentials::new("id", "secret");
/// let headers = v3::protocol_headers("ecs.cn-hangzhou.aliyuncs.com", "DescribeRegions", "2014-05-26",
///     "2024-05-01T12:00:00Z", "nonce-1", b"", &creds);
/// let query: [(&str, &str); 1] = [("RegionId", "cn-hangzhou")];
/// let req = v3::SignableRequest { method: "POST", canonical_uri: "/", query: &query, headers: &headers, body: b"" };
/// let sig = v3::sign(&req, &creds);
/// assert!(sig.authorization.starts_with("ACS3-HMAC-SHA256 Credential=id,SignedHeaders=host;x-acs-action;"));
/// ```
pub fn sign<K, V, HK, HV>(request: &SignableRequest<'_, K, V, HK, HV>, credentials: &Credentials<'_>) -> V3Signature
where
    K: AsRef<str>,
    V: AsRef<str>,
    HK: AsRef<str>,
    HV: AsRef<str>,
{
    let mut headers: Vec<(String, &str)> =
        request.headers.iter().map(|(k, v)| (k.as_ref().trim().to_ascii_lowercase(), v.as_ref().trim())).collect();
    headers.sort_by(|a, b| a.0.cmp(&b.0));
    let signed_headers = headers.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>().join(";");

    let mut canonical_request = String::with_capacity(512);
    canonical_request.push_str(request.method);
    canonical_request.push('\n');
    canonical_request.push_str(request.canonical_uri);
    canonical_request.push('\n');
    canonical_request.push_str(&canonical_query(request.query));
    canonical_request.push('\n');
    for (k, v) in &headers {
        canonical_request.push_str(k);
        canonical_request.push(':');
        canonical_request.push_str(v);
        canonical_request.push('\n');
    }
    canonical_request.push('\n');
    canonical_request.push_str(&signed_headers);
    canonical_request.push('\n');
    canonical_request.push_str(&content_sha256(request.body));

    let string_to_sign = format!("{ALGORITHM}\n{}", content_sha256(canonical_request.as_bytes()));
    let key = hmac::Key::new(hmac::HMAC_SHA256, credentials.access_key_secret.as_bytes());
    let signature = hex_lower(hmac::sign(&key, string_to_sign.as_bytes()).as_ref());
    let authorization = format!(
        "{ALGORITHM} Credential={},SignedHeaders={signed_headers},Signature={signature}",
        credentials.access_key_id
    );
    V3Signature { canonical_request, string_to_sign, signature, signed_headers, authorization }
}

/// Parses an `Authorization` header of V3 into (access key id, signed header names, signature).
pub fn parse_authorization(value: &str) -> Option<(&str, Vec<&str>, &str)> {
    let rest = value.strip_prefix(ALGORITHM)?.trim_start();
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (k, v) = part.trim().split_once('=')?;
        match k {
            "Credential" => credential = Some(v),
            "SignedHeaders" => signed = Some(v.split(';').collect()),
            "Signature" => signature = Some(v),
            _ => {}
        }
    }
    Some((credential?, signed?, signature?))
}
