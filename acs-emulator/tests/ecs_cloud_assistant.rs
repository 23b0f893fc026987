//! ECS Cloud Assistant over loopback: RunCommand/InvokeCommand outcomes, the script interpreter, encodings,
//! idempotency, command management, stops, pagination and validation codes.

mod support;

use acs_emulator::{Emulator, EmulatorHandle, Seed, SeedInstance};
use base64::Engine as _;
use serde_json::Value;
use std::time::Duration;
use support::*;

const R: &str = "cn-hangzhou";
const LINUX: &str = "i-emu-linux-0001";

fn seed() -> Seed {
    Seed::demo()
        .instance(SeedInstance::linux("i-stopped", R).status("Stopped").users(["user01"]))
        .instance(SeedInstance::linux("i-no-agent", R).cloud_assistant(false))
        .instance(SeedInstance::linux("i-shanghai", "cn-shanghai"))
}

async fn start() -> EmulatorHandle {
    Emulator::builder().seed(seed()).start().await.expect("emulator starts")
}

async fn start_with_delay(delay: Duration) -> EmulatorHandle {
    Emulator::builder().seed(seed()).execution_delay(delay).start().await.expect("emulator starts")
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

fn unb64(s: &str) -> String {
    String::from_utf8(base64::engine::general_purpose::STANDARD.decode(s).unwrap_or_default()).unwrap_or_default()
}

/// RunCommand as root of the account; returns the InvokeId.
async fn run(emu: &EmulatorHandle, extra: &[(&str, &str)]) -> String {
    let mut params = vec![("RegionId", R), ("Type", "RunShellScript")];
    params.extend_from_slice(extra);
    let body = ok(&emu.endpoint_url(), &Creds::root(emu), ECS, "RunCommand", &params).await;
    body["InvokeId"].as_str().unwrap_or_default().to_owned()
}

/// The PlainText results of an invocation.
async fn results(emu: &EmulatorHandle, invoke_id: &str) -> Vec<Value> {
    let body = ok(
        &emu.endpoint_url(),
        &Creds::root(emu),
        ECS,
        "DescribeInvocationResults",
        &[("RegionId", R), ("InvokeId", invoke_id), ("ContentEncoding", "PlainText")],
    )
    .await;
    body["Invocation"]["InvocationResults"]["InvocationResult"].as_array().cloned().unwrap_or_default()
}

async fn only_result(emu: &EmulatorHandle, invoke_id: &str) -> Value {
    let r = results(emu, invoke_id).await;
    assert_eq!(r.len(), 1, "{r:?}");
    r[0].clone()
}

#[tokio::test]
async fn whoami_runs_as_the_requested_user_and_output_is_base64_by_default() {
    let emu = start().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let id = run(&emu, &[("InstanceId.1", LINUX), ("CommandContent", "whoami"), ("Username", "user01")]).await;
    let r = only_result(&emu, &id).await;
    assert_eq!(r["InvocationStatus"], "Success");
    assert_eq!(r["InvokeRecordStatus"], "Finished");
    assert_eq!(r["Output"], "user01\n");
    assert_eq!(r["ExitCode"], 0);
    assert_eq!(r["Username"], "user01");
    let body = ok(&ep, &root, ECS, "DescribeInvocationResults", &[("RegionId", R), ("InvokeId", &id)]).await;
    let out = &body["Invocation"]["InvocationResults"]["InvocationResult"][0]["Output"];
    assert_eq!(out.as_str().map(unb64).as_deref(), Some("user01\n"), "Base64 by default: {body}");
    // without Username the command runs as root
    let id = run(&emu, &[("InstanceId.1", LINUX), ("CommandContent", "whoami")]).await;
    assert_eq!(only_result(&emu, &id).await["Output"], "root\n");
    // DescribeInvocations nests per-instance results and the overall status
    let body =
        ok(&ep, &root, ECS, "DescribeInvocations", &[("RegionId", R), ("InvokeId", &id), ("IncludeOutput", "true")])
            .await;
    let inv = &body["Invocations"]["Invocation"][0];
    assert_eq!(inv["InvocationStatus"], "Success");
    assert_eq!(inv["InvokeStatus"], "Finished");
    assert_eq!(inv["CommandContent"].as_str().map(unb64).as_deref(), Some("whoami"));
    let inst = &inv["InvokeInstances"]["InvokeInstance"][0];
    assert_eq!(inst["InstanceId"], LINUX);
    assert_eq!(inst["Output"].as_str().map(unb64).as_deref(), Some("root\n"));
    assert_eq!(body["TotalCount"], 1);
}

#[tokio::test]
async fn base64_content_encoding_is_decoded() {
    let emu = start().await;
    let script = b64("echo hello\nhostname\n");
    let id = run(&emu, &[("InstanceId.1", LINUX), ("CommandContent", &script), ("ContentEncoding", "Base64")]).await;
    assert_eq!(only_result(&emu, &id).await["Output"], "hello\ndemo-linux\n");
    fails(
        &emu.endpoint_url(),
        &Creds::root(&emu),
        ECS,
        "RunCommand",
        &[
            ("RegionId", R),
            ("Type", "RunShellScript"),
            ("InstanceId.1", LINUX),
            ("CommandContent", "not base64!"),
            ("ContentEncoding", "Base64"),
        ],
        "InvalidParameter",
    )
    .await;
}

#[tokio::test]
async fn each_instance_failure_mode_shows_in_the_result() {
    let emu = start().await;
    let id = run(
        &emu,
        &[
            ("InstanceId.1", "i-stopped"),
            ("InstanceId.2", "i-no-agent"),
            ("InstanceId.3", LINUX),
            ("CommandContent", "whoami"),
            ("Username", "user01"),
        ],
    )
    .await;
    let failed = ok(
        &emu.endpoint_url(),
        &Creds::root(&emu),
        ECS,
        "DescribeInvocationResults",
        &[("RegionId", R), ("InvokeId", &id), ("InvokeRecordStatus", "Failed")],
    )
    .await;
    let failed_ids: Vec<&str> = failed["Invocation"]["InvocationResults"]["InvocationResult"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["InstanceId"].as_str())
        .collect();
    assert_eq!(failed_ids, vec!["i-stopped", "i-no-agent"]);
    assert_eq!(failed["Invocation"]["TotalCount"], 2);
    let rs = results(&emu, &id).await;
    let by_id = |i: &str| rs.iter().find(|r| r["InstanceId"] == i).cloned().unwrap_or(Value::Null);
    assert_eq!(by_id("i-stopped")["ErrorCode"], "InstanceNotRunning");
    assert_eq!(by_id("i-stopped")["InvocationStatus"], "Failed");
    assert_eq!(by_id("i-no-agent")["ErrorCode"], "ClientNotRunning");
    assert!(by_id("i-no-agent")["ErrorInfo"].as_str().unwrap_or_default().contains("not running"));
    assert_eq!(by_id(LINUX)["InvocationStatus"], "Success");
    let body =
        ok(&emu.endpoint_url(), &Creds::root(&emu), ECS, "DescribeInvocations", &[("RegionId", R), ("InvokeId", &id)])
            .await;
    assert_eq!(body["Invocations"]["Invocation"][0]["InvocationStatus"], "PartialFailed");

    let id = run(&emu, &[("InstanceId.1", LINUX), ("CommandContent", "whoami"), ("Username", "nobody")]).await;
    let r = only_result(&emu, &id).await;
    assert_eq!(r["ErrorCode"], "AccountNotExists");
    assert!(r["ErrorInfo"].as_str().unwrap_or_default().contains("nobody"));

    let id = run(&emu, &[("InstanceId.1", "i-emu-windows-0001"), ("CommandContent", "whoami")]).await;
    assert_eq!(only_result(&emu, &id).await["ErrorCode"], "CommandNotApplicable");
}

#[tokio::test]
async fn exit_codes_unknown_commands_and_timeouts() {
    let emu = start().await;
    let id = run(&emu, &[("InstanceId.1", LINUX), ("CommandContent", "echo before\nexit 3\necho after")]).await;
    let r = only_result(&emu, &id).await;
    assert_eq!((r["InvocationStatus"].as_str(), r["ExitCode"].as_i64()), (Some("Failed"), Some(3)));
    assert_eq!(r["ErrorCode"], "ExitCodeNonzero");
    assert_eq!(r["Output"], "before\n");

    // A Linux exit status is one byte, as the shell reports it: `exit 256` succeeds, `exit -1` is 255.
    for (script, status, code) in [("exit 256", "Success", 0), ("exit 300", "Failed", 44), ("exit -1", "Failed", 255)] {
        let id = run(&emu, &[("InstanceId.1", LINUX), ("CommandContent", script)]).await;
        let r = only_result(&emu, &id).await;
        assert_eq!((r["InvocationStatus"].as_str(), r["ExitCode"].as_i64()), (Some(status), Some(code)), "{script}");
    }

    let id = run(&emu, &[("InstanceId.1", LINUX), ("CommandContent", "rm -rf /")]).await;
    let r = only_result(&emu, &id).await;
    assert_eq!(r["ExitCode"], 127);
    assert_eq!(r["Output"], "rm: command not found\n");
    assert_eq!(r["ErrorCode"], "ExitCodeNonzero");

    let id = run(&emu, &[("InstanceId.1", LINUX), ("CommandContent", "sleep 20\necho done"), ("Timeout", "10")]).await;
    let r = only_result(&emu, &id).await;
    assert_eq!(r["InvocationStatus"], "Timeout");
    assert_eq!(r["ErrorCode"], "ExecutionTimeout");
    assert_eq!(r["Output"], "");

    // simulated sleeps within the timeout lengthen the reported run, not the test
    let id =
        run(&emu, &[("InstanceId.1", LINUX), ("CommandContent", "sleep 3600\necho done"), ("Timeout", "7200")]).await;
    let r = only_result(&emu, &id).await;
    assert_eq!(r["InvocationStatus"], "Success");
    let start = acs_signer::parse_timestamp(r["StartTime"].as_str().unwrap_or_default()).unwrap_or(0);
    let end = acs_signer::parse_timestamp(r["FinishedTime"].as_str().unwrap_or_default()).unwrap_or(0);
    assert!(end - start >= 3600, "{r}");
}

#[tokio::test]
async fn output_over_24_kb_is_cut_and_the_cut_is_reported_as_dropped() {
    let emu = start().await;
    // Each unknown-command line `x` prints `x: command not found\n` (21 bytes): 5,000 lines print 105,000 bytes.
    let script = "x\n".repeat(5000);
    let id = run(&emu, &[("InstanceId.1", LINUX), ("CommandContent", &script)]).await;
    let r = only_result(&emu, &id).await;
    let output = r["Output"].as_str().unwrap_or_default();
    assert_eq!(output.len(), 24 * 1024);
    assert!(output.starts_with("x: command not found\n"));
    assert_eq!(r["Dropped"].as_u64(), Some(105_000 - 24 * 1024));
    // DescribeInvocations (with IncludeOutput) reports the same cut; its Output is Base64 by default.
    let params = [("RegionId", R), ("InvokeId", id.as_str()), ("IncludeOutput", "true")];
    let body = ok(&emu.endpoint_url(), &Creds::root(&emu), ECS, "DescribeInvocations", &params).await;
    let instance = &body["Invocations"]["Invocation"][0]["InvokeInstances"]["InvokeInstance"][0];
    assert_eq!(instance["Dropped"].as_u64(), Some(105_000 - 24 * 1024), "{instance}");
    assert!(unb64(instance["Output"].as_str().unwrap_or_default()) == output, "DescribeInvocations Output differs");
}

#[tokio::test]
async fn pending_invocations_can_be_stopped() {
    let emu = start_with_delay(Duration::from_secs(3600)).await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let id = run(&emu, &[("InstanceId.1", LINUX), ("CommandContent", "whoami")]).await;
    let r = only_result(&emu, &id).await;
    assert_eq!(r["InvocationStatus"], "Pending");
    assert_eq!(r["Output"], "");
    let second = run(&emu, &[("InstanceId.1", LINUX), ("CommandContent", "hostname")]).await;
    let active = || async {
        let body =
            ok(&ep, &root, ECS, "DescribeCloudAssistantStatus", &[("RegionId", R), ("InstanceId.1", LINUX)]).await;
        body["InstanceCloudAssistantStatusSet"]["InstanceCloudAssistantStatus"][0]["ActiveTaskCount"].as_u64()
    };
    assert_eq!(active().await, Some(2));
    ok(&ep, &root, ECS, "StopInvocation", &[("RegionId", R), ("InvokeId", &id)]).await;
    assert_eq!(active().await, Some(1), "the stopped invocation no longer counts");
    ok(&ep, &root, ECS, "StopInvocation", &[("RegionId", R), ("InvokeId", &second)]).await;
    assert_eq!(active().await, Some(0));
    let r = only_result(&emu, &id).await;
    assert_eq!(r["InvocationStatus"], "Cancelled");
    assert_eq!(r["InvokeRecordStatus"], "Stopped");
    let body = ok(&ep, &root, ECS, "DescribeInvocations", &[("RegionId", R), ("InvokeId", &id)]).await;
    assert_eq!(body["Invocations"]["Invocation"][0]["InvocationStatus"], "Stopped");
    fails(&ep, &root, ECS, "StopInvocation", &[("RegionId", R), ("InvokeId", "t-nope")], "InvalidInvokeId.NotFound")
        .await;
}

#[tokio::test]
async fn client_token_makes_run_command_idempotent() {
    let emu = start().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let params = [
        ("RegionId", R),
        ("Type", "RunShellScript"),
        ("InstanceId.1", LINUX),
        ("CommandContent", "whoami"),
        ("ClientToken", "token-123"),
    ];
    let first = ok(&ep, &root, ECS, "RunCommand", &params).await;
    let second = ok(&ep, &root, ECS, "RunCommand", &params).await;
    assert_eq!(first["InvokeId"], second["InvokeId"]);
    assert_eq!(first["CommandId"], second["CommandId"]);
    let body = ok(&ep, &root, ECS, "DescribeInvocations", &[("RegionId", R)]).await;
    assert_eq!(body["TotalCount"], 1, "nothing ran twice: {body}");
    let status = ok(&ep, &root, ECS, "DescribeCloudAssistantStatus", &[("RegionId", R), ("InstanceId.1", LINUX)]).await;
    assert_eq!(status["InstanceCloudAssistantStatusSet"]["InstanceCloudAssistantStatus"][0]["InvocationCount"], 1);
}

#[tokio::test]
async fn keep_command_and_the_command_lifecycle() {
    let emu = start().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let kept = ok(
        &ep,
        &root,
        ECS,
        "RunCommand",
        &[
            ("RegionId", R),
            ("Type", "RunShellScript"),
            ("InstanceId.1", LINUX),
            ("CommandContent", "whoami"),
            ("Name", "kept"),
            ("KeepCommand", "true"),
        ],
    )
    .await;
    run(&emu, &[("InstanceId.1", LINUX), ("CommandContent", "whoami"), ("Name", "dropped")]).await;
    let list = ok(&ep, &root, ECS, "DescribeCommands", &[("RegionId", R)]).await;
    let names: Vec<&str> =
        list["Commands"]["Command"].as_array().into_iter().flatten().filter_map(|c| c["Name"].as_str()).collect();
    assert_eq!(names, vec!["kept"]);
    assert_eq!(list["Commands"]["Command"][0]["CommandId"], kept["CommandId"]);

    let created = ok(
        &ep,
        &root,
        ECS,
        "CreateCommand",
        &[
            ("RegionId", R),
            ("Name", "greet"),
            ("Type", "RunShellScript"),
            ("CommandContent", &b64("echo hi {{name}}")),
            ("EnableParameter", "true"),
        ],
    )
    .await;
    let cid = created["CommandId"].as_str().unwrap_or_default().to_owned();
    let desc = ok(
        &ep,
        &root,
        ECS,
        "DescribeCommands",
        &[("RegionId", R), ("CommandId", &cid), ("ContentEncoding", "PlainText")],
    )
    .await;
    let c = &desc["Commands"]["Command"][0];
    assert_eq!(c["CommandContent"], "echo hi {{name}}");
    assert_eq!(c["ParameterNames"]["ParameterName"][0], "name");
    let inv = ok(
        &ep,
        &root,
        ECS,
        "InvokeCommand",
        &[("RegionId", R), ("CommandId", &cid), ("InstanceId.1", LINUX), ("Parameters", r#"{"name":"there"}"#)],
    )
    .await;
    let r = only_result(&emu, inv["InvokeId"].as_str().unwrap_or_default()).await;
    assert_eq!(r["Output"], "hi there\n");
    fails(
        &ep,
        &root,
        ECS,
        "InvokeCommand",
        &[("RegionId", R), ("CommandId", &cid), ("InstanceId.1", LINUX), ("Parameters", r#"{"other":"x"}"#)],
        "Parameter.NotMatched",
    )
    .await;
    ok(&ep, &root, ECS, "ModifyCommand", &[("RegionId", R), ("CommandId", &cid), ("Name", "renamed")]).await;
    let desc = ok(&ep, &root, ECS, "DescribeCommands", &[("RegionId", R), ("CommandId", &cid)]).await;
    assert_eq!(desc["Commands"]["Command"][0]["Name"], "renamed");
    assert_eq!(desc["Commands"]["Command"][0]["InvokeTimes"], 1);
    ok(&ep, &root, ECS, "DeleteCommand", &[("RegionId", R), ("CommandId", &cid)]).await;
    fails(&ep, &root, ECS, "DeleteCommand", &[("RegionId", R), ("CommandId", &cid)], "InvalidCmdId.NotFound").await;
    fails(
        &ep,
        &root,
        ECS,
        "InvokeCommand",
        &[("RegionId", R), ("CommandId", &cid), ("InstanceId.1", LINUX)],
        "InvalidCmdId.NotFound",
    )
    .await;
}

#[tokio::test]
async fn validation_codes() {
    let emu = start().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let base = [("RegionId", R), ("CommandContent", "whoami"), ("InstanceId.1", LINUX)];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut v = base.to_vec();
        v.extend_from_slice(extra);
        v
    };
    fails(&ep, &root, ECS, "RunCommand", &with(&[("Type", "RunPythonScript")]), "InvalidCmdType.NotFound").await;
    fails(&ep, &root, ECS, "RunCommand", &base, "MissingParameter").await;
    let by_tag = [
        ("RegionId", R),
        ("Type", "RunShellScript"),
        ("CommandContent", "id"),
        ("ResourceTag.1.Key", "env"),
        ("ResourceTag.1.Value", "prod"),
    ];
    fails(&ep, &root, ECS, "RunCommand", &by_tag, "InvalidParameter").await;
    let mut many: Vec<(String, String)> = vec![
        ("RegionId".into(), R.into()),
        ("Type".into(), "RunShellScript".into()),
        ("CommandContent".into(), "id".into()),
    ];
    for n in 1..=101 {
        many.push((format!("InstanceId.{n}"), format!("i-{n}")));
    }
    let many: Vec<(&str, &str)> = many.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    fails(&ep, &root, ECS, "RunCommand", &many, "InstanceIds.ExceedLimit").await;
    // Repeats of one instance count once; a body-filling list (60,000 ids) is refused promptly with the same code
    // (its de-duplication used to be quadratic, holding the state lock for seconds).
    let mut repeated = vec![("RegionId", R), ("Type", "RunShellScript"), ("CommandContent", "id")];
    let names: Vec<String> = (1..=60_000).map(|n| format!("InstanceId.{n}")).collect();
    repeated.extend(names.iter().take(150).map(|n| (n.as_str(), LINUX)));
    let body = ok(&ep, &root, ECS, "RunCommand", &repeated).await;
    assert_eq!(results(&emu, body["InvokeId"].as_str().unwrap_or_default()).await.len(), 1);
    let ids: Vec<String> = (1..=60_000).map(|n| format!("i-{n}")).collect();
    let mut huge = vec![("RegionId", R), ("Type", "RunShellScript"), ("CommandContent", "id")];
    huge.extend(names.iter().map(String::as_str).zip(ids.iter().map(String::as_str)));
    let (status, body) = call_with(Style::V3Form, &ep, &root, ECS, "RunCommand", &huge).await;
    assert_eq!((status, body["Code"].as_str()), (403, Some("InstanceIds.ExceedLimit")));
    let other_region =
        [("RegionId", R), ("Type", "RunShellScript"), ("CommandContent", "id"), ("InstanceId.1", "i-shanghai")];
    fails(&ep, &root, ECS, "RunCommand", &other_region, "InvalidInstance.NotFound").await;
    let long_user = "u".repeat(256);
    let params = [
        ("RegionId", R),
        ("Type", "RunShellScript"),
        ("CommandContent", "id"),
        ("InstanceId.1", LINUX),
        ("Username", long_user.as_str()),
    ];
    fails(&ep, &root, ECS, "RunCommand", &params, "Username.ExceedLimit").await;
    let deep = format!("/{}", "d".repeat(200));
    let params = [
        ("RegionId", R),
        ("Type", "RunShellScript"),
        ("CommandContent", "id"),
        ("InstanceId.1", LINUX),
        ("WorkingDir", deep.as_str()),
    ];
    fails(&ep, &root, ECS, "RunCommand", &params, "InvalidParameter").await;
    let create = [
        ("RegionId", R),
        ("Name", "n"),
        ("Type", "RunShellScript"),
        ("CommandContent", "aWQ="),
        ("WorkingDir", deep.as_str()),
    ];
    fails(&ep, &root, ECS, "CreateCommand", &create, "InvalidParameter").await;
    let invoke = [("RegionId", R), ("CommandId", "c-unknown"), ("InstanceId.1", LINUX), ("WorkingDir", deep.as_str())];
    fails(&ep, &root, ECS, "InvokeCommand", &invoke, "InvalidParameter").await;
    let at_limit = &deep[..200];
    let params = [
        ("RegionId", R),
        ("Type", "RunShellScript"),
        ("CommandContent", "id"),
        ("InstanceId.1", LINUX),
        ("WorkingDir", at_limit),
    ];
    ok(&ep, &root, ECS, "RunCommand", &params).await;
    let big = "x".repeat(25 * 1024);
    let params =
        [("RegionId", R), ("Type", "RunShellScript"), ("CommandContent", big.as_str()), ("InstanceId.1", LINUX)];
    fails(&ep, &root, ECS, "RunCommand", &params, "CmdContent.ExceedLimit").await;
    fails(
        &ep,
        &root,
        ECS,
        "RunCommand",
        &with(&[("Type", "RunShellScript"), ("RepeatMode", "Period")]),
        "MissingParam.Frequency",
    )
    .await;
    let mars = [("RegionId", "mars-1")];
    let body = fails_with(&ep, &root, ECS, "DescribeInvocations", &mars, 403, "InvalidRegionId.NotFound").await;
    assert!(body.get("HttpStatus").is_none(), "only KMS errors carry HttpStatus: {body}");
    let too_many = [("RegionId", R), ("MaxResults", "51")];
    fails_with(&ep, &root, ECS, "DescribeInvocations", &too_many, 403, "InvalidParam.MaxResults").await;
    let empty_page = [("RegionId", R), ("PageSize", "0")];
    fails_with(&ep, &root, ECS, "DescribeInvocations", &empty_page, 403, "InvalidParam.PageSize").await;
}

#[tokio::test]
async fn invocations_page_with_next_token_and_page_number() {
    let emu = start().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let mut ids = Vec::new();
    for n in 0..7 {
        ids.push(run(&emu, &[("InstanceId.1", LINUX), ("CommandContent", &format!("echo {n}"))]).await);
    }
    let mut seen = Vec::new();
    let mut token = String::new();
    loop {
        let mut params = vec![("RegionId", R), ("MaxResults", "3")];
        if !token.is_empty() {
            params.push(("NextToken", token.as_str()));
        }
        let body = ok(&ep, &root, ECS, "DescribeInvocations", &params).await;
        for inv in body["Invocations"]["Invocation"].as_array().into_iter().flatten() {
            seen.push(inv["InvokeId"].as_str().unwrap_or_default().to_owned());
        }
        token = body["NextToken"].as_str().unwrap_or_default().to_owned();
        if token.is_empty() {
            break;
        }
    }
    ids.reverse();
    assert_eq!(seen, ids, "newest first, each once");
    let page3 =
        ok(&ep, &root, ECS, "DescribeInvocations", &[("RegionId", R), ("PageNumber", "3"), ("PageSize", "3")]).await;
    assert_eq!(page3["Invocations"]["Invocation"].as_array().map(Vec::len), Some(1));
    assert_eq!(page3["TotalCount"], 7);
    assert_eq!(page3["PageNumber"], 3);
}

#[tokio::test]
async fn instances_regions_and_agent_status() {
    let emu = start().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let body = ok(
        &ep,
        &root,
        ECS,
        "DescribeInstances",
        &[("RegionId", R), ("InstanceIds", r#"["i-emu-linux-0001","i-emu-windows-0001"]"#)],
    )
    .await;
    assert_eq!(body["TotalCount"], 2);
    let instances = body["Instances"]["Instance"].as_array().cloned().unwrap_or_default();
    assert!(instances.iter().any(|i| i["InstanceId"] == LINUX && i["OSType"] == "linux" && i["Status"] == "Running"));
    fails(
        &ep,
        &root,
        ECS,
        "DescribeInstances",
        &[("RegionId", R), ("InstanceIds", "i-1,i-2")],
        "InvalidInstanceIds.Malformed",
    )
    .await;
    let all = ok(&ep, &root, ECS, "DescribeInstances", &[("RegionId", R), ("PageSize", "2")]).await;
    assert_eq!(all["TotalCount"], 4);
    assert_eq!(all["Instances"]["Instance"].as_array().map(Vec::len), Some(2));

    let status = ok(
        &ep,
        &root,
        ECS,
        "DescribeCloudAssistantStatus",
        &[("RegionId", R), ("InstanceId.1", LINUX), ("InstanceId.2", "i-no-agent")],
    )
    .await;
    let set = status["InstanceCloudAssistantStatusSet"]["InstanceCloudAssistantStatus"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let of = |id: &str| set.iter().find(|s| s["InstanceId"] == id).cloned().unwrap_or(Value::Null);
    assert_eq!(of(LINUX)["CloudAssistantStatus"], "true", "a string, not a boolean");
    assert_eq!(of("i-no-agent")["CloudAssistantStatus"], "false");
    assert_eq!(of(LINUX)["OSType"], "Linux");
    fails(
        &ep,
        &root,
        ECS,
        "DescribeCloudAssistantStatus",
        &[("RegionId", R), ("InstanceId.1", "i-nope")],
        "InvalidInstance.NotFound",
    )
    .await;

    let regions = ok(&ep, &root, ECS, "DescribeRegions", &[]).await;
    let ids: Vec<&str> =
        regions["Regions"]["Region"].as_array().into_iter().flatten().filter_map(|r| r["RegionId"].as_str()).collect();
    assert_eq!(ids, vec!["cn-hangzhou", "cn-shanghai"]);
}

#[tokio::test]
async fn instance_ram_roles_attach_describe_detach() {
    let emu = start().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let ids = r#"["i-emu-windows-0001"]"#;
    fails(
        &ep,
        &root,
        ECS,
        "AttachInstanceRamRole",
        &[("RegionId", R), ("InstanceIds", ids), ("RamRoleName", "AxtSecretRamRole")],
        "InvalidRamRole.NotFound",
    )
    .await;
    let trust = ram_policy::procedure::ecs_trust_policy().to_json();
    ok(&ep, &root, RAM, "CreateRole", &[("RoleName", "AxtSecretRamRole"), ("AssumeRolePolicyDocument", &trust)]).await;
    let account_trust = format!(
        r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{{"RAM":["acs:ram::{}:root"]}}}}]}}"#,
        emu.account_id()
    );
    ok(&ep, &root, RAM, "CreateRole", &[("RoleName", "NotForEcs"), ("AssumeRolePolicyDocument", &account_trust)]).await;
    fails(
        &ep,
        &root,
        ECS,
        "AttachInstanceRamRole",
        &[("RegionId", R), ("InstanceIds", ids), ("RamRoleName", "NotForEcs")],
        "InvalidRamRole.NotEcsRole",
    )
    .await;
    let attached = ok(
        &ep,
        &root,
        ECS,
        "AttachInstanceRamRole",
        &[
            ("RegionId", R),
            ("InstanceIds", r#"["i-emu-windows-0001","i-missing"]"#),
            ("RamRoleName", "AxtSecretRamRole"),
        ],
    )
    .await;
    assert_eq!(attached["TotalCount"], 2);
    assert_eq!(attached["FailCount"], 1);
    let rs = &attached["AttachInstanceRamRoleResults"]["AttachInstanceRamRoleResult"];
    assert_eq!(rs[0]["Success"], true);
    assert_eq!(rs[1]["Code"], "InvalidInstanceId.NotFound");
    let described = ok(&ep, &root, ECS, "DescribeInstanceRamRole", &[("RegionId", R), ("InstanceIds", ids)]).await;
    assert_eq!(described["InstanceRamRoleSets"]["InstanceRamRoleSet"][0]["RamRoleName"], "AxtSecretRamRole");
    fails(&ep, &root, ECS, "DescribeInstanceRamRole", &[("RegionId", R)], "InvalidParameter.AllEmpty").await;
    let detached = ok(&ep, &root, ECS, "DetachInstanceRamRole", &[("RegionId", R), ("InstanceIds", ids)]).await;
    assert_eq!(detached["FailCount"], 0);
    assert_eq!(detached["RamRoleName"], "AxtSecretRamRole");
    let described = ok(&ep, &root, ECS, "DescribeInstanceRamRole", &[("RegionId", R), ("InstanceIds", ids)]).await;
    assert_eq!(described["TotalCount"], 0);
}
