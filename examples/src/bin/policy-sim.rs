//! `policy-sim`: would a principal with these policies be allowed this action on this resource?
//!
//! ```text
//! policy-sim --policy FILE|system:NAME [--policy ...] --action ACTION --resource ARN [--context KEY=VALUE ...] [--json]
//! policy-sim --policy TRUST-FILE --trust-principal service:NAME|account:ID|arn:ARN [--context KEY=VALUE ...] [--json]
//! ```
//! Repeat `--context` with the same key for a multi-valued key. With `--trust-principal` the one `--policy` is a
//! role's trust policy and the question is whether that principal may `sts:AssumeRole` the role (`--action` and
//! `--resource` are then not needed). Exit status 0 whatever the decision; 2 on unreadable or invalid input (each
//! validation error is listed with its location).

use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use ram_policy::{
    check_action, check_resource, evaluate, evaluate_trust, system_policy, system_policy_names, validate, Context,
    Decision, Evaluation, NamedPolicy, PolicyDocument, PolicyKind, Request, StatementRef, TrustPrincipal,
    SYSTEM_PREFIX,
};

/// Simulate RAM's decision for one request against a set of attached identity policies.
#[derive(Debug, Parser)]
#[command(
    name = "policy-sim",
    version,
    after_help = "Exit status: 0 whatever the decision, 2 on unreadable or invalid input (each validation error with its \
                  location)."
)]
struct Args {
    /// A policy document file, or `system:NAME` for a bundled system policy (repeatable).
    #[arg(long = "policy", value_name = "FILE|system:NAME", required = true)]
    policies: Vec<String>,
    /// The action, e.g. `ecs:RunCommand`.
    #[arg(long, value_name = "ACTION", required_unless_present = "trust_principal")]
    action: Option<String>,
    /// The resource ARN, e.g. `acs:ecs:cn-hangzhou:1234567890123456:instance/i-abc`, or `*`.
    #[arg(long, value_name = "ARN", required_unless_present = "trust_principal")]
    resource: Option<String>,
    /// Evaluate the (single) `--policy` as a role trust policy: may this principal assume the role?
    /// `service:ecs.aliyuncs.com`, `account:1234567890123456` or `arn:acs:ram::1234567890123456:user/alice`.
    #[arg(long, value_name = "service:NAME|account:ID|arn:ARN", conflicts_with_all = ["action", "resource"])]
    trust_principal: Option<String>,
    /// A condition key and value, e.g. `ecs:CommandRunAs=user01` (repeat the key for several values).
    #[arg(long = "context", value_name = "KEY=VALUE")]
    context: Vec<String>,
    /// Print the decision as JSON.
    #[arg(long)]
    json: bool,
}

/// A problem with the input; printed on stderr, exit status 2.
struct InputError(String);

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(output) => {
            examples::output::print(&output);
            ExitCode::SUCCESS
        }
        Err(InputError(message)) => {
            eprintln!("policy-sim: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<String, InputError> {
    let context = parse_context(&args.context)?;
    let evaluation = match &args.trust_principal {
        Some(principal) => run_trust(args, principal, &context)?,
        None => run_identity(args, context)?,
    };
    Ok(if args.json { to_json(&evaluation) } else { evaluation.explain() })
}

fn run_identity(args: &Args, context: Context) -> Result<Evaluation, InputError> {
    let action = args.action.as_deref().unwrap_or_default();
    let resource = args.resource.as_deref().unwrap_or_default();
    check_action(action).map_err(|m| InputError(format!("--action: {m}")))?;
    check_resource(resource).map_err(|m| InputError(format!("--resource: {m}")))?;
    let mut loaded: Vec<(String, PolicyDocument)> = Vec::new();
    for spec in &args.policies {
        loaded.push(load_policy(spec, PolicyKind::Identity)?);
    }
    // A policy is named by its file stem (or system name); when two share a name, they are named as given instead.
    let names: Vec<String> = loaded.iter().map(|(name, _)| name.clone()).collect();
    for ((name, _), spec) in loaded.iter_mut().zip(&args.policies) {
        if names.iter().filter(|n| *n == name).count() > 1 {
            *name = spec.clone();
        }
    }
    let named: Vec<NamedPolicy<'_>> =
        loaded.iter().map(|(name, document)| NamedPolicy { name: name.as_str(), document }).collect();
    Ok(evaluate(&named, &Request::new(action, resource).with_context(context)))
}

fn run_trust(args: &Args, principal: &str, context: &Context) -> Result<Evaluation, InputError> {
    let principal = parse_trust_principal(principal)?;
    let [spec] = args.policies.as_slice() else {
        return Err(InputError("--trust-principal evaluates exactly one --policy (the role's trust policy)".into()));
    };
    let (_, document) = load_policy(spec, PolicyKind::Trust)?;
    Ok(evaluate_trust(&document, &principal, context))
}

fn parse_trust_principal(spec: &str) -> Result<TrustPrincipal, InputError> {
    let value = |v: &str| (!v.trim().is_empty()).then(|| v.trim().to_string());
    let parsed = match spec.split_once(':') {
        Some(("service", v)) => value(v).map(TrustPrincipal::Service),
        Some(("account", v)) => value(v).map(TrustPrincipal::Account),
        Some(("arn", v)) => value(v).map(TrustPrincipal::RamArn),
        _ => None,
    };
    parsed.ok_or_else(|| {
        InputError(format!(
            "--trust-principal expects service:NAME, account:ID or arn:ARN (e.g. service:ecs.aliyuncs.com), got {spec:?}"
        ))
    })
}

fn parse_context(items: &[String]) -> Result<Context, InputError> {
    let mut context = Context::new();
    for item in items {
        match item.split_once('=') {
            Some((key, value)) if !key.trim().is_empty() => context.insert(key.trim(), value),
            _ => return Err(InputError(format!("--context expects KEY=VALUE, got {item:?}"))),
        }
    }
    Ok(context)
}

fn load_policy(spec: &str, kind: PolicyKind) -> Result<(String, PolicyDocument), InputError> {
    if let Some(name) = spec.strip_prefix(SYSTEM_PREFIX) {
        return system_policy(name).map(|doc| (name.to_string(), doc)).ok_or_else(|| {
            InputError(format!(
                "unknown system policy {name:?}; bundled system policies: {}",
                system_policy_names().join(", ")
            ))
        });
    }
    let path = Path::new(spec);
    let text = std::fs::read_to_string(path).map_err(|e| InputError(format!("cannot read policy file {spec}: {e}")))?;
    let report = validate(&text, kind);
    if !report.is_valid() {
        let mut lines: Vec<String> = report.errors.iter().map(|e| format!("  {e}")).collect();
        if kind == PolicyKind::Identity && validate(&text, PolicyKind::Trust).is_valid() {
            lines.push(
                "  (this is a role trust policy: evaluate it with --trust-principal, e.g. service:ecs.aliyuncs.com)"
                    .to_string(),
            );
        }
        return Err(InputError(format!("invalid policy {spec}:\n{}", lines.join("\n"))));
    }
    for warning in &report.warnings {
        eprintln!("policy-sim: warning: {spec}: {warning}");
    }
    let document = PolicyDocument::parse(&text).map_err(|e| InputError(format!("invalid policy {spec}: {e}")))?;
    let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or(spec).to_string();
    Ok((name, document))
}

/// The `--json` output, fields in the documented order.
#[derive(serde::Serialize)]
struct JsonOutput<'a> {
    decision: Decision,
    matched: &'a [StatementRef],
    missing_context_keys: &'a [String],
    assumptions: &'a [String],
}

fn to_json(evaluation: &Evaluation) -> String {
    let output = JsonOutput {
        decision: evaluation.decision,
        matched: &evaluation.matched,
        missing_context_keys: &evaluation.missing_context_keys,
        assumptions: &evaluation.assumptions,
    };
    // Serializing strings and unit enums cannot fail.
    format!("{}\n", serde_json::to_string(&output).unwrap_or_default())
}
