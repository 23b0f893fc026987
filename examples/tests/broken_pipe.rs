//! A reader that goes away (`linux-setup --json | head -1`) is not a crash: no panic, the run's own exit status.

use std::process::{Command, Stdio};

fn with_stdout_closed(binary: &str, args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(binary)
        .args(args)
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take()); // the reader is gone before anything is printed
    let out = child.wait_with_output().expect("wait");
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_closed_stdout_is_not_a_panic() {
    let policy =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../ram-policy/policies/commandUserPolicy-allow-user01-user02.json");
    let cases: [(&str, Vec<&str>); 3] = [
        (env!("CARGO_BIN_EXE_linux-setup"), vec!["--json"]),
        (env!("CARGO_BIN_EXE_run-command"), vec!["--json", "whoami"]),
        (
            env!("CARGO_BIN_EXE_policy-sim"),
            vec!["--policy", policy, "--action", "ecs:RunCommand", "--resource", "*", "--json"],
        ),
    ];
    for (binary, args) in cases {
        let (code, stderr) = with_stdout_closed(binary, &args);
        assert!(!stderr.contains("panicked"), "{binary}: {stderr}");
        assert_eq!(code, Some(0), "{binary}: {stderr}");
    }
}
