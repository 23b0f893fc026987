//! The default credentials chain (PROTOCOL.md §8).

use super::{
    CliProfileProvider, Credentials, CredentialsError, CredentialsUriProvider, EcsMetadataProvider, Env,
    EnvironmentProvider, IniFileProvider, OidcProvider, OsEnv, ProvideCredentials, ProviderEndpoints,
};
use futures::future::BoxFuture;
use std::sync::Arc;

/// Tries each provider in order and returns the first credentials found. When every provider fails, the error
/// lists each provider with the reason it was skipped.
///
/// Order (as the official Go/Python credential libraries): environment variables, OIDC (RRSA), aliyun-cli
/// profile (`~/.aliyun/config.json`), credentials INI file (`~/.alibabacloud/credentials`), ECS instance RAM role
/// (metadata service), `ALIBABA_CLOUD_CREDENTIALS_URI`.
#[derive(Debug)]
pub struct DefaultChain {
    providers: Vec<(String, Box<dyn ProvideCredentials>)>,
}

#[derive(Debug)]
struct OidcFromEnv {
    env: Arc<dyn Env>,
    endpoints: ProviderEndpoints,
}

impl ProvideCredentials for OidcFromEnv {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            let mut p = OidcProvider::from_env(&*self.env)?;
            if let Some(url) = &self.endpoints.sts {
                p = p.with_endpoint(url.clone());
            }
            p.provide_credentials().await
        })
    }
}

#[derive(Debug)]
struct UriFromEnv {
    env: Arc<dyn Env>,
}

impl ProvideCredentials for UriFromEnv {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { CredentialsUriProvider::from_env(&*self.env)?.provide_credentials().await })
    }
}

impl DefaultChain {
    /// The default chain over the real environment and home directory.
    pub fn new() -> Self {
        DefaultChain::with_env(Arc::new(OsEnv))
    }

    /// The default chain over `env` (whose `home_dir` locates the profile files).
    pub fn with_env(env: Arc<dyn Env>) -> Self {
        DefaultChain::with_env_and_endpoints(env, ProviderEndpoints::default())
    }

    /// The default chain over `env`, with STS and metadata-service endpoint overrides (for tests).
    pub fn with_env_and_endpoints(env: Arc<dyn Env>, endpoints: ProviderEndpoints) -> Self {
        let mut metadata = EcsMetadataProvider::new(env.clone());
        if let Some(url) = &endpoints.metadata {
            metadata = metadata.with_endpoint(url.clone());
        }
        let providers: Vec<(String, Box<dyn ProvideCredentials>)> = vec![
            ("environment".to_owned(), Box::new(EnvironmentProvider::new(env.clone()))),
            ("oidc".to_owned(), Box::new(OidcFromEnv { env: env.clone(), endpoints: endpoints.clone() })),
            (
                "aliyun-cli profile".to_owned(),
                Box::new(CliProfileProvider::new(env.clone()).with_endpoints(endpoints.clone())),
            ),
            (
                "credentials file".to_owned(),
                Box::new(IniFileProvider::new(env.clone()).with_endpoints(endpoints.clone())),
            ),
            ("ecs metadata".to_owned(), Box::new(metadata)),
            ("credentials uri".to_owned(), Box::new(UriFromEnv { env })),
        ];
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
