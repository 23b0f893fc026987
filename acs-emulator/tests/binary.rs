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

#[test]
fn rejects_a_bad_seed_file_with_a_message() {
    let out = Command::new(env!("CARGO_BIN_EXE_acs-emulator"))
        .args(["--seed", "/nonexistent/seed.json"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/seed.json"));
    assert!(out.stdout.is_empty());
}
