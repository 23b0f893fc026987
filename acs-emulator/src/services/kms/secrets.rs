//! KMS secrets: `CreateSecret`, `GetSecretValue`, `DeleteSecret`, `ListSecrets`.
//!
//! Secret data is stored sealed under the secret's encryption key (default: the region's service key), so a
//! disabled key makes the secret unreadable, as in the real service.

use super::{date, Ctx, Reply, OOS_SERVICE_ALIAS};
use crate::error::ApiError;
use crate::services::paging::Page;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// One version of a secret.
#[derive(Clone, Debug)]
pub struct SecretVersion {
    /// `VersionId` given by the caller.
    pub id: String,
    /// The sealed data (a KMS blob, never the plaintext).
    sealed: String,
    /// Stages, e.g. `ACSCurrent`.
    pub stages: Vec<String>,
    /// Creation time.
    pub created: i64,
}

/// A generic secret.
#[derive(Clone, Debug)]
pub struct Secret {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Key id the data is encrypted with.
    pub key_id: String,
    /// `text` or `binary`.
    pub data_type: String,
    /// Creation time.
    pub created: i64,
    /// Last update.
    pub updated: i64,
    /// Set when deletion is scheduled.
    pub planned_delete: Option<i64>,
    /// Versions.
    pub versions: Vec<SecretVersion>,
}

fn context(name: &str) -> BTreeMap<String, Value> {
    BTreeMap::from([("SecretName".to_owned(), Value::from(name))])
}

fn not_found(name: &str) -> ApiError {
    ApiError::not_found("Forbidden.ResourceNotFound", format!("The secret {name:?} is not found."))
}

fn check_name(name: &str) -> Result<(), ApiError> {
    let ok = !name.is_empty()
        && name.len() <= 192
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"_/+=.@-".contains(&b))
        && !name.to_ascii_lowercase().starts_with("acs/");
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter("SecretName", "1-192 characters of letters, digits and _/+=.@-"))
    }
}

pub(super) fn create(ctx: &mut Ctx<'_>, region: &str) -> Reply {
    let name = ctx.params.required("SecretName")?;
    let version_id = ctx.params.required("VersionId")?;
    let data = ctx.params.required("SecretData")?;
    let arn = ctx.arn(region, &format!("secret/{name}"));
    ctx.authorize([arn.clone()], &[])?;
    check_name(name)?;
    if data.len() > 30_720 {
        return Err(ApiError::invalid_parameter("SecretData", "at most 30720 bytes"));
    }
    let data_type = ctx.params.non_empty("SecretDataType").unwrap_or("text");
    if data_type != "text" && data_type != "binary" {
        return Err(ApiError::invalid_parameter("SecretDataType", "must be text or binary"));
    }
    let slot = (region.to_owned(), name.to_owned());
    if let Some(existing) = ctx.state.kms.secrets.get(&slot) {
        return Err(if existing.planned_delete.is_some() {
            ApiError::conflict("Rejected.ResourceInDeleteWindow", format!("The secret {name} is pending deletion."))
        } else {
            ApiError::conflict("Rejected.ResourceExist", format!("The secret {name} already exists."))
        });
    }
    let key_ref = ctx.params.non_empty("EncryptionKeyId").unwrap_or(OOS_SERVICE_ALIAS);
    let sealed = ctx.state.kms.encrypt(region, key_ref, data.as_bytes(), &context(name))?;
    let now = ctx.env.now;
    let secret = Secret {
        name: name.to_owned(),
        description: ctx.params.non_empty("Description").unwrap_or_default().to_owned(),
        key_id: sealed.key_id,
        data_type: data_type.to_owned(),
        created: now,
        updated: now,
        planned_delete: None,
        versions: vec![SecretVersion {
            id: version_id.to_owned(),
            sealed: sealed.blob,
            stages: vec!["ACSCurrent".into()],
            created: now,
        }],
    };
    ctx.state.kms.secrets.insert(slot, secret);
    Ok(json!({
        "Arn": arn,
        "AutomaticRotation": "Disabled",
        "DKMSInstanceId": "",
        "ExtendedConfig": "",
        "NextRotationDate": "",
        "RotationInterval": "",
        "SecretName": name,
        "SecretType": "Generic",
        "VersionId": version_id,
    }))
}

pub(super) fn get_value(ctx: &mut Ctx<'_>, region: &str) -> Reply {
    let name = ctx.params.required("SecretName")?;
    let arn = ctx.arn(region, &format!("secret/{name}"));
    ctx.authorize([arn], &[])?;
    let secret = ctx.state.kms.secret(region, name).ok_or_else(|| not_found(name))?;
    if secret.planned_delete.is_some() {
        return Err(ApiError::conflict(
            "Rejected.ResourceInDeleteWindow",
            format!("The secret {name} is pending deletion."),
        ));
    }
    let version = match (ctx.params.non_empty("VersionId"), ctx.params.non_empty("VersionStage")) {
        (Some(id), _) => secret.versions.iter().find(|v| v.id == id),
        (None, stage) => {
            let stage = stage.unwrap_or("ACSCurrent");
            secret.versions.iter().find(|v| v.stages.iter().any(|s| s == stage))
        }
    }
    .ok_or_else(|| ApiError::not_found("Forbidden.ResourceNotFound", "The requested secret version is not found."))?;
    let (plain, _) = ctx.state.kms.decrypt(&version.sealed, &context(name))?;
    let data = String::from_utf8(plain).map_err(|_| ApiError::internal("secret data is not UTF-8"))?;
    Ok(json!({
        "SecretName": secret.name,
        "SecretType": "Generic",
        "SecretData": data,
        "SecretDataType": secret.data_type,
        "VersionId": version.id,
        "VersionStages": {"VersionStage": version.stages},
        "CreateTime": date(version.created),
        "AutomaticRotation": "Disabled",
        "ExtendedConfig": "",
        "LastRotationDate": "",
        "NextRotationDate": "",
        "RotationInterval": "",
    }))
}

pub(super) fn delete(ctx: &mut Ctx<'_>, region: &str) -> Reply {
    let name = ctx.params.required("SecretName")?;
    let arn = ctx.arn(region, &format!("secret/{name}"));
    ctx.authorize([arn], &[])?;
    let force = ctx.params.bool("ForceDeleteWithoutRecovery")?.unwrap_or(false);
    let days = ctx.params.int_in("RecoveryWindowInDays", 7, 30, "InvalidParameter")?.unwrap_or(30);
    let now = ctx.env.now;
    let slot = (region.to_owned(), name.to_owned());
    if !ctx.state.kms.secrets.contains_key(&slot) {
        return Err(not_found(name));
    }
    let planned = if force {
        ctx.state.kms.secrets.remove(&slot);
        now
    } else {
        let at = now + days * 86_400;
        if let Some(secret) = ctx.state.kms.secrets.get_mut(&slot) {
            secret.planned_delete = Some(at);
        }
        at
    };
    Ok(json!({"SecretName": name, "PlannedDeleteTime": date(planned)}))
}

pub(super) fn list(ctx: &mut Ctx<'_>, region: &str) -> Reply {
    let arn = ctx.arn(region, "*");
    ctx.authorize([arn], &[])?;
    let page = Page::numbered(ctx.params, 10, 100, "InvalidParameter", "InvalidParameter")?;
    let secrets: Vec<Value> = ctx
        .state
        .kms
        .secrets
        .iter()
        .filter(|((r, _), _)| r == region)
        .map(|(_, s)| {
            json!({
                "SecretName": s.name,
                "SecretType": "Generic",
                "CreateTime": date(s.created),
                "UpdateTime": date(s.updated),
                "PlannedDeleteTime": s.planned_delete.map(date).unwrap_or_default(),
                "OwingService": "",
                "Tags": {"Tag": []},
            })
        })
        .collect();
    let (secrets, info) = page.take(secrets);
    Ok(json!({
        "SecretList": {"Secret": secrets},
        "PageNumber": info.number,
        "PageSize": info.size,
        "TotalCount": info.total,
    }))
}
