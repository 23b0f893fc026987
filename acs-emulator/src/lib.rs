//! A local Alibaba Cloud — ECS Cloud Assistant, RAM, OOS, KMS and STS behind one HTTP port — that verifies
//! signatures and enforces RAM policies, so SDKs and workflows run and are tested without an account.
//!
//! It speaks the wire protocol on its own (it depends on `acs-signer` and `ram-policy`, never on a client crate),
//! so a client bug cannot be mirrored by the emulator.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use acs_emulator::{Emulator, Seed};
//! let emulator = Emulator::builder().seed(Seed::demo()).start().await?;
//! println!("endpoint {} account {}", emulator.endpoint_url(), emulator.account_id());
//! let root = emulator.root_credentials(); // sign requests with these
//! # let _ = root;
//! // ... drive it with any client ...
//! assert_eq!(emulator.stats().count("RunCommand"), 0);
//! emulator.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! # Protocol
//! Requests are routed by API version (`Version` / `x-acs-version`): ECS `2014-05-26`, RAM `2015-05-01`,
//! OOS `2019-06-01`, KMS `2016-01-20`, STS `2015-04-01`. V1 (`HMAC-SHA1`) is accepted over a GET query, a POST
//! form body or any split of the two; V3 (`ACS3-HMAC-SHA256`) with `x-acs-content-sha256` checked against the body.
//! See [`protocol`] for the rejection codes. Success bodies always carry `RequestId`; errors are
//! `{"RequestId","HostId","Code","Message","Recommend"}` plus `AccessDeniedDetail` on `Forbidden.RAM` (and
//! `HttpStatus` on KMS errors).
//! Booleans accept `true`/`false` in any case. Responses are always JSON (`Format=XML` is ignored).
//!
//! # Principals and authorization
//! The account root (the seed's keys) is always allowed. RAM users (keys from `CreateAccessKey`) and STS role
//! sessions (`AssumeRole`, or the instance role the simulated agent uses) are evaluated with
//! `ram_policy::evaluate` against their attached policies, with action `<product>:<Action>` and these resources:
//!
//! | service | resource ARN |
//! |---|---|
//! | ECS Cloud Assistant | `acs:ecs:<region>:<account>:instance/<id>` for each instance, `acs:ecs:<region>:<account>:command/<id>` |
//! | ECS instance RAM roles | `acs:ecs:<region>:<account>:instance/<id>` for each instance |
//! | RAM | `acs:ram:*:<account>:user/<name>`, `…:policy/<name>`, `…:role/<name>` (attachments: the policy and the user/role) |
//! | STS AssumeRole | `acs:ram:*:<account>:role/<name>` (plus the role's trust policy; `GetCallerIdentity` needs no permission) |
//! | OOS | `acs:oos:<region>:<account>:secretparameter/<name>` (+ `kms:GetSecretValue` on the key when `WithDecryption=true`) |
//! | KMS | `acs:kms:<region>:<account>:key/<id>`, `…:alias/<name>`, `…:secret/<name>` |
//! | account-wide lists and describes | `acs:<product>:<region>:<account>:*` (RAM: `acs:ram:*:<account>:*`, also for `GetPasswordPolicy`) |
//!
//! Context: `acs:SourceIp`, `acs:SecureTransport` (`false`), `acs:CurrentTime`, `acs:MFAPresent`, and for
//! `RunCommand`/`InvokeCommand` `ecs:CommandRunAs` (the `Username`, or `root`/`System` by the instance's OS).
//! Denials are HTTP 403 `Forbidden.RAM` with `AccessDeniedDetail` (see [`authz`]).
//! As in the real services, authorization comes before any existence check: the ARNs are built from the ids in
//! the request, so a caller without permission gets `Forbidden.RAM`, never `…NotFound`, and cannot probe which
//! ids exist.
//!
//! # Error codes
//! Every code the emulator answers, its HTTP status, the operations and the source it was checked against (the
//! reference files, Alibaba Cloud's public API documentation, or "ours" where nothing is published) is listed in
//! [`error_codes`] (the crate's `ERRORS.md`).
//!
//! # Faults and statistics
//! [`faults`] injects `Throttling`/`ServiceUnavailable` deterministically, optionally with an
//! `x-acs-retry-after` header; [`Stats`] counts calls per action.
//!
//! # Binary
//! `acs-emulator [--listen 127.0.0.1:0] [--seed FILE] [--execution-delay-ms N] [--max-invocations N]
//! [--fault A=Code@rate|#n[,retry-after=S]]... [--fault-seed N]` prints `acs-emulator listening on
//! http://HOST:PORT` first and stops on SIGINT/SIGTERM.
//!
//! # Bounded memory
//! Cloud Assistant invocations (with their output) and their `ClientToken`s are kept up to a limit
//! ([`EmulatorBuilder::max_invocations`], `--max-invocations`, default 100,000); beyond it the oldest *finished*
//! invocations are dropped, never running ones (see [`services::ecs::EcsState`]).

pub mod authz;
pub mod catalog;
pub mod error;
#[doc = include_str!("../ERRORS.md")]
pub mod error_codes {}
pub mod faults;
pub mod ids;
pub mod params;
pub mod principal;
pub mod protocol;
pub mod seed;
mod server;
pub mod services;
pub mod state;
pub mod stats;

pub use error::{AccessDeniedDetail, ApiError};
pub use faults::{FaultRule, Faults};
pub use principal::Principal;
pub use seed::{Seed, SeedAccessKey, SeedError, SeedInstance, SeedOsUser};
pub use server::{Emulator, EmulatorBuilder, EmulatorHandle, RootCredentials, StartError};
pub use services::sts::TempCredentials;
pub use stats::Stats;
