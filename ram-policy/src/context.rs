//! Evaluation input: [`Context`] (condition keys → values) and [`Request`] (action, resource, context).

use std::collections::BTreeMap;

/// The request context: condition key → values. Keys are case-insensitive (`ecs:CommandRunAs` and
/// `ECS:commandrunas` are the same key); a key may carry several values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context(BTreeMap<String, (String, Vec<String>)>);

impl Context {
    /// An empty context.
    pub fn new() -> Self {
        Context::default()
    }

    /// Adds a value for `key` (keeping values already there) and returns the context.
    pub fn with(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.insert(key, value);
        self
    }

    /// Adds a value for `key`, keeping values already there.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<String>) {
        let key = key.into();
        self.0.entry(key.to_ascii_lowercase()).or_insert_with(|| (key, Vec::new())).1.push(value.into());
    }

    /// The values of `key` (case-insensitive), if any were supplied.
    pub fn get(&self, key: &str) -> Option<&[String]> {
        self.0.get(&key.to_ascii_lowercase()).map(|(_, v)| v.as_slice())
    }

    /// True when `key` has at least one value.
    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some_and(|v| !v.is_empty())
    }

    /// Every key (as first written) with its values.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.0.values().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// Number of distinct keys.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when no key was supplied.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One request to evaluate: an action (`ecs:RunCommand`), a resource ARN and the context.
#[derive(Clone, Debug)]
pub struct Request {
    /// The action, `service:Operation` (compared case-insensitively).
    pub action: String,
    /// The resource ARN, e.g. `acs:ecs:cn-hangzhou:1234567890123456:instance/i-abc`.
    pub resource: String,
    /// Condition keys and values.
    pub context: Context,
}

impl Request {
    /// A request with an empty context.
    pub fn new(action: impl Into<String>, resource: impl Into<String>) -> Self {
        Request { action: action.into(), resource: resource.into(), context: Context::new() }
    }

    /// Replaces the context.
    pub fn with_context(mut self, context: Context) -> Self {
        self.context = context;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_case_insensitive_and_multi_valued() {
        let c = Context::new().with("ecs:CommandRunAs", "user01").with("ECS:commandrunas", "user02");
        assert_eq!(c.get("Ecs:CommandRunAs"), Some(&["user01".to_string(), "user02".to_string()][..]));
        assert_eq!(c.len(), 1);
        assert_eq!(c.iter().next().map(|(k, _)| k), Some("ecs:CommandRunAs"));
        assert!(c.get("acs:SourceIp").is_none());
    }
}
