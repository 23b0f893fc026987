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
//! ```no_run
//! # async fn demo() -> Result<(), acs_core::Error> {
//! let config = acs_core::Config::from_env()?;
//! let ecs = ecs_client::Client::from_config(&config)?;
//! let run = ecs
//!     .run_command()
//!     .region_id("cn-hangzhou")
//!     .instance_ids(["i-bp1example"])
//!     .command_type(ecs_client::CommandType::RunShellScript)
//!     .command_content("whoami")
//!     .username("user01");
//! let outcome = ecs.run_and_wait(run, &acs_core::waiter::WaiterConfig::default()).await?;
//! for instance in &outcome.instances {
//!     println!("{}: {} {:?}", instance.instance_id, instance.status, instance.output);
//! }
//! # Ok(()) }
//! ```

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
