//! Typed async client for KMS 2016-01-20: keys (create, describe, list, enable/disable, schedule/cancel deletion),
//! aliases, Encrypt / Decrypt / GenerateDataKey, and secrets (create, read, delete, list) — 18 operations.
//!
//! Base64 is handled for you where the API wants it: [`EncryptFluentBuilder::plaintext_bytes`] encodes raw bytes,
//! and [`DecryptResponse::plaintext_bytes`] / [`GenerateDataKeyResponse::plaintext_bytes`] decode the plaintext into
//! a [`SecretBytes`]. Plaintexts and secret values are secret types (redacted in `Debug`). `Recipient` and
//! `SecretData` travel in the form body under signature V3, everything else in the query.
//!
//! # Example
//! Create a key, encrypt with an encryption context and decrypt. This example runs, as a doctest, against the
//! built-in emulator (the `acs-emulator` crate), whose KMS really encrypts (AES-256-GCM): the hidden lines start it
//! and build an [`acs_core::Config`] with its `endpoint_url` and root AccessKey.
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
//! use kms_client::{codes, Client};
//!
//! // `config` is `acs_core::Config::from_env()?` on a real account (see below).
//! let kms = Client::from_config(&config)?;
//! let key = kms.create_key().description("quickstart").send().await?;
//! let key_id = key.key_metadata.and_then(|m| m.key_id).ok_or("no KeyId in the answer")?;
//! kms.create_alias().alias_name("alias/axt-key").key_id(&key_id).send().await?;
//!
//! // The encryption context is authenticated: Decrypt must present the same one.
//! let sealed = kms
//!     .encrypt()
//!     .key_id("alias/axt-key")
//!     .plaintext_bytes(b"top secret") // raw bytes: Base64-encoded for you
//!     .encryption_context_entry("purpose", "quickstart")
//!     .send()
//!     .await?;
//! let blob = sealed.ciphertext_blob.ok_or("no CiphertextBlob in the answer")?;
//! let opened = kms.decrypt().ciphertext_blob(&blob).encryption_context_entry("purpose", "quickstart").send().await?;
//! let plaintext = opened.plaintext_bytes()?.ok_or("no Plaintext in the answer")?; // a SecretBytes
//! assert_eq!(plaintext.expose_secret(), b"top secret");
//! let other_context = kms.decrypt().ciphertext_blob(&blob).encryption_context_entry("purpose", "other").send().await;
//! assert!(other_context.is_err());
//!
//! // A refused call is an `acs_core::Error` with the service's code and request id.
//! let no_alias = match kms.encrypt().key_id("alias/no-such-key").plaintext_bytes(b"x").send().await {
//!     Ok(_) => false,
//!     Err(e) if e.code() == Some(codes::FORBIDDEN_ALIAS_NOT_FOUND) => {
//!         eprintln!("no such alias: {e} (request id {})", e.request_id().unwrap_or("-"));
//!         true
//!     }
//!     Err(e) => return Err(e.into()),
//! };
//! assert!(no_alias);
//! # emulator.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Every "not found" code (`Forbidden.KeyNotFound`, `Forbidden.AliasNotFound`, ...) also answers
//! `e.is_not_found()`. For envelope encryption, [`Client::generate_data_key`] returns a data key in plaintext
//! ([`GenerateDataKeyResponse::plaintext_bytes`]) and encrypted under the KMS key.
//!
//! On a real account the same code takes its configuration from the environment: `acs_core::Config::from_env()?`
//! reads the region from `ALIBABA_CLOUD_REGION_ID` and credentials from the default chain
//! (`ALIBABA_CLOUD_ACCESS_KEY_ID` / `ALIBABA_CLOUD_ACCESS_KEY_SECRET` / `ALIBABA_CLOUD_SECURITY_TOKEN`, then OIDC,
//! the aliyun-cli and `~/.alibabacloud/credentials` profiles, the ECS instance RAM role; see
//! [`acs_core::credentials`]). `examples/kms-quickstart.rs` is this example as a program:
//! `cargo run -p kms-client --example kms-quickstart` (emulator) or `... -- --live KEY_ID` (an existing key of
//! yours: a real key cannot be deleted at once, only scheduled for deletion after 7 days or more).

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
