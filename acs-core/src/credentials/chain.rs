//! The default credentials chain (PROTOCOL.md §8).

use super::{Credentials, CredentialsError, Env, EnvironmentProvider, OsEnv, ProvideCredentials};
use futures::future::BoxFuture;
use std::sync::Arc;

/// Tries each provider in order and returns the first credentials found. When every provider fails, the error
/// lists each provider with the reason it was skipped.
#[derive(Debug)]
pub struct DefaultChain {
    providers: Vec<(String, Box<dyn ProvideCredentials>)>,
}

impl DefaultChain {
    /// The default chain over the real environment and home directory.
    pub fn new() -> Self {
        DefaultChain::with_env(Arc::new(OsEnv))
    }

    /// The default chain over `env` (whose `home_dir` locates the profile files).
    pub fn with_env(env: Arc<dyn Env>) -> Self {
        let providers: Vec<(String, Box<dyn ProvideCredentials>)> =
            vec![("environment".to_owned(), Box::new(EnvironmentProvider::new(env)))];
        DefaultChain { providers }
    }

    /// A chain of explicit providers, each with a name used in the error message.
    pub fn from_providers(providers: Vec<(String, Box<dyn ProvideCredentials>)>) -> Self {
        DefaultChain { providers }
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let mut skipped = Vec::new();
        for (name, provider) in &self.providers {
            match provider.provide_credentials().await {
                Ok(c) => {
                    tracing::debug!(provider = %name, "credentials resolved");
                    return Ok(c);
                }
                Err(e) => {
                    tracing::debug!(provider = %name, reason = %e, "credentials provider skipped");
                    skipped.push((name.clone(), e.to_string()));
                }
            }
        }
        Err(CredentialsError::chain(skipped))
    }
}

impl Default for DefaultChain {
    fn default() -> Self {
        DefaultChain::new()
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.resolve())
    }
}
