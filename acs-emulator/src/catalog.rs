//! The services and operations the emulator knows, from a bundled copy of `operations.json`
//! (plus STS, which that file does not list).

use crate::error::ApiError;
use crate::params::Params;
use std::collections::HashMap;
use std::sync::OnceLock;

const OPERATIONS_JSON: &str = include_str!("../data/operations.json");

/// A service behind the emulator's single port, chosen by the request's API version.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Service {
    /// ECS `2014-05-26` (Cloud Assistant, instances, instance RAM roles).
    Ecs,
    /// RAM `2015-05-01`.
    Ram,
    /// OOS `2019-06-01` (secret parameters).
    Oos,
    /// KMS `2016-01-20`.
    Kms,
    /// STS `2015-04-01`.
    Sts,
}

impl Service {
    /// Every service.
    pub const ALL: [Service; 5] = [Service::Ecs, Service::Ram, Service::Oos, Service::Kms, Service::Sts];

    /// The service an API version belongs to.
    pub fn from_version(version: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.version() == version)
    }

    /// The API version.
    pub fn version(self) -> &'static str {
        match self {
            Service::Ecs => "2014-05-26",
            Service::Ram => "2015-05-01",
            Service::Oos => "2019-06-01",
            Service::Kms => "2016-01-20",
            Service::Sts => "2015-04-01",
        }
    }

    /// The product code, the prefix of RAM actions (`ecs:RunCommand`).
    pub fn product(self) -> &'static str {
        match self {
            Service::Ecs => "ecs",
            Service::Ram => "ram",
            Service::Oos => "oos",
            Service::Kms => "kms",
            Service::Sts => "sts",
        }
    }

    /// The product name used in troubleshooting links (`Ecs`, `Ram`, ...).
    pub fn display_name(self) -> &'static str {
        match self {
            Service::Ecs => "Ecs",
            Service::Ram => "Ram",
            Service::Oos => "Oos",
            Service::Kms => "Kms",
            Service::Sts => "Sts",
        }
    }

    fn catalog_key(self) -> &'static str {
        match self {
            Service::Ecs => "ECS",
            Service::Ram => "RAM",
            Service::Oos => "OOS",
            Service::Kms => "KMS",
            Service::Sts => "STS",
        }
    }
}

/// One parameter of an operation, as `operations.json` describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamSpec {
    /// Wire name (`InstanceId` for the repeat list `InstanceId.N`).
    pub name: String,
    /// Type, e.g. `string`, `bool`, `list<string>`.
    pub ty: String,
    /// `query` or `body`.
    pub position: String,
    /// Flattening rule, e.g. `scalar`, `InstanceId.N (N from 1)`.
    pub flatten: String,
    /// Whether the operation requires it.
    pub required: bool,
}

impl ParamSpec {
    /// Is the parameter present in `params` (scalars must be non-empty; lists need at least one item)?
    pub fn is_present(&self, params: &Params) -> bool {
        if self.flatten == "scalar" || self.flatten.starts_with(&format!("{}=", self.name)) {
            params.non_empty(&self.name).is_some()
        } else {
            params.non_empty(&self.name).is_some() || params.has_any(&self.name)
        }
    }
}

/// One operation of a service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    /// The action name.
    pub name: String,
    /// Its parameters.
    pub params: Vec<ParamSpec>,
}

impl Operation {
    /// `MissingParameter` for the first required parameter that is absent (in catalog order).
    pub fn check_required(&self, params: &Params) -> Result<(), ApiError> {
        match self.params.iter().find(|p| p.required && !p.is_present(params)) {
            Some(missing) => Err(ApiError::missing_parameter(&missing.name)),
            None => Ok(()),
        }
    }
}

type Catalog = HashMap<Service, HashMap<String, Operation>>;

fn sts_operations() -> HashMap<String, Operation> {
    let p = |name: &str, ty: &str, required: bool| ParamSpec {
        name: name.into(),
        ty: ty.into(),
        position: "query".into(),
        flatten: "scalar".into(),
        required,
    };
    let mut ops = HashMap::new();
    ops.insert(
        "AssumeRole".to_owned(),
        Operation {
            name: "AssumeRole".into(),
            params: vec![
                p("DurationSeconds", "int", false),
                p("Policy", "string", false),
                p("RoleArn", "string", true),
                p("RoleSessionName", "string", true),
            ],
        },
    );
    ops.insert("GetCallerIdentity".to_owned(), Operation { name: "GetCallerIdentity".into(), params: Vec::new() });
    ops
}

fn parse_catalog() -> Catalog {
    let mut catalog: Catalog = HashMap::new();
    let root: serde_json::Value = serde_json::from_str(OPERATIONS_JSON).unwrap_or(serde_json::Value::Null);
    for service in [Service::Ecs, Service::Ram, Service::Oos, Service::Kms] {
        let mut ops = HashMap::new();
        if let Some(entries) = root.get(service.catalog_key()).and_then(|v| v.as_object()) {
            for (name, op) in entries.iter().filter(|(name, _)| !name.starts_with('_')) {
                let params = op
                    .get("params")
                    .and_then(|p| p.as_array())
                    .map(|list| {
                        list.iter()
                            .map(|p| {
                                let s = |k: &str| p.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
                                ParamSpec {
                                    name: s("name"),
                                    ty: s("type"),
                                    position: s("position"),
                                    flatten: s("flatten"),
                                    required: p.get("required").and_then(|v| v.as_bool()).unwrap_or(false),
                                }
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                ops.insert(name.clone(), Operation { name: name.clone(), params });
            }
        }
        catalog.insert(service, ops);
    }
    catalog.insert(Service::Sts, sts_operations());
    catalog
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(parse_catalog)
}

/// The operation `action` of `service`, if the emulator knows it.
pub fn operation(service: Service, action: &str) -> Option<&'static Operation> {
    catalog().get(&service).and_then(|ops| ops.get(action))
}

/// Is `action` an operation of any service?
pub fn is_known_action(action: &str) -> bool {
    catalog().values().any(|ops| ops.contains_key(action))
}

/// Every operation name of `service`, sorted.
pub fn operation_names(service: Service) -> Vec<&'static str> {
    let mut names: Vec<&str> =
        catalog().get(&service).map(|ops| ops.keys().map(String::as_str).collect()).unwrap_or_default();
    names.sort_unstable();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_catalog_has_every_service() {
        assert_eq!(operation_names(Service::Ram).len(), 35);
        assert!(operation_names(Service::Ecs).contains(&"RunCommand"));
        assert!(operation_names(Service::Kms).contains(&"GetSecretValue"));
        assert!(operation_names(Service::Oos).contains(&"GetSecretParameter"));
        assert!(operation(Service::Sts, "AssumeRole").is_some());
        assert_eq!(Service::from_version("2015-05-01"), Some(Service::Ram));
        assert_eq!(Service::from_version("2099-01-01"), None);
    }

    #[test]
    fn required_parameters_are_checked_by_flattening() {
        let op = operation(Service::Ecs, "AttachInstanceRamRole");
        assert!(op.is_some());
        let op = op.cloned().unwrap_or(Operation { name: String::new(), params: Vec::new() });
        let err = op.check_required(&Params::from_pairs([("RegionId", "cn-hangzhou")])).err();
        assert_eq!(err.map(|e| e.message.contains("InstanceIds")), Some(true));
        let run = operation(Service::Ecs, "RunCommand").cloned().unwrap_or(op);
        let ok = Params::from_pairs([("RegionId", "r"), ("Type", "RunShellScript"), ("CommandContent", "ls")]);
        assert!(run.check_required(&ok).is_ok());
    }
}
