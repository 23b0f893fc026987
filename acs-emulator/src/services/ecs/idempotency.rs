//! `ClientToken` idempotency of RunCommand, InvokeCommand and CreateCommand.
//!
//! A token is scoped to the caller's account, the region and the action. The first successful call with a token
//! records a digest of the operation's parameters (those `operations.json` lists, `ClientToken` excluded, empty
//! values ignored) and the reply. A later call with the same token and the same parameters gets the same reply
//! (the same ids) and starts nothing; with different parameters it is HTTP 400 `IdempotentParameterMismatch`.
//! Records of RunCommand/InvokeCommand are dropped with their invocation when it is pruned (see
//! [`super::EcsState::max_invocations`]), those of CreateCommand when the command is deleted.

use super::Ctx;
use crate::catalog;
use crate::error::ApiError;
use serde_json::Value;
use std::collections::HashMap;

/// Who used a token, where, for what.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct TokenKey {
    account: String,
    region: String,
    action: String,
    token: String,
}

/// What the first call with a token answered.
#[derive(Clone, Debug)]
struct TokenRecord {
    fingerprint: [u8; 32],
    reply: Value,
    /// The command the reply names (CreateCommand only).
    command_id: Option<String>,
}

/// A call's token and the digest of its parameters, before the call has succeeded.
#[derive(Clone, Debug)]
pub(super) struct Claim {
    key: TokenKey,
    fingerprint: [u8; 32],
}

/// The ClientToken records of the ECS state.
#[derive(Debug, Default)]
pub(super) struct ClientTokens {
    records: HashMap<TokenKey, TokenRecord>,
    /// InvokeId → the token that started it, so pruning an invocation finds its token without a scan.
    by_invocation: HashMap<String, TokenKey>,
}

impl ClientTokens {
    /// The recorded reply when `claim`'s token was used before with the same parameters; `None` for a new token
    /// (or no token); `IdempotentParameterMismatch` when the parameters differ.
    pub(super) fn replay(&self, claim: Option<&Claim>) -> Result<Option<Value>, ApiError> {
        let Some(claim) = claim else { return Ok(None) };
        match self.records.get(&claim.key) {
            None => Ok(None),
            Some(record) if record.fingerprint == claim.fingerprint => Ok(Some(record.reply.clone())),
            Some(_) => Err(ApiError::bad_request(
                "IdempotentParameterMismatch",
                format!(
                    "The ClientToken {:?} was already used for a {} call with different parameters.",
                    claim.key.token, claim.key.action
                ),
            )),
        }
    }

    /// Records the reply of a successful call with a token.
    pub(super) fn remember(&mut self, claim: Claim, reply: &Value, invoke_id: Option<&str>, command_id: Option<&str>) {
        let record = TokenRecord {
            fingerprint: claim.fingerprint,
            reply: reply.clone(),
            command_id: command_id.map(str::to_owned),
        };
        if let Some(id) = invoke_id {
            self.by_invocation.insert(id.to_owned(), claim.key.clone());
        }
        self.records.insert(claim.key, record);
    }

    /// Drops the records of these (pruned) invocations.
    pub(super) fn forget_invocations<'i>(&mut self, invoke_ids: impl IntoIterator<Item = &'i str>) {
        for id in invoke_ids {
            if let Some(key) = self.by_invocation.remove(id) {
                self.records.remove(&key);
            }
        }
    }

    /// How many tokens are remembered.
    pub(super) fn len(&self) -> usize {
        self.records.len()
    }

    /// Drops the CreateCommand records of a deleted command.
    pub(super) fn forget_command(&mut self, command_id: &str) {
        self.records.retain(|_, r| r.command_id.as_deref() != Some(command_id));
    }
}

/// The call's `ClientToken` (at most 64 ASCII characters), with the digest of its parameters; `None` without one.
pub(super) fn claim(ctx: &Ctx<'_>, region: &str) -> Result<Option<Claim>, ApiError> {
    let Some(token) = ctx.params.non_empty("ClientToken") else { return Ok(None) };
    if token.len() > 64 || !token.is_ascii() {
        return Err(ApiError::invalid_parameter("ClientToken", "at most 64 ASCII characters"));
    }
    let key = TokenKey {
        account: ctx.principal.account_id().to_owned(),
        region: region.to_owned(),
        action: ctx.action.to_owned(),
        token: token.to_owned(),
    };
    Ok(Some(Claim { key, fingerprint: fingerprint(ctx) }))
}

/// SHA-256 over the operation's parameters (sorted by name, length-prefixed), `ClientToken` and empty values left out.
fn fingerprint(ctx: &Ctx<'_>) -> [u8; 32] {
    let names: Vec<&str> = catalog::operation(ctx.service, ctx.action)
        .map(|op| op.params.iter().map(|p| p.name.as_str()).collect())
        .unwrap_or_default();
    let declared =
        |key: &str| names.iter().any(|n| key == *n || key.strip_prefix(n).is_some_and(|rest| rest.starts_with('.')));
    let mut hash = ring::digest::Context::new(&ring::digest::SHA256);
    for (k, v) in ctx.params.iter() {
        if k == "ClientToken" || v.is_empty() || !declared(k) {
            continue;
        }
        for part in [k, v] {
            hash.update(&(part.len() as u64).to_le_bytes());
            hash.update(part.as_bytes());
        }
    }
    let mut out = [0u8; 32];
    out.copy_from_slice(hash.finish().as_ref());
    out
}
