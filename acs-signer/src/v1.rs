//! Signature V1: `SignatureMethod=HMAC-SHA1`, `SignatureVersion=1.0` (PROTOCOL.md §2).

use crate::encoding::percent_encode_into;
use crate::{base64_encode, Credentials};
use ring::hmac;

/// The V1 algorithm name, the value of `SignatureMethod`.
pub const SIGNATURE_METHOD: &str = "HMAC-SHA1";
/// The value of `SignatureVersion`.
pub const SIGNATURE_VERSION: &str = "1.0";

/// The protocol parameters every V1 request carries, to be merged with the operation's own parameters.
///
/// `timestamp` is `YYYY-MM-DDThh:mm:ssZ` (see [`crate::format_timestamp`]); `nonce` must be unique per request.
/// `SecurityToken` is included only for STS credentials.
pub fn protocol_params(
    action: &str,
    version: &str,
    credentials: &Credentials<'_>,
    timestamp: &str,
    nonce: &str,
) -> Vec<(String, String)> {
    let mut params = vec![
        ("Action".to_owned(), action.to_owned()),
        ("Version".to_owned(), version.to_owned()),
        ("Format".to_owned(), "JSON".to_owned()),
        ("AccessKeyId".to_owned(), credentials.access_key_id.to_owned()),
        ("SignatureMethod".to_owned(), SIGNATURE_METHOD.to_owned()),
        ("SignatureVersion".to_owned(), SIGNATURE_VERSION.to_owned()),
        ("SignatureNonce".to_owned(), nonce.to_owned()),
        ("Timestamp".to_owned(), timestamp.to_owned()),
    ];
    if let Some(token) = credentials.security_token {
        params.push(("SecurityToken".to_owned(), token.to_owned()));
    }
    params
}

/// What V1 signing produced: the value of the `Signature` parameter and the strings it was computed from.
#[derive(Clone, PartialEq, Eq)]
pub struct V1Signature {
    /// `k=v&...` over every parameter but `Signature`, percent-encoded and sorted by raw key.
    pub canonical_query: String,
    /// `METHOD&%2F&pct(canonical_query)`.
    pub string_to_sign: String,
    /// Base64 HMAC-SHA1: the value to send as the `Signature` parameter (percent-encode it on the wire).
    pub signature: String,
}

/// Shows the signature only: the canonical query and the string-to-sign hold every parameter value, including
/// the STS `SecurityToken` and any password.
impl std::fmt::Debug for V1Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("V1Signature").field("signature", &self.signature).finish_non_exhaustive()
    }
}

/// Builds the canonical query: every pair except `Signature`, sorted by raw key in byte order
/// (ties keep their value order), each side percent-encoded, joined by `&`.
pub fn canonical_query<K: AsRef<str>, V: AsRef<str>>(params: &[(K, V)]) -> String {
    let mut sorted: Vec<(&str, &str)> =
        params.iter().map(|(k, v)| (k.as_ref(), v.as_ref())).filter(|(k, _)| *k != "Signature").collect();
    sorted.sort_unstable();
    let mut out = String::with_capacity(sorted.iter().map(|(k, v)| k.len() + v.len() + 2).sum::<usize>() * 5 / 4);
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

/// Signs a V1 request. `params` is the whole signed set (query ∪ form body) including the protocol parameters;
/// a `Signature` entry, if present, is ignored. `method` is the HTTP method in upper case.
///
/// ```
/// let params = [("Action", "DescribeRegions"), ("AccessKeyId", "testid")];
/// let sig = acs_signer::v1::sign("GET", &params, "testsecret");
/// assert_eq!(sig.canonical_query, "AccessKeyId=testid&Action=DescribeRegions");
/// assert!(sig.string_to_sign.starts_with("GET&%2F&AccessKeyId%3Dtestid"));
/// ```
pub fn sign<K: AsRef<str>, V: AsRef<str>>(method: &str, params: &[(K, V)], access_key_secret: &str) -> V1Signature {
    let canonical_query = canonical_query(params);
    let string_to_sign = string_to_sign(method, &canonical_query);
    let mut key_bytes = Vec::with_capacity(access_key_secret.len() + 1);
    key_bytes.extend_from_slice(access_key_secret.as_bytes());
    key_bytes.push(b'&');
    let key = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, &key_bytes);
    let tag = hmac::sign(&key, string_to_sign.as_bytes());
    V1Signature { canonical_query, string_to_sign, signature: base64_encode(tag.as_ref()) }
}

/// `METHOD & pct("/") & pct(canonical_query)`.
pub fn string_to_sign(method: &str, canonical_query: &str) -> String {
    let mut out = String::with_capacity(method.len() + 4 + canonical_query.len() * 5 / 4);
    out.push_str(method);
    out.push_str("&%2F&");
    percent_encode_into(canonical_query, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_neither_the_token_nor_parameter_values() {
        // The string-to-sign repeats every parameter value (double-encoded), the STS token included.
        let params =
            [("Action", "CreateLoginProfile"), ("SecurityToken", "TOKEN-SENTINEL"), ("Password", "PW-SENTINEL")];
        let sig = sign("POST", &params, "secret");
        let debug = format!("{sig:?}");
        assert!(!debug.contains("SENTINEL"), "{debug}");
        assert!(debug.contains(&sig.signature), "{debug}");
    }
}
