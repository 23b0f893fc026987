//! Verification: `whoami` through Cloud Assistant with the NEW user's AccessKey, as each allowed OS user (expect
//! success and that user's name) and as `root`/`system` (expect `Forbidden.RAM`).

use acs_core::waiter::WaiterConfig;
use ecs_client::{CommandType, InstanceOutcome};

use crate::context::Ctx;
use crate::report::{Actual, Check, Expected, ProgressEvent};
use crate::Clients;

/// What to run and where.
#[derive(Clone, Debug)]
pub(crate) struct VerifySpec {
    pub(crate) region: String,
    pub(crate) instance: String,
    pub(crate) windows: Option<WindowsSpec>,
    /// (OS user, expected outcome), in order.
    pub(crate) runs: Vec<(String, Expected)>,
    /// The apply of this process changed policies: a refusal may still be propagation, so retry it a while.
    pub(crate) fresh: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct WindowsSpec {
    pub(crate) password_param: String,
    pub(crate) role_name: String,
}

pub(crate) struct Waits<'a> {
    pub(crate) propagation: &'a WaiterConfig,
    pub(crate) command: &'a WaiterConfig,
}

pub(crate) async fn run(user_clients: &Clients, spec: &VerifySpec, ctx: &Ctx<'_>, waits: &Waits<'_>) -> Vec<Check> {
    let mut checks = Vec::new();
    for (user, expected) in &spec.runs {
        ctx.emit(ProgressEvent::CheckStarted { run_as: user.clone() });
        let check = run_one(user_clients, spec, user, *expected, ctx, waits).await;
        ctx.emit(ProgressEvent::CheckFinished { check: check.clone() });
        checks.push(check);
    }
    checks
}

fn is_system_user(user: &str) -> bool {
    user.eq_ignore_ascii_case("system") || user.eq_ignore_ascii_case("root")
}

/// The agent could not yet use a role or policy this process just set up (it propagates to the instance).
fn agent_not_ready(spec: &VerifySpec, check: &Check) -> bool {
    spec.fresh
        && check.expected == Expected::Allowed
        && check.actual == Actual::Error
        && check
            .error_code
            .as_deref()
            .is_some_and(|c| c.starts_with("RoleNameFailed") || c.starts_with("ParameterFailed"))
}

async fn run_one(
    clients: &Clients,
    spec: &VerifySpec,
    user: &str,
    expected: Expected,
    ctx: &Ctx<'_>,
    waits: &Waits<'_>,
) -> Check {
    let started = tokio::time::Instant::now();
    let mut delay = waits.propagation.initial_delay;
    loop {
        let check = attempt(clients, spec, user, expected, ctx, waits, started).await;
        if !agent_not_ready(spec, &check) || started.elapsed() + delay > waits.propagation.deadline {
            return check;
        }
        ctx.emit(ProgressEvent::Waiting { what: "waiting for the instance role to reach the agent".into() });
        tokio::time::sleep(delay).await;
        ctx.emit(ProgressEvent::WaitOver);
        delay = (delay * 2).min(waits.propagation.max_delay);
    }
}

/// One RunCommand (retried while a fresh key or policy propagates) and its result.
async fn attempt(
    clients: &Clients,
    spec: &VerifySpec,
    user: &str,
    expected: Expected,
    ctx: &Ctx<'_>,
    waits: &Waits<'_>,
    started: tokio::time::Instant,
) -> Check {
    let mut check = Check {
        run_as: user.to_owned(),
        expected,
        actual: Actual::Error,
        invoke_id: None,
        output: None,
        error_code: None,
        explanation: None,
    };
    let mut run = clients
        .ecs
        .run_command()
        .region_id(&spec.region)
        .instance_ids([spec.instance.as_str()])
        .command_content("whoami")
        .username(user)
        .name("runas-workflow-verify")
        .timeout(60);
    run = match &spec.windows {
        Some(w) => {
            let run = run.command_type(CommandType::RunPowerShellScript);
            if is_system_user(user) {
                run
            } else {
                run.windows_password_name(&w.password_param)
            }
        }
        None => run.command_type(CommandType::RunShellScript),
    };
    // Send, retrying while a fresh key or a fresh policy propagates.
    let mut delay = waits.propagation.initial_delay;
    let mut announced = false;
    let sent = loop {
        let result = run.clone().send().await;
        let retry = match &result {
            Err(e) => {
                let code = e.code().unwrap_or("");
                code == "InvalidAccessKeyId.NotFound"
                    || (code == "Forbidden.RAM" && expected == Expected::Allowed && spec.fresh)
            }
            Ok(_) => false,
        };
        if !retry || started.elapsed() + delay > waits.propagation.deadline {
            break result;
        }
        if !announced {
            ctx.emit(ProgressEvent::Waiting { what: "waiting for the new AccessKey and policies to propagate".into() });
            announced = true;
        }
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(waits.propagation.max_delay);
    };
    if announced {
        ctx.emit(ProgressEvent::WaitOver);
    }
    let invoke_id = match sent {
        Ok(resp) => resp.invoke_id.filter(|id| !id.is_empty()),
        Err(e) => {
            let code = e.code().map(str::to_owned);
            if code.as_deref() == Some("Forbidden.RAM") {
                check.actual = Actual::Denied;
                if expected == Expected::Allowed {
                    check.explanation = Some(format!(
                        "RAM refused RunCommand as {user}: the run-as policy attached to the user does not allow \
                         {user} (or has not propagated yet)"
                    ));
                }
            } else {
                check.explanation = Some(format!("RunCommand as {user} failed: {e}"));
            }
            check.error_code = code;
            return check;
        }
    };
    let Some(invoke_id) = invoke_id else {
        check.explanation = Some("RunCommand returned no InvokeId".into());
        return check;
    };
    check.invoke_id = Some(invoke_id.clone());
    ctx.emit(ProgressEvent::Waiting { what: format!("whoami as {user} on {}", spec.instance) });
    let outcome = clients.ecs.wait_for_invocation_with(&spec.region, &invoke_id, waits.command).await;
    ctx.emit(ProgressEvent::WaitOver);
    let outcome = match outcome {
        Ok(o) => o,
        Err(e) => {
            check.explanation = Some(format!("could not read the result of invocation {invoke_id}: {e}"));
            check.error_code = e.code().map(str::to_owned);
            return check;
        }
    };
    let Some(instance) = outcome.instances.into_iter().find(|i| i.instance_id == spec.instance) else {
        check.explanation = Some(format!("invocation {invoke_id} reported no result for {}", spec.instance));
        return check;
    };
    let output = instance.output.trim().to_owned();
    if instance.succeeded() {
        check.actual = Actual::Allowed;
        if !crate::report::output_names_user(&output, user) {
            check.explanation = Some(format!("the command ran, but whoami printed {output:?} instead of {user}"));
        } else if expected == Expected::Denied {
            check.explanation =
                Some(format!("RAM let the command run as {user}: the run-as policy does not exclude {user}"));
        }
        check.output = Some(output);
        return check;
    }
    let code = instance.error_code.as_ref().map(|c| c.as_str().to_owned());
    check.error_code = code.clone().or_else(|| Some(instance.status.to_string()));
    check.explanation = Some(explain_failure(spec, user, &instance));
    check.output = Some(if output.is_empty() { instance.error_info.clone().unwrap_or_default() } else { output });
    check
}

/// The agent's reason, in words a person can act on.
pub(crate) fn explain_failure(spec: &VerifySpec, user: &str, outcome: &InstanceOutcome) -> String {
    let code = outcome.error_code.as_ref().map(|c| c.as_str()).unwrap_or("");
    let info = outcome.error_info.as_deref().unwrap_or("");
    let instance = &spec.instance;
    let (param, role) = match &spec.windows {
        Some(w) => (w.password_param.as_str(), w.role_name.as_str()),
        None => ("", ""),
    };
    let has = |needle: &str| code.starts_with(needle) || info.contains(needle);
    let advice = if has("RoleNameFailed") {
        format!(
            "the Cloud Assistant agent on {instance} found no RAM role on the instance, so it cannot read the \
             password parameter {param}: attach role {role} to the instance (windows-setup does this) and run again"
        )
    } else if has("ParameterFailed") {
        format!(
            "the agent on {instance} could not read the encrypted parameter {param} with the instance's role: \
             check that role {role} is attached and has oos:GetSecretParameter and kms:GetSecretValue, and that \
             the parameter exists in {}",
            spec.region
        )
    } else if has("UsernameOrPasswordInvalid") {
        format!("Windows refused the password stored in {param} for {user}: update the parameter with that user's current password")
    } else if has("UserInvalid") || has("AccountNotExists") {
        format!("OS user {user} does not exist on {instance}: create it, or verify with another user")
    } else if has("ClientNotRunning") || has("ClientNotResponse") {
        format!("the Cloud Assistant agent on {instance} is not running or not responding: start or reinstall it")
    } else if has("InstanceNotRunning") {
        format!("instance {instance} is not running: start it and run again")
    } else {
        format!(
            "the command failed on {instance} ({}{})",
            outcome.status,
            if code.is_empty() { String::new() } else { format!(", {code}") }
        )
    };
    if info.is_empty() {
        advice
    } else {
        format!("{advice} (agent: {info})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ecs_client::{InstanceInvocationStatus, InvocationErrorCode};

    fn failed(code: &str, info: &str) -> InstanceOutcome {
        InstanceOutcome {
            instance_id: "i-1".into(),
            status: InstanceInvocationStatus::Failed,
            exit_code: None,
            error_code: Some(InvocationErrorCode::from(code)),
            error_info: Some(info.into()),
            output: String::new(),
            dropped: None,
            username: None,
        }
    }

    fn spec() -> VerifySpec {
        VerifySpec {
            region: "cn-hangzhou".into(),
            instance: "i-1".into(),
            windows: Some(WindowsSpec {
                password_param: "axtSecretPassword".into(),
                role_name: "AxtSecretRamRole".into(),
            }),
            runs: vec![],
            fresh: false,
        }
    }

    #[test]
    fn agent_reasons_become_advice() {
        let e = explain_failure(&spec(), "user01", &failed("RoleNameFailed", "no role"));
        assert!(e.contains("attach role AxtSecretRamRole"), "{e}");
        let e = explain_failure(&spec(), "user01", &failed("ParameterFailed", ""));
        assert!(e.contains("oos:GetSecretParameter"), "{e}");
        let e = explain_failure(&spec(), "user01", &failed("UsernameOrPasswordInvalid_user01", ""));
        assert!(e.contains("update the parameter"), "{e}");
        let e = explain_failure(&spec(), "bob", &failed("AccountNotExists", ""));
        assert!(e.contains("bob does not exist"), "{e}");
        let e = explain_failure(&spec(), "user01", &failed("ExitCodeNonzero", "exit 1"));
        assert!(e.contains("ExitCodeNonzero") && e.contains("exit 1"), "{e}");
    }
}
