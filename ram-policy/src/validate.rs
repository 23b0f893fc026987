//! The validator: RAM's policy grammar, with every problem located by a JSON pointer (`/Statement/0/Effect`).

use std::fmt;

use serde_json::{Map, Value};

use crate::operators::{parse_bool, parse_cidr, parse_date, parse_number, ConditionOperator, OperatorFamily};
use crate::wildcard::wildcard_match;

/// The longest policy document RAM accepts, in characters.
pub const MAX_DOCUMENT_CHARS: usize = 6_144;

/// Which grammar to validate against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicyKind {
    /// A permission policy attached to a user, group or role (`Resource` required, no `Principal`).
    Identity,
    /// A role's trust policy (`AssumeRolePolicyDocument`: `Principal` required, action `sts:AssumeRole`).
    Trust,
}

/// One problem: where (JSON pointer, `""` for the whole document) and what.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// JSON-pointer-like location, e.g. `/Statement/0/Condition/StringEquals`.
    pub location: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = if self.location.is_empty() { "/" } else { &self.location };
        write!(f, "{loc}: {}", self.message)
    }
}

/// Everything the validator found.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ValidationReport {
    /// Problems RAM would reject (`MalformedPolicyDocument`, `InvalidParameter.PolicyDocument.Length`).
    pub errors: Vec<Finding>,
    /// Accepted but undocumented, ignored or risky constructs.
    pub warnings: Vec<Finding>,
}

impl ValidationReport {
    /// True when there is no error (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    fn error(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.errors.push(Finding { location: location.into(), message: message.into() });
    }

    fn warn(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.warnings.push(Finding { location: location.into(), message: message.into() });
    }
}

impl fmt::Display for ValidationReport {
    /// One line per finding: `error /Statement/0/Effect: ...`, then warnings.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.errors {
            writeln!(f, "error {e}")?;
        }
        for w in &self.warnings {
            writeln!(f, "warning {w}")?;
        }
        Ok(())
    }
}

/// Escapes a key for a JSON pointer (`~` → `~0`, `/` → `~1`).
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Validates a policy document's text against RAM's grammar.
///
/// ```
/// use ram_policy::{validate, PolicyKind};
/// let report = validate(r#"{"Version":"1","Statement":[{"Effect":"allow","Action":"ecs:RunCommand"}]}"#, PolicyKind::Identity);
/// assert!(!report.is_valid());
/// assert!(report.errors.iter().any(|e| e.location == "/Statement/0/Effect"));
/// assert!(report.errors.iter().any(|e| e.location == "/Statement/0/Resource"));
/// ```
pub fn validate(json: &str, kind: PolicyKind) -> ValidationReport {
    let mut r = ValidationReport::default();
    let chars = json.chars().count();
    if chars > MAX_DOCUMENT_CHARS {
        r.error("", format!("document is {chars} characters long; RAM accepts at most {MAX_DOCUMENT_CHARS}"));
    }
    if json.trim().is_empty() {
        r.error("", "the policy document is empty");
        return r;
    }
    let value: Value = match serde_json::from_str(json) {
        Ok(v) => v,
        Err(e) => {
            r.error("", format!("not JSON: {} (line {}, column {})", e.classify_name(), e.line(), e.column()));
            return r;
        }
    };
    let Some(obj) = value.as_object() else {
        r.error("", "a policy document must be a JSON object");
        return r;
    };
    for key in obj.keys() {
        if key != "Version" && key != "Statement" {
            r.error(format!("/{}", escape(key)), format!("unknown element {key:?} (expected Version and Statement)"));
        }
    }
    match obj.get("Version") {
        None => r.error("/Version", "Version is missing (must be \"1\")"),
        Some(Value::String(v)) if v == "1" => {}
        Some(_) => r.error("/Version", "Version must be the string \"1\""),
    }
    match obj.get("Statement") {
        None => r.error("/Statement", "Statement is missing"),
        Some(Value::Array(items)) if items.is_empty() => r.error("/Statement", "Statement is empty"),
        Some(Value::Array(items)) => {
            for (i, s) in items.iter().enumerate() {
                statement(&mut r, &format!("/Statement/{i}"), s, kind);
            }
        }
        Some(s @ Value::Object(_)) => statement(&mut r, "/Statement", s, kind),
        Some(_) => r.error("/Statement", "Statement must be a list of statement objects"),
    }
    r
}

trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "read error",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected data",
            serde_json::error::Category::Eof => "unexpected end of input",
        }
    }
}

const STATEMENT_KEYS: &[&str] =
    &["Effect", "Action", "NotAction", "Resource", "NotResource", "Condition", "Principal", "Sid"];

fn statement(r: &mut ValidationReport, at: &str, value: &Value, kind: PolicyKind) {
    let Some(s) = value.as_object() else {
        r.error(at, "a statement must be a JSON object");
        return;
    };
    for key in s.keys() {
        if !STATEMENT_KEYS.contains(&key.as_str()) {
            r.error(format!("{at}/{}", escape(key)), format!("unknown statement element {key:?}"));
        }
    }
    let effect = match s.get("Effect") {
        None => {
            r.error(format!("{at}/Effect"), "Effect is missing (Allow or Deny)");
            None
        }
        Some(Value::String(e)) if e == "Allow" || e == "Deny" => Some(e.as_str()),
        Some(other) => {
            r.error(
                format!("{at}/Effect"),
                format!("Effect must be \"Allow\" or \"Deny\" (case-sensitive), not {other}"),
            );
            None
        }
    };
    let actions = match (s.get("Action"), s.get("NotAction")) {
        (Some(_), Some(_)) => {
            r.error(at.to_string(), "a statement must have exactly one of Action and NotAction, not both");
            None
        }
        (None, None) => {
            r.error(format!("{at}/Action"), "Action (or NotAction) is missing");
            None
        }
        (Some(a), None) => string_list(r, &format!("{at}/Action"), a, "Action", check_action),
        (None, Some(a)) => {
            string_list(r, &format!("{at}/NotAction"), a, "NotAction", check_action);
            None
        }
    };
    let resources = match s.get("Resource") {
        Some(v) => string_list(r, &format!("{at}/Resource"), v, "Resource", check_resource),
        None => {
            if kind == PolicyKind::Identity && !s.contains_key("NotResource") {
                r.error(format!("{at}/Resource"), "Resource is missing (required in identity policies)");
            }
            None
        }
    };
    if let Some(v) = s.get("NotResource") {
        string_list(r, &format!("{at}/NotResource"), v, "NotResource", check_resource);
        r.warn(format!("{at}/NotResource"), "NotResource is not documented for RAM; prefer Resource");
    }
    if let Some(v) = s.get("Sid") {
        if !v.is_string() {
            r.error(format!("{at}/Sid"), "Sid must be a string");
        }
        r.warn(format!("{at}/Sid"), "Sid is not documented for RAM");
    }
    match (s.get("Principal"), kind) {
        (Some(_), PolicyKind::Identity) => {
            r.warn(format!("{at}/Principal"), "Principal has no meaning in an identity policy");
        }
        (Some(p), PolicyKind::Trust) => principal(r, &format!("{at}/Principal"), p),
        (None, PolicyKind::Trust) => {
            r.error(format!("{at}/Principal"), "Principal is missing (required in trust policies)")
        }
        (None, PolicyKind::Identity) => {}
    }
    if kind == PolicyKind::Trust {
        if let Some(a) = &actions {
            if !a.iter().any(|p| wildcard_match(p, "sts:AssumeRole", true)) {
                r.warn(format!("{at}/Action"), "a trust policy statement should allow sts:AssumeRole");
            }
        }
    }
    if let Some(c) = s.get("Condition") {
        condition(r, &format!("{at}/Condition"), c);
    }
    if effect == Some("Allow") {
        let star = |l: &Option<Vec<String>>| l.as_ref().is_some_and(|l| l.iter().any(|v| v == "*"));
        if star(&actions) && star(&resources) {
            r.warn(at.to_string(), "Allow of every action (*) on every resource (*): full administrative access");
        }
    }
}

/// A string or a non-empty list of strings; each checked with `check` (which returns an error message).
fn string_list(
    r: &mut ValidationReport,
    at: &str,
    value: &Value,
    what: &str,
    check: fn(&str) -> Result<(), String>,
) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut one = |r: &mut ValidationReport, loc: String, v: &Value| match v {
        Value::String(s) => {
            if let Err(msg) = check(s) {
                r.error(loc, msg);
            }
            out.push(s.clone());
        }
        other => r.error(loc, format!("{what} entries must be strings, not {other}")),
    };
    match value {
        Value::Array(items) if items.is_empty() => r.error(at, format!("{what} is an empty list")),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                one(r, format!("{at}/{i}"), v);
            }
        }
        v => one(r, at.to_string(), v),
    }
    Some(out)
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '*' | '?' | '-' | '_')
}

/// Checks an action's form: `service:Operation` (wildcards `*` and `?` allowed) or `*`.
///
/// ```
/// assert!(ram_policy::check_action("ecs:RunCommand").is_ok());
/// assert!(ram_policy::check_action("RunCommand").is_err());
/// ```
pub fn check_action(action: &str) -> Result<(), String> {
    if action == "*" {
        return Ok(());
    }
    match action.split_once(':') {
        Some((service, name))
            if !service.is_empty()
                && !name.is_empty()
                && service.chars().all(is_name_char)
                && name.chars().all(is_name_char) =>
        {
            Ok(())
        }
        _ => Err(format!("malformed action {action:?}: expected service:Operation (e.g. ecs:RunCommand) or *")),
    }
}

/// Checks a resource's form: `acs:<service>:<region>:<account>:<relative-id>` (five parts, wildcards allowed) or `*`.
///
/// ```
/// assert!(ram_policy::check_resource("acs:ecs:*:*:instance/*").is_ok());
/// assert!(ram_policy::check_resource("acs:ecs:instance/*").is_err());
/// ```
pub fn check_resource(resource: &str) -> Result<(), String> {
    if resource == "*" {
        return Ok(());
    }
    let parts: Vec<&str> = resource.splitn(5, ':').collect();
    if parts.len() == 5 && parts[0] == "acs" && !parts[1].is_empty() && !parts[4].is_empty() {
        Ok(())
    } else {
        Err(format!("malformed resource {resource:?}: expected acs:<service>:<region>:<account>:<relative-id> or *"))
    }
}

fn principal(r: &mut ValidationReport, at: &str, value: &Value) {
    let Some(p) = value.as_object() else {
        r.error(at, "Principal must be an object such as {\"Service\": [\"ecs.aliyuncs.com\"]}");
        return;
    };
    if p.is_empty() {
        r.error(at, "Principal is empty");
    }
    for (k, v) in p {
        let loc = format!("{at}/{}", escape(k));
        if !matches!(k.as_str(), "RAM" | "Service" | "Federated") {
            r.error(loc.clone(), format!("unknown principal type {k:?} (expected RAM, Service or Federated)"));
        }
        string_list(r, &loc, v, k, |s| if s.trim().is_empty() { Err("empty principal".to_string()) } else { Ok(()) });
    }
}

fn condition(r: &mut ValidationReport, at: &str, value: &Value) {
    let Some(ops) = value.as_object() else {
        r.error(at, "Condition must be an object {operator: {key: values}}");
        return;
    };
    if ops.is_empty() {
        r.warn(at, "Condition is empty");
    }
    for (op_text, keys) in ops {
        let loc = format!("{at}/{}", escape(op_text));
        let Some(op) = ConditionOperator::parse(op_text) else {
            r.error(loc, format!("unknown condition operator {op_text:?}"));
            continue;
        };
        if op.if_exists {
            r.warn(loc.clone(), "...IfExists operators are not documented for RAM");
        }
        if op.qualifier.is_some() {
            r.warn(loc.clone(), "ForAnyValue: / ForAllValues: qualifiers are not documented for RAM");
        }
        if op.kind.family() == OperatorFamily::Null {
            r.warn(loc.clone(), "the Null operator is not documented for RAM");
        }
        let Some(keys) = keys.as_object() else {
            r.error(loc, "an operator must map condition keys to values");
            continue;
        };
        if keys.is_empty() {
            r.error(loc.clone(), "operator has no condition key");
        }
        condition_keys(r, &loc, keys, op);
    }
}

fn condition_keys(r: &mut ValidationReport, at: &str, keys: &Map<String, Value>, op: ConditionOperator) {
    for (key, values) in keys {
        let loc = format!("{at}/{}", escape(key));
        match key.split_once(':') {
            Some((a, b)) if !a.is_empty() && !b.is_empty() => {}
            _ => r.error(
                loc.clone(),
                format!("malformed condition key {key:?}: expected service:Key (e.g. acs:SourceIp)"),
            ),
        }
        match values {
            Value::Array(items) if items.is_empty() => r.error(loc, "condition key has an empty list of values"),
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    condition_value(r, format!("{loc}/{i}"), v, op.kind.family());
                }
            }
            v => condition_value(r, loc, v, op.kind.family()),
        }
    }
}

fn condition_value(r: &mut ValidationReport, at: String, value: &Value, family: OperatorFamily) {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => {
            r.error(at, format!("condition values must be strings, numbers or booleans, not {other}"));
            return;
        }
    };
    let problem = match family {
        OperatorFamily::String => None,
        OperatorFamily::Numeric => {
            (value.is_boolean() || parse_number(&text).is_none()).then(|| format!("{value} is not a number"))
        }
        OperatorFamily::Date => (!value.is_string() || parse_date(&text).is_none())
            .then(|| format!("{value} is not an ISO 8601 date-time (e.g. 2019-08-12T17:00:00+08:00)")),
        OperatorFamily::Bool | OperatorFamily::Null => {
            (value.is_number() || parse_bool(&text).is_none()).then(|| format!("{value} is not true or false"))
        }
        OperatorFamily::Ip => (!value.is_string() || parse_cidr(&text).is_none())
            .then(|| format!("{value} is not an IP address or CIDR block (IPv4 or IPv6)")),
    };
    if let Some(message) = problem {
        r.error(at, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors_at(json: &str, kind: PolicyKind) -> Vec<String> {
        validate(json, kind).errors.into_iter().map(|f| f.location).collect()
    }

    fn warnings_at(json: &str, kind: PolicyKind) -> Vec<String> {
        validate(json, kind).warnings.into_iter().map(|f| f.location).collect()
    }

    const ID: PolicyKind = PolicyKind::Identity;

    #[test]
    fn accepts_a_minimal_valid_policy() {
        let r =
            validate(r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:Describe*","Resource":"*"}]}"#, ID);
        assert!(r.is_valid(), "{r}");
        assert!(r.warnings.is_empty(), "{r}");
    }

    #[test]
    fn document_level_errors() {
        assert_eq!(errors_at("{not json", ID), vec![""]);
        assert_eq!(validate("  ", ID).errors[0].message, "the policy document is empty");
        assert!(validate("{not json", ID).errors[0].message.starts_with("not JSON"));
        assert_eq!(errors_at("[]", ID), vec![""]);
        assert_eq!(errors_at(r#"{"Version":"2","Statement":[]}"#, ID), vec!["/Version", "/Statement"]);
        assert_eq!(errors_at(r#"{"Version":1}"#, ID), vec!["/Version", "/Statement"]);
        assert_eq!(errors_at(r#"{"Version":"1","Statement":"x","Extra":1}"#, ID), vec!["/Extra", "/Statement"]);
    }

    #[test]
    fn too_long_document() {
        let actions: Vec<String> = (0..400).map(|i| format!("\"ecs:Action{i}\"")).collect();
        let json = format!(
            r#"{{"Version":"1","Statement":[{{"Effect":"Allow","Action":[{}],"Resource":"*"}}]}}"#,
            actions.join(",")
        );
        assert!(json.len() > MAX_DOCUMENT_CHARS);
        let r = validate(&json, ID);
        assert_eq!(r.errors.len(), 1, "{r}");
        assert!(r.errors[0].message.contains("6144"));
    }

    #[test]
    fn the_length_limit_counts_characters_and_is_inclusive() {
        let base = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:Describe*","Resource":"*","Condition":{"StringEquals":{"a:b":"X"}}}]}"#;
        let sized = |chars: usize, filler: char| {
            let pad = chars - (base.chars().count() - 1);
            base.replace('X', &filler.to_string().repeat(pad))
        };
        for filler in ['x', '中'] {
            let at_limit = sized(MAX_DOCUMENT_CHARS, filler);
            assert_eq!(at_limit.chars().count(), MAX_DOCUMENT_CHARS);
            assert!(validate(&at_limit, ID).is_valid(), "{filler}: exactly {MAX_DOCUMENT_CHARS} characters is fine");
            let over = sized(MAX_DOCUMENT_CHARS + 1, filler);
            assert_eq!(errors_at(&over, ID), vec![""], "{filler}");
        }
    }

    #[test]
    fn statement_errors() {
        let j = r#"{"Version":"1","Statement":[{"Effect":"Permit","Action":"ecs:RunCommand","NotAction":"x:y","Resource":"*"}]}"#;
        assert_eq!(errors_at(j, ID), vec!["/Statement/0/Effect", "/Statement/0"]);
        let j = r#"{"Version":"1","Statement":[{"Effect":"Allow","Resource":"*"}]}"#;
        assert_eq!(errors_at(j, ID), vec!["/Statement/0/Action"]);
        let j = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ecs:RunCommand","RunCommand","ecs:"],"Resource":["acs:ecs:*:*:instance/*","acs:ecs:*:instance/*","arn:x"]}]}"#;
        assert_eq!(
            errors_at(j, ID),
            vec![
                "/Statement/0/Action/1",
                "/Statement/0/Action/2",
                "/Statement/0/Resource/1",
                "/Statement/0/Resource/2"
            ]
        );
        let j = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:RunCommand"}]}"#;
        assert_eq!(errors_at(j, ID), vec!["/Statement/0/Resource"]);
        assert!(errors_at(j, PolicyKind::Trust).contains(&"/Statement/0/Principal".to_string()));
    }

    #[test]
    fn condition_errors_name_operator_key_and_value() {
        let j = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:RunCommand","Resource":"*","Condition":{
            "StringEqual":{"ecs:CommandRunAs":"user01"},
            "IpAddress":{"acs:SourceIp":["10.0.0.0/8","10.0.0.0/40","bad"]},
            "DateLessThan":{"acs:CurrentTime":"2019-08-12T17:00:00+08:00"},
            "DateGreaterThan":{"acs:CurrentTime":"tomorrow"},
            "NumericLessThan":{"x:n":[1,"2","three"]},
            "Bool":{"acs:SecureTransport":[true,"yes"],"acs:MFAPresent":"false"},
            "StringLike":{"acs:ResourceTag/env":[]}}}]}"#;
        assert_eq!(
            errors_at(j, ID),
            vec![
                "/Statement/0/Condition/Bool/acs:SecureTransport/1",
                "/Statement/0/Condition/DateGreaterThan/acs:CurrentTime",
                "/Statement/0/Condition/IpAddress/acs:SourceIp/1",
                "/Statement/0/Condition/IpAddress/acs:SourceIp/2",
                "/Statement/0/Condition/NumericLessThan/x:n/2",
                "/Statement/0/Condition/StringEqual",
                "/Statement/0/Condition/StringLike/acs:ResourceTag~1env",
            ]
        );
    }

    #[test]
    fn warnings() {
        let j = r#"{"Version":"1","Statement":[{"Sid":"a","Effect":"Allow","Action":"*","Resource":"*","Principal":{"RAM":"*"},
            "Condition":{"StringEqualsIfExists":{"a:b":"c"},"ForAnyValue:StringLike":{"a:b":"c"},"Null":{"a:c":true}}},
            {"Effect":"Deny","Action":"ecs:*","NotResource":"acs:ecs:*:*:instance/i-1"}]}"#;
        let r = validate(j, ID);
        assert!(r.is_valid(), "{r}");
        assert_eq!(
            warnings_at(j, ID),
            vec![
                "/Statement/0/Sid",
                "/Statement/0/Principal",
                "/Statement/0/Condition/ForAnyValue:StringLike",
                "/Statement/0/Condition/Null",
                "/Statement/0/Condition/StringEqualsIfExists",
                "/Statement/0",
                "/Statement/1/NotResource",
            ]
        );
    }

    #[test]
    fn trust_policy_grammar() {
        let ok = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Principal":{"Service":["ecs.aliyuncs.com"]}}]}"#;
        assert!(validate(ok, PolicyKind::Trust).is_valid());
        assert!(validate(ok, PolicyKind::Trust).warnings.is_empty());
        let bad =
            r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:RunCommand","Principal":{"User":["x"]}}]}"#;
        assert_eq!(errors_at(bad, PolicyKind::Trust), vec!["/Statement/0/Principal/User"]);
        assert_eq!(warnings_at(bad, PolicyKind::Trust), vec!["/Statement/0/Action"]);
    }
}
