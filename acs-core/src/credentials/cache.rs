//! Caches credentials and refreshes temporary ones 15 minutes before expiry, one refresh at a time.

use super::{Credentials, CredentialsError, ProvideCredentials};
use futures::future::BoxFuture;
use std::time::{Duration, SystemTime};
use tokio::sync::Mutex;

/// Refresh this long before `Expiration`.
pub const REFRESH_BEFORE_EXPIRY: Duration = Duration::from_secs(15 * 60);

/// Wraps a provider: credentials without an expiry are fetched once; temporary credentials are refreshed
/// [`REFRESH_BEFORE_EXPIRY`] before they expire. Concurrent callers share one refresh (single flight): the
/// first one fetches while the others wait on the same lock and then reuse its result.
#[derive(Debug)]
pub struct CachingProvider<P> {
    inner: P,
    cached: Mutex<Option<Credentials>>,
}

impl<P: ProvideCredentials> CachingProvider<P> {
    /// Caches what `inner` returns.
    pub fn new(inner: P) -> Self {
        CachingProvider { inner, cached: Mutex::new(None) }
    }

    async fn get(&self) -> Result<Credentials, CredentialsError> {
        let mut guard = self.cached.lock().await;
        if let Some(c) = guard.as_ref() {
            if is_fresh(c, SystemTime::now()) {
                return Ok(c.clone());
            }
        }
        let fresh = self.inner.provide_credentials().await?;
        *guard = Some(fresh.clone());
        Ok(fresh)
    }
}

/// Whether `c` can still be used at `now` (no expiry, or more than 15 minutes left).
pub(crate) fn is_fresh(c: &Credentials, now: SystemTime) -> bool {
    match c.expiration {
        None => true,
        Some(exp) => exp.duration_since(now).is_ok_and(|left| left > REFRESH_BEFORE_EXPIRY),
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
        let p = CachingProvider::new(Counting { calls: AtomicUsize::new(0), lifetime: Duration::from_secs(600) });
        assert_eq!(p.provide_credentials().await.unwrap().access_key_id, "id-0");
        assert_eq!(p.provide_credentials().await.unwrap().access_key_id, "id-1");
    }

    #[test]
    fn freshness_window() {
        let now = SystemTime::now();
        let c = Credentials::new("a", "b");
        assert!(is_fresh(&c, now));
        assert!(is_fresh(&c.clone().with_expiration(now + Duration::from_secs(16 * 60)), now));
        assert!(!is_fresh(&c.clone().with_expiration(now + Duration::from_secs(14 * 60)), now));
        assert!(!is_fresh(&c.with_expiration(now - Duration::from_secs(1)), now));
    }
}
