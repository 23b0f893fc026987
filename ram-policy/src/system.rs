//! The published system policies, bundled: [`system_policy`] and [`system_policy_names`].

use crate::model::PolicyDocument;

/// Prefix accepted by [`system_policy`] and the `policy-sim` tool (`system:AliyunECSReadOnlyAccess`).
pub const SYSTEM_PREFIX: &str = "system:";

const BUNDLED: &[(&str, &str)] = &[
    ("AliyunECSAssistantFullAccess", include_str!("../policies/AliyunECSAssistantFullAccess.json")),
    ("AliyunECSReadOnlyAccess", include_str!("../policies/AliyunECSReadOnlyAccess.json")),
    ("AliyunKMSFullAccess", include_str!("../policies/AliyunKMSFullAccess.json")),
    ("AliyunKMSReadOnlyAccess", include_str!("../policies/AliyunKMSReadOnlyAccess.json")),
    ("AliyunOOSReadOnlyAccess", include_str!("../policies/AliyunOOSReadOnlyAccess.json")),
];

const NAMES: &[&str] = &[
    "AliyunECSAssistantFullAccess",
    "AliyunECSReadOnlyAccess",
    "AliyunKMSFullAccess",
    "AliyunKMSReadOnlyAccess",
    "AliyunOOSReadOnlyAccess",
];

/// A bundled system policy by name: `"AliyunECSReadOnlyAccess"` or `"system:AliyunECSReadOnlyAccess"`
/// (names are exact, as RAM's are).
pub fn system_policy(name: &str) -> Option<PolicyDocument> {
    let name = name.strip_prefix(SYSTEM_PREFIX).unwrap_or(name);
    BUNDLED.iter().find(|(n, _)| *n == name).and_then(|(_, json)| PolicyDocument::parse(json).ok())
}

/// The raw JSON of a bundled system policy, exactly as published.
pub fn system_policy_json(name: &str) -> Option<&'static str> {
    let name = name.strip_prefix(SYSTEM_PREFIX).unwrap_or(name);
    BUNDLED.iter().find(|(n, _)| *n == name).map(|(_, json)| *json)
}

/// Names of the bundled system policies.
pub fn system_policy_names() -> &'static [&'static str] {
    NAMES
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{validate, PolicyKind};

    #[test]
    fn every_bundled_policy_parses_validates_and_round_trips() {
        assert_eq!(NAMES.len(), BUNDLED.len());
        for name in system_policy_names() {
            let json = system_policy_json(name).unwrap();
            let doc = system_policy(name).unwrap_or_else(|| panic!("{name} does not parse"));
            let report = validate(json, PolicyKind::Identity);
            assert!(report.is_valid(), "{name}: {report}");
            let orig: serde_json::Value = serde_json::from_str(json).unwrap();
            let back: serde_json::Value = serde_json::from_str(&doc.to_json()).unwrap();
            assert_eq!(orig, back, "{name}");
        }
    }

    #[test]
    fn lookup_by_prefixed_name() {
        assert_eq!(system_policy("system:AliyunECSReadOnlyAccess"), system_policy("AliyunECSReadOnlyAccess"));
        assert!(system_policy("AliyunECSReadOnlyAccess").is_some());
        assert!(system_policy("aliyunecsreadonlyaccess").is_none());
        assert!(system_policy("system:Nope").is_none());
    }
}
