//! Typed async client for RAM 2015-05-01.
//!
//! This crate is being built; see the workspace README for the plan.
