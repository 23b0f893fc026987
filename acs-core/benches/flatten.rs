//! Cost of turning a typed request into RPC parameters (runs once per call, before signing).

use criterion::{criterion_group, criterion_main, Criterion};
use std::collections::BTreeMap;
use std::hint::black_box;

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct Tag {
    key: String,
    value: String,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct RunCommand {
    region_id: String,
    instance_id: Vec<String>,
    r#type: String,
    command_content: String,
    username: String,
    timeout: i64,
    keep_command: bool,
    tag: Vec<Tag>,
    #[serde(serialize_with = "acs_core::params::json_string")]
    parameters: BTreeMap<String, String>,
}

fn request() -> RunCommand {
    RunCommand {
        region_id: "cn-hangzhou".into(),
        instance_id: (0..10).map(|i| format!("i-bp1{i:017}")).collect(),
        r#type: "RunShellScript".into(),
        command_content: "#!/bin/bash\nwhoami && id\n".repeat(20),
        username: "user01".into(),
        timeout: 60,
        keep_command: false,
        tag: vec![Tag { key: "team".into(), value: "ops".into() }],
        parameters: BTreeMap::from([("name".into(), "value".into())]),
    }
}

fn bench(c: &mut Criterion) {
    let req = request();
    c.bench_function("to_params run_command 10 instances", |b| b.iter(|| acs_core::params::to_params(black_box(&req))));
}

criterion_group!(benches, bench);
criterion_main!(benches);
