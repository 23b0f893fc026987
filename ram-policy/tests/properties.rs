//! Property tests: `*` on `*` matches everything, a Deny never produces an Allow, numeric conditions order
//! integers exactly, and nothing panics or loses information on generated documents.

use proptest::prelude::*;
use ram_policy::{
    evaluate, evaluate_trust, parse_cidr, parse_date, validate, Context, Decision, NamedPolicy, OperatorKind,
    PolicyDocument, PolicyKind, Request, TrustPrincipal,
};
use serde_json::{json, Value};

fn action() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("ecs:RunCommand".to_string()),
        Just("ecs:InvokeCommand".to_string()),
        Just("ecs:DescribeInstances".to_string()),
        Just("kms:Decrypt".to_string()),
        "[a-z]{1,4}:[A-Za-z]{1,8}",
        ".{0,12}",
    ]
}

fn action_pattern() -> impl Strategy<Value = String> {
    prop_oneof![action(), Just("*".to_string()), "[a-z]{1,3}:[A-Za-z*?]{1,6}", Just("ecs:*Command".to_string())]
}

fn resource() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("*".to_string()),
        Just("acs:ecs:cn-hangzhou:1234567890123456:instance/i-1".to_string()),
        "acs:[a-z]{1,3}:[a-z*-]{0,6}:[0-9*]{0,4}:[a-z/*?-]{1,8}",
        ".{0,16}",
    ]
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        ".{0,10}".prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        any::<i32>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        Just(json!("2019-08-12T17:00:00+08:00")),
        Just(json!("10.0.0.0/8")),
        Just(json!("2001:db8::/32")),
        Just(json!("user01")),
        Just(json!("ro?t*")),
    ]
}

fn one_or_many(s: BoxedStrategy<Value>) -> impl Strategy<Value = Value> {
    prop_oneof![s.clone(), prop::collection::vec(s, 0..4).prop_map(Value::from)]
}

fn operator() -> impl Strategy<Value = String> {
    let known = prop::sample::select(vec![
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        "StringLike",
        "StringNotLike",
        "NumericEquals",
        "NumericNotEquals",
        "NumericLessThan",
        "NumericLessThanEquals",
        "NumericGreaterThan",
        "NumericGreaterThanEquals",
        "DateEquals",
        "DateNotEquals",
        "DateLessThan",
        "DateLessThanEquals",
        "DateGreaterThan",
        "DateGreaterThanEquals",
        "Bool",
        "IpAddress",
        "NotIpAddress",
        "Null",
    ]);
    (prop::sample::select(vec!["", "", "ForAnyValue:", "ForAllValues:"]), known, any::<bool>(), ".{0,3}").prop_map(
        |(prefix, op, if_exists, junk)| {
            let suffix = if if_exists { "IfExists" } else { "" };
            // Occasionally an unknown operator.
            if junk.len() == 3 {
                format!("{op}{junk}")
            } else {
                format!("{prefix}{op}{suffix}")
            }
        },
    )
}

const KEYS: [&str; 5] = ["ecs:CommandRunAs", "acs:SourceIp", "acs:CurrentTime", "acs:SecureTransport", "test:Count"];

fn condition() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(
        operator(),
        prop::collection::btree_map(
            prop::sample::select(KEYS.to_vec()).prop_map(String::from),
            one_or_many(scalar().boxed()),
            1..3,
        ),
        0..3,
    )
    .prop_map(|m| serde_json::to_value(m).unwrap_or(Value::Null))
}

fn statement() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec!["Allow", "Deny"]),
        any::<bool>(),
        one_or_many(action_pattern().prop_map(Value::from).boxed()),
        prop::option::of(one_or_many(resource().prop_map(Value::from).boxed())),
        prop::option::of(condition()),
        prop::option::of(one_or_many(
            prop::sample::select(vec!["ecs.aliyuncs.com", "1234567890123456", "*"]).prop_map(Value::from).boxed(),
        )),
    )
        .prop_map(|(effect, not, actions, resources, cond, principal)| {
            let mut s = serde_json::Map::new();
            s.insert("Effect".into(), json!(effect));
            s.insert(if not { "NotAction" } else { "Action" }.into(), actions);
            if let Some(r) = resources {
                s.insert("Resource".into(), r);
            }
            if let Some(c) = cond {
                s.insert("Condition".into(), c);
            }
            if let Some(p) = principal {
                s.insert("Principal".into(), json!({"Service": p.clone(), "RAM": p}));
            }
            Value::Object(s)
        })
}

fn document() -> impl Strategy<Value = Value> {
    prop::collection::vec(statement(), 0..5).prop_map(|s| json!({"Version": "1", "Statement": s}))
}

fn context() -> impl Strategy<Value = Context> {
    prop::collection::vec((prop::sample::select(KEYS.to_vec()), ".{0,12}"), 0..6).prop_map(|pairs| {
        let mut c = Context::new();
        for (k, v) in pairs {
            c.insert(k, v);
        }
        c
    })
}

fn parse(v: &Value) -> PolicyDocument {
    PolicyDocument::parse(&v.to_string()).expect("generated documents are structurally valid")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn star_on_star_matches_any_request(
        action in action(), resource in resource(), ctx in context(), others in prop::collection::vec(statement(), 0..3)
    ) {
        let mut statements: Vec<Value> = others
            .into_iter()
            .filter(|s| s["Effect"] == "Allow")
            .collect();
        statements.push(json!({"Effect": "Allow", "Action": "*", "Resource": "*"}));
        let doc = parse(&json!({"Version": "1", "Statement": statements}));
        let e = evaluate(&[NamedPolicy { name: "p", document: &doc }], &Request::new(action, resource).with_context(ctx));
        prop_assert_eq!(e.decision, Decision::Allow);
        prop_assert!(e.matched.iter().any(|m| m.statement == doc.statement.len() - 1));
    }

    #[test]
    fn adding_a_deny_never_yields_allow(
        doc in document(), deny in statement(), action in action(), resource in resource(), ctx in context()
    ) {
        let before_doc = parse(&doc);
        let mut deny = deny;
        deny["Effect"] = json!("Deny");
        let deny_doc = parse(&json!({"Version": "1", "Statement": [deny]}));
        let request = Request::new(action, resource).with_context(ctx);
        let before = evaluate(&[NamedPolicy { name: "a", document: &before_doc }], &request);
        let after = evaluate(
            &[NamedPolicy { name: "a", document: &before_doc }, NamedPolicy { name: "d", document: &deny_doc }],
            &request,
        );
        prop_assert!(after.decision == before.decision || after.decision == Decision::ExplicitDeny);
        if after.decision == Decision::Allow {
            prop_assert_eq!(before.decision, Decision::Allow);
        }
    }

    #[test]
    fn evaluation_and_validation_never_panic_and_round_trip(
        doc in document(), action in action(), resource in resource(), ctx in context(), service in ".{0,20}"
    ) {
        let text = doc.to_string();
        let parsed = parse(&doc);
        // Round trip: same JSON value back.
        let back: Value = serde_json::from_str(&parsed.to_json()).unwrap_or(Value::Null);
        prop_assert_eq!(&back, &doc);
        prop_assert!(parsed.equivalent(&parsed.normalized()));
        let _ = validate(&text, PolicyKind::Identity);
        let _ = validate(&text, PolicyKind::Trust);
        let e = evaluate(&[NamedPolicy { name: "p", document: &parsed }], &Request::new(action, resource).with_context(ctx.clone()));
        prop_assert_eq!(e.statements.len(), parsed.statement.len());
        let _ = e.explain();
        let _ = evaluate_trust(&parsed, &TrustPrincipal::Service(service.clone()), &ctx);
        let _ = evaluate_trust(&parsed, &TrustPrincipal::RamArn(service), &ctx);
    }

    #[test]
    fn numeric_conditions_order_integers_exactly_whatever_the_spelling(a in any::<i64>(), b in any::<i64>(), form in 0..3usize) {
        let spell = |n: i64| match form {
            0 => n.to_string(),
            1 => format!("{n}.000"),
            _ => format!("{n}e0"),
        };
        let (x, y) = (spell(a), spell(b));
        prop_assert_eq!(OperatorKind::NumericLessThan.compare(&x, &y), a < b);
        prop_assert_eq!(OperatorKind::NumericEquals.compare(&x, &y), a == b);
        prop_assert_eq!(OperatorKind::NumericGreaterThanEquals.compare(&x, &y), a >= b);
        prop_assert_eq!(OperatorKind::NumericEquals.compare(&x, &a.to_string()), true);
    }

    #[test]
    fn date_and_ip_parsers_never_panic(text in ".{0,40}") {
        let _ = parse_date(&text);
        let _ = parse_cidr(&text);
        let _ = OperatorKind::NumericLessThan.compare(&text, "1");
    }

    #[test]
    fn validate_never_panics_on_arbitrary_text(text in ".{0,200}") {
        let report = validate(&text, PolicyKind::Identity);
        if PolicyDocument::parse(&text).is_err() {
            prop_assert!(!report.is_valid());
        }
    }
}
