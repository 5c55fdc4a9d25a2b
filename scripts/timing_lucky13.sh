#!/usr/bin/env bash
# Lucky Thirteen (CBC MAC-then-encrypt timing) measurement of `tlsprobe listen`'s record layer,
# with tlsfuzzer's timing workflow, on loopback. Not a test: it prints confidence intervals for
# docs/SECURITY.md. Two measurements of records that all fail with bad_record_mac (TLS 1.2,
# AES-128-CBC, HMAC-SHA1, 512-byte fragments as in tlsfuzzer's test-lucky13.py):
#
#  1. library: examples/timing_harness times CbcCipher::open (the exact call listen makes) on
#     records with a wrong MAC under padding lengths 1 ... 256 (chosen so the HMAC input
#     crosses SHA-1 block boundaries) and with a wrong byte in a 256-byte padding, then
#     tlsfuzzer's extract.py and analysis.py;
#  2. TLS: test-lucky13.py against `tlsprobe listen --tls 1.2 --suites AES128-SHA` for the
#     same kind of records (its "wrong MAC, padding length N" probes), timed from a tcpdump
#     capture on lo (client's record to the server's alert), extracted with --no-quickack.
#
# Usage: scripts/timing_lucky13.sh [OUTDIR]       (default: a new directory under /tmp)
# Sample sizes (per class): LUCKY13_API_REPEAT (default 20000), LUCKY13_TLS_REPEAT (default
# 3000); LUCKY13_PARTS: "api tls" (default), or one of them. TIMING_CPU: taskset CPU list for
# listen and the harness. Needs root for tcpdump (part 2). Takes about 10 minutes on 2 cores.
set -euo pipefail
source "$(dirname "$0")/timing_common.sh"

OUT="${1:-$(mktemp -d /tmp/tlsprobe-lucky13.XXXXXX)}"
API_REPEAT="${LUCKY13_API_REPEAT:-20000}"
TLS_REPEAT="${LUCKY13_TLS_REPEAT:-3000}"
PARTS="${LUCKY13_PARTS:-api tls}"
# test-lucky13.py probe names: padding lengths either side of SHA-1 block boundaries.
TLS_PROBES=(1 50 56 57 120 256)
mkdir -p "$OUT"

find_tlsfuzzer
install_deps
build
record_machine "$OUT"

if [[ " $PARTS " == *" api "* ]]; then
    API="$OUT/api"
    mkdir -p "$API"
    echo "-- library: $API_REPEAT records per class"
    pinned "$HARNESS" cbc "$API" "$API_REPEAT"
    tf "$TLSFUZZER/tlsfuzzer/extract.py" -l "$API/log.csv" -o "$API" \
        --raw-times "$API/raw_times.csv" --status-newline >"$API/extract.log"
    tf "$TLSFUZZER/tlsfuzzer/analysis.py" -o "$API" --minimal-analysis --summary-only --status-newline \
        --status-delay 30 >"$API/analysis.log" 2>&1 || true
    rm -f "$API/timing.bin"
fi

if [[ " $PARTS " == *" tls "* ]]; then
    TLS="$OUT/tls"
    mkdir -p "$TLS"
    echo "-- TLS: $TLS_REPEAT connections per class"
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
        -keyout "$OUT/rsa.key" -out "$OUT/rsa.crt" >/dev/null 2>&1
    start_listen "$TLS" --cert "$OUT/rsa.crt" --key "$OUT/rsa.key" --tls 1.2 --suites AES128-SHA
    probes=()
    for n in "${TLS_PROBES[@]}"; do probes+=("wrong MAC, padding length $n"); done
    # test-lucky13.py extracts assuming QUICKACK (a separate ACK before the server's answer);
    # listen's alert carries the ACK, so its own analysis sees zeros and stops: the capture
    # is extracted again by analyse_capture.
    tf "$TLSFUZZER/scripts/test-lucky13.py" -h 127.0.0.1 -p "$PORT" -i lo -o "$TLS" \
        --repeat "$TLS_REPEAT" "${probes[@]}" >"$TLS/run.log" 2>&1 || true
    stop_listen
    for d in "$TLS"/*/; do
        analyse_capture "${d%/}" "$PORT"
    done
fi

record_load_after "$OUT"
echo
cat "$OUT/machine.txt"
if [[ " $PARTS " == *" api "* ]]; then summary "library: CbcCipher::open" "$OUT/api"; fi
if [[ " $PARTS " == *" tls "* ]]; then
    for d in "$OUT"/tls/*/; do summary "TLS: listen, TLS_RSA_WITH_AES_128_CBC_SHA" "${d%/}"; done
fi
