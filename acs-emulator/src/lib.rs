//! A local Alibaba Cloud (ECS Cloud Assistant, RAM, OOS, KMS, STS) that enforces RAM policies.
//!
//! This crate is being built; see the workspace README for the plan.
