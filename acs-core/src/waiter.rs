//! Poll with backoff until done or a deadline passes.
//!
//! ```
//! use acs_core::waiter::{wait_until, WaiterConfig};
//! use std::time::Duration;
//! # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
//! let config = WaiterConfig { initial_delay: Duration::from_millis(1), ..WaiterConfig::default() };
//! let mut n = 0;
//! let done = wait_until(&config, || { n += 1; let n = n; async move { Ok((n >= 3).then_some(n)) } }).await?;
//! assert_eq!(done, 3);
//! # Ok::<_, acs_core::Error>(()) }).unwrap();
//! ```

use crate::Error;
use std::future::Future;
use std::time::Duration;

/// Backoff and deadline of a waiter. Default: 500 ms initial delay, doubling up to 5 s, 10 min deadline.
#[derive(Clone, Debug)]
pub struct WaiterConfig {
    /// Delay after the first unfinished poll.
    pub initial_delay: Duration,
    /// Upper bound of the doubling delay.
    pub max_delay: Duration,
    /// Give up with [`Error::WaiterTimeout`] after this long.
    pub deadline: Duration,
}

impl Default for WaiterConfig {
    fn default() -> Self {
        WaiterConfig {
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(5),
            deadline: Duration::from_secs(600),
        }
    }
}

/// Calls `poll` until it returns `Ok(Some(T))` (done) or an error (stop); `Ok(None)` means "not yet".
/// Sleeps between polls with a doubling delay; never sleeps past the deadline, and after it returns
/// [`Error::WaiterTimeout`].
pub async fn wait_until<T, F, Fut>(config: &WaiterConfig, poll: F) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, Error>>,
{
    wait_until_described(config, poll, |_| "not finished".to_owned()).await
}

/// Like [`wait_until`], and on timeout [`Error::WaiterTimeout::last_state`] is `describe(polls)`: `polls` is the
/// number of polls made, and `describe` typically returns the state the last poll observed (e.g. kept in a
/// `Mutex` the poll closure updates), such as `"i-1: Running, i-2: Success"`.
pub async fn wait_until_described<T, F, Fut, D>(config: &WaiterConfig, mut poll: F, describe: D) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Option<T>, Error>>,
    D: Fn(u32) -> String,
{
    let start = tokio::time::Instant::now();
    let mut delay = config.initial_delay;
    let mut attempt: u32 = 0;
    loop {
        attempt = attempt.saturating_add(1);
        if let Some(done) = poll().await? {
            return Ok(done);
        }
        let elapsed = start.elapsed();
        if elapsed >= config.deadline {
            return Err(Error::WaiterTimeout { waited: elapsed, last_state: describe(attempt) });
        }
        let sleep = delay.min(config.deadline - elapsed);
        tokio::time::sleep(sleep).await;
        delay = delay.saturating_mul(2).min(config.max_delay.max(config.initial_delay));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn times_out_with_last_state() {
        let config = WaiterConfig {
            initial_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(4),
            deadline: Duration::from_secs(30),
        };
        let mut polls = 0u32;
        let r: Result<(), Error> = wait_until_described(
            &config,
            || {
                polls += 1;
                async { Ok(None) }
            },
            |n| format!("Running after {n} polls"),
        )
        .await;
        match r {
            Err(Error::WaiterTimeout { waited, last_state }) => {
                assert!(waited >= Duration::from_secs(30));
                assert!(last_state.starts_with("Running after"), "{last_state}");
            }
            other => panic!("unexpected {other:?}"),
        }
        // 1 + 2 + 4 + 4 ... reaches 30 s after 1+2+4*6 = 27, then one clipped sleep: 10 polls.
        assert_eq!(polls, 10);
    }

    #[tokio::test(start_paused = true)]
    async fn huge_delays_do_not_overflow() {
        let config =
            WaiterConfig { initial_delay: Duration::MAX, max_delay: Duration::MAX, deadline: Duration::from_secs(3) };
        let mut polls = 0u32;
        let r: Result<(), Error> = wait_until(&config, || {
            polls += 1;
            async { Ok(None) }
        })
        .await;
        assert!(matches!(r, Err(Error::WaiterTimeout { .. })), "{r:?}");
        assert_eq!(polls, 2, "one poll, one sleep clipped to the deadline, one last poll");
    }

    #[tokio::test(start_paused = true)]
    async fn error_stops_immediately() {
        let mut polls = 0;
        let r: Result<(), Error> = wait_until(&WaiterConfig::default(), || {
            polls += 1;
            async { Err(Error::Config("x".into())) }
        })
        .await;
        assert!(matches!(r, Err(Error::Config(_))));
        assert_eq!(polls, 1);
    }
}
