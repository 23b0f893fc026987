//! Who is calling: the account root, a RAM user, or an STS role session.

/// The authenticated caller of one request.
#[derive(Clone, Debug, PartialEq)]
pub enum Principal {
    /// The account itself (root AccessKey): always allowed.
    Root {
        /// Account id.
        account_id: String,
        /// The AccessKey ID used.
        access_key_id: String,
    },
    /// A RAM user: evaluated against the policies attached to it.
    User {
        /// Account id.
        account_id: String,
        /// User name as created.
        user_name: String,
        /// The user's id.
        user_id: String,
        /// The AccessKey ID used.
        access_key_id: String,
    },
    /// An STS session of a RAM role: evaluated against the role's policies (and the session policy, if any).
    RoleSession {
        /// Account id.
        account_id: String,
        /// Role name as created.
        role_name: String,
        /// The role's id.
        role_id: String,
        /// `RoleSessionName`.
        session_name: String,
        /// The temporary AccessKey ID (`STS.…`).
        access_key_id: String,
        /// The `Policy` passed to AssumeRole, which further restricts the session.
        session_policy: Option<ram_policy::PolicyDocument>,
    },
}

impl Principal {
    /// The account the principal belongs to.
    pub fn account_id(&self) -> &str {
        match self {
            Principal::Root { account_id, .. }
            | Principal::User { account_id, .. }
            | Principal::RoleSession { account_id, .. } => account_id,
        }
    }

    /// The AccessKey ID the request was signed with.
    pub fn access_key_id(&self) -> &str {
        match self {
            Principal::Root { access_key_id, .. }
            | Principal::User { access_key_id, .. }
            | Principal::RoleSession { access_key_id, .. } => access_key_id,
        }
    }

    /// Is this the account root?
    pub fn is_root(&self) -> bool {
        matches!(self, Principal::Root { .. })
    }

    /// The principal's ARN: `acs:ram::<account>:root`, `…:user/<name>` or `…:assumed-role/<role>/<session>`.
    pub fn arn(&self) -> String {
        match self {
            Principal::Root { account_id, .. } => format!("acs:ram::{account_id}:root"),
            Principal::User { account_id, user_name, .. } => format!("acs:ram::{account_id}:user/{user_name}"),
            Principal::RoleSession { account_id, role_name, session_name, .. } => {
                format!("acs:ram::{account_id}:assumed-role/{role_name}/{session_name}")
            }
        }
    }

    /// `AuthPrincipalType` of `AccessDeniedDetail`: `Account`, `SubUser` or `AssumedRoleUser`.
    pub fn principal_type(&self) -> &'static str {
        match self {
            Principal::Root { .. } => "Account",
            Principal::User { .. } => "SubUser",
            Principal::RoleSession { .. } => "AssumedRoleUser",
        }
    }

    /// `AuthPrincipalDisplayName`: the user name, or `RoleName:SessionName`.
    pub fn display_name(&self) -> String {
        match self {
            Principal::Root { account_id, .. } => account_id.clone(),
            Principal::User { user_name, .. } => user_name.clone(),
            Principal::RoleSession { role_name, session_name, .. } => format!("{role_name}:{session_name}"),
        }
    }

    /// The principal as a trust-policy subject (for `sts:AssumeRole`).
    pub fn trust_principal(&self) -> ram_policy::TrustPrincipal {
        match self {
            Principal::Root { account_id, .. } => ram_policy::TrustPrincipal::Account(account_id.clone()),
            _ => ram_policy::TrustPrincipal::RamArn(self.arn()),
        }
    }
}
