//! Sentinel test: no secret (login password, AccessKey secret, Windows password) appears on stdout or stderr,
//! even with `RUST_LOG=trace`; the secrets go only to `--credentials-out` (mode 0600).

use std::process::Command;

const WINDOWS_PASSWORD: &str = "Emu-Passw0rd-user01";

fn secrets_in(path: &std::path::Path) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).expect("credentials file")).unwrap();
    let secrets: Vec<String> = ["LoginPassword", "AccessKeySecret"]
        .iter()
        .map(|k| v[*k].as_str().unwrap_or_else(|| panic!("{k} missing")).to_owned())
        .collect();
    assert!(secrets.iter().all(|s| s.len() >= 12));
    secrets
}

fn check(binary: &str, extra_secret: Option<&str>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("commandUser.json");
    let mut cmd = Command::new(binary);
    cmd.args(["--credentials-out", path.to_str().unwrap()]).env("RUST_LOG", "trace");
    if let Some(p) = extra_secret {
        cmd.env("WINDOWS_USER_PASSWORD", p);
    }
    let out = cmd.output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stderr.contains("TRACE") || stderr.contains("DEBUG"), "RUST_LOG=trace produced no logs");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let mut secrets = secrets_in(&path);
    secrets.extend(extra_secret.map(str::to_owned));
    for s in &secrets {
        // Plain, and as it would appear in a form body or query string.
        for form in [s.clone(), acs_signer::percent_encode(s)] {
            assert!(!stdout.contains(form.as_str()), "a secret is on stdout");
            assert!(!stderr.contains(form.as_str()), "a secret is on stderr");
        }
    }
}

#[test]
fn linux_setup_prints_no_secret_at_trace_level() {
    check(env!("CARGO_BIN_EXE_linux-setup"), None);
}

#[test]
fn windows_setup_prints_no_secret_at_trace_level() {
    check(env!("CARGO_BIN_EXE_windows-setup"), Some(WINDOWS_PASSWORD));
}
