//! Hostile inputs: every operation of every service, called by the account root with hostile values in each of
//! its parameters, answers a JSON error (or success) — never a 500, a dropped connection or a panic.

mod support;

use acs_emulator::catalog::{self, Service};
use support::*;

const HOSTILE: &[&str] = &[
    "",
    "-1",
    "0",
    "-9223372036854775808",
    "9223372036854775807",
    "99999999999999999999999",
    "1e308",
    "NaN",
    "[]",
    "{}",
    "null",
    "[\"a\",1,null]",
    "{\"a\":{\"b\":[]}}",
    "true",
    "\u{0}\u{7f}é中文🙂",
    "{{x}}{{",
    "alias/",
    "acs:kms:cn-hangzhou:1:key/",
    "%zz",
];

fn version(service: Service) -> &'static str {
    service.version()
}

#[tokio::test]
async fn no_parameter_value_makes_any_operation_fail_internally() {
    let emu = start_demo().await;
    let ep = emu.endpoint_url();
    let root = Creds::root(&emu);
    let long = "x".repeat(40_000);
    let mut values: Vec<&str> = HOSTILE.to_vec();
    values.push(&long);
    for service in Service::ALL {
        for action in catalog::operation_names(service) {
            let Some(op) = catalog::operation(service, action) else { continue };
            let names: Vec<String> = op
                .params
                .iter()
                .map(|p| if p.flatten == "scalar" { p.name.clone() } else { format!("{}.1", p.name) })
                .collect();
            for value in &values {
                // Every parameter at once (reaches the handlers past MissingParameter), with a valid region ...
                let mut pairs: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), *value)).collect();
                pairs.retain(|(k, _)| *k != "RegionId");
                pairs.push(("RegionId", "cn-hangzhou"));
                let (status, body) = call_with(Style::V3Form, &ep, &root, version(service), action, &pairs).await;
                assert!(
                    status < 500 && (status == 200 || body["Code"].is_string()),
                    "{action} all={value:.40}: HTTP {status} {body}"
                );
                // ... and one parameter at a time.
                for name in &names {
                    let pairs = [("RegionId", "cn-hangzhou"), (name.as_str(), *value)];
                    let (status, body) = call_with(Style::V3Form, &ep, &root, version(service), action, &pairs).await;
                    assert!(
                        status < 500 && (status == 200 || body["Code"].is_string()),
                        "{action} {name}={value:.40}: HTTP {status} {body}"
                    );
                }
            }
        }
    }
}
