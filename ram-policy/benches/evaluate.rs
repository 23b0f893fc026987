//! Criterion benchmark: validating and evaluating the procedure's policies (what the emulator does per call).

use criterion::{criterion_group, criterion_main, Criterion};
use ram_policy::{evaluate, procedure, system_policy, validate, Context, NamedPolicy, PolicyKind, Request};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let command = procedure::run_as_allow_list(&["user01", "user02"]);
    let read_only = system_policy("AliyunECSReadOnlyAccess").expect("bundled system policy");
    let policies = [
        NamedPolicy { name: "AliyunECSReadOnlyAccess", document: &read_only },
        NamedPolicy { name: "commandUserPolicy", document: &command },
    ];
    let request = Request::new("ecs:RunCommand", "acs:ecs:cn-hangzhou:1234567890123456:instance/i-emu-linux-0001")
        .with_context(Context::new().with("ecs:CommandRunAs", "user02"));
    c.bench_function("evaluate run-command (2 policies, 4 statements)", |b| {
        b.iter(|| evaluate(black_box(&policies), black_box(&request)))
    });
    let json = command.to_json();
    c.bench_function("validate commandUserPolicy", |b| b.iter(|| validate(black_box(&json), PolicyKind::Identity)));
}

criterion_group!(benches, bench);
criterion_main!(benches);
