//! RAM policy documents: typed model, builder, validator and evaluator (the simulator).
//!
//! This crate is being built; see the workspace README for the plan.
