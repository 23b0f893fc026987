//! ECS state types: instances, commands, invocations and the lazily computed per-instance status.
//!
//! An invocation's outcome on each instance is decided when it is created (the simulated agent runs the script
//! in [`crate::services::agent`]); what the API shows depends on the time elapsed since: `Pending` for the first
//! half of the execution delay, `Running` for the second half, then the terminal status. A stop before the end
//! turns `Pending` into `Cancelled` and `Running` into `Terminated`. No task is spawned, so 10,000 instances cost
//! nothing while idle.

use crate::seed::{SeedInstance, SeedOsUser};
use std::time::Duration;

/// The operating system of an instance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Os {
    /// Linux (`RunShellScript`, default user `root`).
    Linux,
    /// Windows (`RunBatScript`/`RunPowerShellScript`, default user `System`).
    Windows,
}

impl Os {
    /// From the seed's `os` (`Windows` in any case; anything else is Linux).
    pub fn parse(os: &str) -> Os {
        if os.eq_ignore_ascii_case("windows") {
            Os::Windows
        } else {
            Os::Linux
        }
    }

    /// `linux` / `windows` (DescribeInstances `OSType`).
    pub fn lower(self) -> &'static str {
        match self {
            Os::Linux => "linux",
            Os::Windows => "windows",
        }
    }

    /// `Linux` / `Windows` (DescribeCloudAssistantStatus `OSType`).
    pub fn title(self) -> &'static str {
        match self {
            Os::Linux => "Linux",
            Os::Windows => "Windows",
        }
    }

    /// The user a command runs as when `Username` is omitted.
    pub fn default_user(self) -> &'static str {
        match self {
            Os::Linux => "root",
            Os::Windows => "System",
        }
    }

    /// The OS name DescribeInstances reports.
    pub fn image_name(self) -> &'static str {
        match self {
            Os::Linux => "Alibaba Cloud Linux 3",
            Os::Windows => "Windows Server 2022 Datacenter",
        }
    }

    /// The image id DescribeInstances reports.
    pub fn image_id(self) -> &'static str {
        match self {
            Os::Linux => "aliyun_3_x64_20G_alibase_20240528.vhd",
            Os::Windows => "win2022_21H2_x64_dtc_en-us_40G_alibase_20240515.vhd",
        }
    }

    /// Does a command of `kind` run on this OS?
    pub fn runs(self, kind: &str) -> bool {
        match self {
            Os::Linux => kind == "RunShellScript",
            Os::Windows => kind == "RunBatScript" || kind == "RunPowerShellScript",
        }
    }
}

/// An ECS instance.
#[derive(Clone, Debug)]
pub struct Instance {
    /// Instance id.
    pub id: String,
    /// Region.
    pub region: String,
    /// Instance name (also the host name).
    pub name: String,
    /// OS.
    pub os: Os,
    /// `Running`, `Stopped`, ...
    pub status: String,
    /// Whether the Cloud Assistant agent runs.
    pub cloud_assistant: bool,
    /// OS users.
    pub users: Vec<SeedOsUser>,
    /// The attached instance RAM role.
    pub ram_role: Option<String>,
    /// Creation time (Unix seconds).
    pub created: i64,
    /// How many invocations targeted it.
    pub invocation_count: u64,
    /// When it was last targeted.
    pub last_invoked: Option<i64>,
}

impl Instance {
    /// From a seed entry.
    pub fn from_seed(seed: &SeedInstance, created: i64) -> Instance {
        Instance {
            id: seed.id.clone(),
            region: seed.region.clone(),
            name: if seed.name.is_empty() { seed.id.clone() } else { seed.name.clone() },
            os: Os::parse(&seed.os),
            status: seed.status.clone(),
            cloud_assistant: seed.cloud_assistant,
            users: seed.users.clone(),
            ram_role: seed.ram_role.clone(),
            created,
            invocation_count: 0,
            last_invoked: None,
        }
    }

    /// The OS user called `name` (Windows names are case-insensitive).
    pub fn user(&self, name: &str) -> Option<&SeedOsUser> {
        self.users.iter().find(|u| match self.os {
            Os::Linux => u.name == name,
            Os::Windows => u.name.eq_ignore_ascii_case(name),
        })
    }
}

/// A saved command (CreateCommand, or RunCommand with `KeepCommand=true`).
#[derive(Clone, Debug)]
pub struct Command {
    /// `c-` id.
    pub id: String,
    /// Region.
    pub region: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// `RunShellScript`, `RunBatScript`, `RunPowerShellScript`.
    pub kind: String,
    /// The script, decoded.
    pub content: String,
    /// Working directory.
    pub working_dir: String,
    /// Timeout in seconds.
    pub timeout: i64,
    /// Whether `{{name}}` parameters are enabled.
    pub enable_parameter: bool,
    /// Launcher.
    pub launcher: String,
    /// Creation time.
    pub created: i64,
    /// How many times it was invoked.
    pub invoke_times: u64,
}

impl Command {
    /// The `{{name}}` placeholders of the script, in order of first appearance.
    pub fn parameter_names(&self) -> Vec<String> {
        placeholders(&self.content)
    }
}

/// The `{{name}}` placeholders of `script`, in order of first appearance.
pub fn placeholders(script: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = script;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = after[..end].trim().to_owned();
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
        rest = &after[end + 2..];
    }
    names
}

/// A per-instance terminal result decided by the agent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// `Success`, `Failed`, `Timeout`.
    pub status: &'static str,
    /// Exit code (0 when the script never ran).
    pub exit_code: i64,
    /// Output (stdout and stderr), at most 24 KB.
    pub output: String,
    /// Bytes cut from the output.
    pub dropped: usize,
    /// Empty when fine; e.g. `ExitCodeNonzero`, `ClientNotRunning`, `RoleNameFailed`.
    pub error_code: String,
    /// What went wrong and what to do about it.
    pub error_info: String,
    /// Whether the script started (false for failures before execution).
    pub started: bool,
    /// Simulated run time in seconds (the script's `sleep`s).
    pub simulated_secs: u64,
}

impl Outcome {
    /// A failure before the script started.
    pub fn rejected(error_code: impl Into<String>, error_info: impl Into<String>) -> Outcome {
        Outcome {
            status: "Failed",
            exit_code: 0,
            output: String::new(),
            dropped: 0,
            error_code: error_code.into(),
            error_info: error_info.into(),
            started: false,
            simulated_secs: 0,
        }
    }
}

/// One instance of an invocation.
#[derive(Clone, Debug)]
pub struct InstanceRun {
    /// Instance id.
    pub instance_id: String,
    /// The user it runs as.
    pub username: String,
    /// The result once finished.
    pub outcome: Outcome,
    /// Milliseconds after the invocation's creation at which StopInvocation reached it.
    pub stopped_after_ms: Option<u128>,
}

/// The phase of one run at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for the agent.
    Pending,
    /// Executing.
    Running,
    /// Finished with the agent's outcome.
    Done,
    /// Stopped before it started.
    Cancelled,
    /// Stopped while running.
    Terminated,
}

impl InstanceRun {
    /// The phase `elapsed_ms` after creation, for an execution delay `delay`.
    pub fn phase(&self, elapsed_ms: u128, delay: Duration) -> Phase {
        let delay = delay.as_millis();
        let natural = |t: u128| {
            if t >= delay {
                Phase::Done
            } else if t * 2 < delay {
                Phase::Pending
            } else {
                Phase::Running
            }
        };
        match self.stopped_after_ms {
            Some(stop) if stop <= elapsed_ms => match natural(stop) {
                Phase::Pending => Phase::Cancelled,
                Phase::Running => Phase::Terminated,
                _ => natural(elapsed_ms),
            },
            _ => natural(elapsed_ms),
        }
    }

    /// Per-instance `InvocationStatus` in `phase`.
    pub fn status(&self, phase: Phase) -> &'static str {
        match phase {
            Phase::Pending => "Pending",
            Phase::Running => "Running",
            Phase::Cancelled => "Cancelled",
            Phase::Terminated => "Terminated",
            Phase::Done => self.outcome.status,
        }
    }

    /// Legacy `InstanceInvokeStatus` / `InvokeRecordStatus`: `Running`, `Finished`, `Failed`, `Stopped`.
    pub fn record_status(&self, phase: Phase) -> &'static str {
        match phase {
            Phase::Pending | Phase::Running => "Running",
            Phase::Cancelled | Phase::Terminated => "Stopped",
            Phase::Done if self.outcome.started && self.outcome.status != "Timeout" => "Finished",
            Phase::Done => "Failed",
        }
    }
}

/// One RunCommand/InvokeCommand call.
#[derive(Clone, Debug)]
pub struct Invocation {
    /// `t-` id.
    pub invoke_id: String,
    /// Region.
    pub region: String,
    /// The command (may no longer exist when `KeepCommand` was false).
    pub command_id: String,
    /// Command name.
    pub command_name: String,
    /// Command description.
    pub command_description: String,
    /// Command type.
    pub command_type: String,
    /// The script as run (parameters substituted).
    pub content: String,
    /// `Parameters` JSON text as given.
    pub parameters: String,
    /// `Username` as given (empty = the OS default).
    pub username: String,
    /// Timeout in seconds.
    pub timeout: i64,
    /// Working directory.
    pub working_dir: String,
    /// `RepeatMode` as given (every mode runs once).
    pub repeat_mode: String,
    /// `Frequency` as given.
    pub frequency: String,
    /// Launcher.
    pub launcher: String,
    /// Container id and name.
    pub container: (String, String),
    /// `TerminationMode`.
    pub termination_mode: String,
    /// Creation time in milliseconds since the epoch.
    pub created_ms: u128,
    /// Per-instance runs in request order.
    pub runs: Vec<InstanceRun>,
}

impl Invocation {
    /// Creation time in Unix seconds.
    pub fn created(&self) -> i64 {
        i64::try_from(self.created_ms / 1000).unwrap_or(i64::MAX)
    }

    /// Has every run reached a final state (finished, failed, cancelled or terminated) at `now_ms`?
    pub fn is_finished(&self, now_ms: u128, delay: Duration) -> bool {
        let elapsed = now_ms.saturating_sub(self.created_ms);
        self.runs.iter().all(|r| !matches!(r.phase(elapsed, delay), Phase::Pending | Phase::Running))
    }

    /// Is the run on `instance_id` pending or running at `now_ms`?
    pub fn is_active_on(&self, instance_id: &str, now_ms: u128, delay: Duration) -> bool {
        let elapsed = now_ms.saturating_sub(self.created_ms);
        self.runs
            .iter()
            .any(|r| r.instance_id == instance_id && matches!(r.phase(elapsed, delay), Phase::Pending | Phase::Running))
    }

    /// Overall `InvocationStatus` and legacy `InvokeStatus` at `now_ms`.
    pub fn statuses(&self, now_ms: u128, delay: Duration) -> (&'static str, &'static str) {
        let elapsed = now_ms.saturating_sub(self.created_ms);
        let phases: Vec<(Phase, &'static str)> = self
            .runs
            .iter()
            .map(|r| {
                let p = r.phase(elapsed, delay);
                (p, r.status(p))
            })
            .collect();
        if phases.iter().all(|(p, _)| *p == Phase::Pending) {
            return ("Pending", "Running");
        }
        if phases.iter().any(|(p, _)| matches!(p, Phase::Pending | Phase::Running)) {
            return ("Running", "Running");
        }
        if phases.iter().any(|(p, _)| matches!(p, Phase::Cancelled | Phase::Terminated)) {
            return ("Stopped", "Stopped");
        }
        let successes = phases.iter().filter(|(_, s)| *s == "Success").count();
        if successes == phases.len() {
            ("Success", "Finished")
        } else if successes == 0 {
            ("Failed", "Failed")
        } else {
            ("PartialFailed", "PartialFinished")
        }
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0)
}

#[cfg(test)]
impl Invocation {
    /// A RunShellScript invocation `id` created at `created_ms` with `runs`, every other field empty (unit tests).
    pub(crate) fn for_test(id: &str, created_ms: u128, runs: Vec<InstanceRun>) -> Self {
        Invocation {
            invoke_id: id.into(),
            region: "r".into(),
            command_id: "c-1".into(),
            command_name: String::new(),
            command_description: String::new(),
            command_type: "RunShellScript".into(),
            content: String::new(),
            parameters: String::new(),
            username: String::new(),
            timeout: 60,
            working_dir: String::new(),
            repeat_mode: "Once".into(),
            frequency: String::new(),
            launcher: String::new(),
            container: (String::new(), String::new()),
            termination_mode: String::new(),
            created_ms,
            runs,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(outcome: Outcome) -> InstanceRun {
        InstanceRun { instance_id: "i-1".into(), username: "root".into(), outcome, stopped_after_ms: None }
    }

    fn success() -> Outcome {
        Outcome { status: "Success", started: true, ..Outcome::rejected("", "") }
    }

    #[test]
    fn phases_follow_the_delay() {
        let d = Duration::from_millis(1000);
        let r = run(success());
        assert_eq!(r.phase(0, d), Phase::Pending);
        assert_eq!(r.phase(499, d), Phase::Pending);
        assert_eq!(r.phase(500, d), Phase::Running);
        assert_eq!(r.phase(1000, d), Phase::Done);
        assert_eq!(r.phase(0, Duration::ZERO), Phase::Done);
        assert_eq!(r.status(Phase::Done), "Success");
        assert_eq!(r.record_status(Phase::Done), "Finished");
    }

    #[test]
    fn stops_cancel_or_terminate_only_unfinished_runs() {
        let d = Duration::from_millis(1000);
        let mut r = run(success());
        r.stopped_after_ms = Some(100);
        assert_eq!(r.phase(50, d), Phase::Pending);
        assert_eq!(r.phase(5000, d), Phase::Cancelled);
        r.stopped_after_ms = Some(700);
        assert_eq!(r.phase(5000, d), Phase::Terminated);
        r.stopped_after_ms = Some(1500);
        assert_eq!(r.phase(5000, d), Phase::Done);
    }

    #[test]
    fn overall_status_aggregates_instances() {
        let mut inv = Invocation::for_test("t-1", 0, vec![run(success()), run(success())]);
        assert_eq!(inv.statuses(10, Duration::ZERO), ("Success", "Finished"));
        inv.runs[1].outcome = Outcome::rejected("ClientNotRunning", "agent off");
        assert_eq!(inv.statuses(10, Duration::ZERO), ("PartialFailed", "PartialFinished"));
        inv.runs[0].outcome = Outcome::rejected("ClientNotRunning", "agent off");
        assert_eq!(inv.statuses(10, Duration::ZERO), ("Failed", "Failed"));
        assert_eq!(inv.statuses(10, Duration::from_secs(1)), ("Pending", "Running"));
        assert!(inv.is_finished(10, Duration::ZERO));
        assert!(!inv.is_finished(10, Duration::from_secs(1)));
        inv.runs[0].stopped_after_ms = Some(5);
        assert!(!inv.is_finished(10, Duration::from_secs(1)), "one run still pending");
        inv.runs[1].stopped_after_ms = Some(5);
        assert!(inv.is_finished(10, Duration::from_secs(1)), "both cancelled");
    }

    #[test]
    fn placeholders_are_found_once_in_order() {
        assert_eq!(placeholders("echo {{a}} {{ b }} {{a}} {{"), vec!["a".to_owned(), "b".to_owned()]);
    }
}
