//! Every binary's `--help` says what that binary does (its own summary, not the package description).

use std::process::Command;

#[test]
fn help_starts_with_the_binarys_own_summary() {
    let cases = [
        (env!("CARGO_BIN_EXE_linux-setup"), "Linux run-as procedure"),
        (env!("CARGO_BIN_EXE_windows-setup"), "Windows run-as procedure"),
        (env!("CARGO_BIN_EXE_run-command"), "Run a script on instances"),
        (env!("CARGO_BIN_EXE_policy-sim"), "Simulate RAM's decision"),
        (env!("CARGO_BIN_EXE_acs-sign"), "Compute Alibaba Cloud V1 / V3 signatures"),
    ];
    for (binary, summary) in cases {
        let out = Command::new(binary).arg("--help").output().expect("runs");
        assert_eq!(out.status.code(), Some(0), "{binary}");
        let text = String::from_utf8_lossy(&out.stdout);
        let first = text.lines().next().unwrap_or_default();
        assert!(!first.starts_with("Example binaries"), "{binary}: {first}");
        assert!(first.contains(summary), "{binary}: {first:?} lacks {summary:?}");
    }
}
