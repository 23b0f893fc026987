//! Caches credentials and refreshes temporary ones 15 minutes before expiry (half their lifetime when they live
//! shorter than 30 minutes), one refresh at a time.

use super::{Credentials, CredentialsError, ProvideCredentials};
use futures::future::BoxFuture;
use std::time::{Duration, SystemTime};
use tokio::sync::Mutex;

/// Refresh this long before `Expiration`.
pub const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(15 * 60);

/// Wraps a provider: credentials without an expiry are fetched once; temporary credentials are refreshed
/// [`REFRESH_BEFORE_EXPIRY`] before they expire — or, when they were issued for less than twice that (STS allows
/// sessions of 900 s), once half of their lifetime has passed, so short sessions are not re-fetched on every call. Concurrent callers share one refresh (single flight): the
/// first one fetches while the others wait on the same lock and then reuse its result.
#[derive(Debug)]
pub struct CachingProvider<P> {
    inner: P,
    cached: Mutex<Option<Cached>>,
}

/// Credentials with the moment they were fetched (their lifetime decides the refresh window).
#[derive(Debug)]
struct Cached {
    credentials: Credentials,
    fetched_at: SystemTime,
}

impl<P: ProvideCredentials> CachingProvider<P> {
    /// Caches what `inner` returns.
    pub fn new(inner: P) -> Self {
        CachingProvider { inner, cached: Mutex::new(None) }
    }

    async fn get(&self) -> Result<Credentials, CredentialsError> {
        let mut guard = self.cached.lock().await;
        if let Some(c) = guard.as_ref() {
            if is_fresh(&c.credentials, c.fetched_at, SystemTime::now()) {
                return Ok(c.credentials.clone());
            }
        }
        let fresh = self.inner.provide_credentials().await?;
        *guard = Some(Cached { credentials: fresh.clone(), fetched_at: SystemTime::now() });
        Ok(fresh)
    }
}

/// Whether `c`, fetched at `fetched_at`, can still be used at `now`: no expiry, or more left than the refresh
/// window — [`REFRESH_BEFORE_EXPIRY`], or half the lifetime `c` had when fetched if that is shorter.
pub(crate) fn is_fresh(c: &Credentials, fetched_at: SystemTime, now: SystemTime) -> bool {
    match c.expiration {
        None => true,
        Some(exp) => {
            let lifetime = exp.duration_since(fetched_at).unwrap_or(Duration::ZERO);
            let window = REFRESH_BEFORE_EXPIRY.min(lifetime / 2);
            exp.duration_since(now).is_ok_and(|left| left > window)
        }
    }
}

impl<P: ProvideCredentials> ProvideCredentials for CachingProvider<P> {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.get())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[derive(Debug)]
    struct Counting {
        calls: AtomicUsize,
        lifetime: Duration,
    }

    impl ProvideCredentials for Counting {
        fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
            let n = self.calls.fetch_add(1, Ordering::SeqCst);
            let lifetime = self.lifetime;
            Box::pin(async move {
                tokio::task::yield_now().await;
                Ok(Credentials::new(format!("id-{n}"), "s").with_expiration(SystemTime::now() + lifetime))
            })
        }
    }

    #[tokio::test]
    async fn fresh_credentials_are_reused_by_concurrent_callers() {
        let p = Arc::new(CachingProvider::new(Counting {
            calls: AtomicUsize::new(0),
            lifetime: Duration::from_secs(3600),
        }));
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let p = p.clone();
                tokio::spawn(async move { p.provide_credentials().await })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap().unwrap().access_key_id, "id-0");
        }
        assert_eq!(p.inner.calls.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn near_expiry_credentials_are_refreshed() {
        // Issued for 16 minutes: the window is 8 minutes, so they are reused now ...
        let p = CachingProvider::new(Counting { calls: AtomicUsize::new(0), lifetime: Duration::from_secs(960) });
        assert_eq!(p.provide_credentials().await.unwrap().access_key_id, "id-0");
        assert_eq!(p.provide_credentials().await.unwrap().access_key_id, "id-0");
        // ... and refreshed once they are inside it (cached as fetched 10 minutes ago: 6 minutes left).
        {
            let mut guard = p.cached.lock().await;
            let cached = guard.as_mut().unwrap();
            let now = SystemTime::now();
            cached.fetched_at = now - Duration::from_secs(600);
            cached.credentials.expiration = Some(now + Duration::from_secs(360));
        }
        assert_eq!(p.provide_credentials().await.unwrap().access_key_id, "id-1");
        assert_eq!(p.inner.calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn freshness_window() {
        let now = SystemTime::now();
        let c = Credentials::new("a", "b");
        assert!(is_fresh(&c, now, now));
        // Long-lived (1 h): refreshed 15 minutes before expiry.
        let hour_ago = now - Duration::from_secs(44 * 60);
        assert!(is_fresh(&c.clone().with_expiration(now + Duration::from_secs(16 * 60)), hour_ago, now));
        assert!(!is_fresh(&c.clone().with_expiration(now + Duration::from_secs(14 * 60)), hour_ago, now));
        // Short-lived (STS minimum, 900 s): usable for the first half, refreshed in the second.
        assert!(is_fresh(&c.clone().with_expiration(now + Duration::from_secs(900)), now, now));
        let fetched = now - Duration::from_secs(400);
        assert!(is_fresh(&c.clone().with_expiration(now + Duration::from_secs(500)), fetched, now));
        let fetched = now - Duration::from_secs(500);
        assert!(!is_fresh(&c.clone().with_expiration(now + Duration::from_secs(400)), fetched, now));
        // Expired, or already expired when fetched.
        assert!(!is_fresh(&c.clone().with_expiration(now - Duration::from_secs(1)), hour_ago, now));
        assert!(!is_fresh(&c.with_expiration(now - Duration::from_secs(1)), now, now));
    }
}
