//! `run-command` on the in-process emulator.

use std::process::Command;

fn run_command(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_run-command")).args(args).env_remove("RUST_LOG").output().expect("runs")
}

#[test]
fn whoami_as_a_user_prints_status_exit_code_and_decoded_output() {
    let out = run_command(&["--user", "user01", "whoami"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.contains("i-emu-linux-0001") && stdout.contains("Success") && stdout.contains("exit code 0"),
        "{stdout}"
    );
    assert!(stdout.contains("| user01"), "{stdout}");
}

#[test]
fn json_lists_every_instance() {
    let out = run_command(&["--instance", "i-emu-linux-0001", "--user", "user02", "--json", "whoami"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(v["invoke_id"].as_str().is_some_and(|s| !s.is_empty()));
    let instances = v["instances"].as_array().unwrap();
    assert_eq!(instances.len(), 1);
    assert_eq!(instances[0]["instance_id"], "i-emu-linux-0001");
    assert_eq!(instances[0]["status"], "Success");
    assert_eq!(instances[0]["exit_code"], 0);
    assert_eq!(instances[0]["output"].as_str().map(str::trim), Some("user02"));
    assert_eq!(v["ok"], true);
}

#[test]
fn an_unknown_user_fails_on_the_instance_with_exit_status_1() {
    let out = run_command(&["--user", "nosuchuser", "--json", "whoami"]);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stdout));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["ok"], false);
    assert!(v["instances"][0]["error_code"].is_string(), "{v}");
}

#[test]
fn a_command_that_did_not_run_shows_the_reason_not_an_exit_code() {
    let out = run_command(&["--user", "nosuchuser", "whoami"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("status Failed") && stdout.contains("AccountNotExists"), "{stdout}");
    assert!(!stdout.contains("exit code"), "the command never ran: {stdout}");
    let out = run_command(&["exit 3"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("exit code 3"), "{stdout}");
}

#[test]
fn an_unknown_instance_is_an_error_with_exit_status_2() {
    let out = run_command(&["--instance", "i-does-not-exist", "whoami"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!String::from_utf8_lossy(&out.stderr).is_empty());
}

#[test]
fn a_credentials_file_that_does_not_exist_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.json");
    // Read before connecting: the endpoint is never reached.
    let out = run_command(&["--endpoint", "http://127.0.0.1:1", "--credentials", missing.to_str().unwrap(), "whoami"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
    // Without --endpoint or --live, the file cannot be used whatever it holds: that is said first.
    let out = run_command(&["--credentials", missing.to_str().unwrap(), "whoami"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr.contains("--credentials needs --endpoint") && !stderr.contains("does not exist"), "{stderr}");
}

#[test]
fn json_errors_before_any_call_are_json_too() {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_run-command"))
        .args(["--live", "--json"])
        .env("HOME", home.path())
        .env("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")
        .env_remove("ALIBABA_CLOUD_REGION_ID")
        .env_remove("RUST_LOG")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    assert_eq!(v["ok"], false);
    assert!(v["error"].as_str().is_some_and(|e| e.contains("region")), "{v}");
}
