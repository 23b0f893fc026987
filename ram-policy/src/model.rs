//! The typed policy document: [`PolicyDocument`], [`Statement`], [`Effect`], [`OneOrMany`], [`Condition`],
//! [`Principal`].

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

use crate::builder::PolicyBuilder;
use crate::operators::ConditionOperator;

/// A RAM policy document (identity or trust). serde round-trips the wire JSON (`"Version"`, `"Statement"`, ...).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyDocument {
    /// The policy language version; RAM accepts only `"1"`.
    pub version: String,
    /// The statements. A single statement object is accepted on input and written back as a one-element list.
    #[serde(deserialize_with = "one_or_many_statements")]
    pub statement: Vec<Statement>,
}

fn one_or_many_statements<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Statement>, D::Error> {
    Ok(match OneOrMany::<Statement>::deserialize(deserializer)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

/// Why a document could not be read as a policy (structure only; [`crate::validate`] does the full grammar check).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid policy document at line {line}, column {column}: {message}")]
pub struct ParseError {
    /// What was wrong (from the JSON reader; never contains the document itself).
    pub message: String,
    /// 1-based line of the problem (0 when unknown).
    pub line: usize,
    /// 1-based column of the problem (0 when unknown).
    pub column: usize,
}

impl From<serde_json::Error> for ParseError {
    fn from(e: serde_json::Error) -> Self {
        let full = e.to_string();
        // serde_json appends " at line L column C"; keep only the cause.
        let message = match full.rfind(" at line ") {
            Some(i) => full[..i].to_string(),
            None => full,
        };
        ParseError { message, line: e.line(), column: e.column() }
    }
}

impl PolicyDocument {
    /// Parses a document structurally (serde). Use [`crate::validate`] for the full RAM grammar check.
    pub fn parse(json: &str) -> Result<PolicyDocument, ParseError> {
        Ok(serde_json::from_str(json)?)
    }

    /// Compact JSON, as sent to RAM (`CreatePolicy`'s `PolicyDocument`).
    pub fn to_json(&self) -> String {
        // Serializing plain strings, maps and numbers cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Indented JSON for humans.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Starts building a document; see [`PolicyBuilder`].
    pub fn builder() -> PolicyBuilder {
        PolicyBuilder::default()
    }

    /// This document with every scalar-or-list normalised to a sorted, de-duplicated list, so that two documents that
    /// mean the same thing compare equal (statement order is kept: it is reported by the evaluator).
    pub fn normalized(&self) -> PolicyDocument {
        PolicyDocument {
            version: self.version.clone(),
            statement: self.statement.iter().map(Statement::normalized).collect(),
        }
    }

    /// True when both documents mean the same thing: equal after [`PolicyDocument::normalized`].
    pub fn equivalent(&self, other: &PolicyDocument) -> bool {
        self.normalized() == other.normalized()
    }
}

impl FromStr for PolicyDocument {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PolicyDocument::parse(s)
    }
}

impl fmt::Display for PolicyDocument {
    /// Compact JSON.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_json())
    }
}

/// One statement of a policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Statement {
    /// `Allow` or `Deny`.
    pub effect: Effect,
    /// Action patterns (`service:Operation`, `*` and `?` wildcards), exclusive with `not_action`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<OneOrMany>,
    /// Actions the statement does NOT cover (every other action matches).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_action: Option<OneOrMany>,
    /// Resource ARN patterns (`acs:service:region:account:relative-id` or `*`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<OneOrMany>,
    /// Resources the statement does NOT cover (undocumented in RAM; the validator warns).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_resource: Option<OneOrMany>,
    /// Conditions: all must hold for the statement to apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<Condition>,
    /// Who may assume the role (trust policies only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal: Option<Principal>,
    /// Optional statement id (undocumented in RAM; the validator warns).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

impl Statement {
    /// An empty statement with the given effect.
    pub fn new(effect: Effect) -> Self {
        Statement {
            effect,
            action: None,
            not_action: None,
            resource: None,
            not_resource: None,
            condition: None,
            principal: None,
            sid: None,
        }
    }

    /// See [`PolicyDocument::normalized`].
    pub fn normalized(&self) -> Statement {
        let norm = |o: &Option<OneOrMany>| o.as_ref().map(OneOrMany::normalized);
        Statement {
            effect: self.effect,
            action: self.action.as_ref().map(|a| a.normalized_with(|s| s.to_ascii_lowercase())),
            not_action: self.not_action.as_ref().map(|a| a.normalized_with(|s| s.to_ascii_lowercase())),
            resource: norm(&self.resource),
            not_resource: norm(&self.not_resource),
            condition: self.condition.as_ref().map(Condition::normalized),
            principal: self
                .principal
                .as_ref()
                .map(|p| Principal(p.0.iter().map(|(k, v)| (k.clone(), v.normalized())).collect())),
            sid: self.sid.clone(),
        }
    }
}

/// A statement's effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Effect {
    /// Grants the actions.
    Allow,
    /// Denies the actions; a matching Deny always wins.
    Deny,
}

impl fmt::Display for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        })
    }
}

/// A JSON value that may be written either as one scalar or as a list; the form read is the form written back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany<T = String> {
    /// Written as a single value.
    One(T),
    /// Written as a list.
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The values, whatever the form.
    pub fn as_slice(&self) -> &[T] {
        match self {
            OneOrMany::One(v) => std::slice::from_ref(v),
            OneOrMany::Many(v) => v,
        }
    }

    /// Iterates the values.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.as_slice().iter()
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// True when written as an empty list.
    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }
}

impl<T: Clone + Ord> OneOrMany<T> {
    /// Sorted, de-duplicated list form.
    pub fn normalized(&self) -> OneOrMany<T> {
        self.normalized_with(T::clone)
    }

    fn normalized_with(&self, f: impl Fn(&T) -> T) -> OneOrMany<T> {
        let mut v: Vec<T> = self.iter().map(f).collect();
        v.sort();
        v.dedup();
        OneOrMany::Many(v)
    }
}

impl<T> From<Vec<T>> for OneOrMany<T> {
    fn from(v: Vec<T>) -> Self {
        OneOrMany::Many(v)
    }
}

impl From<&str> for OneOrMany<String> {
    fn from(v: &str) -> Self {
        OneOrMany::One(v.to_string())
    }
}

impl<'a, T> IntoIterator for &'a OneOrMany<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// One value in a condition: RAM accepts strings, numbers and booleans.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ConditionValue {
    /// A JSON boolean (`"Bool": {"acs:SecureTransport": true}`).
    Bool(bool),
    /// A JSON number, kept exactly as written.
    Number(NumberText),
    /// A JSON string.
    String(String),
}

impl ConditionValue {
    /// The value as text (`true`, `10`, `user01`), which is how it is compared with the request context.
    pub fn as_text(&self) -> String {
        match self {
            ConditionValue::Bool(b) => b.to_string(),
            ConditionValue::Number(n) => n.0.to_string(),
            ConditionValue::String(s) => s.clone(),
        }
    }
}

impl From<&str> for ConditionValue {
    fn from(v: &str) -> Self {
        ConditionValue::String(v.to_string())
    }
}

impl From<String> for ConditionValue {
    fn from(v: String) -> Self {
        ConditionValue::String(v)
    }
}

impl From<bool> for ConditionValue {
    fn from(v: bool) -> Self {
        ConditionValue::Bool(v)
    }
}

/// A JSON number kept exactly as written (ordered by its text so condition values can be sorted).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NumberText(pub serde_json::Number);

impl PartialOrd for NumberText {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for NumberText {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.to_string().cmp(&other.0.to_string())
    }
}

/// The values given for one condition key.
pub type ConditionValues = OneOrMany<ConditionValue>;

/// A statement's `Condition` block: operator (e.g. `StringEquals`) → condition key (e.g. `ecs:CommandRunAs`) → values.
///
/// Operators are kept as written so unknown ones survive parsing; [`crate::validate`] reports them and
/// [`crate::ConditionOperator::parse`] reads them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Condition(pub BTreeMap<String, BTreeMap<String, ConditionValues>>);

impl Condition {
    /// An empty condition block.
    pub fn new() -> Self {
        Condition::default()
    }

    /// Adds values for `key` under `operator` (appending to values already there).
    pub fn add(
        &mut self,
        operator: impl Into<String>,
        key: impl Into<String>,
        values: impl IntoIterator<Item = ConditionValue>,
    ) {
        let entry = self.0.entry(operator.into()).or_default().entry(key.into());
        let new: Vec<ConditionValue> = values.into_iter().collect();
        match entry {
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(OneOrMany::Many(new));
            }
            std::collections::btree_map::Entry::Occupied(mut o) => {
                let mut all: Vec<ConditionValue> = o.get().iter().cloned().collect();
                all.extend(new);
                o.insert(OneOrMany::Many(all));
            }
        }
    }

    /// Every `(operator, key, values)` entry, with the operator parsed (`None` for an unknown operator).
    pub fn entries(&self) -> impl Iterator<Item = ConditionEntry<'_>> {
        self.0.iter().flat_map(|(op, keys)| {
            let parsed = ConditionOperator::parse(op);
            keys.iter().map(move |(key, values)| ConditionEntry {
                operator: op,
                parsed,
                key,
                values: values.as_slice(),
            })
        })
    }

    /// Every condition key referenced, as written.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.values().flat_map(|m| m.keys().map(String::as_str))
    }

    /// Keys lower-cased (they are case-insensitive) and values sorted; when two keys of one operator differ only in
    /// case they are two conditions (AND'd), so that operator's keys are kept as written instead of merged.
    fn normalized(&self) -> Condition {
        let keys = |m: &BTreeMap<String, ConditionValues>| -> BTreeMap<String, ConditionValues> {
            let lower: BTreeMap<String, ConditionValues> =
                m.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.normalized())).collect();
            if lower.len() == m.len() {
                lower
            } else {
                m.iter().map(|(k, v)| (k.clone(), v.normalized())).collect()
            }
        };
        Condition(self.0.iter().map(|(op, m)| (op.clone(), keys(m))).collect())
    }
}

/// One `operator → key → values` entry of a [`Condition`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConditionEntry<'a> {
    /// The operator as written.
    pub operator: &'a str,
    /// The operator parsed, `None` when unknown.
    pub parsed: Option<ConditionOperator>,
    /// The condition key as written (e.g. `ecs:CommandRunAs`).
    pub key: &'a str,
    /// The values (OR'd).
    pub values: &'a [ConditionValue],
}

/// A trust policy's `Principal`: kind (`RAM`, `Service`, `Federated`) → identities.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Principal(pub BTreeMap<String, OneOrMany>);

impl Principal {
    /// Values listed under `kind` (exact key, e.g. `"Service"`).
    pub fn get(&self, kind: &str) -> &[String] {
        self.0.get(kind).map(OneOrMany::as_slice).unwrap_or(&[])
    }

    /// Cloud services trusted (e.g. `ecs.aliyuncs.com`).
    pub fn services(&self) -> &[String] {
        self.get("Service")
    }

    /// RAM identities trusted (account ids, `acs:ram::<account>:root`, user or role ARNs).
    pub fn ram(&self) -> &[String] {
        self.get("RAM")
    }

    /// Identity providers trusted (`acs:ram::<account>:saml-provider/<name>`).
    pub fn federated(&self) -> &[String] {
        self.get("Federated")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalar_and_list_forms_are_preserved() {
        let json = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:Describe*","Resource":["*"]}]}"#;
        let doc = PolicyDocument::parse(json).unwrap();
        assert_eq!(doc.statement[0].action, Some(OneOrMany::One("ecs:Describe*".into())));
        assert_eq!(doc.statement[0].resource, Some(OneOrMany::Many(vec!["*".into()])));
        let back: serde_json::Value = serde_json::from_str(&doc.to_json()).unwrap();
        let orig: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(back, orig);
    }

    #[test]
    fn condition_values_keep_their_json_type() {
        let json = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*",
            "Condition":{"Bool":{"acs:SecureTransport":true},"NumericLessThan":{"x:n":[1.5,"2"]}}}]}"#;
        let doc = PolicyDocument::parse(json).unwrap();
        let back: serde_json::Value = serde_json::from_str(&doc.to_string()).unwrap();
        let orig: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(back, orig);
    }

    #[test]
    fn condition_entries_are_typed() {
        let doc = PolicyDocument::builder()
            .allow(["ecs:RunCommand"])
            .on(["*"])
            .when(crate::OperatorKind::IpAddress, "acs:SourceIp", ["10.0.0.0/8", "192.168.0.1"])
            .when("StringEqualz", "ecs:CommandRunAs", ["user01"])
            .build();
        let cond = doc.statement[0].condition.as_ref().unwrap();
        let entries: Vec<ConditionEntry<'_>> = cond.entries().collect();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].parsed.map(|o| o.kind), Some(crate::OperatorKind::IpAddress));
        assert_eq!(entries[0].values.len(), 2);
        assert_eq!((entries[1].operator, entries[1].parsed), ("StringEqualz", None));
        assert_eq!(cond.keys().collect::<Vec<_>>(), vec!["acs:SourceIp", "ecs:CommandRunAs"]);
    }

    #[test]
    fn single_statement_object_is_accepted() {
        let doc: PolicyDocument =
            r#"{"Version":"1","Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}"#.parse().unwrap();
        assert_eq!(doc.statement.len(), 1);
        assert_eq!(doc.statement[0].effect, Effect::Deny);
    }

    #[test]
    fn parse_error_has_position_and_no_document_text() {
        let err =
            PolicyDocument::parse("{\"Version\": \"1\",\n \"Statement\": [ {\"Effect\": \"Maybe\"} ]}").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.column > 0);
        assert!(err.to_string().contains("line 2"));
    }

    #[test]
    fn equivalent_keeps_condition_keys_that_differ_only_in_case() {
        // Two spellings of one key are two conditions (AND'd): no request can satisfy both, so this document
        // allows nothing and must not pass for the single-key document.
        let both = PolicyDocument::parse(
            r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:RunCommand","Resource":"*","Condition":
            {"StringEquals":{"ECS:CommandRunAs":"root","ecs:CommandRunAs":["user01","user02"]}}}]}"#,
        )
        .unwrap();
        let one = PolicyDocument::parse(
            r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:RunCommand","Resource":"*","Condition":
            {"StringEquals":{"ecs:CommandRunAs":["user01","user02"]}}}]}"#,
        )
        .unwrap();
        assert!(!both.equivalent(&one));
        assert!(!one.equivalent(&both));
        let spelled = PolicyDocument::parse(
            r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:RunCommand","Resource":"*","Condition":
            {"StringEquals":{"ECS:commandrunas":["user02","user01"]}}}]}"#,
        )
        .unwrap();
        assert!(spelled.equivalent(&one), "one key, spelled differently, is the same key");
    }

    #[test]
    fn equivalent_ignores_form_order_and_action_case() {
        let a = PolicyDocument::parse(
            r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ecs:RunCommand","ecs:InvokeCommand"],"Resource":"*"}]}"#,
        )
        .unwrap();
        let b = PolicyDocument::parse(
            r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":["ecs:invokecommand","ecs:RunCommand"],"Resource":["*"]}]}"#,
        )
        .unwrap();
        assert!(a.equivalent(&b));
        assert_ne!(a, b);
    }
}
