//! Request statistics: how many calls each action received (tests assert how many calls a workflow made).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// At most this many distinct action names are counted separately.
pub const MAX_DISTINCT_ACTIONS: usize = 4096;
/// Action names longer than this are not counted separately.
pub const MAX_ACTION_LEN: usize = 128;
/// The counter of calls whose action name is too long, or arrived after [`MAX_DISTINCT_ACTIONS`] names were seen.
pub const OTHER: &str = "(other)";

/// Per-action request counters of a running emulator (cheap to clone).
///
/// Every request whose action could be read is counted, whether it succeeded or failed. Operations of the
/// catalog always have their own counter; other names longer than [`MAX_ACTION_LEN`], and new ones once
/// [`MAX_DISTINCT_ACTIONS`] names are known, are counted under [`OTHER`].
#[derive(Clone, Debug, Default)]
pub struct Stats {
    inner: Arc<Mutex<BTreeMap<String, u64>>>,
}

impl Stats {
    pub(crate) fn record(&self, action: &str) {
        let mut map = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        // Actions are read before authentication: bound what an anonymous sender of made-up names can make us keep.
        // Operations the emulator knows always keep their own counter.
        let separate = map.contains_key(action)
            || crate::catalog::is_known_action(action)
            || (action.len() <= MAX_ACTION_LEN && map.len() < MAX_DISTINCT_ACTIONS);
        let key = if separate { action } else { OTHER };
        match map.get_mut(key) {
            Some(n) => *n += 1,
            None => {
                map.insert(key.to_owned(), 1);
            }
        }
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

    #[test]
    fn hostile_action_names_cannot_grow_the_counters_without_bound() {
        // Actions are counted before authentication, so anyone can send any name.
        let stats = Stats::default();
        for n in 0..10_000 {
            stats.record(&format!("Bogus{n}"));
        }
        stats.record(&"A".repeat(1 << 20));
        stats.record("RunCommand");
        let snapshot = stats.snapshot();
        // The made-up names, then OTHER, and the known operation (which always keeps its own counter).
        assert_eq!(snapshot.len(), MAX_DISTINCT_ACTIONS + 2, "distinct counters");
        assert_eq!(stats.count(OTHER), 10_000 - MAX_DISTINCT_ACTIONS as u64 + 1);
        assert!(snapshot.keys().all(|k| k.len() <= MAX_ACTION_LEN.max(OTHER.len())));
        assert_eq!(stats.total(), 10_002, "every call is still counted");
        assert_eq!(stats.count("RunCommand"), 1);
        assert_eq!(stats.count("Bogus0"), 1);
    }
}
