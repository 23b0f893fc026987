//! Typed async client for RAM 2015-05-01: users, login profiles, AccessKeys, custom policies and their versions,
//! roles, policy attachments and the password policy (35 operations).
//!
//! Policy documents go in as a [`ram_policy::PolicyDocument`] or as raw JSON text (anything implementing
//! [`IntoPolicyJson`]); documents that come back (`PolicyVersion`, `Policy`, `Role`) are available raw and parsed
//! ([`PolicyVersion::document`], [`Role::trust_policy`]), URL-decoded when the service returns them encoded.
//! Secrets — login passwords and the `AccessKeySecret` returned by CreateAccessKey — are
//! [`acs_core::SecretString`]s: redacted in `Debug`, exposed only on purpose.
//!
//! ```no_run
//! # async fn demo() -> Result<(), acs_core::Error> {
//! use ram_policy::PolicyDocument;
//!
//! let config = acs_core::Config::from_env()?;
//! let ram = ram_client::Client::from_config(&config)?;
//! let policy = PolicyDocument::builder()
//!     .allow(["ecs:RunCommand"])
//!     .on(["acs:ecs:*:*:instance/*", "acs:ecs:*:*:command/*"])
//!     .when_string_equals("ecs:CommandRunAs", ["user01", "user02"])
//!     .build();
//! match ram.create_policy().policy_name("commandUserPolicy").policy_document(&policy).send().await {
//!     Ok(created) => println!("created {:?}", created.policy.and_then(|p| p.policy_name)),
//!     Err(e) if e.code() == Some(ram_client::codes::ENTITY_ALREADY_EXISTS_POLICY) => println!("already there"),
//!     Err(e) => return Err(e),
//! }
//! let mut users = ram.list_users().into_paginator().items();
//! use futures::TryStreamExt as _;
//! while let Some(user) = users.try_next().await? {
//!     println!("{:?}", user.user_name);
//! }
//! # Ok(()) }
//! ```

pub mod codes;
pub mod documents;
pub mod models;
pub mod operations;

mod client_ops;

pub use acs_core;
pub use acs_core::Error;
pub use documents::{parse_policy_text, IntoPolicyJson};
pub use models::*;
pub use operations::*;

acs_core::service_client! {
    /// RAM client: cheap to clone (shares the connection pool of the wrapped [`acs_core::Client`]).
    pub struct Client;
}
