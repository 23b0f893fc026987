//! The evaluator (the simulator): identity policies ([`evaluate`]) and trust policies ([`evaluate_trust`]).

use std::fmt::Write as _;

use serde::Serialize;

use crate::context::{Context, Request};
use crate::model::{ConditionValue, Effect, OneOrMany, PolicyDocument, Statement};
use crate::operators::{parse_bool, ConditionOperator, OperatorKind, SetQualifier};
use crate::wildcard::wildcard_match;

/// The condition key naming the OS user a Cloud Assistant command runs as.
pub const COMMAND_RUN_AS_KEY: &str = "ecs:CommandRunAs";

/// One attached policy, by name (e.g. `"commandUserPolicy"` or `"AliyunECSReadOnlyAccess"`).
#[derive(Clone, Copy, Debug)]
pub struct NamedPolicy<'a> {
    /// The name reported in [`StatementRef`] and [`StatementTrace`].
    pub name: &'a str,
    /// The document.
    pub document: &'a PolicyDocument,
}

impl<'a> NamedPolicy<'a> {
    /// Pairs a name with a document.
    pub fn new(name: &'a str, document: &'a PolicyDocument) -> Self {
        NamedPolicy { name, document }
    }
}

/// Who wants to assume a role, for [`evaluate_trust`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TrustPrincipal {
    /// A cloud service, e.g. `ecs.aliyuncs.com`.
    Service(String),
    /// An Alibaba Cloud account id (the account itself), e.g. `1234567890123456`.
    Account(String),
    /// A RAM identity ARN, e.g. `acs:ram::1234567890123456:user/alice`.
    RamArn(String),
}

/// The outcome of an evaluation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Decision {
    /// At least one Allow statement matched and no Deny did.
    Allow,
    /// A Deny statement matched.
    ExplicitDeny,
    /// No statement matched.
    ImplicitDeny,
}

impl std::fmt::Display for Decision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Decision::Allow => "Allow",
            Decision::ExplicitDeny => "ExplicitDeny",
            Decision::ImplicitDeny => "ImplicitDeny",
        })
    }
}

/// A statement, by policy name and 0-based index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatementRef {
    /// The policy's name.
    pub policy: String,
    /// The statement's 0-based index in the policy.
    pub statement: usize,
}

/// Why one statement did or did not match (action, resource, or which condition key and values).
#[derive(Clone, Debug, Serialize)]
pub struct StatementTrace {
    /// The policy's name.
    pub policy: String,
    /// The statement's 0-based index.
    pub statement: usize,
    /// The statement's effect.
    pub effect: Effect,
    /// True when action, resource (or principal) and every condition matched.
    pub matched: bool,
    /// A readable reason.
    pub reason: String,
}

/// The result of [`evaluate`] or [`evaluate_trust`].
#[derive(Clone, Debug, Serialize)]
pub struct Evaluation {
    /// The decision.
    pub decision: Decision,
    /// The statements that decided it: the matching Deny statements for an explicit deny, the matching Allow
    /// statements for an allow, none for an implicit deny.
    pub matched: Vec<StatementRef>,
    /// Every statement considered, in order, with why it did or did not match.
    pub statements: Vec<StatementTrace>,
    /// Condition keys referenced by statements that apply to the action and resource but absent from the context.
    pub missing_context_keys: Vec<String>,
    /// Values the evaluator assumed (e.g. the default `ecs:CommandRunAs`).
    pub assumptions: Vec<String>,
    /// The action evaluated, e.g. `ecs:RunCommand` (`sts:AssumeRole` for a trust policy).
    pub action: String,
    /// The resource ARN the action was evaluated on ([`evaluate`]); `None` for a trust policy.
    pub resource: Option<String>,
    /// The principal asking to assume the role, e.g. `Service ecs.aliyuncs.com` ([`evaluate_trust`]); `None` for
    /// identity policies.
    pub principal: Option<String>,
}

impl Evaluation {
    /// True for [`Decision::Allow`].
    pub fn is_allowed(&self) -> bool {
        self.decision == Decision::Allow
    }

    /// A readable multi-line explanation: the decision, what decided it (the matching statements, or for an
    /// implicit deny that no statement allows the request), assumptions, missing context keys, then every
    /// statement with why it did or did not match.
    pub fn explain(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "Decision: {}", self.decision);
        if !self.matched.is_empty() {
            let list: Vec<String> = self.matched.iter().map(|m| format!("{}[{}]", m.policy, m.statement)).collect();
            let _ = writeln!(out, "Decided by: {}", list.join(", "));
        } else if self.decision == Decision::ImplicitDeny {
            let _ = writeln!(out, "Decided by: {}", self.nothing_allows());
        }
        for a in &self.assumptions {
            let _ = writeln!(out, "Assumed: {a}");
        }
        if !self.missing_context_keys.is_empty() {
            let _ = writeln!(out, "Missing context keys: {}", self.missing_context_keys.join(", "));
        }
        if self.statements.is_empty() {
            let _ = writeln!(out, "No statements were evaluated.");
        }
        for s in &self.statements {
            let verdict = if s.matched { "matched" } else { "no match" };
            let _ = writeln!(out, "  {}[{}] {}: {} — {}", s.policy, s.statement, s.effect, verdict, s.reason);
        }
        out
    }

    /// The reason of an implicit deny: `no statement allows ecs:RunCommand on acs:ecs:...`, or for a trust policy
    /// `no statement allows Service ecs.aliyuncs.com to sts:AssumeRole`.
    fn nothing_allows(&self) -> String {
        match (&self.principal, &self.resource) {
            (Some(principal), _) => format!("no statement allows {principal} to {}", self.action),
            (None, Some(resource)) => format!("no statement allows {} on {resource}", self.action),
            (None, None) => format!("no statement allows {}", self.action),
        }
    }
}

/// What the statement is checked against besides the action.
enum Target<'a> {
    /// Identity policy: the resource ARN (a statement without Resource/NotResource never matches).
    Resource(&'a str),
    /// Trust policy: the principal (Resource is ignored).
    Principal(&'a TrustPrincipal),
}

/// Evaluates the policies attached to a principal (pooled, deny overrides) for one request.
///
/// For `ecs:RunCommand` / `ecs:InvokeCommand` without `ecs:CommandRunAs` in the context, `root` is assumed and the
/// assumption is reported (callers that know the instance OS should put `root` or `System` there themselves).
pub fn evaluate(policies: &[NamedPolicy<'_>], request: &Request) -> Evaluation {
    let mut context = request.context.clone();
    let mut assumptions = Vec::new();
    let is_command = ["ecs:RunCommand", "ecs:InvokeCommand"].iter().any(|a| a.eq_ignore_ascii_case(&request.action));
    if is_command && !context.contains(COMMAND_RUN_AS_KEY) {
        context.insert(COMMAND_RUN_AS_KEY, "root");
        assumptions.push(format!(
            "{COMMAND_RUN_AS_KEY} not supplied: assumed \"root\" (the default when Username is omitted on Linux; \
             Windows instances use \"System\")"
        ));
    }
    let docs: Vec<(&str, &PolicyDocument)> = policies.iter().map(|p| (p.name, p.document)).collect();
    decide(&docs, &request.action, &Target::Resource(&request.resource), &context, assumptions)
}

/// Evaluates a role's trust policy: may `principal` perform `sts:AssumeRole` on this role?
///
/// Statements are matched on action, `Principal` (Service names case-insensitively; RAM entries as account ids,
/// `acs:ram::<account>:root` — which trusts every identity of that account — or ARN patterns) and conditions.
/// The caller's own permission to call `sts:AssumeRole` is a separate [`evaluate`].
pub fn evaluate_trust(trust_policy: &PolicyDocument, principal: &TrustPrincipal, context: &Context) -> Evaluation {
    decide(&[("trust", trust_policy)], "sts:AssumeRole", &Target::Principal(principal), context, Vec::new())
}

fn decide(
    policies: &[(&str, &PolicyDocument)],
    action: &str,
    target: &Target<'_>,
    context: &Context,
    assumptions: Vec<String>,
) -> Evaluation {
    let mut statements = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    for (name, doc) in policies {
        for (index, stmt) in doc.statement.iter().enumerate() {
            let (matched, reason) = statement_matches(stmt, action, target, context, &mut missing);
            statements.push(StatementTrace {
                policy: (*name).to_string(),
                statement: index,
                effect: stmt.effect,
                matched,
                reason,
            });
        }
    }
    let refs = |effect: Effect| -> Vec<StatementRef> {
        statements
            .iter()
            .filter(|s| s.matched && s.effect == effect)
            .map(|s| StatementRef { policy: s.policy.clone(), statement: s.statement })
            .collect()
    };
    let denies = refs(Effect::Deny);
    let (decision, matched) = if !denies.is_empty() {
        (Decision::ExplicitDeny, denies)
    } else {
        let allows = refs(Effect::Allow);
        if allows.is_empty() {
            (Decision::ImplicitDeny, allows)
        } else {
            (Decision::Allow, allows)
        }
    };
    let (resource, principal) = match target {
        Target::Resource(resource) => (Some((*resource).to_string()), None),
        Target::Principal(principal) => (None, Some(describe_principal(principal))),
    };
    Evaluation {
        decision,
        matched,
        statements,
        missing_context_keys: missing,
        assumptions,
        action: action.to_string(),
        resource,
        principal,
    }
}

fn list(values: &OneOrMany) -> String {
    let quoted: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
    format!("[{}]", quoted.join(", "))
}

fn statement_matches(
    stmt: &Statement,
    action: &str,
    target: &Target<'_>,
    context: &Context,
    missing: &mut Vec<String>,
) -> (bool, String) {
    // Action
    match (&stmt.action, &stmt.not_action) {
        (Some(a), _) => {
            if !a.iter().any(|p| wildcard_match(p, action, true)) {
                return (false, format!("action {action} matches none of Action {}", list(a)));
            }
        }
        (None, Some(na)) => {
            if let Some(p) = na.iter().find(|p| wildcard_match(p, action, true)) {
                return (false, format!("action {action} is excluded by NotAction {p:?}"));
            }
        }
        (None, None) => return (false, "statement has neither Action nor NotAction".to_string()),
    }
    // Resource or principal
    match target {
        Target::Resource(resource) => match (&stmt.resource, &stmt.not_resource) {
            (Some(r), _) => {
                if !r.iter().any(|p| wildcard_match(p, resource, false)) {
                    return (false, format!("resource {resource} matches none of Resource {}", list(r)));
                }
            }
            (None, Some(nr)) => {
                if let Some(p) = nr.iter().find(|p| wildcard_match(p, resource, false)) {
                    return (false, format!("resource {resource} is excluded by NotResource {p:?}"));
                }
            }
            (None, None) => return (false, "statement has no Resource".to_string()),
        },
        Target::Principal(principal) => {
            if !principal_matches(stmt, principal) {
                return (false, format!("principal {} is not listed in Principal", describe_principal(principal)));
            }
        }
    }
    // Conditions: every operator and key must hold; evaluate all of them so every missing key is reported.
    let mut failure: Option<String> = None;
    if let Some(cond) = &stmt.condition {
        for entry in cond.entries() {
            let (op_text, key) = (entry.operator, entry.key);
            let Some(op) = entry.parsed else {
                failure.get_or_insert_with(|| format!("unknown condition operator {op_text:?}"));
                continue;
            };
            let outcome = condition_holds(op, key, entry.values, context);
            if outcome.missing && !missing.iter().any(|m| m.eq_ignore_ascii_case(key)) {
                missing.push(key.to_string());
            }
            if !outcome.holds {
                failure.get_or_insert_with(|| {
                    let policy_values: Vec<String> =
                        entry.values.iter().map(|v| format!("{:?}", v.as_text())).collect();
                    let request_values = match context.get(key) {
                        Some(v) if !v.is_empty() => format!("request has {v:?}"),
                        _ => "key absent from the request context".to_string(),
                    };
                    format!("condition {op_text} on {key} [{}] is false: {request_values}", policy_values.join(", "))
                });
            }
        }
    }
    match failure {
        Some(reason) => (false, reason),
        None if stmt.condition.as_ref().is_some_and(|c| !c.0.is_empty()) => {
            (true, "action, target and every condition match".to_string())
        }
        None => (true, "action and target match (no condition)".to_string()),
    }
}

struct Outcome {
    holds: bool,
    missing: bool,
}

/// One operator + key: values of the key OR'd; negated operators are the negation of the positive OR.
fn condition_holds(op: ConditionOperator, key: &str, policy_values: &[ConditionValue], context: &Context) -> Outcome {
    let request: &[String] = context.get(key).unwrap_or(&[]);
    let present = !request.is_empty();
    if op.kind == OperatorKind::Null {
        // "Null": true → holds when the key is absent; false → holds when present.
        let holds = policy_values.iter().any(|v| parse_bool(&v.as_text()) == Some(!present));
        return Outcome { holds, missing: !present };
    }
    if !present {
        let holds = op.if_exists
            || match op.qualifier {
                Some(SetQualifier::ForAllValues) => true,
                Some(SetQualifier::ForAnyValue) => false,
                None => op.kind.is_negated(),
            };
        return Outcome { holds, missing: true };
    }
    let negated = op.kind.is_negated();
    let positive = op.kind.positive().unwrap_or(op.kind);
    let policy_text: Vec<String> = policy_values.iter().map(ConditionValue::as_text).collect();
    let positive_match = |r: &String| policy_text.iter().any(|p| positive.compare(r, p));
    let satisfies = |r: &String| positive_match(r) != negated;
    let holds = match op.qualifier {
        None if negated => !request.iter().any(positive_match),
        None => request.iter().any(positive_match),
        Some(SetQualifier::ForAnyValue) => request.iter().any(satisfies),
        Some(SetQualifier::ForAllValues) => request.iter().all(satisfies),
    };
    Outcome { holds, missing: false }
}

fn describe_principal(p: &TrustPrincipal) -> String {
    match p {
        TrustPrincipal::Service(s) => format!("Service {s}"),
        TrustPrincipal::Account(a) => format!("account {a}"),
        TrustPrincipal::RamArn(a) => format!("RAM {a}"),
    }
}

fn principal_matches(stmt: &Statement, principal: &TrustPrincipal) -> bool {
    let Some(p) = &stmt.principal else { return false };
    match principal {
        TrustPrincipal::Service(service) => p.services().iter().any(|s| wildcard_match(s, service, true)),
        TrustPrincipal::Account(account) => p.ram().iter().any(|r| r == "*" || trusts_account(r, account)),
        TrustPrincipal::RamArn(arn) => {
            let account = arn.split(':').nth(3).unwrap_or("");
            p.ram().iter().any(|r| wildcard_match(r, arn, false) || (!account.is_empty() && trusts_account(r, account)))
        }
    }
}

/// `1234567890123456` or `acs:ram::1234567890123456:root` trust the whole account.
fn trusts_account(entry: &str, account: &str) -> bool {
    entry == account || entry.strip_prefix("acs:ram::").and_then(|r| r.strip_suffix(":root")) == Some(account)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(json: &str) -> PolicyDocument {
        PolicyDocument::parse(json).unwrap()
    }

    #[test]
    fn statement_without_resource_never_matches_identity_requests() {
        let d = doc(r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*"}]}"#);
        let e = evaluate(&[NamedPolicy::new("p", &d)], &Request::new("ecs:RunCommand", "*"));
        assert_eq!(e.decision, Decision::ImplicitDeny);
        assert!(e.statements[0].reason.contains("no Resource"));
    }

    #[test]
    fn explain_mentions_decision_and_reason() {
        let d = doc(r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:Describe*","Resource":"*"}]}"#);
        let e = evaluate(&[NamedPolicy::new("ro", &d)], &Request::new("ecs:RunCommand", "*"));
        let text = e.explain();
        assert!(text.contains("ImplicitDeny"), "{text}");
        assert!(text.contains("ro[0]"), "{text}");
        assert!(text.contains("matches none of Action"), "{text}");
    }
}
