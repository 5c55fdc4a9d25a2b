#!/usr/bin/env bash
# Fleet benchmark (issue 18), loopback only: `tlsprobe scan --targets FILE --json -j JOBS`
# 1. closed: COUNT closed-port targets spread over 127.1.0.1 ... (many addresses, so 100,000
#    connects do not crowd one address pair) -> targets per second and peak RSS
#    (/usr/bin/time); every line checked: input order, "Connection refused".
# 2. live: LIVE full scans (every check) alternating between a `tlsprobe listen` and an
#    `openssl s_server -www` -> live full scans per minute, with the CPU seconds tlsprobe and
#    the two servers used meanwhile (who limits whom).
# 3. mixed: the closed list with the live targets spread evenly through it -> wall time, peak
#    RSS, every line checked (order, live targets without error).
#
# Usage: scripts/bench_fleet.sh [COUNT [JOBS]]   (default 100000 targets, -j 128; 10000 for a
#        quick run). TLSPROBE=/path/to/tlsprobe measures another build (e.g. an older one).
set -euo pipefail
COUNT="${1:-100000}"
JOBS="${2:-128}"
LIVE=$(( COUNT / 2500 > 4 ? COUNT / 2500 : 4 ))
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TLSPROBE="${TLSPROBE:-$ROOT/target/release/tlsprobe}"
[ -x "$TLSPROBE" ] || (cd "$ROOT" && cargo build --release --quiet)
[ -x /usr/bin/time ] || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
    for _ in $(seq 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.05
    done
    echo "server on port $1 did not start"; exit 1
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

openssl req -x509 -nodes -days 30 -subj /CN=localhost -newkey rsa:2048 \
    -keyout "$WORK/rsa.key" -out "$WORK/rsa.crt" >/dev/null 2>&1
P_TLSPROBE="$(free_port)"
"$TLSPROBE" listen "127.0.0.1:$P_TLSPROBE" --quiet --color never </dev/null >/dev/null 2>&1 &
PIDS+=($!); PID_LISTEN=$!
P_OPENSSL="$(free_port)"
openssl s_server -accept "127.0.0.1:$P_OPENSSL" -cert "$WORK/rsa.crt" -key "$WORK/rsa.key" \
    -www -quiet </dev/null >/dev/null 2>&1 &
PIDS+=($!); PID_OPENSSL=$!
wait_port "$P_TLSPROBE"; wait_port "$P_OPENSSL"

# The target lists: closed ports are low ports nothing listens on (on any address).
python3 - "$WORK" "$COUNT" "$LIVE" "$P_TLSPROBE" "$P_OPENSSL" <<'PY'
import subprocess, sys
work, count, live, p1, p2 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
out = subprocess.run(["ss", "-Hltn"], capture_output=True, text=True).stdout
busy = {int(l.split()[3].rsplit(":", 1)[1]) for l in out.splitlines() if l.split()}
ports = [p for p in range(2, 1024) if p not in busy][:50]
closed = []
for i in range(count):
    a, b, c = 1 + i // 64516, (i // 254) % 254, 1 + i % 254
    closed.append(f"127.{a}.{b}.{c}:{ports[i % len(ports)]}")
lives = [f"127.0.0.1:{(p1, p2)[k % 2]}" for k in range(live)]
open(f"{work}/closed.txt", "w").write("\n".join(closed) + "\n")
open(f"{work}/live.txt", "w").write("\n".join(lives) + "\n")
step = count // live
mixed = []
for i, t in enumerate(closed):
    if i % step == step // 2 and len(mixed) - i < live:
        mixed.append(lives[len(mixed) - i])
    mixed.append(t)
open(f"{work}/mixed.txt", "w").write("\n".join(mixed) + "\n")
PY

# run NAME LIST: scans LIST; leaves "$WORK/NAME.json" and "$WORK/NAME.time" (wall s, peak KB,
# user s, system s).
run() {
    /usr/bin/time -f "%e %M %U %S" -o "$WORK/$1.time" \
        "$TLSPROBE" scan --targets "$WORK/$2" -j "$JOBS" --json >"$WORK/$1.json" 2>/dev/null || true
}
# check NAME LIST: every target once, in input order; closed ones refused, live ones scanned.
check() {
    python3 - "$WORK/$1.json" "$WORK/$2" <<'PY'
import json, sys
want = [l.strip() for l in open(sys.argv[2]) if l.strip()]
got = [json.loads(l) for l in open(sys.argv[1])]
assert [r["target"] for r in got] == want, "targets missing or out of input order"
bad = [r["target"] for r in got
       if (r["target"].startswith("127.0.0.1:") and r["error"])
       or (not r["target"].startswith("127.0.0.1:") and "Connection refused" not in (r["error"] or ""))]
print(f"{len(got)} reports in input order, {len(bad)} unexpected" + (f": {bad[:3]}" if bad else ""))
PY
}
report() {
    read -r wall kb user sys < <(tail -1 "$WORK/$1.time")
    python3 -c "print(f'  wall {$wall:.2f} s, peak RSS {$kb/1024:.1f} MiB, CPU {$user + $sys:.2f} s, {$2/$wall:,.0f} $3 per second')"
}

echo "tlsprobe:  $TLSPROBE"
echo "targets:   $COUNT closed + $LIVE live, -j $JOBS, $(nproc) cores"
echo "== closed: $COUNT closed ports"
run closed closed.txt
report closed "$COUNT" "targets"
check closed closed.txt

echo "== live: $LIVE full scans (tlsprobe listen and openssl s_server, alternating)"
# One scan of each server alone first: s_server serves one connection at a time, so its
# scans cannot overlap; the fleet's bound is LIVE/2 of its single scans back to back.
one() {
    local s e; s=$(date +%s%N)
    "$TLSPROBE" scan "127.0.0.1:$1" --json >/dev/null 2>&1 || true
    e=$(date +%s%N); echo $(( (e - s) / 1000000 ))
}
ms_listen=$(one "$P_TLSPROBE"); ms_openssl=$(one "$P_OPENSSL")
t0=$(cpu_ticks "$PID_LISTEN"); o0=$(cpu_ticks "$PID_OPENSSL")
run live live.txt
t1=$(cpu_ticks "$PID_LISTEN"); o1=$(cpu_ticks "$PID_OPENSSL")
read -r wall kb user sys < <(tail -1 "$WORK/live.time")
hz=$(getconf CLK_TCK)
python3 -c "
bound = $(( (LIVE + 1) / 2 )) * $ms_openssl / 1000
print(f'  one scan alone: tlsprobe listen {$ms_listen} ms, openssl s_server {$ms_openssl} ms')
print(f'  wall {$wall:.2f} s, peak RSS {$kb/1024:.1f} MiB: {$LIVE*60/$wall:.0f} live full scans per minute')
print(f'  the servers bound it: {$(( (LIVE + 1) / 2 ))} s_server scans back to back take {bound:.2f} s ({$wall/bound:.2f}x)')
print(f'  CPU: tlsprobe scan {$user + $sys:.2f} s, tlsprobe listen {($t1-$t0)/$hz:.2f} s, openssl s_server {($o1-$o0)/$hz:.2f} s')"
check live live.txt

echo "== mixed: the closed list with the $LIVE live targets spread through it"
run mixed mixed.txt
report mixed "$((COUNT + LIVE))" "targets"
check mixed mixed.txt
