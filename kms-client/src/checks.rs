//! Checks the generated per-field validation cannot express.

use acs_core::Error;

/// An alias is `alias/<name>`; `alias/acs...` is reserved for service keys.
pub(crate) fn alias_name(field: &str, name: &str) -> Result<(), Error> {
    let Some(rest) = name.strip_prefix("alias/") else {
        return Err(Error::invalid_input(field, "must start with \"alias/\""));
    };
    if rest.is_empty() {
        return Err(Error::invalid_input(field, "needs a name after \"alias/\""));
    }
    if rest.to_ascii_lowercase().starts_with("acs") {
        return Err(Error::invalid_input(field, "must not start with \"alias/acs\" (reserved for service keys)"));
    }
    acs_core::validate::chars(
        field,
        rest,
        |c| c.is_ascii_alphanumeric() || matches!(c, '_' | '/' | '-'),
        "letters, digits, '_', '/' and '-' after \"alias/\"",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_rules() {
        assert!(alias_name("AliasName", "alias/axt-key").is_ok());
        for bad in ["axt-key", "alias/", "alias/acs-thing", "alias/ACSx", "alias/has space"] {
            assert!(alias_name("AliasName", bad).is_err(), "{bad}");
        }
    }
}
