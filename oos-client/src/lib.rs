//! Typed async client for OOS 2019-06-01 secret (encrypted) parameters: create, read (optionally decrypted), read
//! several, update, delete and list.
//!
//! Parameter values are [`acs_core::SecretString`]s both ways: what you store (`CreateSecretParameter.Value`) and
//! what `WithDecryption=true` returns (`SecretParameter::value`) are redacted in `Debug` and only exposed on purpose.
//! `Names` (GetSecretParameters) and `Constraints` are sent as JSON-string parameters for you; a `ClientToken` is
//! generated for CreateSecretParameter when none is given.
//!
//! ```no_run
//! # async fn demo() -> Result<(), acs_core::Error> {
//! use acs_core::ExposeSecret;
//!
//! let config = acs_core::Config::from_env()?;
//! let oos = oos_client::Client::from_config(&config)?;
//! oos.create_secret_parameter().name("axtSecretPassword").value("s3cret!Pass").send().await?;
//! let read = oos.get_secret_parameter().name("axtSecretPassword").with_decryption(true).send().await?;
//! if let Some(value) = read.parameter.and_then(|p| p.value) {
//!     assert_eq!(value.expose_secret(), "s3cret!Pass");
//! }
//! # Ok(()) }
//! ```

pub mod codes;
pub mod models;
pub mod operations;

mod checks;
mod client_ops;

pub use acs_core;
pub use acs_core::Error;
pub use models::*;
pub use operations::*;

acs_core::service_client! {
    /// OOS client: cheap to clone (shares the connection pool of the wrapped [`acs_core::Client`]).
    pub struct Client;
}
