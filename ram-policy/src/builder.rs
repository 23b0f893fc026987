//! [`PolicyBuilder`]: fluent construction of identity and trust policies.

use std::collections::BTreeMap;

use crate::model::{Condition, ConditionValue, Effect, OneOrMany, PolicyDocument, Principal, Statement};

/// Builds a [`PolicyDocument`] statement by statement.
///
/// `.allow(..)`, `.allow_not(..)`, `.deny(..)` and `.deny_not(..)` start a new statement; the other methods refine the
/// statement most recently started (if none was started, they start an `Allow` statement with no action, which
/// [`crate::validate`] will then report). Lists are always written in list form.
///
/// ```
/// use ram_policy::PolicyDocument;
/// let doc = PolicyDocument::builder()
///     .allow(["ecs:RunCommand", "ecs:InvokeCommand"])
///     .on(["acs:ecs:*:*:instance/*", "acs:ecs:*:*:command/*"])
///     .when_string_equals("ecs:CommandRunAs", ["user01"])
///     .build();
/// assert_eq!(doc.statement.len(), 1);
/// ```
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct PolicyBuilder {
    statements: Vec<Statement>,
}

fn strings<I, S>(items: I) -> OneOrMany
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    OneOrMany::Many(items.into_iter().map(Into::into).collect())
}

impl PolicyBuilder {
    fn start(mut self, effect: Effect, action: Option<OneOrMany>, not_action: Option<OneOrMany>) -> Self {
        let mut s = Statement::new(effect);
        s.action = action;
        s.not_action = not_action;
        self.statements.push(s);
        self
    }

    fn current(&mut self) -> &mut Statement {
        if self.statements.is_empty() {
            self.statements.push(Statement::new(Effect::Allow));
        }
        let last = self.statements.len() - 1;
        &mut self.statements[last]
    }

    /// Starts an `Allow` statement for these actions.
    pub fn allow<I, S>(self, actions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.start(Effect::Allow, Some(strings(actions)), None)
    }

    /// Starts a `Deny` statement for these actions.
    pub fn deny<I, S>(self, actions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.start(Effect::Deny, Some(strings(actions)), None)
    }

    /// Starts an `Allow` statement for every action except these (`NotAction`).
    pub fn allow_not<I, S>(self, actions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.start(Effect::Allow, None, Some(strings(actions)))
    }

    /// Starts a `Deny` statement for every action except these (`NotAction`).
    pub fn deny_not<I, S>(self, actions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.start(Effect::Deny, None, Some(strings(actions)))
    }

    /// Sets the current statement's resources (`Resource`).
    pub fn on<I, S>(mut self, resources: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.current().resource = Some(strings(resources));
        self
    }

    /// Sets the current statement's `Sid`.
    pub fn sid(mut self, sid: impl Into<String>) -> Self {
        self.current().sid = Some(sid.into());
        self
    }

    /// Adds a condition `{operator: {key: [values]}}` to the current statement (values for the same operator and
    /// key are appended).
    pub fn when<I, V>(mut self, operator: impl Into<String>, key: impl Into<String>, values: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: Into<ConditionValue>,
    {
        let cond = self.current().condition.get_or_insert_with(Condition::new);
        cond.add(operator, key, values.into_iter().map(Into::into));
        self
    }

    /// `StringEquals` (case-sensitive) on `key`.
    pub fn when_string_equals<I, V>(self, key: impl Into<String>, values: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: Into<ConditionValue>,
    {
        self.when("StringEquals", key, values)
    }

    /// `StringNotEqualsIgnoreCase` on `key`.
    pub fn when_string_not_equals_ignore_case<I, V>(self, key: impl Into<String>, values: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: Into<ConditionValue>,
    {
        self.when("StringNotEqualsIgnoreCase", key, values)
    }

    /// Adds trusted services (`Principal.Service`) to the current statement, for trust policies.
    pub fn principal_service<I, S>(self, services: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.principal("Service", services)
    }

    /// Adds trusted RAM identities (`Principal.RAM`: account ids, `acs:ram::<account>:root`, ARNs).
    pub fn principal_ram<I, S>(self, identities: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.principal("RAM", identities)
    }

    fn principal<I, S>(mut self, kind: &str, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let p = self.current().principal.get_or_insert_with(|| Principal(BTreeMap::new()));
        let entry = p.0.entry(kind.to_string()).or_insert_with(|| OneOrMany::Many(Vec::new()));
        let mut all: Vec<String> = entry.iter().cloned().collect();
        all.extend(values.into_iter().map(Into::into));
        *entry = OneOrMany::Many(all);
        self
    }

    /// Finishes the document (`Version` `"1"`).
    pub fn build(self) -> PolicyDocument {
        PolicyDocument { version: "1".to_string(), statement: self.statements }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_documented_shape() {
        let doc = PolicyDocument::builder()
            .allow(["ecs:RunCommand"])
            .on(["*"])
            .when_string_equals("ecs:CommandRunAs", ["user01"])
            .when_string_equals("ecs:CommandRunAs", ["user02"])
            .deny(["ecs:DeleteCommand"])
            .on(["*"])
            .build();
        let json: serde_json::Value = serde_json::from_str(&doc.to_json()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"Version": "1", "Statement": [
                {"Effect": "Allow", "Action": ["ecs:RunCommand"], "Resource": ["*"],
                 "Condition": {"StringEquals": {"ecs:CommandRunAs": ["user01", "user02"]}}},
                {"Effect": "Deny", "Action": ["ecs:DeleteCommand"], "Resource": ["*"]}
            ]})
        );
    }

    #[test]
    fn trust_policy_shape() {
        let doc = PolicyDocument::builder().allow(["sts:AssumeRole"]).principal_service(["ecs.aliyuncs.com"]).build();
        let json: serde_json::Value = serde_json::from_str(&doc.to_json()).unwrap();
        assert_eq!(json["Statement"][0]["Principal"], serde_json::json!({"Service": ["ecs.aliyuncs.com"]}));
    }

    #[test]
    fn refining_without_a_statement_starts_an_empty_allow() {
        let doc = PolicyDocument::builder().on(["*"]).build();
        assert_eq!(doc.statement.len(), 1);
        assert!(doc.statement[0].action.is_none());
    }
}
