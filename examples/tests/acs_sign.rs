//! Runs the built `acs-sign` binary on the shared signature vectors and compares with `expected`.

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Output, Stdio};

const VECTORS: &str = include_str!("../../acs-signer/tests/data/signature-vectors.json");

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_acs-sign"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn acs-sign");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("wait for acs-sign")
}

fn without_expected(v: &Value) -> Value {
    let mut v = v.clone();
    v.as_object_mut().expect("vector is an object").remove("expected");
    v
}

#[test]
fn array_of_vectors_round_trips() {
    let vectors: Vec<Value> = serde_json::from_str(VECTORS).unwrap();
    assert!(vectors.len() >= 21);
    let input = Value::Array(vectors.iter().map(without_expected).collect());
    let out = run(&[], &input.to_string());
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let got: Vec<Value> = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(got.len(), vectors.len());
    for (g, want) in got.iter().zip(&vectors) {
        let id = want["id"].as_str().unwrap();
        assert_eq!(g["expected"], want["expected"], "{id}");
        assert_eq!(without_expected(g), without_expected(want), "{id}: input fields are echoed unchanged");
    }
}

#[test]
fn single_object_gives_single_object() {
    let vectors: Vec<Value> = serde_json::from_str(VECTORS).unwrap();
    for want in [&vectors[0], vectors.last().unwrap()] {
        let out = run(&[], &without_expected(want).to_string());
        assert!(out.status.success());
        let got: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(got["expected"], want["expected"]);
    }
}

#[test]
fn changed_input_changes_the_signature() {
    let vectors: Vec<Value> = serde_json::from_str(VECTORS).unwrap();
    let mut v = without_expected(&vectors[0]);
    v["params"]["Action"] = Value::String("DescribeInstances".into());
    let out = run(&[], &v.to_string());
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_ne!(got["expected"]["signature"], vectors[0]["expected"]["signature"]);
}

#[test]
fn invalid_input_exits_2_with_a_message() {
    for (input, needle) in [
        ("not json", "not valid JSON"),
        ("42", "object"),
        (r#"{"algorithm": "MD5", "access_key_secret": "s"}"#, "unknown algorithm"),
        // A wrong algorithm is named before the fields it would need.
        (r#"{"algorithm": "HMAC-SHA256"}"#, "unknown algorithm \"HMAC-SHA256\" (expected \"HMAC-SHA1\""),
        (r#"[{"algorithm": "HMAC-SHA1"}]"#, "access_key_secret"),
        (r#"{"algorithm": "HMAC-SHA1", "access_key_secret": "s", "params": {"A": [1]}}"#, "params.A"),
    ] {
        let out = run(&[], input);
        assert_eq!(out.status.code(), Some(2), "{input}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{input}: {err}");
    }
}

#[test]
fn bench_prints_both_lines() {
    let out = run(&["--bench", "50"], "");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    for (line, prefix) in lines.iter().zip(["hmac-sha1 ns_per_signature=", "acs3-hmac-sha256 ns_per_signature="]) {
        let n = line.strip_prefix(prefix).unwrap_or_else(|| panic!("{line}"));
        assert!(n.parse::<u128>().is_ok(), "{line}");
    }
    assert_eq!(run(&["--bench", "0"], "").status.code(), Some(2));
}
