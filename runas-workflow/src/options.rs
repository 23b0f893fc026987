//! What the procedure sets up: names, the run-as rule, the instance; for Windows the role, the KMS policy and the
//! password parameter. Defaults follow the published procedure.

use std::path::PathBuf;

use acs_core::{ExposeSecret, SecretString};
use ram_policy::PolicyDocument;

use crate::error::{Result, WorkflowError};

/// Default RAM user name.
pub const DEFAULT_USER_NAME: &str = "commandUser";
/// Default name of the custom run-as policy.
pub const DEFAULT_POLICY_NAME: &str = "commandUserPolicy";
/// Default instance RAM role (Windows).
pub const DEFAULT_ROLE_NAME: &str = "AxtSecretRamRole";
/// Default name of the role's custom policy (Windows).
pub const DEFAULT_ROLE_POLICY_NAME: &str = "AxtSecretRamRolePolicy";
/// Default name of the user's KMS policy (Windows).
pub const DEFAULT_KMS_POLICY_NAME: &str = "kmsPolicy";
/// Default name of the OOS encrypted parameter holding the Windows password.
pub const DEFAULT_PASSWORD_PARAM: &str = "axtSecretPassword";
/// Default allowed OS users.
pub const DEFAULT_ALLOWED_USERS: [&str; 2] = ["user01", "user02"];
/// Default denied OS users (deny-list form).
pub const DEFAULT_DENIED_USERS: [&str; 2] = ["root", "system"];

/// Which OS users the RAM user may run commands as: the two policy forms of the procedure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunAsRule {
    /// Only these users (`StringEquals` on `ecs:CommandRunAs`, case-sensitive).
    AllowOnly(Vec<String>),
    /// Any user except these (`StringNotEqualsIgnoreCase`, so `Root` and `SYSTEM` are excluded too).
    DenyOnly(Vec<String>),
}

impl Default for RunAsRule {
    fn default() -> Self {
        RunAsRule::AllowOnly(DEFAULT_ALLOWED_USERS.iter().map(|s| s.to_string()).collect())
    }
}

impl RunAsRule {
    /// The custom policy document for this rule.
    pub fn policy_document(&self) -> PolicyDocument {
        match self {
            RunAsRule::AllowOnly(users) => {
                ram_policy::procedure::run_as_allow_list(&users.iter().map(String::as_str).collect::<Vec<_>>())
            }
            RunAsRule::DenyOnly(users) => {
                ram_policy::procedure::run_as_deny_list(&users.iter().map(String::as_str).collect::<Vec<_>>())
            }
        }
    }

    /// Whether the policy lets commands run as `os_user` (the same comparison RAM makes: the policy's own
    /// operator, as the simulator evaluates it).
    pub fn permits(&self, os_user: &str) -> bool {
        use ram_policy::OperatorKind;
        match self {
            RunAsRule::AllowOnly(users) => users.iter().any(|u| OperatorKind::StringEquals.compare(os_user, u)),
            RunAsRule::DenyOnly(users) => {
                !users.iter().any(|u| OperatorKind::StringEqualsIgnoreCase.compare(os_user, u))
            }
        }
    }

    /// The users listed in the rule.
    pub fn users(&self) -> &[String] {
        match self {
            RunAsRule::AllowOnly(u) | RunAsRule::DenyOnly(u) => u,
        }
    }
}

/// Options shared by the Linux and Windows procedures. Build with [`Options::new`] and adjust the public fields.
#[derive(Clone, Debug)]
pub struct Options {
    /// Region of the instance (and of the password parameter on Windows).
    pub region: String,
    /// The instance verification runs on (and, on Windows, the one the role is attached to). May be empty for the
    /// Linux procedure's plan, apply and teardown, which touch RAM only; [`crate::Setup::verify`] needs it.
    pub instance_id: String,
    /// RAM user name (default `commandUser`).
    pub user_name: String,
    /// RAM user display name (default: the user name).
    pub display_name: String,
    /// Name of the custom run-as policy (default `commandUserPolicy`).
    pub policy_name: String,
    /// Which OS users commands may run as.
    pub run_as: RunAsRule,
    /// OS users `verify` runs `whoami` as, expecting success. Default: the allow-list's users (Linux), the
    /// password parameter's user (Windows), or `user01` with a deny-list.
    pub verify_users: Option<Vec<String>>,
    /// Where the new user's login password and AccessKey are written (mode 0600), and read back from.
    pub credentials_out: Option<PathBuf>,
    /// Replace orphaned AccessKeys: keys of the user the workflow created whose secret is not in
    /// `credentials_out` (a run died between `CreateAccessKey` and writing the file). A new key is created and
    /// written first, then the orphaned ones are deleted. Needs `credentials_out`. Default `false`: orphaned keys
    /// are only reported.
    pub rotate_access_key: bool,
}

impl Options {
    /// Defaults of the procedure for this instance.
    pub fn new(region: impl Into<String>, instance_id: impl Into<String>) -> Options {
        Options {
            region: region.into(),
            instance_id: instance_id.into(),
            user_name: DEFAULT_USER_NAME.to_owned(),
            display_name: DEFAULT_USER_NAME.to_owned(),
            policy_name: DEFAULT_POLICY_NAME.to_owned(),
            run_as: RunAsRule::default(),
            verify_users: None,
            credentials_out: None,
            rotate_access_key: false,
        }
    }

    pub(crate) fn check(&self) -> Result<()> {
        check_region(&self.region)?;
        if !self.instance_id.is_empty() {
            non_empty("instance_id", &self.instance_id, 64)?;
        }
        check_name("user_name", &self.user_name, 64, |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))?;
        non_empty("display_name", &self.display_name, 128)?;
        check_policy_name("policy_name", &self.policy_name)?;
        if self.run_as.users().is_empty() {
            return Err(invalid("run_as", "lists no OS user".to_owned()));
        }
        for u in self.run_as.users() {
            non_empty("run_as", u, 255)?;
        }
        // What CreatePolicy would refuse (e.g. too many users for 6,144 characters) must stop the run before the
        // user and its secrets are created.
        let report = ram_policy::validate(&self.run_as.policy_document().to_json(), ram_policy::PolicyKind::Identity);
        if let Some(first) = report.errors.first() {
            return Err(invalid("run_as", format!("RAM would refuse the run-as policy: {first}")));
        }
        if self.rotate_access_key && self.credentials_out.is_none() {
            return Err(invalid(
                "rotate_access_key",
                "needs credentials_out: the new key's secret must be written somewhere before the old key goes"
                    .to_owned(),
            ));
        }
        if let Some(users) = &self.verify_users {
            if users.is_empty() {
                return Err(invalid("verify_users", "lists no OS user (leave it unset for the default)".to_owned()));
            }
            for u in users {
                non_empty("verify_users", u, 255)?;
            }
        }
        Ok(())
    }
}

/// Options of the Windows procedure: the shared options plus the role, the KMS policy and the password.
#[derive(Clone, Debug)]
pub struct WindowsOptions {
    /// The shared options.
    pub base: Options,
    /// Instance RAM role trusted by ECS (default `AxtSecretRamRole`).
    pub role_name: String,
    /// Custom policy attached to the role (default `AxtSecretRamRolePolicy`).
    pub role_policy_name: String,
    /// Custom KMS policy attached to the user (default `kmsPolicy`).
    pub kms_policy_name: String,
    /// OOS encrypted parameter holding the password (default `axtSecretPassword`).
    pub password_param: String,
    /// The Windows user whose password the parameter holds (default `user01`).
    pub windows_user: String,
    /// The Windows user's password (redacted in `Debug`).
    pub password: SecretString,
    /// KMS key encrypting the parameter; `None` = the service's default key.
    pub kms_key_id: Option<String>,
}

impl WindowsOptions {
    /// Defaults of the procedure for this instance and password.
    pub fn new(region: impl Into<String>, instance_id: impl Into<String>, password: SecretString) -> WindowsOptions {
        WindowsOptions {
            base: Options::new(region, instance_id),
            role_name: DEFAULT_ROLE_NAME.to_owned(),
            role_policy_name: DEFAULT_ROLE_POLICY_NAME.to_owned(),
            kms_policy_name: DEFAULT_KMS_POLICY_NAME.to_owned(),
            password_param: DEFAULT_PASSWORD_PARAM.to_owned(),
            windows_user: "user01".to_owned(),
            password,
            kms_key_id: None,
        }
    }

    pub(crate) fn check(&self) -> Result<()> {
        self.base.check()?;
        if self.base.instance_id.is_empty() {
            return Err(invalid(
                "instance_id",
                "the Windows procedure attaches its role to the instance (and detaches it at teardown): give one"
                    .to_owned(),
            ));
        }
        check_name("role_name", &self.role_name, 64, |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))?;
        check_policy_name("role_policy_name", &self.role_policy_name)?;
        check_policy_name("kms_policy_name", &self.kms_policy_name)?;
        for (field, name) in [("role_policy_name", &self.role_policy_name), ("kms_policy_name", &self.kms_policy_name)]
        {
            if name.eq_ignore_ascii_case(&self.base.policy_name) {
                return Err(invalid(field, format!("must differ from policy_name {:?}", self.base.policy_name)));
            }
        }
        check_name("password_param", &self.password_param, 180, |c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/')
        })?;
        let upper = self.password_param.to_ascii_uppercase();
        if ["ALIYUN", "ACS", "ALIBABA", "ALICLOUD", "OOS"].iter().any(|p| upper.starts_with(p)) {
            return Err(invalid(
                "password_param",
                "must not start with ALIYUN, ACS, ALIBABA, ALICLOUD or OOS (reserved)".to_owned(),
            ));
        }
        non_empty("windows_user", &self.windows_user, 255)?;
        if !self.base.run_as.permits(&self.windows_user) {
            return Err(invalid(
                "windows_user",
                format!(
                    "{:?} is not allowed by the run-as rule ({}), so the password parameter would serve no one: \
                     choose an allowed Windows user",
                    self.windows_user,
                    match &self.base.run_as {
                        RunAsRule::AllowOnly(users) => format!("only {}", users.join(", ")),
                        RunAsRule::DenyOnly(users) => format!("anyone but {}", users.join(", ")),
                    }
                ),
            ));
        }
        let n = self.password.expose_secret().chars().count();
        if n == 0 || n > 4096 {
            return Err(invalid("password", format!("must be 1 to 4096 characters long (got {n})")));
        }
        if let Some(k) = &self.kms_key_id {
            non_empty("kms_key_id", k, 512)?;
        }
        Ok(())
    }
}

fn invalid(field: &'static str, message: String) -> WorkflowError {
    WorkflowError::InvalidOption { field, message }
}

fn non_empty(field: &'static str, value: &str, max: usize) -> Result<()> {
    let n = value.chars().count();
    if value.trim().is_empty() || n > max {
        return Err(invalid(field, format!("must be 1 to {max} characters long (got {n})")));
    }
    Ok(())
}

fn check_name(field: &'static str, value: &str, max: usize, ok: impl Fn(char) -> bool) -> Result<()> {
    non_empty(field, value, max)?;
    if let Some(c) = value.chars().find(|c| !ok(*c)) {
        return Err(invalid(field, format!("{value:?} contains {c:?}, which is not allowed here")));
    }
    Ok(())
}

fn check_policy_name(field: &'static str, value: &str) -> Result<()> {
    check_name(field, value, 128, |c| c.is_ascii_alphanumeric() || c == '-')
}

fn check_region(region: &str) -> Result<()> {
    non_empty("region", region, 64)?;
    if !region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
        return Err(invalid("region", format!("{region:?} is not a region id (like cn-hangzhou)")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_match_ram_comparisons() {
        let allow = RunAsRule::default();
        assert!(allow.permits("user01"));
        assert!(!allow.permits("User01"), "StringEquals is case-sensitive");
        assert!(!allow.permits("root"));
        let deny = RunAsRule::DenyOnly(vec!["root".into(), "system".into()]);
        assert!(deny.permits("user01"));
        assert!(!deny.permits("SYSTEM"), "StringNotEqualsIgnoreCase ignores case");
        assert!(!deny.permits("Root"));
    }

    #[test]
    fn permits_agrees_with_the_policy_it_builds() {
        // verify's expectations come from `permits`; RAM's answers from the document: they must never disagree.
        let rules = [
            RunAsRule::default(),
            RunAsRule::AllowOnly(vec!["Ädmin".into(), "user01".into()]),
            RunAsRule::DenyOnly(vec!["root".into(), "system".into()]),
            RunAsRule::DenyOnly(vec!["ÄDMIN".into(), "İnci".into()]),
        ];
        let users = ["user01", "User01", "user02", "root", "ROOT", "System", "ädmin", "Ädmin", "ÄDMIN", "i̇nci", "inci"];
        let resource = "acs:ecs:cn-hangzhou:1234567890123456:instance/i-1";
        for rule in &rules {
            let doc = rule.policy_document();
            let policies = [ram_policy::NamedPolicy::new("p", &doc)];
            for user in users {
                let request = ram_policy::Request::new("ecs:RunCommand", resource)
                    .with_context(ram_policy::Context::new().with(ram_policy::COMMAND_RUN_AS_KEY, user));
                let allowed = ram_policy::evaluate(&policies, &request).is_allowed();
                assert_eq!(rule.permits(user), allowed, "{rule:?} as {user}");
            }
        }
    }

    #[test]
    fn documents_are_the_procedures() {
        let allow = RunAsRule::default().policy_document();
        assert!(allow.to_json().contains("StringEquals"));
        let deny = RunAsRule::DenyOnly(vec!["root".into()]).policy_document();
        assert!(deny.to_json().contains("StringNotEqualsIgnoreCase"));
    }

    #[test]
    fn invalid_options_name_the_field() {
        let mut o = Options::new("cn-hangzhou", "i-1");
        assert!(o.check().is_ok());
        o.user_name = "bad name".into();
        let e = o.check().unwrap_err().to_string();
        assert!(e.contains("user_name"), "{e}");
        let mut o = Options::new("CN hangzhou", "i-1");
        assert!(o.check().unwrap_err().to_string().contains("region"));
        o.region = "cn-hangzhou".into();
        o.run_as = RunAsRule::AllowOnly(vec![]);
        assert!(o.check().unwrap_err().to_string().contains("run_as"));
    }

    #[test]
    fn a_run_as_policy_ram_would_refuse_is_refused_before_any_call() {
        // 700 users make a 7,000-character document: CreatePolicy would fail after the user and its key exist.
        let mut o = Options::new("cn-hangzhou", "i-1");
        o.run_as = RunAsRule::AllowOnly((0..700).map(|i| format!("user{i:03}")).collect());
        let e = o.check().unwrap_err().to_string();
        assert!(e.contains("run_as") && e.contains("6144"), "{e}");
        o.run_as = RunAsRule::AllowOnly((0..100).map(|i| format!("user{i:03}")).collect());
        assert!(o.check().is_ok());
    }

    #[test]
    fn only_the_linux_procedure_may_go_without_an_instance() {
        let o = Options::new("cn-hangzhou", "");
        assert!(o.check().is_ok(), "Linux plan/apply/teardown touch RAM only");
        let o = Options::new("cn-hangzhou", "  ");
        assert!(o.check().unwrap_err().to_string().contains("instance_id"));
        let w = WindowsOptions::new("cn-hangzhou", "", SecretString::from("Sentinel-Pw-1".to_owned()));
        assert!(w.check().unwrap_err().to_string().contains("instance_id"));
    }

    #[test]
    fn rotating_the_access_key_needs_a_credentials_file() {
        let mut o = Options::new("cn-hangzhou", "i-1");
        o.rotate_access_key = true;
        assert!(o.check().unwrap_err().to_string().contains("rotate_access_key"));
        o.credentials_out = Some("creds.json".into());
        assert!(o.check().is_ok());
    }

    #[test]
    fn an_empty_verify_list_is_refused() {
        // Otherwise only the root/system probe runs, and the verification "passes" without one allowed run.
        let mut o = Options::new("cn-hangzhou", "i-1");
        o.verify_users = Some(vec![]);
        assert!(o.check().unwrap_err().to_string().contains("verify_users"));
        o.verify_users = Some(vec!["user01".into()]);
        assert!(o.check().is_ok());
    }

    #[test]
    fn windows_options_check_password_and_names_without_echoing_the_password() {
        let mut w = WindowsOptions::new("cn-hangzhou", "i-1", SecretString::from("Sentinel-Pw-1".to_owned()));
        assert!(w.check().is_ok());
        w.password_param = "OOS-reserved".into();
        assert!(w.check().unwrap_err().to_string().contains("password_param"));
        w.password_param = "axtSecretPassword".into();
        w.password = SecretString::from(String::new());
        let e = w.check().unwrap_err().to_string();
        assert!(e.contains("password"));
        w.password = SecretString::from("Sentinel-Pw-1".to_owned());
        w.kms_policy_name = DEFAULT_POLICY_NAME.into();
        assert!(w.check().unwrap_err().to_string().contains("kms_policy_name"));
        assert!(!format!("{w:?}").contains("Sentinel"));
    }

    #[test]
    fn the_windows_user_must_be_one_the_run_as_rule_allows() {
        // The parameter holds this user's password: if the policy refuses the user, nobody can use it, and the
        // verification would pass without a single allowed run.
        let mut w = WindowsOptions::new("cn-hangzhou", "i-1", SecretString::from("Pw-1".to_owned()));
        w.base.run_as = RunAsRule::AllowOnly(vec!["user02".into()]);
        let e = w.check().unwrap_err().to_string();
        assert!(e.contains("windows_user") && e.contains("user01"), "{e}");
        w.windows_user = "user02".into();
        assert!(w.check().is_ok());
        w.base.run_as = RunAsRule::DenyOnly(vec!["User02".into()]);
        assert!(w.check().unwrap_err().to_string().contains("windows_user"));
        w.base.run_as = RunAsRule::DenyOnly(vec!["root".into(), "system".into()]);
        assert!(w.check().is_ok());
    }
}
