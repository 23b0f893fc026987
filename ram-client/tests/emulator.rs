//! End-to-end against the in-process `acs-emulator`: users, login profiles, policy versions, roles and paging,
//! under V3 and V1.

use acs_core::test_util::config_at;
use acs_core::{ExposeSecret, SignatureVersion};
use acs_emulator::{Emulator, EmulatorHandle};
use futures::TryStreamExt as _;
use ram_client::{codes, Client, PolicyType, RotateStrategy};
use ram_policy::PolicyDocument;

fn client(emu: &EmulatorHandle, version: SignatureVersion) -> Client {
    let root = emu.root_credentials();
    let config = config_at(&emu.endpoint_url(), &root.access_key_id, root.access_key_secret.expose_secret(), version);
    Client::from_config(&config).expect("client")
}

fn allow(action: &str) -> PolicyDocument {
    PolicyDocument::builder().allow([action]).on(["*"]).build()
}

#[tokio::test]
async fn users_policies_versions_and_roles() {
    let emu = Emulator::builder().start().await.expect("emulator");
    for (i, version) in [SignatureVersion::V3, SignatureVersion::V1].into_iter().enumerate() {
        let ram = client(&emu, version);
        let user = format!("user-{i}");
        ram.create_user().user_name(&user).display_name("E2E user").send().await.expect("user");
        ram.create_login_profile()
            .user_name(&user)
            .password("Str0ng!Passw0rd#")
            .password_reset_required(false)
            .send()
            .await
            .expect("login");
        let profile =
            ram.get_login_profile().user_name(&user).send().await.expect("profile").login_profile.expect("profile");
        assert_eq!(profile.password_reset_required, Some(false));

        let policy = format!("policy-{i}");
        ram.create_policy()
            .policy_name(&policy)
            .policy_document(allow("ecs:DescribeInstances"))
            .send()
            .await
            .expect("policy");
        ram.create_policy_version()
            .policy_name(&policy)
            .policy_document(allow("ecs:DescribeRegions"))
            .set_as_default(true)
            .rotate_strategy(RotateStrategy::DeleteOldestNonDefaultVersionWhenLimitExceeded)
            .send()
            .await
            .expect("version");
        let versions = ram
            .list_policy_versions()
            .policy_name(&policy)
            .policy_type(PolicyType::Custom)
            .send()
            .await
            .expect("versions");
        assert_eq!(versions.policy_versions.len(), 2);
        let default = versions.policy_versions.iter().find(|v| v.is_default_version == Some(true)).expect("default");
        assert_eq!(default.document().expect("doc").expect("parses"), allow("ecs:DescribeRegions"));
        ram.attach_policy_to_user()
            .user_name(&user)
            .policy_name(&policy)
            .policy_type(PolicyType::Custom)
            .send()
            .await
            .expect("attach");
        let attached = ram.list_policies_for_user().user_name(&user).send().await.expect("list");
        assert_eq!(
            attached.policies.iter().filter_map(|p| p.policy_name.as_deref()).collect::<Vec<_>>(),
            [policy.as_str()]
        );
        let conflict = ram.delete_user().user_name(&user).send().await.expect_err("still has a policy");
        assert!(conflict.code().is_some_and(|c| c.starts_with("DeleteConflict.User")), "{conflict}");

        let role = format!("role-{i}");
        let trust = PolicyDocument::builder().allow(["sts:AssumeRole"]).principal_service(["ecs.aliyuncs.com"]).build();
        let created =
            ram.create_role().role_name(&role).assume_role_policy_document(&trust).send().await.expect("role");
        assert_eq!(created.role.and_then(|r| r.trust_policy()).expect("trust").expect("parses"), trust);
    }
    let ram = client(&emu, SignatureVersion::V3);
    let users: Vec<_> = ram.list_users().max_items(1).into_paginator().items().try_collect().await.expect("users");
    assert_eq!(users.len(), 2, "both users over one-item pages");
    let missing = ram.get_user().user_name("nobody").send().await.expect_err("missing");
    assert_eq!(missing.code(), Some(codes::ENTITY_NOT_EXIST_USER));
    emu.shutdown().await;
}
