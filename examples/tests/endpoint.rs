//! `--endpoint URL`: the binaries share one emulator started separately (as `acs-emulator` would be), so the
//! README's story runs across processes: apply twice (the second run changes nothing), act as the new user with
//! `run-command --credentials`, tear down.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn run(binary: &str, args: &[&str]) -> Output {
    Command::new(binary).args(args).env_remove("RUST_LOG").output().expect("runs")
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn results(v: &Value) -> Vec<String> {
    v["steps"].as_array().expect("steps").iter().map(|s| s["result"].as_str().unwrap_or_default().to_owned()).collect()
}

fn secrets_in(path: &Path) -> Vec<String> {
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("credentials file")).expect("JSON");
    ["LoginPassword", "AccessKeySecret"].iter().filter_map(|k| v[*k].as_str().map(str::to_owned)).collect()
}

#[test]
fn runs_share_a_separately_started_emulator() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let emulator = runtime.block_on(acs_emulator::Emulator::builder().start()).expect("emulator starts");
    let url = emulator.endpoint_url();
    let dir = tempfile::tempdir().unwrap();
    let creds = dir.path().join("cu.json");
    let creds = creds.to_str().unwrap();
    let setup = env!("CARGO_BIN_EXE_linux-setup");
    let run_command = env!("CARGO_BIN_EXE_run-command");
    let mut printed = String::new();
    let mut keep = |out: &Output| {
        printed.push_str(&String::from_utf8_lossy(&out.stdout));
        printed.push_str(&String::from_utf8_lossy(&out.stderr));
    };

    let first = run(setup, &["--endpoint", &url, "--credentials-out", creds, "--json"]);
    keep(&first);
    let v = json_of(&first);
    assert_eq!((first.status.code(), v["target"].as_str()), (Some(0), Some("emulator")), "{v}");
    assert!(results(&v).iter().all(|r| r == "created"), "{v}");

    // The same emulator: the second apply finds everything in place.
    let second = run(setup, &["--endpoint", &url, "--credentials-out", creds, "--json"]);
    keep(&second);
    let v = json_of(&second);
    assert_eq!(second.status.code(), Some(0), "{v}");
    assert!(!results(&v).is_empty() && results(&v).iter().all(|r| r == "unchanged"), "{v}");

    // Acting as the new user with the key the setup wrote.
    let allowed = run(run_command, &["--endpoint", &url, "--credentials", creds, "--user", "user01", "--json"]);
    keep(&allowed);
    let v = json_of(&allowed);
    assert_eq!(allowed.status.code(), Some(0), "{v}");
    assert_eq!(v["instances"][0]["output"].as_str().map(str::trim), Some("user01"), "{v}");
    let denied = run(run_command, &["--endpoint", &url, "--credentials", creds, "--user", "root", "--json"]);
    keep(&denied);
    let v = json_of(&denied);
    assert_eq!((denied.status.code(), v["error_code"].as_str()), (Some(2), Some("Forbidden.RAM")), "{v}");

    // Teardown deletes what the first run created, the key included.
    let teardown = run(setup, &["--endpoint", &url, "--teardown", "--json"]);
    keep(&teardown);
    let v = json_of(&teardown);
    assert_eq!(teardown.status.code(), Some(0), "{v}");
    assert!(results(&v).iter().all(|r| r == "deleted"), "{v}");
    let gone = run(run_command, &["--endpoint", &url, "--credentials", creds, "--user", "user01", "--json"]);
    keep(&gone);
    assert_eq!(gone.status.code(), Some(2));
    assert_eq!(json_of(&gone)["error_code"], "InvalidAccessKeyId.NotFound");

    let secrets = secrets_in(Path::new(creds));
    assert_eq!(secrets.len(), 2, "the file holds the password and the AccessKey secret");
    for secret in secrets {
        assert!(!printed.contains(&secret), "a secret was printed");
    }
    runtime.block_on(emulator.shutdown());
}

#[test]
fn a_credentials_file_without_a_shared_emulator_is_refused_before_connecting() {
    let dir = tempfile::tempdir().unwrap();
    let creds = dir.path().join("cu.json");
    std::fs::write(&creds, r#"{"UserName": "u", "AccessKeyId": "LTAIx", "AccessKeySecret": "s3cr3t-value"}"#).unwrap();
    let out = run(env!("CARGO_BIN_EXE_run-command"), &["--credentials", creds.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--endpoint") && stderr.contains("acs-emulator"), "{stderr}");
    assert!(!stderr.contains("running as"), "no command was started: {stderr}");
    assert!(!stderr.contains("s3cr3t-value"));
}

#[test]
fn a_malformed_endpoint_is_refused_with_an_example() {
    for bad in ["127.0.0.1:8080", "http://", "http://127.0.0.1:8080/path"] {
        let out = run(env!("CARGO_BIN_EXE_run-command"), &["--endpoint", bad]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{bad}: {stderr}");
        assert!(stderr.contains("--endpoint expects a URL such as http://127.0.0.1:8080"), "{bad}: {stderr}");
        let out = run(env!("CARGO_BIN_EXE_linux-setup"), &["--endpoint", bad, "--json"]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert_eq!(json_of(&out)["ok"], false, "the contract object even so");
    }
}

#[test]
fn an_endpoint_where_nothing_listens_is_one_clear_error() {
    // Port 1 on the loopback: nothing listens there, so the connection is refused at once.
    let out = run(env!("CARGO_BIN_EXE_linux-setup"), &["--endpoint", "http://127.0.0.1:1"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.matches("could not connect").count(), 1, "the cause once, not its chain again: {stderr}");
    let out = run(env!("CARGO_BIN_EXE_run-command"), &["--endpoint", "http://127.0.0.1:1"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("could not connect"), "{stderr}");
}
