//! KMS `2016-01-20`: keys, aliases, encryption, secrets (placeholder; owned by the ECS/OOS/KMS engineer).

use super::{Ctx, Reply};
use crate::error::ApiError;
use crate::seed::Seed;

/// KMS state: keys, aliases, secrets.
#[derive(Debug, Default)]
pub struct KmsState {}

impl KmsState {
    /// The initial KMS state for `seed`.
    pub fn from_seed(_seed: &Seed) -> KmsState {
        KmsState {}
    }
}

/// Handles one KMS call.
pub fn handle(ctx: &mut Ctx<'_>) -> Reply {
    Err(ApiError::invalid_action(ctx.action))
}
