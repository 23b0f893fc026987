//! Idempotency tokens (`ClientToken`): a write retried with the same token is applied at most once.
//!
//! ```
//! let token = acs_core::idempotency::client_token()?;
//! assert_eq!(token.len(), 36);
//! # Ok::<_, acs_core::Error>(())
//! ```

use crate::Error;
use ring::rand::SecureRandom as _;

/// A fresh idempotency token: 128 random bits from the system RNG, formatted like a UUID v4
/// (`xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`, lowercase hex).
///
/// Fails with [`Error::Config`] only when the operating system's random number generator fails.
pub fn client_token() -> Result<String, Error> {
    let mut bytes = [0u8; 16];
    ring::rand::SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| Error::Config("the system random number generator failed while creating a ClientToken".into()))?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = acs_signer::hex_lower(&bytes);
    Ok(format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_v4_shape_and_fresh_every_time() {
        let a = client_token().unwrap();
        let b = client_token().unwrap();
        assert_ne!(a, b);
        let groups: Vec<&str> = a.split('-').collect();
        assert_eq!(groups.iter().map(|g| g.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12]);
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_digit() || ('a'..='f').contains(&c)), "{a}");
        assert!(groups[2].starts_with('4'), "version 4: {a}");
        assert!(matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'), "RFC 4122 variant: {a}");
    }
}
