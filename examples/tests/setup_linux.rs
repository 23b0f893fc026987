//! `linux-setup` end to end: the binary starts the emulator in-process and runs the procedure.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn linux_setup(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_linux-setup")).args(args).env_remove("RUST_LOG").output().expect("runs")
}

/// `binary --live` with no source of credentials or region: no variables, no CLI profile (an empty `home`), no
/// instance metadata.
fn live_without_credentials(binary: &str, home: &Path) -> Command {
    let mut c = Command::new(binary);
    c.arg("--live").env("HOME", home).env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true");
    for variable in [
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "ALIBABA_CLOUD_SECURITY_TOKEN",
        "ALIBABA_CLOUD_ROLE_ARN",
        "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
        "ALIBABA_CLOUD_CREDENTIALS_URI",
        "ALIBABA_CLOUD_CREDENTIALS_FILE",
        "ALIBABA_CLOUD_PROFILE",
        "ALIBABA_CLOUD_REGION_ID",
        "RUST_LOG",
    ] {
        c.env_remove(variable);
    }
    c
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON object ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// Checks the contract (README, "Contracts"): exactly these keys and value sets.
fn assert_contract(v: &Value) {
    let obj = v.as_object().expect("object");
    let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["checks", "ok", "steps", "target"]);
    assert!(matches!(v["target"].as_str(), Some("emulator" | "live")));
    assert!(v["ok"].is_boolean());
    for step in v["steps"].as_array().expect("steps") {
        let mut keys: Vec<&str> = step.as_object().expect("step").keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["action", "result", "target"], "{step}");
        assert!(step["action"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(step["target"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(matches!(step["result"].as_str(), Some("created" | "unchanged" | "updated" | "deleted" | "planned")));
    }
    for check in v["checks"].as_array().expect("checks") {
        let mut keys: Vec<&str> = check.as_object().expect("check").keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["actual", "error_code", "expected", "invoke_id", "output", "run_as"], "{check}");
        assert!(matches!(check["expected"].as_str(), Some("allowed" | "denied")));
        assert!(matches!(check["actual"].as_str(), Some("allowed" | "denied" | "error")));
        assert!(check["run_as"].is_string());
        for nullable in ["invoke_id", "output", "error_code"] {
            assert!(check[nullable].is_string() || check[nullable].is_null(), "{check}");
        }
    }
}

#[test]
fn without_flags_it_runs_the_whole_procedure_and_prints_a_readable_report() {
    let out = linux_setup(&[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    for needle in
        ["ram-user", "commandUserPolicy", "AliyunECSReadOnlyAccess", "user01", "user02", "Forbidden.RAM", "Result: OK"]
    {
        assert!(stdout.contains(needle), "missing {needle:?} in\n{stdout}");
    }
    // Progress went to stderr, step by step.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("[1/6]") && stderr.contains("[6/6]"), "{stderr}");
}

#[test]
fn json_output_is_exactly_the_contract_with_the_allow_list() {
    let out = linux_setup(&["--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json_of(&out);
    assert_contract(&v);
    assert_eq!(v["target"], "emulator");
    assert_eq!(v["ok"], true);
    // The top-level keys come in the contract's order: target, steps, checks, ok.
    let stdout = String::from_utf8_lossy(&out.stdout);
    let top: Vec<&str> = stdout.lines().filter(|l| l.starts_with("  \"")).collect();
    assert_eq!(top.len(), 4, "{stdout}");
    for (line, key) in top.iter().zip(["target", "steps", "checks", "ok"]) {
        assert!(line.starts_with(&format!("  \"{key}\": ")), "{key} expected, got {line}");
    }
    let steps = v["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 6);
    assert!(steps.iter().all(|s| s["result"] == "created"));
    let checks = v["checks"].as_array().unwrap();
    let summary: Vec<(String, String, String)> = checks
        .iter()
        .map(|c| {
            (
                c["run_as"].as_str().unwrap().into(),
                c["expected"].as_str().unwrap().into(),
                c["actual"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("user01".into(), "allowed".into(), "allowed".into()),
            ("user02".into(), "allowed".into(), "allowed".into()),
            ("root".into(), "denied".into(), "denied".into())
        ]
    );
    assert_eq!(checks[0]["output"], "user01");
    assert!(checks[0]["invoke_id"].is_string());
    assert_eq!(checks[2]["error_code"], "Forbidden.RAM");
}

#[test]
fn deny_list_form_verifies_too() {
    let out = linux_setup(&["--deny-users", "root,system", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json_of(&out);
    assert_contract(&v);
    let checks = v["checks"].as_array().unwrap();
    assert_eq!(checks.last().unwrap()["run_as"], "root");
    assert_eq!(checks.last().unwrap()["actual"], "denied");
    assert_eq!(checks[0]["actual"], "allowed");
}

#[test]
fn plan_only_plans() {
    let out = linux_setup(&["--plan", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json_of(&out);
    assert_contract(&v);
    let steps = v["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 6);
    assert!(steps.iter().all(|s| s["result"] == "planned"), "{v}");
    assert!(v["checks"].as_array().unwrap().is_empty());
}

#[test]
fn teardown_on_a_fresh_account_changes_nothing() {
    let out = linux_setup(&["--teardown", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json_of(&out);
    assert_contract(&v);
    assert!(v["steps"].as_array().unwrap().iter().all(|s| s["result"] == "unchanged"), "{v}");
}

#[test]
fn a_failing_check_exits_non_zero() {
    // `nosuchuser` is allowed by the policy but does not exist on the instance: that check fails.
    let out = linux_setup(&["--allow-users", "user01,nosuchuser", "--json"]);
    let v = json_of(&out);
    assert_contract(&v);
    assert_eq!(v["ok"], false, "{v}");
    assert_eq!(out.status.code(), Some(1));
    let bad = v["checks"].as_array().unwrap().iter().find(|c| c["run_as"] == "nosuchuser").expect("check");
    assert_eq!(bad["actual"], "error");
}

#[test]
fn invalid_flags_are_refused_with_a_message() {
    let out = linux_setup(&["--ram-user", "bad name"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--ram-user: \"bad name\" contains ' '"), "named by its flag: {stderr}");
    let out = linux_setup(&["--allow-users", "a", "--deny-users", "b"]);
    assert_eq!(out.status.code(), Some(2), "clap refuses both forms at once");
}

#[test]
fn live_refuses_to_start_without_region_or_credentials() {
    let home = tempfile::tempdir().unwrap();
    let base = || live_without_credentials(env!("CARGO_BIN_EXE_linux-setup"), home.path());
    let out = base().arg("--teardown").output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("region"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = base().args(["--region", "cn-hangzhou", "--instance", "i-x"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("credentials"), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty());
}

#[test]
fn json_errors_before_the_procedure_starts_still_print_the_contract_object() {
    let home = tempfile::tempdir().unwrap();
    // --live without a region, and a region id the configuration refuses: both stop before any step.
    let live = Command::new(env!("CARGO_BIN_EXE_linux-setup"))
        .args(["--live", "--json"])
        .env("HOME", home.path())
        .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
        .env_remove("ALIBABA_CLOUD_REGION_ID")
        .env_remove("RUST_LOG")
        .output()
        .expect("runs");
    let emulator = linux_setup(&["--region", "bogus_region", "--json"]);
    for (out, target) in [(live, "live"), (emulator, "emulator")] {
        assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
        let v = json_of(&out);
        assert_contract(&v);
        assert_eq!(v["target"], target);
        assert_eq!(v["ok"], false);
        assert!(v["steps"].as_array().unwrap().is_empty() && v["checks"].as_array().unwrap().is_empty());
        assert!(!String::from_utf8_lossy(&out.stderr).is_empty(), "the reason goes to stderr");
    }
}

/// `--live` asks for `--instance` only when the run uses one; the refusal comes before any connection.
#[test]
fn live_asks_for_an_instance_only_when_the_run_needs_one() {
    let home = tempfile::tempdir().unwrap();
    let run =
        |binary: &str, args: &[&str]| live_without_credentials(binary, home.path()).args(args).output().expect("runs");
    let linux = env!("CARGO_BIN_EXE_linux-setup");
    // A Linux teardown gets past the instance check and stops at the missing credentials.
    let out = run(linux, &["--teardown", "--region", "cn-hangzhou"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("credentials") && !stderr.contains("--instance"), "{stderr}");
    // Apply needs the instance for the verification: refused first, whatever the credentials.
    let out = run(linux, &["--region", "cn-hangzhou"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--instance") && stderr.contains("verification"), "{stderr}");
    // A Windows teardown detaches the role from the instance: needed there.
    let out = run(env!("CARGO_BIN_EXE_windows-setup"), &["--teardown", "--region", "cn-hangzhou"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--instance") && stderr.contains("detaches"), "{stderr}");
}
