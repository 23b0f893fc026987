//! Credentials from `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, `ALIBABA_CLOUD_SECURITY_TOKEN`.

use super::{Credentials, CredentialsError, Env, OsEnv, ProvideCredentials};
use futures::future::BoxFuture;
use std::sync::Arc;

/// Reads the AccessKey (and optional STS token) from environment variables.
#[derive(Clone, Debug)]
pub struct EnvironmentProvider {
    env: Arc<dyn Env>,
}

impl Default for EnvironmentProvider {
    fn default() -> Self {
        EnvironmentProvider::new(Arc::new(OsEnv))
    }
}

impl EnvironmentProvider {
    /// Reads from `env`.
    pub fn new(env: Arc<dyn Env>) -> Self {
        EnvironmentProvider { env }
    }

    /// Resolves synchronously.
    pub fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let id = self.env.non_empty("ALIBABA_CLOUD_ACCESS_KEY_ID");
        let secret = self.env.non_empty("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
        match (id, secret) {
            (Some(id), Some(secret)) => {
                let c = Credentials::new(id, secret);
                Ok(match self.env.non_empty("ALIBABA_CLOUD_SECURITY_TOKEN") {
                    Some(t) => c.with_security_token(t),
                    None => c,
                })
            }
            (None, None) => Err(CredentialsError::not_configured(
                "ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET are not set",
            )),
            (Some(_), None) => Err(CredentialsError::new(
                "ALIBABA_CLOUD_ACCESS_KEY_ID is set but ALIBABA_CLOUD_ACCESS_KEY_SECRET is not",
            )),
            (None, Some(_)) => Err(CredentialsError::new(
                "ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but ALIBABA_CLOUD_ACCESS_KEY_ID is not",
            )),
        }
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(futures::future::ready(self.resolve()))
    }
}
