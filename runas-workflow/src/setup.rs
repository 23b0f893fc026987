//! [`Setup`]: the procedure for one instance — plan, apply, verify, teardown.

use acs_core::waiter::WaiterConfig;
use acs_core::ExposeSecret;
use ram_policy::procedure;

use crate::context::{default_visibility_wait, Ctx};
use crate::credentials_file::{self, AccessKeyPair, UserCredentials};
use crate::error::{Result, WorkflowError};
use crate::options::{Options, RunAsRule, WindowsOptions};
use crate::report::{Expected, KeySource, Phase, ProgressEvent, ProgressSink, StepReport, StepResult, Verification};
use crate::steps::{Need, PolicyRef, Step, StepKind};
use crate::verify::{self, VerifySpec, Waits, WindowsSpec};
use crate::Clients;

/// The system policy giving the user read access to ECS.
pub const ECS_READ_ONLY: &str = "AliyunECSReadOnlyAccess";
/// The system policy giving the user read access to OOS (Windows).
pub const OOS_READ_ONLY: &str = "AliyunOOSReadOnlyAccess";
/// The action name of the credentials-file entry in reports.
pub const CREDENTIALS_FILE_ACTION: &str = "credentials-file";

/// Which procedure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Platform {
    /// RAM user, run-as policy, ECS read access.
    Linux,
    /// Linux's steps plus KMS/OOS access, the instance role and the password parameter.
    Windows,
}

/// The procedure for one instance. See the crate documentation for the rules it follows.
pub struct Setup {
    platform: Platform,
    options: Options,
    windows: Option<WindowsOptions>,
    progress: Option<ProgressSink>,
    visibility: WaiterConfig,
    propagation: WaiterConfig,
    command: WaiterConfig,
    password: Option<acs_core::SecretString>,
    key: Option<AccessKeyPair>,
    changed: bool,
}

impl std::fmt::Debug for Setup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Setup")
            .field("platform", &self.platform)
            .field("options", &self.options)
            .field("windows", &self.windows)
            .field("key", &self.key)
            .field("changed", &self.changed)
            .finish_non_exhaustive()
    }
}

impl Setup {
    /// The Linux procedure. Checks the options (no call is made).
    pub fn linux(options: Options) -> Result<Setup> {
        options.check()?;
        Ok(Setup::new(Platform::Linux, options, None))
    }

    /// The Windows procedure. Checks the options (no call is made).
    pub fn windows(options: WindowsOptions) -> Result<Setup> {
        options.check()?;
        Ok(Setup::new(Platform::Windows, options.base.clone(), Some(options)))
    }

    fn new(platform: Platform, options: Options, windows: Option<WindowsOptions>) -> Setup {
        Setup {
            platform,
            options,
            windows,
            progress: None,
            visibility: default_visibility_wait(),
            propagation: WaiterConfig {
                initial_delay: std::time::Duration::from_secs(1),
                max_delay: std::time::Duration::from_secs(4),
                deadline: std::time::Duration::from_secs(30),
            },
            command: WaiterConfig {
                initial_delay: std::time::Duration::from_millis(300),
                max_delay: std::time::Duration::from_secs(3),
                deadline: std::time::Duration::from_secs(300),
            },
            password: None,
            key: None,
            changed: false,
        }
    }

    /// Calls `sink` with every [`ProgressEvent`].
    pub fn on_progress(mut self, sink: impl Fn(&ProgressEvent) + Send + Sync + 'static) -> Self {
        self.progress = Some(std::sync::Arc::new(sink));
        self
    }

    /// How long to wait for a new RAM entity to become visible (default: up to 60 s).
    pub fn visibility_wait(mut self, config: WaiterConfig) -> Self {
        self.visibility = config;
        self
    }

    /// How long verification retries while a new AccessKey or policy propagates (default: up to 30 s).
    pub fn propagation_wait(mut self, config: WaiterConfig) -> Self {
        self.propagation = config;
        self
    }

    /// How long verification waits for each command (default: up to 5 min).
    pub fn command_wait(mut self, config: WaiterConfig) -> Self {
        self.command = config;
        self
    }

    /// Linux or Windows.
    pub fn platform(&self) -> Platform {
        self.platform
    }

    /// The options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The secrets this value knows for the new user: created by [`Setup::apply`] in this process. The file named
    /// by `credentials_out` may know more.
    pub fn credentials(&self) -> Option<UserCredentials> {
        (self.password.is_some() || self.key.is_some()).then(|| UserCredentials {
            user_name: self.options.user_name.clone(),
            login_password: self.password.clone(),
            access_key: self.key.clone(),
        })
    }

    /// The ordered steps: `(action, target)`.
    pub fn steps(&self) -> Vec<(String, String)> {
        self.step_list().iter().map(|s| (s.kind().as_str().to_owned(), s.target())).collect()
    }

    fn step_list(&self) -> Vec<Step> {
        let o = &self.options;
        let user = o.user_name.clone();
        let mut steps = vec![
            Step::User { name: user.clone(), display_name: o.display_name.clone() },
            Step::LoginProfile { user: user.clone() },
            Step::AccessKey { user: user.clone() },
            Step::Policy {
                name: o.policy_name.clone(),
                document: o.run_as.policy_document(),
                purpose: "run Cloud Assistant commands only as chosen OS users",
                option: "policy_name",
            },
            Step::AttachToUser { user: user.clone(), policy: PolicyRef::system(ECS_READ_ONLY) },
            Step::AttachToUser { user: user.clone(), policy: PolicyRef::custom(&o.policy_name) },
        ];
        if let Some(w) = &self.windows {
            steps.extend([
                Step::Policy {
                    name: w.kms_policy_name.clone(),
                    document: procedure::kms_policy(),
                    purpose: "KMS access of the command user",
                    option: "kms_policy_name",
                },
                Step::AttachToUser { user: user.clone(), policy: PolicyRef::custom(&w.kms_policy_name) },
                Step::AttachToUser { user, policy: PolicyRef::system(OOS_READ_ONLY) },
                Step::Policy {
                    name: w.role_policy_name.clone(),
                    document: procedure::instance_role_policy(),
                    purpose: "lets the instance role read the Windows password parameter",
                    option: "role_policy_name",
                },
                Step::Role {
                    name: w.role_name.clone(),
                    trust: procedure::ecs_trust_policy(),
                    region: o.region.clone(),
                    instance: o.instance_id.clone(),
                },
                Step::AttachToRole { role: w.role_name.clone(), policy: PolicyRef::custom(&w.role_policy_name) },
                Step::InstanceRole {
                    region: o.region.clone(),
                    instance: o.instance_id.clone(),
                    role: w.role_name.clone(),
                },
                Step::SecretParameter {
                    region: o.region.clone(),
                    name: w.password_param.clone(),
                    key_id: w.kms_key_id.clone(),
                },
            ]);
        }
        steps
    }

    fn context<'a>(&'a self, clients: &'a Clients) -> Result<(Ctx<'a>, Option<UserCredentials>)> {
        let mut ctx = Ctx::new(clients, self.progress.as_ref(), &self.visibility);
        ctx.windows_password = self.windows.as_ref().map(|w| &w.password);
        ctx.credentials_path = self.options.credentials_out.as_deref();
        ctx.rotate_access_key = self.options.rotate_access_key;
        let file = match &self.options.credentials_out {
            Some(path) => {
                credentials_file::read(path)?.filter(|c| c.user_name.eq_ignore_ascii_case(&self.options.user_name))
            }
            None => None,
        };
        if let Some(k) = file.as_ref().and_then(|f| f.access_key.as_ref()) {
            ctx.known_key_ids.push(k.id.clone());
        }
        if let Some(k) = &self.key {
            ctx.known_key_ids.push(k.id.clone());
        }
        ctx.known_login_profile = self.password.is_some() || file.as_ref().is_some_and(|f| f.login_password.is_some());
        Ok((ctx, file))
    }

    /// That the instance (when one is given) exists in the region: a wrong id or region must stop the run before
    /// the user, its secrets and the policies are created for nothing. One `DescribeInstances` call.
    async fn check_instance(&self, clients: &Clients) -> Result<()> {
        let (region, instance) = (&self.options.region, &self.options.instance_id);
        if instance.is_empty() {
            return Ok(());
        }
        let missing = |why: String| WorkflowError::InvalidOption {
            field: "instance_id",
            message: format!(
                "no instance {instance} in {region} ({why}): check the id and the region; nothing was changed"
            ),
        };
        let listed = clients.ecs.describe_instances().region_id(region).instance_ids([instance.as_str()]).send().await;
        match listed {
            Ok(found) if found.instances.iter().any(|i| i.instance_id.as_deref() == Some(instance.as_str())) => Ok(()),
            Ok(_) => Err(missing("DescribeInstances found none".to_owned())),
            Err(e) if e.is_not_found() || e.code().is_some_and(|c| c.starts_with("InvalidInstanceId")) => {
                Err(missing(format!("DescribeInstances: {}", e.code().unwrap_or("not found"))))
            }
            Err(e) => Err(WorkflowError::Preflight {
                action: "instance".to_owned(),
                target: instance.clone(),
                source: Box::new(WorkflowError::Api { operation: "DescribeInstances", source: e }),
            }),
        }
    }

    /// Reads the current state and returns every step with what it would change (`planned`) or `unchanged`.
    /// Makes read calls only: a failing read is a [`WorkflowError::Preflight`]. An instance that does not exist
    /// in the region is a [`WorkflowError::InvalidOption`] for `instance_id`, as in [`Setup::apply`].
    pub async fn plan(&self, clients: &Clients) -> Result<Vec<StepReport>> {
        let (mut ctx, file) = self.context(clients)?;
        self.check_instance(clients).await?;
        let steps = self.step_list();
        let total = steps.len();
        let mut reports = Vec::with_capacity(total + 1);
        for (i, step) in steps.iter().enumerate() {
            let index = i + 1;
            start(&ctx, Phase::Plan, index, total, step);
            let need = step.inspect(&mut ctx).await.map_err(|e| preflight(e, step))?;
            let (result, detail) = match need {
                Need::Nothing(d) => (StepResult::Unchanged, d),
                Need::Create(d) | Need::Update(d) => (StepResult::Planned, d),
                Need::Conflict(d) if step.checked_before_any_change() => {
                    (StepResult::Planned, format!("apply would stop before any change: {d}"))
                }
                Need::Conflict(d) => (StepResult::Planned, format!("apply would stop here: {d}")),
            };
            reports.push(finish(&ctx, Phase::Plan, index, total, step, result, detail));
        }
        if let Some(path) = &self.options.credentials_out {
            let creating = reports.iter().any(|r| {
                r.result == StepResult::Planned
                    && (r.action == StepKind::LoginProfile.as_str() || r.action == StepKind::AccessKey.as_str())
            });
            let (result, detail) =
                match (credentials_file::check_writable(path, &self.options.user_name), creating, file.is_some()) {
                    (Err(e), _, _) => (StepResult::Planned, format!("apply would stop here: {e}")),
                    (Ok(()), true, _) => {
                        (StepResult::Planned, format!("new secrets would be written to {}", path.display()))
                    }
                    (Ok(()), false, true) => (StepResult::Unchanged, format!("{} is up to date", path.display())),
                    (Ok(()), false, false) => (StepResult::Unchanged, "no new secret to write".to_owned()),
                };
            reports.push(StepReport {
                action: CREDENTIALS_FILE_ACTION.into(),
                target: path.display().to_string(),
                result,
                detail,
            });
        }
        Ok(reports)
    }

    /// Performs every step in order. Safe to repeat: steps already done are reported `unchanged` after read calls
    /// only; after an interruption, the next call resumes. New secrets are written to `credentials_out` as soon as
    /// they exist (and orphaned AccessKeys, with [`Options::rotate_access_key`], are deleted only after that).
    ///
    /// Before the first change it checks that the instance exists in the region (else
    /// [`WorkflowError::InvalidOption`] for `instance_id`) and reads what could block the run — someone else's
    /// policy, role or password parameter under the workflow's names, another role on the instance — and then
    /// returns [`WorkflowError::Blocked`] having changed nothing. A read failing there is a
    /// [`WorkflowError::Preflight`]: nothing was changed either.
    pub async fn apply(&mut self, clients: &Clients) -> Result<Vec<StepReport>> {
        if let Some(path) = &self.options.credentials_out {
            // Secrets are returned once: make sure they can be kept before creating any.
            credentials_file::check_writable(path, &self.options.user_name)?;
        }
        let steps = self.step_list();
        let total = steps.len();
        let mut reports = Vec::with_capacity(total + 1);
        let mut wrote_file = false;
        let mut changed = false;
        let mut password = self.password.clone();
        let mut key = self.key.clone();
        let (file_before, result) = {
            let (mut ctx, file) = self.context(clients)?;
            self.check_instance(clients).await?;
            // Conflicts with what existed before (someone else's policy, role or parameter under the same name,
            // another role on the instance) stop the run before any change; what was read is reused by the steps.
            let mut inspected: Vec<Option<Need>> = Vec::with_capacity(total);
            for (i, step) in steps.iter().enumerate() {
                let need = if step.checked_before_any_change() {
                    match step.inspect(&mut ctx).await.map_err(|e| preflight(e, step))? {
                        Need::Conflict(why) => return Err(blocked(why, i + 1, total, step)),
                        need => Some(need),
                    }
                } else {
                    None
                };
                inspected.push(need);
            }
            let mut outcome = Ok(());
            for (i, step) in steps.iter().enumerate() {
                let index = i + 1;
                start(&ctx, Phase::Apply, index, total, step);
                let known = inspected.get_mut(i).and_then(Option::take);
                let done = async {
                    let need = match known {
                        Some(need) => need,
                        None => step.inspect(&mut ctx).await?,
                    };
                    step.apply(&mut ctx, need).await
                }
                .await;
                let (result, detail) = match done {
                    Ok(r) => r,
                    Err(e) => {
                        outcome = Err(wrap(e, index, total, step));
                        break;
                    }
                };
                changed |= result != StepResult::Unchanged;
                let new_password = ctx.new_password.take();
                let new_key = ctx.new_key.take();
                if new_password.is_some() || new_key.is_some() {
                    password = new_password.or(password);
                    key = new_key.or(key);
                    if let Some(path) = &self.options.credentials_out {
                        let merged = UserCredentials {
                            user_name: self.options.user_name.clone(),
                            login_password: password
                                .clone()
                                .or_else(|| file.as_ref().and_then(|f| f.login_password.clone())),
                            access_key: key.clone().or_else(|| file.as_ref().and_then(|f| f.access_key.clone())),
                        };
                        if let Err(e) = credentials_file::write(path, &merged) {
                            outcome = Err(wrap(e, index, total, step));
                            break;
                        }
                        wrote_file = true;
                    }
                }
                // Orphaned keys go only once the key that replaces them is on disk.
                if !ctx.obsolete_keys.is_empty() {
                    if let Err(e) = crate::steps::delete_obsolete_keys(&mut ctx, &self.options.user_name).await {
                        outcome = Err(wrap(e, index, total, step));
                        break;
                    }
                }
                reports.push(finish(&ctx, Phase::Apply, index, total, step, result, detail));
            }
            (file, outcome)
        };
        self.changed |= changed;
        self.password = password;
        self.key = key;
        result?;
        if let Some(path) = &self.options.credentials_out {
            let (result, detail) = match (wrote_file, file_before.is_some()) {
                (true, false) => (StepResult::Created, format!("secrets written to {} (mode 0600)", path.display())),
                (true, true) => (StepResult::Updated, format!("new secrets written to {} (mode 0600)", path.display())),
                (false, true) => (StepResult::Unchanged, format!("{} is up to date", path.display())),
                (false, false) => (
                    StepResult::Unchanged,
                    "no new secret to write (secrets are only known when they are created)".to_owned(),
                ),
            };
            reports.push(StepReport {
                action: CREDENTIALS_FILE_ACTION.into(),
                target: path.display().to_string(),
                result,
                detail,
            });
        }
        Ok(reports)
    }

    /// Runs `whoami` on the instance with the new user's AccessKey as each allowed OS user and as `root`
    /// (Linux) / `system` (Windows). The key is the one [`Setup::apply`] created in this process, else the one in
    /// `credentials_out`, else a temporary key created for this and deleted afterwards
    /// ([`Verification::key_source`] says which).
    pub async fn verify(&mut self, clients: &Clients) -> Result<Verification> {
        if self.options.instance_id.is_empty() {
            return Err(WorkflowError::InvalidOption {
                field: "instance_id",
                message: "verification runs commands on an instance: give one".to_owned(),
            });
        }
        let (key, key_source) = self.verification_key(clients).await?;
        let user_clients = clients
            .with_access_key(&key.id, key.secret.expose_secret())
            .map_err(WorkflowError::api("configure the new user's client"))?;
        let spec = self.verify_spec();
        let ctx = Ctx::new(clients, self.progress.as_ref(), &self.visibility);
        let waits = Waits { propagation: &self.propagation, command: &self.command };
        let checks = verify::run(&user_clients, &spec, &ctx, &waits).await;
        if key_source == KeySource::Temporary {
            clients
                .ram
                .delete_access_key()
                .user_name(&self.options.user_name)
                .user_access_key_id(&key.id)
                .send()
                .await
                .map_err(WorkflowError::api("DeleteAccessKey (temporary verification key)"))?;
        }
        Ok(Verification { checks, key_source })
    }

    async fn verification_key(&self, clients: &Clients) -> Result<(AccessKeyPair, KeySource)> {
        if let Some(k) = &self.key {
            return Ok((k.clone(), KeySource::FromApply));
        }
        let user = &self.options.user_name;
        if let Some(path) = &self.options.credentials_out {
            let from_file = credentials_file::read(path)?
                .filter(|c| c.user_name.eq_ignore_ascii_case(user))
                .and_then(|c| c.access_key);
            if let Some(k) = from_file {
                let listed = clients
                    .ram
                    .list_access_keys()
                    .user_name(user)
                    .send()
                    .await
                    .map_err(WorkflowError::api("ListAccessKeys"))?;
                if listed.access_keys.iter().any(|a| a.access_key_id.as_deref() == Some(k.id.as_str())) {
                    return Ok((k, KeySource::CredentialsFile));
                }
            }
        }
        let created = clients.ram.create_access_key().user_name(user).send().await.map_err(|e| {
            if e.code().is_some_and(|c| c.starts_with("LimitExceeded")) {
                WorkflowError::Conflict(format!(
                    "cannot verify: the AccessKey secret of {user} is not known here (pass --credentials-out with \
                     the file written when it was created) and a temporary key cannot be added because {user} \
                     already has 2 AccessKeys (if their secrets are lost, apply with --rotate-access-key and \
                     --credentials-out replaces them)"
                ))
            } else {
                WorkflowError::Api { operation: "CreateAccessKey (temporary verification key)", source: e }
            }
        })?;
        let k = created.access_key.unwrap_or_default();
        match (k.access_key_id, k.access_key_secret) {
            (Some(id), Some(secret)) => Ok((AccessKeyPair { id, secret }, KeySource::Temporary)),
            _ => Err(WorkflowError::Conflict("CreateAccessKey returned no AccessKey".into())),
        }
    }

    fn verify_spec(&self) -> VerifySpec {
        let o = &self.options;
        let (allowed, probe) = match (&self.windows, &o.verify_users) {
            (_, Some(users)) => (users.clone(), if self.windows.is_some() { "system" } else { "root" }),
            (Some(w), None) => (vec![w.windows_user.clone()], "system"),
            (None, None) => match &o.run_as {
                RunAsRule::AllowOnly(users) => (users.clone(), "root"),
                RunAsRule::DenyOnly(_) => (vec!["user01".to_owned()], "root"),
            },
        };
        let expect = |u: &str| if o.run_as.permits(u) { Expected::Allowed } else { Expected::Denied };
        // Each OS user once, in order; the probe last unless already listed (`--allow-users root,...`).
        let mut runs: Vec<(String, Expected)> = Vec::new();
        for user in allowed.iter().map(String::as_str).chain([probe]) {
            if !runs.iter().any(|(u, _)| u == user) {
                runs.push((user.to_owned(), expect(user)));
            }
        }
        VerifySpec {
            region: o.region.clone(),
            instance: o.instance_id.clone(),
            windows: self
                .windows
                .as_ref()
                .map(|w| WindowsSpec { password_param: w.password_param.clone(), role_name: w.role_name.clone() }),
            runs,
            fresh: self.changed,
        }
    }

    /// Removes, in reverse order (detach before delete), what the setup created: entities carrying the workflow's
    /// marker, policy attachments of the user and role it made, the instance role attachment of its role, the
    /// AccessKeys it made, and the credentials file. Anything that existed before is left as it was.
    ///
    /// Windows: an instance that no longer exists (released) has nothing to detach. Before its first change,
    /// teardown asks ECS which instances of the region use the workflow's role (one `DescribeInstanceRamRole` by
    /// role name); if any other than the given instance does (a mistyped `instance_id`, whether or not that id
    /// exists), it returns [`WorkflowError::Blocked`] naming them, having changed nothing. RAM roles are global but
    /// only the workflow's region is looked at: an attachment in another region is not seen.
    pub async fn teardown(&mut self, clients: &Clients) -> Result<Vec<StepReport>> {
        let (mut ctx, file) = self.context(clients)?;
        let steps = self.step_list();
        let total = steps.len();
        for (i, step) in steps.iter().rev().enumerate() {
            if let Some(why) = step.teardown_blocker(&mut ctx).await.map_err(|e| preflight(e, step))? {
                return Err(blocked(why, i + 1, total, step));
            }
        }
        let mut reports = Vec::with_capacity(total + 1);
        for (i, step) in steps.iter().rev().enumerate() {
            let index = i + 1;
            start(&ctx, Phase::Teardown, index, total, step);
            let (result, detail) = step.remove(&mut ctx).await.map_err(|e| wrap(e, index, total, step))?;
            reports.push(finish(&ctx, Phase::Teardown, index, total, step, result, detail));
        }
        if let Some(path) = &self.options.credentials_out {
            let (result, detail) = if file.is_some() {
                credentials_file::remove(path)?;
                (StepResult::Deleted, format!("{} removed", path.display()))
            } else {
                (
                    StepResult::Unchanged,
                    format!("no credentials file of {} at {}", self.options.user_name, path.display()),
                )
            };
            reports.push(StepReport {
                action: CREDENTIALS_FILE_ACTION.into(),
                target: path.display().to_string(),
                result,
                detail,
            });
        }
        self.password = None;
        self.key = None;
        Ok(reports)
    }
}

fn start(ctx: &Ctx<'_>, phase: Phase, index: usize, total: usize, step: &Step) {
    ctx.emit(ProgressEvent::StepStarted {
        phase,
        index,
        total,
        action: step.kind().as_str().to_owned(),
        target: step.target(),
    });
}

fn finish(
    ctx: &Ctx<'_>,
    phase: Phase,
    index: usize,
    total: usize,
    step: &Step,
    result: StepResult,
    detail: String,
) -> StepReport {
    let report = StepReport { action: step.kind().as_str().to_owned(), target: step.target(), result, detail };
    ctx.emit(ProgressEvent::StepFinished { phase, index, total, report: report.clone() });
    report
}

/// A read before any change failed (`plan`, or the checks `apply` and `teardown` make first).
fn preflight(e: WorkflowError, step: &Step) -> WorkflowError {
    WorkflowError::Preflight { action: step.kind().as_str().to_owned(), target: step.target(), source: Box::new(e) }
}

/// Step `index` of `total` cannot be done as the account stands (`why`), found before the first change.
fn blocked(why: String, index: usize, total: usize, step: &Step) -> WorkflowError {
    WorkflowError::Blocked {
        index,
        total,
        action: step.kind().as_str().to_owned(),
        target: step.target(),
        source: Box::new(WorkflowError::Conflict(why)),
    }
}

fn wrap(e: WorkflowError, index: usize, total: usize, step: &Step) -> WorkflowError {
    WorkflowError::Step {
        index,
        total,
        action: step.kind().as_str().to_owned(),
        target: step.target(),
        source: Box::new(e),
    }
}
