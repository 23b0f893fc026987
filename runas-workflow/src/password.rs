//! Login passwords that satisfy the account's password policy (GetPasswordPolicy), from `ring`'s system RNG.
//!
//! Every password has at least one lowercase letter, one uppercase letter, one digit and one symbol — whatever
//! the policy requires, so a later tightening of the policy does not invalidate it — and is
//! `max(policy minimum, 20)` characters long (RAM accepts at most 32).

use acs_core::SecretString;
use ram_client::PasswordPolicy;
use ring::rand::SecureRandom;

use crate::error::{Result, WorkflowError};

/// RAM's upper bound on a login password's length.
pub const MAX_PASSWORD_LEN: usize = 32;
/// Length used when the policy asks for less.
pub const DEFAULT_PASSWORD_LEN: usize = 20;

const LOWER: &[u8] = b"abcdefghijkmnopqrstuvwxyz";
const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS: &[u8] = b"23456789";
const SYMBOLS: &[u8] = b"!#%+-=.,:_@^";

/// A fresh password for `policy`. Fails only when the policy's minimum length exceeds RAM's maximum or the RNG fails.
pub fn generate_password(policy: &PasswordPolicy, rng: &dyn SecureRandom) -> Result<SecretString> {
    generate_with(policy, &mut |buf: &mut [u8]| rng.fill(buf).is_ok())
}

/// [`generate_password`] over any byte source (`fill` returns false on failure).
fn generate_with(policy: &PasswordPolicy, fill: &mut dyn FnMut(&mut [u8]) -> bool) -> Result<SecretString> {
    let min = policy.minimum_password_length.unwrap_or(8).max(0) as usize;
    if min > MAX_PASSWORD_LEN {
        return Err(WorkflowError::PasswordPolicy(format!(
            "the password policy asks for at least {min} characters, but RAM accepts at most {MAX_PASSWORD_LEN}"
        )));
    }
    let len = min.max(DEFAULT_PASSWORD_LEN);
    let all: Vec<u8> = [LOWER, UPPER, DIGITS, SYMBOLS].concat();
    let mut chars: Vec<u8> = Vec::with_capacity(len);
    for class in [LOWER, UPPER, DIGITS, SYMBOLS] {
        chars.push(class[uniform(fill, class.len())?]);
    }
    while chars.len() < len {
        chars.push(all[uniform(fill, all.len())?]);
    }
    // Fisher-Yates, so the mandatory characters are not always in front.
    for i in (1..chars.len()).rev() {
        let j = uniform(fill, i + 1)?;
        chars.swap(i, j);
    }
    Ok(SecretString::from(chars.into_iter().map(char::from).collect::<String>()))
}

/// A uniform index in `0..n` (rejection sampling, no modulo bias); `n` is at most 256.
fn uniform(fill: &mut dyn FnMut(&mut [u8]) -> bool, n: usize) -> Result<usize> {
    debug_assert!((1..=256).contains(&n));
    let limit = 256 - (256 % n);
    loop {
        let mut b = [0u8; 1];
        if !fill(&mut b) {
            return Err(WorkflowError::Random);
        }
        if (b[0] as usize) < limit {
            return Ok(b[0] as usize % n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use acs_core::ExposeSecret;
    use ring::rand::SystemRandom;

    fn policy(min: i64) -> PasswordPolicy {
        PasswordPolicy {
            minimum_password_length: Some(min),
            require_lowercase_characters: Some(true),
            require_uppercase_characters: Some(true),
            require_numbers: Some(true),
            require_symbols: Some(true),
            ..PasswordPolicy::default()
        }
    }

    #[test]
    fn satisfies_every_class_and_the_length() {
        let rng = SystemRandom::new();
        for min in [0, 8, 20, 27, 32] {
            for _ in 0..50 {
                let pw = generate_password(&policy(min), &rng).expect("password");
                let pw = pw.expose_secret();
                assert_eq!(pw.chars().count(), (min as usize).max(DEFAULT_PASSWORD_LEN));
                assert!(pw.chars().any(|c| c.is_ascii_lowercase()), "{pw}");
                assert!(pw.chars().any(|c| c.is_ascii_uppercase()), "{pw}");
                assert!(pw.chars().any(|c| c.is_ascii_digit()), "{pw}");
                assert!(pw.chars().any(|c| c.is_ascii_punctuation()), "{pw}");
            }
        }
    }

    #[test]
    fn passwords_differ() {
        let rng = SystemRandom::new();
        let a = generate_password(&PasswordPolicy::default(), &rng).expect("a");
        let b = generate_password(&PasswordPolicy::default(), &rng).expect("b");
        assert_ne!(a.expose_secret(), b.expose_secret());
    }

    #[test]
    fn impossible_policy_is_an_error() {
        let e = generate_password(&policy(40), &SystemRandom::new()).unwrap_err();
        assert!(e.to_string().contains("at most 32"), "{e}");
    }

    #[test]
    fn failing_rng_is_an_error_not_a_panic() {
        let mut broken = |_: &mut [u8]| false;
        assert!(matches!(generate_with(&policy(8), &mut broken), Err(WorkflowError::Random)));
    }
}
