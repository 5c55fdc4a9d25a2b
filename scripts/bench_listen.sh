#!/usr/bin/env bash
# Benchmark: the handshake rate of `tlsprobe listen` against `openssl s_server -www`, both with
# the same ECDSA P-256 certificate, under `openssl s_time -new` load, in the same run,
# alternating. Prints connections per second for each run, the means and the ratio
# listen / s_server; then the same with several s_time processes in parallel (enough clients
# to keep both cores busy). Loopback only; every server is stopped on exit.
#
# Usage: scripts/bench_listen.sh [ROUNDS] [SECONDS] [PARALLEL]   (defaults 2, 10, 4)
# Needs openssl and a release build (built here when missing).
set -euo pipefail
ROUNDS="${1:-2}"
SECS="${2:-10}"
PAR="${3:-4}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TLSPROBE="${TLSPROBE:-$ROOT/target/release/tlsprobe}"
[ -x "$TLSPROBE" ] || (cd "$ROOT" && cargo build --release --quiet)

WORK="$(mktemp -d)"
SERVER_PID=""
stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}
cleanup() { stop_server; rm -rf "$WORK"; }
trap cleanup EXIT

openssl req -x509 -nodes -days 30 -subj /CN=localhost -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -keyout "$WORK/ec.key" -out "$WORK/ec.crt" >/dev/null 2>&1
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"

start_server() {
    case "$1" in
    listen)
        "$TLSPROBE" listen "127.0.0.1:$PORT" --cert "$WORK/ec.crt" --key "$WORK/ec.key" \
            --mode http --timeout 10 -q --max-conns 1024 >/dev/null 2>&1 &
        ;;
    s_server)
        openssl s_server -accept "127.0.0.1:$PORT" -cert "$WORK/ec.crt" -key "$WORK/ec.key" \
            -www -quiet >/dev/null 2>&1 &
        ;;
    esac
    SERVER_PID=$!
    for _ in $(seq 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then return 0; fi
        sleep 0.05
    done
    echo "server $1 did not start" >&2
    exit 1
}

# Runs N s_time clients for SECS seconds; prints the total connections per second.
measure() {
    local n="$1" i total=0 pids=()
    for i in $(seq "$n"); do
        openssl s_time -new -connect "127.0.0.1:$PORT" -time "$SECS" >"$WORK/st.$i" 2>&1 &
        pids+=("$!")
    done
    wait "${pids[@]}" || true
    for i in $(seq "$n"); do
        # "N connections in T real seconds, ..."
        c="$(grep -Eo '^[0-9]+ connections in [0-9]+ real' "$WORK/st.$i" | awk '{print $1}' | head -1)"
        total=$((total + ${c:-0}))
    done
    awk -v t="$total" -v s="$SECS" 'BEGIN { printf "%.1f", t / s }'
}

run_series() {
    local clients="$1" label="$2" r which rate
    local sum_l=0 sum_s=0
    echo "== $label: $clients s_time process(es), $SECS s each, $ROUNDS rounds, alternating"
    for r in $(seq "$ROUNDS"); do
        for which in listen s_server; do
            start_server "$which"
            rate="$(measure "$clients")"
            stop_server
            printf "round %d  %-9s %8s connections/s\n" "$r" "$which" "$rate"
            if [ "$which" = listen ]; then
                sum_l="$(awk -v a="$sum_l" -v b="$rate" 'BEGIN { print a + b }')"
            else
                sum_s="$(awk -v a="$sum_s" -v b="$rate" 'BEGIN { print a + b }')"
            fi
        done
    done
    awk -v l="$sum_l" -v s="$sum_s" -v n="$ROUNDS" 'BEGIN {
        printf "mean      listen    %8.1f connections/s\n", l / n
        printf "mean      s_server  %8.1f connections/s\n", s / n
        printf "ratio     listen / s_server = %.2f\n", (s > 0 ? l / s : 0)
    }'
}

echo "openssl: $(openssl version)"
echo "cores: $(nproc)"
run_series 1 "single client"
run_series "$PAR" "parallel clients"
