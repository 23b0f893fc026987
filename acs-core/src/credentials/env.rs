//! The process environment, injectable for tests.

use std::collections::HashMap;
use std::path::PathBuf;

/// Environment variables and the home directory, as providers see them.
pub trait Env: Send + Sync + std::fmt::Debug {
    /// The value of variable `key`, if set.
    fn var(&self, key: &str) -> Option<String>;
    /// The user's home directory (`HOME`, or `USERPROFILE` on Windows).
    fn home_dir(&self) -> Option<PathBuf> {
        self.var("HOME").or_else(|| self.var("USERPROFILE")).filter(|h| !h.is_empty()).map(PathBuf::from)
    }
    /// The value of `key` when set and non-empty.
    fn non_empty(&self, key: &str) -> Option<String> {
        self.var(key).filter(|v| !v.trim().is_empty())
    }
    /// Whether `key` is `true` (any case).
    fn flag(&self, key: &str) -> bool {
        self.var(key).is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    }
}

/// The real process environment.
#[derive(Clone, Copy, Debug, Default)]
pub struct OsEnv;

impl Env for OsEnv {
    fn var(&self, key: &str) -> Option<String> {
        std::env::var(key).ok()
    }
}

/// A fixed map of variables, for tests and for embedding.
#[derive(Clone, Default)]
pub struct MapEnv {
    vars: HashMap<String, String>,
}

impl MapEnv {
    /// An empty environment.
    pub fn new() -> Self {
        MapEnv::default()
    }

    /// The same environment with `key=value`.
    pub fn with(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.vars.insert(key.into(), value.into());
        self
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for MapEnv {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        MapEnv { vars: iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect() }
    }
}

impl std::fmt::Debug for MapEnv {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Values may be secrets: show names only.
        let mut keys: Vec<&String> = self.vars.keys().collect();
        keys.sort();
        f.debug_struct("MapEnv").field("keys", &keys).finish()
    }
}

impl Env for MapEnv {
    fn var(&self, key: &str) -> Option<String> {
        self.vars.get(key).cloned()
    }
}
