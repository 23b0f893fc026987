//! `windows-setup` end to end on the in-process emulator.

use std::process::{Command, Output};

use serde_json::Value;

fn windows_setup(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_windows-setup"))
        .args(args)
        .env_remove("RUST_LOG")
        .env_remove("WINDOWS_USER_PASSWORD")
        .output()
        .expect("runs")
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not one JSON object ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn without_flags_it_sets_up_windows_and_verifies() {
    let out = windows_setup(&["--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v = json_of(&out);
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["checks", "ok", "steps", "target"]);
    let actions: Vec<&str> = v["steps"].as_array().unwrap().iter().map(|s| s["action"].as_str().unwrap()).collect();
    for needed in ["ram-role", "attach-role-policy", "instance-role", "secret-parameter"] {
        assert!(actions.contains(&needed), "{actions:?}");
    }
    let checks = v["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 2);
    assert_eq!((checks[0]["run_as"].as_str(), checks[0]["actual"].as_str()), (Some("user01"), Some("allowed")));
    assert!(checks[0]["output"].as_str().unwrap().to_ascii_lowercase().ends_with("user01"));
    assert_eq!((checks[1]["run_as"].as_str(), checks[1]["actual"].as_str()), (Some("system"), Some("denied")));
    assert_eq!(checks[1]["error_code"], "Forbidden.RAM");
    assert_eq!(v["ok"], true);
}

#[test]
fn readable_report_names_the_role_and_parameter() {
    let out = windows_setup(&["--role-name", "DemoRole", "--password-param", "demoPassword"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    for needle in ["DemoRole", "demoPassword", "i-emu-windows-0001", "Result: OK"] {
        assert!(stdout.contains(needle), "missing {needle:?} in\n{stdout}");
    }
}

#[test]
fn a_wrong_password_fails_verification_with_a_reason() {
    let out = Command::new(env!("CARGO_BIN_EXE_windows-setup"))
        .env("WINDOWS_USER_PASSWORD", "Wrong-Passw0rd-9")
        .env_remove("RUST_LOG")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Result: FAILED") && stdout.contains("why user01"), "{stdout}");
    assert!(stdout.contains("password"), "{stdout}");
    assert!(!stdout.contains("Wrong-Passw0rd-9"));
}

#[test]
fn plan_and_teardown_on_a_fresh_account() {
    let out = windows_setup(&["--plan", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json_of(&out);
    assert_eq!(v["steps"].as_array().unwrap().len(), 14);
    assert!(v["steps"].as_array().unwrap().iter().all(|s| s["result"] == "planned"), "{v}");
    let out = windows_setup(&["--teardown", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json_of(&out);
    assert!(v["steps"].as_array().unwrap().iter().all(|s| s["result"] == "unchanged"), "{v}");
}

#[test]
fn an_error_stops_with_exit_status_2_and_reports_the_steps_done() {
    let out = windows_setup(&["--kms-key-id", "key-does-not-exist", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("key-does-not-exist") && stderr.contains("secret-parameter"), "{stderr}");
    let v = json_of(&out);
    assert_eq!(v["ok"], false);
    assert_eq!(v["steps"].as_array().unwrap().len(), 13, "the steps done before the failure");
    assert!(v["checks"].as_array().unwrap().is_empty());
}
