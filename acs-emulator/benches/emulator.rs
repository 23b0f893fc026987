//! Criterion benchmarks: request verification (parse + signature check), policy authorization of a RAM user, and a
//! full signed round trip over loopback.

use acs_emulator::authz::{authorize, Check, RequestEnv};
use acs_emulator::protocol::{authenticate, parse, HttpRequest, NonceCache};
use acs_emulator::state::State;
use acs_emulator::{Emulator, Principal, Seed};
use acs_signer::{v1, v3, Credentials};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

const ROOT_ID: &str = "LTAIEmulatorRootKey0001";
const ROOT_SECRET: &str = "EmulatorRootSecret000000000001";

fn form(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", acs_signer::percent_encode(k), acs_signer::percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn verification(c: &mut Criterion) {
    let state = State::from_seed(&Seed::demo());
    let creds = Credentials::new(ROOT_ID, ROOT_SECRET);
    let now = acs_emulator::ids::now_unix();
    let ts = acs_signer::format_timestamp(now);
    let params: Vec<(String, String)> = vec![("UserName".into(), "commandUser".into())];

    let mut v1_params = v1::protocol_params("GetUser", "2015-05-01", &creds, &ts, "nonce-v1");
    v1_params.extend(params.clone());
    let sig = v1::sign("GET", &v1_params, ROOT_SECRET).signature;
    v1_params.push(("Signature".into(), sig));
    let v1_query = form(&v1_params);
    c.bench_function("verify V1 GET GetUser", |b| {
        b.iter(|| {
            let req = HttpRequest { method: "GET", path: "/", query: black_box(&v1_query), headers: &[], body: b"" };
            let parsed = parse(&req).1.ok();
            let mut nonces = NonceCache::default();
            parsed.map(|p| authenticate(&p, &req, &state, &mut nonces, now).is_ok())
        })
    });

    let mut headers = v3::protocol_headers("127.0.0.1:8080", "GetUser", "2015-05-01", &ts, "nonce-v3", b"", &creds);
    let signable =
        v3::SignableRequest { method: "POST", canonical_uri: "/", query: &params, headers: &headers, body: b"" };
    let authorization = v3::sign(&signable, &creds).authorization;
    headers.push(("authorization".into(), authorization));
    let v3_query = form(&params);
    c.bench_function("verify V3 POST GetUser", |b| {
        b.iter(|| {
            let req =
                HttpRequest { method: "POST", path: "/", query: black_box(&v3_query), headers: &headers, body: b"" };
            let parsed = parse(&req).1.ok();
            let mut nonces = NonceCache::default();
            parsed.map(|p| authenticate(&p, &req, &state, &mut nonces, now).is_ok())
        })
    });
}

async fn rpc(endpoint: &str, client: &reqwest::Client, action: &str, params: &[(&str, &str)]) -> u16 {
    let creds = Credentials::new(ROOT_ID, ROOT_SECRET);
    let ts = acs_signer::format_timestamp(acs_emulator::ids::now_unix());
    let nonce = acs_emulator::ids::random_alnum(24);
    let mut all = v1::protocol_params(action, "2015-05-01", &creds, &ts, &nonce);
    all.extend(params.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let sig = v1::sign("POST", &all, ROOT_SECRET).signature;
    all.push(("Signature".into(), sig));
    let resp = client
        .post(format!("{endpoint}/"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form(&all))
        .send()
        .await;
    resp.map(|r| r.status().as_u16()).unwrap_or(0)
}

fn authorization_and_round_trip(c: &mut Criterion) {
    let Ok(rt) = tokio::runtime::Runtime::new() else { return };
    let Ok(emu) = rt.block_on(Emulator::builder().start()) else { return };
    let endpoint = emu.endpoint_url();
    let client = reqwest::Client::new();
    let doc = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:RunCommand","Resource":"*","Condition":{"StringEquals":{"ecs:CommandRunAs":["user01","user02"]}}}]}"#;
    rt.block_on(async {
        rpc(&endpoint, &client, "CreateUser", &[("UserName", "commandUser")]).await;
        rpc(&endpoint, &client, "CreatePolicy", &[("PolicyName", "commandUserPolicy"), ("PolicyDocument", doc)]).await;
        for (name, ty) in [("commandUserPolicy", "Custom"), ("AliyunECSReadOnlyAccess", "System")] {
            let p = [("UserName", "commandUser"), ("PolicyName", name), ("PolicyType", ty)];
            rpc(&endpoint, &client, "AttachPolicyToUser", &p).await;
        }
    });
    let principal = Principal::User {
        account_id: emu.account_id().to_owned(),
        user_name: "commandUser".into(),
        user_id: "1".into(),
        access_key_id: "LTAIx".into(),
    };
    let env = RequestEnv::internal(acs_emulator::ids::now_unix());
    let instances: Vec<String> =
        (0..10).map(|i| format!("acs:ecs:cn-hangzhou:{}:instance/i-{i:04}", emu.account_id())).collect();
    let check = Check::new("ecs:RunCommand").resources(instances).context("ecs:CommandRunAs", "user01");
    c.bench_function("authorize RunCommand on 10 instances (2 policies)", |b| {
        b.iter(|| {
            let state = emu.shared().lock();
            authorize(&state, black_box(&principal), &env, black_box(&check)).is_ok()
        })
    });
    c.bench_function("round trip V1 POST GetUser over loopback", |b| {
        b.iter(|| rt.block_on(rpc(&endpoint, &client, "GetUser", &[("UserName", "commandUser")])))
    });
    rt.block_on(emu.shutdown());
}

criterion_group!(benches, verification, authorization_and_round_trip);
criterion_main!(benches);
