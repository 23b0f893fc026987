//! Typed async client for ECS 2014-05-26: Cloud Assistant, instances, instance RAM roles.
//!
//! This crate is being built; see the workspace README for the plan.
