//! Typed async client for KMS 2016-01-20.
//!
//! This crate is being built; see the workspace README for the plan.
