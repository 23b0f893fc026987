#!/usr/bin/env bash
# Conformance suite: the official Alibaba Cloud Python SDKs (pinned in requirements.txt) drive acs-emulator
# through the Linux and Windows procedures, once with the default ACS3-HMAC-SHA256 signature (v3) and once with
# the legacy HMAC-SHA1 signature (v1), each against a fresh emulator. The emulator throttles the first ListUsers
# call (a one-shot fault nothing else in the suite triggers) so the suite sees how the SDK surfaces throttling.
#
# Usage: conformance/run.sh            (env: CONFORMANCE_VENV to reuse a virtualenv, PYTHON for the interpreter)
# Ends with "N passed, M failed"; exits non-zero on any failure.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
VENV=${CONFORMANCE_VENV:-$HERE/.venv}
PYTHON=${PYTHON:-python3}
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
BIN="$TARGET_DIR/debug/acs-emulator"
WORK=$(mktemp -d)
EMULATOR_PID=""

passed=0
failed=0

stop_emulator() {
    if [[ -n "$EMULATOR_PID" ]] && kill -0 "$EMULATOR_PID" 2>/dev/null; then
        kill -TERM "$EMULATOR_PID" 2>/dev/null
        wait "$EMULATOR_PID" 2>/dev/null
    fi
    EMULATOR_PID=""
}

cleanup() {
    stop_emulator
    rm -rf "$WORK"
}
trap cleanup EXIT

fail_setup() {
    echo "conformance setup failed: $1" >&2
    echo "0 passed, 1 failed"
    exit 1
}

if [[ ! -x "$VENV/bin/python" ]]; then
    "$PYTHON" -m venv "$VENV" || fail_setup "cannot create a virtualenv with $PYTHON"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$HERE/requirements.txt" \
    || fail_setup "pip install of the pinned SDKs failed"

(cd "$ROOT" && cargo build --quiet -p acs-emulator --bin acs-emulator) || fail_setup "building acs-emulator failed"
[[ -x "$BIN" ]] || fail_setup "no emulator binary at $BIN"

start_emulator() {
    local out="$WORK/emulator-$1.out"
    "$BIN" --listen 127.0.0.1:0 --fault 'ListUsers=Throttling#1,retry-after=1' >"$out" 2>"$WORK/emulator-$1.err" &
    EMULATOR_PID=$!
    for _ in $(seq 1 100); do
        if line=$(head -n 1 "$out" 2>/dev/null) && [[ "$line" == *"listening on http://"* ]]; then
            ENDPOINT=${line##*http://}
            return 0
        fi
        kill -0 "$EMULATOR_PID" 2>/dev/null || break
        sleep 0.1
    done
    cat "$WORK/emulator-$1.err" >&2
    return 1
}

for signature in v3 v1; do
    echo "== signature $signature"
    if ! start_emulator "$signature"; then
        echo "FAIL emulator did not start for $signature"
        failed=$((failed + 1))
        continue
    fi
    log="$WORK/procedure-$signature.log"
    "$VENV/bin/python" "$HERE/procedure.py" --endpoint "$ENDPOINT" --signature "$signature" --throttled-list-users \
        2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
    if [[ -n "$summary" ]]; then
        passed=$((passed + $(cut -d' ' -f1 <<<"$summary")))
        failed=$((failed + $(cut -d' ' -f3 <<<"$summary")))
    fi
    if [[ $status -ne 0 && ( -z "$summary" || "$summary" == *" 0 failed" ) ]]; then
        echo "FAIL procedure.py exited with $status for $signature"
        failed=$((failed + 1))
    fi
    stop_emulator
done

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
