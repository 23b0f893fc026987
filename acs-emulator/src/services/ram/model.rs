//! The RAM data model and the lookups other parts of the emulator use.

use crate::error::ApiError;
use crate::principal::Principal;
use crate::seed::Seed;
use ram_policy::PolicyDocument;
use secrecy::SecretString;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// `System` or `Custom`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PolicyType {
    /// A published system policy (bundled in `ram_policy`).
    System,
    /// A policy created in the account.
    Custom,
}

impl PolicyType {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyType::System => "System",
            PolicyType::Custom => "Custom",
        }
    }

    /// Parses the wire value (`InvalidParameter.PolicyType` otherwise).
    pub fn parse(value: &str) -> Result<PolicyType, ApiError> {
        match value {
            "System" => Ok(PolicyType::System),
            "Custom" => Ok(PolicyType::Custom),
            other => Err(ApiError::bad_request(
                "InvalidParameter.PolicyType",
                format!("The parameter PolicyType must be System or Custom, got {other:?}."),
            )),
        }
    }
}

/// A policy attached to a user or role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attachment {
    /// System or Custom.
    pub policy_type: PolicyType,
    /// Policy name as created.
    pub policy_name: String,
    /// When it was attached (Unix seconds).
    pub attached: i64,
}

/// A console login profile.
#[derive(Clone, Debug)]
pub struct LoginProfile {
    /// The password (never returned).
    pub password: SecretString,
    /// Must change the password at next login.
    pub password_reset_required: bool,
    /// Must bind an MFA device at next login.
    pub mfa_bind_required: bool,
    /// Creation time.
    pub created: i64,
}

/// A RAM user.
#[derive(Clone, Debug)]
pub struct User {
    /// Name as created.
    pub name: String,
    /// 16-digit id.
    pub user_id: String,
    /// Display name (defaults to the name).
    pub display_name: String,
    /// Comments.
    pub comments: String,
    /// Email.
    pub email: String,
    /// Mobile phone (`86-18600008888`).
    pub mobile_phone: String,
    /// Creation time.
    pub created: i64,
    /// Last update.
    pub updated: i64,
    /// Console login profile.
    pub login_profile: Option<LoginProfile>,
    /// Attached policies in attachment order.
    pub attached: Vec<Attachment>,
}

/// One version of a custom policy.
#[derive(Clone, Debug)]
pub struct PolicyVersion {
    /// `v1`, `v2`, …
    pub version_id: String,
    /// The document exactly as submitted (returned as-is).
    pub document_text: String,
    /// The parsed document (evaluated).
    pub document: PolicyDocument,
    /// Creation time.
    pub created: i64,
}

/// A custom policy: at most 5 versions, one of them the default.
#[derive(Clone, Debug)]
pub struct CustomPolicy {
    /// Name as created.
    pub name: String,
    /// Description.
    pub description: String,
    /// Creation time.
    pub created: i64,
    /// Last update (new version or default change).
    pub updated: i64,
    /// Versions, oldest first.
    pub versions: Vec<PolicyVersion>,
    /// Id of the default version.
    pub default_version: String,
    /// Number of the next version id.
    pub next_version: u32,
}

impl CustomPolicy {
    /// The default version.
    pub fn default(&self) -> Option<&PolicyVersion> {
        self.versions.iter().find(|v| v.version_id == self.default_version)
    }
}

/// A RAM role.
#[derive(Clone, Debug)]
pub struct Role {
    /// Name as created.
    pub name: String,
    /// 19-digit id.
    pub role_id: String,
    /// `acs:ram::<account>:role/<name>`.
    pub arn: String,
    /// Description.
    pub description: String,
    /// The trust policy exactly as submitted.
    pub trust_policy_text: String,
    /// The parsed trust policy.
    pub trust_policy: PolicyDocument,
    /// Longest STS session, 3600–43200 s.
    pub max_session_duration: i64,
    /// Creation time.
    pub created: i64,
    /// Last update.
    pub updated: i64,
    /// Attached policies.
    pub attached: Vec<Attachment>,
}

impl Role {
    /// The ARN of role `name` of `account`, `acs:ram::<account>:role/<name>` (whether or not the role exists).
    pub fn arn_for(account: &str, name: &str) -> String {
        format!("acs:ram::{account}:role/{name}")
    }
}

/// Who an AccessKey belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyOwner {
    /// The account root.
    Root,
    /// A RAM user, by lower-case name.
    User(String),
}

/// `Active` or `Inactive`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyStatus {
    /// Usable.
    Active,
    /// Rejected with `InvalidAccessKeyId.Inactive`.
    Inactive,
}

impl KeyStatus {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyStatus::Active => "Active",
            KeyStatus::Inactive => "Inactive",
        }
    }
}

/// A long-term AccessKey.
#[derive(Clone, Debug)]
pub struct AccessKey {
    /// `LTAI…`.
    pub id: String,
    /// The secret (returned only by CreateAccessKey).
    pub secret: SecretString,
    /// Owner.
    pub owner: KeyOwner,
    /// Status.
    pub status: KeyStatus,
    /// Creation time.
    pub created: i64,
}

/// The account's password policy (GetPasswordPolicy; enforced by the login-profile operations).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// Minimum length.
    pub minimum_password_length: u32,
    /// Needs a-z.
    pub require_lowercase_characters: bool,
    /// Needs A-Z.
    pub require_uppercase_characters: bool,
    /// Needs 0-9.
    pub require_numbers: bool,
    /// Needs a symbol.
    pub require_symbols: bool,
    /// Expired passwords cannot be changed by the user.
    pub hard_expiry: bool,
    /// Days until a password expires (0 = never).
    pub max_password_age: u32,
    /// How many previous passwords cannot be reused.
    pub password_reuse_prevention: u32,
    /// Failed logins in an hour before locking.
    pub max_login_attempts: u32,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            minimum_password_length: 8,
            require_lowercase_characters: true,
            require_uppercase_characters: true,
            require_numbers: true,
            require_symbols: false,
            hard_expiry: false,
            max_password_age: 0,
            password_reuse_prevention: 0,
            max_login_attempts: 5,
        }
    }
}

impl PasswordPolicy {
    /// The rules `password` breaks (empty when it is acceptable). Never echoes the password.
    pub fn violations(&self, password: &str) -> Vec<String> {
        let mut out = Vec::new();
        let len = password.chars().count();
        if len < self.minimum_password_length as usize {
            out.push(format!("at least {} characters", self.minimum_password_length));
        }
        if len > 32 {
            out.push("at most 32 characters".to_owned());
        }
        if self.require_lowercase_characters && !password.chars().any(|c| c.is_ascii_lowercase()) {
            out.push("a lowercase letter".to_owned());
        }
        if self.require_uppercase_characters && !password.chars().any(|c| c.is_ascii_uppercase()) {
            out.push("an uppercase letter".to_owned());
        }
        if self.require_numbers && !password.chars().any(|c| c.is_ascii_digit()) {
            out.push("a digit".to_owned());
        }
        if self.require_symbols && !password.chars().any(|c| c.is_ascii_punctuation()) {
            out.push("a symbol".to_owned());
        }
        out
    }
}

/// A bundled system policy, parsed once.
fn system_document(name: &str) -> Option<&'static PolicyDocument> {
    static CACHE: OnceLock<BTreeMap<String, PolicyDocument>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| {
        ram_policy::system_policy_names()
            .iter()
            .filter_map(|n| ram_policy::system_policy(n).map(|d| (n.to_ascii_lowercase(), d)))
            .collect()
    });
    cache.get(&name.to_ascii_lowercase())
}

/// All RAM entities of the account.
#[derive(Debug, Default)]
pub struct RamState {
    pub(super) users: BTreeMap<String, User>,
    pub(super) policies: BTreeMap<String, CustomPolicy>,
    pub(super) roles: BTreeMap<String, Role>,
    pub(super) access_keys: BTreeMap<String, AccessKey>,
    pub(super) password_policy: PasswordPolicy,
}

/// Limits (FACTS.md).
pub(super) const MAX_USERS: usize = 1000;
pub(super) const MAX_ROLES: usize = 1000;
pub(super) const MAX_CUSTOM_POLICIES: usize = 1500;
pub(super) const MAX_VERSIONS: usize = 5;
pub(super) const MAX_ACCESS_KEYS: usize = 2;

impl RamState {
    /// The seed's root AccessKeys; no users, policies or roles.
    pub fn from_seed(seed: &Seed) -> RamState {
        let access_keys = seed
            .root_access_keys
            .iter()
            .map(|k| {
                let key = AccessKey {
                    id: k.id.clone(),
                    secret: k.secret.clone(),
                    owner: KeyOwner::Root,
                    status: KeyStatus::Active,
                    created: crate::ids::now_unix(),
                };
                (k.id.clone(), key)
            })
            .collect();
        RamState { access_keys, ..RamState::default() }
    }

    /// The user named `name` (case-insensitive).
    pub fn user(&self, name: &str) -> Option<&User> {
        self.users.get(&name.to_ascii_lowercase())
    }

    /// The role named `name` (case-insensitive).
    pub fn role(&self, name: &str) -> Option<&Role> {
        self.roles.get(&name.to_ascii_lowercase())
    }

    /// The custom policy named `name` (case-insensitive).
    pub fn custom_policy(&self, name: &str) -> Option<&CustomPolicy> {
        self.policies.get(&name.to_ascii_lowercase())
    }

    /// The password policy.
    pub fn password_policy(&self) -> &PasswordPolicy {
        &self.password_policy
    }

    /// The documents of `attachments`, named by policy name (custom: the default version).
    fn documents<'s>(&'s self, attachments: &'s [Attachment]) -> Vec<(&'s str, &'s PolicyDocument)> {
        attachments
            .iter()
            .filter_map(|a| {
                let doc = match a.policy_type {
                    PolicyType::System => system_document(&a.policy_name),
                    PolicyType::Custom => {
                        self.custom_policy(&a.policy_name).and_then(|p| p.default()).map(|v| &v.document)
                    }
                };
                doc.map(|d| (a.policy_name.as_str(), d))
            })
            .collect()
    }

    /// The policies attached to user `name`, by policy name (empty when the user does not exist).
    pub fn user_policies(&self, name: &str) -> Vec<(&str, &PolicyDocument)> {
        self.user(name).map(|u| self.documents(&u.attached)).unwrap_or_default()
    }

    /// The policies attached to role `name`, by policy name (empty when the role does not exist).
    pub fn role_policies(&self, name: &str) -> Vec<(&str, &PolicyDocument)> {
        self.role(name).map(|r| self.documents(&r.attached)).unwrap_or_default()
    }

    /// Does `policy_name` of `policy_type` exist?
    pub fn policy_exists(&self, policy_type: PolicyType, policy_name: &str) -> bool {
        match policy_type {
            PolicyType::System => ram_policy::system_policy_json(policy_name).is_some(),
            PolicyType::Custom => self.custom_policy(policy_name).is_some(),
        }
    }

    /// The owner and secret of a long-term AccessKey; `Ok(None)` when the id is not a RAM key.
    pub(crate) fn resolve_access_key(
        &self,
        account_id: &str,
        access_key_id: &str,
    ) -> Result<Option<(Principal, SecretString)>, ApiError> {
        let Some(key) = self.access_keys.get(access_key_id) else { return Ok(None) };
        if key.status == KeyStatus::Inactive {
            return Err(ApiError::bad_request("InvalidAccessKeyId.Inactive", "Specified access key is disabled."));
        }
        let principal = match &key.owner {
            KeyOwner::Root => {
                Principal::Root { account_id: account_id.to_owned(), access_key_id: access_key_id.to_owned() }
            }
            KeyOwner::User(lower) => {
                let Some(user) = self.users.get(lower) else { return Ok(None) };
                Principal::User {
                    account_id: account_id.to_owned(),
                    user_name: user.name.clone(),
                    user_id: user.user_id.clone(),
                    access_key_id: access_key_id.to_owned(),
                }
            }
        };
        Ok(Some((principal, key.secret.clone())))
    }
}
