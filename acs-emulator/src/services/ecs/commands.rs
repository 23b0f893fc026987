//! CreateCommand, DescribeCommands, ModifyCommand, DeleteCommand.

use super::model::Command;
use super::run::MAX_COMMANDS;
use super::{
    check_text_limits, check_type, command_arn, date, decode_content, encode_base64, encoded, idempotency, new_id, Ctx,
    Reply,
};
use crate::error::ApiError;
use crate::services::paging::Page;
use serde_json::{json, Map, Value};

fn not_found(id: &str) -> ApiError {
    ApiError::not_found("InvalidCmdId.NotFound", format!("The command {id} does not exist."))
}

pub(super) fn create(ctx: &mut Ctx<'_>) -> Reply {
    let region = ctx.region()?;
    let name = ctx.params.required("Name")?;
    let kind = ctx.params.required("Type")?;
    let claim = idempotency::claim(ctx, region)?;
    let arn = command_arn(ctx, region, "*");
    ctx.authorize([arn], &[])?;
    check_type(kind)?;
    check_text_limits(ctx)?;
    let content = decode_content(ctx, ctx.params.required("CommandContent")?, "Base64")?;
    let timeout = ctx.params.int("Timeout")?.unwrap_or(60);
    if !(10..=86_400).contains(&timeout) {
        return Err(ApiError::invalid_parameter("Timeout", "must be between 10 and 86400 seconds"));
    }
    if let Some(reply) = ctx.state.ecs.client_tokens.replay(claim.as_ref())? {
        return Ok(reply);
    }
    if ctx.state.ecs.commands.values().filter(|c| c.region == region).count() >= MAX_COMMANDS {
        return Err(ApiError::forbidden("CmdCount.ExceedQuota", "The number of saved commands reached the quota."));
    }
    let enable_parameter = ctx.params.bool("EnableParameter")?.unwrap_or(false);
    if enable_parameter && super::model::placeholders(&content).iter().any(|n| n.chars().count() > 64) {
        return Err(ApiError::forbidden("CmdParamName.ExceedLimit", "A parameter name exceeds 64 characters."));
    }
    let command = Command {
        id: new_id("c"),
        region: region.to_owned(),
        name: name.to_owned(),
        description: ctx.params.non_empty("Description").unwrap_or_default().to_owned(),
        kind: kind.to_owned(),
        content,
        working_dir: ctx.params.non_empty("WorkingDir").unwrap_or_default().to_owned(),
        timeout,
        enable_parameter,
        launcher: ctx.params.non_empty("Launcher").unwrap_or_default().to_owned(),
        created: ctx.env.now,
        invoke_times: 0,
    };
    let id = command.id.clone();
    ctx.state.ecs.commands.insert(id.clone(), command);
    let reply = json!({"CommandId": id});
    if let Some(claim) = claim {
        ctx.state.ecs.client_tokens.remember(claim, &reply, idempotency::Created::Command(&id));
    }
    Ok(reply)
}

fn body(c: &Command, base64: bool) -> Value {
    let mut m = Map::new();
    m.insert("CommandId".into(), json!(c.id));
    m.insert("Name".into(), json!(c.name));
    m.insert("Description".into(), json!(c.description));
    m.insert("Type".into(), json!(c.kind));
    m.insert("CommandContent".into(), json!(encoded(&c.content, base64)));
    m.insert("WorkingDir".into(), json!(c.working_dir));
    m.insert("Timeout".into(), json!(c.timeout));
    m.insert("EnableParameter".into(), json!(c.enable_parameter));
    m.insert("ParameterNames".into(), json!({"ParameterName": c.parameter_names()}));
    m.insert("ParameterDefinitions".into(), json!({"ParameterDefinition": []}));
    m.insert("InvokeTimes".into(), json!(c.invoke_times));
    m.insert("CreationTime".into(), json!(date(c.created)));
    m.insert("Launcher".into(), json!(c.launcher));
    m.insert("Latest".into(), json!(true));
    m.insert("Version".into(), json!(1));
    m.insert("Provider".into(), json!(""));
    m.insert("Category".into(), json!(""));
    m.insert("ResourceGroupId".into(), json!(""));
    m.insert("Tags".into(), json!({"Tag": []}));
    Value::Object(m)
}

pub(super) fn describe(ctx: &mut Ctx<'_>) -> Reply {
    let region = ctx.region()?;
    let arn = ctx.arn(region, "*");
    ctx.authorize([arn], &[])?;
    let base64 = encode_base64(ctx)?;
    let page = Page::ecs(ctx.params)?;
    let id = ctx.params.non_empty("CommandId");
    let name = ctx.params.non_empty("Name");
    let kind = ctx.params.non_empty("Type");
    let description = ctx.params.non_empty("Description");
    let mut items: Vec<&Command> = ctx
        .state
        .ecs
        .commands
        .values()
        .filter(|c| c.region == region)
        .filter(|c| id.is_none_or(|v| c.id == v))
        .filter(|c| name.is_none_or(|v| c.name == v))
        .filter(|c| kind.is_none_or(|v| c.kind == v))
        .filter(|c| description.is_none_or(|v| c.description.contains(v)))
        .collect();
    items.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| a.id.cmp(&b.id)));
    let bodies: Vec<Value> = items.into_iter().map(|c| body(c, base64)).collect();
    let (bodies, info) = page.take(bodies);
    let mut out = Map::new();
    out.insert("Commands".into(), json!({"Command": bodies}));
    info.write_ecs(&mut out);
    Ok(Value::Object(out))
}

fn authorized_command(ctx: &mut Ctx<'_>, region: &str, id: &str) -> Result<(), ApiError> {
    let arn = command_arn(ctx, region, id);
    ctx.authorize([arn], &[])?;
    match ctx.state.ecs.commands.get(id) {
        Some(c) if c.region == region => Ok(()),
        _ => Err(not_found(id)),
    }
}

pub(super) fn modify(ctx: &mut Ctx<'_>) -> Reply {
    let region = ctx.region()?;
    let id = ctx.params.required("CommandId")?;
    authorized_command(ctx, region, id)?;
    check_text_limits(ctx)?;
    let content = match ctx.params.non_empty("CommandContent") {
        Some(c) => Some(decode_content(ctx, c, "Base64")?),
        None => None,
    };
    let timeout = ctx.params.int("Timeout")?;
    if timeout.is_some_and(|t| !(10..=86_400).contains(&t)) {
        return Err(ApiError::invalid_parameter("Timeout", "must be between 10 and 86400 seconds"));
    }
    let params = ctx.params;
    let command = ctx.state.ecs.commands.get_mut(id).ok_or_else(|| not_found(id))?;
    if let Some(c) = content {
        command.content = c;
    }
    if let Some(t) = timeout {
        command.timeout = t;
    }
    for (field, target) in [
        ("Name", &mut command.name),
        ("Description", &mut command.description),
        ("WorkingDir", &mut command.working_dir),
        ("Launcher", &mut command.launcher),
    ] {
        if let Some(v) = params.non_empty(field) {
            *target = v.to_owned();
        }
    }
    Ok(json!({}))
}

pub(super) fn delete(ctx: &mut Ctx<'_>) -> Reply {
    let region = ctx.region()?;
    let id = ctx.params.required("CommandId")?;
    authorized_command(ctx, region, id)?;
    ctx.state.ecs.commands.remove(id);
    ctx.state.ecs.client_tokens.forget_command(id);
    Ok(json!({}))
}
