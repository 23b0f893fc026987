//! `acs-sign` — compute Alibaba Cloud request signatures, to debug a `SignatureDoesNotMatch`.
//!
//! Reads one JSON object or an array from stdin, shaped like the entries of `signature-vectors.json`
//! without `expected`, and writes the same shape back with `expected` filled in:
//! - `"algorithm": "HMAC-SHA1"` (V1): `method`, `params` (every signed parameter), `access_key_secret`
//!   → `canonical_query`, `string_to_sign`, `signature`;
//! - `"algorithm": "ACS3-HMAC-SHA256"` (V3): `method`, `canonical_uri`, `query`, `headers` (signed exactly as
//!   given), `body`, `access_key_id`, `access_key_secret` (optional `security_token`)
//!   → `canonical_request`, `string_to_sign`, `signature`, `authorization`.
//!
//! `acs-sign --bench N` signs a representative RunCommand request N times with each algorithm and prints
//! `hmac-sha1 ns_per_signature=X` and `acs3-hmac-sha256 ns_per_signature=Y`.
//!
//! Exit status: 0 on success, 2 on unreadable or invalid input.

use acs_signer::{v1, v3, Credentials};
use anyhow::{anyhow, bail, Context, Result};
use clap::Parser;
use serde_json::{Map, Value};
use std::io::Read;
use std::time::Instant;

/// Compute Alibaba Cloud V1 / V3 signatures for JSON requests read from stdin.
#[derive(Parser, Debug)]
#[command(
    name = "acs-sign",
    version,
    after_help = "Input: one JSON object or an array, shaped like the entries of acs-signer/tests/data/signature-vectors.json; \
                  the output adds \"expected\" with the canonical query/request, string-to-sign and signature.\n\n\
                  Exit status: 0 on success, 2 on unreadable or invalid input."
)]
struct Args {
    /// Instead of reading stdin, sign a representative RunCommand request N times with each algorithm and print
    /// the time per signature.
    #[arg(long, value_name = "N")]
    bench: Option<u64>,
}

fn main() {
    let args = Args::parse();
    let result = match args.bench {
        Some(n) => bench(n),
        None => run(),
    };
    if let Err(e) = result {
        eprintln!("acs-sign: {e:#}");
        std::process::exit(2);
    }
}

fn run() -> Result<()> {
    let mut input = String::new();
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        eprintln!("acs-sign: reading the request JSON from the terminal (end with Ctrl-D; --help for its shape)");
    }
    std::io::stdin().read_to_string(&mut input).context("cannot read stdin")?;
    let value: Value = serde_json::from_str(&input).context("stdin is not valid JSON")?;
    let output = match value {
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| sign_entry(item).with_context(|| format!("entry {i}")))
                .collect::<Result<_>>()?,
        ),
        item @ Value::Object(_) => sign_entry(item)?,
        _ => bail!("expected a JSON object or an array of objects"),
    };
    examples::output::print(&format!("{}\n", serde_json::to_string_pretty(&output)?));
    Ok(())
}

fn text(entry: &Map<String, Value>, key: &str) -> Result<String> {
    match entry.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => bail!("field {key:?} must be a string"),
        None => bail!("field {key:?} is missing"),
    }
}

fn text_or(entry: &Map<String, Value>, key: &str, default: &str) -> Result<String> {
    match entry.get(key) {
        None | Some(Value::Null) => Ok(default.to_owned()),
        Some(_) => text(entry, key),
    }
}

/// A JSON object of scalars as `(name, value)` strings; numbers and booleans are accepted as their text.
fn pairs(entry: &Map<String, Value>, key: &str) -> Result<Vec<(String, String)>> {
    let obj = match entry.get(key) {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Object(o)) => o,
        Some(_) => bail!("field {key:?} must be an object of strings"),
    };
    obj.iter()
        .map(|(k, v)| {
            let v = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => return Err(anyhow!("{key}.{k} must be a string, number or boolean")),
            };
            Ok((k.clone(), v))
        })
        .collect()
}

fn sign_entry(item: Value) -> Result<Value> {
    let Value::Object(mut entry) = item else { bail!("each entry must be a JSON object") };
    // Told apart before the fields it needs are read, so that a wrong algorithm is what the error names.
    enum Algorithm {
        HmacSha1,
        Acs3HmacSha256,
    }
    let algorithm = match text(&entry, "algorithm")?.as_str() {
        "HMAC-SHA1" => Algorithm::HmacSha1,
        "ACS3-HMAC-SHA256" => Algorithm::Acs3HmacSha256,
        other => bail!("unknown algorithm {other:?} (expected \"HMAC-SHA1\" or \"ACS3-HMAC-SHA256\")"),
    };
    let method = text_or(&entry, "method", "POST")?.to_ascii_uppercase();
    let secret = text(&entry, "access_key_secret")?;
    let expected = match algorithm {
        Algorithm::HmacSha1 => {
            let params = pairs(&entry, "params")?;
            let signed = v1::sign(&method, &params, &secret);
            serde_json::json!({
                "canonical_query": signed.canonical_query,
                "string_to_sign": signed.string_to_sign,
                "signature": signed.signature,
            })
        }
        Algorithm::Acs3HmacSha256 => {
            let id = text(&entry, "access_key_id")?;
            let token = match entry.get("security_token") {
                None | Some(Value::Null) => None,
                Some(_) => Some(text(&entry, "security_token")?),
            };
            let query = pairs(&entry, "query")?;
            let headers = pairs(&entry, "headers")?;
            let body = text_or(&entry, "body", "")?;
            let uri = text_or(&entry, "canonical_uri", "/")?;
            let mut creds = Credentials::new(&id, &secret);
            if let Some(t) = token.as_deref() {
                creds = creds.with_security_token(t);
            }
            let request = v3::SignableRequest {
                method: &method,
                canonical_uri: &uri,
                query: &query,
                headers: &headers,
                body: body.as_bytes(),
            };
            let signed = v3::sign(&request, &creds);
            serde_json::json!({
                "canonical_request": signed.canonical_request,
                "string_to_sign": signed.string_to_sign,
                "signature": signed.signature,
                "authorization": signed.authorization,
            })
        }
    };
    entry.insert("expected".to_owned(), expected);
    Ok(Value::Object(entry))
}

/// The parameters of a representative RunCommand: two instances, a script, a user, a tag.
fn run_command_params() -> Vec<(String, String)> {
    [
        ("RegionId", "cn-hangzhou"),
        ("InstanceId.1", "i-bp1aaaaaaaaaaaaaaaa"),
        ("InstanceId.2", "i-bp1bbbbbbbbbbbbbbbb"),
        ("Type", "RunShellScript"),
        ("CommandContent", "#!/bin/bash\nwhoami && id && echo \"hello, 世界\" > /tmp/out.txt\n"),
        ("ContentEncoding", "PlainText"),
        ("Username", "user01"),
        ("Timeout", "60"),
        ("KeepCommand", "false"),
        ("Tag.1.Key", "team"),
        ("Tag.1.Value", "ops"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

fn bench(n: u64) -> Result<()> {
    if n == 0 {
        bail!("--bench needs N >= 1");
    }
    let creds = Credentials::new("LTAI5tFakeAccessKeyId01", "FakeAccessKeySecret0123456789ab");
    let params = run_command_params();

    let mut v1_params = v1::protocol_params(
        "RunCommand",
        "2014-05-26",
        &creds,
        "2024-05-01T12:00:00Z",
        "a1b2c3d4e5f60718293a4b5c6d7e8f90",
    );
    v1_params.extend(params.iter().cloned());
    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(v1::sign("POST", std::hint::black_box(&v1_params), creds.access_key_secret));
    }
    let v1_ns = start.elapsed().as_nanos() / u128::from(n);

    let headers = v3::protocol_headers(
        "ecs-cn-hangzhou.aliyuncs.com",
        "RunCommand",
        "2014-05-26",
        "2024-05-01T12:00:00Z",
        "a1b2c3d4e5f60718293a4b5c6d7e8f90",
        b"",
        &creds,
    );
    let request =
        v3::SignableRequest { method: "POST", canonical_uri: "/", query: &params, headers: &headers, body: b"" };
    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(v3::sign(std::hint::black_box(&request), &creds));
    }
    let v3_ns = start.elapsed().as_nanos() / u128::from(n);

    examples::output::print(&format!(
        "hmac-sha1 ns_per_signature={v1_ns}\nacs3-hmac-sha256 ns_per_signature={v3_ns}\n"
    ));
    Ok(())
}
