//! The `acs-emulator` binary: its first stdout line, serving, seed/fault/retention flags, clean exit on SIGTERM.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use support::*;

fn spawn(args: &[&str]) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_acs-emulator"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("first line");
    (child, line)
}

fn terminate(mut child: Child) {
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    assert!(status.success());
    let exit = child.wait().expect("exit status");
    assert!(exit.success(), "exit after SIGTERM: {exit:?}");
}

#[tokio::test]
async fn prints_the_endpoint_serves_and_stops_on_sigterm() {
    let (child, line) = spawn(&["--listen", "127.0.0.1:0"]);
    let endpoint = line.trim().strip_prefix("acs-emulator listening on ").expect("first line format").to_owned();
    assert!(endpoint.starts_with("http://127.0.0.1:"), "{line}");
    let port: u16 = endpoint.rsplit(':').next().and_then(|p| p.parse().ok()).expect("port");
    assert_ne!(port, 0);
    let root = Creds::new("LTAIEmulatorRootKey0001", "EmulatorRootSecret000000000001");
    let me = ok(&endpoint, &root, STS, "GetCallerIdentity", &[]).await;
    assert_eq!(me["AccountId"], "1234567890123456");
    terminate(child);
}

#[tokio::test]
async fn takes_a_seed_file_and_fault_flags() {
    let seed = acs_emulator::Seed::new("1111222233334444").root_key("LTAItestroot", "test-secret").region("cn-beijing");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("seed.json");
    std::fs::write(&path, seed.to_json()).expect("write seed");
    let path = path.to_string_lossy().into_owned();
    let (child, line) = spawn(&[
        "--seed",
        &path,
        "--fault",
        "ListUsers=ServiceUnavailable#1",
        "--fault",
        "GetUser=Throttling#1,retry-after=2",
        "--fault-seed",
        "3",
    ]);
    let endpoint = line.trim().trim_start_matches("acs-emulator listening on ").to_owned();
    let root = Creds::new("LTAItestroot", "test-secret");
    let me = ok(&endpoint, &root, STS, "GetCallerIdentity", &[]).await;
    assert_eq!(me["AccountId"], "1111222233334444");
    fails(&endpoint, &root, RAM, "ListUsers", &[], "ServiceUnavailable").await;
    ok(&endpoint, &root, RAM, "ListUsers", &[]).await;
    let signed =
        sign(Style::V1Post, &endpoint, &root, RAM, "GetUser", &[("UserName", "nobody")], &Overrides::default());
    let (status, headers, body) = send_with_headers(&signed).await;
    assert_eq!((status, body["Code"].as_str()), (400, Some("Throttling")), "{body}");
    assert!(headers.contains(&("x-acs-retry-after".to_owned(), "2".to_owned())), "{headers:?}");
    terminate(child);
}

#[tokio::test]
async fn max_invocations_bounds_what_is_kept() {
    let (child, line) = spawn(&["--max-invocations", "1"]);
    let endpoint = line.trim().trim_start_matches("acs-emulator listening on ").to_owned();
    let root = Creds::new("LTAIEmulatorRootKey0001", "EmulatorRootSecret000000000001");
    let params = [
        ("RegionId", "cn-hangzhou"),
        ("Type", "RunShellScript"),
        ("InstanceId.1", "i-emu-linux-0001"),
        ("CommandContent", "id"),
    ];
    ok(&endpoint, &root, ECS, "RunCommand", &params).await;
    let newest = ok(&endpoint, &root, ECS, "RunCommand", &params).await;
    let listed = ok(&endpoint, &root, ECS, "DescribeInvocations", &[("RegionId", "cn-hangzhou")]).await;
    assert_eq!(listed["TotalCount"], 1, "{listed}");
    assert_eq!(listed["Invocations"]["Invocation"][0]["InvokeId"], newest["InvokeId"]);
    terminate(child);
    let out = Command::new(env!("CARGO_BIN_EXE_acs-emulator")).args(["--max-invocations", "0"]).output().expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--max-invocations"));
    let help = Command::new(env!("CARGO_BIN_EXE_acs-emulator")).arg("--help").output().expect("runs");
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    assert!(help.contains("--max-invocations") && help.contains("retry-after=SECONDS"), "{help}");
}

/// Runs the binary expecting it not to start (with `RUST_BACKTRACE=1`, as many Rust developers have it set); returns
/// its exit code and stderr after checking that stderr is one `acs-emulator: ` line and stdout is empty.
fn fails_to_start(args: &[&str]) -> (Option<i32>, String) {
    let out =
        Command::new(env!("CARGO_BIN_EXE_acs-emulator")).args(args).env("RUST_BACKTRACE", "1").output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.stdout.is_empty(), "stdout: {}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("acs-emulator: "), "{stderr}");
    for noise in ["Caused by", "backtrace", "Error:"] {
        assert!(!stderr.contains(noise), "{noise:?} in {stderr}");
    }
    (out.status.code(), stderr)
}

#[test]
fn a_missing_seed_file_is_named_once_and_exits_2() {
    let (code, stderr) = fails_to_start(&["--seed", "/nonexistent/seed.json"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stderr.matches("/nonexistent/seed.json").count(), 1, "{stderr}");
    let os_message = std::fs::read("/nonexistent/seed.json").expect_err("missing").to_string();
    assert_eq!(stderr.matches(os_message.as_str()).count(), 1, "the OS's message {os_message:?} once: {stderr}");
}

#[test]
fn an_invalid_seed_file_is_named_with_the_reason_and_exits_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{ not json").expect("write");
    let broken = broken.to_string_lossy().into_owned();
    let (code, stderr) = fails_to_start(&["--seed", &broken]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains(&broken) && stderr.contains("invalid seed JSON"), "{stderr}");

    let keyless = dir.path().join("keyless.json");
    let mut seed: serde_json::Value = serde_json::from_str(&acs_emulator::Seed::demo().to_json()).expect("demo seed");
    seed["root_access_keys"] = serde_json::json!([]);
    std::fs::write(&keyless, seed.to_string()).expect("write");
    let keyless = keyless.to_string_lossy().into_owned();
    let (code, stderr) = fails_to_start(&["--seed", &keyless]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains(&keyless) && stderr.contains("invalid seed"), "{stderr}");
}

#[test]
fn an_address_in_use_is_named_once_and_exits_2() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let (code, stderr) = fails_to_start(&["--listen", &addr]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains(&format!("cannot listen on {addr}")), "{stderr}");
    assert_eq!(stderr.matches(&addr).count(), 1, "{stderr}");
    let os_message = std::net::TcpListener::bind(&addr).expect_err("in use").to_string();
    assert_eq!(stderr.matches(os_message.as_str()).count(), 1, "the OS's message {os_message:?} once: {stderr}");
    drop(taken);
}

#[test]
fn help_states_the_exit_statuses() {
    let help = Command::new(env!("CARGO_BIN_EXE_acs-emulator")).arg("--help").output().expect("runs");
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    assert!(help.contains("Exit status: 0 after SIGINT/SIGTERM; 2 when it cannot start"), "{help}");
}
