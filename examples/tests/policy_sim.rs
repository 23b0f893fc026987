//! `policy-sim` end to end: the procedure's decisions as JSON, the readable explanation, and exit status 2 on bad input.

use std::path::PathBuf;
use std::process::{Command, Output};

const INSTANCE: &str = "acs:ecs:cn-hangzhou:1234567890123456:instance/i-emu-linux-0001";

fn policy(name: &str) -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "ram-policy", "policies", name].iter().collect();
    path.to_string_lossy().into_owned()
}

fn sim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_policy-sim")).args(args).output().expect("policy-sim runs")
}

fn sim_json(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.push("--json");
    let out = sim(&all);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON object")
}

fn decision(policies: &[String], action: &str, run_as: Option<&str>) -> String {
    let mut args: Vec<String> = Vec::new();
    for p in policies {
        args.extend(["--policy".to_string(), p.clone()]);
    }
    args.extend(["--action".into(), action.into(), "--resource".into(), INSTANCE.into()]);
    if let Some(u) = run_as {
        args.extend(["--context".into(), format!("ecs:CommandRunAs={u}")]);
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    sim_json(&refs)["decision"].as_str().unwrap_or_default().to_string()
}

#[test]
fn allow_list_decisions() {
    let p = [policy("commandUserPolicy-allow-user01-user02.json")];
    assert_eq!(decision(&p, "ecs:RunCommand", Some("user01")), "Allow");
    assert_eq!(decision(&p, "ecs:RunCommand", Some("user02")), "Allow");
    for user in ["root", "ROOT", "user03"] {
        assert_eq!(decision(&p, "ecs:RunCommand", Some(user)), "ImplicitDeny", "{user}");
    }
}

#[test]
fn deny_list_decisions() {
    let p = [policy("commandUserPolicy-not-root-or-system.json")];
    for user in ["root", "Root", "SYSTEM", "system"] {
        assert_eq!(decision(&p, "ecs:InvokeCommand", Some(user)), "ImplicitDeny", "{user}");
    }
    assert_eq!(decision(&p, "ecs:InvokeCommand", Some("user01")), "Allow");
}

#[test]
fn json_shape_matched_and_assumptions() {
    let v = sim_json(&[
        "--policy",
        "system:AliyunECSReadOnlyAccess",
        "--policy",
        &policy("commandUserPolicy-allow-user01-user02.json"),
        "--action",
        "ecs:RunCommand",
        "--resource",
        INSTANCE,
        "--context",
        "ecs:CommandRunAs=user02",
    ]);
    assert_eq!(v["decision"], "Allow");
    assert_eq!(v["matched"], serde_json::json!([{"policy": "commandUserPolicy-allow-user01-user02", "statement": 0}]));
    assert_eq!(v["missing_context_keys"], serde_json::json!([]));
    assert_eq!(v["assumptions"], serde_json::json!([]));
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 4, "{keys:?}");
    // Fields come in the documented order.
    let out = sim(&[
        "--policy",
        "system:AliyunOOSReadOnlyAccess",
        "--action",
        "oos:GetParameter",
        "--resource",
        "*",
        "--json",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    let positions: Vec<usize> = ["\"decision\"", "\"matched\"", "\"missing_context_keys\"", "\"assumptions\""]
        .iter()
        .map(|k| text.find(k).unwrap_or(usize::MAX))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");

    // No run-as user: root is assumed and reported.
    let v = sim_json(&[
        "--policy",
        &policy("commandUserPolicy-allow-user01-user02.json"),
        "--action",
        "ecs:RunCommand",
        "--resource",
        INSTANCE,
    ]);
    assert_eq!(v["decision"], "ImplicitDeny");
    assert_eq!(v["matched"], serde_json::json!([]));
    assert!(v["assumptions"][0].as_str().unwrap().contains("root"), "{v}");
}

#[test]
fn system_policies_and_windows_role() {
    let ro = ["system:AliyunECSReadOnlyAccess".to_string()];
    assert_eq!(decision(&ro, "ecs:DescribeInstances", None), "Allow");
    assert_eq!(decision(&ro, "ecs:RunCommand", Some("user01")), "ImplicitDeny");
    let role = [policy("instance-role-policy-windows-password.json")];
    assert_eq!(decision(&role, "oos:GetSecretParameter", None), "Allow");
    assert_eq!(decision(&role, "kms:GetSecretValue", None), "Allow");
    assert_eq!(decision(&role, "kms:Decrypt", None), "ImplicitDeny");
}

#[test]
fn explicit_deny_across_files_and_multi_valued_context() {
    let dir = tempfile::tempdir().unwrap();
    let deny = dir.path().join("deny-root.json");
    std::fs::write(
        &deny,
        r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"ecs:*Command","Resource":"*",
            "Condition":{"StringEqualsIgnoreCase":{"ecs:CommandRunAs":"root"}}}]}"#,
    )
    .unwrap();
    let allow_all = "system:AliyunECSAssistantFullAccess";
    let deny = deny.to_string_lossy().into_owned();
    let base = ["--policy", allow_all, "--policy", &deny, "--action", "ecs:RunCommand", "--resource", INSTANCE];
    let mut args = base.to_vec();
    args.extend(["--context", "ecs:CommandRunAs=user01", "--context", "ecs:CommandRunAs=ROOT"]);
    let v = sim_json(&args);
    assert_eq!(v["decision"], "ExplicitDeny");
    assert_eq!(v["matched"], serde_json::json!([{"policy": "deny-root", "statement": 0}]));
    let mut args = base.to_vec();
    args.extend(["--context", "ecs:CommandRunAs=user01"]);
    assert_eq!(sim_json(&args)["decision"], "Allow");
}

#[test]
fn readable_explanation_without_json() {
    let out = sim(&[
        "--policy",
        &policy("commandUserPolicy-allow-user01-user02.json"),
        "--action",
        "ecs:RunCommand",
        "--resource",
        INSTANCE,
        "--context",
        "ecs:CommandRunAs=root",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Decision: ImplicitDeny"), "{text}");
    assert!(text.contains("ecs:CommandRunAs"), "{text}");
}

fn assert_input_error(args: &[&str], expected: &[&str]) {
    let out = sim(args);
    assert_eq!(out.status.code(), Some(2), "args {args:?}");
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    for e in expected {
        assert!(err.contains(e), "stderr {err:?} should contain {e:?}");
    }
}

#[test]
fn invalid_input_exits_2_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"Version":"2","Statement":[{"Effect":"allow","Action":"RunCommand","Resource":"*"}]}"#)
        .unwrap();
    let bad = bad.to_string_lossy().into_owned();
    assert_input_error(
        &["--policy", &bad, "--action", "ecs:RunCommand", "--resource", "*"],
        &["invalid policy", "/Version", "/Statement/0/Effect", "/Statement/0/Action"],
    );
    let not_json = dir.path().join("not.json");
    std::fs::write(&not_json, "{ nope").unwrap();
    let not_json = not_json.to_string_lossy().into_owned();
    assert_input_error(&["--policy", &not_json, "--action", "ecs:RunCommand", "--resource", "*"], &["not JSON"]);
    let missing = dir.path().join("missing.json").to_string_lossy().into_owned();
    assert_input_error(&["--policy", &missing, "--action", "ecs:RunCommand", "--resource", "*"], &["cannot read"]);
    assert_input_error(
        &["--policy", &policy("trust-policy-ecs-service.json"), "--action", "sts:AssumeRole", "--resource", "*"],
        &["/Statement/0/Resource", "trust policy", "--trust-principal"],
    );
    assert_input_error(
        &["--policy", "system:AliyunNothing", "--action", "ecs:RunCommand", "--resource", "*"],
        &["unknown system policy", "AliyunECSReadOnlyAccess"],
    );
    let good = policy("kmsPolicy-ram-user.json");
    assert_input_error(
        &["--policy", &good, "--action", "ecs:RunCommand", "--resource", "*", "--context", "novalue"],
        &["KEY=VALUE"],
    );
    assert_input_error(&["--policy", &good, "--action", "RunCommand", "--resource", "*"], &["--action"]);
    assert_input_error(&["--policy", &good, "--action", "ecs:RunCommand", "--resource", "instance/1"], &["--resource"]);
    // Missing required flags: clap's usage error, also status 2.
    assert_input_error(&["--action", "ecs:RunCommand", "--resource", "*"], &["--policy"]);
}

#[test]
fn trust_policy_mode_answers_who_may_assume_the_role() {
    let trust = policy("trust-policy-ecs-service.json");
    let ask = |principal: &str| {
        sim_json(&["--policy", &trust, "--trust-principal", principal])["decision"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(ask("service:ecs.aliyuncs.com"), "Allow");
    assert_eq!(ask("service:ECS.aliyuncs.com"), "Allow", "service names are case-insensitive");
    assert_eq!(ask("service:oos.aliyuncs.com"), "ImplicitDeny");
    assert_eq!(ask("account:1234567890123456"), "ImplicitDeny");
    let json = sim_json(&["--policy", &trust, "--trust-principal", "service:ecs.aliyuncs.com"]);
    assert_eq!(json["matched"][0]["statement"], 0);

    // An identity policy is not a trust policy, and the flags that belong to identity mode do not mix.
    assert_input_error(
        &["--policy", &policy("kmsPolicy-ram-user.json"), "--trust-principal", "service:ecs.aliyuncs.com"],
        &["invalid policy"],
    );
    assert_input_error(&["--policy", &trust, "--trust-principal", "ecs.aliyuncs.com"], &["service:NAME"]);
    assert_input_error(
        &["--policy", &trust, "--policy", &trust, "--trust-principal", "service:ecs.aliyuncs.com"],
        &["exactly one --policy"],
    );
    assert_input_error(
        &["--policy", &trust, "--trust-principal", "service:ecs.aliyuncs.com", "--action", "sts:AssumeRole"],
        &["--action"],
    );
}

#[test]
fn two_policies_with_the_same_file_name_are_told_apart_in_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let allow = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:RunCommand","Resource":"*"}]}"#;
    let describe = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:Describe*","Resource":"*"}]}"#;
    std::fs::write(a.join("policy.json"), describe).unwrap();
    std::fs::write(b.join("policy.json"), allow).unwrap();
    let (pa, pb) = (a.join("policy.json"), b.join("policy.json"));
    let v = sim_json(&[
        "--policy",
        pa.to_str().unwrap(),
        "--policy",
        pb.to_str().unwrap(),
        "--action",
        "ecs:RunCommand",
        "--resource",
        INSTANCE,
        "--context",
        "ecs:CommandRunAs=user01",
    ]);
    assert_eq!(v["decision"], "Allow");
    // The statement that decided is the second file's, and the answer must say which file that is.
    assert_eq!(v["matched"][0]["policy"], pb.to_str().unwrap(), "{v}");
}
