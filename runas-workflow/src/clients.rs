//! The four service clients the workflow uses, built over one connection pool from one [`acs_core::Config`].

use acs_core::Config;

/// ECS, RAM, OOS and KMS clients sharing one [`acs_core::Client`] (one connection pool, one credentials cache).
#[derive(Clone, Debug)]
pub struct Clients {
    /// ECS (Cloud Assistant, instance RAM roles).
    pub ecs: ecs_client::Client,
    /// RAM (users, policies, roles).
    pub ram: ram_client::Client,
    /// OOS (encrypted parameters).
    pub oos: oos_client::Client,
    /// KMS (keys).
    pub kms: kms_client::Client,
}

impl Clients {
    /// Builds the four clients from `config`.
    pub fn new(config: &Config) -> Result<Clients, acs_core::Error> {
        Ok(Clients::over(acs_core::Client::new(config.clone())?))
    }

    /// Wraps an existing runtime client four times.
    pub fn over(core: acs_core::Client) -> Clients {
        Clients {
            ecs: ecs_client::Client::new(core.clone()),
            ram: ram_client::Client::new(core.clone()),
            oos: oos_client::Client::new(core.clone()),
            kms: kms_client::Client::new(core),
        }
    }

    /// The configuration the clients were built from.
    pub fn config(&self) -> &Config {
        self.ecs.core().config()
    }

    /// The same settings (endpoint, region, signature version, timeouts, retries) with another AccessKey.
    pub fn with_access_key(&self, id: &str, secret: &str) -> Result<Clients, acs_core::Error> {
        let base = self.config();
        let mut b = Config::builder()
            .static_credentials(id, secret)
            .signature_version(base.signature_version())
            .network(base.network())
            .connect_timeout(base.connect_timeout())
            .read_timeout(base.read_timeout())
            .retry(base.retry().clone());
        if let Some(r) = base.region() {
            b = b.region(r);
        }
        if let Some(url) = base.endpoint_url() {
            b = b.endpoint_url(url);
        }
        Clients::new(&b.build()?)
    }
}
