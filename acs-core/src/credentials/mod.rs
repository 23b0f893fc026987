//! Credentials: the [`ProvideCredentials`] trait, the providers of the default chain, and the refresh cache.
//!
//! Every provider takes its environment ([`Env`]), home directory and HTTP endpoints as parameters, so it can be
//! tested without touching the machine. [`DefaultChain`] tries them in the order of the official credential
//! libraries and, when none works, returns a [`CredentialsError`] listing why each one was skipped.

mod cache;
mod chain;
mod ecs_metadata;
mod env;
mod environment;
mod http;
mod profile;
mod sts;

pub use cache::{CachingProvider, REFRESH_BEFORE_EXPIRY};
pub use chain::DefaultChain;
pub use ecs_metadata::{EcsMetadataProvider, DEFAULT_METADATA_ENDPOINT};
pub use env::{Env, MapEnv, OsEnv};
pub use environment::EnvironmentProvider;
pub use http::MAX_RESPONSE_BYTES;
pub use profile::{CliProfileProvider, IniFileProvider, ProviderEndpoints};
pub use sts::{
    AssumeRoleProvider, CredentialsUriProvider, OidcProvider, DEFAULT_DURATION_SECONDS, MIN_DURATION_SECONDS,
};

use futures::future::BoxFuture;
use secrecy::{ExposeSecret, SecretString};
use std::time::SystemTime;

/// Resolved credentials: an AccessKey pair, and for temporary (STS) credentials a security token and expiry.
#[derive(Clone)]
pub struct Credentials {
    /// The AccessKey id (not secret).
    pub access_key_id: String,
    /// The AccessKey secret.
    pub access_key_secret: SecretString,
    /// The STS security token of temporary credentials.
    pub security_token: Option<SecretString>,
    /// When temporary credentials expire.
    pub expiration: Option<SystemTime>,
}

impl Credentials {
    /// Long-term AccessKey credentials.
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> Self {
        Credentials {
            access_key_id: id.into(),
            access_key_secret: SecretString::from(secret.into()),
            security_token: None,
            expiration: None,
        }
    }

    /// The same credentials with an STS security token.
    pub fn with_security_token(mut self, token: impl Into<String>) -> Self {
        self.security_token = Some(SecretString::from(token.into()));
        self
    }

    /// The same credentials with an expiry time.
    pub fn with_expiration(mut self, expiration: SystemTime) -> Self {
        self.expiration = Some(expiration);
        self
    }

    /// The borrowed form the signer takes.
    pub fn as_signer(&self) -> acs_signer::Credentials<'_> {
        let c = acs_signer::Credentials::new(&self.access_key_id, self.access_key_secret.expose_secret());
        match &self.security_token {
            Some(t) => c.with_security_token(t.expose_secret()),
            None => c,
        }
    }
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("access_key_secret", &"[REDACTED]")
            .field("security_token", &self.security_token.as_ref().map(|_| "[REDACTED]"))
            .field("expiration", &self.expiration)
            .finish()
    }
}

/// A source of credentials.
pub trait ProvideCredentials: Send + Sync + std::fmt::Debug {
    /// Resolves credentials (may do I/O: read a file, call the metadata service or STS).
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>>;
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for std::sync::Arc<T> {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        (**self).provide_credentials()
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Box<T> {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        (**self).provide_credentials()
    }
}

/// Fixed credentials.
#[derive(Clone, Debug)]
pub struct StaticProvider {
    credentials: Credentials,
}

impl StaticProvider {
    /// Always returns `credentials`.
    pub fn new(credentials: Credentials) -> Self {
        StaticProvider { credentials }
    }
}

impl ProvideCredentials for StaticProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(futures::future::ready(Ok(self.credentials.clone())))
    }
}

/// Why no credentials could be obtained. For a chain, [`Display`](std::fmt::Display) lists why each provider was
/// skipped. Never contains a secret.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.render())]
pub struct CredentialsError {
    message: String,
    skipped: Vec<(String, String)>,
    not_configured: bool,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl CredentialsError {
    /// A provider failed (it was configured but could not produce credentials).
    pub fn new(message: impl Into<String>) -> Self {
        CredentialsError { message: message.into(), skipped: Vec::new(), not_configured: false, source: None }
    }

    /// A provider is not configured here (its variables or files are absent); a chain moves on.
    pub fn not_configured(message: impl Into<String>) -> Self {
        CredentialsError { not_configured: true, ..CredentialsError::new(message) }
    }

    /// The same error with an underlying cause.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// A chain error: `skipped` holds `(provider, reason)` for every provider tried.
    pub fn chain(skipped: Vec<(String, String)>) -> Self {
        CredentialsError {
            message: "no credentials found in the default chain".into(),
            skipped,
            not_configured: true,
            source: None,
        }
    }

    /// The main message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// `(provider, reason)` for every provider a chain skipped.
    pub fn skipped(&self) -> &[(String, String)] {
        &self.skipped
    }

    /// Whether the provider was simply not configured (as opposed to configured but failing).
    pub fn is_not_configured(&self) -> bool {
        self.not_configured
    }

    fn render(&self) -> String {
        let mut s = self.message.clone();
        for (provider, reason) in &self.skipped {
            s.push_str(&format!("\n  - {provider}: {reason}"));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_secrets() {
        let c = Credentials::new("AKID", "SENTINEL-SECRET").with_security_token("SENTINEL-TOKEN");
        let d = format!("{c:?}");
        assert!(d.contains("AKID"));
        assert!(!d.contains("SENTINEL"), "{d}");
        let s = c.as_signer();
        assert_eq!(s.access_key_secret, "SENTINEL-SECRET");
        assert_eq!(s.security_token, Some("SENTINEL-TOKEN"));
    }

    #[test]
    fn chain_error_lists_reasons() {
        let e = CredentialsError::chain(vec![("env".into(), "not set".into()), ("ecs".into(), "disabled".into())]);
        let s = e.to_string();
        assert!(s.contains("env: not set") && s.contains("ecs: disabled"), "{s}");
        assert_eq!(e.skipped().len(), 2);
    }
}
