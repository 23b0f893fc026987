//! OOS `2019-06-01`: secret parameters encrypted under KMS (placeholder; owned by the ECS/OOS/KMS engineer).

use super::{Ctx, Reply};
use crate::error::ApiError;
use crate::seed::Seed;

/// OOS state: secret parameters.
#[derive(Debug, Default)]
pub struct OosState {}

impl OosState {
    /// The initial OOS state for `seed`.
    pub fn from_seed(_seed: &Seed) -> OosState {
        OosState {}
    }
}

/// Handles one OOS call.
pub fn handle(ctx: &mut Ctx<'_>) -> Reply {
    Err(ApiError::invalid_action(ctx.action))
}
