#!/usr/bin/env bash
# The whole test suite: every Rust test of the workspace (unit, wire tests on wiremock, end-to-end tests on the
# emulator over loopback, the example binaries), then the official Python SDK driving the emulator (conformance/).
set -euo pipefail
cd "$(dirname "$0")"
cargo test --workspace
bash conformance/run.sh
