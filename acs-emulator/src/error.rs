//! The error every handler returns, rendered as the real services' error body.

use serde::Serialize;

/// `AccessDeniedDetail` of a `Forbidden.RAM` answer, exactly as the real services spell its fields.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessDeniedDetail {
    /// The denied action, e.g. `ecs:RunCommand`.
    pub auth_action: String,
    /// `SubUser` (RAM user) or `AssumedRoleUser` (role session).
    pub auth_principal_type: String,
    /// The account the principal belongs to.
    pub auth_principal_owner_id: String,
    /// The RAM user name, or `RoleName:SessionName` for a role session.
    pub auth_principal_display_name: String,
    /// `ImplicitDeny` or `ExplicitDeny`.
    pub no_permission_type: String,
    /// Always `AccountLevelIdentityBasedPolicy` in the emulator.
    pub policy_type: String,
    /// Base64 of the evaluator's explanation.
    pub encoded_diagnostic_message: String,
}

/// An API error: HTTP status, `Code`, `Message` and, for permission denials, `AccessDeniedDetail`.
///
/// Messages never contain secrets (passwords, key secrets, tokens, plaintexts).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{code} (HTTP {status}): {message}")]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// The error code, e.g. `EntityNotExist.User`.
    pub code: String,
    /// A readable message.
    pub message: String,
    /// Present on `Forbidden.RAM` denials.
    pub access_denied_detail: Option<Box<AccessDeniedDetail>>,
    /// Seconds sent in the `x-acs-retry-after` response header (injected faults that ask for it).
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// An error with any status and code.
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        Self { status, code: code.into(), message: message.into(), access_denied_detail: None, retry_after: None }
    }

    /// HTTP 400.
    pub fn bad_request(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(400, code, message)
    }

    /// HTTP 403.
    pub fn forbidden(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(403, code, message)
    }

    /// HTTP 404.
    pub fn not_found(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(404, code, message)
    }

    /// HTTP 409.
    pub fn conflict(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(409, code, message)
    }

    /// HTTP 500 `InternalError`.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(500, "InternalError", message)
    }

    /// `MissingParameter` naming the parameter, worded like the real gateway.
    pub fn missing_parameter(name: &str) -> Self {
        Self::bad_request(
            "MissingParameter",
            format!("The input parameter \"{name}\" that is mandatory for processing this request is not supplied."),
        )
    }

    /// `InvalidParameter` naming the parameter and why.
    pub fn invalid_parameter(name: &str, why: &str) -> Self {
        Self::bad_request("InvalidParameter", format!("The specified parameter \"{name}\" is not valid: {why}"))
    }

    /// `InvalidAction.NotFound` (HTTP 404).
    pub fn invalid_action(action: &str) -> Self {
        Self::not_found(
            "InvalidAction.NotFound",
            format!("Specified api is not found, please check your url and method. (Action: {action})"),
        )
    }

    /// Asks the client to wait `seconds` before retrying (`x-acs-retry-after`).
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// Adds the `AccessDeniedDetail`.
    pub fn with_access_denied_detail(mut self, detail: AccessDeniedDetail) -> Self {
        self.access_denied_detail = Some(Box::new(detail));
        self
    }
}
