//! The procedure's documents: every shared file parses, validates and round-trips; the `procedure::*` builders are
//! equivalent to the files; and the procedure's access cases come out as RAM decides them.

use ram_policy::{
    evaluate, evaluate_trust, procedure, system_policy, validate, Context, Decision, NamedPolicy, PolicyDocument,
    PolicyKind, Request, TrustPrincipal,
};

const ALLOW_LIST: &str = include_str!("../policies/commandUserPolicy-allow-user01-user02.json");
const DENY_LIST: &str = include_str!("../policies/commandUserPolicy-not-root-or-system.json");
const DENY_LIST_2021: &str = include_str!("../policies/commandUserPolicy-not-root-or-system-2021-variant.json");
const KMS: &str = include_str!("../policies/kmsPolicy-ram-user.json");
const ROLE: &str = include_str!("../policies/instance-role-policy-windows-password.json");
const TRUST: &str = include_str!("../policies/trust-policy-ecs-service.json");

const INSTANCE: &str = "acs:ecs:cn-hangzhou:1234567890123456:instance/i-emu-linux-0001";
const COMMAND: &str = "acs:ecs:cn-hangzhou:1234567890123456:command/c-0001";

fn doc(json: &str) -> PolicyDocument {
    PolicyDocument::parse(json).expect("shared document parses")
}

fn decide(policies: &[(&str, &PolicyDocument)], action: &str, resource: &str, run_as: Option<&str>) -> Decision {
    let named: Vec<NamedPolicy<'_>> = policies.iter().map(|(n, d)| NamedPolicy { name: n, document: d }).collect();
    let mut ctx = Context::new();
    if let Some(u) = run_as {
        ctx.insert("ecs:CommandRunAs", u);
    }
    evaluate(&named, &Request::new(action, resource).with_context(ctx)).decision
}

#[test]
fn every_shared_document_parses_validates_and_round_trips() {
    let identity = [ALLOW_LIST, DENY_LIST, DENY_LIST_2021, KMS, ROLE];
    for json in identity.iter().chain([TRUST].iter()) {
        let kind = if std::ptr::eq(*json, TRUST) { PolicyKind::Trust } else { PolicyKind::Identity };
        let report = validate(json, kind);
        assert!(report.is_valid(), "{report}");
        assert!(report.warnings.is_empty(), "{report}");
        let parsed = doc(json);
        let original: serde_json::Value = serde_json::from_str(json).unwrap();
        let back: serde_json::Value = serde_json::from_str(&parsed.to_json()).unwrap();
        assert_eq!(original, back);
        let pretty: serde_json::Value = serde_json::from_str(&parsed.to_json_pretty()).unwrap();
        assert_eq!(original, pretty);
        assert_eq!(parsed.to_string().parse::<PolicyDocument>().unwrap(), parsed);
    }
    // The trust policy is not a valid identity policy (no Resource) and says so where.
    let report = validate(TRUST, PolicyKind::Identity);
    assert!(report.errors.iter().any(|e| e.location == "/Statement/0/Resource"), "{report}");
}

#[test]
fn builders_are_equivalent_to_the_shared_files() {
    assert!(procedure::run_as_allow_list(&["user01", "user02"]).equivalent(&doc(ALLOW_LIST)));
    // Same statement, same lists, same order: structurally equal after parsing the builder's JSON.
    assert_eq!(procedure::run_as_allow_list(&["user01", "user02"]), doc(ALLOW_LIST));
    assert!(procedure::run_as_deny_list(&["root", "system"]).equivalent(&doc(DENY_LIST)));
    assert!(procedure::kms_policy().equivalent(&doc(KMS)));
    assert!(procedure::instance_role_policy().equivalent(&doc(ROLE)));
    assert!(procedure::ecs_trust_policy().equivalent(&doc(TRUST)));
    // And they differ from what they should differ from.
    assert!(!procedure::run_as_allow_list(&["user01"]).equivalent(&doc(ALLOW_LIST)));
    assert!(!procedure::run_as_deny_list(&["root", "system"]).equivalent(&doc(DENY_LIST_2021)));
    // Every builder output passes the validator.
    for d in [procedure::run_as_allow_list(&["u"]), procedure::run_as_deny_list(&["root"]), procedure::kms_policy()] {
        assert!(validate(&d.to_json(), PolicyKind::Identity).is_valid());
    }
    assert!(validate(&procedure::ecs_trust_policy().to_json(), PolicyKind::Trust).is_valid());
}

#[test]
fn builders_evaluate_like_the_shared_files() {
    let pairs = [
        (procedure::run_as_allow_list(&["user01", "user02"]), doc(ALLOW_LIST)),
        (procedure::run_as_deny_list(&["root", "system"]), doc(DENY_LIST)),
        (procedure::kms_policy(), doc(KMS)),
        (procedure::instance_role_policy(), doc(ROLE)),
    ];
    let actions = [
        "ecs:RunCommand",
        "ecs:InvokeCommand",
        "ecs:DescribeInstances",
        "kms:Decrypt",
        "kms:ListKeys",
        "kms:GetSecretValue",
        "oos:GetSecretParameter",
        "oos:DeleteParameter",
    ];
    let users = [None, Some("user01"), Some("user02"), Some("root"), Some("Root"), Some("System"), Some("user03")];
    for (built, file) in &pairs {
        for action in actions {
            for resource in [INSTANCE, COMMAND, "acs:kms:cn-hangzhou:1234567890123456:key/k-1"] {
                for user in users {
                    assert_eq!(
                        decide(&[("p", built)], action, resource, user),
                        decide(&[("p", file)], action, resource, user),
                        "{action} {resource} {user:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn allow_list_allows_only_user01_and_user02_case_sensitively() {
    let p = doc(ALLOW_LIST);
    for action in ["ecs:RunCommand", "ecs:InvokeCommand"] {
        for resource in [INSTANCE, COMMAND] {
            for user in ["user01", "user02"] {
                assert_eq!(decide(&[("commandUserPolicy", &p)], action, resource, Some(user)), Decision::Allow);
            }
            // StringEquals is case-sensitive: ROOT and User01 are not on the list either.
            for user in ["root", "ROOT", "user03", "User01", "System"] {
                assert_eq!(
                    decide(&[("commandUserPolicy", &p)], action, resource, Some(user)),
                    Decision::ImplicitDeny,
                    "{user}"
                );
            }
        }
    }
    // Without a run-as user the command runs as root: denied, with the assumption reported.
    let e =
        evaluate(&[NamedPolicy { name: "commandUserPolicy", document: &p }], &Request::new("ecs:RunCommand", INSTANCE));
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert!(e.assumptions[0].contains("root"), "{:?}", e.assumptions);
    assert!(e.missing_context_keys.is_empty());
    assert!(e.statements[0].reason.contains("ecs:CommandRunAs"), "{}", e.statements[0].reason);
    // Other actions are not granted by this policy.
    assert_eq!(decide(&[("p", &p)], "ecs:DescribeInstances", INSTANCE, Some("user01")), Decision::ImplicitDeny);
    // Other resources either.
    let disk = "acs:ecs:cn-hangzhou:1234567890123456:disk/d-1";
    assert_eq!(decide(&[("p", &p)], "ecs:RunCommand", disk, Some("user01")), Decision::ImplicitDeny);
}

#[test]
fn deny_list_excludes_root_and_system_in_any_case() {
    for json in [DENY_LIST, DENY_LIST_2021] {
        let p = doc(json);
        for user in ["root", "Root", "ROOT", "SYSTEM", "system", "System"] {
            assert_eq!(decide(&[("p", &p)], "ecs:RunCommand", INSTANCE, Some(user)), Decision::ImplicitDeny, "{user}");
        }
        for user in ["user01", "user02", "administrator"] {
            assert_eq!(decide(&[("p", &p)], "ecs:RunCommand", INSTANCE, Some(user)), Decision::Allow, "{user}");
        }
        // Omitted run-as user = root = denied.
        assert_eq!(decide(&[("p", &p)], "ecs:InvokeCommand", COMMAND, None), Decision::ImplicitDeny);
    }
    // The 2021 variant also allows DescribeInstances, but only with a run-as user that is not root: the key is
    // absent for that action, and a negated operator on an absent key holds — reported as missing context.
    let p = doc(DENY_LIST_2021);
    let e = evaluate(&[NamedPolicy { name: "v2021", document: &p }], &Request::new("ecs:DescribeInstances", INSTANCE));
    assert_eq!(e.decision, Decision::Allow);
    assert_eq!(e.missing_context_keys, vec!["ecs:CommandRunAs".to_string()]);
    assert!(e.assumptions.is_empty());
}

#[test]
fn read_only_system_policy_allows_describe_not_run() {
    let ro = system_policy("system:AliyunECSReadOnlyAccess").unwrap();
    assert_eq!(decide(&[("AliyunECSReadOnlyAccess", &ro)], "ecs:DescribeInstances", "*", None), Decision::Allow);
    assert_eq!(decide(&[("AliyunECSReadOnlyAccess", &ro)], "ecs:describeinstances", INSTANCE, None), Decision::Allow);
    assert_eq!(
        decide(&[("AliyunECSReadOnlyAccess", &ro)], "ecs:RunCommand", INSTANCE, Some("user01")),
        Decision::ImplicitDeny
    );
    // Attached together with the allow-list policy (as in the procedure): both kinds of call work.
    let cmd = doc(ALLOW_LIST);
    let both = [("AliyunECSReadOnlyAccess", &ro), ("commandUserPolicy", &cmd)];
    assert_eq!(decide(&both, "ecs:DescribeInstances", INSTANCE, None), Decision::Allow);
    assert_eq!(decide(&both, "ecs:RunCommand", INSTANCE, Some("user01")), Decision::Allow);
    assert_eq!(decide(&both, "ecs:RunCommand", INSTANCE, Some("root")), Decision::ImplicitDeny);
}

#[test]
fn windows_role_policy_allows_exactly_two_actions() {
    let role = doc(ROLE);
    let param = "acs:oos:cn-hangzhou:1234567890123456:secretparameter/axtSecretPassword";
    assert_eq!(decide(&[("role", &role)], "oos:GetSecretParameter", param, None), Decision::Allow);
    assert_eq!(decide(&[("role", &role)], "kms:GetSecretValue", "*", None), Decision::Allow);
    for action in
        ["oos:GetSecretParameters", "oos:DeleteSecretParameter", "kms:Decrypt", "ecs:RunCommand", "sts:AssumeRole"]
    {
        assert_eq!(decide(&[("role", &role)], action, param, None), Decision::ImplicitDeny, "{action}");
    }
}

#[test]
fn kms_policy_allows_its_actions() {
    let kms = doc(KMS);
    let key = "acs:kms:cn-hangzhou:1234567890123456:key/k-1";
    for action in ["kms:ListKeys", "kms:DescribeKey", "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"] {
        assert_eq!(decide(&[("kmsPolicy", &kms)], action, key, None), Decision::Allow, "{action}");
    }
    for action in ["kms:GetSecretValue", "kms:ScheduleKeyDeletion", "kms:GenerateDataKeyWithoutPlaintext"] {
        assert_eq!(decide(&[("kmsPolicy", &kms)], action, key, None), Decision::ImplicitDeny, "{action}");
    }
}

#[test]
fn trust_policy_lets_ecs_assume_the_role() {
    let trust = doc(TRUST);
    let ctx = Context::new();
    let e = evaluate_trust(&trust, &TrustPrincipal::Service("ecs.aliyuncs.com".into()), &ctx);
    assert_eq!(e.decision, Decision::Allow);
    assert_eq!(e.matched.len(), 1);
    for other in [
        TrustPrincipal::Service("oos.aliyuncs.com".into()),
        TrustPrincipal::Account("1234567890123456".into()),
        TrustPrincipal::RamArn("acs:ram::1234567890123456:user/alice".into()),
    ] {
        let e = evaluate_trust(&trust, &other, &ctx);
        assert_eq!(e.decision, Decision::ImplicitDeny, "{other:?}");
        assert!(e.statements[0].reason.contains("Principal"), "{}", e.statements[0].reason);
    }
}
