//! Errors of the workflow: invalid options, a failed step (with the step named), a conflict that needs a person.

use std::path::PathBuf;

/// Everything that can stop the workflow. Never carries a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WorkflowError {
    /// An option is invalid; checked before any call, except that the instance exists in the region, which
    /// [`crate::Setup::apply`] and [`crate::Setup::plan`] check first, before any change.
    #[error("invalid option {field}: {message}")]
    InvalidOption {
        /// The option (e.g. `user_name`).
        field: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// A step failed; what the earlier steps did stays done, so running `apply` again resumes here.
    #[error("step {index}/{total} ({action} {target}) failed: {source} (earlier steps stay done; running again resumes here)")]
    Step {
        /// 1-based position of the step.
        index: usize,
        /// Number of steps.
        total: usize,
        /// The step's action (e.g. `ram-user`).
        action: String,
        /// What it acts on.
        target: String,
        /// The cause.
        #[source]
        source: Box<WorkflowError>,
    },
    /// Reading what exists failed before any change: the check [`crate::Setup::apply`] makes before its first
    /// change (that the instance exists, that no one else's entity is in the way), the one
    /// [`crate::Setup::teardown`] makes (that no other instance uses the workflow's role), or a
    /// [`crate::Setup::plan`], which only reads. Nothing was changed.
    #[error(
        "pre-flight check (reading what exists before any change) failed at {action} {target}: {source}; nothing \
         was changed"
    )]
    Preflight {
        /// The step's action (e.g. `custom-policy`), or `instance` for the check that the instance exists.
        action: String,
        /// What was being read.
        target: String,
        /// The cause.
        #[source]
        source: Box<WorkflowError>,
    },
    /// A step cannot be done as the account stands (e.g. someone else's policy under the workflow's name, with
    /// another document; at teardown, the workflow's role still attached to another instance). Found by reading
    /// before the first change of [`crate::Setup::apply`] or [`crate::Setup::teardown`]: nothing was changed.
    #[error("step {index}/{total} ({action} {target}) cannot be done: {source} (stopped before any change)")]
    Blocked {
        /// 1-based position of the step.
        index: usize,
        /// Number of steps.
        total: usize,
        /// The step's action (e.g. `custom-policy`).
        action: String,
        /// What it acts on.
        target: String,
        /// Why (a [`WorkflowError::Conflict`]).
        #[source]
        source: Box<WorkflowError>,
    },
    /// A service call failed. Shown as `operation: cause`, or as the cause alone when it already names the
    /// operation (a transport error such as `GetPolicy: could not connect to ...`).
    #[error("{}", api_message(operation, source))]
    Api {
        /// The operation, e.g. `CreateUser`.
        operation: &'static str,
        /// The client error.
        #[source]
        source: acs_core::Error,
    },
    /// The account is in a state the workflow must not override; a person has to decide.
    #[error("{0}")]
    Conflict(String),
    /// The credentials file could not be read or written.
    #[error("credentials file {path}: {message}")]
    CredentialsFile {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The system random number generator failed.
    #[error("the system random number generator failed")]
    Random,
    /// No password can satisfy the account's password policy.
    #[error("cannot generate a login password: {0}")]
    PasswordPolicy(String),
    /// Waiting for a change to become visible took too long.
    #[error("{what} did not become visible within {seconds} s")]
    NotVisible {
        /// What was waited for.
        what: String,
        /// How long.
        seconds: u64,
    },
}

impl WorkflowError {
    /// The service error code underneath, if any (e.g. `Forbidden.RAM`).
    pub fn code(&self) -> Option<&str> {
        match self {
            WorkflowError::Api { source, .. } => source.code(),
            WorkflowError::Step { source, .. }
            | WorkflowError::Blocked { source, .. }
            | WorkflowError::Preflight { source, .. } => source.code(),
            _ => None,
        }
    }

    pub(crate) fn api(operation: &'static str) -> impl FnOnce(acs_core::Error) -> WorkflowError {
        move |source| WorkflowError::Api { operation, source }
    }
}

/// `operation: cause`, without naming the operation twice.
fn api_message(operation: &str, source: &acs_core::Error) -> String {
    let cause = source.to_string();
    if cause.contains(&format!("{operation}: ")) {
        cause
    } else {
        format!("{operation}: {cause}")
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = WorkflowError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_api_error_names_the_operation_once() {
        let transport = |message: &str| acs_core::Error::Transport { message: message.to_owned(), cause: None };
        let e = WorkflowError::Api {
            operation: "GetPolicy",
            source: transport("GetPolicy: could not connect to 127.0.0.1:1: connection refused"),
        };
        assert_eq!(e.to_string(), "GetPolicy: could not connect to 127.0.0.1:1: connection refused");
        // A cause that does not name it gets the operation in front.
        let e = WorkflowError::Api { operation: "GetPolicy", source: transport("connection reset") };
        assert_eq!(e.to_string(), "GetPolicy: connection reset");
        // A longer label is kept when the cause names only the bare operation.
        let e = WorkflowError::Api {
            operation: "CreateAccessKey (temporary verification key)",
            source: transport("CreateAccessKey: could not connect to h:1: refused"),
        };
        assert_eq!(
            e.to_string(),
            "CreateAccessKey (temporary verification key): CreateAccessKey: could not connect to h:1: refused"
        );
    }
}
