//! Request statistics: how many calls each action received (tests assert how many calls a workflow made).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Per-action request counters of a running emulator (cheap to clone).
///
/// Every request whose action could be read is counted, whether it succeeded or failed.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    inner: Arc<Mutex<BTreeMap<String, u64>>>,
}

impl Stats {
    pub(crate) fn record(&self, action: &str) {
        let mut map = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        *map.entry(action.to_owned()).or_insert(0) += 1;
    }

    /// Calls of `action` so far.
    pub fn count(&self, action: &str) -> u64 {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).get(action).copied().unwrap_or(0)
    }

    /// Calls of every action so far.
    pub fn total(&self) -> u64 {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).values().sum()
    }

    /// A copy of all counters, by action name.
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Resets every counter to zero.
    pub fn reset(&self) {
        self.inner.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_action() {
        let stats = Stats::default();
        stats.record("RunCommand");
        stats.record("RunCommand");
        stats.record("GetUser");
        assert_eq!(stats.count("RunCommand"), 2);
        assert_eq!(stats.count("Nope"), 0);
        assert_eq!(stats.total(), 3);
        assert_eq!(stats.snapshot().len(), 2);
        stats.reset();
        assert_eq!(stats.total(), 0);
    }
}
