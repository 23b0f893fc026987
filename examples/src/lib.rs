//! Shared helpers of the example binaries (`linux-setup`, `windows-setup`, `run-command`, `policy-sim`, `acs-sign`).
