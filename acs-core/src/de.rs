//! Lenient deserializers for response fields whose wire type varies (numbers or booleans sent as strings, `null`).
//!
//! Use as `#[serde(default, deserialize_with = "acs_core::de::opt_i64")]` on `Option<i64>` fields, and likewise
//! [`opt_f64`], [`opt_bool`] and [`opt_string`]; [`opt_enum`] on enum fields with an `Unknown(String)` fallback and
//! [`lenient_list`] on `Vec` fields (plain arrays, RPC wrapper objects, lists sent as JSON text).
//!
//! ```
//! #[derive(serde::Deserialize)]
//! struct Resp {
//!     #[serde(default, deserialize_with = "acs_core::de::lenient_list")]
//!     ids: Vec<String>,
//!     #[serde(default, deserialize_with = "acs_core::de::opt_i64")]
//!     total: Option<i64>,
//! }
//! let r: Resp = serde_json::from_str(r#"{"ids": {"Id": ["i-1", "i-2"]}, "total": "2"}"#).unwrap();
//! assert_eq!((r.ids.len(), r.total), (2, Some(2)));
//! ```

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

fn invalid<E: serde::de::Error>(what: &str, v: &Value) -> E {
    let kind = match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    E::custom(format!("expected {what}, found {kind}"))
}

/// An integer sent as a number or as a decimal string; `null` and `""` become `None`.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let v = Value::deserialize(d)?;
    match &v {
        Value::Null => Ok(None),
        Value::Number(n) => n.as_i64().map(Some).ok_or_else(|| invalid("an integer", &v)),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => s.trim().parse().map(Some).map_err(|_| invalid("an integer", &v)),
        _ => Err(invalid("an integer", &v)),
    }
}

/// A float sent as a number or as a string; `null` and `""` become `None`.
pub fn opt_f64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    let v = Value::deserialize(d)?;
    match &v {
        Value::Null => Ok(None),
        Value::Number(n) => n.as_f64().map(Some).ok_or_else(|| invalid("a number", &v)),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => s.trim().parse().map(Some).map_err(|_| invalid("a number", &v)),
        _ => Err(invalid("a number", &v)),
    }
}

/// A boolean sent as `true`/`false`, as the strings `"true"`/`"false"` (any case), or as `0`/`1`.
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    let v = Value::deserialize(d)?;
    match &v {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(0) => Ok(Some(false)),
            Some(1) => Ok(Some(true)),
            _ => Err(invalid("a boolean", &v)),
        },
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) if s.trim().eq_ignore_ascii_case("true") => Ok(Some(true)),
        Value::String(s) if s.trim().eq_ignore_ascii_case("false") => Ok(Some(false)),
        _ => Err(invalid("a boolean", &v)),
    }
}

/// A string; numbers and booleans are turned into their text, `null` into `None`.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v = Value::deserialize(d)?;
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s)),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        other => Err(invalid("a string", &other)),
    }
}

/// Accepts a JSON array, the RPC wrapper object `{"Item": [...]}` (or `{"Item": {...}}` for one item), a list sent
/// as JSON text, a single scalar, or null/absent. Streams the items (no intermediate `serde_json::Value`).
///
/// Use as `#[serde(default, deserialize_with = "acs_core::de::lenient_list")]` on `Vec<T>` fields. Items of the
/// wrong type still fail; scalars other than strings become an empty list.
pub fn lenient_list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    deserializer.deserialize_any(ListVisitor { wrapper: true, marker: std::marker::PhantomData })
}

struct ListVisitor<T> {
    /// At the top level a map is a wrapper (`{"Item": [...]}`); inside a wrapper a map is one item.
    wrapper: bool,
    marker: std::marker::PhantomData<T>,
}

impl<'de, T: DeserializeOwned> serde::de::DeserializeSeed<'de> for ListVisitor<T> {
    type Value = Vec<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, T: DeserializeOwned> serde::de::Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list, a wrapper object holding a list, or null")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Vec<T>, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element::<T>()? {
            out.push(item);
        }
        Ok(out)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
        if !self.wrapper {
            let one = T::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
            return Ok(vec![one]);
        }
        let mut out = Vec::new();
        while map.next_key::<serde::de::IgnoredAny>()?.is_some() {
            let items = map.next_value_seed(ListVisitor::<T> { wrapper: false, marker: std::marker::PhantomData })?;
            if out.is_empty() {
                out = items;
            }
        }
        Ok(out)
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Vec<T>, E> {
        if value.is_empty() {
            return Ok(Vec::new());
        }
        if !self.wrapper {
            // a scalar beside the list inside a wrapper object: not part of the list
            return Ok(Vec::new());
        }
        if value.trim_start().starts_with('[') {
            if let Ok(items) = serde_json::from_str::<Vec<T>>(value) {
                return Ok(items);
            }
        }
        T::deserialize(serde::de::value::StrDeserializer::<E>::new(value)).map(|one| vec![one])
    }

    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
}

/// An enum field: null, absent and "" are `None`; any other string parses (unknown values are kept), other JSON
/// values are kept as their JSON text.
///
/// Use as `#[serde(default, deserialize_with = "acs_core::de::opt_enum")]` on `Option<E>` fields where
/// `E: From<String>` (every [`wire_enum!`](crate::wire_enum) type).
pub fn opt_enum<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: From<String>,
{
    let value = Option::<serde_json::Value>::deserialize(deserializer)?;
    Ok(match value {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) if s.is_empty() => None,
        Some(serde_json::Value::String(s)) => Some(T::from(s)),
        Some(other) => Some(T::from(other.to_string())),
    })
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize, Debug)]
    struct T {
        #[serde(default, deserialize_with = "super::opt_i64")]
        i: Option<i64>,
        #[serde(default, deserialize_with = "super::opt_f64")]
        f: Option<f64>,
        #[serde(default, deserialize_with = "super::opt_bool")]
        b: Option<bool>,
        #[serde(default, deserialize_with = "super::opt_string")]
        s: Option<String>,
    }

    fn parse(j: &str) -> Result<T, serde_json::Error> {
        serde_json::from_str(j)
    }

    #[test]
    fn lenient_values() {
        let t = parse(r#"{"i":"42","f":"1.5","b":"True","s":7}"#).unwrap();
        assert_eq!((t.i, t.f, t.b, t.s.as_deref()), (Some(42), Some(1.5), Some(true), Some("7")));
        let t = parse(r#"{"i":-3,"f":2,"b":false,"s":"x"}"#).unwrap();
        assert_eq!((t.i, t.f, t.b, t.s.as_deref()), (Some(-3), Some(2.0), Some(false), Some("x")));
        let t = parse(r#"{"i":null,"f":"","b":null,"s":null}"#).unwrap();
        assert_eq!((t.i, t.f, t.b, t.s), (None, None, None, None));
        let t = parse("{}").unwrap();
        assert_eq!((t.i, t.b), (None, None));
    }

    #[test]
    fn rejects_nonsense_with_message() {
        let e = parse(r#"{"i":"abc"}"#).unwrap_err().to_string();
        assert!(e.contains("expected an integer"), "{e}");
        assert!(parse(r#"{"b":"yes"}"#).is_err());
        assert!(parse(r#"{"i":1.5}"#).is_err());
    }

    #[derive(Debug, Default, PartialEq, serde::Deserialize)]
    struct Item {
        #[serde(rename = "Id", default)]
        id: Option<String>,
    }

    #[derive(Debug, Default, serde::Deserialize)]
    struct Holder {
        #[serde(default, deserialize_with = "super::lenient_list")]
        items: Vec<Item>,
        #[serde(default, deserialize_with = "super::lenient_list")]
        names: Vec<String>,
    }

    fn holder(json: &str) -> Holder {
        serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
    }

    fn ids(h: &Holder) -> Vec<&str> {
        h.items.iter().filter_map(|i| i.id.as_deref()).collect()
    }

    #[test]
    fn every_list_shape_parses() {
        assert_eq!(ids(&holder(r#"{"items": [{"Id": "a"}, {"Id": "b"}]}"#)), ["a", "b"]);
        assert_eq!(ids(&holder(r#"{"items": {"Item": [{"Id": "a"}, {"Id": "b"}]}}"#)), ["a", "b"]);
        assert_eq!(ids(&holder(r#"{"items": {"Item": {"Id": "a"}}}"#)), ["a"]);
        assert_eq!(ids(&holder(r#"{"items": {"Count": 2, "Item": [{"Id": "a"}]}}"#)), ["a"]);
        assert!(holder(r#"{"items": null}"#).items.is_empty());
        assert!(holder(r#"{"items": {}}"#).items.is_empty());
        assert!(holder(r#"{"items": ""}"#).items.is_empty());
        assert!(holder("{}").items.is_empty());
        assert_eq!(holder(r#"{"names": {"Name": ["x", "y"]}}"#).names, ["x", "y"]);
        assert_eq!(holder(r#"{"names": "[\"x\",\"y\"]"}"#).names, ["x", "y"]);
        assert_eq!(holder(r#"{"names": "x"}"#).names, ["x"]);
        assert!(serde_json::from_str::<Holder>(r#"{"items": [1]}"#).is_err(), "wrong item types still fail");
    }

    #[derive(Debug, PartialEq)]
    struct Word(String);

    impl From<String> for Word {
        fn from(s: String) -> Self {
            Word(s)
        }
    }

    #[derive(Debug, serde::Deserialize)]
    struct WithEnum {
        #[serde(default, deserialize_with = "super::opt_enum")]
        e: Option<Word>,
    }

    #[test]
    fn opt_enum_keeps_values_and_drops_empty() {
        let p = |j: &str| serde_json::from_str::<WithEnum>(j).unwrap_or_else(|e| panic!("{j}: {e}")).e;
        assert_eq!(p(r#"{"e": "Running"}"#), Some(Word("Running".into())));
        assert_eq!(p(r#"{"e": "Brand-New"}"#), Some(Word("Brand-New".into())));
        assert_eq!(p(r#"{"e": 3}"#), Some(Word("3".into())));
        assert_eq!(p(r#"{"e": ""}"#), None);
        assert_eq!(p(r#"{"e": null}"#), None);
        assert_eq!(p("{}"), None);
    }
}
