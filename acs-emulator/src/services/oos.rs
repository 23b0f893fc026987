//! OOS `2019-06-01`: secret parameters, stored encrypted under a KMS key (default: the region's service key
//! `alias/acs/oos`), with versions.
//!
//! Parameters are regional (the region is resolved like KMS's, see [`super::kms`]). Resource ARN:
//! `acs:oos:<region>:<account>:secretparameter/<name>` (`acs:oos:<region>:<account>:*` for the list).
//! `WithDecryption=true` returns the plaintext `Value` and additionally needs the dependent action
//! `kms:GetSecretValue` on the parameter's key; without it the call is `Forbidden.RAM`. Without decryption no
//! `Value` is returned at all.
//!
//! Codes: `EntityNotExists.Parameter`, `EntityAlreadyExists.Parameter`, `InvalidParameter.Name`,
//! `InvalidParameter.Value`, `InvalidParameter.Description`, `InvalidParameter.Names`, `InvalidParameter.MaxResults`.

use super::kms::{request_region, OOS_SERVICE_ALIAS};
use super::paging::Page;
use super::{Ctx, Reply};
use crate::authz::Check;
use crate::error::ApiError;
use crate::seed::Seed;
use crate::state::State;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// One version of a parameter's value (sealed by KMS).
#[derive(Clone, Debug)]
struct ParameterVersion {
    version: i64,
    sealed: String,
}

/// A secret parameter.
#[derive(Clone, Debug)]
pub struct SecretParameter {
    /// Name (may contain `/` paths).
    pub name: String,
    /// `p-` id.
    pub id: String,
    /// Region.
    pub region: String,
    /// Description.
    pub description: String,
    /// Id of the KMS key the value is sealed under.
    pub key_id: String,
    /// `Constraints` JSON text as given.
    pub constraints: String,
    /// `Tags` as given.
    pub tags: Value,
    /// Who created it.
    pub created_by: String,
    /// Who updated it last.
    pub updated_by: String,
    /// Creation time.
    pub created: i64,
    /// Last update.
    pub updated: i64,
    versions: Vec<ParameterVersion>,
}

impl SecretParameter {
    /// The current `ParameterVersion`.
    pub fn version(&self) -> i64 {
        self.versions.last().map(|v| v.version).unwrap_or(0)
    }

    fn body(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("Name".into(), json!(self.name));
        m.insert("Id".into(), json!(self.id));
        m.insert("Type".into(), json!("Secret"));
        m.insert("Description".into(), json!(self.description));
        m.insert("KeyId".into(), json!(self.key_id));
        m.insert("Constraints".into(), json!(self.constraints));
        m.insert("Tags".into(), self.tags.clone());
        m.insert("ParameterVersion".into(), json!(self.version()));
        m.insert("CreatedBy".into(), json!(self.created_by));
        m.insert("UpdatedBy".into(), json!(self.updated_by));
        m.insert("CreatedDate".into(), json!(super::kms::date(self.created)));
        m.insert("UpdatedDate".into(), json!(super::kms::date(self.updated)));
        m.insert("ShareType".into(), json!("Private"));
        m.insert("ResourceGroupId".into(), json!(""));
        m.insert("DKMSInstanceId".into(), json!(""));
        m
    }
}

/// OOS state: secret parameters keyed by (region, name).
#[derive(Debug, Default)]
pub struct OosState {
    parameters: BTreeMap<(String, String), SecretParameter>,
}

impl OosState {
    /// The initial OOS state for `seed` (no parameters).
    pub fn from_seed(_seed: &Seed) -> OosState {
        OosState::default()
    }

    /// A parameter by region and name.
    pub fn parameter(&self, region: &str, name: &str) -> Option<&SecretParameter> {
        self.parameters.get(&(region.to_owned(), name.to_owned()))
    }
}

/// The KMS encryption context a parameter's value is sealed with.
fn seal_context(name: &str) -> BTreeMap<String, Value> {
    BTreeMap::from([("OosSecretParameterName".to_owned(), Value::from(name))])
}

/// Decrypts the current value of a parameter (used by `WithDecryption` and by the simulated agent).
pub fn decrypt_value(state: &State, parameter: &SecretParameter) -> Result<String, ApiError> {
    let version = parameter.versions.last().ok_or_else(|| ApiError::internal("parameter without value"))?;
    decrypt_version(state, parameter, version)
}

fn decrypt_version(state: &State, parameter: &SecretParameter, version: &ParameterVersion) -> Result<String, ApiError> {
    let (plain, _) = state.kms.decrypt(&version.sealed, &seal_context(&parameter.name))?;
    String::from_utf8(plain).map_err(|_| ApiError::internal("parameter value is not UTF-8"))
}

fn not_found(name: &str) -> ApiError {
    ApiError::not_found("EntityNotExists.Parameter", format!("The parameter {name:?} does not exist."))
}

fn check_name(name: &str) -> Result<(), ApiError> {
    let valid_chars = name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'/'));
    let upper = name.to_ascii_uppercase();
    let reserved = ["ALIYUN", "ACS", "ALIBABA", "ALICLOUD", "OOS"].iter().any(|p| upper.starts_with(p));
    if name.is_empty() || name.len() > 180 || !valid_chars || reserved {
        return Err(ApiError::bad_request(
            "InvalidParameter.Name",
            format!(
                "The parameter name {name:?} is invalid: 1-180 letters, digits, '-', '_' or '/', not starting \
                 with ALIYUN, ACS, ALIBABA, ALICLOUD or OOS."
            ),
        ));
    }
    Ok(())
}

fn check_value(value: &str) -> Result<(), ApiError> {
    if value.is_empty() || value.chars().count() > 4096 {
        return Err(ApiError::bad_request("InvalidParameter.Value", "The value must be 1-4096 characters."));
    }
    Ok(())
}

fn check_description(description: &str) -> Result<(), ApiError> {
    if description.chars().count() > 200 {
        return Err(ApiError::bad_request(
            "InvalidParameter.Description",
            "The description is at most 200 characters.",
        ));
    }
    Ok(())
}

fn principal_name(ctx: &Ctx<'_>) -> String {
    match ctx.principal {
        crate::Principal::Root { account_id, .. } => format!("root({account_id})"),
        other => other.display_name(),
    }
}

/// Handles one OOS call.
pub fn handle(ctx: &mut Ctx<'_>) -> Reply {
    let region = request_region(ctx)?;
    match ctx.action {
        "CreateSecretParameter" => create(ctx, &region),
        "GetSecretParameter" => get(ctx, &region),
        "GetSecretParameters" => get_many(ctx, &region),
        "UpdateSecretParameter" => update(ctx, &region),
        "DeleteSecretParameter" => delete(ctx, &region),
        "ListSecretParameters" => list(ctx, &region),
        other => Err(ApiError::invalid_action(other)),
    }
}

fn parameter_arn(ctx: &Ctx<'_>, region: &str, name: &str) -> String {
    ctx.arn(region, &format!("secretparameter/{name}"))
}

fn create(ctx: &mut Ctx<'_>, region: &str) -> Reply {
    let name = ctx.params.required("Name")?;
    let value = ctx.params.required("Value")?;
    let arn = parameter_arn(ctx, region, name);
    ctx.authorize([arn], &[])?;
    check_name(name)?;
    check_value(value)?;
    let description = ctx.params.non_empty("Description").unwrap_or_default();
    check_description(description)?;
    if let Some(t) = ctx.params.non_empty("Type") {
        if t != "Secret" {
            return Err(ApiError::invalid_parameter("Type", "must be Secret"));
        }
    }
    let constraints = ctx.params.non_empty("Constraints").unwrap_or_default();
    if !constraints.is_empty() {
        ctx.params.json::<Map<String, Value>>("Constraints")?;
    }
    let tags = ctx.params.json::<Value>("Tags")?.unwrap_or_else(|| json!({}));
    let slot = (region.to_owned(), name.to_owned());
    if ctx.state.oos.parameters.contains_key(&slot) {
        return Err(ApiError::bad_request(
            "EntityAlreadyExists.Parameter",
            format!("The parameter {name:?} already exists."),
        ));
    }
    let key_ref = ctx.params.non_empty("KeyId").unwrap_or(OOS_SERVICE_ALIAS);
    let sealed = ctx.state.kms.encrypt(region, key_ref, value.as_bytes(), &seal_context(name))?;
    let who = principal_name(ctx);
    let now = ctx.env.now;
    let parameter = SecretParameter {
        name: name.to_owned(),
        id: format!("p-{}", crate::ids::random_alnum(30).to_ascii_lowercase()),
        region: region.to_owned(),
        description: description.to_owned(),
        key_id: sealed.key_id,
        constraints: constraints.to_owned(),
        tags,
        created_by: who.clone(),
        updated_by: who,
        created: now,
        updated: now,
        versions: vec![ParameterVersion { version: 1, sealed: sealed.blob }],
    };
    let body = parameter.body();
    ctx.state.oos.parameters.insert(slot, parameter);
    Ok(json!({ "Parameter": body }))
}

/// Authorizes the dependent `kms:GetSecretValue` on the key of each parameter.
fn authorize_decryption<'p>(
    ctx: &mut Ctx<'_>,
    region: &str,
    key_ids: impl IntoIterator<Item = &'p str>,
) -> Result<(), ApiError> {
    let account = ctx.account_id().to_owned();
    let mut check = Check::new("kms:GetSecretValue");
    for key_id in key_ids {
        check = check.resource(format!("acs:kms:{region}:{account}:key/{key_id}"));
    }
    ctx.authorize_check(&check)
}

fn get(ctx: &mut Ctx<'_>, region: &str) -> Reply {
    let name = ctx.params.required("Name")?;
    let arn = parameter_arn(ctx, region, name);
    ctx.authorize([arn], &[])?;
    let decrypt = ctx.params.bool("WithDecryption")?.unwrap_or(false);
    let wanted = ctx.params.int("ParameterVersion")?;
    let parameter = ctx.state.oos.parameter(region, name).cloned().ok_or_else(|| not_found(name))?;
    let version = match wanted {
        Some(v) => parameter.versions.iter().find(|p| p.version == v).ok_or_else(|| {
            ApiError::not_found("EntityNotExists.ParameterVersion", format!("Version {v} of {name:?} does not exist."))
        })?,
        None => parameter.versions.last().ok_or_else(|| ApiError::internal("parameter without value"))?,
    };
    let mut body = parameter.body();
    body.insert("ParameterVersion".into(), json!(version.version));
    if decrypt {
        authorize_decryption(ctx, region, [parameter.key_id.as_str()])?;
        body.insert("Value".into(), json!(decrypt_version(ctx.state, &parameter, version)?));
    }
    Ok(json!({ "Parameter": body }))
}

fn get_many(ctx: &mut Ctx<'_>, region: &str) -> Reply {
    let names: Vec<String> = ctx.params.json("Names")?.unwrap_or_default();
    if names.is_empty() || names.len() > 10 {
        return Err(ApiError::bad_request("InvalidParameter.Names", "Names must list 1 to 10 parameter names."));
    }
    let arns: Vec<String> = names.iter().map(|n| parameter_arn(ctx, region, n)).collect();
    ctx.authorize(arns, &[])?;
    let decrypt = ctx.params.bool("WithDecryption")?.unwrap_or(false);
    let (found, invalid): (Vec<String>, Vec<String>) =
        names.into_iter().partition(|n| ctx.state.oos.parameter(region, n).is_some());
    let found: Vec<SecretParameter> =
        found.iter().filter_map(|n| ctx.state.oos.parameter(region, n).cloned()).collect();
    if decrypt && !found.is_empty() {
        authorize_decryption(ctx, region, found.iter().map(|p| p.key_id.as_str()))?;
    }
    let mut parameters = Vec::new();
    for p in &found {
        let mut body = p.body();
        body.remove("DKMSInstanceId");
        if decrypt {
            body.insert("Value".into(), json!(decrypt_value(ctx.state, p)?));
        }
        parameters.push(Value::Object(body));
    }
    Ok(json!({ "Parameters": parameters, "InvalidParameters": invalid }))
}

fn update(ctx: &mut Ctx<'_>, region: &str) -> Reply {
    let name = ctx.params.required("Name")?;
    let value = ctx.params.required("Value")?;
    let arn = parameter_arn(ctx, region, name);
    ctx.authorize([arn], &[])?;
    check_value(value)?;
    let description = ctx.params.non_empty("Description");
    if let Some(d) = description {
        check_description(d)?;
    }
    let tags = ctx.params.json::<Value>("Tags")?;
    let key_id = ctx.state.oos.parameter(region, name).map(|p| p.key_id.clone()).ok_or_else(|| not_found(name))?;
    let sealed = ctx.state.kms.encrypt(region, &key_id, value.as_bytes(), &seal_context(name))?;
    let who = principal_name(ctx);
    let now = ctx.env.now;
    let parameter =
        ctx.state.oos.parameters.get_mut(&(region.to_owned(), name.to_owned())).ok_or_else(|| not_found(name))?;
    let next = parameter.version() + 1;
    parameter.versions.push(ParameterVersion { version: next, sealed: sealed.blob });
    if let Some(d) = description {
        parameter.description = d.to_owned();
    }
    if let Some(t) = tags {
        parameter.tags = t;
    }
    parameter.updated = now;
    parameter.updated_by = who;
    let mut body = parameter.body();
    body.remove("DKMSInstanceId");
    let tags_text = body.get("Tags").map(Value::to_string).unwrap_or_default();
    body.insert("Tags".into(), json!(tags_text));
    Ok(json!({ "Parameter": body }))
}

fn delete(ctx: &mut Ctx<'_>, region: &str) -> Reply {
    let name = ctx.params.required("Name")?;
    let arn = parameter_arn(ctx, region, name);
    ctx.authorize([arn], &[])?;
    ctx.state.oos.parameters.remove(&(region.to_owned(), name.to_owned())).ok_or_else(|| not_found(name))?;
    Ok(json!({}))
}

fn list(ctx: &mut Ctx<'_>, region: &str) -> Reply {
    let arn = ctx.arn(region, "*");
    ctx.authorize([arn], &[])?;
    let page = Page::token(ctx.params, 50, 10, 100, "InvalidParameter.MaxResults")?;
    let name_filter = ctx.params.non_empty("Name");
    let path = ctx.params.non_empty("Path");
    let recursive = ctx.params.bool("Recursive")?.unwrap_or(true);
    let descending = ctx.params.non_empty("SortOrder").is_some_and(|o| o.eq_ignore_ascii_case("Descending"));
    let mut items: Vec<&SecretParameter> = ctx
        .state
        .oos
        .parameters
        .values()
        .filter(|p| p.region == region)
        .filter(|p| name_filter.is_none_or(|f| p.name.contains(f)))
        .filter(|p| match path {
            None => true,
            Some(path) => {
                let prefix = format!("{}/", path.trim_matches('/'));
                p.name
                    .trim_start_matches('/')
                    .strip_prefix(&prefix)
                    .is_some_and(|rest| recursive || !rest.contains('/'))
            }
        })
        .collect();
    if descending {
        items.reverse();
    }
    let max = match page {
        Page::Token { max, .. } => max,
        Page::Numbered { size, .. } => size,
    };
    let bodies: Vec<Value> = items
        .into_iter()
        .map(|p| {
            let mut body = p.body();
            body.remove("Constraints");
            body.remove("DKMSInstanceId");
            body.insert("ParameterVersion".into(), json!(p.version().to_string()));
            Value::Object(body)
        })
        .collect();
    let (bodies, info) = page.take(bodies);
    let mut out = Map::new();
    out.insert("Parameters".into(), Value::Array(bodies));
    out.insert("MaxResults".into(), json!(max));
    out.insert("NextToken".into(), json!(info.next_token.unwrap_or_default()));
    Ok(Value::Object(out))
}
