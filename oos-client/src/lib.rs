//! Typed async client for OOS 2019-06-01 secret parameters.
//!
//! This crate is being built; see the workspace README for the plan.
