//! What the workflow reports: one [`StepReport`] per step, one [`Check`] per verification run, and the
//! [`ProgressEvent`]s emitted while it works.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// What a step did (or, in a plan, would do).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StepResult {
    /// The entity was created.
    Created,
    /// Nothing had to change (only read calls were made).
    Unchanged,
    /// The entity existed and was brought in line (new policy version, new trust policy, new value).
    Updated,
    /// Removed by teardown.
    Deleted,
    /// Plan only: this step would change something.
    Planned,
}

impl StepResult {
    /// The contract's word: `created`, `unchanged`, `updated`, `deleted` or `planned`.
    pub fn as_str(self) -> &'static str {
        match self {
            StepResult::Created => "created",
            StepResult::Unchanged => "unchanged",
            StepResult::Updated => "updated",
            StepResult::Deleted => "deleted",
            StepResult::Planned => "planned",
        }
    }
}

impl fmt::Display for StepResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome of one step.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StepReport {
    /// The step's action, e.g. `ram-user`, `attach-user-policy` (see [`crate::StepKind`]).
    pub action: String,
    /// What it acts on, e.g. `commandUser` or `AliyunECSReadOnlyAccess -> commandUser`.
    pub target: String,
    /// What happened.
    pub result: StepResult,
    /// A sentence for people (what changed, or why nothing did). Not part of the JSON contract.
    #[serde(skip)]
    pub detail: String,
}

/// What a verification run was expected to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Expected {
    /// RunCommand accepted and `whoami` printed the user.
    Allowed,
    /// RunCommand refused with `Forbidden.RAM`.
    Denied,
}

/// What a verification run did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Actual {
    /// RunCommand was accepted and the command succeeded.
    Allowed,
    /// RunCommand was refused with `Forbidden.RAM`.
    Denied,
    /// Anything else: another API error, or the command failed on the instance.
    Error,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Expected::Allowed => "allowed",
            Expected::Denied => "denied",
        })
    }
}

impl fmt::Display for Actual {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Actual::Allowed => "allowed",
            Actual::Denied => "denied",
            Actual::Error => "error",
        })
    }
}

/// One verification run (`whoami` as one OS user with the new RAM user's AccessKey).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Check {
    /// The OS user the command was asked to run as.
    pub run_as: String,
    /// What the policy should do.
    pub expected: Expected,
    /// What happened.
    pub actual: Actual,
    /// The invocation, when RunCommand was accepted.
    pub invoke_id: Option<String>,
    /// The command's output (trimmed), when it ran.
    pub output: Option<String>,
    /// The API error code (`Forbidden.RAM`) or the agent's error code (`RoleNameFailed`).
    pub error_code: Option<String>,
    /// What went wrong and what to do, in words a person can act on. Not part of the JSON contract.
    #[serde(skip)]
    pub explanation: Option<String>,
}

impl Check {
    /// The run came out as expected (for an allowed user: it succeeded and printed that user).
    pub fn passed(&self) -> bool {
        if self.expected == Expected::Allowed && self.actual == Actual::Allowed {
            return self.output.as_deref().is_some_and(|o| output_names_user(o, &self.run_as));
        }
        self.expected == Expected::Denied && self.actual == Actual::Denied
    }
}

/// `whoami` printed `user` (Linux `user01`, Windows `host\user01`; case-insensitive).
pub(crate) fn output_names_user(output: &str, user: &str) -> bool {
    let last = output.trim().lines().last().unwrap_or("").trim();
    let name = last.rsplit('\\').next().unwrap_or(last);
    name.eq_ignore_ascii_case(user)
}

/// Where `verify` got the new user's AccessKey from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeySource {
    /// Kept in memory from the `apply` that created it.
    FromApply,
    /// Read from the credentials file.
    CredentialsFile,
    /// A temporary key created for the verification and deleted afterwards.
    Temporary,
}

impl fmt::Display for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            KeySource::FromApply => "the AccessKey created by this apply (kept in memory)",
            KeySource::CredentialsFile => "the AccessKey in the credentials file",
            KeySource::Temporary => "a temporary AccessKey, deleted after the verification",
        })
    }
}

/// The result of [`crate::Setup::verify`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verification {
    /// One entry per OS user tried.
    pub checks: Vec<Check>,
    /// Which AccessKey was used.
    pub key_source: KeySource,
}

impl Verification {
    /// Every check came out as expected (and there was at least one).
    pub fn ok(&self) -> bool {
        !self.checks.is_empty() && self.checks.iter().all(Check::passed)
    }
}

/// Which pass a progress event belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Reading the current state (plan).
    Plan,
    /// Making changes.
    Apply,
    /// Removing.
    Teardown,
}

/// Emitted while the workflow runs (see [`crate::Setup::on_progress`]).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum ProgressEvent {
    /// A step starts.
    StepStarted {
        /// Which pass.
        phase: Phase,
        /// 1-based position.
        index: usize,
        /// Number of steps.
        total: usize,
        /// The step's action.
        action: String,
        /// Its target.
        target: String,
    },
    /// A step finished.
    StepFinished {
        /// Which pass.
        phase: Phase,
        /// 1-based position.
        index: usize,
        /// Number of steps.
        total: usize,
        /// Its outcome.
        report: StepReport,
    },
    /// A possibly long wait starts (a new entity becoming visible, a command running).
    Waiting {
        /// What is waited for.
        what: String,
    },
    /// The wait announced by the last [`ProgressEvent::Waiting`] is over.
    WaitOver,
    /// A verification run starts.
    CheckStarted {
        /// The OS user.
        run_as: String,
    },
    /// A verification run finished.
    CheckFinished {
        /// Its outcome.
        check: Check,
    },
}

/// A progress callback; called on the task running the workflow, so keep it quick.
pub type ProgressSink = Arc<dyn Fn(&ProgressEvent) + Send + Sync>;

#[cfg(test)]
mod tests {
    use super::*;

    fn check(expected: Expected, actual: Actual, output: Option<&str>) -> Check {
        Check {
            run_as: "user01".into(),
            expected,
            actual,
            invoke_id: None,
            output: output.map(str::to_owned),
            error_code: None,
            explanation: None,
        }
    }

    #[test]
    fn a_check_passes_only_as_expected() {
        assert!(check(Expected::Allowed, Actual::Allowed, Some("user01\n")).passed());
        assert!(check(Expected::Allowed, Actual::Allowed, Some("win-host\\USER01")).passed());
        assert!(!check(Expected::Allowed, Actual::Allowed, Some("root")).passed());
        assert!(!check(Expected::Allowed, Actual::Allowed, None).passed());
        assert!(!check(Expected::Allowed, Actual::Error, None).passed());
        assert!(check(Expected::Denied, Actual::Denied, None).passed());
        assert!(!check(Expected::Denied, Actual::Allowed, Some("root")).passed());
    }

    #[test]
    fn json_names_follow_the_contract() {
        let step = StepReport {
            action: "ram-user".into(),
            target: "commandUser".into(),
            result: StepResult::Created,
            detail: "x".into(),
        };
        let v = serde_json::to_value(&step).expect("json");
        assert_eq!(v, serde_json::json!({"action": "ram-user", "target": "commandUser", "result": "created"}));
        let v = serde_json::to_value(check(Expected::Denied, Actual::Error, None)).expect("json");
        let keys: Vec<&str> = v.as_object().expect("object").keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 6, "{keys:?}");
        assert_eq!(v["expected"], "denied");
        assert_eq!(v["actual"], "error");
    }

    #[test]
    fn verification_needs_a_check() {
        let v = Verification { checks: vec![], key_source: KeySource::Temporary };
        assert!(!v.ok());
    }
}
