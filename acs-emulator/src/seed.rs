//! The seed: the account, its root keys, regions and ECS instances the emulator starts with.
//!
//! The JSON format is the one of `emulator-seed.example.json` (bundled as [`Seed::demo`]), plus optional
//! `faults`/`fault_seed` (see [`crate::faults`]) and an optional `ram_role` per instance. A field the format does not
//! have is an error naming it (a misspelt `cloud_assistant` would otherwise be silently ignored), and `os` must be
//! `Linux` or `Windows`.

use crate::faults::FaultRule;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize, Serializer};

const DEMO_SEED: &str = include_str!("../data/demo-seed.json");

/// Why a seed could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The file could not be read.
    #[error("cannot read seed file {path}: {source}")]
    Io {
        /// The path that was read.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The JSON does not have the seed's shape.
    #[error("invalid seed JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The seed parsed but is inconsistent (e.g. no root key, an instance in an unknown region).
    #[error("invalid seed: {0}")]
    Invalid(String),
}

fn expose<S: Serializer>(secret: &SecretString, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(secret.expose_secret())
}

fn expose_opt<S: Serializer>(secret: &Option<SecretString>, s: S) -> Result<S::Ok, S::Error> {
    match secret {
        Some(v) => s.serialize_some(v.expose_secret()),
        None => s.serialize_none(),
    }
}

/// A whole emulated account.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seed {
    /// The 16-digit account (root) id.
    pub account_id: String,
    /// AccessKeys of the account root (always allowed everything).
    pub root_access_keys: Vec<SeedAccessKey>,
    /// Region ids the account uses (ECS/OOS/KMS are regional).
    pub regions: Vec<String>,
    /// ECS instances.
    #[serde(default)]
    pub instances: Vec<SeedInstance>,
    /// Fault injection rules (see [`crate::faults`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<FaultRule>,
    /// Seed of the fault-injection PRNG (default 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fault_seed: Option<u64>,
}

/// An AccessKey pair of the account root.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedAccessKey {
    /// AccessKey ID.
    pub id: String,
    /// AccessKey secret (redacted in `Debug`).
    #[serde(serialize_with = "expose")]
    pub secret: SecretString,
}

/// One ECS instance.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedInstance {
    /// Instance id, e.g. `i-emu-linux-0001`.
    pub id: String,
    /// Region id.
    pub region: String,
    /// Instance name.
    #[serde(default)]
    pub name: String,
    /// `Linux` or `Windows`.
    pub os: String,
    /// `Running`, `Stopped`, ...
    #[serde(default = "default_status")]
    pub status: String,
    /// Whether the Cloud Assistant agent is installed and running.
    #[serde(default = "default_true")]
    pub cloud_assistant: bool,
    /// OS users that exist on the instance.
    #[serde(default)]
    pub users: Vec<SeedOsUser>,
    /// Instance RAM role attached from the start (the role must then be created before use).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ram_role: Option<String>,
}

/// An OS user of an instance.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedOsUser {
    /// User name, e.g. `user01`.
    pub name: String,
    /// Windows logon password (redacted in `Debug`).
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "expose_opt")]
    pub password: Option<SecretString>,
}

fn default_status() -> String {
    "Running".to_owned()
}

fn default_true() -> bool {
    true
}

impl Seed {
    /// The built-in demo seed (equal to the shared `emulator-seed.example.json`).
    pub fn demo() -> Seed {
        // The bundled file is checked by a unit test; fall back to an equivalent hand-built seed regardless.
        Seed::from_json(DEMO_SEED).unwrap_or_else(|_| {
            Seed::new("1234567890123456")
                .root_key("LTAIEmulatorRootKey0001", "EmulatorRootSecret000000000001")
                .region("cn-hangzhou")
                .region("cn-shanghai")
                .instance(
                    SeedInstance::linux("i-emu-linux-0001", "cn-hangzhou")
                        .named("demo-linux")
                        .users(["user01", "user02"]),
                )
                .instance(
                    SeedInstance::windows("i-emu-windows-0001", "cn-hangzhou")
                        .named("demo-windows")
                        .user_with_password("user01", "Emu-Passw0rd-user01"),
                )
        })
    }

    /// Parses and checks a seed.
    pub fn from_json(json: &str) -> Result<Seed, SeedError> {
        let seed: Seed = serde_json::from_str(json)?;
        seed.check()?;
        Ok(seed)
    }

    /// Reads, parses and checks a seed file.
    pub fn from_file(path: impl AsRef<std::path::Path>) -> Result<Seed, SeedError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|source| SeedError::Io { path: path.display().to_string(), source })?;
        Seed::from_json(&text)
    }

    /// The seed as JSON (secrets included: this is a test fixture format).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Consistency checks: at least one root key, unique instance ids, instances in declared regions, `os` `Linux` or
    /// `Windows` (in any case).
    pub fn check(&self) -> Result<(), SeedError> {
        if self.account_id.is_empty() || !self.account_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SeedError::Invalid(format!("account_id must be digits, got {:?}", self.account_id)));
        }
        if self.root_access_keys.is_empty() {
            return Err(SeedError::Invalid("root_access_keys is empty".into()));
        }
        let mut seen = std::collections::BTreeSet::new();
        for i in &self.instances {
            if !seen.insert(i.id.as_str()) {
                return Err(SeedError::Invalid(format!("instance {} appears twice", i.id)));
            }
            if !self.regions.iter().any(|r| r == &i.region) {
                return Err(SeedError::Invalid(format!("instance {} is in undeclared region {}", i.id, i.region)));
            }
            if !["linux", "windows"].iter().any(|os| i.os.eq_ignore_ascii_case(os)) {
                return Err(SeedError::Invalid(format!(
                    "instance {} has os {:?}; expected \"Linux\" or \"Windows\"",
                    i.id, i.os
                )));
            }
        }
        for f in &self.faults {
            f.check().map_err(SeedError::Invalid)?;
        }
        Ok(())
    }

    /// An empty seed for `account_id` (add keys, regions and instances with the builder methods).
    pub fn new(account_id: impl Into<String>) -> Seed {
        Seed {
            account_id: account_id.into(),
            root_access_keys: Vec::new(),
            regions: Vec::new(),
            instances: Vec::new(),
            faults: Vec::new(),
            fault_seed: None,
        }
    }

    /// Adds a root AccessKey.
    pub fn root_key(mut self, id: impl Into<String>, secret: impl Into<String>) -> Seed {
        self.root_access_keys.push(SeedAccessKey { id: id.into(), secret: SecretString::from(secret.into()) });
        self
    }

    /// Adds a region (ignored when already present).
    pub fn region(mut self, region: impl Into<String>) -> Seed {
        let region = region.into();
        if !self.regions.contains(&region) {
            self.regions.push(region);
        }
        self
    }

    /// Adds an instance (its region is added too).
    pub fn instance(mut self, instance: SeedInstance) -> Seed {
        self = self.region(instance.region.clone());
        self.instances.push(instance);
        self
    }

    /// Adds `count` running Linux instances `i-emu-bench-000001`… with users `root`, `user01`, `user02`
    /// (handy for benchmarks).
    pub fn many_linux_instances(mut self, region: &str, count: usize) -> Seed {
        for n in 1..=count {
            self =
                self.instance(SeedInstance::linux(format!("i-emu-bench-{n:06}"), region).users(["user01", "user02"]));
        }
        self
    }

    /// Adds a fault rule.
    pub fn fault(mut self, rule: FaultRule) -> Seed {
        self.faults.push(rule);
        self
    }

    /// Sets the fault PRNG seed.
    pub fn fault_seed(mut self, seed: u64) -> Seed {
        self.fault_seed = Some(seed);
        self
    }
}

impl SeedInstance {
    fn base(id: String, region: &str, os: &str, admin: &str) -> SeedInstance {
        SeedInstance {
            name: id.clone(),
            id,
            region: region.to_owned(),
            os: os.to_owned(),
            status: default_status(),
            cloud_assistant: true,
            users: vec![SeedOsUser { name: admin.to_owned(), password: None }],
            ram_role: None,
        }
    }

    /// A running Linux instance with the Cloud Assistant agent and the OS user `root`.
    pub fn linux(id: impl Into<String>, region: &str) -> SeedInstance {
        Self::base(id.into(), region, "Linux", "root")
    }

    /// A running Windows instance with the Cloud Assistant agent and the OS user `System`.
    pub fn windows(id: impl Into<String>, region: &str) -> SeedInstance {
        Self::base(id.into(), region, "Windows", "System")
    }

    /// Sets the name.
    pub fn named(mut self, name: impl Into<String>) -> SeedInstance {
        self.name = name.into();
        self
    }

    /// Sets the status (`Running`, `Stopped`, ...).
    pub fn status(mut self, status: impl Into<String>) -> SeedInstance {
        self.status = status.into();
        self
    }

    /// Sets whether the Cloud Assistant agent runs.
    pub fn cloud_assistant(mut self, running: bool) -> SeedInstance {
        self.cloud_assistant = running;
        self
    }

    /// Adds OS users without passwords.
    pub fn users<I, S>(mut self, names: I) -> SeedInstance
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.users.extend(names.into_iter().map(|n| SeedOsUser { name: n.into(), password: None }));
        self
    }

    /// Adds an OS user with a (Windows) password.
    pub fn user_with_password(mut self, name: impl Into<String>, password: impl Into<String>) -> SeedInstance {
        self.users.push(SeedOsUser { name: name.into(), password: Some(SecretString::from(password.into())) });
        self
    }

    /// Attaches an instance RAM role from the start.
    pub fn ram_role(mut self, role: impl Into<String>) -> SeedInstance {
        self.ram_role = Some(role.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_demo_seed_parses_and_matches_the_builder() {
        let parsed = Seed::from_json(DEMO_SEED).map_err(|e| e.to_string());
        assert!(parsed.is_ok(), "{parsed:?}");
        let demo = Seed::demo();
        assert_eq!(demo.account_id, "1234567890123456");
        assert_eq!(demo.instances.len(), 2);
        assert_eq!(demo.instances[1].os, "Windows");
        assert!(demo.instances[1].users.iter().any(|u| u.password.is_some()));
    }

    #[test]
    fn seed_round_trips_and_debug_redacts_secrets() {
        let seed = Seed::new("1111222233334444").root_key("AK", "very-secret").many_linux_instances("cn-beijing", 3);
        let again = Seed::from_json(&seed.to_json()).map_err(|e| e.to_string());
        assert!(again.is_ok(), "{again:?}");
        let again = again.unwrap_or_else(|_| Seed::demo());
        assert_eq!(again.instances.len(), 3);
        assert_eq!(again.root_access_keys[0].secret.expose_secret(), "very-secret");
        assert!(!format!("{seed:?}").contains("very-secret"));
    }

    #[test]
    fn inconsistent_seeds_are_rejected() {
        let mut seed = Seed::new("1111222233334444").root_key("AK", "s");
        seed.instances.push(SeedInstance::linux("i-1", "nowhere"));
        assert!(matches!(seed.check(), Err(SeedError::Invalid(m)) if m.contains("nowhere")));
        assert!(Seed::new("1").check().is_err());
        assert!(Seed::from_json("{}").is_err());
    }

    #[test]
    fn the_shared_example_seed_keeps_every_field_it_sets() {
        // The shared example's fields, with values that differ from the defaults so that a dropped field shows.
        let json = r#"{
          "account_id": "1111222233334444",
          "root_access_keys": [ { "id": "LTAIk", "secret": "s3cret" } ],
          "regions": ["cn-beijing"],
          "instances": [ {
            "id": "i-1", "region": "cn-beijing", "name": "box", "os": "Windows", "status": "Stopped",
            "cloud_assistant": false, "users": [ { "name": "System" }, { "name": "user02", "password": "pw" } ]
          } ]
        }"#;
        let seed = Seed::from_json(json).map_err(|e| e.to_string());
        assert!(seed.is_ok(), "{seed:?}");
        let seed = seed.unwrap_or_else(|_| Seed::demo());
        assert_eq!(
            (seed.account_id.as_str(), seed.regions.as_slice()),
            ("1111222233334444", &["cn-beijing".to_owned()][..])
        );
        assert_eq!(seed.root_access_keys[0].id, "LTAIk");
        assert_eq!(seed.root_access_keys[0].secret.expose_secret(), "s3cret");
        let i = &seed.instances[0];
        assert_eq!((i.id.as_str(), i.region.as_str(), i.name.as_str()), ("i-1", "cn-beijing", "box"));
        assert_eq!((i.os.as_str(), i.status.as_str(), i.cloud_assistant), ("Windows", "Stopped", false));
        let users: Vec<(&str, Option<&str>)> =
            i.users.iter().map(|u| (u.name.as_str(), u.password.as_ref().map(|p| p.expose_secret()))).collect();
        assert_eq!(users, [("System", None), ("user02", Some("pw"))]);
    }

    #[test]
    fn a_misspelt_field_is_an_error_that_names_it() {
        let demo = Seed::demo().to_json();
        for (from, to) in [
            ("\"cloud_assistant\"", "\"cloud_asistant\""),
            ("\"root_access_keys\"", "\"root_keys\""),
            ("\"secret\"", "\"access_key_secret\""),
            ("\"password\"", "\"passwd\""),
        ] {
            assert!(demo.contains(from), "{from}");
            let misspelt = to.trim_matches('"');
            let e = Seed::from_json(&demo.replacen(from, to, 1)).map(|_| ()).map_err(|e| e.to_string());
            assert!(matches!(&e, Err(m) if m.contains(misspelt)), "{to}: {e:?}");
        }
    }

    #[test]
    fn a_misspelt_fault_rule_field_is_an_error_that_names_it() {
        // Without the check, `nht` was ignored and the rule failed every GetUser call instead of the second.
        let with_fault = |rule: &str| {
            let demo = Seed::demo().to_json();
            let json = format!("{{ \"faults\": [{rule}], {}", demo.trim_start().trim_start_matches('{'));
            Seed::from_json(&json).map(|s| s.faults).map_err(|e| e.to_string())
        };
        let e = with_fault(r#"{"action": "GetUser", "code": "Throttling", "nht": 2}"#);
        assert!(matches!(&e, Err(m) if m.contains("nht")), "{e:?}");
        let ok = with_fault(r#"{"action": "GetUser", "code": "Throttling", "nth": 2, "retry_after": 1}"#);
        assert_eq!(ok, Ok(vec![FaultRule::nth("GetUser", "Throttling", 2).with_retry_after(1)]));
    }

    #[test]
    fn an_unknown_os_is_rejected_and_either_case_is_accepted() {
        let demo = Seed::demo().to_json();
        assert!(demo.contains("\"Windows\""));
        let e = Seed::from_json(&demo.replace("\"Windows\"", "\"Windwos\"")).map(|_| ()).map_err(|e| e.to_string());
        assert!(matches!(&e, Err(m) if m.contains("Windwos") && m.contains("i-emu-windows-0001")), "{e:?}");
        assert!(Seed::from_json(&demo.replace("\"Windows\"", "\"windows\"").replace("\"Linux\"", "\"LINUX\"")).is_ok());
    }
}
