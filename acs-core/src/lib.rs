//! Shared runtime of the Alibaba Cloud clients: configuration, credentials, endpoints, HTTP transport, retries,
//! typed errors, serde → RPC parameter flattening, pagination and waiters.
//!
//! Service crates (`ecs-client`, `ram-client`, `oos-client`, `kms-client`) describe each operation with an
//! [`Operation`] and a serde request/response pair; [`Client::call`] does the rest:
//! 1. [`params::to_params`] flattens the request (`InstanceId.1`, `Tag.1.Key`, JSON-string parameters);
//! 2. the endpoint is resolved ([`Config::endpoint`], PROTOCOL §7, or an explicit `endpoint_url`);
//! 3. credentials come from the provider (cached; temporary ones refreshed 15 minutes before expiry, or at half
//!    their lifetime when that is shorter);
//! 4. the request is signed with `acs-signer` (V3 by default, V1 selectable) with a fresh nonce and timestamp on
//!    every attempt, sent over one pooled rustls HTTP client, and retried per PROTOCOL §6;
//! 5. the JSON body is parsed into the response type, or into a typed [`ServiceError`].
//!
//! ```no_run
//! use acs_core::{Client, Config, Operation, OperationKind, Service};
//!
//! #[derive(serde::Serialize)]
//! #[serde(rename_all = "PascalCase")]
//! struct DescribeRegions { region_id: String }
//!
//! #[derive(serde::Deserialize, Debug)]
//! #[serde(rename_all = "PascalCase")]
//! struct DescribeRegionsResponse { request_id: String }
//!
//! const DESCRIBE_REGIONS: Operation = Operation::new(Service::Ecs, "DescribeRegions", OperationKind::Read);
//!
//! # async fn run() -> Result<(), acs_core::Error> {
//! // Region from ALIBABA_CLOUD_REGION_ID, credentials from the default chain.
//! let client = Client::new(Config::from_env()?)?;
//! let resp: DescribeRegionsResponse =
//!     client.call(&DESCRIBE_REGIONS, &DescribeRegions { region_id: "cn-hangzhou".into() }).await?;
//! println!("{}", resp.request_id);
//! # Ok(()) }
//! ```
//!
//! ## Configuration
//! [`Config::builder`] or [`Config::from_env`]: region (`ALIBABA_CLOUD_REGION_ID`), credentials provider, signature
//! version (V3 default), endpoint rules or an explicit `endpoint_url` used for every service (the emulator,
//! wiremock), public or VPC network, timeouts (connect 5 s; read 10 s, the longest wait for data; an optional limit
//! of each whole attempt, `attempt_timeout`, also per call with [`CallOptions`]; [`Error::timeout_kind`] says which
//! fired), the largest response body accepted (`max_response_bytes`, 64 MiB; 1 MiB for the credential providers'
//! requests), retries ([`RetryConfig`]) and a user-agent suffix. Proxies: `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` and
//! `NO_PROXY` are honoured (reqwest's environment proxy support, always on); the metadata service is never proxied.
//!
//! ## Credentials
//! [`credentials::DefaultChain`] tries, in the official libraries' order: environment variables, OIDC (RRSA),
//! aliyun-cli profiles (`~/.aliyun/config.json`: `AK`, `StsToken`, `RamRoleArn`, `EcsRamRole`,
//! `ChainableRamRoleArn`), the INI file (`~/.alibabacloud/credentials`), the ECS instance RAM role (metadata
//! service, token first) and `ALIBABA_CLOUD_CREDENTIALS_URI`; when all fail, the error lists why each one was
//! skipped. Every provider takes an injected [`credentials::Env`], file path and endpoint, so it is testable.
//! Temporary credentials are cached and refreshed 15 minutes before expiry (at half their lifetime for sessions
//! shorter than 30 minutes), one refresh for all callers.
//!
//! ## Errors and retries
//! [`Error`] separates service errors ([`ServiceError`]: code, message, request id, host id, recommend URL,
//! `AccessDeniedDetail`, and for `SignatureDoesNotMatch` the server's and our string-to-sign, secret parameter
//! values and the STS token redacted) from input, credentials, transport, timeout and decode errors. A 2xx body
//! carrying an error `Code` is a service error too. Throttling, `ServiceUnavailable`, HTTP 429 and 502–504 and connect
//! failures are retried with jittered exponential backoff (honouring `x-acs-retry-after`); `InternalError` and
//! timeouts only for reads or writes carrying a `ClientToken`; nothing else.
//!
//! ```
//! # fn handle(e: acs_core::Error) {
//! if e.is_not_found() { /* create it */ }
//! else if e.is_access_denied() {
//!     let detail = e.service_error().and_then(|s| s.access_denied_detail.as_ref());
//!     eprintln!("denied: {:?}", detail.and_then(|d| d.auth_action.as_deref()));
//! }
//! # }
//! ```
//!
//! Secrets are [`SecretString`]s: redacted in every `Debug`/`Display`, never logged. Each call runs in an `acs.call`
//! tracing span (service, action, region) holding one `acs.attempt` span per attempt (attempt number, request id);
//! spans and events never carry parameters or query strings.
//!
//! ## Building blocks of the service crates
//! The generated operations of the service crates share everything here rather than carrying copies:
//! [`de`] (lenient numbers, booleans, lists and enums in responses), [`validate`] (documented limits, secret lengths,
//! Base64 sizes), [`params`] (flattening, JSON-string and secret parameters, Base64 text), [`idempotency`]
//! (`ClientToken`), [`paginate`] ([`paginate::Paginator`] over a [`paginate::PagedRequest`]), [`wire_enum!`]
//! (string enums with an `Unknown(String)` fallback), [`service_client!`] (each crate's `Client`) and, behind the `test-util` cargo feature, `test_util` (the
//! wiremock harness of their wire tests).

mod body;
mod client;
mod config;
pub mod credentials;
pub mod de;
mod error;
pub mod idempotency;
mod operation;
pub mod paginate;
pub mod params;
mod request;
mod retry;
mod service_client;
#[cfg(feature = "test-util")]
pub mod test_util;
mod transport;
pub mod validate;
pub mod waiter;
mod wire_enum;

/// Percent-encoding as the APIs use it (RFC 3986 for signing, form encoding for bodies), for clients whose services
/// return encoded values (RAM policy documents).
pub mod encoding {
    pub use acs_signer::{form_decode, percent_decode, percent_encode};
}

#[doc(hidden)]
pub mod __private {
    //! Re-exports used by this crate's macros; not a public API.
    pub use serde;
}

pub use client::{CallOptions, Client};
pub use config::{
    Config, ConfigBuilder, RetryConfig, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_READ_TIMEOUT,
};
pub use credentials::{Credentials, CredentialsError, ProvideCredentials};
pub use error::{AccessDeniedDetail, Error, ServiceError, TimeoutKind};
pub use operation::{Method, Network, Operation, OperationKind, Service, SignatureVersion};
pub use secrecy::{ExposeSecret, SecretString};
