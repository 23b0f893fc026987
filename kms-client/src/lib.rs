//! Typed async client for KMS 2016-01-20: keys (create, describe, list, enable/disable, schedule/cancel deletion),
//! aliases, Encrypt / Decrypt / GenerateDataKey, and secrets (create, read, delete, list) — 18 operations.
//!
//! Base64 is handled for you where the API wants it: [`EncryptFluentBuilder::plaintext_bytes`] encodes raw bytes,
//! and [`DecryptResponse::plaintext_bytes`] / [`GenerateDataKeyResponse::plaintext_bytes`] decode the plaintext into
//! a [`SecretBytes`]. Plaintexts and secret values are secret types (redacted in `Debug`). `Recipient` and
//! `SecretData` travel in the form body under signature V3, everything else in the query.
//!
//! ```no_run
//! # async fn demo() -> Result<(), acs_core::Error> {
//! use acs_core::ExposeSecret;
//!
//! let config = acs_core::Config::from_env()?;
//! let kms = kms_client::Client::from_config(&config)?;
//! let sealed = kms.encrypt().key_id("alias/axt-key").plaintext_bytes(b"top secret").send().await?;
//! let blob = sealed.ciphertext_blob.unwrap_or_default();
//! let opened = kms.decrypt().ciphertext_blob(blob).send().await?;
//! if let Some(bytes) = opened.plaintext_bytes()? {
//!     assert_eq!(bytes.expose_secret(), b"top secret");
//! }
//! # Ok(()) }
//! ```

pub mod codes;
pub mod models;
pub mod operations;
pub mod plaintext;

mod checks;
mod client_ops;

pub use acs_core;
pub use acs_core::Error;
pub use models::*;
pub use operations::*;
pub use plaintext::SecretBytes;

acs_core::service_client! {
    /// KMS client: cheap to clone (shares the connection pool of the wrapped [`acs_core::Client`]).
    pub struct Client;
}
