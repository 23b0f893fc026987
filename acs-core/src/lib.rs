//! Shared runtime of the Alibaba Cloud clients: config, credentials, transport, retry, errors, flattening.
//!
//! This crate is being built; see the workspace README for the plan.
