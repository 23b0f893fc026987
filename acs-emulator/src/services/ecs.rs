//! ECS `2014-05-26`: instances, Cloud Assistant, instance RAM roles (placeholder; owned by the ECS engineer).

use super::{Ctx, Reply};
use crate::error::ApiError;
use crate::seed::Seed;
use std::collections::BTreeMap;

/// ECS state: instances and their attached RAM roles.
#[derive(Debug, Default)]
pub struct EcsState {
    instance_roles: BTreeMap<String, String>,
}

impl EcsState {
    /// The instances of the seed.
    pub fn from_seed(seed: &Seed) -> EcsState {
        let instance_roles =
            seed.instances.iter().filter_map(|i| i.ram_role.clone().map(|role| (i.id.clone(), role))).collect();
        EcsState { instance_roles }
    }

    /// The name of the RAM role attached to `instance_id`, if any (used by
    /// [`crate::services::sts::issue_instance_session`]; keep this method when replacing the module).
    pub fn instance_ram_role(&self, instance_id: &str) -> Option<&str> {
        self.instance_roles.get(instance_id).map(String::as_str)
    }
}

/// Handles one ECS call.
pub fn handle(ctx: &mut Ctx<'_>) -> Reply {
    Err(ApiError::invalid_action(ctx.action))
}
