//! Retry policy (PROTOCOL.md §6): which failures are retried, and how long to wait.

use crate::error::is_throttling_code;
use crate::{Error, RetryConfig};
use std::time::Duration;

/// How an attempt failed, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The connection could not be established: the request never reached the server.
    Connect,
    /// Anything after the request may have been sent (timeouts, reset connections, responses).
    Other,
}

/// Whether `error` should be retried. `idempotent` is true for reads and for writes carrying a `ClientToken`.
///
/// Retried always: `Throttling*`, `Rejected.Throttling`, `ServiceUnavailable`, HTTP 429 (a gateway's "Too Many
/// Requests", whatever its body), HTTP 502/503/504, connect errors.
/// Retried only when idempotent: `InternalError`/`InternalFailure`/HTTP 500, timeouts and other transport errors
/// (the request may have been executed). Never: signature, auth, parameter and permission errors.
pub(crate) fn is_retryable(error: &Error, failure: Failure, idempotent: bool) -> bool {
    match error {
        Error::Service(e) => {
            if is_throttling_code(&e.code) || e.code == "ServiceUnavailable" || matches!(e.http_status, 429 | 502..=504)
            {
                return true;
            }
            (e.code == "InternalError" || e.code == "InternalFailure" || e.http_status == 500) && idempotent
        }
        Error::Decode { status, .. } => match status {
            429 | 502..=504 => true,
            500 => idempotent,
            _ => false,
        },
        Error::Transport { .. } => failure == Failure::Connect || idempotent,
        Error::Timeout { .. } => failure == Failure::Connect || idempotent,
        _ => false,
    }
}

/// The wait before attempt `attempt + 1` (after `attempt` failures, `attempt >= 1`): "equal jitter" exponential
/// backoff, `d = min(max, base * 2^(attempt-1))`, wait in `[d/2, d]`; a server's `x-acs-retry-after` is a floor.
/// Never more than `max_delay`. `unit` is a random number in `[0, 1)`.
pub(crate) fn backoff(config: &RetryConfig, attempt: u32, retry_after: Option<Duration>, unit: f64) -> Duration {
    let exp = attempt.saturating_sub(1).min(30);
    let ceiling = config.base_delay.saturating_mul(1u32 << exp).min(config.max_delay);
    let half = ceiling / 2;
    let jittered = half + half.mul_f64(unit.clamp(0.0, 1.0));
    let wait = match retry_after {
        Some(ra) => jittered.max(ra),
        None => jittered,
    };
    wait.min(config.max_delay)
}

/// Parses `x-acs-retry-after`: seconds, integer or decimal.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let secs: f64 = value.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(3600.0)))
}

/// A random number in `[0, 1)` from the system's secure generator (0.5 if it fails).
pub(crate) fn random_unit() -> f64 {
    use ring::rand::SecureRandom;
    let mut b = [0u8; 4];
    match ring::rand::SystemRandom::new().fill(&mut b) {
        Ok(()) => f64::from(u32::from_le_bytes(b)) / (f64::from(u32::MAX) + 1.0),
        Err(_) => 0.5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::parse_error_body;

    fn svc(status: u16, code: &str) -> Error {
        parse_error_body(status, format!(r#"{{"Code":"{code}","Message":"m"}}"#).as_bytes(), None)
    }

    #[test]
    fn classification_by_code_not_status() {
        let o = Failure::Other;
        assert!(is_retryable(&svc(400, "Throttling.User"), o, false));
        assert!(is_retryable(&svc(403, "Throttling"), o, false));
        assert!(is_retryable(&svc(400, "Rejected.Throttling"), o, false));
        assert!(is_retryable(&svc(503, "ServiceUnavailable"), o, false));
        assert!(!is_retryable(&svc(500, "InternalError"), o, false));
        assert!(is_retryable(&svc(500, "InternalError"), o, true));
        assert!(!is_retryable(&svc(400, "SignatureDoesNotMatch"), o, true));
        assert!(!is_retryable(&svc(403, "Forbidden.RAM"), o, true));
        assert!(!is_retryable(&svc(400, "InvalidParameter"), o, true));
        assert!(!is_retryable(&svc(404, "InvalidAccessKeyId.NotFound"), o, true));
        assert!(is_retryable(&parse_error_body(502, b"<html>bad gateway</html>", None), o, false));
        let t = Error::timeout(crate::TimeoutKind::Read, "t".into());
        assert!(!is_retryable(&t, o, false));
        assert!(is_retryable(&t, o, true));
        let c = Error::Transport { message: "refused".into(), cause: None };
        assert!(is_retryable(&c, Failure::Connect, false));
        assert!(!is_retryable(&Error::Config("x".into()), Failure::Connect, true));
        let too_large = Error::ResponseTooLarge { action: "DescribeInstances".into(), limit: 10, status: 200 };
        assert!(!is_retryable(&too_large, o, true));
    }

    #[test]
    fn http_429_is_throttling_whatever_the_body() {
        // A gateway or proxy in front of the service answers 429 Too Many Requests: the request was not processed.
        let o = Failure::Other;
        assert!(is_retryable(&parse_error_body(429, b"<html>Too Many Requests</html>", None), o, false));
        assert!(is_retryable(&parse_error_body(429, b"", None), o, false));
        assert!(is_retryable(&svc(429, "TooManyRequests"), o, false));
        assert!(!is_retryable(&parse_error_body(400, b"<html>Bad Request</html>", None), o, true));
    }

    #[test]
    fn backoff_grows_is_capped_and_honours_retry_after() {
        let c =
            RetryConfig { max_attempts: 10, base_delay: Duration::from_millis(200), max_delay: Duration::from_secs(2) };
        assert_eq!(backoff(&c, 1, None, 0.0), Duration::from_millis(100));
        assert_eq!(backoff(&c, 1, None, 0.999_999), Duration::from_millis(200).min(backoff(&c, 1, None, 0.999_999)));
        assert!(backoff(&c, 1, None, 0.999) <= Duration::from_millis(200));
        assert_eq!(backoff(&c, 3, None, 0.0), Duration::from_millis(400));
        assert_eq!(backoff(&c, 30, None, 0.0), Duration::from_secs(1));
        assert!(backoff(&c, u32::MAX, None, 0.9) <= Duration::from_secs(2));
        assert_eq!(backoff(&c, 1, Some(Duration::from_secs(1)), 0.0), Duration::from_secs(1));
        assert_eq!(backoff(&c, 1, Some(Duration::from_secs(60)), 0.0), Duration::from_secs(2));
    }

    #[test]
    fn retry_after_parsing_and_random() {
        assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
        assert_eq!(parse_retry_after(" 0.5 "), Some(Duration::from_millis(500)));
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("soon"), None);
        let u = random_unit();
        assert!((0.0..1.0).contains(&u));
    }
}
