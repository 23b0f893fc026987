//! RAM semantics over the wire: entities, limits, conflicts, password policy, pagination, exact field names.

mod support;

use serde_json::Value;
use support::*;

const DOC: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:Describe*","Resource":"*"}]}"#;
const TRUST_ECS: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":["ecs.aliyuncs.com"]}}]}"#;

fn doc_n(n: usize) -> String {
    format!(r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":"ecs:Describe{n}","Resource":"*"}}]}}"#)
}

#[tokio::test]
async fn user_lifecycle_and_codes() {
    let emu = start_demo().await;
    let (ep, root) = (emu.endpoint_url(), Creds::root(&emu));
    let created = ok(
        &ep,
        &root,
        RAM,
        "CreateUser",
        &[("UserName", "alice"), ("DisplayName", "Alice"), ("Email", "a@example.com")],
    )
    .await;
    let user = &created["User"];
    assert_eq!(user["UserName"], "alice");
    assert_eq!(user["DisplayName"], "Alice");
    assert!(user["UserId"].as_str().is_some_and(|id| id.len() == 16));
    assert!(user["CreateDate"].as_str().is_some_and(|d| d.ends_with('Z')));
    fails(&ep, &root, RAM, "CreateUser", &[("UserName", "ALICE")], "EntityAlreadyExists.User").await;
    fails(&ep, &root, RAM, "CreateUser", &[("UserName", "bad name")], "InvalidParameter.UserName.InvalidChars").await;
    let long = "a".repeat(65);
    fails(&ep, &root, RAM, "CreateUser", &[("UserName", &long)], "InvalidParameter.UserName.Length").await;
    fails(&ep, &root, RAM, "CreateUser", &[("UserName", "bob"), ("Email", "nope")], "InvalidParameter.Email.Format")
        .await;
    fails(
        &ep,
        &root,
        RAM,
        "CreateUser",
        &[("UserName", "bob"), ("MobilePhone", "123")],
        "InvalidParameter.MobilePhone.Format",
    )
    .await;
    fails(&ep, &root, RAM, "GetUser", &[("UserName", "nobody")], "EntityNotExist.User").await;

    let got = ok(&ep, &root, RAM, "GetUser", &[("UserName", "Alice")]).await;
    assert_eq!(got["User"]["Email"], "a@example.com");
    let updated =
        ok(&ep, &root, RAM, "UpdateUser", &[("UserName", "alice"), ("NewUserName", "alice2"), ("NewComments", "hi")])
            .await;
    assert_eq!(updated["User"]["UserName"], "alice2");
    assert_eq!(updated["User"]["Comments"], "hi");
    fails(&ep, &root, RAM, "GetUser", &[("UserName", "alice")], "EntityNotExist.User").await;
    ok(&ep, &root, RAM, "CreateUser", &[("UserName", "carol")]).await;
    fails(
        &ep,
        &root,
        RAM,
        "UpdateUser",
        &[("UserName", "carol"), ("NewUserName", "alice2")],
        "EntityAlreadyExists.User",
    )
    .await;
    ok(&ep, &root, RAM, "DeleteUser", &[("UserName", "alice2")]).await;
    fails(&ep, &root, RAM, "DeleteUser", &[("UserName", "alice2")], "EntityNotExist.User").await;
}

#[tokio::test]
async fn list_users_paginates_with_marker() {
    let emu = start_demo().await;
    let (ep, root) = (emu.endpoint_url(), Creds::root(&emu));
    for i in 0..7 {
        ok(&ep, &root, RAM, "CreateUser", &[("UserName", &format!("user-{i}"))]).await;
    }
    let mut names = Vec::new();
    let mut marker: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut params = vec![("MaxItems", "3")];
        if let Some(m) = &marker {
            params.push(("Marker", m.as_str()));
        }
        let body = ok(&ep, &root, RAM, "ListUsers", &params).await;
        pages += 1;
        for u in body["Users"]["User"].as_array().into_iter().flatten() {
            names.push(u["UserName"].as_str().unwrap_or_default().to_owned());
        }
        if body["IsTruncated"] == Value::Bool(true) {
            marker = body["Marker"].as_str().map(str::to_owned);
            assert!(marker.is_some());
        } else {
            break;
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(names, (0..7).map(|i| format!("user-{i}")).collect::<Vec<_>>());
    fails(&ep, &root, RAM, "ListUsers", &[("MaxItems", "0")], "InvalidParameter.MaxItems").await;
    fails(&ep, &root, RAM, "ListUsers", &[("Marker", "!!")], "InvalidParameter.Marker").await;
}

#[tokio::test]
async fn login_profiles_follow_the_password_policy() {
    let emu = start_demo().await;
    let (ep, root) = (emu.endpoint_url(), Creds::root(&emu));
    let policy = ok(&ep, &root, RAM, "GetPasswordPolicy", &[]).await;
    let pp = &policy["PasswordPolicy"];
    assert_eq!(pp["MinimumPasswordLength"], 8);
    assert_eq!(pp["RequireNumbers"], true);
    assert!(pp["MaxLoginAttemps"].is_number());
    ok(&ep, &root, RAM, "CreateUser", &[("UserName", "dave")]).await;
    fails(
        &ep,
        &root,
        RAM,
        "CreateLoginProfile",
        &[("UserName", "nobody"), ("Password", "Str0ngPassw0rd")],
        "EntityNotExist.User",
    )
    .await;
    for weak in ["short1A", "alllowercase123", "ALLUPPER123", "NoDigitsHere"] {
        let body = fails(
            &ep,
            &root,
            RAM,
            "CreateLoginProfile",
            &[("UserName", "dave"), ("Password", weak)],
            "InvalidParameter.Password.TooWeak",
        )
        .await;
        assert!(!body["Message"].as_str().unwrap_or_default().contains(weak), "password echoed");
    }
    let created = ok(
        &ep,
        &root,
        RAM,
        "CreateLoginProfile",
        &[("UserName", "dave"), ("Password", "Str0ngPassw0rd"), ("PasswordResetRequired", "True")],
    )
    .await;
    assert_eq!(created["LoginProfile"]["PasswordResetRequired"], true);
    assert_eq!(created["LoginProfile"]["MFABindRequired"], false);
    fails(
        &ep,
        &root,
        RAM,
        "CreateLoginProfile",
        &[("UserName", "dave"), ("Password", "Str0ngPassw0rd")],
        "EntityAlreadyExists.User.LoginProfile",
    )
    .await;
    fails(
        &ep,
        &root,
        RAM,
        "UpdateLoginProfile",
        &[("UserName", "dave"), ("Password", "weak")],
        "InvalidParameter.Password.TooWeak",
    )
    .await;
    ok(&ep, &root, RAM, "UpdateLoginProfile", &[("UserName", "dave"), ("PasswordResetRequired", "false")]).await;
    let got = ok(&ep, &root, RAM, "GetLoginProfile", &[("UserName", "dave")]).await;
    assert_eq!(got["LoginProfile"]["PasswordResetRequired"], false);
    assert!(got["LoginProfile"].get("Password").is_none());
    fails(&ep, &root, RAM, "DeleteUser", &[("UserName", "dave")], "DeleteConflict.User.LoginProfile").await;
    ok(&ep, &root, RAM, "DeleteLoginProfile", &[("UserName", "dave")]).await;
    fails(&ep, &root, RAM, "GetLoginProfile", &[("UserName", "dave")], "EntityNotExist.User.LoginProfile").await;
    fails(&ep, &root, RAM, "DeleteLoginProfile", &[("UserName", "dave")], "EntityNotExist.User.LoginProfile").await;
    ok(&ep, &root, RAM, "DeleteUser", &[("UserName", "dave")]).await;
}

#[tokio::test]
async fn access_keys_limit_status_and_conflicts() {
    let emu = start_demo().await;
    let (ep, root) = (emu.endpoint_url(), Creds::root(&emu));
    ok(&ep, &root, RAM, "CreateUser", &[("UserName", "erin")]).await;
    let k1 = ok(&ep, &root, RAM, "CreateAccessKey", &[("UserName", "erin")]).await;
    assert!(k1["AccessKey"]["AccessKeySecret"].as_str().is_some_and(|s| s.len() == 30));
    assert_eq!(k1["AccessKey"]["Status"], "Active");
    let k2 = ok(&ep, &root, RAM, "CreateAccessKey", &[("UserName", "erin")]).await;
    fails(&ep, &root, RAM, "CreateAccessKey", &[("UserName", "erin")], "LimitExceeded.User.AccessKey").await;
    fails(&ep, &root, RAM, "CreateAccessKey", &[("UserName", "nobody")], "EntityNotExist.User").await;
    let listed = ok(&ep, &root, RAM, "ListAccessKeys", &[("UserName", "erin")]).await;
    let keys = listed["AccessKeys"]["AccessKey"].as_array().cloned().unwrap_or_default();
    assert_eq!(keys.len(), 2);
    assert!(keys.iter().all(|k| k.get("AccessKeySecret").is_none()));

    // The user's key works (GetCallerIdentity needs no permission) until it is made inactive.
    let erin = Creds::from_access_key(&k1);
    let me = ok(&ep, &erin, STS, "GetCallerIdentity", &[]).await;
    assert_eq!(me["IdentityType"], "RAMUser");
    assert_eq!(me["Arn"], format!("acs:ram::{}:user/erin", emu.account_id()));
    let id1 = k1["AccessKey"]["AccessKeyId"].as_str().unwrap_or_default().to_owned();
    fails(
        &ep,
        &root,
        RAM,
        "UpdateAccessKey",
        &[("UserName", "erin"), ("UserAccessKeyId", &id1), ("Status", "Paused")],
        "InvalidParameter.Status",
    )
    .await;
    ok(&ep, &root, RAM, "UpdateAccessKey", &[("UserName", "erin"), ("UserAccessKeyId", &id1), ("Status", "Inactive")])
        .await;
    fails(&ep, &erin, STS, "GetCallerIdentity", &[], "InvalidAccessKeyId.Inactive").await;
    ok(&ep, &root, RAM, "UpdateAccessKey", &[("UserName", "erin"), ("UserAccessKeyId", &id1), ("Status", "Active")])
        .await;
    ok(&ep, &erin, STS, "GetCallerIdentity", &[]).await;

    fails(&ep, &root, RAM, "DeleteUser", &[("UserName", "erin")], "DeleteConflict.User.AccessKey").await;
    fails(
        &ep,
        &root,
        RAM,
        "DeleteAccessKey",
        &[("UserName", "erin"), ("UserAccessKeyId", "LTAInope")],
        "EntityNotExist.User.AccessKey",
    )
    .await;
    let id2 = k2["AccessKey"]["AccessKeyId"].as_str().unwrap_or_default().to_owned();
    for id in [&id1, &id2] {
        ok(&ep, &root, RAM, "DeleteAccessKey", &[("UserName", "erin"), ("UserAccessKeyId", id)]).await;
    }
    fails(&ep, &erin, STS, "GetCallerIdentity", &[], "InvalidAccessKeyId.NotFound").await;
    ok(&ep, &root, RAM, "DeleteUser", &[("UserName", "erin")]).await;
}

#[tokio::test]
async fn policy_versions_limit_rotation_and_default() {
    let emu = start_demo().await;
    let (ep, root) = (emu.endpoint_url(), Creds::root(&emu));
    let created =
        ok(&ep, &root, RAM, "CreatePolicy", &[("PolicyName", "p1"), ("PolicyDocument", DOC), ("Description", "d")])
            .await;
    assert_eq!(created["Policy"]["DefaultVersion"], "v1");
    assert_eq!(created["Policy"]["PolicyType"], "Custom");
    fails(
        &ep,
        &root,
        RAM,
        "CreatePolicy",
        &[("PolicyName", "p1"), ("PolicyDocument", DOC)],
        "EntityAlreadyExists.Policy",
    )
    .await;
    fails(
        &ep,
        &root,
        RAM,
        "CreatePolicy",
        &[("PolicyName", "p2"), ("PolicyDocument", "{not json")],
        "MalformedPolicyDocument",
    )
    .await;
    fails(
        &ep,
        &root,
        RAM,
        "CreatePolicy",
        &[("PolicyName", "p_2"), ("PolicyDocument", DOC)],
        "InvalidParameter.PolicyName.InvalidChars",
    )
    .await;
    let huge = format!(
        r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":"ecs:{}","Resource":"*"}}]}}"#,
        "A".repeat(6200)
    );
    fails(
        &ep,
        &root,
        RAM,
        "CreatePolicy",
        &[("PolicyName", "p3"), ("PolicyDocument", &huge)],
        "InvalidParameter.PolicyDocument.Length",
    )
    .await;
    // The document is returned exactly as submitted.
    let got = ok(&ep, &root, RAM, "GetPolicy", &[("PolicyName", "p1"), ("PolicyType", "Custom")]).await;
    assert_eq!(got["DefaultPolicyVersion"]["PolicyDocument"], DOC);
    assert_eq!(got["Policy"]["AttachmentCount"], 0);
    fails(
        &ep,
        &root,
        RAM,
        "GetPolicy",
        &[("PolicyName", "p1"), ("PolicyType", "Other")],
        "InvalidParameter.PolicyType",
    )
    .await;

    for n in 2..=5 {
        let v =
            ok(&ep, &root, RAM, "CreatePolicyVersion", &[("PolicyName", "p1"), ("PolicyDocument", &doc_n(n))]).await;
        assert_eq!(v["PolicyVersion"]["VersionId"], format!("v{n}"));
        assert_eq!(v["PolicyVersion"]["IsDefaultVersion"], false);
    }
    fails(
        &ep,
        &root,
        RAM,
        "CreatePolicyVersion",
        &[("PolicyName", "p1"), ("PolicyDocument", &doc_n(6))],
        "LimitExceeded.Policy.Version",
    )
    .await;
    let rotated = ok(
        &ep,
        &root,
        RAM,
        "CreatePolicyVersion",
        &[
            ("PolicyName", "p1"),
            ("PolicyDocument", &doc_n(6)),
            ("RotateStrategy", "DeleteOldestNonDefaultVersionWhenLimitExceeded"),
            ("SetAsDefault", "true"),
        ],
    )
    .await;
    assert_eq!(rotated["PolicyVersion"]["VersionId"], "v6");
    assert_eq!(rotated["PolicyVersion"]["IsDefaultVersion"], true);
    let versions = ok(&ep, &root, RAM, "ListPolicyVersions", &[("PolicyName", "p1"), ("PolicyType", "Custom")]).await;
    let ids: Vec<&str> = versions["PolicyVersions"]["PolicyVersion"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["VersionId"].as_str())
        .collect();
    // v1 was the default when the limit hit, so the oldest non-default (v2) went.
    assert_eq!(ids, vec!["v1", "v3", "v4", "v5", "v6"]);
    fails(
        &ep,
        &root,
        RAM,
        "DeletePolicyVersion",
        &[("PolicyName", "p1"), ("VersionId", "v6")],
        "DeleteConflict.Policy.Version.Default",
    )
    .await;
    fails(
        &ep,
        &root,
        RAM,
        "DeletePolicyVersion",
        &[("PolicyName", "p1"), ("VersionId", "v2")],
        "EntityNotExist.Policy.Version",
    )
    .await;
    fails(
        &ep,
        &root,
        RAM,
        "GetPolicyVersion",
        &[("PolicyName", "p1"), ("PolicyType", "Custom"), ("VersionId", "x")],
        "InvalidParameter.VersionId.Format",
    )
    .await;
    ok(&ep, &root, RAM, "SetDefaultPolicyVersion", &[("PolicyName", "p1"), ("VersionId", "v3")]).await;
    let v3 =
        ok(&ep, &root, RAM, "GetPolicyVersion", &[("PolicyName", "p1"), ("PolicyType", "Custom"), ("VersionId", "v3")])
            .await;
    assert_eq!(v3["PolicyVersion"]["IsDefaultVersion"], true);
    assert_eq!(v3["PolicyVersion"]["PolicyDocument"], doc_n(3));
    fails(
        &ep,
        &root,
        RAM,
        "SetDefaultPolicyVersion",
        &[("PolicyName", "p1"), ("VersionId", "v9")],
        "EntityNotExist.Policy.Version",
    )
    .await;

    // Deleting needs the non-default versions gone (or CascadingDelete).
    fails(&ep, &root, RAM, "DeletePolicy", &[("PolicyName", "p1")], "DeleteConflict.Policy.Version").await;
    for v in ["v1", "v4", "v5", "v6"] {
        ok(&ep, &root, RAM, "DeletePolicyVersion", &[("PolicyName", "p1"), ("VersionId", v)]).await;
    }
    ok(&ep, &root, RAM, "DeletePolicy", &[("PolicyName", "p1")]).await;
    fails(&ep, &root, RAM, "DeletePolicy", &[("PolicyName", "p1")], "EntityNotExist.Policy").await;
}

#[tokio::test]
async fn attachments_limits_and_delete_conflicts() {
    let emu = start_demo().await;
    let (ep, root) = (emu.endpoint_url(), Creds::root(&emu));
    ok(&ep, &root, RAM, "CreateUser", &[("UserName", "frank")]).await;
    ok(&ep, &root, RAM, "CreatePolicy", &[("PolicyName", "pol"), ("PolicyDocument", DOC)]).await;
    let attach =
        |name: &'static str, ty: &'static str| [("UserName", "frank"), ("PolicyName", name), ("PolicyType", ty)];
    ok(&ep, &root, RAM, "AttachPolicyToUser", &attach("pol", "Custom")).await;
    ok(&ep, &root, RAM, "AttachPolicyToUser", &attach("AliyunECSReadOnlyAccess", "System")).await;
    fails(&ep, &root, RAM, "AttachPolicyToUser", &attach("pol", "Custom"), "EntityAlreadyExists.User.Policy").await;
    fails(&ep, &root, RAM, "AttachPolicyToUser", &attach("nope", "Custom"), "EntityNotExist.Policy").await;
    fails(&ep, &root, RAM, "AttachPolicyToUser", &attach("NoSuchSystemPolicy", "System"), "EntityNotExist.Policy")
        .await;
    fails(
        &ep,
        &root,
        RAM,
        "AttachPolicyToUser",
        &[("UserName", "ghost"), ("PolicyName", "pol"), ("PolicyType", "Custom")],
        "EntityNotExist.User",
    )
    .await;
    let listed = ok(&ep, &root, RAM, "ListPoliciesForUser", &[("UserName", "frank")]).await;
    let policies = listed["Policies"]["Policy"].as_array().cloned().unwrap_or_default();
    assert_eq!(policies.len(), 2);
    assert_eq!(policies[0]["PolicyName"], "pol");
    assert_eq!(policies[0]["DefaultVersion"], "v1");
    assert!(policies[1]["AttachDate"].is_string());
    let entities =
        ok(&ep, &root, RAM, "ListEntitiesForPolicy", &[("PolicyName", "pol"), ("PolicyType", "Custom")]).await;
    assert_eq!(entities["Users"]["User"][0]["UserName"], "frank");
    let got = ok(&ep, &root, RAM, "GetPolicy", &[("PolicyName", "pol"), ("PolicyType", "Custom")]).await;
    assert_eq!(got["Policy"]["AttachmentCount"], 1);

    fails(&ep, &root, RAM, "DeleteUser", &[("UserName", "frank")], "DeleteConflict.User.Policy").await;
    fails(&ep, &root, RAM, "DeletePolicy", &[("PolicyName", "pol")], "DeleteConflict.Policy.User").await;

    // Custom-policy limit per user: 10.
    for i in 0..10 {
        let name = format!("extra-{i}");
        ok(&ep, &root, RAM, "CreatePolicy", &[("PolicyName", &name), ("PolicyDocument", DOC)]).await;
        let params = [("UserName", "frank"), ("PolicyName", name.as_str()), ("PolicyType", "Custom")];
        if i < 9 {
            ok(&ep, &root, RAM, "AttachPolicyToUser", &params).await;
        } else {
            fails(&ep, &root, RAM, "AttachPolicyToUser", &params, "LimitExceeded.User.Policy").await;
        }
    }

    ok(&ep, &root, RAM, "DetachPolicyFromUser", &attach("pol", "Custom")).await;
    fails(&ep, &root, RAM, "DetachPolicyFromUser", &attach("pol", "Custom"), "EntityNotExist.User.Policy").await;
    // CascadingDelete detaches everywhere.
    ok(&ep, &root, RAM, "DeletePolicy", &[("PolicyName", "extra-0"), ("CascadingDelete", "true")]).await;
    let listed = ok(&ep, &root, RAM, "ListPoliciesForUser", &[("UserName", "frank")]).await;
    assert_eq!(listed["Policies"]["Policy"].as_array().map(Vec::len), Some(9));
}

#[tokio::test]
async fn roles_trust_policies_and_conflicts() {
    let emu = start_demo().await;
    let (ep, root) = (emu.endpoint_url(), Creds::root(&emu));
    let created = ok(
        &ep,
        &root,
        RAM,
        "CreateRole",
        &[("RoleName", "AxtSecretRamRole"), ("AssumeRolePolicyDocument", TRUST_ECS), ("Description", "agent role")],
    )
    .await;
    let role = &created["Role"];
    assert_eq!(role["Arn"], format!("acs:ram::{}:role/AxtSecretRamRole", emu.account_id()));
    assert_eq!(role["MaxSessionDuration"], 3600);
    assert_eq!(role["AssumeRolePolicyDocument"], TRUST_ECS);
    fails(
        &ep,
        &root,
        RAM,
        "CreateRole",
        &[("RoleName", "axtsecretramrole"), ("AssumeRolePolicyDocument", TRUST_ECS)],
        "EntityAlreadyExists.Role",
    )
    .await;
    // An identity policy is not a trust policy (no Principal).
    fails(
        &ep,
        &root,
        RAM,
        "CreateRole",
        &[("RoleName", "r2"), ("AssumeRolePolicyDocument", DOC)],
        "MalformedPolicyDocument",
    )
    .await;
    fails(
        &ep,
        &root,
        RAM,
        "CreateRole",
        &[("RoleName", "r_2"), ("AssumeRolePolicyDocument", TRUST_ECS)],
        "InvalidParameter.RoleName.InvalidChars",
    )
    .await;
    fails(
        &ep,
        &root,
        RAM,
        "CreateRole",
        &[("RoleName", "r3"), ("AssumeRolePolicyDocument", TRUST_ECS), ("MaxSessionDuration", "100")],
        "InvalidParameter.MaxSessionDuration",
    )
    .await;
    let updated =
        ok(&ep, &root, RAM, "UpdateRole", &[("RoleName", "AxtSecretRamRole"), ("NewMaxSessionDuration", "7200")]).await;
    assert_eq!(updated["Role"]["MaxSessionDuration"], 7200);
    let got = ok(&ep, &root, RAM, "GetRole", &[("RoleName", "axtsecretramrole")]).await;
    assert_eq!(got["Role"]["RoleName"], "AxtSecretRamRole");
    assert_eq!(got["Role"]["Description"], "agent role");
    fails(&ep, &root, RAM, "GetRole", &[("RoleName", "ghost")], "EntityNotExist.Role").await;
    let roles = ok(&ep, &root, RAM, "ListRoles", &[]).await;
    assert_eq!(roles["Roles"]["Role"].as_array().map(Vec::len), Some(1));
    assert_eq!(roles["IsTruncated"], false);

    let attach =
        [("RoleName", "AxtSecretRamRole"), ("PolicyName", "AliyunECSReadOnlyAccess"), ("PolicyType", "System")];
    ok(&ep, &root, RAM, "AttachPolicyToRole", &attach).await;
    fails(&ep, &root, RAM, "AttachPolicyToRole", &attach, "EntityAlreadyExists.Role.Policy").await;
    let listed = ok(&ep, &root, RAM, "ListPoliciesForRole", &[("RoleName", "AxtSecretRamRole")]).await;
    assert_eq!(listed["Policies"]["Policy"][0]["PolicyType"], "System");
    let entities = ok(
        &ep,
        &root,
        RAM,
        "ListEntitiesForPolicy",
        &[("PolicyName", "AliyunECSReadOnlyAccess"), ("PolicyType", "System")],
    )
    .await;
    assert_eq!(entities["Roles"]["Role"][0]["RoleName"], "AxtSecretRamRole");
    fails(&ep, &root, RAM, "DeleteRole", &[("RoleName", "AxtSecretRamRole")], "DeleteConflict.Role.Policy").await;
    ok(&ep, &root, RAM, "DetachPolicyFromRole", &attach).await;
    fails(&ep, &root, RAM, "DetachPolicyFromRole", &attach, "EntityNotExist.Role.Policy").await;
    ok(&ep, &root, RAM, "DeleteRole", &[("RoleName", "AxtSecretRamRole")]).await;
    fails(&ep, &root, RAM, "DeleteRole", &[("RoleName", "AxtSecretRamRole")], "EntityNotExist.Role").await;
}

#[tokio::test]
async fn system_policies_are_listed_and_readable() {
    let emu = start_demo().await;
    let (ep, root) = (emu.endpoint_url(), Creds::root(&emu));
    let got =
        ok(&ep, &root, RAM, "GetPolicy", &[("PolicyName", "AliyunECSReadOnlyAccess"), ("PolicyType", "System")]).await;
    assert_eq!(got["Policy"]["PolicyType"], "System");
    let text = got["DefaultPolicyVersion"]["PolicyDocument"].as_str().unwrap_or_default();
    assert!(ram_policy::PolicyDocument::parse(text).is_ok());
    ok(&ep, &root, RAM, "CreatePolicy", &[("PolicyName", "mine"), ("PolicyDocument", DOC)]).await;
    let custom = ok(&ep, &root, RAM, "ListPolicies", &[("PolicyType", "Custom")]).await;
    assert_eq!(custom["Policies"]["Policy"].as_array().map(Vec::len), Some(1));
    let system = ok(&ep, &root, RAM, "ListPolicies", &[("PolicyType", "System")]).await;
    let n = system["Policies"]["Policy"].as_array().map(Vec::len).unwrap_or(0);
    assert_eq!(n, ram_policy::system_policy_names().len());
    let all = ok(&ep, &root, RAM, "ListPolicies", &[("MaxItems", "1000")]).await;
    assert_eq!(all["Policies"]["Policy"].as_array().map(Vec::len), Some(n + 1));
}

#[tokio::test]
async fn concurrent_creates_are_all_applied_and_secrets_stay_out_of_debug() {
    let emu = start_demo().await;
    let (ep, root) = (emu.endpoint_url(), Creds::root(&emu));
    let calls = (0..40).map(|i| {
        let (ep, root) = (ep.clone(), root.clone());
        async move {
            let name = format!("c-{i:02}");
            call(&ep, &root, RAM, "CreateUser", &[("UserName", &name)]).await.0
        }
    });
    let statuses = futures_join_all(calls).await;
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    let listed = ok(&ep, &root, RAM, "ListUsers", &[("MaxItems", "1000")]).await;
    assert_eq!(listed["Users"]["User"].as_array().map(Vec::len), Some(40));
    assert_eq!(emu.stats().count("CreateUser"), 40);

    let key = ok(&ep, &root, RAM, "CreateAccessKey", &[("UserName", "c-00")]).await;
    let secret = key["AccessKey"]["AccessKeySecret"].as_str().unwrap_or_default().to_owned();
    ok(&ep, &root, RAM, "CreateLoginProfile", &[("UserName", "c-00"), ("Password", "Sup3rSecretPass")]).await;
    let debug = format!("{:?}", *emu.shared().lock());
    assert!(!secret.is_empty() && !debug.contains(&secret));
    assert!(!debug.contains("Sup3rSecretPass"));
    assert!(!debug.contains(&root.secret));
}

/// Runs the futures concurrently on the current runtime.
async fn futures_join_all<F: std::future::Future<Output = u16> + Send + 'static>(
    futs: impl Iterator<Item = F>,
) -> Vec<u16> {
    let handles: Vec<_> = futs.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap_or(0));
    }
    out
}

#[tokio::test]
async fn remaining_validation_and_limit_codes() {
    let emu = start_demo().await;
    let (ep, root) = (emu.endpoint_url(), Creds::root(&emu));
    let long = |n: usize| "x".repeat(n);
    let (c129, d129, d1025, t3000) = (long(129), long(129), long(1025), long(3000));
    fails(&ep, &root, RAM, "CreateUser", &[("UserName", "u"), ("Comments", &c129)], "InvalidParameter.Comments.Length")
        .await;
    fails(
        &ep,
        &root,
        RAM,
        "CreateUser",
        &[("UserName", "u"), ("DisplayName", &d129)],
        "InvalidParameter.DisplayName.Length",
    )
    .await;
    ok(&ep, &root, RAM, "CreateUser", &[("UserName", "u")]).await;
    fails(
        &ep,
        &root,
        RAM,
        "UpdateUser",
        &[("UserName", "u"), ("NewDisplayName", &d129)],
        "InvalidParameter.NewDisplayName.Length",
    )
    .await;
    fails(
        &ep,
        &root,
        RAM,
        "UpdateUser",
        &[("UserName", "u"), ("NewUserName", "a b")],
        "InvalidParameter.NewUserName.InvalidChars",
    )
    .await;
    fails(&ep, &root, RAM, "ListPoliciesForUser", &[("UserName", "ghost")], "EntityNotExist.User").await;
    fails(
        &ep,
        &root,
        RAM,
        "CreatePolicy",
        &[("PolicyName", "p"), ("PolicyDocument", DOC), ("Description", &d1025)],
        "InvalidParameter.Description.Length",
    )
    .await;
    ok(&ep, &root, RAM, "CreatePolicy", &[("PolicyName", "p"), ("PolicyDocument", DOC)]).await;
    fails(
        &ep,
        &root,
        RAM,
        "CreatePolicyVersion",
        &[("PolicyName", "p"), ("PolicyDocument", DOC), ("RotateStrategy", "Oldest")],
        "InvalidParameter.RotateStrategy",
    )
    .await;
    fails(
        &ep,
        &root,
        RAM,
        "CreatePolicyVersion",
        &[("PolicyName", "ghost"), ("PolicyDocument", DOC)],
        "EntityNotExist.Policy",
    )
    .await;
    fails(
        &ep,
        &root,
        RAM,
        "GetPolicy",
        &[("PolicyName", "NoSuchSystemPolicy"), ("PolicyType", "System")],
        "EntityNotExist.Policy",
    )
    .await;
    fails(
        &ep,
        &root,
        RAM,
        "GetPolicyVersion",
        &[("PolicyName", "AliyunECSReadOnlyAccess"), ("PolicyType", "System"), ("VersionId", "v2")],
        "EntityNotExist.Policy.Version",
    )
    .await;
    let big_trust = format!(
        r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{{"Service":["{t3000}.aliyuncs.com"]}}}}]}}"#
    );
    fails(
        &ep,
        &root,
        RAM,
        "CreateRole",
        &[("RoleName", "r"), ("AssumeRolePolicyDocument", &big_trust)],
        "InvalidParameter.AssumeRolePolicyDocument.Length",
    )
    .await;
    ok(&ep, &root, RAM, "CreateRole", &[("RoleName", "r"), ("AssumeRolePolicyDocument", TRUST_ECS)]).await;
    fails(
        &ep,
        &root,
        RAM,
        "UpdateRole",
        &[("RoleName", "r"), ("NewAssumeRolePolicyDocument", DOC)],
        "MalformedPolicyDocument",
    )
    .await;
    // Custom-policy limit per role: 5.
    for i in 0..6 {
        let name = format!("rp-{i}");
        ok(&ep, &root, RAM, "CreatePolicy", &[("PolicyName", &name), ("PolicyDocument", DOC)]).await;
        let params = [("RoleName", "r"), ("PolicyName", name.as_str()), ("PolicyType", "Custom")];
        if i < 5 {
            ok(&ep, &root, RAM, "AttachPolicyToRole", &params).await;
        } else {
            fails(&ep, &root, RAM, "AttachPolicyToRole", &params, "LimitExceeded.Role.Policy").await;
        }
    }
    fails(&ep, &root, RAM, "DeletePolicy", &[("PolicyName", "rp-0")], "DeleteConflict.Policy.Role").await;
    fails(
        &ep,
        &root,
        RAM,
        "AttachPolicyToRole",
        &[("RoleName", "ghost"), ("PolicyName", "p"), ("PolicyType", "Custom")],
        "EntityNotExist.Role",
    )
    .await;
}

#[tokio::test]
async fn access_keys_default_to_the_caller() {
    let emu = start_demo().await;
    let (ep, root) = (emu.endpoint_url(), Creds::root(&emu));
    let self_service = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ram:ListAccessKeys","ram:CreateAccessKey"],"Resource":"acs:ram:*:*:user/gina"}]}"#;
    let gina = ram_user(&emu, "gina", &[], &[("selfService", self_service)]).await;
    let listed = ok(&ep, &gina, RAM, "ListAccessKeys", &[]).await;
    let keys = listed["AccessKeys"]["AccessKey"].as_array().cloned().unwrap_or_default();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["AccessKeyId"], gina.id.as_str());
    ok(&ep, &gina, RAM, "CreateAccessKey", &[]).await;
    fails(&ep, &gina, RAM, "CreateAccessKey", &[], "LimitExceeded.User.AccessKey").await;
    // Another user's keys need permission on that user.
    ok(&ep, &root, RAM, "CreateUser", &[("UserName", "hank")]).await;
    fails(&ep, &gina, RAM, "ListAccessKeys", &[("UserName", "hank")], "Forbidden.RAM").await;
    // The root's own keys: the seed key is listed.
    let mine = ok(&ep, &root, RAM, "ListAccessKeys", &[]).await;
    assert_eq!(mine["AccessKeys"]["AccessKey"][0]["AccessKeyId"], root.id.as_str());
}
