//! `policy-sim`: would a principal with these policies be allowed this action on this resource?
//!
//! ```text
//! policy-sim --policy FILE|system:NAME [--policy ...] --action ACTION --resource ARN [--context KEY=VALUE ...] [--json]
//! ```
//! Repeat `--context` with the same key for a multi-valued key. Exit status 0 whatever the decision; 2 on unreadable
//! or invalid input (each validation error is listed with its location).

use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use ram_policy::{
    check_action, check_resource, evaluate, system_policy, system_policy_names, validate, Context, Decision,
    Evaluation, NamedPolicy, PolicyDocument, PolicyKind, Request, StatementRef, SYSTEM_PREFIX,
};

/// Simulate RAM's decision for one request against a set of attached identity policies.
#[derive(Debug, Parser)]
#[command(name = "policy-sim", version, about)]
struct Args {
    /// A policy document file, or `system:NAME` for a bundled system policy (repeatable).
    #[arg(long = "policy", value_name = "FILE|system:NAME", required = true)]
    policies: Vec<String>,
    /// The action, e.g. `ecs:RunCommand`.
    #[arg(long, value_name = "ACTION")]
    action: String,
    /// The resource ARN, e.g. `acs:ecs:cn-hangzhou:1234567890123456:instance/i-abc`, or `*`.
    #[arg(long, value_name = "ARN")]
    resource: String,
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
            print!("{output}");
            ExitCode::SUCCESS
        }
        Err(InputError(message)) => {
            eprintln!("policy-sim: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &Args) -> Result<String, InputError> {
    check_action(&args.action).map_err(|m| InputError(format!("--action: {m}")))?;
    check_resource(&args.resource).map_err(|m| InputError(format!("--resource: {m}")))?;
    let context = parse_context(&args.context)?;
    let mut loaded: Vec<(String, PolicyDocument)> = Vec::new();
    for spec in &args.policies {
        loaded.push(load_policy(spec)?);
    }
    let named: Vec<NamedPolicy<'_>> =
        loaded.iter().map(|(name, document)| NamedPolicy { name: name.as_str(), document }).collect();
    let request = Request::new(args.action.clone(), args.resource.clone()).with_context(context);
    let evaluation = evaluate(&named, &request);
    Ok(if args.json { to_json(&evaluation) } else { evaluation.explain() })
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

fn load_policy(spec: &str) -> Result<(String, PolicyDocument), InputError> {
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
    let report = validate(&text, PolicyKind::Identity);
    if !report.is_valid() {
        let mut lines: Vec<String> = report.errors.iter().map(|e| format!("  {e}")).collect();
        if validate(&text, PolicyKind::Trust).is_valid() {
            lines.push("  (this is a role trust policy; policy-sim evaluates identity policies)".to_string());
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
