//! The 'run Cloud Assistant commands only as regular OS users' procedure: plan, apply, verify, teardown.
//!
//! This crate is being built; see the workspace README for the plan.
