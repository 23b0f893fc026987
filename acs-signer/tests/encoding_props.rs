//! Property tests of the percent-encoder.

use acs_signer::{is_unreserved, percent_decode, percent_encode, v1};
use proptest::prelude::*;

proptest! {
    #[test]
    fn any_unicode_round_trips(s in any::<String>()) {
        prop_assert_eq!(percent_decode(&percent_encode(&s)).expect("decodes"), s);
    }

    #[test]
    fn output_is_only_unreserved_or_escapes(s in any::<String>()) {
        let enc = percent_encode(&s);
        let b = enc.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' {
                prop_assert!(i + 2 < b.len(), "truncated escape");
                let hex = &enc[i + 1..i + 3];
                prop_assert!(hex.bytes().all(|c| c.is_ascii_digit() || (b'A'..=b'F').contains(&c)), "escape {}", hex);
                // an escape is never used for a byte that could have stayed
                let byte = u8::from_str_radix(hex, 16).expect("hex");
                prop_assert!(!is_unreserved(byte));
                i += 3;
            } else {
                prop_assert!(is_unreserved(b[i]), "byte {:?} kept", b[i] as char);
                i += 1;
            }
        }
    }

    #[test]
    fn canonical_order_is_byte_order_of_raw_keys(mut keys in proptest::collection::btree_set("[ -~]{1,8}", 1..8)) {
        // BTreeSet<String> iterates in byte order; reverse it so the signer has to sort.
        let expected: Vec<String> = keys.iter().map(|k| percent_encode(k)).collect();
        let params: Vec<(String, String)> = std::mem::take(&mut keys).into_iter().rev().map(|k| (k, String::new())).collect();
        let q = v1::canonical_query(&params);
        let got: Vec<String> = if q.is_empty() { vec![] } else {
            q.split('&').map(|kv| kv.trim_end_matches('=').to_owned()).collect()
        };
        prop_assert_eq!(got, expected);
    }
}
