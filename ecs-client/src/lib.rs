//! Typed async client for ECS 2014-05-26: Cloud Assistant (run, invoke and manage commands, read their results),
//! instances, instance RAM roles and regions.
//!
//! Every operation has a request type (`RunCommandRequest`), a response type (`RunCommandResponse`) and a fluent
//! builder returned by a [`Client`] method (`client.run_command()`). Required fields and the documented limits are
//! checked before any I/O ([`acs_core::Error::InvalidInput`] names the wire field). Paged lists have
//! `into_paginator()` with `items()` / `pages()` streams.
//!
//! Conveniences on top of the raw API:
//! - `run_command().command_content("...")` takes the script as **plain text** and sends it Base64-encoded with
//!   `ContentEncoding=Base64` (or as is, when you also set `content_encoding(ContentEncoding::PlainText)`, in any
//!   order); `command_content_raw("...")` sends text exactly as given with the encoding you set; a random `ClientToken` is generated when none is given, so a retried RunCommand
//!   never runs twice;
//! - [`Client::wait_for_invocation`] polls DescribeInvocationResults with backoff until every instance reached a
//!   terminal status and returns, per instance, status, exit code, error code/info and the **decoded** output;
//! - [`Client::run_and_wait`] does both in one call;
//! - `decoded_output()` / `decoded_command_content()` on the Describe models decode the Base64 the service
//!   returns by default.
//!
//! # Example
//! Run `whoami` as the OS user `user01` and read what each instance printed. This example runs, as a doctest,
//! against the built-in emulator (the `acs-emulator` crate) on its demo seed: the hidden lines start it and build
//! an [`acs_core::Config`] with its `endpoint_url` and root AccessKey.
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
//! use acs_core::waiter::WaiterConfig;
//! use ecs_client::{codes, Client, CommandType};
//!
//! // `config` is `acs_core::Config::from_env()?` on a real account (see below).
//! let ecs = Client::from_config(&config)?;
//! let run = ecs
//!     .run_command()
//!     .instance_ids(["i-emu-linux-0001"])
//!     .command_type(CommandType::RunShellScript)
//!     .command_content("whoami") // plain text: sent Base64-encoded, with a generated ClientToken
//!     .username("user01");
//! let outcome = ecs.run_and_wait(run, &WaiterConfig::default()).await?;
//! for instance in &outcome.instances {
//!     println!("{} {} (exit {:?}): {}", instance.instance_id, instance.status, instance.exit_code, instance.output);
//! }
//! assert!(outcome.all_succeeded());
//! assert!(outcome.instances.iter().all(|i| i.output.trim() == "user01"));
//!
//! // A refused call is an `acs_core::Error` with the service's code and request id.
//! let refused = ecs
//!     .run_command()
//!     .instance_ids(["i-no-such-instance"])
//!     .command_type(CommandType::RunShellScript)
//!     .command_content("whoami")
//!     .send()
//!     .await;
//! let not_found = match refused {
//!     Ok(_) => false,
//!     Err(e) if e.code() == Some(codes::INVALID_INSTANCE_NOT_FOUND) => {
//!         eprintln!("no such instance: {e} (request id {})", e.request_id().unwrap_or("-"));
//!         true
//!     }
//!     Err(e) => return Err(e.into()),
//! };
//! assert!(not_found);
//! # emulator.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! A command that ran but failed on an instance is not an `Err`: its [`InstanceOutcome`] says so (`status`,
//! `exit_code`, `error_code` such as `InvocationErrorCode::AccountNotExists`, `error_info`).
//!
//! On a real account the same code takes its configuration from the environment: `acs_core::Config::from_env()?`
//! reads the region from `ALIBABA_CLOUD_REGION_ID` and credentials from the default chain
//! (`ALIBABA_CLOUD_ACCESS_KEY_ID` / `ALIBABA_CLOUD_ACCESS_KEY_SECRET` / `ALIBABA_CLOUD_SECURITY_TOKEN`, then OIDC,
//! the aliyun-cli and `~/.alibabacloud/credentials` profiles, the ECS instance RAM role; see
//! [`acs_core::credentials`]). `examples/ecs-quickstart.rs` is this example as a program:
//! `cargo run -p ecs-client --example ecs-quickstart` (emulator) or `... -- --live i-bp1...` (your instance).

pub mod codes;
pub mod models;
pub mod operations;
pub mod waiter;

mod checks;
mod client_ops;
mod content;
mod output;

pub use acs_core;
pub use acs_core::Error;
pub use models::*;
pub use operations::*;
pub use waiter::{InstanceOutcome, InvocationOutcome};

acs_core::service_client! {
    /// ECS client: cheap to clone (shares the connection pool of the wrapped [`acs_core::Client`]).
    pub struct Client;
}
