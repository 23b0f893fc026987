//! The floor of signing in Rust: one bare HMAC over the string-to-sign, with `ring` (what `acs-signer` uses).

use anyhow::{anyhow, bail, Context as _, Result};
use clap::Args;
use serde_json::{json, Map, Value};
use std::path::PathBuf;
use std::time::Instant;

/// Arguments of `floor`.
#[derive(Debug, Args)]
pub struct FloorArgs {
    /// The representative request (bench/data/runcommand-request.json: a V1 and a V3 entry in acs-sign's shape).
    #[arg(long)]
    request: PathBuf,
    /// HMACs per algorithm.
    #[arg(long, default_value_t = 200_000)]
    n: u32,
}

fn text<'a>(entry: &'a Map<String, Value>, key: &str) -> Result<&'a str> {
    entry.get(key).and_then(Value::as_str).ok_or_else(|| anyhow!("request entry: field {key:?} must be a string"))
}

fn pairs(entry: &Map<String, Value>, key: &str) -> Result<Vec<(String, String)>> {
    let obj = entry.get(key).and_then(Value::as_object).ok_or_else(|| anyhow!("field {key:?} must be an object"))?;
    obj.iter()
        .map(|(k, v)| {
            v.as_str().map(|v| (k.clone(), v.to_owned())).ok_or_else(|| anyhow!("{key}.{k} must be a string"))
        })
        .collect()
}

/// Nanoseconds per HMAC of `message` under `key`, over `n` runs.
fn time_hmac(algorithm: ring::hmac::Algorithm, key: &[u8], message: &[u8], n: u32) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        // the key is derived inside the loop, as every signer must do (the secret may change between calls)
        let key = ring::hmac::Key::new(algorithm, std::hint::black_box(key));
        std::hint::black_box(ring::hmac::sign(&key, std::hint::black_box(message)));
    }
    start.elapsed().as_nanos() as f64 / f64::from(n)
}

/// Runs `floor` and returns its report.
pub fn run(args: &FloorArgs) -> Result<Value> {
    if args.n == 0 {
        bail!("--n must be at least 1");
    }
    let text_in = std::fs::read_to_string(&args.request)
        .with_context(|| format!("reading the request file {}", args.request.display()))?;
    let entries: Vec<Map<String, Value>> = serde_json::from_str(&text_in).context("the request file is not a list")?;
    let find = |algorithm: &str| {
        entries
            .iter()
            .find(|e| e.get("algorithm").and_then(Value::as_str) == Some(algorithm))
            .ok_or_else(|| anyhow!("the request file has no {algorithm} entry"))
    };

    let v1_entry = find("HMAC-SHA1")?;
    let v1_secret = text(v1_entry, "access_key_secret")?;
    let v1 = acs_signer::v1::sign(text(v1_entry, "method")?, &pairs(v1_entry, "params")?, v1_secret);

    let v3_entry = find("ACS3-HMAC-SHA256")?;
    let v3_secret = text(v3_entry, "access_key_secret")?;
    let creds = acs_signer::Credentials::new(text(v3_entry, "access_key_id")?, v3_secret);
    let query = pairs(v3_entry, "query")?;
    let headers = pairs(v3_entry, "headers")?;
    let request = acs_signer::v3::SignableRequest {
        method: text(v3_entry, "method")?,
        canonical_uri: text(v3_entry, "canonical_uri")?,
        query: &query,
        headers: &headers,
        body: text(v3_entry, "body")?.as_bytes(),
    };
    let v3 = acs_signer::v3::sign(&request, &creds);

    // V1 keys the HMAC with `secret&`
    let v1_key = format!("{v1_secret}&");
    let v1_ns =
        time_hmac(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, v1_key.as_bytes(), v1.string_to_sign.as_bytes(), args.n);
    let v3_ns = time_hmac(ring::hmac::HMAC_SHA256, v3_secret.as_bytes(), v3.string_to_sign.as_bytes(), args.n);

    Ok(json!({
        "language": "rust",
        "n": args.n,
        "hmac_sha1_ns": v1_ns,
        "hmac_sha256_ns": v3_ns,
        "v1_string_to_sign_bytes": v1.string_to_sign.len(),
        "v3_string_to_sign_bytes": v3.string_to_sign.len(),
        "v1_string_to_sign": v1.string_to_sign,
        "v3_string_to_sign": v3.string_to_sign,
        "v1_signature": v1.signature,
        "v3_signature": v3.signature,
    }))
}
