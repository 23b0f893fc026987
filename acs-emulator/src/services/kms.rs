//! KMS `2016-01-20`: keys (with a default service key `alias/acs/oos` per region), aliases, real AES-256-GCM
//! encryption (`Encrypt`, `Decrypt`, `GenerateDataKey`), key states and secrets.
//!
//! KMS operations carry no `RegionId` in the catalog; the region is the `RegionId` parameter when a client sends
//! one, else the region in a `kms.<region>.aliyuncs.com` `Host`, else the account's first region.
//!
//! Resource ARNs: `acs:kms:<region>:<account>:key/<id>`, `…:alias/<name>`, `…:secret/<name>`, and
//! `acs:kms:<region>:<account>:*` for `CreateKey`, the lists and `DescribeRegions`.
//!
//! Key states follow KMS's "impact of CMK status on API operations" table: cryptographic use of a `Disabled` key
//! is HTTP 409 `Rejected.Disabled`, of a `PendingDeletion` key 409 `Rejected.PendingDeletion`; a state change
//! the current state does not allow (enable/disable/schedule a key pending deletion, cancel the deletion of a key
//! that is not pending, alias a key pending deletion) is 409 `Rejected.StateModifiedFailed`. An existing alias is
//! 400 `AliasAlreadyExists`. A ciphertext that cannot be opened (malformed, tampered, or a different
//! `EncryptionContext`) is 400 `InvalidParameter` naming `CiphertextBlob`: KMS documents no specific code for it.
//! Secrets: `Forbidden.ResourceNotFound`, `Rejected.ResourceExist`, `Rejected.ResourceInDeleteWindow` (409).
//! The full list with sources: [`crate::error_codes`].

mod envelope;
mod secrets;

use super::paging::Page;
use super::{Ctx, Reply};
use crate::error::ApiError;
use crate::ids::now_unix;
use crate::seed::Seed;
use base64::Engine as _;
use envelope::Material;
use serde_json::{json, Value};
use std::collections::BTreeMap;

pub use secrets::Secret;

/// The alias of the key OOS encrypts secret parameters with by default (one per region).
pub const OOS_SERVICE_ALIAS: &str = "alias/acs/oos";

/// `Enabled`, `Disabled`, `PendingDeletion`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyState {
    /// Usable.
    Enabled,
    /// Refuses cryptographic operations until enabled again.
    Disabled,
    /// Scheduled for deletion; refuses cryptographic operations.
    PendingDeletion,
}

impl KeyState {
    /// The wire spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyState::Enabled => "Enabled",
            KeyState::Disabled => "Disabled",
            KeyState::PendingDeletion => "PendingDeletion",
        }
    }
}

/// One version of a key's material.
#[derive(Clone, Debug)]
pub struct KeyVersion {
    /// Version id.
    pub id: String,
    material: Material,
    /// Creation time (Unix seconds).
    pub created: i64,
}

/// A customer master key (or a service key).
#[derive(Clone, Debug)]
pub struct Key {
    /// Key id.
    pub id: String,
    /// Region.
    pub region: String,
    /// `acs:kms:<region>:<account>:key/<id>`.
    pub arn: String,
    /// Description.
    pub description: String,
    /// `Aliyun_AES_256`.
    pub spec: String,
    /// `ENCRYPT/DECRYPT`.
    pub usage: String,
    /// `Aliyun_KMS` or `EXTERNAL`.
    pub origin: String,
    /// `SOFTWARE` or `HSM`.
    pub protection_level: String,
    /// Current state.
    pub state: KeyState,
    /// Who created it (the account id, or the service for service keys).
    pub creator: String,
    /// Creation time.
    pub created: i64,
    /// When a pending deletion completes.
    pub delete_at: Option<i64>,
    /// Versions; the last is primary.
    pub versions: Vec<KeyVersion>,
}

impl Key {
    fn primary(&self) -> Option<&KeyVersion> {
        self.versions.last()
    }

    fn metadata(&self) -> Value {
        json!({
            "Arn": self.arn,
            "AutomaticRotation": "Disabled",
            "CreationDate": date(self.created),
            "Creator": self.creator,
            "DKMSInstanceId": "",
            "DeleteDate": self.delete_at.map(date).unwrap_or_default(),
            "DeletionProtection": "Disabled",
            "DeletionProtectionDescription": "",
            "Description": self.description,
            "KeyId": self.id,
            "KeySpec": self.spec,
            "KeyState": self.state.as_str(),
            "KeyUsage": self.usage,
            "LastRotationDate": date(self.primary().map(|v| v.created).unwrap_or(self.created)),
            "MaterialExpireTime": "",
            "NextRotationDate": "",
            "Origin": self.origin,
            "PrimaryKeyVersion": self.primary().map(|v| v.id.clone()).unwrap_or_default(),
            "ProtectionLevel": self.protection_level,
            "RotationInterval": "",
        })
    }
}

/// KMS state: keys, aliases and secrets of every region.
#[derive(Debug, Default)]
pub struct KmsState {
    keys: BTreeMap<String, Key>,
    /// (region, alias name) → key id.
    aliases: BTreeMap<(String, String), String>,
    /// (region, secret name) → secret.
    secrets: BTreeMap<(String, String), Secret>,
}

/// The outcome of an encryption: blob and the key version used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sealed {
    /// Base64 ciphertext blob.
    pub blob: String,
    /// Key id.
    pub key_id: String,
    /// Key version id.
    pub version_id: String,
}

/// A lower-case UUID (key ids, version ids).
pub(crate) fn uuid() -> String {
    crate::ids::request_id().to_ascii_lowercase()
}

pub(crate) fn date(unix: i64) -> String {
    acs_signer::format_timestamp(unix)
}

/// The canonical AAD of an encryption context: compact JSON with sorted keys (empty for no context).
pub fn context_aad(context: &BTreeMap<String, Value>) -> Vec<u8> {
    if context.is_empty() {
        Vec::new()
    } else {
        serde_json::to_vec(context).unwrap_or_default()
    }
}

impl KmsState {
    /// One service key with alias [`OOS_SERVICE_ALIAS`] per region of the seed.
    pub fn from_seed(seed: &Seed) -> KmsState {
        let mut state = KmsState::default();
        let now = now_unix();
        for region in &seed.regions {
            let arn_base = format!("acs:kms:{region}:{}", seed.account_id);
            if let Ok(id) = state.create_key(region, &arn_base, "Default key of OOS secret parameters", "Oos", now) {
                state.aliases.insert((region.clone(), OOS_SERVICE_ALIAS.to_owned()), id);
            }
        }
        state
    }

    fn create_key(
        &mut self,
        region: &str,
        arn_base: &str,
        description: &str,
        creator: &str,
        now: i64,
    ) -> Result<String, ApiError> {
        let material = Material::generate().ok_or_else(|| ApiError::internal("no randomness for key material"))?;
        let id = uuid();
        let key = Key {
            arn: format!("{arn_base}:key/{id}"),
            id: id.clone(),
            region: region.to_owned(),
            description: description.to_owned(),
            spec: "Aliyun_AES_256".into(),
            usage: "ENCRYPT/DECRYPT".into(),
            origin: "Aliyun_KMS".into(),
            protection_level: "SOFTWARE".into(),
            state: KeyState::Enabled,
            creator: creator.to_owned(),
            created: now,
            delete_at: None,
            versions: vec![KeyVersion { id: uuid(), material, created: now }],
        };
        self.keys.insert(id.clone(), key);
        Ok(id)
    }

    /// A key by id, `alias/<name>` or ARN, in `region` (an ARN of another region is `Forbidden.KeyNotFound`).
    pub fn resolve_key(&self, region: &str, key_ref: &str) -> Result<&Key, ApiError> {
        let id = if key_ref.starts_with("alias/") {
            self.aliases.get(&(region.to_owned(), key_ref.to_owned())).ok_or_else(|| alias_not_found(key_ref))?
        } else if let Some(rest) = key_ref.strip_prefix("acs:kms:") {
            let mut parts = rest.splitn(3, ':');
            let key_region = parts.next().unwrap_or_default();
            if key_region != region {
                // Keys and aliases are regional: another region's ARN names nothing here.
                return Err(key_not_found(key_ref));
            }
            let relative = parts.nth(1).unwrap_or_default();
            if let Some(alias) = relative.strip_prefix("alias/") {
                return self.resolve_key(key_region, &format!("alias/{alias}"));
            }
            return self.resolve_key(key_region, relative.strip_prefix("key/").unwrap_or(relative));
        } else {
            key_ref
        };
        self.keys.get(id).filter(|k| k.region == region).ok_or_else(|| key_not_found(key_ref))
    }

    fn usable(&self, region: &str, key_ref: &str) -> Result<&Key, ApiError> {
        let key = self.resolve_key(region, key_ref)?;
        match key.state {
            KeyState::Enabled => Ok(key),
            KeyState::Disabled => Err(ApiError::conflict(
                "Rejected.Disabled",
                format!("The key {} is disabled; enable it before using it.", key.id),
            )),
            KeyState::PendingDeletion => Err(ApiError::conflict(
                "Rejected.PendingDeletion",
                format!("The key {} is pending deletion and cannot be used.", key.id),
            )),
        }
    }

    /// Encrypts `plaintext` with the primary version of `key_ref`, binding `context`.
    pub fn encrypt(
        &self,
        region: &str,
        key_ref: &str,
        plaintext: &[u8],
        context: &BTreeMap<String, Value>,
    ) -> Result<Sealed, ApiError> {
        let key = self.usable(region, key_ref)?;
        let version = key.primary().ok_or_else(|| ApiError::internal("key without versions"))?;
        let blob = envelope::seal(&key.id, &version.id, &version.material, plaintext, &context_aad(context))
            .ok_or_else(|| ApiError::internal("encryption failed"))?;
        Ok(Sealed { blob, key_id: key.id.clone(), version_id: version.id.clone() })
    }

    /// Decrypts a blob made by [`KmsState::encrypt`] with the same `context`.
    pub fn decrypt(&self, blob: &str, context: &BTreeMap<String, Value>) -> Result<(Vec<u8>, Sealed), ApiError> {
        let header = envelope::header(blob).ok_or_else(invalid_ciphertext)?;
        let key = self.keys.get(&header.key_id).ok_or_else(|| key_not_found(&header.key_id))?;
        let key = self.usable(&key.region, &key.id)?;
        let version = key.versions.iter().find(|v| v.id == header.version_id).ok_or_else(invalid_ciphertext)?;
        let plain = envelope::open(blob, &version.material, &context_aad(context)).ok_or_else(invalid_ciphertext)?;
        Ok((plain, Sealed { blob: blob.to_owned(), key_id: key.id.clone(), version_id: version.id.clone() }))
    }

    /// The id of the key an alias points to in `region`.
    pub fn alias_target(&self, region: &str, alias: &str) -> Option<&str> {
        self.aliases.get(&(region.to_owned(), alias.to_owned())).map(String::as_str)
    }

    /// A live secret (not pending deletion).
    pub fn secret(&self, region: &str, name: &str) -> Option<&Secret> {
        self.secrets.get(&(region.to_owned(), name.to_owned()))
    }
}

fn key_not_found(key_ref: &str) -> ApiError {
    ApiError::not_found("Forbidden.KeyNotFound", format!("The specified key {key_ref:?} is not found."))
}

fn alias_not_found(alias: &str) -> ApiError {
    ApiError::not_found("Forbidden.AliasNotFound", format!("The specified alias {alias:?} is not found."))
}

/// A blob that cannot be opened. KMS documents no dedicated code (Decrypt lists none), so this is its generic
/// `InvalidParameter` (HTTP 400) naming the parameter.
fn invalid_ciphertext() -> ApiError {
    ApiError::invalid_parameter(
        "CiphertextBlob",
        "it is malformed, was not produced by this key, or the EncryptionContext differs from the one used to encrypt",
    )
}

/// `Rejected.StateModifiedFailed` (HTTP 409): the key's state does not allow this change.
fn state_modified_failed(id: &str, why: &str) -> ApiError {
    ApiError::conflict("Rejected.StateModifiedFailed", format!("The state of key {id} cannot be changed: {why}."))
}

/// The region of a call to a service whose operations may omit `RegionId` (KMS, OOS): the `RegionId` parameter,
/// else `<product>.<region>.aliyuncs.com` / `<product>-vpc.<region>.aliyuncs.com` in `Host`, else the account's
/// first region.
pub(crate) fn request_region(ctx: &Ctx<'_>) -> Result<String, ApiError> {
    if ctx.params.non_empty("RegionId").is_some() {
        return ctx.region().map(str::to_owned);
    }
    let host = ctx.env.host.split(':').next().unwrap_or_default();
    let mut labels = host.split('.');
    if let (Some(_service), Some(region), Some("aliyuncs")) = (labels.next(), labels.next(), labels.next()) {
        if ctx.state.regions.iter().any(|r| r == region) {
            return Ok(region.to_owned());
        }
    }
    ctx.state.regions.first().cloned().ok_or_else(|| ApiError::bad_request("InvalidRegionId", "No region."))
}

/// Longest `EncryptionContext` JSON text, in characters.
const MAX_CONTEXT_CHARS: usize = 8192;

/// The `EncryptionContext` parameter: a JSON object of strings to strings, at most 8,192 characters (absent =
/// empty). Numbers, arrays, `null` and arrays of pairs are `InvalidParameter`, as in KMS.
fn encryption_context(ctx: &Ctx<'_>) -> Result<BTreeMap<String, Value>, ApiError> {
    if ctx.params.non_empty("EncryptionContext").is_some_and(|t| t.chars().count() > MAX_CONTEXT_CHARS) {
        return Err(ApiError::invalid_parameter("EncryptionContext", "at most 8192 characters"));
    }
    let context = ctx.params.json::<BTreeMap<String, String>>("EncryptionContext")?.unwrap_or_default();
    Ok(context.into_iter().map(|(k, v)| (k, Value::String(v))).collect())
}

fn b64() -> &'static base64::engine::GeneralPurpose {
    &base64::engine::general_purpose::STANDARD
}

/// Handles one KMS call.
pub fn handle(ctx: &mut Ctx<'_>) -> Reply {
    let region = request_region(ctx)?;
    match ctx.action {
        "CreateKey" => create_key(ctx, &region),
        "DescribeKey" => describe_key(ctx, &region),
        "ListKeys" => list_keys(ctx, &region),
        "EnableKey" | "DisableKey" | "ScheduleKeyDeletion" | "CancelKeyDeletion" => change_state(ctx, &region),
        "CreateAlias" => create_alias(ctx, &region),
        "ListAliases" => list_aliases(ctx, &region),
        "DeleteAlias" => delete_alias(ctx, &region),
        "Encrypt" => encrypt(ctx, &region),
        "Decrypt" => decrypt(ctx, &region),
        "GenerateDataKey" => generate_data_key(ctx, &region),
        "CreateSecret" => secrets::create(ctx, &region),
        "GetSecretValue" => secrets::get_value(ctx, &region),
        "DeleteSecret" => secrets::delete(ctx, &region),
        "ListSecrets" => secrets::list(ctx, &region),
        "DescribeRegions" => describe_regions(ctx),
        other => Err(ApiError::invalid_action(other)),
    }
}

/// Resolves `KeyId` and authorizes this call on the key's ARN (on the reference as given when it does not exist,
/// so a caller without permission learns nothing).
fn authorized_key(ctx: &mut Ctx<'_>, region: &str, key_ref: &str) -> Result<String, ApiError> {
    let found = ctx.state.kms.resolve_key(region, key_ref).map(|k| (k.id.clone(), k.arn.clone()));
    match found {
        Ok((id, arn)) => {
            ctx.authorize([arn], &[])?;
            Ok(id)
        }
        Err(e) => {
            let arn = ctx.arn(region, &format!("key/{key_ref}"));
            ctx.authorize([arn], &[])?;
            Err(e)
        }
    }
}

fn create_key(ctx: &mut Ctx<'_>, region: &str) -> Reply {
    let arn = ctx.arn(region, "*");
    ctx.authorize([arn], &[])?;
    let spec = ctx.params.non_empty("KeySpec").unwrap_or("Aliyun_AES_256");
    if spec != "Aliyun_AES_256" {
        return Err(ApiError::invalid_parameter("KeySpec", "the emulator supports Aliyun_AES_256 only"));
    }
    let usage = ctx.params.non_empty("KeyUsage").unwrap_or("ENCRYPT/DECRYPT");
    if usage != "ENCRYPT/DECRYPT" {
        return Err(ApiError::invalid_parameter("KeyUsage", "the emulator supports ENCRYPT/DECRYPT only"));
    }
    let protection = ctx.params.non_empty("ProtectionLevel").unwrap_or("SOFTWARE");
    if protection != "SOFTWARE" && protection != "HSM" {
        return Err(ApiError::invalid_parameter("ProtectionLevel", "must be SOFTWARE or HSM"));
    }
    let description = ctx.params.non_empty("Description").unwrap_or_default().to_owned();
    let arn_base = format!("acs:kms:{region}:{}", ctx.account_id());
    let creator = ctx.account_id().to_owned();
    let id = ctx.state.kms.create_key(region, &arn_base, &description, &creator, ctx.env.now)?;
    let key = ctx.state.kms.keys.get_mut(&id).ok_or_else(|| ApiError::internal("key vanished"))?;
    key.protection_level = protection.to_owned();
    Ok(json!({ "KeyMetadata": key.metadata() }))
}

fn describe_key(ctx: &mut Ctx<'_>, region: &str) -> Reply {
    let key_ref = ctx.params.required("KeyId")?;
    let id = authorized_key(ctx, region, key_ref)?;
    let key = ctx.state.kms.keys.get(&id).ok_or_else(|| key_not_found(&id))?;
    Ok(json!({ "KeyMetadata": key.metadata() }))
}

fn list_keys(ctx: &mut Ctx<'_>, region: &str) -> Reply {
    let arn = ctx.arn(region, "*");
    ctx.authorize([arn], &[])?;
    let page = Page::numbered(ctx.params, 10, 100, "InvalidParameter", "InvalidParameter")?;
    let keys: Vec<Value> = ctx
        .state
        .kms
        .keys
        .values()
        .filter(|k| k.region == region)
        .map(|k| json!({"KeyId": k.id, "KeyArn": k.arn}))
        .collect();
    let (keys, info) = page.take(keys);
    Ok(json!({"Keys": {"Key": keys}, "PageNumber": info.number, "PageSize": info.size, "TotalCount": info.total}))
}

fn change_state(ctx: &mut Ctx<'_>, region: &str) -> Reply {
    let key_ref = ctx.params.required("KeyId")?;
    let window = match ctx.action {
        "ScheduleKeyDeletion" => ctx.params.int_in("PendingWindowInDays", 7, 366, "InvalidParameter")?,
        _ => None,
    };
    let id = authorized_key(ctx, region, key_ref)?;
    let now = ctx.env.now;
    let action = ctx.action;
    let key = ctx.state.kms.keys.get_mut(&id).ok_or_else(|| key_not_found(&id))?;
    if key.creator == "Oos" {
        return Err(ApiError::forbidden(
            "Forbidden.NoPermission",
            "A service key is managed by its cloud service and cannot change state.",
        ));
    }
    let pending = key.state == KeyState::PendingDeletion;
    match action {
        "EnableKey" | "DisableKey" | "ScheduleKeyDeletion" if pending => {
            return Err(state_modified_failed(&id, "it is pending deletion; cancel the deletion first"))
        }
        "EnableKey" => key.state = KeyState::Enabled,
        "DisableKey" => key.state = KeyState::Disabled,
        "ScheduleKeyDeletion" => {
            let days = window.unwrap_or(30);
            key.state = KeyState::PendingDeletion;
            key.delete_at = Some(now + days * 86_400);
        }
        _ => {
            if !pending {
                return Err(state_modified_failed(&id, "it is not pending deletion"));
            }
            key.state = KeyState::Enabled;
            key.delete_at = None;
        }
    }
    Ok(json!({}))
}

fn check_alias_name(name: &str) -> Result<(), ApiError> {
    let rest = name.strip_prefix("alias/").unwrap_or_default();
    let valid_chars = rest.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'/' | b'-'));
    if rest.is_empty() || name.len() > 255 || !valid_chars {
        return Err(ApiError::invalid_parameter(
            "AliasName",
            "must be alias/ followed by 1-249 letters, digits, '_', '/' or '-'",
        ));
    }
    if rest.to_ascii_lowercase().starts_with("acs") {
        return Err(ApiError::invalid_parameter("AliasName", "the alias/acs prefix is reserved for service keys"));
    }
    Ok(())
}

fn create_alias(ctx: &mut Ctx<'_>, region: &str) -> Reply {
    let name = ctx.params.required("AliasName")?;
    let key_ref = ctx.params.required("KeyId")?;
    let alias_arn = ctx.arn(region, name);
    ctx.authorize([alias_arn], &[])?;
    check_alias_name(name)?;
    let id = authorized_key(ctx, region, key_ref)?;
    let slot = (region.to_owned(), name.to_owned());
    if ctx.state.kms.aliases.contains_key(&slot) {
        return Err(ApiError::bad_request("AliasAlreadyExists", format!("The alias {name} already exists.")));
    }
    if ctx.state.kms.keys.get(&id).is_some_and(|k| k.state == KeyState::PendingDeletion) {
        return Err(state_modified_failed(&id, "a key pending deletion cannot get a new alias"));
    }
    ctx.state.kms.aliases.insert(slot, id);
    Ok(json!({}))
}

fn list_aliases(ctx: &mut Ctx<'_>, region: &str) -> Reply {
    let arn = ctx.arn(region, "*");
    ctx.authorize([arn], &[])?;
    let page = Page::numbered(ctx.params, 10, 100, "InvalidParameter", "InvalidParameter")?;
    let account = ctx.account_id().to_owned();
    let aliases: Vec<Value> = ctx
        .state
        .kms
        .aliases
        .iter()
        .filter(|((r, _), _)| r == region)
        .map(|((_, name), id)| {
            json!({"AliasName": name, "AliasArn": format!("acs:kms:{region}:{account}:{name}"), "KeyId": id})
        })
        .collect();
    let (aliases, info) = page.take(aliases);
    Ok(
        json!({"Aliases": {"Alias": aliases}, "PageNumber": info.number, "PageSize": info.size, "TotalCount": info.total}),
    )
}

fn delete_alias(ctx: &mut Ctx<'_>, region: &str) -> Reply {
    let name = ctx.params.required("AliasName")?;
    let arn = ctx.arn(region, name);
    ctx.authorize([arn], &[])?;
    let slot = (region.to_owned(), name.to_owned());
    if name.starts_with("alias/acs/") {
        return Err(ApiError::forbidden("Forbidden.NoPermission", "Service key aliases cannot be deleted."));
    }
    ctx.state.kms.aliases.remove(&slot).ok_or_else(|| alias_not_found(name))?;
    Ok(json!({}))
}

fn encrypt(ctx: &mut Ctx<'_>, region: &str) -> Reply {
    let key_ref = ctx.params.required("KeyId")?;
    let plaintext = ctx.params.required("Plaintext")?;
    let id = authorized_key(ctx, region, key_ref)?;
    let bytes = b64()
        .decode(plaintext)
        .map_err(|_| ApiError::invalid_parameter("Plaintext", "must be Base64-encoded bytes"))?;
    if bytes.len() > 6144 {
        return Err(ApiError::invalid_parameter("Plaintext", "at most 6144 bytes"));
    }
    let context = encryption_context(ctx)?;
    let sealed = ctx.state.kms.encrypt(region, &id, &bytes, &context)?;
    Ok(json!({"CiphertextBlob": sealed.blob, "KeyId": sealed.key_id, "KeyVersionId": sealed.version_id}))
}

fn decrypt(ctx: &mut Ctx<'_>, region: &str) -> Reply {
    let blob = ctx.params.required("CiphertextBlob")?;
    let context = encryption_context(ctx)?;
    let header = envelope::header(blob);
    let Some(header) = header else {
        let arn = ctx.arn(region, "key/*");
        ctx.authorize([arn], &[])?;
        return Err(invalid_ciphertext());
    };
    // Keys are regional: a blob sealed by a key of another region names a key this region does not have.
    let Some(key_arn) = ctx.state.kms.keys.get(&header.key_id).filter(|k| k.region == region).map(|k| k.arn.clone())
    else {
        let arn = ctx.arn(region, &format!("key/{}", header.key_id));
        ctx.authorize([arn], &[])?;
        return Err(key_not_found(&header.key_id));
    };
    ctx.authorize([key_arn], &[])?;
    let (plain, sealed) = ctx.state.kms.decrypt(blob, &context)?;
    Ok(json!({"Plaintext": b64().encode(plain), "KeyId": sealed.key_id, "KeyVersionId": sealed.version_id}))
}

fn generate_data_key(ctx: &mut Ctx<'_>, region: &str) -> Reply {
    let key_ref = ctx.params.required("KeyId")?;
    let len = match (ctx.params.int_in("NumberOfBytes", 1, 1024, "InvalidParameter")?, ctx.params.non_empty("KeySpec"))
    {
        (Some(n), _) => n as usize,
        (None, None | Some("AES_256")) => 32,
        (None, Some("AES_128")) => 16,
        (None, Some(_)) => return Err(ApiError::invalid_parameter("KeySpec", "must be AES_256 or AES_128")),
    };
    let id = authorized_key(ctx, region, key_ref)?;
    let context = encryption_context(ctx)?;
    let data_key = envelope::random_bytes(len).ok_or_else(|| ApiError::internal("no randomness"))?;
    let sealed = ctx.state.kms.encrypt(region, &id, &data_key, &context)?;
    Ok(json!({
        "Plaintext": b64().encode(&data_key),
        "CiphertextBlob": sealed.blob,
        "KeyId": sealed.key_id,
        "KeyVersionId": sealed.version_id,
    }))
}

fn describe_regions(ctx: &mut Ctx<'_>) -> Reply {
    ctx.authorize(["*"], &[])?;
    let regions: Vec<Value> = ctx.state.regions.iter().map(|r| json!({"RegionId": r})).collect();
    Ok(json!({"Regions": {"Region": regions}}))
}
