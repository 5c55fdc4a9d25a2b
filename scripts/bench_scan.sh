#!/usr/bin/env bash
# Benchmark: `tlsprobe scan` against sslscan on a default `openssl s_server` with an RSA and an
# ECDSA certificate, in the same run, alternating. Prints wall times, their ratio, the
# connections each tool used (counted from the server's ClientHello log) and whether the
# accepted suite lists agree. Loopback only.
#
# Usage: scripts/bench_scan.sh [ROUNDS]      (default 5; needs target/release/tlsprobe)
set -euo pipefail
ROUNDS="${1:-5}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TLSPROBE="${TLSPROBE:-$ROOT/target/release/tlsprobe}"
[ -x "$TLSPROBE" ] || (cd "$ROOT" && cargo build --release --quiet)
if ! command -v sslscan >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get install -y -qq sslscan >/dev/null 2>&1 || true
    fi
fi
HAVE_SSLSCAN=0; command -v sslscan >/dev/null 2>&1 && HAVE_SSLSCAN=1

WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

openssl req -x509 -nodes -days 30 -subj /CN=localhost -newkey rsa:2048 \
    -keyout "$WORK/rsa.key" -out "$WORK/rsa.crt" >/dev/null 2>&1
openssl req -x509 -nodes -days 30 -subj /CN=localhost -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
    -keyout "$WORK/ec.key" -out "$WORK/ec.crt" >/dev/null 2>&1
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
# -msg logs every ClientHello: one per connection that sent one.
openssl s_server -accept "$PORT" -cert "$WORK/rsa.crt" -key "$WORK/rsa.key" \
    -dcert "$WORK/ec.crt" -dkey "$WORK/ec.key" -msg </dev/zero >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.05
done
hellos() { grep -c 'ClientHello' "$WORK/server.log" || true; }
now_ns() { date +%s%N; }

t_probe=0; t_ssl=0; c_probe=0; c_ssl=0
for i in $(seq "$ROUNDS"); do
    before=$(hellos); s=$(now_ns)
    "$TLSPROBE" scan "127.0.0.1:$PORT" --json >"$WORK/tlsprobe.json"
    e=$(now_ns); t_probe=$((t_probe + e - s)); c_probe=$(( $(hellos) - before ))
    if [ "$HAVE_SSLSCAN" = 1 ]; then
        before=$(hellos); s=$(now_ns)
        sslscan --no-colour --xml="$WORK/sslscan.xml" "127.0.0.1:$PORT" >/dev/null 2>&1 || true
        e=$(now_ns); t_ssl=$((t_ssl + e - s)); c_ssl=$(( $(hellos) - before ))
    fi
done
ms() { python3 -c "print(f'{$1/1e6/$ROUNDS:.1f}')"; }
echo "rounds:                 $ROUNDS"
echo "tlsprobe scan:          $(ms $t_probe) ms per scan, $c_probe connections (JSON says $(python3 -c "import json;print(json.load(open('$WORK/tlsprobe.json'))['connections'])"))"
if [ "$HAVE_SSLSCAN" = 1 ]; then
    echo "sslscan:                $(ms $t_ssl) ms per scan, $c_ssl connections"
    python3 -c "print(f'wall-time ratio tlsprobe/sslscan: {$t_probe/max($t_ssl,1):.3f}')"
    # Compare accepted suites per version by code point.
    python3 - "$WORK/tlsprobe.json" "$WORK/sslscan.xml" <<'PY'
import json, re, subprocess, sys
rep = json.load(open(sys.argv[1]))
xml = open(sys.argv[2]).read()
names = {}
out = subprocess.run(["openssl", "ciphers", "-V", "-stdname", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"],
                     capture_output=True, text=True).stdout
for line in out.splitlines():
    m = re.match(r"\s*0x([0-9A-F]{2}),0x([0-9A-F]{2})\s*-\s*(\S+)", line)
    if m:
        names[m.group(3)] = int(m.group(1) + m.group(2), 16)
ours = {}
for p in rep["protocols"]:
    ours[p["version"]] = sorted(names.get(n, -1) for n in p["cipher_suites"])
theirs = {}
for m in re.finditer(r'<cipher status="[^"]*" sslversion="([^"]+)"[^>]*?id="0x([0-9A-Fa-f]+)"', xml):
    v = m.group(1).replace("TLSv", "TLS ").replace("SSLv3", "SSL 3.0")
    theirs.setdefault(v, []).append(int(m.group(2), 16))
agree = True
for v in sorted(set(ours) | set(theirs)):
    a, b = ours.get(v, []), sorted(theirs.get(v, []))
    same = a == b
    agree &= same
    print(f"  {v}: tlsprobe {len(a)} suites, sslscan {len(b)} suites: {'same' if same else 'DIFFERENT'}")
print("suite lists agree:     ", "yes" if agree else "no")
PY
else
    echo "sslscan:                not installed (apt-get install sslscan), comparison skipped"
fi
