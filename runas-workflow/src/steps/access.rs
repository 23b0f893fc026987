//! The RAM user, its console login profile and its AccessKey.

use acs_core::ExposeSecret;

use super::{absent, Need};
use crate::context::{is_managed, Ctx, MANAGED_MARKER};
use crate::credentials_file::AccessKeyPair;
use crate::error::{Result, WorkflowError};
use crate::report::StepResult;

/// Whether `name` exists and carries the marker (cached per run).
pub(crate) async fn user_managed(ctx: &mut Ctx<'_>, name: &str) -> Result<Option<bool>> {
    let key = name.to_ascii_lowercase();
    if let Some(known) = ctx.users.get(&key) {
        return Ok(*known);
    }
    let user =
        absent(ctx.clients.ram.get_user().user_name(name).send().await).map_err(WorkflowError::api("GetUser"))?;
    let state = user.map(|r| is_managed(r.user.as_ref().and_then(|u| u.comments.as_deref())));
    ctx.users.insert(key, state);
    Ok(state)
}

/// The user does not exist, or this run just created it: it has nothing attached yet (no read needed).
pub(crate) fn user_is_empty(ctx: &Ctx<'_>, name: &str) -> bool {
    let key = name.to_ascii_lowercase();
    ctx.users.get(&key) == Some(&None) || ctx.fresh_users.contains(&key)
}

pub(super) async fn inspect_user(ctx: &mut Ctx<'_>, name: &str, display_name: &str) -> Result<Need> {
    let found =
        absent(ctx.clients.ram.get_user().user_name(name).send().await).map_err(WorkflowError::api("GetUser"))?;
    let Some(user) = found.and_then(|r| r.user) else {
        ctx.users.insert(name.to_ascii_lowercase(), None);
        return Ok(Need::Create(format!("RAM user {name} does not exist")));
    };
    let managed = is_managed(user.comments.as_deref());
    ctx.users.insert(name.to_ascii_lowercase(), Some(managed));
    if !managed {
        return Ok(Need::Nothing(format!("RAM user {name} exists (not created by this workflow; left as it is)")));
    }
    if user.display_name.as_deref().is_some_and(|d| d != display_name) {
        return Ok(Need::Update(format!("display name differs: would set {display_name:?}")));
    }
    Ok(Need::Nothing(format!("RAM user {name} exists")))
}

pub(super) async fn apply_user(
    ctx: &mut Ctx<'_>,
    name: &str,
    display_name: &str,
    update: bool,
) -> Result<(StepResult, String)> {
    let ram = &ctx.clients.ram;
    if update {
        ram.update_user()
            .user_name(name)
            .new_display_name(display_name)
            .send()
            .await
            .map_err(WorkflowError::api("UpdateUser"))?;
        return Ok((StepResult::Updated, format!("display name set to {display_name:?}")));
    }
    match ram.create_user().user_name(name).display_name(display_name).comments(MANAGED_MARKER).send().await {
        Ok(_) => {}
        Err(e) if e.is_already_exists() => {
            // A lost response or a concurrent run: confirm with a read instead of failing.
            ctx.users.remove(&name.to_ascii_lowercase());
            if user_managed(ctx, name).await?.is_some() {
                return Ok((StepResult::Unchanged, format!("RAM user {name} already existed (confirmed by GetUser)")));
            }
            return Err(WorkflowError::Api { operation: "CreateUser", source: e });
        }
        Err(e) => return Err(WorkflowError::Api { operation: "CreateUser", source: e }),
    }
    ctx.users.insert(name.to_ascii_lowercase(), Some(true));
    ctx.fresh_users.insert(name.to_ascii_lowercase());
    let ram = ctx.clients.ram.clone();
    ctx.wait_visible(&format!("RAM user {name}"), || {
        let b = ram.get_user().user_name(name);
        async move { b.send().await.map(|r| r.user.is_some()) }
    })
    .await?;
    Ok((StepResult::Created, format!("RAM user {name} ({display_name})")))
}

pub(super) async fn inspect_login_profile(ctx: &mut Ctx<'_>, user: &str) -> Result<Need> {
    if user_is_empty(ctx, user) {
        return Ok(Need::Create("console login with a generated password (new user)".into()));
    }
    let found = absent(ctx.clients.ram.get_login_profile().user_name(user).send().await)
        .map_err(WorkflowError::api("GetLoginProfile"))?;
    Ok(match found {
        Some(_) => Need::Nothing("console login exists; its password is left unchanged".into()),
        None => Need::Create("console login with a generated password".into()),
    })
}

pub(super) async fn create_login_profile(ctx: &mut Ctx<'_>, user: &str) -> Result<(StepResult, String)> {
    let ram = &ctx.clients.ram;
    let policy = ram
        .get_password_policy()
        .send()
        .await
        .map_err(WorkflowError::api("GetPasswordPolicy"))?
        .password_policy
        .unwrap_or_default();
    let password = crate::password::generate_password(&policy, &ring::rand::SystemRandom::new())?;
    let created = ram
        .create_login_profile()
        .user_name(user)
        .password(password.expose_secret())
        .password_reset_required(true)
        .mfa_bind_required(false)
        .send()
        .await;
    match created {
        Ok(_) => {
            ctx.new_password = Some(password);
            Ok((
                StepResult::Created,
                "console login with a generated password that satisfies the password policy; \
                 reset required at next logon, MFA not required"
                    .into(),
            ))
        }
        Err(e) if e.is_already_exists() => {
            let confirmed = absent(ram.get_login_profile().user_name(user).send().await)
                .map_err(WorkflowError::api("GetLoginProfile"))?;
            match confirmed {
                Some(_) => Ok((StepResult::Unchanged, "console login already existed (confirmed by a read)".into())),
                None => Err(WorkflowError::Api { operation: "CreateLoginProfile", source: e }),
            }
        }
        Err(e) => Err(WorkflowError::Api { operation: "CreateLoginProfile", source: e }),
    }
}

/// RAM's limit of AccessKeys per user.
const MAX_ACCESS_KEYS: usize = 2;

/// The user's AccessKeys as (id, creation date), oldest first; `None` when the user does not exist.
async fn list_keys(ctx: &Ctx<'_>, user: &str) -> Result<Option<Vec<(String, String)>>> {
    let listed = absent(ctx.clients.ram.list_access_keys().user_name(user).send().await)
        .map_err(WorkflowError::api("ListAccessKeys"))?;
    Ok(listed.map(|r| {
        let mut keys: Vec<(String, String)> = r
            .access_keys
            .into_iter()
            .filter_map(|k| Some((k.access_key_id?, k.create_date.unwrap_or_default())))
            .collect();
        keys.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
        keys
    }))
}

async fn key_ids(ctx: &Ctx<'_>, user: &str) -> Result<Option<Vec<String>>> {
    Ok(list_keys(ctx, user).await?.map(|keys| keys.into_iter().map(|(id, _)| id).collect()))
}

/// The keys of the workflow's user split into those whose secret is known (credentials file, this process) and
/// the orphaned ones (secret lost), each oldest first.
fn split_known(ctx: &Ctx<'_>, keys: Vec<(String, String)>) -> (Vec<String>, Vec<String>) {
    keys.into_iter().map(|(id, _)| id).partition(|id| ctx.known_key_ids.contains(id))
}

pub(super) async fn inspect_access_key(ctx: &mut Ctx<'_>, user: &str) -> Result<Need> {
    if user_is_empty(ctx, user) {
        return Ok(Need::Create("a new AccessKey (new user)".into()));
    }
    let keys = list_keys(ctx, user).await?.unwrap_or_default();
    let managed = ctx.users.get(&user.to_ascii_lowercase()).copied().flatten().unwrap_or(false);
    if let (true, Some(path)) = (managed, ctx.credentials_path) {
        // Every key of a user the workflow made is the workflow's: one whose secret is not in the file is orphaned.
        return Ok(inspect_orphans(ctx, user, keys, path));
    }
    let ids: Vec<String> = keys.into_iter().map(|(id, _)| id).collect();
    if let Some(id) = ids.iter().find(|id| ctx.known_key_ids.contains(id)) {
        return Ok(Need::Nothing(format!("AccessKey {id} made by this workflow exists")));
    }
    if managed && !ids.is_empty() {
        return Ok(Need::Nothing(format!(
            "the user (created by this workflow) has AccessKey {}; its secret is kept only where it was first \
             written (--credentials-out)",
            ids.join(", ")
        )));
    }
    if ids.len() >= MAX_ACCESS_KEYS {
        return Ok(Need::Conflict(format!(
            "RAM user {user} already has 2 AccessKeys ({}), the limit, and none was made by this workflow: delete \
             one, or give the credentials file of the run that made it",
            ids.join(", ")
        )));
    }
    Ok(Need::Create("a new AccessKey (none made by this workflow)".into()))
}

/// The AccessKeys of a user the workflow made, against the credentials file at `path`.
fn inspect_orphans(ctx: &Ctx<'_>, user: &str, keys: Vec<(String, String)>, path: &std::path::Path) -> Need {
    let at_limit = keys.len() >= MAX_ACCESS_KEYS;
    let (known, orphans) = split_known(ctx, keys);
    let file = path.display();
    if orphans.is_empty() {
        return match known.first() {
            Some(id) => Need::Nothing(format!("AccessKey {id} made by this workflow exists")),
            None => Need::Create(format!("a new AccessKey ({user} has none)")),
        };
    }
    let orphaned = format!(
        "orphaned AccessKey {}: its secret is not in {file} (a run stopped between creating the key and writing \
         the file, or the file was replaced)",
        orphans.join(", ")
    );
    // At the limit with no usable key, a slot is freed first by deleting an orphan (its secret is lost anyway).
    let oldest_first = if at_limit && known.is_empty() {
        format!(
            " ({user} has {MAX_ACCESS_KEYS} AccessKeys, the limit: the oldest orphaned one, {}, is deleted first)",
            orphans[0]
        )
    } else {
        String::new()
    };
    match (ctx.rotate_access_key, known.first()) {
        (false, Some(id)) => Need::Nothing(format!(
            "{orphaned}; {file} holds AccessKey {id}: run again with --rotate-access-key to delete the orphaned key"
        )),
        (false, None) => Need::Nothing(format!(
            "{orphaned}; verification uses a temporary key meanwhile. Run again with --rotate-access-key to create \
             a new key, write it to {file}, then delete the orphaned one{oldest_first}"
        )),
        (true, Some(id)) => {
            Need::Update(format!("{orphaned}; {file} holds AccessKey {id}: the orphaned key would be deleted"))
        }
        (true, None) => Need::Update(format!(
            "{orphaned}: a new key would be created and written to {file}, then the orphaned key deleted{oldest_first}"
        )),
    }
}

/// Replaces the orphaned AccessKeys of a user the workflow made: creates a new key (the file is written by the
/// caller as soon as the step returns), and leaves the orphaned keys in `ctx.obsolete_keys`, deleted only once the
/// new secret is on disk. At RAM's limit of 2 keys with no known secret, the oldest orphaned key is deleted
/// first: its secret is lost, so no usable key goes.
pub(super) async fn rotate_access_key(ctx: &mut Ctx<'_>, user: &str) -> Result<(StepResult, String)> {
    let keys = list_keys(ctx, user).await?.unwrap_or_default();
    let at_limit = keys.len() >= MAX_ACCESS_KEYS;
    let (known, mut orphans) = split_known(ctx, keys);
    if orphans.is_empty() {
        return Ok((StepResult::Unchanged, "no orphaned AccessKey".into()));
    }
    if let Some(id) = known.first() {
        let detail = format!("deleted orphaned AccessKey {} (the credentials file holds {id})", orphans.join(", "));
        ctx.obsolete_keys = orphans;
        return Ok((StepResult::Updated, detail));
    }
    let mut freed = String::new();
    if at_limit {
        let oldest = orphans.remove(0);
        delete_key(ctx, user, &oldest).await?;
        freed = format!(" (deleted the oldest orphaned key {oldest} first: {MAX_ACCESS_KEYS} is the limit)");
    }
    let (_, created) = create_access_key(ctx, user).await?;
    // At least one orphan is left: at the limit with no known key, every key (two or more) is an orphan.
    let detail = format!(
        "{created} written to the credentials file, then orphaned AccessKey {} deleted{freed}",
        orphans.join(", ")
    );
    ctx.obsolete_keys = orphans;
    Ok((StepResult::Updated, detail))
}

async fn delete_key(ctx: &Ctx<'_>, user: &str, id: &str) -> Result<()> {
    match ctx.clients.ram.delete_access_key().user_name(user).user_access_key_id(id).send().await {
        Ok(_) => Ok(()),
        Err(e) if e.is_not_found() => Ok(()),
        Err(e) => Err(WorkflowError::Api { operation: "DeleteAccessKey", source: e }),
    }
}

/// Deletes the orphaned keys the AccessKey step left in `ctx.obsolete_keys`; called once their replacement is on
/// disk. A key that is already gone is fine.
pub(crate) async fn delete_obsolete_keys(ctx: &mut Ctx<'_>, user: &str) -> Result<()> {
    while let Some(id) = ctx.obsolete_keys.first().cloned() {
        delete_key(ctx, user, &id).await?;
        ctx.obsolete_keys.remove(0);
    }
    Ok(())
}

pub(super) async fn create_access_key(ctx: &mut Ctx<'_>, user: &str) -> Result<(StepResult, String)> {
    let created = ctx
        .clients
        .ram
        .create_access_key()
        .user_name(user)
        .send()
        .await
        .map_err(WorkflowError::api("CreateAccessKey"))?;
    let key = created.access_key.unwrap_or_default();
    let (Some(id), Some(secret)) = (key.access_key_id, key.access_key_secret) else {
        return Err(WorkflowError::Api {
            operation: "CreateAccessKey",
            source: acs_core::Error::Decode {
                message: "CreateAccessKey returned no AccessKeyId or AccessKeySecret".into(),
                status: 200,
                body_excerpt: String::new(),
            },
        });
    };
    ctx.known_key_ids.push(id.clone());
    ctx.new_key = Some(AccessKeyPair { id: id.clone(), secret });
    Ok((StepResult::Created, format!("AccessKey {id}")))
}

pub(super) async fn remove_user(ctx: &mut Ctx<'_>, name: &str) -> Result<(StepResult, String)> {
    match user_managed(ctx, name).await? {
        None => Ok((StepResult::Unchanged, format!("RAM user {name} does not exist"))),
        Some(false) => Ok((StepResult::Unchanged, format!("kept RAM user {name}: not created by this workflow"))),
        Some(true) => {
            match ctx.clients.ram.delete_user().user_name(name).send().await {
                Ok(_) => {}
                Err(e) if e.is_not_found() => {
                    return Ok((StepResult::Unchanged, format!("RAM user {name} does not exist")));
                }
                Err(e) => return Err(WorkflowError::Api { operation: "DeleteUser", source: e }),
            }
            ctx.users.insert(name.to_ascii_lowercase(), None);
            Ok((StepResult::Deleted, format!("RAM user {name}")))
        }
    }
}

pub(super) async fn remove_login_profile(ctx: &mut Ctx<'_>, user: &str) -> Result<(StepResult, String)> {
    match user_managed(ctx, user).await? {
        None => Ok((StepResult::Unchanged, format!("RAM user {user} does not exist"))),
        // The workflow set this login (its password is in the credentials file): it goes with the file.
        Some(false) if !ctx.known_login_profile => {
            Ok((StepResult::Unchanged, "kept: the user was not created by this workflow".into()))
        }
        Some(_) => match ctx.clients.ram.delete_login_profile().user_name(user).send().await {
            Ok(_) => Ok((StepResult::Deleted, "console login".into())),
            Err(e) if e.is_not_found() => Ok((StepResult::Unchanged, "no console login".into())),
            Err(e) => Err(WorkflowError::Api { operation: "DeleteLoginProfile", source: e }),
        },
    }
}

pub(super) async fn remove_access_keys(ctx: &mut Ctx<'_>, user: &str) -> Result<(StepResult, String)> {
    let Some(managed) = user_managed(ctx, user).await? else {
        return Ok((StepResult::Unchanged, format!("RAM user {user} does not exist")));
    };
    let ids = key_ids(ctx, user).await?.unwrap_or_default();
    let ours: Vec<String> = ids.into_iter().filter(|id| managed || ctx.known_key_ids.contains(id)).collect();
    if ours.is_empty() {
        return Ok((StepResult::Unchanged, "no AccessKey made by this workflow".into()));
    }
    for id in &ours {
        delete_key(ctx, user, id).await?;
    }
    Ok((StepResult::Deleted, format!("AccessKey {}", ours.join(", "))))
}
