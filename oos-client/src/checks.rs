//! Checks the generated per-field validation cannot express.

use acs_core::Error;

/// Prefixes reserved for service-owned parameters.
pub(crate) const RESERVED_PREFIXES: &[&str] = &["ALIYUN", "ACS", "ALIBABA", "ALICLOUD", "OOS"];

/// A new parameter's name must not start with a reserved prefix (compared case-insensitively).
pub(crate) fn parameter_name_prefix(field: &str, name: &str) -> Result<(), Error> {
    let upper = name.to_ascii_uppercase();
    if let Some(prefix) = RESERVED_PREFIXES.iter().find(|p| upper.starts_with(*p)) {
        return Err(Error::invalid_input(field, format!("must not start with the reserved prefix {prefix}")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_prefixes_are_rejected_case_insensitively() {
        for bad in ["ALIYUNpassword", "acs/x", "Oos-param", "alicloud_x", "ALIBABA"] {
            assert!(parameter_name_prefix("Name", bad).is_err(), "{bad}");
        }
        for good in ["axtSecretPassword", "my/acs", "x-OOS"] {
            assert!(parameter_name_prefix("Name", good).is_ok(), "{good}");
        }
    }
}
