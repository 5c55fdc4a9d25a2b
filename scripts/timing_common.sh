# Shared by scripts/timing_marvin.sh and scripts/timing_lucky13.sh (sourced, not run): the
# analysis dependencies, tlsfuzzer's location, the builds, the machine facts recorded with
# each measurement, a `tlsprobe listen` on a free loopback port (stopped on exit), and the
# summary of a tlsfuzzer report.txt. Loopback only.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# TLSPROBE: the listen binary to measure (default: this tree's release build).
TLSPROBE="${TLSPROBE:-$ROOT/target/release/tlsprobe}"
HARNESS="$ROOT/target/release/examples/timing_harness"
# CPU list for listen and the harness (taskset syntax), empty: not pinned.
TIMING_CPU="${TIMING_CPU:-}"

# tlsfuzzer: $TLSFUZZER, else ../shared/tlsfuzzer beside the main checkout, else /work/shared.
find_tlsfuzzer() {
    local common
    common="$(git -C "$ROOT" rev-parse --path-format=absolute --git-common-dir 2>/dev/null || true)"
    for d in "${TLSFUZZER:-}" "$(dirname "$ROOT")/shared/tlsfuzzer" \
        "${common:+$(dirname "$(dirname "$common")")/shared/tlsfuzzer}" /work/shared/tlsfuzzer; do
        if [ -n "$d" ] && [ -d "$d/tlsfuzzer" ] && [ -d "$d/scripts" ]; then
            TLSFUZZER="$d"
            return 0
        fi
    done
    echo "tlsfuzzer not found: set TLSFUZZER to a checkout" >&2
    exit 1
}

# numpy, scipy, pandas, matplotlib (analysis.py), dpkt (extract.py), tlslite-ng and ecdsa
# (the scripts themselves), tcpdump (the packet capture the TLS measurement times).
install_deps() {
    if ! python3 -c 'import numpy, scipy, pandas, matplotlib, dpkt' 2>/dev/null; then
        python3 -m pip install --quiet numpy scipy pandas matplotlib dpkt
    fi
    if ! python3 -c 'import tlslite, ecdsa' 2>/dev/null; then
        python3 -m pip install --quiet --pre "tlslite-ng==0.9.0b2" ecdsa
    fi
    if ! command -v tcpdump >/dev/null; then
        apt-get install -y tcpdump >/dev/null
    fi
}

build() {
    (cd "$ROOT" && cargo build --release --quiet --bin tlsprobe --example timing_harness)
}

pinned() {
    if [ -n "$TIMING_CPU" ]; then taskset --cpu-list "$TIMING_CPU" "$@"; else "$@"; fi
}

tf() {
    PYTHONPATH="$TLSFUZZER" python3 "$@"
}

# What was measured, on what, under which load: into $1/machine.txt and on stdout.
record_machine() {
    {
        echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "commit: $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src examples || echo ' (with uncommitted changes)')"
        echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') x $(nproc)"
        echo "listen binary: $TLSPROBE"
        echo "pinned to CPUs: ${TIMING_CPU:-no}"
        echo "load before: $(uptime)"
    } | tee "$1/machine.txt"
}

record_load_after() {
    echo "load after: $(uptime)" | tee -a "$1/machine.txt"
}

LISTEN_PID=""
stop_listen() {
    if [ -n "$LISTEN_PID" ]; then
        kill "$LISTEN_PID" 2>/dev/null || true
        wait "$LISTEN_PID" 2>/dev/null || true
        LISTEN_PID=""
    fi
}
trap stop_listen EXIT

# tlsprobe listen on 127.0.0.1:$PORT with the given arguments, its output in $1/listen.log.
start_listen() {
    local out="$1"
    shift
    PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    # Started directly (not through a shell function) so that $! is listen's own pid.
    local cmd=("$TLSPROBE" listen "127.0.0.1:$PORT" -q --color never "$@")
    if [ -n "$TIMING_CPU" ]; then cmd=(taskset --cpu-list "$TIMING_CPU" "${cmd[@]}"); fi
    "${cmd[@]}" >"$out/listen.log" 2>&1 &
    LISTEN_PID=$!
    for _ in $(seq 100); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then return 0; fi
        sleep 0.05
    done
    echo "tlsprobe listen did not start:" >&2
    cat "$out/listen.log" >&2
    exit 1
}

# Timing from a tlsfuzzer run's capture in directory $1 (server port $2): the capture regrouped
# by connection (scripts/timing_pcap_regroup.py), extract.py with --no-quickack (listen's answer
# carries the ACK of the client's last message; tlsfuzzer assumes a separate ACK by default),
# then analysis.py. The captures are deleted afterwards (hundreds of MB).
analyse_capture() {
    local d="$1" port="$2"
    [ -f "$d/capture.pcap" ] || return 0
    rm -f "$d/timing.csv" "$d/report.txt"
    python3 "$ROOT/scripts/timing_pcap_regroup.py" "$d/capture.pcap" "$port" "$d/regrouped.pcap" \
        >"$d/regroup.log"
    if ! tf "$TLSFUZZER/tlsfuzzer/extract.py" -l "$d/log.csv" -c "$d/regrouped.pcap" \
        -h 127.0.0.1 -p "$port" -o "$d" --no-quickack --status-newline --status-delay 60 \
        >"$d/extract.log" 2>&1; then
        echo "extract.py failed, see $d/extract.log (captures kept)" >&2
        return 0
    fi
    tf "$TLSFUZZER/tlsfuzzer/analysis.py" -o "$d" --minimal-analysis --summary-only \
        --status-newline --status-delay 30 >"$d/analysis.log" 2>&1 || true
    rm -f "$d/capture.pcap" "$d/regrouped.pcap" "$d/timing.bin"
}

# The summary lines of tlsfuzzer's report.txt in directory $2, titled $1.
summary() {
    echo "== $1 ($2)"
    if [ -f "$2/report.txt" ]; then
        grep -E '^(Sign test mean|p-value|Worst pair|Median of|Trimmed mean \(45%\)|Trimmed mean \(25%\)|Mean of|Layperson)' "$2/report.txt"
        local n
        n="$(($(wc -l <"$2/timing.csv") - 1))"
        echo "samples per class: $n"
    else
        echo "no report.txt (the run failed; see the log in $2)"
    fi
}
