//! Pure request signing for Alibaba Cloud RPC APIs (ECS, RAM, OOS, KMS, STS).
//!
//! No I/O, no clock, no randomness: the time and the nonce are inputs, so every result is reproducible.
//! In the style of `aws-sigv4`, each function takes a signable request and returns what to add to it
//! (the `Signature` parameter for V1, the `Authorization` header for V3) together with the intermediate
//! strings (canonical query or request, string-to-sign) that explain a `SignatureDoesNotMatch`.
//!
//! * [`v1`]: `HMAC-SHA1`, `SignatureVersion=1.0`, parameters in the query or form body.
//! * [`v3`]: `ACS3-HMAC-SHA256`, the official SDKs' current default.
//! * [`percent_encode`]: the one RFC 3986 encoder both use.
//!
//! ```
//! use acs_signer::{v1, Credentials};
//! let creds = Credentials::new("testid", "testsecret");
//! let mut params = v1::protocol_params("DescribeRegions", "2014-05-26", &creds,
//!     "2016-02-23T12:46:24Z", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf");
//! params.retain(|(k, _)| k != "Format");
//! params.push(("Format".into(), "XML".into()));
//! let signed = v1::sign("GET", &params, creds.access_key_secret);
//! assert_eq!(signed.signature, "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
//! ```

mod encoding;
pub mod v1;
pub mod v3;

pub use encoding::{
    form_decode, is_unreserved, parse_form, percent_decode, percent_encode, percent_encode_into, DecodeError,
};

use base64::Engine as _;

/// The credentials a request is signed with. Borrowed, so the caller decides how the secret is stored.
#[derive(Clone, Copy)]
pub struct Credentials<'a> {
    /// The AccessKey ID (not secret; it is sent with the request).
    pub access_key_id: &'a str,
    /// The AccessKey secret: never sent, never printed.
    pub access_key_secret: &'a str,
    /// The STS security token of temporary credentials.
    pub security_token: Option<&'a str>,
}

impl<'a> Credentials<'a> {
    /// Long-term AccessKey credentials.
    pub fn new(access_key_id: &'a str, access_key_secret: &'a str) -> Self {
        Self { access_key_id, access_key_secret, security_token: None }
    }

    /// Adds an STS security token (temporary credentials).
    pub fn with_security_token(mut self, token: &'a str) -> Self {
        self.security_token = Some(token);
        self
    }
}

impl std::fmt::Debug for Credentials<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"** redacted **")
            .field("security_token", &self.security_token.map(|_| "** redacted **"))
            .finish()
    }
}

/// Formats seconds since the Unix epoch as the `Timestamp` / `x-acs-date` value `YYYY-MM-DDThh:mm:ssZ` (UTC).
///
/// ```
/// assert_eq!(acs_signer::format_timestamp(1_456_231_584), "2016-02-23T12:46:24Z");
/// ```
pub fn format_timestamp(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let secs = unix_seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// Parses `YYYY-MM-DDThh:mm:ssZ` back into seconds since the Unix epoch; `None` when malformed.
///
/// ```
/// assert_eq!(acs_signer::parse_timestamp("2016-02-23T12:46:24Z"), Some(1_456_231_584));
/// assert_eq!(acs_signer::parse_timestamp("mock date"), None);
/// ```
pub fn parse_timestamp(value: &str) -> Option<i64> {
    let b = value.as_bytes();
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z'
    {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = value.get(r)?;
        if s.bytes().all(|c| c.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        }
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    Some(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s)
}

/// Days in month `m` (1–12) of year `y` (proleptic Gregorian).
fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's civil-calendar algorithms (public domain).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Standard Base64 (with padding), as V1 signatures and KMS blobs use.
pub fn base64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Lowercase hex.
pub fn hex_lower(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 0x0F)] as char);
    }
    out
}

/// Compares two signatures in constant time (for servers that verify requests).
pub fn signatures_equal(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip() {
        for t in [0i64, 951_782_400, 1_456_231_584, 1_709_251_199, 4_102_444_800] {
            assert_eq!(parse_timestamp(&format_timestamp(t)), Some(t));
        }
        assert_eq!(format_timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_timestamp(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn impossible_dates_are_rejected() {
        for bad in ["2023-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "2024-04-31T12:00:00Z", "1900-02-29T00:00:00Z"] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
        for good in ["2024-02-29T00:00:00Z", "2000-02-29T00:00:00Z", "2024-12-31T23:59:59Z", "2024-04-30T00:00:00Z"] {
            let t = parse_timestamp(good).unwrap_or_else(|| panic!("{good}"));
            assert_eq!(format_timestamp(t), good);
        }
    }

    #[test]
    fn credentials_debug_hides_the_secret() {
        let creds = Credentials::new("id", "SENTINEL-SECRET").with_security_token("SENTINEL-TOKEN");
        let shown = format!("{creds:?}");
        assert!(!shown.contains("SENTINEL"), "{shown}");
    }
}
