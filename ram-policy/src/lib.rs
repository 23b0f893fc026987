//! RAM policy documents: a typed model, a builder, a validator and an evaluator (the simulator).
//!
//! Pure Rust, no I/O. It covers the RAM policy language as Alibaba Cloud documents it — `Version` `"1"`,
//! statements with `Effect`, `Action`/`NotAction`, `Resource`, `Condition` (every documented operator) and, for
//! role trust policies, `Principal` — and explains every decision it makes.
//!
//! * [`PolicyDocument`]: parse (`PolicyDocument::parse`, `str::parse`) and serialize (`to_json`, `Display`); the
//!   scalar-or-list form of each field is kept as read ([`OneOrMany`]); [`PolicyDocument::equivalent`] compares
//!   meaning rather than form.
//! * [`PolicyDocument::builder`]: fluent construction; [`procedure`] builds the documents of the Cloud Assistant
//!   run-as procedure.
//! * [`validate`]: RAM's grammar and limits, each finding located by a JSON pointer (`/Statement/0/Effect`).
//! * [`evaluate`] / [`evaluate_trust`]: deny overrides allow, wildcards `*` and `?`, case-insensitive actions,
//!   condition operators per family (strings, numbers, ISO 8601 dates, booleans, IPv4/IPv6 CIDRs), a per-statement
//!   trace, missing context keys and the assumptions made.
//! * [`system_policy`]: bundled published system policies (`AliyunECSReadOnlyAccess`, ...).
//!
//! # Build → validate → evaluate
//! ```
//! use ram_policy::{evaluate, validate, Context, Decision, NamedPolicy, PolicyDocument, PolicyKind, Request};
//!
//! let policy = PolicyDocument::builder()
//!     .allow(["ecs:RunCommand", "ecs:InvokeCommand"])
//!     .on(["acs:ecs:*:*:instance/*", "acs:ecs:*:*:command/*"])
//!     .when_string_equals("ecs:CommandRunAs", ["user01", "user02"])
//!     .build();
//!
//! // What RAM's CreatePolicy would check.
//! let report = validate(&policy.to_json(), PolicyKind::Identity);
//! assert!(report.is_valid(), "{report}");
//!
//! let attached = [NamedPolicy { name: "commandUserPolicy", document: &policy }];
//! let instance = "acs:ecs:cn-hangzhou:1234567890123456:instance/i-abc";
//!
//! let as_user01 = Request::new("ecs:RunCommand", instance)
//!     .with_context(Context::new().with("ecs:CommandRunAs", "user01"));
//! let result = evaluate(&attached, &as_user01);
//! assert_eq!(result.decision, Decision::Allow);
//! assert_eq!(result.matched[0].policy, "commandUserPolicy");
//!
//! // Without a run-as user the command would run as root: the simulator assumes it and says so.
//! let result = evaluate(&attached, &Request::new("ecs:RunCommand", instance));
//! assert_eq!(result.decision, Decision::ImplicitDeny);
//! assert_eq!(result.assumptions.len(), 1);
//! println!("{}", result.explain());
//! ```
//!
//! # Trust policies
//! ```
//! use ram_policy::{evaluate_trust, procedure, Context, TrustPrincipal};
//! let trust = procedure::ecs_trust_policy();
//! let ecs = TrustPrincipal::Service("ecs.aliyuncs.com".into());
//! assert!(evaluate_trust(&trust, &ecs, &Context::new()).is_allowed());
//! ```

mod builder;
mod context;
mod evaluate;
mod model;
mod operators;
pub mod procedure;
mod system;
mod validate;
mod wildcard;

pub use builder::PolicyBuilder;
pub use context::{Context, Request};
pub use evaluate::{
    evaluate, evaluate_trust, Decision, Evaluation, NamedPolicy, StatementRef, StatementTrace, TrustPrincipal,
    COMMAND_RUN_AS_KEY,
};
pub use model::{
    Condition, ConditionEntry, ConditionValue, ConditionValues, Effect, NumberText, OneOrMany, ParseError,
    PolicyDocument, Principal, Statement,
};
pub use operators::{parse_cidr, parse_date, Cidr, ConditionOperator, OperatorFamily, OperatorKind, SetQualifier};
pub use system::{system_policy, system_policy_json, system_policy_names, SYSTEM_PREFIX};
pub use validate::{check_action, check_resource, validate, Finding, PolicyKind, ValidationReport, MAX_DOCUMENT_CHARS};
pub use wildcard::wildcard_match;
