//! Typed async client for OOS 2019-06-01 secret (encrypted) parameters: create, read (optionally decrypted), read
//! several, update, delete and list.
//!
//! Parameter values are [`acs_core::SecretString`]s both ways: what you store (`CreateSecretParameter.Value`) and
//! what `WithDecryption=true` returns (`SecretParameter::value`) are redacted in `Debug` and only exposed on purpose.
//! `Names` (GetSecretParameters) and `Constraints` are sent as JSON-string parameters for you; a `ClientToken` is
//! generated for CreateSecretParameter when none is given.
//!
//! # Example
//! Store a secret parameter and read it back decrypted. This example runs, as a doctest, against the built-in
//! emulator (the `acs-emulator` crate): the hidden lines start it and build an [`acs_core::Config`] with its
//! `endpoint_url` and root AccessKey.
//!
//! ```
//! # #[tokio::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let emulator = acs_emulator::Emulator::builder().start().await?;
//! # let root = emulator.root_credentials();
//! # let config = acs_core::Config::builder()
//! #     .endpoint_url(emulator.endpoint_url())
//! #     .region("cn-hangzhou")
//! #     .static_credentials(root.access_key_id.clone(), root.access_key_secret.expose_secret())
//! #     .build()?;
//! use acs_core::ExposeSecret;
//! use oos_client::{codes, Client};
//!
//! // `config` is `acs_core::Config::from_env()?` on a real account (see below).
//! let oos = Client::from_config(&config)?;
//! oos.create_secret_parameter()
//!     .name("axtSecretPassword")
//!     .value("s3cret!Pass") // encrypted with the account's default KMS key unless you set key_id
//!     .description("password of user01")
//!     .send()
//!     .await?;
//!
//! let read = oos.get_secret_parameter().name("axtSecretPassword").with_decryption(true).send().await?;
//! let parameter = read.parameter.ok_or("no parameter in the answer")?;
//! let value = parameter.value.ok_or("no value: WithDecryption was not honoured")?;
//! println!("{:?} version {:?}: {value:?}", parameter.name, parameter.parameter_version); // the value prints redacted
//! assert_eq!(value.expose_secret(), "s3cret!Pass");
//!
//! // A refused call is an `acs_core::Error` with the service's code and request id.
//! let missing = match oos.get_secret_parameter().name("noSuchParameter").send().await {
//!     Ok(_) => false,
//!     Err(e) if e.code() == Some(codes::ENTITY_NOT_EXISTS_PARAMETER) => {
//!         eprintln!("not there: {e} (request id {})", e.request_id().unwrap_or("-"));
//!         true
//!     }
//!     Err(e) => return Err(e.into()),
//! };
//! assert!(missing);
//! # emulator.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Without `with_decryption(true)` the answer carries no value. Reading decrypted also needs the dependent action
//! `kms:GetSecretValue` for a RAM user or role; a denial is `e.is_access_denied()`, with the details in
//! `e.service_error()`.
//!
//! On a real account the same code takes its configuration from the environment: `acs_core::Config::from_env()?`
//! reads the region from `ALIBABA_CLOUD_REGION_ID` and credentials from the default chain
//! (`ALIBABA_CLOUD_ACCESS_KEY_ID` / `ALIBABA_CLOUD_ACCESS_KEY_SECRET` / `ALIBABA_CLOUD_SECURITY_TOKEN`, then OIDC,
//! the aliyun-cli and `~/.alibabacloud/credentials` profiles, the ECS instance RAM role; see
//! [`acs_core::credentials`]). `examples/oos-quickstart.rs` is this example as a program that also cleans up:
//! `cargo run -p oos-client --example oos-quickstart` (emulator) or `... -- --live` (your account).

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
