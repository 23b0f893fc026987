//! DescribeInvocations and DescribeInvocationResults: statuses computed from the clock (see [`super::model`]).

use super::model::{now_ms, InstanceRun, Invocation, Phase};
use super::{date, encode_base64, encoded, Ctx, Reply};
use crate::services::paging::Page;
use serde_json::{json, Map, Value};
use std::time::Duration;

/// Times of one run: (start, finish) in Unix seconds, when known.
fn run_times(inv: &Invocation, run: &InstanceRun, phase: Phase, delay: Duration) -> (Option<i64>, Option<i64>) {
    let created = inv.created();
    let half = i64::try_from(delay.as_secs() / 2).unwrap_or(0);
    let full = i64::try_from(delay.as_secs()).unwrap_or(0);
    let sim = i64::try_from(run.outcome.simulated_secs).unwrap_or(0);
    let stopped = run.stopped_after_ms.map(|ms| created + i64::try_from(ms / 1000).unwrap_or(0));
    match phase {
        Phase::Pending => (None, None),
        Phase::Running => (Some(created + half), None),
        Phase::Cancelled => (None, stopped),
        Phase::Terminated => (Some(created + half), stopped),
        Phase::Done if !run.outcome.started => (None, Some(created + full)),
        Phase::Done => (Some(created + half), Some(created + full.max(half) + sim)),
    }
}

struct View<'a> {
    phase: Phase,
    status: &'static str,
    record: &'static str,
    start: String,
    finish: String,
    output: String,
    run: &'a InstanceRun,
}

fn view<'a>(inv: &Invocation, run: &'a InstanceRun, now: u128, delay: Duration, base64: bool) -> View<'a> {
    let phase = run.phase(now.saturating_sub(inv.created_ms), delay);
    let (start, finish) = run_times(inv, run, phase, delay);
    let output = if phase == Phase::Done { encoded(&run.outcome.output, base64) } else { String::new() };
    View {
        phase,
        status: run.status(phase),
        record: run.record_status(phase),
        start: start.map(date).unwrap_or_default(),
        finish: finish.map(date).unwrap_or_default(),
        output,
        run,
    }
}

/// `ErrorCode`/`ErrorInfo`/`ExitCode`/`Dropped` of a view (empty until finished; stops explain themselves).
fn error_fields(v: &View<'_>) -> (String, String, i64, usize) {
    match v.phase {
        Phase::Done => (
            v.run.outcome.error_code.clone(),
            v.run.outcome.error_info.clone(),
            v.run.outcome.exit_code,
            v.run.outcome.dropped,
        ),
        Phase::Cancelled => ("".into(), "the invocation was stopped before the command started".into(), 0, 0),
        Phase::Terminated => ("ExecutionInterrupted".into(), "the invocation was stopped while running".into(), 0, 0),
        _ => (String::new(), String::new(), 0, 0),
    }
}

fn matches_invoke_status(wanted: Option<&str>, overall: (&str, &str)) -> bool {
    wanted.is_none_or(|w| w.eq_ignore_ascii_case(overall.0) || w.eq_ignore_ascii_case(overall.1))
}

pub(super) fn describe_invocations(ctx: &mut Ctx<'_>) -> Reply {
    let region = ctx.region()?;
    let arn = ctx.arn(region, "*");
    ctx.authorize([arn], &[])?;
    let base64 = encode_base64(ctx)?;
    let include_output = ctx.params.bool("IncludeOutput")?.unwrap_or(false);
    let page = Page::ecs(ctx.params)?;
    let p = ctx.params;
    let (invoke_id, command_id, command_name, command_type, instance_id, status) = (
        p.non_empty("InvokeId"),
        p.non_empty("CommandId"),
        p.non_empty("CommandName"),
        p.non_empty("CommandType"),
        p.non_empty("InstanceId"),
        p.non_empty("InvokeStatus"),
    );
    let delay = ctx.shared().execution_delay();
    let now = now_ms();
    let selected: Vec<&Invocation> = ctx
        .state
        .ecs
        .select_invocations(region, invoke_id)
        .into_iter()
        .filter(|i| command_id.is_none_or(|v| i.command_id == v))
        .filter(|i| command_name.is_none_or(|v| i.command_name == v))
        .filter(|i| command_type.is_none_or(|v| i.command_type == v))
        .filter(|i| instance_id.is_none_or(|v| i.runs.iter().any(|r| r.instance_id == v)))
        .filter(|i| matches_invoke_status(status, i.statuses(now, delay)))
        .collect();
    let (selected, info) = page.take(selected);
    let invocations: Vec<Value> = selected
        .into_iter()
        .map(|inv| {
            let (overall, legacy) = inv.statuses(now, delay);
            let instances: Vec<Value> = inv
                .runs
                .iter()
                .map(|run| {
                    let v = view(inv, run, now, delay, base64);
                    let (code, info, exit, dropped) = error_fields(&v);
                    let mut m = Map::new();
                    m.insert("InstanceId".into(), json!(run.instance_id));
                    m.insert("InvocationStatus".into(), json!(v.status));
                    m.insert("InstanceInvokeStatus".into(), json!(v.record));
                    m.insert("CreationTime".into(), json!(date(inv.created())));
                    m.insert(
                        "UpdateTime".into(),
                        json!(if v.finish.is_empty() { v.start.clone() } else { v.finish.clone() }),
                    );
                    m.insert("StartTime".into(), json!(v.start));
                    m.insert("FinishTime".into(), json!(v.finish));
                    m.insert(
                        "StopTime".into(),
                        json!(if matches!(v.phase, Phase::Cancelled | Phase::Terminated) {
                            v.finish.clone()
                        } else {
                            String::new()
                        }),
                    );
                    m.insert("ExitCode".into(), json!(exit));
                    m.insert("ErrorCode".into(), json!(code));
                    m.insert("ErrorInfo".into(), json!(info));
                    m.insert("Dropped".into(), json!(dropped));
                    m.insert("Repeats".into(), json!(u8::from(v.phase != Phase::Pending)));
                    m.insert("Timed".into(), json!(false));
                    m.insert("OssOutputStatus".into(), json!(""));
                    m.insert("OssOutputUri".into(), json!(""));
                    m.insert("OssOutputErrorCode".into(), json!(""));
                    m.insert("OssOutputErrorInfo".into(), json!(""));
                    if include_output {
                        m.insert("Output".into(), json!(v.output));
                    }
                    Value::Object(m)
                })
                .collect();
            json!({
                "InvokeId": inv.invoke_id,
                "CommandId": inv.command_id,
                "CommandName": inv.command_name,
                "CommandDescription": inv.command_description,
                "CommandType": inv.command_type,
                "CommandContent": encoded(&inv.content, base64),
                "Parameters": inv.parameters,
                "Username": inv.username,
                "Timeout": inv.timeout,
                "WorkingDir": inv.working_dir,
                "RepeatMode": inv.repeat_mode,
                "Frequency": inv.frequency,
                "Timed": false,
                "Launcher": inv.launcher,
                "ContainerId": inv.container.0,
                "ContainerName": inv.container.1,
                "TerminationMode": inv.termination_mode,
                "OssOutputDelivery": "",
                "CreationTime": date(inv.created()),
                "InvocationStatus": overall,
                "InvokeStatus": legacy,
                "InvokeInstances": {"InvokeInstance": instances},
                "Tags": {"Tag": []},
            })
        })
        .collect();
    let mut out = Map::new();
    out.insert("Invocations".into(), json!({"Invocation": invocations}));
    info.write_ecs(&mut out);
    Ok(Value::Object(out))
}

pub(super) fn describe_results(ctx: &mut Ctx<'_>) -> Reply {
    let region = ctx.region()?;
    let arn = ctx.arn(region, "*");
    ctx.authorize([arn], &[])?;
    let base64 = encode_base64(ctx)?;
    let page = Page::ecs(ctx.params)?;
    let p = ctx.params;
    let (invoke_id, command_id, instance_id, record_status) = (
        p.non_empty("InvokeId"),
        p.non_empty("CommandId"),
        p.non_empty("InstanceId"),
        p.non_empty("InvokeRecordStatus"),
    );
    let delay = ctx.shared().execution_delay();
    let now = now_ms();
    let mut rows: Vec<(&Invocation, &InstanceRun)> = Vec::new();
    for inv in ctx.state.ecs.select_invocations(region, invoke_id) {
        if command_id.is_some_and(|v| inv.command_id != v) {
            continue;
        }
        let elapsed = now.saturating_sub(inv.created_ms);
        for run in &inv.runs {
            if instance_id.is_some_and(|v| run.instance_id != v)
                || record_status.is_some_and(|s| !s.eq_ignore_ascii_case(run.record_status(run.phase(elapsed, delay))))
            {
                continue;
            }
            rows.push((inv, run));
        }
    }
    let (rows, info) = page.take(rows);
    let results: Vec<Value> = rows
        .into_iter()
        .map(|(inv, run)| {
            let v = view(inv, run, now, delay, base64);
            let (code, error_info, exit, dropped) = error_fields(&v);
            json!({
                "InvokeId": inv.invoke_id,
                "CommandId": inv.command_id,
                "InstanceId": v.run.instance_id,
                "Username": v.run.username,
                "InvocationStatus": v.status,
                "InvokeRecordStatus": v.record,
                "Output": v.output,
                "Dropped": dropped,
                "ExitCode": exit,
                "ErrorCode": code,
                "ErrorInfo": error_info,
                "StartTime": v.start,
                "FinishedTime": v.finish,
                "StopTime": if matches!(v.phase, Phase::Cancelled | Phase::Terminated) { v.finish.clone() } else { String::new() },
                "Repeats": u8::from(v.phase != Phase::Pending),
                "Launcher": inv.launcher,
                "ContainerId": inv.container.0,
                "ContainerName": inv.container.1,
                "TerminationMode": inv.termination_mode,
                "OssOutputDelivery": "",
                "OssOutputStatus": "",
                "OssOutputUri": "",
                "OssOutputErrorCode": "",
                "OssOutputErrorInfo": "",
                "Tags": {"Tag": []},
            })
        })
        .collect();
    let mut invocation = Map::new();
    invocation.insert("InvocationResults".into(), json!({"InvocationResult": results}));
    info.write_ecs(&mut invocation);
    Ok(json!({ "Invocation": invocation }))
}
