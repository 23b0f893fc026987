//! Shared by the end-to-end tests: an in-process emulator on the demo seed, root clients, and a snapshot of the
//! account's state read through the API.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::time::Duration;

use acs_core::waiter::WaiterConfig;
use acs_core::{Config, ExposeSecret, RetryConfig};
use acs_emulator::{Emulator, EmulatorHandle};
use futures::TryStreamExt as _;
use runas_workflow::Clients;

pub const REGION: &str = "cn-hangzhou";
pub const LINUX: &str = "i-emu-linux-0001";
pub const WINDOWS: &str = "i-emu-windows-0001";
pub const WINDOWS_PASSWORD: &str = "Emu-Passw0rd-user01";

pub async fn emulator() -> EmulatorHandle {
    Emulator::builder().start().await.expect("emulator starts")
}

/// Root clients against the emulator, retries disabled so that an injected fault stops the run.
pub fn root_clients(emu: &EmulatorHandle) -> Clients {
    let root = emu.root_credentials();
    let config = Config::builder()
        .endpoint_url(emu.endpoint_url())
        .region(REGION)
        .static_credentials(root.access_key_id.clone(), root.access_key_secret.expose_secret())
        .retry(RetryConfig::disabled())
        .build()
        .expect("config");
    Clients::new(&config).expect("clients")
}

/// Waits short enough for tests (the emulator is consistent at once).
pub fn quick() -> WaiterConfig {
    WaiterConfig {
        initial_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        deadline: Duration::from_secs(5),
    }
}

/// Whether an action only reads.
pub fn is_read(action: &str) -> bool {
    ["Get", "List", "Describe"].iter().any(|p| action.starts_with(p))
}

/// Everything the procedure can touch, read through the API (ids of AccessKeys left out, their count kept).
pub async fn snapshot(clients: &Clients, with_ecs: bool) -> BTreeMap<String, String> {
    let ram = &clients.ram;
    let mut out = BTreeMap::new();
    let users: Vec<_> = ram.list_users().into_paginator().items().try_collect().await.expect("ListUsers");
    for u in users {
        let name = u.user_name.unwrap_or_default();
        let mut policies: Vec<String> = ram
            .list_policies_for_user()
            .user_name(&name)
            .send()
            .await
            .expect("ListPoliciesForUser")
            .policies
            .into_iter()
            .map(|p| {
                format!(
                    "{}:{}",
                    p.policy_type.map(|t| t.to_string()).unwrap_or_default(),
                    p.policy_name.unwrap_or_default()
                )
            })
            .collect();
        policies.sort();
        let keys = ram.list_access_keys().user_name(&name).send().await.expect("ListAccessKeys").access_keys.len();
        let login = ram.get_login_profile().user_name(&name).send().await.is_ok();
        out.insert(
            format!("user/{name}"),
            format!("comments={:?} policies={policies:?} keys={keys} login={login}", u.comments.unwrap_or_default()),
        );
    }
    let policies: Vec<_> =
        ram.list_policies().policy_type("Custom").into_paginator().items().try_collect().await.expect("ListPolicies");
    for p in policies {
        let name = p.policy_name.unwrap_or_default();
        let versions = ram
            .list_policy_versions()
            .policy_name(&name)
            .policy_type("Custom")
            .send()
            .await
            .expect("ListPolicyVersions")
            .policy_versions
            .len();
        out.insert(format!("policy/{name}"), format!("default={:?} versions={versions}", p.default_version));
    }
    let roles: Vec<_> = ram.list_roles().into_paginator().items().try_collect().await.expect("ListRoles");
    for r in roles {
        let name = r.role_name.unwrap_or_default();
        let mut policies: Vec<String> = ram
            .list_policies_for_role()
            .role_name(&name)
            .send()
            .await
            .expect("ListPoliciesForRole")
            .policies
            .into_iter()
            .map(|p| p.policy_name.unwrap_or_default())
            .collect();
        policies.sort();
        out.insert(format!("role/{name}"), format!("policies={policies:?}"));
    }
    let params: Vec<_> = clients
        .oos
        .list_secret_parameters()
        .region_id(REGION)
        .into_paginator()
        .items()
        .try_collect()
        .await
        .expect("ListSecretParameters");
    for p in params {
        out.insert(format!("parameter/{}", p.name.unwrap_or_default()), format!("{:?}", p.description));
    }
    if with_ecs {
        for instance in [LINUX, WINDOWS] {
            let roles = clients
                .ecs
                .describe_instance_ram_role()
                .region_id(REGION)
                .instance_ids([instance])
                .send()
                .await
                .expect("DescribeInstanceRamRole")
                .instance_ram_role_sets
                .into_iter()
                .filter_map(|r| r.ram_role_name)
                .collect::<Vec<_>>();
            out.insert(format!("instance/{instance}"), format!("{roles:?}"));
        }
    }
    out
}
