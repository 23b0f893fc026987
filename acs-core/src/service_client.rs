//! [`service_client!`](crate::service_client): the `Client` type of a service crate.

/// Declares the `Client` of a service crate: a cheap-to-clone wrapper of [`Client`](crate::Client) (one connection
/// pool, one credentials cache) with `new(core)`, `from_config(&config)` and `core()`. The service crate adds one
/// method per operation in its own `impl` blocks; the doc comments given to the struct are kept.
///
/// ```
/// acs_core::service_client! {
///     /// Example service client.
///     pub struct Client;
/// }
///
/// let config = acs_core::Config::builder().region("cn-hangzhou").static_credentials("id", "secret").build()?;
/// let client = Client::from_config(&config)?;
/// let same_pool = Client::new(client.core().clone());
/// assert_eq!(same_pool.core().config().region(), Some("cn-hangzhou"));
/// # Ok::<_, acs_core::Error>(())
/// ```
#[macro_export]
macro_rules! service_client {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident;
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug)]
        $vis struct $name {
            inner: $crate::Client,
        }

        impl $name {
            /// Wraps a shared runtime client.
            pub fn new(inner: $crate::Client) -> Self {
                Self { inner }
            }

            /// Builds a runtime client from `config` and wraps it.
            pub fn from_config(config: &$crate::Config) -> ::std::result::Result<Self, $crate::Error> {
                Ok(Self::new($crate::Client::new(config.clone())?))
            }

            /// The wrapped runtime client (to build other service clients over the same pool).
            pub fn core(&self) -> &$crate::Client {
                &self.inner
            }
        }
    };
}
