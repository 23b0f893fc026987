//! Fault injection for resilience tests: chosen actions answer `Throttling`, `ServiceUnavailable` (or any code)
//! at a given rate, or exactly on their Nth call.
//!
//! Decisions come from one splitmix64 stream seeded by `fault_seed`, consumed in arrival order, so a sequential
//! client sees the same failures on every run. Rules live in the seed (`"faults": [...]`), on the command line
//! (`--fault CreateUser=Throttling@0.5`, `--fault CreateUser=ServiceUnavailable#2`, `--fault-seed 7`) or are added
//! at run time through [`Faults`] (e.g. [`Faults::fail_nth`] to interrupt a workflow at every step in turn).
//!
//! A rule may also ask the client to wait: with `,retry-after=N` on the command line
//! (`--fault CreateUser=Throttling#1,retry-after=1`), `"retry_after": N` in the seed or
//! [`FaultRule::with_retry_after`], its error carries the response header `x-acs-retry-after: N` (seconds), as the
//! real services mark throttling. Without it no such header is sent.
//!
//! Faults apply to authenticated calls only (after signature checks), before the handler runs: a failed call
//! changes nothing.

use crate::error::ApiError;
use crate::ids::SplitMix64;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex, MutexGuard};

/// One fault rule. In a seed, a field it does not have is an error naming it (a misspelt `nth` would otherwise make
/// the rule fail every call).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultRule {
    /// The action it applies to (`*` = every action).
    pub action: String,
    /// The error code to answer, e.g. `Throttling` (HTTP 400) or `ServiceUnavailable` (HTTP 503).
    pub code: String,
    /// Probability per call in `[0, 1]` (default 1). Ignored when `nth` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<f64>,
    /// Fail only the Nth matching call (1-based, counted from when the rule was installed), once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nth: Option<u64>,
    /// Seconds to announce in the `x-acs-retry-after` response header (none by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl FaultRule {
    /// A rule failing `action` with `code` at `rate`.
    pub fn rate(action: impl Into<String>, code: impl Into<String>, rate: f64) -> FaultRule {
        FaultRule { action: action.into(), code: code.into(), rate: Some(rate), nth: None, retry_after: None }
    }

    /// A rule failing only the `n`th call (1-based) of `action` with `code`.
    pub fn nth(action: impl Into<String>, code: impl Into<String>, n: u64) -> FaultRule {
        FaultRule { action: action.into(), code: code.into(), rate: None, nth: Some(n), retry_after: None }
    }

    /// Announces `seconds` in the `x-acs-retry-after` header of the errors this rule injects.
    pub fn with_retry_after(mut self, seconds: u64) -> FaultRule {
        self.retry_after = Some(seconds);
        self
    }

    /// Parses the command-line form `Action=Code@rate` or `Action=Code#n` (`Action=Code` means rate 1), optionally
    /// followed by `,retry-after=SECONDS`.
    pub fn parse(spec: &str) -> Result<FaultRule, String> {
        let (action, rest) = spec
            .split_once('=')
            .ok_or_else(|| format!("fault {spec:?}: expected Action=Code[@rate|#n][,retry-after=SECONDS]"))?;
        let (rest, options) = match rest.split_once(',') {
            Some((rest, options)) => (rest, Some(options)),
            None => (rest, None),
        };
        let mut rule = if let Some((code, rate)) = rest.split_once('@') {
            let rate: f64 = rate.parse().map_err(|_| format!("fault {spec:?}: rate {rate:?} is not a number"))?;
            FaultRule::rate(action, code, rate)
        } else if let Some((code, n)) = rest.split_once('#') {
            let n: u64 = n.parse().map_err(|_| format!("fault {spec:?}: call number {n:?} is not an integer"))?;
            FaultRule::nth(action, code, n)
        } else {
            FaultRule::rate(action, rest, 1.0)
        };
        for option in options.into_iter().flat_map(|o| o.split(',')) {
            match option.split_once('=') {
                Some(("retry-after", secs)) => {
                    let secs: u64 = secs.parse().map_err(|_| {
                        format!("fault {spec:?}: retry-after {secs:?} is not a whole number of seconds")
                    })?;
                    rule.retry_after = Some(secs);
                }
                _ => return Err(format!("fault {spec:?}: unknown option {option:?} (expected retry-after=SECONDS)")),
            }
        }
        rule.check()?;
        Ok(rule)
    }

    /// Checks the rule's values.
    pub fn check(&self) -> Result<(), String> {
        if self.action.is_empty() || self.code.is_empty() {
            return Err("a fault rule needs an action and a code".into());
        }
        if let Some(rate) = self.rate {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("fault rate {rate} for {} is outside [0, 1]", self.action));
            }
        }
        if self.nth == Some(0) {
            return Err(format!("fault call number for {} is 1-based", self.action));
        }
        Ok(())
    }

    fn matches(&self, action: &str) -> bool {
        self.action == "*" || self.action.eq_ignore_ascii_case(action)
    }
}

/// The HTTP status a fault code is answered with.
pub fn status_for(code: &str) -> u16 {
    match code {
        "ServiceUnavailable" => 503,
        "InternalError" | "InternalFailure" => 500,
        _ => 400,
    }
}

#[derive(Debug)]
struct ActiveRule {
    rule: FaultRule,
    seen: u64,
    spent: bool,
}

#[derive(Debug)]
struct Injector {
    rules: Vec<ActiveRule>,
    rng: SplitMix64,
    injected: u64,
}

/// The live fault rules of a running emulator (cheap to clone; shared with the server).
#[derive(Clone, Debug)]
pub struct Faults {
    inner: Arc<Mutex<Injector>>,
}

impl Faults {
    /// Rules and PRNG seed.
    pub fn new(rules: Vec<FaultRule>, seed: u64) -> Faults {
        let rules = rules.into_iter().map(|rule| ActiveRule { rule, seen: 0, spent: false }).collect();
        Faults { inner: Arc::new(Mutex::new(Injector { rules, rng: SplitMix64::new(seed), injected: 0 })) }
    }

    fn lock(&self) -> MutexGuard<'_, Injector> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Installs a rule.
    pub fn add(&self, rule: FaultRule) {
        self.lock().rules.push(ActiveRule { rule, seen: 0, spent: false });
    }

    /// Fails the `n`th call (1-based, from now) of `action` (`*` = any action) with `code`.
    pub fn fail_nth(&self, action: &str, n: u64, code: &str) {
        self.add(FaultRule::nth(action, code, n.max(1)));
    }

    /// Fails the next call of `action` with `code`.
    pub fn fail_once(&self, action: &str, code: &str) {
        self.fail_nth(action, 1, code);
    }

    /// Removes every rule (the PRNG keeps its position).
    pub fn clear(&self) {
        self.lock().rules.clear();
    }

    /// How many faults were injected so far.
    pub fn injected(&self) -> u64 {
        self.lock().injected
    }

    /// Decides whether this call of `action` fails; the first matching rule that fires wins.
    pub fn decide(&self, action: &str) -> Option<ApiError> {
        let mut guard = self.lock();
        let inj = &mut *guard;
        let mut fired = None;
        for active in inj.rules.iter_mut().filter(|a| !a.spent && a.rule.matches(action)) {
            active.seen += 1;
            if fired.is_some() {
                continue;
            }
            let fire = match active.rule.nth {
                Some(n) => {
                    if active.seen == n {
                        active.spent = true;
                    }
                    active.seen == n
                }
                None => {
                    let rate = active.rule.rate.unwrap_or(1.0);
                    rate >= 1.0 || (rate > 0.0 && inj.rng.next_f64() < rate)
                }
            };
            if fire {
                fired = Some((active.rule.code.clone(), active.rule.retry_after));
            }
        }
        inj.rules.retain(|a| !a.spent);
        let (code, retry_after) = fired?;
        inj.injected += 1;
        let message = match code.as_str() {
            c if c.starts_with("Throttling") => "Request was denied due to request throttling.".to_owned(),
            "ServiceUnavailable" => "The request has failed due to a temporary failure of the server.".to_owned(),
            _ => format!("Injected fault for {action}."),
        };
        Some(ApiError { retry_after, ..ApiError::new(status_for(&code), code, message) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(seed: u64) -> Vec<bool> {
        let faults = Faults::new(vec![FaultRule::rate("CreateUser", "Throttling", 0.5)], seed);
        (0..64).map(|_| faults.decide("CreateUser").is_some()).collect()
    }

    #[test]
    fn rate_faults_are_deterministic_per_seed() {
        assert_eq!(pattern(7), pattern(7));
        assert_ne!(pattern(7), pattern(8));
        let hits = pattern(7).iter().filter(|b| **b).count();
        assert!((10..=54).contains(&hits), "rate 0.5 gave {hits}/64");
    }

    #[test]
    fn nth_rule_fires_exactly_once_on_that_call() {
        let faults = Faults::new(Vec::new(), 0);
        faults.fail_nth("GetUser", 3, "ServiceUnavailable");
        let outcomes: Vec<Option<u16>> = (0..5).map(|_| faults.decide("GetUser").map(|e| e.status)).collect();
        assert_eq!(outcomes, vec![None, None, Some(503), None, None]);
        assert!(faults.decide("ListUsers").is_none());
        assert_eq!(faults.injected(), 1);
    }

    #[test]
    fn cli_specs_parse() {
        assert_eq!(
            FaultRule::parse("CreateUser=Throttling@0.25"),
            Ok(FaultRule::rate("CreateUser", "Throttling", 0.25))
        );
        assert_eq!(FaultRule::parse("*=ServiceUnavailable#4"), Ok(FaultRule::nth("*", "ServiceUnavailable", 4)));
        assert!(FaultRule::parse("CreateUser").is_err());
        assert!(FaultRule::parse("CreateUser=Throttling@2").is_err());
        assert_eq!(status_for("Throttling"), 400);
    }

    #[test]
    fn retry_after_is_an_opt_in_option() {
        assert_eq!(
            FaultRule::parse("CreateUser=Throttling#1,retry-after=1"),
            Ok(FaultRule::nth("CreateUser", "Throttling", 1).with_retry_after(1))
        );
        assert_eq!(
            FaultRule::parse("*=Throttling@0.5,retry-after=30"),
            Ok(FaultRule::rate("*", "Throttling", 0.5).with_retry_after(30))
        );
        assert_eq!(
            FaultRule::parse("ListUsers=Throttling.User,retry-after=2"),
            Ok(FaultRule::rate("ListUsers", "Throttling.User", 1.0).with_retry_after(2))
        );
        assert_eq!(FaultRule::parse("CreateUser=Throttling#1").map(|r| r.retry_after), Ok(None));
        for bad in ["CreateUser=Throttling#1,retry-after=soon", "CreateUser=Throttling#1,wait=1", "A=Throttling,"] {
            let err = FaultRule::parse(bad).err().unwrap_or_default();
            assert!(err.contains(bad), "{bad}: {err}");
        }
        let faults = Faults::new(
            vec![FaultRule::parse("GetUser=Throttling#2,retry-after=7").unwrap_or_else(|e| panic!("{e}"))],
            0,
        );
        assert_eq!(faults.decide("GetUser"), None);
        assert_eq!(faults.decide("GetUser").and_then(|e| e.retry_after), Some(7));
        let plain = Faults::new(vec![FaultRule::nth("GetUser", "Throttling", 1)], 0);
        assert_eq!(plain.decide("GetUser").map(|e| e.retry_after), Some(None));
        let from_seed: FaultRule = serde_json::from_str(r#"{"action":"GetUser","code":"Throttling","retry_after":3}"#)
            .unwrap_or_else(|e| panic!("{e}"));
        let expected = FaultRule { rate: None, ..FaultRule::nth("GetUser", "Throttling", 1) };
        assert_eq!(from_seed, FaultRule { nth: None, ..expected.with_retry_after(3) });
    }
}
