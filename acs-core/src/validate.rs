//! Client-side validation helpers shared by all service crates; each returns [`Error::InvalidInput`] naming the field.

use crate::Error;
use secrecy::{ExposeSecret, SecretString};
use std::collections::BTreeMap;

/// The value of a required field, or an error naming it.
pub fn required<'a, T>(field: &str, value: &'a Option<T>) -> Result<&'a T, Error> {
    value.as_ref().ok_or_else(|| Error::invalid_input(field, "is required"))
}

/// The string must not be empty.
pub fn non_empty(field: &str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::invalid_input(field, "must not be empty"));
    }
    Ok(())
}

/// Between `min` and `max` characters (Unicode scalar values), inclusive.
pub fn char_len(field: &str, value: &str, min: usize, max: usize) -> Result<(), Error> {
    let n = value.chars().count();
    if n < min || n > max {
        return Err(Error::invalid_input(field, format!("must be {min} to {max} characters long, got {n}")));
    }
    Ok(())
}

/// At most `max` bytes of UTF-8.
pub fn byte_len(field: &str, value: &str, max: usize) -> Result<(), Error> {
    if value.len() > max {
        return Err(Error::invalid_input(field, format!("must be at most {max} bytes, got {}", value.len())));
    }
    Ok(())
}

/// ASCII only and at most `max` characters.
pub fn ascii_max(field: &str, value: &str, max: usize) -> Result<(), Error> {
    if !value.is_ascii() {
        return Err(Error::invalid_input(field, "must be ASCII"));
    }
    if value.len() > max {
        return Err(Error::invalid_input(field, format!("must be at most {max} characters, got {}", value.len())));
    }
    Ok(())
}

/// Every character satisfies `allowed`; `description` says what is allowed (e.g. "letters, digits, '-'").
pub fn chars(field: &str, value: &str, allowed: impl Fn(char) -> bool, description: &str) -> Result<(), Error> {
    if let Some(bad) = value.chars().find(|c| !allowed(*c)) {
        return Err(Error::invalid_input(field, format!("contains {bad:?}; allowed: {description}")));
    }
    Ok(())
}

/// `min <= value <= max`.
pub fn range<N: PartialOrd + std::fmt::Display>(field: &str, value: N, min: N, max: N) -> Result<(), Error> {
    if value < min || value > max {
        return Err(Error::invalid_input(field, format!("must be between {min} and {max}, got {value}")));
    }
    Ok(())
}

/// Between `min` and `max` items, inclusive.
pub fn count<T>(field: &str, items: &[T], min: usize, max: usize) -> Result<(), Error> {
    let n = items.len();
    if n < min || n > max {
        return Err(Error::invalid_input(field, format!("must have {min} to {max} items, got {n}")));
    }
    Ok(())
}

/// A JSON-object parameter: at most `max_entries` entries, keys 1..=`max_key` characters.
pub fn map_entries(
    field: &str,
    map: &BTreeMap<String, serde_json::Value>,
    max_entries: usize,
    max_key: usize,
) -> Result<(), Error> {
    if map.len() > max_entries {
        return Err(Error::invalid_input(
            field,
            format!("has {} entries; at most {max_entries} are allowed", map.len()),
        ));
    }
    for key in map.keys() {
        char_len(field, key, 1, max_key)?;
    }
    Ok(())
}

/// Length of a secret in characters (`min..=max`); the error never contains the secret.
pub fn secret_chars(field: &str, value: &SecretString, min: usize, max: usize) -> Result<(), Error> {
    let n = value.expose_secret().chars().count();
    if n < min || n > max {
        return Err(Error::invalid_input(field, format!("must be {min} to {max} characters long (got {n})")));
    }
    Ok(())
}

/// Length of a secret in UTF-8 bytes (`1..=max`); the error never contains the secret.
pub fn secret_bytes(field: &str, value: &SecretString, max: usize) -> Result<(), Error> {
    let n = value.expose_secret().len();
    if n == 0 || n > max {
        return Err(Error::invalid_input(field, format!("must be 1 to {max} bytes long (got {n})")));
    }
    Ok(())
}

/// A size limit that applies to the Base64 form of a value: `value` is measured as is, or, when `plain_text`,
/// as it will be after encoding (4 bytes per 3, padded).
pub fn encoded_len(field: &str, value: &str, plain_text: bool, max: usize) -> Result<(), Error> {
    let encoded = if plain_text { value.len().div_ceil(3) * 4 } else { value.len() };
    if encoded > max {
        return Err(Error::invalid_input(
            field,
            format!("is {encoded} bytes after Base64 encoding; at most {max} bytes are allowed"),
        ));
    }
    Ok(())
}

/// A secret given as Base64 (standard alphabet, padded) of `min..=max` bytes, checked by counting: the secret is
/// never decoded or copied, and the error never contains it. `hint` is said when the text is not such Base64.
pub fn secret_base64(field: &str, value: &SecretString, min: usize, max: usize, hint: &str) -> Result<(), Error> {
    let text = value.expose_secret();
    let padding = text.bytes().rev().take_while(|b| *b == b'=').count();
    let canonical = text.len() % 4 == 0
        && padding <= 2
        && text.bytes().take(text.len() - padding).all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/');
    if !canonical {
        return Err(Error::invalid_input(field, hint));
    }
    let bytes = text.len() / 4 * 3 - padding;
    if bytes < min || bytes > max {
        return Err(Error::invalid_input(field, format!("must encode {min} to {max} bytes, got {bytes}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_base64_counts_bytes_and_never_shows_the_secret() {
        let hint = "must be Base64";
        let ok = |s: &str| secret_base64("P", &SecretString::from(s.to_owned()), 1, 4, hint);
        assert!(ok("aGk=").is_ok()); // 2 bytes
        assert!(ok("aGVsbA==").is_ok()); // 4 bytes
        assert!(ok("").is_err()); // 0 bytes
        assert!(ok("aGVsbG8=").is_err()); // 5 bytes
        for bad in ["aGk", "a=Gk", "aG!k", "a==="] {
            let e = ok(bad).unwrap_err().to_string();
            assert!(e.contains(hint) && !e.contains(bad), "{e}");
        }
    }

    fn field_of(e: Error) -> String {
        match e {
            Error::InvalidInput { field, .. } => field,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn each_helper_accepts_and_rejects() {
        assert_eq!(*required("A", &Some(1)).unwrap(), 1);
        assert_eq!(field_of(required::<u8>("A", &None).unwrap_err()), "A");
        assert!(non_empty("B", "x").is_ok());
        assert_eq!(field_of(non_empty("B", "").unwrap_err()), "B");
        assert!(char_len("C", "中文", 1, 2).is_ok());
        assert!(char_len("C", "中文x", 1, 2).is_err());
        assert!(char_len("C", "", 1, 2).is_err());
        assert!(byte_len("D", "中", 3).is_ok());
        assert!(byte_len("D", "中", 2).is_err());
        assert!(ascii_max("E", "abc", 3).is_ok());
        assert!(ascii_max("E", "abcd", 3).is_err());
        assert!(ascii_max("E", "é", 3).is_err());
        assert!(chars("F", "a-b", |c| c.is_ascii_alphanumeric() || c == '-', "letters, digits, '-'").is_ok());
        let e = chars("F", "a b", |c| c.is_ascii_alphanumeric(), "letters, digits").unwrap_err();
        assert!(e.to_string().contains("' '"), "{e}");
        assert!(range("G", 5, 1, 10).is_ok());
        assert!(range("G", 11, 1, 10).is_err());
        assert!(count("H", &[1, 2], 1, 2).is_ok());
        assert!(count::<u8>("H", &[], 1, 2).is_err());
    }

    #[test]
    fn map_entries_counts_entries_and_key_lengths() {
        let map =
            |keys: &[&str]| keys.iter().map(|k| (k.to_string(), serde_json::json!(1))).collect::<BTreeMap<_, _>>();
        assert!(map_entries("M", &map(&["a", "bb"]), 2, 2).is_ok());
        assert_eq!(field_of(map_entries("M", &map(&["a", "b", "c"]), 2, 2).unwrap_err()), "M");
        assert!(map_entries("M", &map(&["abc"]), 2, 2).is_err());
        assert!(map_entries("M", &map(&[""]), 2, 2).is_err());
    }

    #[test]
    fn secret_lengths_never_leak_the_secret() {
        let s = SecretString::from("pässwörd-1");
        assert!(secret_chars("P", &s, 10, 10).is_ok());
        let e = secret_chars("P", &s, 1, 5).unwrap_err();
        assert!(e.to_string().contains("got 10") && !e.to_string().contains("pässwörd"), "{e}");
        assert!(secret_bytes("P", &s, 12).is_ok());
        let e = secret_bytes("P", &s, 11).unwrap_err();
        assert!(e.to_string().contains("got 12") && !e.to_string().contains("pässwörd"), "{e}");
        assert!(secret_bytes("P", &SecretString::from(""), 11).is_err());
    }

    #[test]
    fn encoded_len_measures_the_base64_form() {
        assert!(encoded_len("C", "abc", true, 4).is_ok());
        assert!(encoded_len("C", "abcd", true, 4).is_err(), "4 plain bytes are 8 encoded");
        assert!(encoded_len("C", "abcd", false, 4).is_ok());
        let e = encoded_len("C", "abcde", false, 4).unwrap_err();
        assert!(e.to_string().contains("5 bytes"), "{e}");
    }
}
