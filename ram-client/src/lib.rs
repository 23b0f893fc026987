//! Typed async client for RAM 2015-05-01: users, login profiles, AccessKeys, custom policies and their versions,
//! roles, policy attachments and the password policy (35 operations).
//!
//! Policy documents go in as a [`ram_policy::PolicyDocument`] or as raw JSON text (anything implementing
//! [`IntoPolicyJson`]); documents that come back (`PolicyVersion`, `Policy`, `Role`) are available raw and parsed
//! ([`PolicyVersion::document`], [`Role::trust_policy`]), URL-decoded when the service returns them encoded.
//! Secrets — login passwords and the `AccessKeySecret` returned by CreateAccessKey — are
//! [`acs_core::SecretString`]s: redacted in `Debug`, exposed only on purpose.
//!
//! # Example
//! Create a RAM user, a custom policy built with [`ram_policy::PolicyDocument::builder`], and attach one to the
//! other. This example runs, as a doctest, against the built-in emulator (the `acs-emulator` crate): the hidden lines
//! start it and build an [`acs_core::Config`] with its `endpoint_url` and root AccessKey.
//!
//! ```
//! # #[tokio::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # use acs_core::ExposeSecret as _;
//! # let emulator = acs_emulator::Emulator::builder().start().await?;
//! # let root = emulator.root_credentials();
//! # let config = acs_core::Config::builder()
//! #     .endpoint_url(emulator.endpoint_url())
//! #     .region("cn-hangzhou")
//! #     .static_credentials(root.access_key_id.clone(), root.access_key_secret.expose_secret())
//! #     .build()?;
//! use ram_client::{codes, Client, PolicyType};
//! use ram_policy::PolicyDocument;
//!
//! // `config` is `acs_core::Config::from_env()?` on a real account (see below).
//! let ram = Client::from_config(&config)?;
//! ram.create_user().user_name("commandUser").display_name("Runs commands as user01/user02").send().await?;
//!
//! let policy = PolicyDocument::builder()
//!     .allow(["ecs:RunCommand", "ecs:InvokeCommand"])
//!     .on(["acs:ecs:*:*:instance/*", "acs:ecs:*:*:command/*"])
//!     .when_string_equals("ecs:CommandRunAs", ["user01", "user02"])
//!     .build();
//! ram.create_policy().policy_name("commandUserPolicy").policy_document(&policy).send().await?;
//! ram.attach_policy_to_user()
//!     .user_name("commandUser")
//!     .policy_name("commandUserPolicy")
//!     .policy_type(PolicyType::Custom)
//!     .send()
//!     .await?;
//!
//! let attached = ram.list_policies_for_user().user_name("commandUser").send().await?;
//! let names: Vec<_> = attached.policies.iter().filter_map(|p| p.policy_name.as_deref()).collect();
//! println!("commandUser has {names:?}");
//! assert_eq!(names, ["commandUserPolicy"]);
//!
//! // A refused call is an `acs_core::Error` with the service's code and request id.
//! let again = match ram.create_user().user_name("commandUser").send().await {
//!     Ok(_) => false,
//!     Err(e) if e.code() == Some(codes::ENTITY_ALREADY_EXISTS_USER) => {
//!         eprintln!("already there: {e} (request id {})", e.request_id().unwrap_or("-"));
//!         true
//!     }
//!     Err(e) => return Err(e.into()),
//! };
//! assert!(again);
//! # emulator.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Generic checks exist too: `e.is_already_exists()`, `e.is_not_found()`, `e.is_access_denied()` (with
//! `e.service_error()` for the `AccessDeniedDetail`). Lists page with `into_paginator()`:
//! `ram.list_users().into_paginator().items()` is a stream of every user.
//!
//! On a real account the same code takes its configuration from the environment: `acs_core::Config::from_env()?`
//! reads the region from `ALIBABA_CLOUD_REGION_ID` and credentials from the default chain
//! (`ALIBABA_CLOUD_ACCESS_KEY_ID` / `ALIBABA_CLOUD_ACCESS_KEY_SECRET` / `ALIBABA_CLOUD_SECURITY_TOKEN`, then OIDC,
//! the aliyun-cli and `~/.alibabacloud/credentials` profiles, the ECS instance RAM role; see
//! [`acs_core::credentials`]). `examples/ram-quickstart.rs` is this example as a program that also cleans up:
//! `cargo run -p ram-client --example ram-quickstart` (emulator) or `... -- --live` (your account).

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
