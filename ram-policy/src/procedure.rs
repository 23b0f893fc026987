//! The documents of Alibaba Cloud's "let a RAM user run Cloud Assistant commands as a regular user" procedure,
//! built with [`PolicyBuilder`](crate::PolicyBuilder). Each equals (see [`PolicyDocument::equivalent`]) the
//! published document of the same name.

use crate::model::PolicyDocument;

/// The Cloud Assistant actions the command user is allowed, as the procedure lists them.
pub const COMMAND_ACTIONS: [&str; 2] = ["ecs:InvokeCommand", "ecs:RunCommand"];

/// Resources the command policy covers: every instance and every command.
pub const COMMAND_RESOURCES: [&str; 2] = ["acs:ecs:*:*:instance/*", "acs:ecs:*:*:command/*"];

/// The service that assumes the instance RAM role.
pub const ECS_SERVICE: &str = "ecs.aliyuncs.com";

/// `commandUserPolicy` (allow-list form): RunCommand/InvokeCommand only as these OS users (`StringEquals`, so
/// case-sensitive: `User01` is not `user01`).
pub fn run_as_allow_list(users: &[&str]) -> PolicyDocument {
    PolicyDocument::builder()
        .allow(COMMAND_ACTIONS)
        .on(COMMAND_RESOURCES)
        .when_string_equals(crate::COMMAND_RUN_AS_KEY, users.iter().copied())
        .build()
}

/// `commandUserPolicy` (deny-list form): RunCommand/InvokeCommand as any OS user except these
/// (`StringNotEqualsIgnoreCase`, so `Root` and `SYSTEM` are excluded too).
pub fn run_as_deny_list(users: &[&str]) -> PolicyDocument {
    PolicyDocument::builder()
        .allow(COMMAND_ACTIONS)
        .on(COMMAND_RESOURCES)
        .when_string_not_equals_ignore_case(crate::COMMAND_RUN_AS_KEY, users.iter().copied())
        .build()
}

/// `kmsPolicy` for the RAM user (Windows): list/describe keys, encrypt, decrypt, generate data keys.
pub fn kms_policy() -> PolicyDocument {
    PolicyDocument::builder()
        .allow(["kms:List*", "kms:Describe*", "kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"])
        .on(["*"])
        .build()
}

/// The instance role's policy (Windows): read the encrypted password parameter and decrypt it.
pub fn instance_role_policy() -> PolicyDocument {
    PolicyDocument::builder()
        .allow(["kms:GetSecretValue"])
        .on(["*"])
        .allow(["oos:GetSecretParameter"])
        .on(["*"])
        .build()
}

/// The instance role's trust policy: ECS may assume the role.
pub fn ecs_trust_policy() -> PolicyDocument {
    PolicyDocument::builder().allow(["sts:AssumeRole"]).principal_service([ECS_SERVICE]).build()
}
