//! RAM parameter rules and the `InvalidParameter.<Name>.*` codes they answer.

use crate::error::ApiError;
use ram_policy::{PolicyDocument, PolicyKind};

fn length(param: &str, value: &str, min: usize, max: usize) -> Result<(), ApiError> {
    let n = value.chars().count();
    if n < min || n > max {
        return Err(ApiError::bad_request(
            format!("InvalidParameter.{param}.Length"),
            format!("The length of {param} must be between {min} and {max} characters, got {n}."),
        ));
    }
    Ok(())
}

fn chars(param: &str, value: &str, allowed: impl Fn(char) -> bool, rule: &str) -> Result<(), ApiError> {
    if value.chars().all(allowed) {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            format!("InvalidParameter.{param}.InvalidChars"),
            format!("{param} contains invalid characters; it may contain {rule}."),
        ))
    }
}

/// User names: 1–64 of letters, digits, `.`, `-`, `_`.
pub(super) fn user_name(param: &str, value: &str) -> Result<(), ApiError> {
    length(param, value, 1, 64)?;
    chars(param, value, |c| c.is_ascii_alphanumeric() || ".-_".contains(c), "letters, digits, '.', '-' and '_'")
}

/// Display names: 1–128 characters, no control characters.
pub(super) fn display_name(param: &str, value: &str) -> Result<(), ApiError> {
    length(param, value, 1, 128)?;
    chars(param, value, |c| !c.is_control(), "printable characters")
}

/// Comments: at most 128 characters.
pub(super) fn comments(param: &str, value: &str) -> Result<(), ApiError> {
    length(param, value, 0, 128)
}

/// Email: `local@domain.tld`.
pub(super) fn email(param: &str, value: &str) -> Result<(), ApiError> {
    let ok = value.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
    });
    if ok && !value.contains(char::is_whitespace) {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            format!("InvalidParameter.{param}.Format"),
            format!("{param} is not a valid email address."),
        ))
    }
}

/// Mobile phone: `<country code>-<number>`, e.g. `86-18600008888`.
pub(super) fn mobile_phone(param: &str, value: &str) -> Result<(), ApiError> {
    let ok = value.split_once('-').is_some_and(|(cc, n)| {
        (1..=4).contains(&cc.len())
            && (4..=20).contains(&n.len())
            && cc.bytes().all(|b| b.is_ascii_digit())
            && n.bytes().all(|b| b.is_ascii_digit())
    });
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            format!("InvalidParameter.{param}.Format"),
            format!("{param} must look like <country code>-<number>, e.g. 86-18600008888."),
        ))
    }
}

/// Policy names: 1–128 of letters, digits and `-`.
pub(super) fn policy_name(value: &str) -> Result<(), ApiError> {
    length("PolicyName", value, 1, 128)?;
    chars("PolicyName", value, |c| c.is_ascii_alphanumeric() || c == '-', "letters, digits and '-'")
}

/// Role names: 1–64 of letters, digits, `.` and `-`.
pub(super) fn role_name(value: &str) -> Result<(), ApiError> {
    length("RoleName", value, 1, 64)?;
    chars("RoleName", value, |c| c.is_ascii_alphanumeric() || ".-".contains(c), "letters, digits, '.' and '-'")
}

/// Descriptions: at most `max` characters.
pub(super) fn description(param: &str, value: &str, max: usize) -> Result<(), ApiError> {
    length(param, value, 0, max)
}

/// `v1`, `v2`, …
pub(super) fn version_id(value: &str) -> Result<(), ApiError> {
    let ok = value
        .strip_prefix('v')
        .is_some_and(|n| !n.is_empty() && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit()));
    if ok {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "InvalidParameter.VersionId.Format",
            format!("VersionId {value:?} must look like v1, v2, ..."),
        ))
    }
}

/// A policy document of `kind`, at most `max_len` characters (`InvalidParameter.<param>.Length`), grammatically
/// valid (`MalformedPolicyDocument` naming the first problem and where it is).
pub(super) fn document(param: &str, text: &str, kind: PolicyKind, max_len: usize) -> Result<PolicyDocument, ApiError> {
    length(param, text, 1, max_len)?;
    let report = ram_policy::validate(text, kind);
    let parsed = PolicyDocument::parse(text);
    match (report.is_valid(), parsed) {
        (true, Ok(doc)) => Ok(doc),
        (_, parsed) => {
            let why = report
                .errors
                .first()
                .map(|f| f.to_string())
                .or_else(|| parsed.err().map(|e| e.to_string()))
                .unwrap_or_else(|| "invalid document".to_owned());
            Err(ApiError::bad_request("MalformedPolicyDocument", format!("The policy document is malformed: {why}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code<T>(r: Result<T, ApiError>) -> String {
        r.err().map(|e| e.code).unwrap_or_default()
    }

    #[test]
    fn names_and_formats() {
        assert!(user_name("UserName", "command.User_01-x").is_ok());
        assert_eq!(code(user_name("UserName", "bad name")), "InvalidParameter.UserName.InvalidChars");
        assert_eq!(code(user_name("NewUserName", &"a".repeat(65))), "InvalidParameter.NewUserName.Length");
        assert_eq!(code(user_name("UserName", "")), "InvalidParameter.UserName.Length");
        assert!(policy_name("commandUserPolicy").is_ok());
        assert_eq!(code(policy_name("a_b")), "InvalidParameter.PolicyName.InvalidChars");
        assert!(role_name("AxtSecretRamRole").is_ok());
        assert_eq!(code(role_name("a_b")), "InvalidParameter.RoleName.InvalidChars");
        assert!(email("Email", "a@example.com").is_ok());
        assert_eq!(code(email("Email", "a@b")), "InvalidParameter.Email.Format");
        assert!(mobile_phone("MobilePhone", "86-18600008888").is_ok());
        assert_eq!(code(mobile_phone("MobilePhone", "18600008888")), "InvalidParameter.MobilePhone.Format");
        assert!(version_id("v12").is_ok());
        assert_eq!(code(version_id("v0")), "InvalidParameter.VersionId.Format");
        assert_eq!(code(version_id("1")), "InvalidParameter.VersionId.Format");
    }

    #[test]
    fn documents() {
        let good = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:*","Resource":"*"}]}"#;
        assert!(document("PolicyDocument", good, PolicyKind::Identity, 6144).is_ok());
        assert_eq!(code(document("PolicyDocument", "{", PolicyKind::Identity, 6144)), "MalformedPolicyDocument");
        let no_effect = r#"{"Version":"1","Statement":[{"Action":"ecs:*","Resource":"*"}]}"#;
        assert_eq!(code(document("PolicyDocument", no_effect, PolicyKind::Identity, 6144)), "MalformedPolicyDocument");
        assert_eq!(
            code(document("PolicyDocument", good, PolicyKind::Identity, 10)),
            "InvalidParameter.PolicyDocument.Length"
        );
    }
}
