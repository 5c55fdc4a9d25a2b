#!/usr/bin/env bash
# Record protection vs `openssl speed -evp`: runs the criterion record bench (seal of one
# 16 KiB TLS 1.3 record) for AES-128-GCM, AES-256-GCM and ChaCha20-Poly1305, then
# `openssl speed -evp <alg> -bytes 16384 -seconds $SECONDS_PER_ALG` for the same AEADs, and
# prints MB/s (10^6 bytes/s) for both and the ratio tlsprobe / openssl. Single-threaded on both sides.
#
# Usage: scripts/bench_record.sh            (from the repository root)
#        SECONDS_PER_ALG=3 scripts/bench_record.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_ALG=${SECONDS_PER_ALG:-3}
RECORD=16384
CRIT=target/criterion/record_16k

command -v openssl >/dev/null || { echo "openssl not found" >&2; exit 1; }

LOG=target/bench_record.log
echo "== criterion: record_16k seal, TLS 1.3, ${RECORD}-byte records (log: $LOG)"
if ! cargo bench --bench record -- 'record_16k/seal .* TLS 1.3' >"$LOG" 2>&1; then
    tail -20 "$LOG" >&2
    exit 1
fi
echo "== openssl speed -evp, ${RECORD}-byte buffers, ${SECONDS_PER_ALG} s each ($(openssl version))"

# criterion's mean estimate (ns per iteration) of one bench, found by its full id in benchmark.json.
criterion_ns() {
    local id=$1 dir
    for dir in "$CRIT"/*/; do
        if grep -q "\"full_id\":\"$id\"" "$dir/new/benchmark.json" 2>/dev/null; then
            python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["mean"]["point_estimate"])' \
                "$dir/new/estimates.json"
            return 0
        fi
    done
    echo "no criterion result for '$id' under $CRIT" >&2
    return 1
}

# openssl speed -evp in machine-readable form: "+F:<n>:<alg>:<bytes per second>".
openssl_bps() {
    openssl speed -mr -evp "$1" -bytes "$RECORD" -seconds "$SECONDS_PER_ALG" 2>/dev/null |
        awk -F: '/^\+F:/ { print $4; exit }'
}

printf '\n%-20s %14s %14s %8s\n' "AEAD" "tlsprobe MB/s" "openssl MB/s" "ratio"
for pair in "AES-128-GCM:aes-128-gcm" "AES-256-GCM:aes-256-gcm" \
    "ChaCha20-Poly1305:chacha20-poly1305"; do
    name=${pair%%:*}
    evp=${pair#*:}
    ns=$(criterion_ns "record_16k/seal $name TLS 1.3")
    bps=$(openssl_bps "$evp")
    if [ -z "$bps" ]; then
        echo "openssl speed -evp $evp gave no result" >&2
        exit 1
    fi
    python3 - "$name" "$ns" "$bps" "$RECORD" <<'PY'
import sys
name, ns, bps, record = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
ours = record / ns * 1e3          # bytes per ns -> MB/s
theirs = bps / 1e6
print(f"{name:<20} {ours:14.1f} {theirs:14.1f} {ours / theirs:8.2f}")
PY
done
