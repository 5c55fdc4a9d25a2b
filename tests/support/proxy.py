#!/usr/bin/env python3
"""Small proxies for tlsprobe's tests (python3 stdlib only).

usage: proxy.py http|socks5 [--user U --password P] [--refuse]

Listens on 127.0.0.1 on an ephemeral port and prints "PORT <n>" on stdout.
  http:   HTTP CONNECT (RFC 9110 §9.3.6); with --user, requires Proxy-Authorization: Basic
          (407 otherwise); --refuse answers 403 Forbidden.
  socks5: SOCKS5 (RFC 1928) CONNECT with ATYP 1, 3 (names resolved here) and 4; with --user,
          requires username/password authentication (RFC 1929); --refuse answers reply 0x02
          (connection not allowed by ruleset).
Every tunnel target is logged on stderr as "TUNNEL <host> <port> <atyp>". Only loopback
targets are allowed. The process exits by itself after LIFETIME seconds; the test normally
kills it first.
"""
import base64
import select
import socket
import struct
import sys
import threading
import time

LIFETIME = 120
TIMEOUT = 10


def arg(name):
    a = sys.argv
    return a[a.index(name) + 1] if name in a else None


def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        c = s.recv(n - len(buf))
        if not c:
            raise EOFError()
        buf += c
    return buf


def relay(a, b):
    end = time.time() + 60
    socks = [a, b]
    while time.time() < end:
        r, _, _ = select.select(socks, [], [], 1.0)
        for s in r:
            d = s.recv(65536)
            if not d:
                return
            (b if s is a else a).sendall(d)


def loopback(host):
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    return all(i[4][0] in ("127.0.0.1", "::1") for i in infos)


def log(host, port, atyp):
    sys.stderr.write("TUNNEL %s %d %s\n" % (host, port, atyp))
    sys.stderr.flush()


def http(c, user, pw, refuse):
    head = b""
    while b"\r\n\r\n" not in head:
        if len(head) > 16384:
            return
        d = c.recv(1)
        if not d:
            return
        head += d
    lines = head.decode("latin-1").split("\r\n")
    method, authority, _ = (lines[0].split(" ") + ["", "", ""])[:3]
    if method != "CONNECT":
        c.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
        return
    if refuse:
        c.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
        return
    if user is not None:
        want = "Basic " + base64.b64encode(("%s:%s" % (user, pw)).encode()).decode()
        got = [l.split(":", 1)[1].strip() for l in lines[1:]
               if l.lower().startswith("proxy-authorization:")]
        if got != [want]:
            c.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                      b"Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n")
            return
    host, _, port = authority.rpartition(":")
    host = host.strip("[]")
    log(host, int(port), "http")
    if not loopback(host):
        c.sendall(b"HTTP/1.1 403 Forbidden\r\n\r\n")
        return
    try:
        u = socket.create_connection((host, int(port)), timeout=TIMEOUT)
    except OSError:
        c.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
        return
    c.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
    relay(c, u)
    u.close()


def socks5(c, user, pw, refuse):
    ver, n = recv_exact(c, 2)
    methods = recv_exact(c, n)
    if ver != 5:
        return
    want = 2 if user is not None else 0
    if want not in methods:
        c.sendall(b"\x05\xff")
        return
    c.sendall(bytes([5, want]))
    if want == 2:
        _, ul = recv_exact(c, 2)
        u = recv_exact(c, ul).decode()
        (pl,) = recv_exact(c, 1)
        p = recv_exact(c, pl).decode()
        if (u, p) != (user, pw):
            c.sendall(b"\x01\x01")
            return
        c.sendall(b"\x01\x00")
    ver, cmd, _, atyp = recv_exact(c, 4)
    if atyp == 1:
        host = socket.inet_ntop(socket.AF_INET, recv_exact(c, 4))
    elif atyp == 4:
        host = socket.inet_ntop(socket.AF_INET6, recv_exact(c, 16))
    elif atyp == 3:
        (l,) = recv_exact(c, 1)
        host = recv_exact(c, l).decode()
    else:
        c.sendall(b"\x05\x08\x00\x01\x00\x00\x00\x00\x00\x00")
        return
    (port,) = struct.unpack(">H", recv_exact(c, 2))
    log(host, port, atyp)
    fail = b"\x00\x01\x00\x00\x00\x00\x00\x00"
    if refuse or not loopback(host):
        c.sendall(b"\x05\x02" + fail)
        return
    try:
        u = socket.create_connection((host, port), timeout=TIMEOUT)
    except OSError:
        c.sendall(b"\x05\x05" + fail)
        return
    c.sendall(b"\x05\x00\x00\x01\x7f\x00\x00\x01" + struct.pack(">H", 1))
    relay(c, u)
    u.close()


def handle(kind, c, user, pw, refuse):
    try:
        c.settimeout(TIMEOUT)
        (http if kind == "http" else socks5)(c, user, pw, refuse)
    except (OSError, EOFError, ValueError) as e:
        sys.stderr.write("proxy: %s\n" % e)
    finally:
        try:
            c.close()
        except OSError:
            pass


def main():
    kind = sys.argv[1]
    user, pw, refuse = arg("--user"), arg("--password"), "--refuse" in sys.argv
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(16)
    ls.settimeout(1.0)
    print("PORT %d" % ls.getsockname()[1], flush=True)
    end = time.time() + LIFETIME
    while time.time() < end:
        try:
            c, _ = ls.accept()
        except socket.timeout:
            continue
        threading.Thread(target=handle, args=(kind, c, user, pw, refuse), daemon=True).start()


if __name__ == "__main__":
    main()
