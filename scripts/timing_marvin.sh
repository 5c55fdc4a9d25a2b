#!/usr/bin/env bash
# Marvin (RSA PKCS#1 v1.5 decryption timing) measurement of `tlsprobe listen`'s RSA key
# transport, with tlsfuzzer's Marvin workflow, on loopback. Not a test: it prints confidence
# intervals for docs/SECURITY.md. Two measurements, same RSA 2048 key, same probe classes
# (marvin-ciphertext-generator.py's: well-formed, wrong type, no separator, short/long
# padding, ...):
#
#  1. library: marvin-ciphertext-generator.py writes the ciphertexts, examples/timing_harness
#     times SigningKey::rsa_decrypt_premaster on each (the exact call listen makes), then
#     tlsfuzzer's extract.py and analysis.py;
#  2. TLS: test-bleichenbacher-timing-marvin.py against `tlsprobe listen --tls 1.2 --suites
#     AES128-SHA`, timed from a tcpdump capture on lo (client's CKE+CCS+Finished to the
#     server's alert), then the same analysis.
#
# Usage: scripts/timing_marvin.sh [OUTDIR]        (default: a new directory under /tmp)
# Sample sizes (per probe class): MARVIN_API_REPEAT (default 5000), MARVIN_TLS_REPEAT
# (default 2000); MARVIN_PROBE_REUSE (default 1000): fresh ciphertexts every that many rounds;
# MARVIN_PARTS: "api tls" (default), or any of "api", "tls", "baseline"; "baseline" times the
# code rsa_decrypt_premaster replaced (rsa 0.9's decrypt_blinded, kept in the harness) on the
# same ciphertexts as "api", for a comparison under the same conditions. TIMING_CPU: taskset
# CPU list for listen and the harness. Needs root for tcpdump (part 2). Takes about 10-15
# minutes on 2 cores (5 more with "baseline").
set -euo pipefail
source "$(dirname "$0")/timing_common.sh"

OUT="${1:-$(mktemp -d /tmp/tlsprobe-marvin.XXXXXX)}"
API_REPEAT="${MARVIN_API_REPEAT:-5000}"
TLS_REPEAT="${MARVIN_TLS_REPEAT:-2000}"
REUSE="${MARVIN_PROBE_REUSE:-1000}"
PARTS="${MARVIN_PARTS:-api tls}"
mkdir -p "$OUT"

find_tlsfuzzer
install_deps
build
record_machine "$OUT"

openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj /CN=localhost \
    -keyout "$OUT/rsa.key" -out "$OUT/rsa.crt" >/dev/null 2>&1

if [[ " $PARTS " == *" api "* ]]; then
    API="$OUT/api"
    mkdir -p "$API"
    echo "-- library: $API_REPEAT ciphertexts per class"
    tf "$TLSFUZZER/scripts/marvin-ciphertext-generator.py" -o "$API" --repeat "$API_REPEAT" \
        --probe-reuse "$REUSE" --srv-key "$OUT/rsa.key" --srv-cert "$OUT/rsa.crt" \
        --status-newline --status-delay 30 >"$API/generate.log"
    analyse_rsa() { # DIR [rsa-0.9]
        pinned "$HARNESS" rsa "$OUT/rsa.key" "$@"
        tf "$TLSFUZZER/tlsfuzzer/extract.py" -l "$1/log.csv" -o "$1" \
            --raw-times "$1/raw_times.csv" --status-newline >"$1/extract.log"
        tf "$TLSFUZZER/tlsfuzzer/analysis.py" -o "$1" --minimal-analysis --summary-only \
            --status-newline --status-delay 30 >"$1/analysis.log" 2>&1 || true
        rm -f "$1/timing.bin"
    }
    analyse_rsa "$API"
    if [[ " $PARTS " == *" baseline "* ]]; then
        echo "-- library, baseline (rsa 0.9): the same ciphertexts"
        mkdir -p "$OUT/baseline"
        cp "$API/log.csv" "$API/pms_values.bin" "$OUT/baseline/"
        analyse_rsa "$OUT/baseline" rsa-0.9
        rm -f "$OUT/baseline/pms_values.bin"
    fi
    rm -f "$API/pms_values.bin"
fi

if [[ " $PARTS " == *" tls "* ]]; then
    TLS="$OUT/tls"
    mkdir -p "$TLS"
    echo "-- TLS: $TLS_REPEAT connections per class"
    start_listen "$TLS" --cert "$OUT/rsa.crt" --key "$OUT/rsa.key" --tls 1.2 --suites AES128-SHA
    # The script extracts and analyses by itself; that extraction stops at the first
    # connection whose packets interleave with the next one's (a loaded client closing
    # late), so the capture is extracted again, regrouped, by analyse_capture.
    tf "$TLSFUZZER/scripts/test-bleichenbacher-timing-marvin.py" -h 127.0.0.1 -p "$PORT" \
        --srv-key "$OUT/rsa.key" --srv-cert "$OUT/rsa.crt" -i lo --no-quickack -o "$TLS" \
        --repeat "$TLS_REPEAT" --probe-reuse "$REUSE" --status-delay 30 >"$TLS/run.log" 2>&1 || true
    stop_listen
    for d in "$TLS"/*/; do
        rm -f "$d/pms_values.bin"
        analyse_capture "${d%/}" "$PORT"
    done
fi

record_load_after "$OUT"
echo
cat "$OUT/machine.txt"
if [[ " $PARTS " == *" api "* ]]; then summary "library: rsa_decrypt_premaster" "$OUT/api"; fi
if [[ " $PARTS " == *" baseline "* ]]; then
    summary "library, baseline: rsa 0.9 decrypt_blinded" "$OUT/baseline"
fi
if [[ " $PARTS " == *" tls "* ]]; then
    for d in "$OUT"/tls/*/; do summary "TLS: listen, TLS_RSA_WITH_AES_128_CBC_SHA" "${d%/}"; done
fi
