//! Cost of parsing large responses into the typed models (lenient numbers, wrapper lists, enums).

use criterion::{criterion_group, criterion_main, Criterion};
use ecs_client::{DescribeInstancesResponse, DescribeInvocationResultsResponse};
use serde_json::json;
use std::hint::black_box;

fn instances_body(n: usize) -> String {
    let instances: Vec<_> = (0..n)
        .map(|i| {
            json!({
                "InstanceId": format!("i-bp1{i:017}"), "InstanceName": format!("web-{i}"), "Status": "Running",
                "RegionId": "cn-hangzhou", "ZoneId": "cn-hangzhou-h", "OSType": "linux", "Cpu": 2, "Memory": 4096,
                "InstanceType": "ecs.g7.large", "CreationTime": "2026-01-01T00:00Z", "IoOptimized": true,
                "VpcAttributes": {"VpcId": "vpc-1", "VSwitchId": "vsw-1", "PrivateIpAddress": {"IpAddress": ["10.0.0.1"]}},
                "PublicIpAddress": {"IpAddress": ["47.0.0.1"]}, "SecurityGroupIds": {"SecurityGroupId": ["sg-1", "sg-2"]},
                "Tags": {"Tag": [{"TagKey": "team", "TagValue": "ops"}]},
                "NetworkInterfaces": {"NetworkInterface": [{"NetworkInterfaceId": "eni-1", "PrimaryIpAddress": "10.0.0.1",
                    "PrivateIpSets": {"PrivateIpSet": [{"PrivateIpAddress": "10.0.0.1", "Primary": true}]}}]}
            })
        })
        .collect();
    json!({"RequestId": "r", "TotalCount": n, "PageSize": n, "PageNumber": 1, "Instances": {"Instance": instances}})
        .to_string()
}

fn results_body(n: usize) -> String {
    let results: Vec<_> = (0..n)
        .map(|i| {
            json!({"InstanceId": format!("i-{i}"), "InvokeId": "t-1", "CommandId": "c-1", "InvocationStatus": "Success",
                "InvokeRecordStatus": "Finished", "ExitCode": 0, "ErrorCode": "", "ErrorInfo": "", "Dropped": 0,
                "Output": "dXNlcjAxCg==", "StartTime": "2026-01-01T00:00:00Z", "FinishedTime": "2026-01-01T00:00:01Z",
                "Repeats": 1, "Username": "user01"})
        })
        .collect();
    json!({"RequestId": "r", "Invocation": {"TotalCount": n, "NextToken": "", "InvocationResults": {"InvocationResult": results}}})
        .to_string()
}

fn bench(c: &mut Criterion) {
    let instances = instances_body(100);
    c.bench_function("parse DescribeInstances (100 instances)", |b| {
        b.iter(|| serde_json::from_str::<DescribeInstancesResponse>(black_box(&instances)).map(|r| r.instances.len()))
    });
    let results = results_body(50);
    c.bench_function("parse DescribeInvocationResults (50 results)", |b| {
        b.iter(|| {
            serde_json::from_str::<DescribeInvocationResultsResponse>(black_box(&results))
                .map(|r| r.invocation.map(|i| i.invocation_results.len()))
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
