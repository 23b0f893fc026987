//! Lenient deserializers for response fields whose wire type varies (numbers or booleans sent as strings, `null`).
//!
//! Use as `#[serde(default, deserialize_with = "acs_core::de::opt_i64")]` on `Option<i64>` fields, and likewise
//! [`opt_f64`], [`opt_bool`] and [`opt_string`].

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
}
