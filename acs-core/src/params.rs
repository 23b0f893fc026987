//! serde → RPC parameters (PROTOCOL.md §4).
//!
//! Struct field names are used as given (models use `#[serde(rename_all = "PascalCase")]`):
//! - a `Vec<scalar>` field `InstanceId` becomes `InstanceId.1`, `InstanceId.2`, … (1-based);
//! - a `Vec<struct>` field `Tag` becomes `Tag.1.Key`, `Tag.1.Value`, …;
//! - a nested struct `A { B }` becomes `A.B`, a map `Name { k: v }` becomes `Name.k`;
//! - booleans are `true`/`false`, numbers decimal, `None` and unit omitted, empty strings kept.
//!
//! ```
//! #[derive(serde::Serialize)]
//! #[serde(rename_all = "PascalCase")]
//! struct Tag { key: String, value: String }
//! #[derive(serde::Serialize)]
//! #[serde(rename_all = "PascalCase")]
//! struct Req { instance_id: Vec<String>, tag: Vec<Tag>, keep_command: Option<bool>, timeout: Option<u32> }
//! let p = acs_core::params::to_params(&Req {
//!     instance_id: vec!["i-1".into(), "i-2".into()],
//!     tag: vec![Tag { key: "k".into(), value: "".into() }],
//!     keep_command: Some(false),
//!     timeout: None,
//! }).unwrap();
//! let get = |k: &str| p.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
//! assert_eq!(get("InstanceId.2"), Some("i-2"));
//! assert_eq!(get("Tag.1.Value"), Some(""));
//! assert_eq!(get("KeepCommand"), Some("false"));
//! assert_eq!(get("Timeout"), None);
//! ```

use crate::Error;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

/// Flattens `value` (a struct or map) into `(name, value)` parameters.
///
/// Fails with [`Error::InvalidInput`] when the top level is not a struct or map, or serialization fails.
pub fn to_params<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<(String, String)>, Error> {
    let v = serde_json::to_value(value).map_err(|e| Error::invalid_input("request", e.to_string()))?;
    let mut out = Vec::new();
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                flatten(k, v, &mut out);
            }
        }
        Value::Null => {}
        other => {
            return Err(Error::invalid_input(
                "request",
                format!("must serialize to a struct or map, not {}", kind(&other)),
            ))
        }
    }
    Ok(out)
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a sequence",
        Value::Object(_) => "a map",
    }
}

fn flatten(prefix: String, v: Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Null => {}
        Value::Bool(b) => out.push((prefix, if b { "true" } else { "false" }.to_owned())),
        Value::Number(n) => out.push((prefix, n.to_string())),
        Value::String(s) => out.push((prefix, s)),
        Value::Array(items) => {
            for (i, item) in items.into_iter().enumerate() {
                flatten(format!("{prefix}.{}", i + 1), item, out);
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                flatten(format!("{prefix}.{k}"), item, out);
            }
        }
    }
}

/// `#[serde(serialize_with = "acs_core::params::json_string", skip_serializing_if = "Option::is_none")]`: the field
/// (any `Serialize`, including `Option<T>`) is sent as ONE parameter holding its compact JSON text.
/// A `None` is omitted.
pub fn json_string<T: serde::Serialize + ?Sized, S: serde::Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    let v = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
    if v.is_null() {
        return s.serialize_none();
    }
    s.serialize_str(&v.to_string())
}

/// `#[serde(serialize_with = "acs_core::params::expose_secret", skip_serializing_if = "Option::is_none")]` on an
/// `Option<SecretString>` request field: sends the secret's text (the only place a secret is exposed).
pub fn expose_secret<S: serde::Serializer>(value: &Option<SecretString>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(secret) => s.serialize_str(secret.expose_secret()),
        None => s.serialize_none(),
    }
}

/// Base64 (standard alphabet, padded) of UTF-8 text: how plain-text scripts and documents are put on the wire.
pub fn base64_text(text: &str) -> String {
    acs_signer::base64_encode(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, HashMap};

    #[derive(serde::Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Tag {
        key: String,
        value: Option<String>,
    }

    #[derive(serde::Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Inner {
        b: i64,
        c: Option<f64>,
    }

    #[derive(serde::Serialize)]
    #[serde(rename_all = "PascalCase")]
    struct Req {
        region_id: String,
        instance_id: Vec<String>,
        tag: Vec<Tag>,
        a: Inner,
        enabled: bool,
        empty: String,
        missing: Option<String>,
        unit: (),
        map: BTreeMap<String, u32>,
        #[serde(serialize_with = "json_string", skip_serializing_if = "Option::is_none")]
        parameters: Option<HashMap<String, String>>,
        #[serde(serialize_with = "json_string")]
        policy_document: serde_json::Value,
        #[serde(serialize_with = "expose_secret", skip_serializing_if = "Option::is_none")]
        password: Option<SecretString>,
    }

    fn sample() -> Req {
        Req {
            region_id: "cn-hangzhou".into(),
            instance_id: (1..=11).map(|i| format!("i-{i}")).collect(),
            tag: vec![Tag { key: "k1".into(), value: Some("v1".into()) }, Tag { key: "k2".into(), value: None }],
            a: Inner { b: -7, c: Some(1.5) },
            enabled: true,
            empty: String::new(),
            missing: None,
            unit: (),
            map: BTreeMap::from([("x".into(), 1), ("y".into(), 2)]),
            parameters: Some(HashMap::from([("name".into(), "a\"b".into())])),
            policy_document: serde_json::json!({"Version": "1", "Statement": []}),
            password: Some(SecretString::from("pw")),
        }
    }

    #[test]
    fn flattens_every_shape() {
        let p: BTreeMap<String, String> = to_params(&sample()).unwrap().into_iter().collect();
        assert_eq!(p["RegionId"], "cn-hangzhou");
        assert_eq!(p["InstanceId.1"], "i-1");
        assert_eq!(p["InstanceId.11"], "i-11");
        assert!(!p.contains_key("InstanceId.0") && !p.contains_key("InstanceId.12"));
        assert_eq!(p["Tag.1.Key"], "k1");
        assert_eq!(p["Tag.1.Value"], "v1");
        assert_eq!(p["Tag.2.Key"], "k2");
        assert!(!p.contains_key("Tag.2.Value"));
        assert_eq!(p["A.B"], "-7");
        assert_eq!(p["A.C"], "1.5");
        assert_eq!(p["Enabled"], "true");
        assert_eq!(p["Empty"], "");
        assert!(!p.contains_key("Missing") && !p.contains_key("Unit"));
        assert_eq!(p["Map.x"], "1");
        assert_eq!(p["Map.y"], "2");
        let params: HashMap<String, String> = serde_json::from_str(&p["Parameters"]).unwrap();
        assert_eq!(params["name"], "a\"b");
        assert_eq!(p["PolicyDocument"], r#"{"Statement":[],"Version":"1"}"#);
        assert_eq!(p["Password"], "pw");
    }

    #[test]
    fn none_json_string_is_omitted() {
        let mut r = sample();
        r.parameters = None;
        r.password = None;
        let p = to_params(&r).unwrap();
        assert!(!p.iter().any(|(k, _)| k == "Parameters" || k == "Password"));
    }

    #[test]
    fn rejects_non_struct_top_level() {
        let e = to_params(&vec![1, 2]).unwrap_err();
        assert!(e.to_string().contains("sequence"), "{e}");
        assert!(to_params(&"x").is_err());
        assert!(to_params(&()).unwrap().is_empty());
    }

    #[test]
    fn base64_text_encodes_utf8() {
        assert_eq!(base64_text("echo hi"), "ZWNobyBoaQ==");
        assert_eq!(base64_text("中"), "5Lit");
        assert_eq!(base64_text(""), "");
    }
}
