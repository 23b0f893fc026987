//! Cross-field checks the generated per-field validation cannot express.

use acs_core::Error;

use crate::models::{CommandType, RepeatMode};
use crate::operations::{InvokeCommandRequest, RunCommandRequest};

fn targets(field: &str, instances: usize, tags: usize) -> Result<(), Error> {
    if instances == 0 && tags == 0 {
        return Err(Error::invalid_input(
            field,
            "name at least one instance (InstanceId.N) or select them with ResourceTag.N",
        ));
    }
    Ok(())
}

fn frequency(repeat: &Option<RepeatMode>, frequency: &Option<String>) -> Result<(), Error> {
    if matches!(repeat, Some(RepeatMode::Period)) && frequency.as_deref().is_none_or(str::is_empty) {
        return Err(Error::invalid_input("Frequency", "is required when RepeatMode is Period"));
    }
    Ok(())
}

/// RunCommand: a target is needed; `RepeatMode=Period` needs `Frequency`.
pub(crate) fn run_command(r: &RunCommandRequest) -> Result<(), Error> {
    targets("InstanceId", r.instance_ids.len(), r.resource_tags.len())?;
    frequency(&r.repeat_mode, &r.frequency)
}

/// InvokeCommand: a target is needed; `RepeatMode=Period` needs `Frequency`.
pub(crate) fn invoke_command(r: &InvokeCommandRequest) -> Result<(), Error> {
    targets("InstanceId", r.instance_ids.len(), r.resource_tags.len())?;
    frequency(&r.repeat_mode, &r.frequency)
}

/// RunCommand without `Username`: send the user the command would run as anyway (`root` for shell scripts,
/// `System` for Windows scripts), so the `ecs:CommandRunAs` a policy sees is always explicit, never a default.
pub(crate) fn default_username(r: &mut RunCommandRequest) {
    if r.username.is_none() {
        r.username = match r.command_type {
            Some(CommandType::RunShellScript) => Some("root".to_owned()),
            Some(CommandType::RunBatScript | CommandType::RunPowerShellScript) => Some("System".to_owned()),
            _ => None,
        };
    }
}
