#!/usr/bin/env bash
# Wall time per process: `tlsprobe connect -n` against `openssl s_client </dev/null`, both
# talking to the same local `openssl s_server` (ECDSA P-256 certificate, -www), alternating
# in one run so both see the same machine state. Prints mean/median per variant and the
# ratio tlsprobe/openssl (issue 2/3 goal: at most 0.25).
#
#   scripts/bench_connect.sh [N]        N rounds per variant (default 30)
#
# Needs: cargo, openssl, python3. Loopback only; the server is killed on exit.
set -euo pipefail

N="${1:-${N:-30}}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

echo "== building tlsprobe (release)" >&2
cargo build --release --quiet
BIN="$ROOT/target/release/tlsprobe"

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" -days 2 -subj /CN=localhost \
    -addext basicConstraints=critical,CA:FALSE \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
openssl s_server -accept "127.0.0.1:$PORT" -cert "$WORK/cert.pem" -key "$WORK/key.pem" \
    -www -quiet >"$WORK/s_server.log" 2>&1 &
SERVER_PID=$!

# Wait (bounded, 10 s) until the server accepts.
python3 - "$PORT" <<'EOF'
import socket, sys, time
port = int(sys.argv[1]); deadline = time.time() + 10
while time.time() < deadline:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.2).close(); sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit("openssl s_server did not start")
EOF

echo "== machine: $(nproc) CPUs, $(uname -sm), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //')" >&2
echo "== $(openssl version)" >&2
echo "== $("$BIN" --version)" >&2
echo "== $N rounds per variant, alternating, against openssl s_server on 127.0.0.1:$PORT" >&2

python3 - "$N" "$BIN" "$PORT" "$WORK/cert.pem" <<'EOF'
import statistics, subprocess, sys, time

n, tp, port, cert = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
target = f"127.0.0.1:{port}"
variants = [
    ("TLS 1.2 -k",
     [tp, "connect", "-n", "-k", "--tls", "1.2", target],
     ["openssl", "s_client", "-connect", target, "-tls1_2"]),
    ("TLS 1.3 -k",
     [tp, "connect", "-n", "-k", "--tls", "1.3", target],
     ["openssl", "s_client", "-connect", target, "-tls1_3"]),
    ("TLS 1.3 verified",
     [tp, "connect", "-n", "--ca-file", cert, "--tls", "1.3", target],
     ["openssl", "s_client", "-connect", target, "-tls1_3"]),
]

def once(cmd):
    t0 = time.perf_counter()
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=30)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(f"failed (exit {r.returncode}): {' '.join(cmd)}")
    return dt * 1000.0

print("TLS 1.x -k:       tlsprobe connect -n -k --tls 1.x   vs  openssl s_client -connect T -tls1_x </dev/null")
print("TLS 1.3 verified: tlsprobe connect -n --ca-file CERT vs  openssl s_client -connect T -tls1_3 </dev/null")
print("                  (s_client verifies against its default store; -verify_return_error off)")
print()
print(f"{'variant':<18} {'tool':<9} {'mean ms':>8} {'median':>8} {'min':>7} {'max':>7}")
for name, tcmd, ocmd in variants:
    once(tcmd); once(ocmd)  # warm-up (page cache, first-run effects)
    ts, os_ = [], []
    for _ in range(n):
        ts.append(once(tcmd))
        os_.append(once(ocmd))
    for tool, xs in (("tlsprobe", ts), ("openssl", os_)):
        print(f"{name:<18} {tool:<9} {statistics.mean(xs):8.2f} "
              f"{statistics.median(xs):8.2f} {min(xs):7.2f} {max(xs):7.2f}")
    rm = statistics.mean(ts) / statistics.mean(os_)
    rmed = statistics.median(ts) / statistics.median(os_)
    verdict = "meets" if rmed <= 0.25 else "does NOT meet"
    print(f"{name:<18} ratio tlsprobe/openssl: mean {rm:.3f}, median {rmed:.3f} "
          f"({verdict} the 0.25 goal)")
EOF
