#!/usr/bin/env bash
# Benchmark, in two parts, loopback only:
# 1. `tlsprobe scan` against sslscan on a default `openssl s_server` with an RSA and an ECDSA
#    certificate, in the same run, alternating. Prints wall times, their ratio, the
#    connections each tool used (counted from the server's ClientHello log) and whether the
#    accepted suite lists agree.
# 2. A full scan with every check (`tlsprobe scan --json --http`) against nginx (TLS 1.2 and
#    1.3, RSA certificate, DHE and ECDHE, an HTTP answer), next to a full default `testssl`
#    (testssl.sh) run and `python3 -m sslyze` with its default plugins on the same server.
#    Prints the wall times, the ratios against the goals (tlsprobe at most 0.01x testssl.sh
#    and 0.1x sslyze), tlsprobe's connection count (at most 100) and the verdicts of every
#    vulnerability check side by side (scripts/vuln_verdicts.py). SKIP_FULL=1 skips it,
#    SKIP_TESTSSL=1 only testssl.sh's minutes.
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
NGINX_PID=""
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
    [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null
    rm -rf "$WORK"
}
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

[ "${SKIP_FULL:-0}" = 1 ] && exit 0
kill "$SERVER_PID" 2>/dev/null; SERVER_PID=""
echo
echo "== a full scan with every check against nginx: tlsprobe, testssl.sh, sslyze"
if ! command -v nginx >/dev/null 2>&1; then
    echo "nginx:                  not installed (apt-get install nginx), skipped"
    exit 0
fi
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
mkdir -p "$WORK/nginx"
openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out "$WORK/dh.pem" 2>/dev/null
# One process (no master, no user switch: runs as whoever runs the script), everything in $WORK.
cat >"$WORK/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 512; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
    uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
    server {
        listen 127.0.0.1:$PORT ssl;
        ssl_certificate $WORK/rsa.crt;
        ssl_certificate_key $WORK/rsa.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA:AES128-GCM-SHA256:AES128-SHA;
        ssl_dhparam $WORK/dh.pem;
        location / { default_type text/html; return 200 "<html><body>hello</body></html>\n"; }
    }
}
EOF
nginx -p "$WORK/nginx" -c "$WORK/nginx.conf" -e "$WORK/nginx/error.log" </dev/null >/dev/null 2>&1 &
NGINX_PID=$!
for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
    sleep 0.05
done
secs() { python3 -c "print(f'{$1/1e9:.${2:-1}f}')"; }
# --http when this build has it (the HTTP check); every vulnerability check runs by default.
HTTP_FLAG=(); "$TLSPROBE" scan --help 2>/dev/null | grep -q -- '--http' && HTTP_FLAG=(--http)
t_full=0
for i in $(seq "$ROUNDS"); do
    s=$(now_ns)
    "$TLSPROBE" scan "127.0.0.1:$PORT" --json "${HTTP_FLAG[@]}" >"$WORK/full.json" || true
    e=$(now_ns); t_full=$((t_full + e - s))
done
t_full=$((t_full / ROUNDS))
read -r conns checks < <(python3 -c "import json; r=json.load(open('$WORK/full.json')); print(r['connections'], len(r.get('vulnerabilities') or {}))")
echo "tlsprobe scan --json${HTTP_FLAG[*]:+ ${HTTP_FLAG[*]}}: $(secs $t_full 3) s per scan (mean of $ROUNDS), $conns connections (goal <= 100), $checks vulnerability checks"
COMPARE=()
if [ "${SKIP_TESTSSL:-0}" = 1 ]; then
    echo "testssl.sh:             skipped (SKIP_TESTSSL=1)"
elif command -v testssl >/dev/null 2>&1; then
    s=$(now_ns)
    testssl --quiet --warnings off --color 0 --jsonfile "$WORK/testssl.json" "127.0.0.1:$PORT" >/dev/null 2>&1 || true
    e=$(now_ns); t_ts=$((e - s))
    echo "testssl.sh (full default run): $(secs $t_ts) s, $(python3 -c "import json; print(len(json.load(open('$WORK/testssl.json'))))" 2>/dev/null || echo no) results"
    python3 -c "print(f'ratio tlsprobe/testssl.sh:     {$t_full/$t_ts:.4f} (goal <= 0.01)')"
    COMPARE+=(--testssl "$WORK/testssl.json")
else
    echo "testssl.sh:             not installed (apt-get install testssl.sh), skipped"
fi
if python3 -c 'import sslyze' 2>/dev/null; then
    s=$(now_ns)
    python3 -m sslyze --quiet --json_out "$WORK/sslyze.json" "127.0.0.1:$PORT" >/dev/null 2>&1 || true
    e=$(now_ns); t_sy=$((e - s))
    echo "sslyze (default plugins):      $(secs $t_sy) s, $(python3 -c "
import json
r = json.load(open('$WORK/sslyze.json'))['server_scan_results'][0]
done = [k for k, v in (r.get('scan_result') or {}).items() if v and v.get('status') == 'COMPLETED']
print(f\"{r['connectivity_status']}, {len(done)} plugins completed\")" 2>/dev/null || echo "no results")"
    python3 -c "print(f'ratio tlsprobe/sslyze:         {$t_full/$t_sy:.4f} (goal <= 0.1)')"
    COMPARE+=(--sslyze "$WORK/sslyze.json")
else
    echo "sslyze:                 not installed (pip install sslyze), skipped"
fi
echo "verdicts side by side (-: the tool has no such check):"
python3 "$ROOT/scripts/vuln_verdicts.py" --tlsprobe "$WORK/full.json" "${COMPARE[@]}"
