//! Policy documents in and out: typed [`PolicyDocument`]s or raw JSON text going in, parsed documents coming out.

use ram_policy::{ParseError, PolicyDocument};

use crate::models::{Policy, PolicyVersion, Role};

/// Anything that can be sent as a policy document parameter (`PolicyDocument`, `AssumeRolePolicyDocument`).
pub trait IntoPolicyJson {
    /// The JSON text to send.
    fn into_policy_json(self) -> String;
}

impl IntoPolicyJson for PolicyDocument {
    fn into_policy_json(self) -> String {
        self.to_json()
    }
}

impl IntoPolicyJson for &PolicyDocument {
    fn into_policy_json(self) -> String {
        self.to_json()
    }
}

impl IntoPolicyJson for String {
    fn into_policy_json(self) -> String {
        self
    }
}

impl IntoPolicyJson for &String {
    fn into_policy_json(self) -> String {
        self.clone()
    }
}

impl IntoPolicyJson for &str {
    fn into_policy_json(self) -> String {
        self.to_owned()
    }
}

/// Parses a document as returned by RAM: JSON first; if that fails and the text is percent-encoded
/// (`%7B%22Version%22...`), the decoded text. The error is the one of the JSON parse.
pub fn parse_policy_text(text: &str) -> Result<PolicyDocument, ParseError> {
    match PolicyDocument::parse(text) {
        Ok(doc) => Ok(doc),
        Err(first) => {
            let decoded = acs_core::encoding::percent_decode(text)
                .ok()
                .filter(|d| d != text)
                .or_else(|| acs_core::encoding::form_decode(text).ok().filter(|d| d != text));
            match decoded {
                Some(decoded) => PolicyDocument::parse(&decoded).map_err(|_| first),
                None => Err(first),
            }
        }
    }
}

/// A document parameter must at least be JSON (the grammar is the service's to judge: `MalformedPolicyDocument`).
pub(crate) fn check_json(field: &str, text: &str) -> Result<(), acs_core::Error> {
    serde_json::from_str::<serde::de::IgnoredAny>(text).map(|_| ()).map_err(|e| {
        acs_core::Error::invalid_input(field, format!("is not valid JSON (line {}, column {})", e.line(), e.column()))
    })
}

impl PolicyVersion {
    /// The version's document, parsed (URL-decoded when needed); `None` when the response had none.
    pub fn document(&self) -> Option<Result<PolicyDocument, ParseError>> {
        self.policy_document.as_deref().map(parse_policy_text)
    }
}

impl Policy {
    /// The policy's default document, parsed (URL-decoded when needed); `None` when the response had none.
    pub fn document(&self) -> Option<Result<PolicyDocument, ParseError>> {
        self.policy_document.as_deref().map(parse_policy_text)
    }
}

impl Role {
    /// The role's trust policy (`AssumeRolePolicyDocument`), parsed (URL-decoded when needed).
    pub fn trust_policy(&self) -> Option<Result<PolicyDocument, ParseError>> {
        self.assume_role_policy_document.as_deref().map(parse_policy_text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"{"Version":"1","Statement":[{"Effect":"Allow","Action":"ecs:RunCommand","Resource":"*"}]}"#;

    #[test]
    fn parses_plain_and_percent_encoded_documents() {
        let plain = parse_policy_text(DOC).expect("plain JSON");
        let encoded = acs_core::encoding::percent_encode(DOC);
        assert!(encoded.starts_with("%7B"));
        assert_eq!(parse_policy_text(&encoded).expect("encoded JSON"), plain);
        assert!(parse_policy_text("%7Bnot json").is_err());
        assert!(parse_policy_text("").is_err());
    }

    #[test]
    fn document_parameters_must_be_json() {
        assert!(check_json("PolicyDocument", DOC).is_ok());
        let err = check_json("PolicyDocument", "{\"Version\": \"1\",").expect_err("truncated");
        assert!(err.to_string().contains("PolicyDocument"), "{err}");
    }

    #[test]
    fn typed_and_raw_documents_become_the_same_text() {
        let doc = PolicyDocument::parse(DOC).expect("parse");
        let typed = (&doc).into_policy_json();
        assert_eq!(PolicyDocument::parse(&typed).expect("round trip"), doc);
        assert_eq!(DOC.into_policy_json(), DOC);
    }
}
