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
/// A blank `Username` also runs as that default, so it is replaced the same way.
pub(crate) fn default_username(r: &mut RunCommandRequest) {
    if r.username.as_deref().is_none_or(|u| u.trim().is_empty()) {
        let default = match r.command_type {
            Some(CommandType::RunShellScript) => Some("root"),
            Some(CommandType::RunBatScript | CommandType::RunPowerShellScript) => Some("System"),
            _ => None,
        };
        if let Some(user) = default {
            r.username = Some(user.to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shell(username: Option<&str>) -> RunCommandRequest {
        RunCommandRequest {
            command_type: Some(CommandType::RunShellScript),
            username: username.map(str::to_owned),
            ..RunCommandRequest::default()
        }
    }

    #[test]
    fn a_blank_username_is_made_explicit_like_an_absent_one() {
        // The service runs a blank Username as the default user; ecs:CommandRunAs must still see `root`, or a
        // policy denying `root` would let it through.
        for blank in [None, Some(""), Some("  ")] {
            let mut r = shell(blank);
            default_username(&mut r);
            assert_eq!(r.username.as_deref(), Some("root"), "{blank:?}");
        }
        let mut r = shell(Some("user01"));
        default_username(&mut r);
        assert_eq!(r.username.as_deref(), Some("user01"));
    }
}
