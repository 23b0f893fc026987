//! RFC 3986 percent-encoding as Alibaba Cloud signs it (PROTOCOL.md §1).

use std::fmt;

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Whether `b` is an RFC 3986 unreserved byte (`A-Z a-z 0-9 - _ . ~`), the only bytes kept as they are.
#[inline]
pub fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// Percent-encodes `input`: UTF-8 bytes, unreserved bytes kept, every other byte as `%XY` (uppercase hex).
///
/// ```
/// assert_eq!(acs_signer::percent_encode("a b*~"), "a%20b%2A~");
/// assert_eq!(acs_signer::percent_encode("中"), "%E4%B8%AD");
/// ```
pub fn percent_encode(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + input.len() / 2);
    percent_encode_into(input, &mut out);
    out
}

/// Appends the percent-encoding of `input` to `out` (no allocation when `out` has room).
pub fn percent_encode_into(input: &str, out: &mut String) {
    out.reserve(input.len());
    let bytes = input.as_bytes();
    let mut run_start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if is_unreserved(b) {
            continue;
        }
        // A non-empty run of unreserved bytes is ASCII that starts after an ASCII byte or at 0, and ends before a
        // byte that follows ASCII: both ends are char boundaries.
        if i > run_start {
            out.push_str(&input[run_start..i]);
        }
        out.push('%');
        out.push(HEX_UPPER[usize::from(b >> 4)] as char);
        out.push(HEX_UPPER[usize::from(b & 0x0F)] as char);
        run_start = i + 1;
    }
    if run_start < bytes.len() {
        out.push_str(&input[run_start..]);
    }
}

/// Why a percent-encoded string could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// A `%` not followed by two hex digits, at this byte offset.
    BadEscape(usize),
    /// The decoded bytes are not UTF-8.
    NotUtf8,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::BadEscape(at) => {
                write!(f, "invalid percent escape at byte {at}: '%' must be followed by two hex digits")
            }
            DecodeError::NotUtf8 => f.write_str("percent-decoded bytes are not valid UTF-8"),
        }
    }
}

impl std::error::Error for DecodeError {}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn decode(input: &str, plus_is_space: bool) -> Result<String, DecodeError> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hi = bytes.get(i + 1).copied().and_then(hex_value);
                let lo = bytes.get(i + 2).copied().and_then(hex_value);
                match (hi, lo) {
                    (Some(h), Some(l)) => out.push(h << 4 | l),
                    _ => return Err(DecodeError::BadEscape(i)),
                }
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| DecodeError::NotUtf8)
}

/// Decodes `%XY` escapes (either hex case); `+` stays `+`. The inverse of [`percent_encode`].
///
/// ```
/// assert_eq!(acs_signer::percent_decode("a%20b%2a").unwrap(), "a b*");
/// ```
pub fn percent_decode(input: &str) -> Result<String, DecodeError> {
    decode(input, false)
}

/// Decodes one `application/x-www-form-urlencoded` component: like [`percent_decode`], and `+` means space.
pub fn form_decode(input: &str) -> Result<String, DecodeError> {
    decode(input, true)
}

/// Parses a query string or form body (`a=1&b=2`) into decoded pairs, in order. A key without `=` has an empty value.
pub fn parse_form(input: &str) -> Result<Vec<(String, String)>, DecodeError> {
    input
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            Ok((form_decode(k)?, form_decode(v)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_the_documented_examples() {
        assert_eq!(percent_encode(" "), "%20");
        assert_eq!(percent_encode("*"), "%2A");
        assert_eq!(percent_encode("~"), "~");
        assert_eq!(percent_encode("!'()"), "%21%27%28%29");
        assert_eq!(percent_encode("中"), "%E4%B8%AD");
        assert_eq!(percent_encode("😀"), "%F0%9F%98%80");
        assert_eq!(percent_encode("a+b/c=d&e:f"), "a%2Bb%2Fc%3Dd%26e%3Af");
        // runs of kept bytes next to multi-byte characters
        assert_eq!(percent_encode("a中b"), "a%E4%B8%ADb");
        assert_eq!(percent_encode("中a"), "%E4%B8%ADa");
        assert_eq!(percent_encode("ab中"), "ab%E4%B8%AD");
        assert_eq!(percent_encode(""), "");
    }

    #[test]
    fn rejects_bad_escapes() {
        assert_eq!(percent_decode("%"), Err(DecodeError::BadEscape(0)));
        assert_eq!(percent_decode("ab%G0"), Err(DecodeError::BadEscape(2)));
        assert_eq!(percent_decode("%FF"), Err(DecodeError::NotUtf8));
    }

    #[test]
    fn parses_forms() {
        let pairs = parse_form("a=1&b=x+y%21&c&=z").unwrap();
        assert_eq!(
            pairs,
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x y!".into()),
                ("c".into(), "".into()),
                ("".into(), "z".into())
            ]
        );
    }
}
