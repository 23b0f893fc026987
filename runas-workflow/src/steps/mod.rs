//! The steps of the procedure. Each step reads the current state (`inspect`, read calls only), brings it in line
//! (`apply`) and removes what the workflow created (`remove`).

mod access;
mod policies;
mod windows;

use ram_policy::PolicyDocument;

use crate::context::Ctx;
use crate::error::Result;
use crate::report::StepResult;

/// The kinds of step, with their action names (the `action` of the JSON report).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StepKind {
    /// `ram-user`: the RAM user (marked as created by the workflow).
    RamUser,
    /// `login-profile`: console access with a generated password, reset required at next logon, no MFA required.
    LoginProfile,
    /// `access-key`: API access for the user.
    AccessKey,
    /// `custom-policy`: a custom policy (created, or given a new default version when the workflow created it and
    /// its document differs; someone else's is only used when equivalent).
    CustomPolicy,
    /// `attach-user-policy`: a policy attached to the user.
    AttachUserPolicy,
    /// `ram-role`: the instance RAM role trusted by `ecs.aliyuncs.com` (Windows).
    RamRole,
    /// `attach-role-policy`: a policy attached to the role (Windows).
    AttachRolePolicy,
    /// `instance-role`: the role attached to the instance (Windows).
    InstanceRole,
    /// `secret-parameter`: the OOS encrypted parameter holding the Windows password (Windows).
    SecretParameter,
}

impl StepKind {
    /// The action name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            StepKind::RamUser => "ram-user",
            StepKind::LoginProfile => "login-profile",
            StepKind::AccessKey => "access-key",
            StepKind::CustomPolicy => "custom-policy",
            StepKind::AttachUserPolicy => "attach-user-policy",
            StepKind::RamRole => "ram-role",
            StepKind::AttachRolePolicy => "attach-role-policy",
            StepKind::InstanceRole => "instance-role",
            StepKind::SecretParameter => "secret-parameter",
        }
    }
}

impl std::fmt::Display for StepKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A policy by type and name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PolicyRef {
    pub(crate) system: bool,
    pub(crate) name: String,
}

impl PolicyRef {
    pub(crate) fn system(name: &str) -> PolicyRef {
        PolicyRef { system: true, name: name.to_owned() }
    }

    pub(crate) fn custom(name: &str) -> PolicyRef {
        PolicyRef { system: false, name: name.to_owned() }
    }

    pub(crate) fn type_str(&self) -> &'static str {
        if self.system {
            "System"
        } else {
            "Custom"
        }
    }
}

/// One step with its parameters. `Policy::option` is the options field naming the policy (`policy_name`, ...),
/// suggested in conflicts. `Role::region` and `Role::instance`: where teardown looks for instances still using the
/// role, and the instance its instance-role step detaches the role from.
#[derive(Clone, Debug)]
pub(crate) enum Step {
    User { name: String, display_name: String },
    LoginProfile { user: String },
    AccessKey { user: String },
    Policy { name: String, document: PolicyDocument, purpose: &'static str, option: &'static str },
    AttachToUser { user: String, policy: PolicyRef },
    Role { name: String, trust: PolicyDocument, region: String, instance: String },
    AttachToRole { role: String, policy: PolicyRef },
    InstanceRole { region: String, instance: String, role: String },
    SecretParameter { region: String, name: String, key_id: Option<String> },
}

/// What `inspect` found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Need {
    /// Already as wanted.
    Nothing(String),
    /// Absent: would be created.
    Create(String),
    /// Present but different: would be updated.
    Update(String),
    /// Present in a way the workflow must not override: apply stops with this explanation.
    Conflict(String),
}

impl Step {
    pub(crate) fn kind(&self) -> StepKind {
        match self {
            Step::User { .. } => StepKind::RamUser,
            Step::LoginProfile { .. } => StepKind::LoginProfile,
            Step::AccessKey { .. } => StepKind::AccessKey,
            Step::Policy { .. } => StepKind::CustomPolicy,
            Step::AttachToUser { .. } => StepKind::AttachUserPolicy,
            Step::Role { .. } => StepKind::RamRole,
            Step::AttachToRole { .. } => StepKind::AttachRolePolicy,
            Step::InstanceRole { .. } => StepKind::InstanceRole,
            Step::SecretParameter { .. } => StepKind::SecretParameter,
        }
    }

    pub(crate) fn target(&self) -> String {
        match self {
            Step::User { name, .. } => name.clone(),
            Step::LoginProfile { user } | Step::AccessKey { user } => user.clone(),
            Step::Policy { name, .. } | Step::Role { name, .. } => name.clone(),
            Step::AttachToUser { user, policy } => format!("{} -> {user}", policy.name),
            Step::AttachToRole { role, policy } => format!("{} -> {role}", policy.name),
            Step::InstanceRole { instance, role, .. } => format!("{role} -> {instance}"),
            Step::SecretParameter { region, name, .. } => format!("{name} ({region})"),
        }
    }

    /// Reads the current state; read calls only.
    pub(crate) async fn inspect(&self, ctx: &mut Ctx<'_>) -> Result<Need> {
        match self {
            Step::User { name, display_name } => access::inspect_user(ctx, name, display_name).await,
            Step::LoginProfile { user } => access::inspect_login_profile(ctx, user).await,
            Step::AccessKey { user } => access::inspect_access_key(ctx, user).await,
            Step::Policy { name, document, option, .. } => policies::inspect_policy(ctx, name, document, option).await,
            Step::AttachToUser { user, policy } => policies::inspect_user_attachment(ctx, user, policy).await,
            Step::Role { name, trust, .. } => policies::inspect_role(ctx, name, trust).await,
            Step::AttachToRole { role, policy } => policies::inspect_role_attachment(ctx, role, policy).await,
            Step::InstanceRole { region, instance, role } => {
                windows::inspect_instance_role(ctx, region, instance, role).await
            }
            Step::SecretParameter { region, name, .. } => windows::inspect_parameter(ctx, region, name).await,
        }
    }

    /// Brings the state in line with what `inspect` found.
    pub(crate) async fn apply(&self, ctx: &mut Ctx<'_>, need: Need) -> Result<(StepResult, String)> {
        match need {
            Need::Nothing(detail) => Ok((StepResult::Unchanged, detail)),
            Need::Conflict(why) => Err(crate::error::WorkflowError::Conflict(why)),
            Need::Create(_) | Need::Update(_) => {
                let update = matches!(need, Need::Update(_));
                match self {
                    Step::User { name, display_name } => access::apply_user(ctx, name, display_name, update).await,
                    Step::LoginProfile { user } => access::create_login_profile(ctx, user).await,
                    Step::AccessKey { user } if update => access::rotate_access_key(ctx, user).await,
                    Step::AccessKey { user } => access::create_access_key(ctx, user).await,
                    Step::Policy { name, document, purpose, option } => {
                        policies::apply_policy(ctx, name, document, purpose, option, update).await
                    }
                    Step::AttachToUser { user, policy } => policies::attach_to_user(ctx, user, policy).await,
                    Step::Role { name, trust, .. } => policies::apply_role(ctx, name, trust, update).await,
                    Step::AttachToRole { role, policy } => policies::attach_to_role(ctx, role, policy).await,
                    Step::InstanceRole { region, instance, role } => {
                        windows::attach_instance_role(ctx, region, instance, role).await
                    }
                    Step::SecretParameter { region, name, key_id } => {
                        windows::apply_parameter(ctx, region, name, key_id.as_deref(), update).await
                    }
                }
            }
        }
    }

    /// Whether a conflict found by `inspect` depends only on what existed before the run (someone else's policy,
    /// role or parameter, another instance role), so that `apply` can look for it before making any change.
    pub(crate) fn checked_before_any_change(&self) -> bool {
        matches!(
            self,
            Step::Policy { .. } | Step::Role { .. } | Step::InstanceRole { .. } | Step::SecretParameter { .. }
        )
    }

    /// Why teardown must not start, read before its first change (read calls only): the workflow's role is still
    /// attached to an instance of the region other than the one teardown detaches it from (the given instance may
    /// be mistyped). Only the role step has such a check.
    pub(crate) async fn teardown_blocker(&self, ctx: &mut Ctx<'_>) -> Result<Option<String>> {
        let Step::Role { name, region, instance, .. } = self else { return Ok(None) };
        if policies::role_is_managed(ctx, name).await? != Some(true) {
            return Ok(None);
        }
        let others: Vec<String> =
            windows::instances_using_role(ctx, region, name).await?.into_iter().filter(|i| i != instance).collect();
        Ok((!others.is_empty()).then(|| windows::role_in_use(name, region, &others, instance)))
    }

    /// Removes what the workflow created; leaves anything else as it is.
    pub(crate) async fn remove(&self, ctx: &mut Ctx<'_>) -> Result<(StepResult, String)> {
        match self {
            Step::User { name, .. } => access::remove_user(ctx, name).await,
            Step::LoginProfile { user } => access::remove_login_profile(ctx, user).await,
            Step::AccessKey { user } => access::remove_access_keys(ctx, user).await,
            Step::Policy { name, .. } => policies::remove_policy(ctx, name).await,
            Step::AttachToUser { user, policy } => policies::detach_from_user(ctx, user, policy).await,
            Step::Role { name, region, instance, .. } => policies::remove_role(ctx, name, region, instance).await,
            Step::AttachToRole { role, policy } => policies::detach_from_role(ctx, role, policy).await,
            Step::InstanceRole { region, instance, role } => {
                windows::detach_instance_role(ctx, region, instance, role).await
            }
            Step::SecretParameter { region, name, .. } => windows::remove_parameter(ctx, region, name).await,
        }
    }
}

pub(crate) use access::delete_obsolete_keys;

/// `Ok(None)` for a not-found error, the error otherwise.
pub(crate) fn absent<T>(r: std::result::Result<T, acs_core::Error>) -> std::result::Result<Option<T>, acs_core::Error> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_not_found() => Ok(None),
        Err(e) => Err(e),
    }
}
