//! The procedure "let a RAM user run Cloud Assistant commands only as regular OS users", for Linux and Windows
//! instances: [`Setup::plan`] → [`Setup::apply`] → [`Setup::verify`] → [`Setup::teardown`].
//!
//! # What it sets up
//! Linux: a RAM user (`commandUser`) with a console login (generated password satisfying the account's password
//! policy, reset required at next logon, no MFA required) and an AccessKey; the custom run-as policy
//! (`commandUserPolicy`, allow-list `StringEquals ecs:CommandRunAs [user01, user02]` or deny-list
//! `StringNotEqualsIgnoreCase [root, system]`); `AliyunECSReadOnlyAccess` and the custom policy attached to the
//! user. Windows adds `kmsPolicy` and `AliyunOOSReadOnlyAccess` for the user; the role policy
//! (`kms:GetSecretValue`, `oos:GetSecretParameter`); the role `AxtSecretRamRole` trusted by `ecs.aliyuncs.com`
//! with that policy; the role attached to the instance (another attached role stops the run with an
//! explanation); the OOS encrypted parameter `axtSecretPassword` holding the Windows password, in the instance's
//! region, encrypted with the default service key unless one is given.
//!
//! # Rules
//! * **Idempotent, resumable.** Every step first reads (`inspect`), then changes only what differs. A second
//!   `apply` reports `unchanged` for every step after read calls only; an interrupted `apply` resumes on the next
//!   run. A custom policy the workflow created whose document differs gets a new default version; at RAM's limit
//!   of 5 versions the oldest non-default version is deleted first.
//! * **Someone else's entities are never changed.** A custom policy, role or password parameter that already
//!   exists under the workflow's name without the marker is used as it is when it already does what the procedure
//!   needs (same policy document; a role ECS may assume; the same password), and kept at teardown. Otherwise
//!   `apply` stops before any change with [`WorkflowError::Blocked`] (a conflict naming it, for a policy who it is
//!   attached to, and the option to choose another name: `policy_name`, `kms_policy_name`, `role_policy_name`,
//!   `role_name`, `password_param`); another role on the instance stops it the same way. `plan` shows the same
//!   conflict.
//! * **Pre-flight check.** Before its first change, `apply` checks that the instance (when one is given) exists
//!   in the region (one `DescribeInstances`; else [`WorkflowError::InvalidOption`] for `instance_id`) and reads
//!   what could block it (above). A failure there changes nothing: a read that fails is a
//!   [`WorkflowError::Preflight`], not a failed step. `plan` makes the same checks.
//! * **Eventual consistency.** After creating a user, policy or role, it waits until a read sees it.
//!   `EntityAlreadyExists` (e.g. after a lost response) is confirmed by a read, not reported as an error.
//! * **What the workflow made** carries the marker [`MANAGED_MARKER`] (user `Comments`, policy, role and
//!   parameter `Description`). Teardown removes only marked entities, the attachments to a marked user or role,
//!   attachments of marked policies, the instance-role attachment of a marked role, and a console login the
//!   workflow set (its password is in the credentials file or this process's memory).
//! * **The instance role at teardown.** An instance that no longer exists (released) has nothing to detach: the
//!   step says so and teardown goes on. Before its first change, teardown asks ECS which instances of the region
//!   use the workflow's role; while any other than the given instance does (a mistyped `instance_id`, existing or
//!   not), it stops with [`WorkflowError::Blocked`] naming them, having changed nothing. RAM roles are global but
//!   only the workflow's region is looked at: an attachment in another region is not seen.
//! * **AccessKeys.** A key is the workflow's when its id is in the credentials file (`credentials_out`) or made
//!   by this process, or when the user is marked (every key of a user the workflow made is the workflow's). A new
//!   key is created only when the user has none of those. Its secret goes only to `credentials_out` (mode 0600,
//!   written as soon as it exists) and to this process's memory, never to a log or report. Before any change,
//!   `apply` checks that `credentials_out` can be written and is not another user's credentials file.
//! * **Orphaned AccessKeys.** A key of the user the workflow made whose id is not in `credentials_out` (a run
//!   died between `CreateAccessKey` and writing the file) has a lost secret: `plan` and `apply` say so. With
//!   [`Options::rotate_access_key`], `apply` creates a new key, writes it, and only then deletes the orphaned
//!   ones, so an interruption never costs the key in the file; when the file already holds a usable key, it only
//!   deletes them. At RAM's limit of 2 keys with no known secret, the oldest orphan (a lost secret) goes first.
//! * **Verification** uses the NEW user's key: the one created by `apply` in this process, else the one in
//!   `credentials_out`, else a temporary key created for the verification and deleted afterwards.
//!
//! # Example
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use runas_workflow::{Clients, Options, Setup};
//!
//! let config = acs_core::Config::from_env()?;
//! let clients = Clients::new(&config)?;
//! let mut options = Options::new("cn-hangzhou", "i-bp1example");
//! options.credentials_out = Some("commandUser.json".into());
//! let mut setup = Setup::linux(options)?.on_progress(|event| eprintln!("{event:?}"));
//! for step in setup.plan(&clients).await? {
//!     println!("{} {} would be {}", step.action, step.target, step.result);
//! }
//! setup.apply(&clients).await?;
//! let verification = setup.verify(&clients).await?;
//! assert!(verification.ok());
//! # Ok(()) }
//! ```

mod clients;
mod context;
pub mod credentials_file;
mod error;
mod options;
pub mod password;
mod report;
mod setup;
mod steps;
mod verify;

pub use clients::Clients;
pub use context::MANAGED_MARKER;
pub use credentials_file::{AccessKeyPair, UserCredentials};
pub use error::{Result, WorkflowError};
pub use options::{
    Options, RunAsRule, WindowsOptions, DEFAULT_ALLOWED_USERS, DEFAULT_DENIED_USERS, DEFAULT_KMS_POLICY_NAME,
    DEFAULT_PASSWORD_PARAM, DEFAULT_POLICY_NAME, DEFAULT_ROLE_NAME, DEFAULT_ROLE_POLICY_NAME, DEFAULT_USER_NAME,
};
pub use report::{
    Actual, Check, Expected, KeySource, Phase, ProgressEvent, ProgressSink, StepReport, StepResult, Verification,
};
pub use setup::{Platform, Setup, CREDENTIALS_FILE_ACTION, ECS_READ_ONLY, OOS_READ_ONLY};
pub use steps::StepKind;
