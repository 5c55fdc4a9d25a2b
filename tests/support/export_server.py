#!/usr/bin/env python3
"""A raw TLS 1.0 server that accepts export-grade suites, for tlsprobe's FREAK and Logjam tests
(python3 stdlib only: raw sockets; OpenSSL 3 cannot negotiate EXPORT suites any more).

usage: export_server.py MODE CERT_PEM

MODE freak:  accepts TLS_RSA_EXPORT_WITH_RC4_40_MD5 (0x0003), TLS_RSA_EXPORT_WITH_DES40_CBC_SHA
             (0x0008) and TLS_RSA_WITH_AES_128_CBC_SHA (0x002f); the export suites get a
             ServerKeyExchange with a 512-bit RSA key (RFC 2246 §7.4.3).
MODE logjam: accepts TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA (0x0014) and
             TLS_DHE_RSA_WITH_AES_128_CBC_SHA (0x0033), both with a 512-bit DH prime.

Only TLS 1.0 (a ClientHello whose client_version is 0x0301): any other version gets a
protocol_version alert, no common suite a handshake_failure alert. The server sends its first
flight (ServerHello, Certificate, ServerKeyExchange, ServerHelloDone, RFC 2246 §7.3) and never
completes a handshake: no key is computed, the signatures are filler. Listens on 127.0.0.1 on
an ephemeral port, prints "PORT <n>", serves each connection in a thread for at most TIMEOUT
seconds, and exits by itself after LIFETIME seconds (the test normally kills it first).
"""
import base64
import os
import socket
import sys
import threading
import time

LIFETIME = 120
TIMEOUT = 5
# A 512-bit prime (the OpenSSL 0.9.x export DH prime, dh512.pem) and generator 2.
P512 = int(
    "da583c16d9852289d0e4af756f4cca92dd4be533b804fb0fed94ef9c8a4403ed"
    "574650d36999db29d776276ba2d3d412e218f4dd1e084cf6d8003e7c4774e833", 16)
SUITES = {
    "freak": [0x0003, 0x0008, 0x002F],
    "logjam": [0x0014, 0x0033],
}
RSA_EXPORT = {0x0003, 0x0008}
DHE = {0x0014, 0x0033}


def u16(n):
    return n.to_bytes(2, "big")


def vec(b, n):
    return len(b).to_bytes(n, "big") + b


def record(ctype, body):
    return bytes([ctype]) + u16(0x0301) + vec(body, 2)


def handshake(htype, body):
    return bytes([htype]) + vec(body, 3)


def alert(desc):
    return record(21, bytes([2, desc]))


def read_exact(s, n):
    buf = b""
    while len(buf) < n:
        c = s.recv(n - len(buf))
        if not c:
            raise EOFError()
        buf += c
    return buf


def client_hello(s):
    """(client_version, offered suites) of a ClientHello in one record; None if not one."""
    head = read_exact(s, 5)
    if head[0] != 22:
        return None
    body = read_exact(s, int.from_bytes(head[3:5], "big"))
    if len(body) < 4 or body[0] != 1:
        return None
    b = body[4:]
    version = int.from_bytes(b[0:2], "big")
    i = 2 + 32
    i += 1 + b[i]
    n = int.from_bytes(b[i:i + 2], "big")
    suites = [int.from_bytes(b[i + 2 + k:i + 4 + k], "big") for k in range(0, n, 2)]
    return version, suites


def first_flight(suite, cert_der):
    hello = u16(0x0301) + os.urandom(32) + vec(b"", 1) + u16(suite) + b"\x00"
    out = handshake(2, hello)
    out += handshake(11, vec(vec(cert_der, 3), 3))
    filler_sig = vec(os.urandom(64), 2)
    if suite in DHE:
        ys = pow(2, int.from_bytes(os.urandom(32), "big"), P512)
        params = vec(P512.to_bytes(64, "big"), 2) + vec(b"\x02", 2) + vec(ys.to_bytes(64, "big"), 2)
        out += handshake(12, params + filler_sig)
    elif suite in RSA_EXPORT:
        modulus = (int.from_bytes(os.urandom(64), "big") | (1 << 511) | 1).to_bytes(64, "big")
        out += handshake(12, vec(modulus, 2) + vec(b"\x01\x00\x01", 2) + filler_sig)
    out += handshake(14, b"")
    return record(22, out)


def serve(conn, mode, cert_der):
    conn.settimeout(TIMEOUT)
    try:
        hello = client_hello(conn)
        if hello is None:
            return
        version, offered = hello
        if version != 0x0301:
            conn.sendall(alert(70))
            return
        common = [c for c in SUITES[mode] if c in offered]
        if not common:
            conn.sendall(alert(40))
            return
        conn.sendall(first_flight(common[0], cert_der))
        # Wait (bounded) for the client to give up.
        deadline = time.time() + TIMEOUT
        while time.time() < deadline and conn.recv(4096):
            pass
    except (OSError, EOFError, ValueError, IndexError):
        pass
    finally:
        conn.close()


def main():
    mode, cert_path = sys.argv[1], sys.argv[2]
    pem = open(cert_path).read()
    b64 = pem.split("-----BEGIN CERTIFICATE-----")[1].split("-----END CERTIFICATE-----")[0]
    cert_der = base64.b64decode("".join(b64.split()))
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    srv.settimeout(1)
    print("PORT", srv.getsockname()[1], flush=True)
    end = time.time() + LIFETIME
    while time.time() < end:
        try:
            conn, _ = srv.accept()
        except socket.timeout:
            continue
        threading.Thread(target=serve, args=(conn, mode, cert_der), daemon=True).start()


if __name__ == "__main__":
    main()
