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
}

/// What a successful call with a token created: its record goes when that goes.
#[derive(Clone, Copy, Debug)]
pub(super) enum Created<'a> {
    /// An invocation (RunCommand, InvokeCommand), dropped when it is pruned.
    Invocation(&'a str),
    /// A command (CreateCommand), dropped when it is deleted.
    Command(&'a str),
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
    /// CommandId → the token that created it, so deleting a command finds its token without a scan.
    by_command: HashMap<String, TokenKey>,
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

    /// Records the reply of a successful call with a token, and what it created.
    pub(super) fn remember(&mut self, claim: Claim, reply: &Value, created: Created<'_>) {
        let (index, id) = match created {
            Created::Invocation(id) => (&mut self.by_invocation, id),
            Created::Command(id) => (&mut self.by_command, id),
        };
        index.insert(id.to_owned(), claim.key.clone());
        self.records.insert(claim.key, TokenRecord { fingerprint: claim.fingerprint, reply: reply.clone() });
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

    /// Drops the CreateCommand record of a deleted command.
    pub(super) fn forget_command(&mut self, command_id: &str) {
        if let Some(key) = self.by_command.remove(command_id) {
            self.records.remove(&key);
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(action: &str, token: &str) -> Claim {
        let key = TokenKey { account: "1".into(), region: "r".into(), action: action.into(), token: token.into() };
        Claim { key, fingerprint: [0; 32] }
    }

    #[test]
    fn each_record_goes_with_what_it_created() {
        let mut tokens = ClientTokens::default();
        tokens.remember(claim("CreateCommand", "a"), &Value::Null, Created::Command("c-1"));
        tokens.remember(claim("CreateCommand", "b"), &Value::Null, Created::Command("c-2"));
        tokens.remember(claim("RunCommand", "a"), &Value::Null, Created::Invocation("t-1"));
        tokens.forget_command("c-1");
        tokens.forget_command("c-unknown");
        assert_eq!(tokens.len(), 2);
        assert!(tokens.replay(Some(&claim("CreateCommand", "a"))).is_ok_and(|r| r.is_none()), "c-1's token is free");
        assert!(tokens.replay(Some(&claim("CreateCommand", "b"))).is_ok_and(|r| r.is_some()));
        tokens.forget_invocations(["t-1"]);
        assert!(tokens.replay(Some(&claim("RunCommand", "a"))).is_ok_and(|r| r.is_none()), "t-1's token is free");
        assert_eq!(tokens.len(), 1);
    }
}
