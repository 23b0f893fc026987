//! Evaluator semantics: each operator family with single and multiple values, absent keys, deny overrides,
//! NotAction/NotResource, wildcards, ARN matching and trust principals.

use ram_policy::{
    evaluate, evaluate_trust, Context, Decision, Evaluation, NamedPolicy, PolicyDocument, Request, TrustPrincipal,
};

const ARN: &str = "acs:ecs:cn-hangzhou:1234567890123456:instance/i-1";

/// An Allow of `ecs:RunCommand` on everything under one condition `{op: {key: values}}`.
fn allow_when(op: &str, key: &str, values: serde_json::Value) -> PolicyDocument {
    let json = serde_json::json!({"Version": "1", "Statement": [{"Effect": "Allow", "Action": "ecs:RunCommand",
        "Resource": "*", "Condition": {op: {key: values}}}]});
    PolicyDocument::parse(&json.to_string()).unwrap()
}

fn eval_ctx(doc: &PolicyDocument, ctx: &[(&str, &str)]) -> Evaluation {
    let mut c = Context::new().with("ecs:CommandRunAs", "user01");
    for (k, v) in ctx {
        c.insert(*k, *v);
    }
    evaluate(&[NamedPolicy { name: "p", document: doc }], &Request::new("ecs:RunCommand", ARN).with_context(c))
}

fn allowed(doc: &PolicyDocument, ctx: &[(&str, &str)]) -> bool {
    eval_ctx(doc, ctx).is_allowed()
}

#[test]
fn string_operators() {
    let d = allow_when("StringEquals", "acs:ResourceTag/env", serde_json::json!(["prod", "staging"]));
    assert!(allowed(&d, &[("acs:ResourceTag/env", "prod")]));
    assert!(allowed(&d, &[("acs:ResourceTag/env", "staging")]));
    assert!(!allowed(&d, &[("acs:ResourceTag/env", "Prod")]));
    // Multi-valued context key: one matching value is enough for a positive operator.
    assert!(allowed(&d, &[("acs:ResourceTag/env", "dev"), ("acs:ResourceTag/env", "prod")]));

    let d = allow_when("StringNotEquals", "acs:ResourceTag/env", serde_json::json!(["prod", "staging"]));
    assert!(allowed(&d, &[("acs:ResourceTag/env", "dev")]));
    assert!(allowed(&d, &[("acs:ResourceTag/env", "Prod")]));
    assert!(!allowed(&d, &[("acs:ResourceTag/env", "staging")]));
    // Negation of the positive OR: any matching request value makes it false.
    assert!(!allowed(&d, &[("acs:ResourceTag/env", "dev"), ("acs:ResourceTag/env", "prod")]));

    let d = allow_when("StringEqualsIgnoreCase", "acs:ResourceTag/env", serde_json::json!("PROD"));
    assert!(allowed(&d, &[("acs:ResourceTag/env", "prod")]));
    assert!(!allowed(&d, &[("acs:ResourceTag/env", "production")]));

    let d = allow_when("StringLike", "acs:ResourceTag/env", serde_json::json!(["prod-*", "qa-?"]));
    assert!(allowed(&d, &[("acs:ResourceTag/env", "prod-eu")]));
    assert!(allowed(&d, &[("acs:ResourceTag/env", "qa-1")]));
    assert!(!allowed(&d, &[("acs:ResourceTag/env", "qa-12")]));
    assert!(!allowed(&d, &[("acs:ResourceTag/env", "PROD-eu")]));

    let d = allow_when("StringNotLike", "acs:ResourceTag/env", serde_json::json!("prod-*"));
    assert!(allowed(&d, &[("acs:ResourceTag/env", "dev")]));
    assert!(!allowed(&d, &[("acs:ResourceTag/env", "prod-1")]));
}

#[test]
fn numeric_operators() {
    let cases: &[(&str, &str, bool)] = &[
        ("NumericEquals", "10", true),
        ("NumericEquals", "10.0", true),
        ("NumericEquals", "11", false),
        ("NumericNotEquals", "11", true),
        ("NumericNotEquals", "10", false),
        ("NumericLessThan", "9.5", true),
        ("NumericLessThan", "10", false),
        ("NumericLessThanEquals", "10", true),
        ("NumericLessThanEquals", "10.5", false),
        ("NumericGreaterThan", "11", true),
        ("NumericGreaterThan", "10", false),
        ("NumericGreaterThanEquals", "10", true),
        ("NumericGreaterThanEquals", "-3", false),
        ("NumericEquals", "ten", false),
    ];
    for (op, value, expected) in cases {
        let d = allow_when(op, "test:Count", serde_json::json!(10));
        assert_eq!(allowed(&d, &[("test:Count", value)]), *expected, "{op} {value}");
    }
    // Several policy values are OR'd (numbers or numeric strings).
    let d = allow_when("NumericEquals", "test:Count", serde_json::json!([1, "2", 3.5]));
    assert!(allowed(&d, &[("test:Count", "2")]));
    assert!(allowed(&d, &[("test:Count", "3.5")]));
    assert!(!allowed(&d, &[("test:Count", "4")]));
}

#[test]
fn date_operators() {
    let limit = serde_json::json!("2019-08-12T17:00:00+08:00");
    let before = "2019-08-12T08:59:59Z";
    let same = "2019-08-12T09:00:00Z";
    let after = "2019-08-12T17:00:01+08:00";
    let cases: &[(&str, &str, bool)] = &[
        ("DateEquals", same, true),
        ("DateEquals", before, false),
        ("DateNotEquals", before, true),
        ("DateNotEquals", same, false),
        ("DateLessThan", before, true),
        ("DateLessThan", same, false),
        ("DateLessThanEquals", same, true),
        ("DateLessThanEquals", after, false),
        ("DateGreaterThan", after, true),
        ("DateGreaterThan", same, false),
        ("DateGreaterThanEquals", same, true),
        ("DateGreaterThanEquals", before, false),
        ("DateEquals", "not a date", false),
    ];
    for (op, value, expected) in cases {
        let d = allow_when(op, "acs:CurrentTime", limit.clone());
        assert_eq!(allowed(&d, &[("acs:CurrentTime", value)]), *expected, "{op} {value}");
    }
    // A window expressed as two operators on the same key: both must hold (operators are AND'd).
    let d = PolicyDocument::builder()
        .allow(["ecs:RunCommand"])
        .on(["*"])
        .when("DateGreaterThan", "acs:CurrentTime", ["2019-08-12T00:00:00Z"])
        .when("DateLessThan", "acs:CurrentTime", ["2019-08-13T00:00:00Z"])
        .build();
    assert!(allowed(&d, &[("acs:CurrentTime", "2019-08-12T12:00:00Z")]));
    assert!(!allowed(&d, &[("acs:CurrentTime", "2019-08-13T12:00:00Z")]));
    assert!(!allowed(&d, &[("acs:CurrentTime", "2019-08-11T23:00:00Z")]));
}

#[test]
fn bool_operator() {
    let d = allow_when("Bool", "acs:SecureTransport", serde_json::json!(true));
    assert!(allowed(&d, &[("acs:SecureTransport", "true")]));
    assert!(allowed(&d, &[("acs:SecureTransport", "True")]));
    assert!(!allowed(&d, &[("acs:SecureTransport", "false")]));
    assert!(!allowed(&d, &[("acs:SecureTransport", "1")]));
    let d = allow_when("Bool", "acs:MFAPresent", serde_json::json!(["false"]));
    assert!(allowed(&d, &[("acs:MFAPresent", "false")]));
    assert!(!allowed(&d, &[("acs:MFAPresent", "true")]));
}

#[test]
fn ip_operators() {
    let d = allow_when("IpAddress", "acs:SourceIp", serde_json::json!(["10.0.0.0/8", "192.168.1.7", "2001:db8::/32"]));
    assert!(allowed(&d, &[("acs:SourceIp", "10.200.3.4")]));
    assert!(allowed(&d, &[("acs:SourceIp", "192.168.1.7")]));
    assert!(!allowed(&d, &[("acs:SourceIp", "192.168.1.8")]));
    assert!(allowed(&d, &[("acs:SourceIp", "2001:db8:1::5")]));
    assert!(!allowed(&d, &[("acs:SourceIp", "2001:db9::5")]));
    assert!(!allowed(&d, &[("acs:SourceIp", "not-an-ip")]));
    let d = allow_when("NotIpAddress", "acs:SourceIp", serde_json::json!("10.0.0.0/8"));
    assert!(allowed(&d, &[("acs:SourceIp", "11.0.0.1")]));
    assert!(!allowed(&d, &[("acs:SourceIp", "10.0.0.1")]));
}

#[test]
fn absent_keys_positive_false_negated_true_and_reported() {
    for (op, values, expected) in [
        ("StringEquals", serde_json::json!("x"), false),
        ("StringLike", serde_json::json!("*"), false),
        ("NumericLessThan", serde_json::json!(5), false),
        ("DateGreaterThan", serde_json::json!("2019-01-01T00:00:00Z"), false),
        ("Bool", serde_json::json!(true), false),
        ("IpAddress", serde_json::json!("0.0.0.0/0"), false),
        ("StringNotEquals", serde_json::json!("x"), true),
        ("StringNotEqualsIgnoreCase", serde_json::json!("x"), true),
        ("StringNotLike", serde_json::json!("*"), true),
        ("NumericNotEquals", serde_json::json!(5), true),
        ("DateNotEquals", serde_json::json!("2019-01-01T00:00:00Z"), true),
        ("NotIpAddress", serde_json::json!("10.0.0.0/8"), true),
        ("StringEqualsIfExists", serde_json::json!("x"), true),
        ("ForAllValues:StringEquals", serde_json::json!("x"), true),
        ("ForAnyValue:StringEquals", serde_json::json!("x"), false),
        ("Null", serde_json::json!(true), true),
        ("Null", serde_json::json!(false), false),
    ] {
        let d = allow_when(op, "test:Absent", values);
        let e = eval_ctx(&d, &[]);
        assert_eq!(e.is_allowed(), expected, "{op}");
        assert_eq!(e.missing_context_keys, vec!["test:Absent".to_string()], "{op}");
    }
}

#[test]
fn set_qualifiers_on_multi_valued_keys() {
    let d = allow_when("ForAllValues:StringEquals", "acs:ResourceTag/team", serde_json::json!(["a", "b"]));
    assert!(allowed(&d, &[("acs:ResourceTag/team", "a"), ("acs:ResourceTag/team", "b")]));
    assert!(!allowed(&d, &[("acs:ResourceTag/team", "a"), ("acs:ResourceTag/team", "c")]));
    let d = allow_when("ForAnyValue:StringEquals", "acs:ResourceTag/team", serde_json::json!(["a"]));
    assert!(allowed(&d, &[("acs:ResourceTag/team", "c"), ("acs:ResourceTag/team", "a")]));
    assert!(!allowed(&d, &[("acs:ResourceTag/team", "c")]));
    let d = allow_when("ForAnyValue:StringNotEquals", "acs:ResourceTag/team", serde_json::json!(["a"]));
    assert!(allowed(&d, &[("acs:ResourceTag/team", "a"), ("acs:ResourceTag/team", "c")]));
    assert!(!allowed(&d, &[("acs:ResourceTag/team", "a")]));
}

#[test]
fn keys_and_operators_are_anded() {
    let d = PolicyDocument::builder()
        .allow(["ecs:RunCommand"])
        .on(["*"])
        .when_string_equals("ecs:CommandRunAs", ["user01"])
        .when("IpAddress", "acs:SourceIp", ["10.0.0.0/8"])
        .when("Bool", "acs:SecureTransport", [true])
        .build();
    let good = [("acs:SourceIp", "10.1.1.1"), ("acs:SecureTransport", "true")];
    assert!(allowed(&d, &good));
    assert!(!allowed(&d, &[("acs:SourceIp", "10.1.1.1"), ("acs:SecureTransport", "false")]));
    let e = eval_ctx(&d, &[("acs:SourceIp", "11.1.1.1"), ("acs:SecureTransport", "true")]);
    assert!(!e.is_allowed());
    assert!(e.statements[0].reason.contains("acs:SourceIp"), "{}", e.statements[0].reason);
    assert!(e.statements[0].reason.contains("11.1.1.1"), "{}", e.statements[0].reason);
}

#[test]
fn explicit_deny_in_one_policy_beats_allow_in_another() {
    let allow = PolicyDocument::builder().allow(["ecs:*"]).on(["*"]).build();
    let deny = PolicyDocument::builder()
        .deny(["ecs:RunCommand"])
        .on(["acs:ecs:*:*:instance/*"])
        .when("StringEqualsIgnoreCase", "ecs:CommandRunAs", ["root"])
        .build();
    let policies =
        [NamedPolicy { name: "allowAll", document: &allow }, NamedPolicy { name: "noRoot", document: &deny }];
    let run = |user: &str| {
        evaluate(
            &policies,
            &Request::new("ecs:RunCommand", ARN).with_context(Context::new().with("ecs:CommandRunAs", user)),
        )
    };
    let e = run("ROOT");
    assert_eq!(e.decision, Decision::ExplicitDeny);
    assert_eq!(e.matched.len(), 1);
    assert_eq!((e.matched[0].policy.as_str(), e.matched[0].statement), ("noRoot", 0));
    let e = run("user01");
    assert_eq!(e.decision, Decision::Allow);
    assert_eq!(e.matched[0].policy, "allowAll");
    assert!(!e.statements[1].matched);
    // The deny does not reach other actions.
    let e = evaluate(&policies, &Request::new("ecs:StopInvocation", ARN));
    assert_eq!(e.decision, Decision::Allow);
}

#[test]
fn not_action_and_not_resource() {
    let d = PolicyDocument::builder().allow_not(["ecs:Delete*", "ram:*"]).on(["*"]).build();
    let decide =
        |action: &str| evaluate(&[NamedPolicy { name: "p", document: &d }], &Request::new(action, ARN)).decision;
    assert_eq!(decide("ecs:RunCommand"), Decision::Allow);
    assert_eq!(decide("ecs:DeleteCommand"), Decision::ImplicitDeny);
    assert_eq!(decide("RAM:CreateUser"), Decision::ImplicitDeny);
    let deny_others = PolicyDocument::parse(
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
            {"Effect":"Deny","NotAction":"ecs:Describe*","Resource":"*"},
            {"Effect":"Deny","Action":"ecs:DescribeUserData","NotResource":"acs:ecs:*:*:instance/i-public"}]}"#,
    )
    .unwrap();
    let decide = |action: &str, res: &str| {
        evaluate(&[NamedPolicy { name: "p", document: &deny_others }], &Request::new(action, res)).decision
    };
    assert_eq!(decide("ecs:DescribeInstances", ARN), Decision::Allow);
    assert_eq!(decide("ecs:RunCommand", ARN), Decision::ExplicitDeny);
    assert_eq!(decide("ecs:DescribeUserData", ARN), Decision::ExplicitDeny);
    assert_eq!(decide("ecs:DescribeUserData", "acs:ecs:cn-beijing:1:instance/i-public"), Decision::Allow);
}

#[test]
fn action_wildcards_and_case() {
    let d = PolicyDocument::builder().allow(["ecs:Describe?nstances", "oos:Get*Parameter", "kms:*"]).on(["*"]).build();
    let decide =
        |action: &str| evaluate(&[NamedPolicy { name: "p", document: &d }], &Request::new(action, "*")).decision;
    assert_eq!(decide("ecs:DescribeInstances"), Decision::Allow);
    assert_eq!(decide("ECS:describeinstances"), Decision::Allow);
    assert_eq!(decide("ecs:DescribeXnstances"), Decision::Allow);
    assert_eq!(decide("ecs:DescribeInstance"), Decision::ImplicitDeny);
    assert_eq!(decide("oos:GetSecretParameter"), Decision::Allow);
    assert_eq!(decide("oos:GetParameter"), Decision::Allow);
    assert_eq!(decide("oos:GetSecretParameters"), Decision::ImplicitDeny);
    assert_eq!(decide("kms:Decrypt"), Decision::Allow);
    assert_eq!(decide("kmsx:Decrypt"), Decision::ImplicitDeny);
}

#[test]
fn arn_matching_across_region_and_account_wildcards() {
    let d = PolicyDocument::builder()
        .allow(["ecs:RunCommand"])
        .on(["acs:ecs:*:1234567890123456:instance/*", "acs:ecs:cn-shanghai:*:command/c-??", "acs:ecs:cn-beijing:*:*"])
        .build();
    let decide = |res: &str| {
        evaluate(
            &[NamedPolicy { name: "p", document: &d }],
            &Request::new("ecs:RunCommand", res).with_context(Context::new().with("ecs:CommandRunAs", "u")),
        )
        .decision
    };
    assert_eq!(decide("acs:ecs:cn-hangzhou:1234567890123456:instance/i-1"), Decision::Allow);
    assert_eq!(decide("acs:ecs:us-west-1:1234567890123456:instance/i-2"), Decision::Allow);
    assert_eq!(decide("acs:ecs:cn-hangzhou:9999999999999999:instance/i-1"), Decision::ImplicitDeny);
    assert_eq!(decide("acs:ecs:cn-shanghai:9999999999999999:command/c-01"), Decision::Allow);
    assert_eq!(decide("acs:ecs:cn-shanghai:9999999999999999:command/c-001"), Decision::ImplicitDeny);
    assert_eq!(decide("acs:ecs:cn-hangzhou:9999999999999999:command/c-01"), Decision::ImplicitDeny);
    assert_eq!(decide("acs:ecs:cn-beijing:1:disk/d-1"), Decision::Allow);
    assert_eq!(decide("acs:kms:cn-beijing:1:key/k-1"), Decision::ImplicitDeny);
}

#[test]
fn traces_cover_every_statement_with_reasons() {
    let a = PolicyDocument::builder()
        .allow(["kms:*"])
        .on(["*"])
        .allow(["ecs:RunCommand"])
        .on(["acs:ecs:*:*:disk/*"])
        .build();
    let b = PolicyDocument::builder()
        .allow(["ecs:RunCommand"])
        .on(["*"])
        .when_string_equals("ecs:CommandRunAs", ["u1"])
        .build();
    let e = evaluate(
        &[NamedPolicy { name: "a", document: &a }, NamedPolicy { name: "b", document: &b }],
        &Request::new("ecs:RunCommand", ARN).with_context(Context::new().with("ecs:CommandRunAs", "u2")),
    );
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert_eq!(e.statements.len(), 3);
    assert!(e.statements[0].reason.contains("Action"), "{}", e.statements[0].reason);
    assert!(e.statements[1].reason.contains("Resource"), "{}", e.statements[1].reason);
    assert!(e.statements[2].reason.contains("StringEquals") && e.statements[2].reason.contains("u2"));
    let explained = e.explain();
    assert!(explained.contains("a[0]") && explained.contains("a[1]") && explained.contains("b[0]"), "{explained}");
    // Serializes for tools.
    let v = serde_json::to_value(&e).unwrap();
    assert_eq!(v["decision"], "ImplicitDeny");
    assert_eq!(v["statements"][2]["policy"], "b");
}

#[test]
fn windows_default_is_the_callers_job_and_root_is_assumed_otherwise() {
    let d = PolicyDocument::builder()
        .allow(["ecs:InvokeCommand"])
        .on(["*"])
        .when_string_not_equals_ignore_case("ecs:CommandRunAs", ["root", "system"])
        .build();
    let p = [NamedPolicy { name: "p", document: &d }];
    let e = evaluate(&p, &Request::new("ecs:invokecommand", ARN));
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert_eq!(e.assumptions.len(), 1);
    let e = evaluate(
        &p,
        &Request::new("ecs:InvokeCommand", ARN).with_context(Context::new().with("ECS:COMMANDRUNAS", "System")),
    );
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert!(e.assumptions.is_empty());
    // Other actions get no assumption.
    let e = evaluate(&p, &Request::new("ecs:DescribeInstances", ARN));
    assert!(e.assumptions.is_empty());
}

#[test]
fn trust_principals() {
    let trust = PolicyDocument::parse(
        r#"{"Version":"1","Statement":[
            {"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":["acs:ram::1111111111111111:root","acs:ram::2222222222222222:user/ops-*"],"Service":"ECS.aliyuncs.com"}},
            {"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"RAM":"3333333333333333"},"Condition":{"Bool":{"acs:MFAPresent":"true"}}},
            {"Effect":"Deny","Action":"sts:AssumeRole","Principal":{"RAM":"acs:ram::1111111111111111:user/mallory"}}]}"#,
    )
    .unwrap();
    let none = Context::new();
    let check = |p: TrustPrincipal, ctx: &Context| evaluate_trust(&trust, &p, ctx).decision;
    assert_eq!(check(TrustPrincipal::Service("ecs.aliyuncs.com".into()), &none), Decision::Allow);
    assert_eq!(check(TrustPrincipal::Service("fc.aliyuncs.com".into()), &none), Decision::ImplicitDeny);
    assert_eq!(check(TrustPrincipal::Account("1111111111111111".into()), &none), Decision::Allow);
    assert_eq!(check(TrustPrincipal::RamArn("acs:ram::1111111111111111:user/alice".into()), &none), Decision::Allow);
    assert_eq!(
        check(TrustPrincipal::RamArn("acs:ram::1111111111111111:user/mallory".into()), &none),
        Decision::ExplicitDeny
    );
    assert_eq!(check(TrustPrincipal::RamArn("acs:ram::2222222222222222:user/ops-bob".into()), &none), Decision::Allow);
    assert_eq!(
        check(TrustPrincipal::RamArn("acs:ram::2222222222222222:user/dev-bob".into()), &none),
        Decision::ImplicitDeny
    );
    assert_eq!(check(TrustPrincipal::Account("2222222222222222".into()), &none), Decision::ImplicitDeny);
    let e = evaluate_trust(&trust, &TrustPrincipal::Account("3333333333333333".into()), &none);
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert_eq!(e.missing_context_keys, vec!["acs:MFAPresent".to_string()]);
    let mfa = Context::new().with("acs:MFAPresent", "true");
    assert_eq!(check(TrustPrincipal::Account("3333333333333333".into()), &mfa), Decision::Allow);
}

/// The "Decided by" line of `explain()`, or `None` when it has none.
fn decided_by(e: &Evaluation) -> Option<String> {
    e.explain().lines().find_map(|l| l.strip_prefix("Decided by: ").map(str::to_owned))
}

#[test]
fn explain_summarises_every_decision_in_one_decided_by_line() {
    let allow = allow_when("StringEquals", "ecs:CommandRunAs", serde_json::json!(["user01"]));
    let deny = PolicyDocument::parse(
        r#"{"Version":"1","Statement":[{"Effect":"Deny","Action":"ecs:RunCommand","Resource":"*",
            "Condition":{"StringEquals":{"ecs:CommandRunAs":"root"}}}]}"#,
    )
    .unwrap();
    let run_as = |user: &str| {
        let request = Request::new("ecs:RunCommand", ARN).with_context(Context::new().with("ecs:CommandRunAs", user));
        evaluate(&[NamedPolicy::new("allow", &allow), NamedPolicy::new("deny", &deny)], &request)
    };
    let allowed = run_as("user01");
    assert_eq!((allowed.decision, decided_by(&allowed).as_deref()), (Decision::Allow, Some("allow[0]")));
    let denied = run_as("root");
    assert_eq!((denied.decision, decided_by(&denied).as_deref()), (Decision::ExplicitDeny, Some("deny[0]")));
    let implicit = run_as("user02");
    assert_eq!(implicit.decision, Decision::ImplicitDeny);
    assert_eq!(decided_by(&implicit), Some(format!("no statement allows ecs:RunCommand on {ARN}")));
    assert_eq!(implicit.explain().matches("Decided by:").count(), 1, "{}", implicit.explain());
    // Without any policy, too.
    let nothing = evaluate(&[], &Request::new("ecs:DescribeInstances", ARN));
    assert_eq!(decided_by(&nothing), Some(format!("no statement allows ecs:DescribeInstances on {ARN}")));
}

#[test]
fn explain_names_the_principal_of_an_implicitly_denied_trust_request() {
    let trust = PolicyDocument::parse(
        r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole",
            "Principal":{"Service":["ecs.aliyuncs.com"]}}]}"#,
    )
    .unwrap();
    let e = evaluate_trust(&trust, &TrustPrincipal::Service("fc.aliyuncs.com".into()), &Context::new());
    assert_eq!(e.decision, Decision::ImplicitDeny);
    assert_eq!(decided_by(&e).as_deref(), Some("no statement allows Service fc.aliyuncs.com to sts:AssumeRole"));
    let e = evaluate_trust(&trust, &TrustPrincipal::Service("ecs.aliyuncs.com".into()), &Context::new());
    assert_eq!(decided_by(&e).as_deref(), Some("trust[0]"));
}
