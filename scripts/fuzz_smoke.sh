#!/usr/bin/env bash
# Runs every cargo-fuzz target for a short time (default 20 s each) from its seed corpus.
# A crash, leak or timeout fails the script (cargo fuzz exits non-zero). New corpus entries go
# to a scratch copy, so the checked-in seeds stay as they are.
#
# Usage: scripts/fuzz_smoke.sh [SECONDS] [TARGET...]
# Needs cargo-fuzz (`cargo install cargo-fuzz`); runs on stable via RUSTC_BOOTSTRAP=1.
set -euo pipefail
SECS="${1:-20}"
shift || true
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT/fuzz"
export RUSTC_BOOTSTRAP=1
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
TARGETS=("$@")
[ "${#TARGETS[@]}" -gt 0 ] || mapfile -t TARGETS < <(cargo fuzz list)
cargo fuzz build -O
SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT
for t in "${TARGETS[@]}"; do
    mkdir -p "$SCRATCH/$t"
    [ -d "corpus/$t" ] && cp -r "corpus/$t/." "$SCRATCH/$t/"
    echo "== $t: ${SECS}s"
    set +e
    cargo fuzz run -O "$t" "$SCRATCH/$t" -- -max_total_time="$SECS" -rss_limit_mb=2048 \
        -max_len=20000 -print_final_stats=1 >"$SCRATCH/$t.log" 2>&1
    st=$?
    set -e
    grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb)|^#[0-9]+ +DONE" "$SCRATCH/$t.log" || true
    if [ "$st" -ne 0 ]; then
        tail -60 "$SCRATCH/$t.log"
        echo "fuzz smoke: $t FAILED (exit $st); the crashing input is under fuzz/artifacts/$t/"
        exit "$st"
    fi
done
echo "fuzz smoke: all ${#TARGETS[@]} targets ran ${SECS}s without a failure"
