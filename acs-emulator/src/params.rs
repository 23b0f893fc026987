//! The decoded parameters of one call (query ∪ form body), with typed accessors that answer the real error codes.

use crate::error::ApiError;
use std::collections::BTreeMap;

/// The parameters of one call: every query and form-body pair, decoded (protocol parameters included).
///
/// Accessors turn absent or malformed values into the gateway's errors (`MissingParameter`, `InvalidParameter`),
/// so handlers can use `?` throughout.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    map: BTreeMap<String, String>,
}

impl Params {
    /// Parameters from decoded pairs; a repeated key keeps its last value.
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Self { map: pairs.into_iter().map(|(k, v)| (k.into(), v.into())).collect() }
    }

    /// The raw value, if present (an empty string counts as present).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.map.get(name).map(String::as_str)
    }

    /// The value, or `None` when absent or empty.
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    /// The value; `MissingParameter` naming it when absent or empty.
    pub fn required(&self, name: &str) -> Result<&str, ApiError> {
        self.non_empty(name).ok_or_else(|| ApiError::missing_parameter(name))
    }

    /// A boolean: `true`/`false` in any case (the Python SDKs send `True`/`False`).
    pub fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.non_empty(name) {
            None => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(_) => Err(ApiError::invalid_parameter(name, "expected true or false")),
        }
    }

    /// A decimal integer.
    pub fn int(&self, name: &str) -> Result<Option<i64>, ApiError> {
        match self.non_empty(name) {
            None => Ok(None),
            Some(v) => v.trim().parse().map(Some).map_err(|_| ApiError::invalid_parameter(name, "expected an integer")),
        }
    }

    /// An integer that must lie in `min..=max`; `code` is the error code to answer otherwise.
    pub fn int_in(&self, name: &str, min: i64, max: i64, code: &str) -> Result<Option<i64>, ApiError> {
        match self.int(name)? {
            Some(v) if v < min || v > max => Err(ApiError::bad_request(
                code,
                format!("The parameter \"{name}\" must be between {min} and {max}, got {v}."),
            )),
            other => Ok(other),
        }
    }

    /// A repeat list `Name.1`, `Name.2`, … in index order (gaps allowed).
    pub fn list(&self, name: &str) -> Vec<&str> {
        let prefix = format!("{name}.");
        let mut items: Vec<(u64, &str)> = self
            .map
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .filter_map(|(k, v)| k[prefix.len()..].parse::<u64>().ok().map(|n| (n, v.as_str())))
            .collect();
        items.sort_by_key(|(n, _)| *n);
        items.into_iter().map(|(_, v)| v).collect()
    }

    /// Objects of a repeat list, e.g. `Tag.N.Key`/`Tag.N.Value`: one map of field → value per index, in index order.
    pub fn object_list(&self, name: &str) -> Vec<BTreeMap<&str, &str>> {
        let prefix = format!("{name}.");
        let mut items: BTreeMap<u64, BTreeMap<&str, &str>> = BTreeMap::new();
        for (k, v) in self.map.range(prefix.clone()..).take_while(|(k, _)| k.starts_with(&prefix)) {
            if let Some((n, field)) = k[prefix.len()..].split_once('.') {
                if let Ok(n) = n.parse::<u64>() {
                    items.entry(n).or_default().insert(field, v.as_str());
                }
            }
        }
        items.into_values().collect()
    }

    /// A parameter holding JSON text (e.g. `Parameters`, `InstanceIds`, `Names`), parsed.
    pub fn json<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<Option<T>, ApiError> {
        match self.non_empty(name) {
            None => Ok(None),
            Some(v) => serde_json::from_str(v)
                .map(Some)
                .map_err(|e| ApiError::invalid_parameter(name, &format!("not valid JSON of the expected shape ({e})"))),
        }
    }

    /// Is there any parameter named `name` or starting with `name.`?
    pub fn has_any(&self, name: &str) -> bool {
        self.map.contains_key(name) || !self.list(name).is_empty() || !self.object_list(name).is_empty()
    }

    /// Every pair, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.map.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn booleans_accept_python_spelling_and_reject_garbage() {
        let p = params(&[("A", "True"), ("B", "false"), ("C", "yes")]);
        assert_eq!(p.bool("A").ok(), Some(Some(true)));
        assert_eq!(p.bool("B").ok(), Some(Some(false)));
        assert_eq!(p.bool("Z").ok(), Some(None));
        assert_eq!(p.bool("C").map_err(|e| e.code).err().as_deref(), Some("InvalidParameter"));
    }

    #[test]
    fn lists_are_ordered_numerically() {
        let p = params(&[("InstanceId.10", "j"), ("InstanceId.2", "b"), ("InstanceId.1", "a"), ("InstanceIdX", "x")]);
        assert_eq!(p.list("InstanceId"), vec!["a", "b", "j"]);
        let t = params(&[("Tag.2.Key", "k2"), ("Tag.1.Key", "k1"), ("Tag.1.Value", "v1")]);
        let objs = t.object_list("Tag");
        assert_eq!(objs.len(), 2);
        assert_eq!(objs[0].get("Value"), Some(&"v1"));
        assert_eq!(objs[1].get("Key"), Some(&"k2"));
        assert!(t.has_any("Tag"));
    }

    #[test]
    fn required_names_the_missing_parameter() {
        let p = params(&[("Empty", "")]);
        let err = p.required("Empty").err();
        assert_eq!(err.as_ref().map(|e| e.code.as_str()), Some("MissingParameter"));
        assert!(err.map(|e| e.message).unwrap_or_default().contains("\"Empty\""));
        assert_eq!(
            params(&[("N", "12")]).int_in("N", 1, 10, "InvalidParameter.N").err().map(|e| e.code),
            Some("InvalidParameter.N".to_owned())
        );
    }
}
