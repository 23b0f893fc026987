//! Property tests of the serde → RPC parameter flattening.

use acs_core::params::to_params;
use proptest::prelude::*;
use std::collections::BTreeMap;

#[derive(serde::Serialize, Debug, Clone)]
#[serde(rename_all = "PascalCase")]
struct Tag {
    key: String,
    value: Option<String>,
}

#[derive(serde::Serialize, Debug, Clone)]
#[serde(rename_all = "PascalCase")]
struct Req {
    instance_id: Vec<String>,
    tag: Vec<Tag>,
    timeout: Option<i64>,
    keep_command: Option<bool>,
    name: String,
}

fn tag() -> impl Strategy<Value = Tag> {
    (any::<String>(), proptest::option::of(any::<String>())).prop_map(|(key, value)| Tag { key, value })
}

proptest! {
    #[test]
    fn flattening_is_lossless_and_exact(
        ids in proptest::collection::vec(any::<String>(), 0..30),
        tags in proptest::collection::vec(tag(), 0..12),
        timeout in proptest::option::of(any::<i64>()),
        keep in proptest::option::of(any::<bool>()),
        name in any::<String>(),
    ) {
        let req = Req { instance_id: ids.clone(), tag: tags.clone(), timeout, keep_command: keep, name: name.clone() };
        let params = to_params(&req).unwrap();
        let map: BTreeMap<String, String> = params.iter().cloned().collect();
        prop_assert_eq!(map.len(), params.len(), "no duplicate names");

        let mut expected = BTreeMap::new();
        for (i, id) in ids.iter().enumerate() {
            expected.insert(format!("InstanceId.{}", i + 1), id.clone());
        }
        for (i, t) in tags.iter().enumerate() {
            expected.insert(format!("Tag.{}.Key", i + 1), t.key.clone());
            if let Some(v) = &t.value {
                expected.insert(format!("Tag.{}.Value", i + 1), v.clone());
            }
        }
        if let Some(t) = timeout {
            expected.insert("Timeout".to_owned(), t.to_string());
        }
        if let Some(k) = keep {
            expected.insert("KeepCommand".to_owned(), k.to_string());
        }
        expected.insert("Name".to_owned(), name);
        prop_assert_eq!(map, expected);
    }

    #[test]
    fn json_string_fields_round_trip(values in proptest::collection::btree_map(any::<String>(), any::<i32>(), 0..8)) {
        #[derive(serde::Serialize)]
        struct J<'a> {
            #[serde(rename = "Parameters", serialize_with = "acs_core::params::json_string")]
            p: &'a BTreeMap<String, i32>,
        }
        let params = to_params(&J { p: &values }).unwrap();
        prop_assert_eq!(params.len(), 1);
        let back: BTreeMap<String, i32> = serde_json::from_str(&params[0].1).unwrap();
        prop_assert_eq!(back, values);
    }
}
