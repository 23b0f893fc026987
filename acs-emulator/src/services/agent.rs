//! The simulated Cloud Assistant agent. It never executes anything on the host.
//!
//! For each instance of an invocation it decides the outcome the real agent would report:
//! 1. the instance must be `Running` (`InstanceNotRunning`) and run the agent (`ClientNotRunning`), and the
//!    command type must suit its OS (`CommandNotApplicable`);
//! 2. the run-as user: on Linux it must exist (`AccountNotExists`); on Windows any user but `System` needs a
//!    password, which the agent reads like the real one does — with the credentials of the instance's RAM role
//!    (from [`sts::issue_instance_session`]) it calls OOS `GetSecretParameter(WithDecryption=true)` on the
//!    parameter named by `WindowsPasswordName` in the instance's region, which needs `oos:GetSecretParameter`
//!    and `kms:GetSecretValue` — then logs the user on. Failures: `RoleNameFailed` (no role, unknown role, role
//!    not trusted by `ecs.aliyuncs.com`), `ParameterFailed` (no parameter name, parameter missing, permission
//!    denied, undecryptable), `UserInvalid_<user>` (no such user), `UsernameOrPasswordInvalid_<user>` (the
//!    parameter does not hold the user's password);
//! 3. the script runs in a tiny interpreter ([`interpret`]): `whoami`, `echo`, `hostname`, `exit N`, `sleep N`
//!    (simulated time), `true`/`false`, blank and comment lines, commands joined by `;`, `&&`, `||`; anything
//!    else is `<cmd>: command not found` with status 127. A non-zero exit is `Failed`/`ExitCodeNonzero`;
//!    sleeping past `Timeout` is `Timeout`/`ExecutionTimeout`.

use crate::authz::{self, Check, RequestEnv};
use crate::services::ecs::model::{Instance, Os, Outcome};
use crate::services::{oos, sts};
use crate::state::State;
use secrecy::ExposeSecret;

/// The service principal an instance role must trust.
pub const ECS_SERVICE: &str = "ecs.aliyuncs.com";

/// `Output` keeps at most this many bytes.
pub const MAX_OUTPUT: usize = 24 * 1024;

/// One script on one instance.
#[derive(Clone, Debug)]
pub struct Job<'a> {
    /// The target (a snapshot).
    pub instance: &'a Instance,
    /// The run-as user (already defaulted).
    pub username: &'a str,
    /// `WindowsPasswordName`.
    pub password_name: Option<&'a str>,
    /// Command type.
    pub command_type: &'a str,
    /// The script.
    pub script: &'a str,
    /// `Timeout` in seconds.
    pub timeout_secs: u64,
}

/// What the interpreter produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptRun {
    /// Exit code.
    pub exit_code: i64,
    /// stdout and stderr, interleaved.
    pub output: String,
    /// Seconds slept.
    pub simulated_secs: u64,
    /// Whether the sleeps exceeded the timeout (the script was killed).
    pub timed_out: bool,
}

/// Runs `job` and returns the per-instance outcome (may issue an instance-role STS session on Windows).
pub fn execute(state: &mut State, job: &Job<'_>, now: i64) -> Outcome {
    let instance = job.instance;
    if instance.status != "Running" {
        return Outcome::rejected(
            "InstanceNotRunning",
            format!("the instance is {}; start it before running commands", instance.status),
        );
    }
    if !instance.cloud_assistant {
        return Outcome::rejected(
            "ClientNotRunning",
            "the Cloud Assistant agent is not running on the instance; install or start it",
        );
    }
    if !instance.os.runs(job.command_type) {
        return Outcome::rejected(
            "CommandNotApplicable",
            format!("a {} command cannot run on a {} instance", job.command_type, instance.os.title()),
        );
    }
    let whoami = match instance.os {
        Os::Linux => {
            if instance.user(job.username).is_none() {
                return Outcome::rejected(
                    "AccountNotExists",
                    format!("the user {} does not exist on the instance", job.username),
                );
            }
            job.username.to_owned()
        }
        Os::Windows => {
            if job.username.eq_ignore_ascii_case("System") {
                "nt authority\\system".to_owned()
            } else {
                if let Err(outcome) = windows_logon(state, job, now) {
                    return outcome;
                }
                // A local account's domain is the computer's NetBIOS name: the first 15 characters of the host name.
                let netbios: String = instance.name.chars().take(15).collect();
                format!("{netbios}\\{}", job.username).to_lowercase()
            }
        }
    };
    let mut run = interpret(job.script, &whoami, &instance.name, job.timeout_secs);
    if instance.os == Os::Linux && !run.timed_out {
        // A Linux process exit status is one byte: `exit 256` is 0, `exit -1` is 255.
        run.exit_code = run.exit_code.rem_euclid(256);
    }
    let (output, dropped) = truncate(run.output);
    let (status, error_code, error_info) = if run.timed_out {
        ("Timeout", "ExecutionTimeout", format!("the command ran longer than its timeout of {}s", job.timeout_secs))
    } else if run.exit_code != 0 {
        ("Failed", "ExitCodeNonzero", format!("the command exited with code {}", run.exit_code))
    } else {
        ("Success", "", String::new())
    };
    Outcome {
        status,
        exit_code: run.exit_code,
        output,
        dropped,
        error_code: error_code.to_owned(),
        error_info,
        started: true,
        simulated_secs: run.simulated_secs,
    }
}

fn truncate(mut output: String) -> (String, usize) {
    if output.len() <= MAX_OUTPUT {
        return (output, 0);
    }
    let mut cut = MAX_OUTPUT;
    while !output.is_char_boundary(cut) {
        cut -= 1;
    }
    let dropped = output.len() - cut;
    output.truncate(cut);
    (output, dropped)
}

/// Reads the Windows password the way the real agent does and checks it against the user's.
fn windows_logon(state: &mut State, job: &Job<'_>, now: i64) -> Result<(), Outcome> {
    let instance = job.instance;
    let user = job.username;
    let parameter_failed = |info: String| Outcome::rejected("ParameterFailed", info);
    let Some(name) = job.password_name.filter(|n| !n.is_empty()) else {
        return Err(parameter_failed(format!(
            "no WindowsPasswordName was given; running as {user} needs the name of an OOS encrypted parameter \
             holding the user's password"
        )));
    };
    let Some(role_name) = state.ecs.instance_ram_role(&instance.id).map(str::to_owned) else {
        return Err(Outcome::rejected(
            "RoleNameFailed",
            "no RAM role is attached to the instance; attach a role trusted by ecs.aliyuncs.com that may call \
             oos:GetSecretParameter and kms:GetSecretValue",
        ));
    };
    let Some(role) = state.ram.role(&role_name) else {
        return Err(Outcome::rejected(
            "RoleNameFailed",
            format!("the RAM role {role_name} attached to the instance does not exist"),
        ));
    };
    let trusted = ram_policy::evaluate_trust(
        &role.trust_policy,
        &ram_policy::TrustPrincipal::Service(ECS_SERVICE.to_owned()),
        &ram_policy::Context::new(),
    );
    if !trusted.is_allowed() {
        return Err(Outcome::rejected(
            "RoleNameFailed",
            format!("the trust policy of RAM role {role_name} does not let {ECS_SERVICE} assume it"),
        ));
    }
    let principal = sts::issue_instance_session(state, &instance.id, now)
        .and_then(|creds| sts::principal_of(state, &creds.access_key_id, now))
        .ok_or_else(|| {
            Outcome::rejected("RoleNameFailed", format!("no credentials could be issued for RAM role {role_name}"))
        })?;
    let env = RequestEnv::internal(now);
    let region = &instance.region;
    let parameter_arn = format!("acs:oos:{region}:{}:secretparameter/{name}", state.account_id);
    let check = Check::new("oos:GetSecretParameter").resource(parameter_arn.clone());
    if authz::authorize(state, &principal, &env, &check).is_err() {
        return Err(parameter_failed(format!(
            "the instance role {role_name} is not allowed oos:GetSecretParameter on {parameter_arn}"
        )));
    }
    let Some(parameter) = state.oos.parameter(region, name) else {
        return Err(parameter_failed(format!(
            "the OOS secret parameter {name} does not exist in region {region} (it must be in the instance's region)"
        )));
    };
    let key_arn = format!("acs:kms:{region}:{}:key/{}", state.account_id, parameter.key_id);
    let check = Check::new("kms:GetSecretValue").resource(key_arn);
    if authz::authorize(state, &principal, &env, &check).is_err() {
        return Err(parameter_failed(format!(
            "the instance role {role_name} is not allowed kms:GetSecretValue, needed to decrypt parameter {name}"
        )));
    }
    let password = oos::decrypt_value(state, parameter)
        .map_err(|e| parameter_failed(format!("the parameter {name} could not be decrypted: {}", e.code)))?;
    let Some(os_user) = instance.user(user) else {
        return Err(Outcome::rejected(
            format!("UserInvalid_{user}"),
            format!("the user {user} does not exist on the instance"),
        ));
    };
    let matches = os_user.password.as_ref().is_some_and(|p| acs_signer::signatures_equal(p.expose_secret(), &password));
    if !matches {
        return Err(Outcome::rejected(
            format!("UsernameOrPasswordInvalid_{user}"),
            format!("the password stored in parameter {name} is not the logon password of {user}"),
        ));
    }
    Ok(())
}

/// Interprets a script: see the module documentation for the commands it knows. Commands on one line may be joined
/// with `;`, `&&` and `||` (outside quotes), with the shell's meaning.
pub fn interpret(script: &str, whoami: &str, hostname: &str, timeout_secs: u64) -> ScriptRun {
    let mut run = ScriptRun { exit_code: 0, output: String::new(), simulated_secs: 0, timed_out: false };
    for raw in script.lines() {
        let line = raw.trim();
        let lower = line.to_ascii_lowercase();
        if line.is_empty()
            || line.starts_with('#')
            || line.starts_with("::")
            || lower == "rem"
            || lower.starts_with("rem ")
        {
            continue;
        }
        if lower == "@echo off" || lower.starts_with("#!") {
            continue;
        }
        for (joiner, command) in split_commands(line) {
            let runs = match joiner {
                Joiner::Always => true,
                Joiner::IfSucceeded => run.exit_code == 0,
                Joiner::IfFailed => run.exit_code != 0,
            };
            if runs && command.is_empty() {
                continue;
            }
            if runs && run_one(command, whoami, hostname, timeout_secs, &mut run) == Flow::Stop {
                return run;
            }
        }
    }
    run
}

/// How a command is joined to the one before it on the same line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Joiner {
    /// First command of the line, or after `;`.
    Always,
    /// After `&&`.
    IfSucceeded,
    /// After `||`.
    IfFailed,
}

/// Splits a line at `;`, `&&` and `||` outside single or double quotes.
fn split_commands(line: &str) -> Vec<(Joiner, &str)> {
    let bytes = line.as_bytes();
    let (mut out, mut start, mut joiner, mut quote) = (Vec::new(), 0, Joiner::Always, None::<u8>);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None => {
                let next = match (b, bytes.get(i + 1)) {
                    (b';', _) => Some((Joiner::Always, 1)),
                    (b'&', Some(b'&')) => Some((Joiner::IfSucceeded, 2)),
                    (b'|', Some(b'|')) => Some((Joiner::IfFailed, 2)),
                    _ => None,
                };
                if let Some((next_joiner, width)) = next {
                    out.push((joiner, line[start..i].trim()));
                    joiner = next_joiner;
                    start = i + width;
                    i += width;
                    continue;
                }
            }
        }
        i += 1;
    }
    out.push((joiner, line[start..].trim()));
    out
}

/// Whether the script goes on after a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flow {
    Continue,
    Stop,
}

fn run_one(line: &str, whoami: &str, hostname: &str, timeout_secs: u64, run: &mut ScriptRun) -> Flow {
    let (cmd, args) = line.split_once(char::is_whitespace).map_or((line, ""), |(c, a)| (c, a.trim()));
    let cmd = cmd.trim_start_matches('@');
    match cmd.to_ascii_lowercase().as_str() {
        "whoami" => {
            run.output.push_str(whoami);
            run.output.push('\n');
            run.exit_code = 0;
        }
        "hostname" => {
            run.output.push_str(hostname);
            run.output.push('\n');
            run.exit_code = 0;
        }
        "echo" | "write-output" | "write-host" => {
            run.output.push_str(&unquote(args));
            run.output.push('\n');
            run.exit_code = 0;
        }
        "true" => run.exit_code = 0,
        "false" => run.exit_code = 1,
        "exit" => {
            let arg = args.split_whitespace().find(|a| !a.eq_ignore_ascii_case("/b")).unwrap_or("");
            run.exit_code = if arg.is_empty() { run.exit_code } else { arg.parse().unwrap_or(2) };
            return Flow::Stop;
        }
        "sleep" | "start-sleep" => {
            let secs = args
                .split_whitespace()
                .filter(|a| !a.starts_with('-'))
                .find_map(|a| a.trim_end_matches('s').parse::<f64>().ok())
                .unwrap_or(0.0);
            let secs = if secs.is_finite() && secs > 0.0 { secs.ceil() as u64 } else { 0 };
            run.simulated_secs = run.simulated_secs.saturating_add(secs);
            run.exit_code = 0;
            if run.simulated_secs > timeout_secs {
                run.simulated_secs = timeout_secs;
                run.timed_out = true;
                run.exit_code = -1;
                return Flow::Stop;
            }
        }
        _ => {
            run.output.push_str(&format!("{cmd}: command not found\n"));
            run.exit_code = 127;
        }
    }
    Flow::Continue
}

fn unquote(args: &str) -> String {
    let t = args.trim();
    for q in ['"', '\''] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            return t[1..t.len() - 1].to_owned();
        }
    }
    t.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpreter_knows_a_few_commands() {
        let r = interpret("#!/bin/bash\n# comment\n\nwhoami\necho 'hi there'\nhostname\n", "user01", "demo", 60);
        assert_eq!(r.output, "user01\nhi there\ndemo\n");
        assert_eq!(r.exit_code, 0);
        let r = interpret("echo a\nexit 3\necho never", "root", "h", 60);
        assert_eq!((r.exit_code, r.output.as_str()), (3, "a\n"));
        let r = interpret("ls -l", "root", "h", 60);
        assert_eq!((r.exit_code, r.output.as_str()), (127, "ls: command not found\n"));
        let r = interpret("ls\necho ok", "root", "h", 60);
        assert_eq!(r.exit_code, 0, "like a shell, the last command decides");
    }

    #[test]
    fn commands_on_one_line_follow_the_shell_joiners() {
        let r = interpret("echo hi; whoami", "user01", "h", 60);
        assert_eq!((r.exit_code, r.output.as_str()), (0, "hi\nuser01\n"));
        let r = interpret("false && echo no || echo yes", "root", "h", 60);
        assert_eq!((r.exit_code, r.output.as_str()), (0, "yes\n"));
        let r = interpret("true || echo no; echo 'a; b && c'", "root", "h", 60);
        assert_eq!(r.output, "a; b && c\n", "joiners inside quotes are text");
        let r = interpret("whoami && exit 4; echo never", "root", "h", 60);
        assert_eq!((r.exit_code, r.output.as_str()), (4, "root\n"));
        let r = interpret("foo || exit 9", "root", "h", 60);
        assert_eq!((r.exit_code, r.output.as_str()), (9, "foo: command not found\n"));
        let r = interpret(";;echo x;", "root", "h", 60);
        assert_eq!((r.exit_code, r.output.as_str()), (0, "x\n"));
    }

    #[test]
    fn sleeps_are_simulated_and_time_out() {
        let r = interpret("sleep 5\nsleep 10", "root", "h", 60);
        assert_eq!((r.simulated_secs, r.timed_out), (15, false));
        let r = interpret("sleep 30\nsleep 40\necho late", "root", "h", 60);
        assert!(r.timed_out);
        assert_eq!(r.simulated_secs, 60);
        assert!(!r.output.contains("late"));
    }

    #[test]
    fn output_is_capped_at_24_kb() {
        let (out, dropped) = truncate("x".repeat(MAX_OUTPUT + 10));
        assert_eq!((out.len(), dropped), (MAX_OUTPUT, 10));
    }
}
