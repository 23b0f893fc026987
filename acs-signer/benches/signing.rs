//! Criterion benchmark: V1 and V3 signatures of a representative RunCommand request, and the bare HMACs (the floor).

use acs_signer::{v1, v3, Credentials};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn run_command_params() -> Vec<(String, String)> {
    let creds = Credentials::new("LTAI5tFakeAccessKeyId01", "FakeSecret");
    let mut params = v1::protocol_params(
        "RunCommand",
        "2014-05-26",
        &creds,
        "2024-05-01T12:00:00Z",
        "a1b2c3d4e5f60718293a4b5c6d7e8f90",
    );
    for (k, v) in [
        ("RegionId", "cn-hangzhou"),
        ("Type", "RunShellScript"),
        ("CommandContent", "IyEvYmluL2Jhc2gKd2hvYW1pCmVjaG8gImhlbGxvIHdvcmxkIgo="),
        ("ContentEncoding", "Base64"),
        ("InstanceId.1", "i-bp1aaaaaaaaaaaaaaaa"),
        ("InstanceId.2", "i-bp1bbbbbbbbbbbbbbbb"),
        ("Username", "user01"),
        ("Timeout", "60"),
        ("ClientToken", "0f8fad5b-d9cb-469f-a165-70867728950e"),
    ] {
        params.push((k.to_owned(), v.to_owned()));
    }
    params
}

fn signing(c: &mut Criterion) {
    let creds = Credentials::new("LTAI5tFakeAccessKeyId01", "FakeSecret");
    let params = run_command_params();
    c.bench_function("hmac-sha1 (V1) RunCommand", |b| {
        b.iter(|| v1::sign(black_box("POST"), black_box(&params), black_box(creds.access_key_secret)))
    });

    let query: Vec<(String, String)> =
        params.iter().filter(|(k, _)| !k.starts_with("Signature") && k != "Action").cloned().collect();
    let headers = v3::protocol_headers(
        "ecs-cn-hangzhou.aliyuncs.com",
        "RunCommand",
        "2014-05-26",
        "2024-05-01T12:00:00Z",
        "a1b2c3d4e5f60718293a4b5c6d7e8f90",
        b"",
        &creds,
    );
    c.bench_function("acs3-hmac-sha256 (V3) RunCommand", |b| {
        b.iter(|| {
            let req = v3::SignableRequest {
                method: "POST",
                canonical_uri: "/",
                query: black_box(&query),
                headers: black_box(&headers),
                body: b"",
            };
            v3::sign(&req, black_box(&creds))
        })
    });

    let sts = v1::sign("POST", &params, "FakeSecret").string_to_sign;
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, b"FakeSecret&");
    c.bench_function("bare hmac-sha1 over the V1 string-to-sign", |b| {
        b.iter(|| ring::hmac::sign(black_box(&key), black_box(sts.as_bytes())))
    });
}

criterion_group!(benches, signing);
criterion_main!(benches);
