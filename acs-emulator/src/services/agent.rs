//! The simulated Cloud Assistant agent (owned by the ECS engineer; placeholder until then).
//!
//! It will run invocations after [`crate::state::Shared::execution_delay`] and, for Windows users, read the
//! password from OOS with the instance role's credentials ([`crate::services::sts::issue_instance_session`]).
