#!/usr/bin/env python3
"""An HTTPS server with scripted answers for tlsprobe's scan HTTP tests (python3 stdlib only:
socket + ssl).

usage: http_peer.py MODE CERT KEY

Listens on 127.0.0.1 on an ephemeral port, prints "PORT <n>" on stdout, and answers every
TLS connection according to MODE, after reading the request head (bounded):
  br        an interim 103, then HTTP/1.1 200 with "Content-Encoding: br" and two STS
            fields (the first counts)
  huge      a status line, then header lines without end (stops after 256 KiB)
  garbage   a line that is not HTTP
  close     closes without answering
  silent    answers nothing and keeps the connection open (until LIFETIME)
  badsts    HTTP/1.1 200 with an invalid Strict-Transport-Security field
The process exits by itself after LIFETIME seconds; the test normally kills it first.
"""
import socket
import ssl
import sys
import threading
import time

LIFETIME = 60
TIMEOUT = 10


def read_head(s):
    buf = b""
    while b"\r\n\r\n" not in buf:
        if len(buf) > 65536:
            return buf
        c = s.recv(4096)
        if not c:
            return buf
        buf += c
    return buf


def answer(mode, s):
    read_head(s)
    if mode == "br":
        s.sendall(b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n")
        s.sendall(b"HTTP/1.1 200 OK\r\nServer: py-peer\r\nContent-Encoding: br\r\n"
                  b"Strict-Transport-Security: max-age=600; includeSubDomains\r\n"
                  b"Strict-Transport-Security: max-age=63072000\r\n"
                  b"Content-Length: 0\r\n\r\n")
    elif mode == "huge":
        s.sendall(b"HTTP/1.1 200 OK\r\n")
        line = b"X-Filler: " + b"a" * 1000 + b"\r\n"
        for _ in range(256):
            s.sendall(line)
    elif mode == "garbage":
        s.sendall(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")
    elif mode == "close":
        pass
    elif mode == "silent":
        time.sleep(LIFETIME)
    elif mode == "badsts":
        s.sendall(b"HTTP/1.1 404 Not Found\r\nStrict-Transport-Security: max-age=\"12\r\n"
                  b"Content-Length: 0\r\n\r\n")


def serve(mode, ctx, conn):
    try:
        conn.settimeout(TIMEOUT)
        with ctx.wrap_socket(conn, server_side=True) as s:
            answer(mode, s)
            try:
                s.unwrap()
            except (OSError, ssl.SSLError):
                pass
    except (OSError, ssl.SSLError, ValueError):
        pass
    finally:
        conn.close()


def main():
    mode, cert, key = sys.argv[1], sys.argv[2], sys.argv[3]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(64)
    print("PORT %d" % ls.getsockname()[1], flush=True)
    threading.Timer(LIFETIME, lambda: __import__("os")._exit(0)).start()
    while True:
        conn, _ = ls.accept()
        threading.Thread(target=serve, args=(mode, ctx, conn), daemon=True).start()


if __name__ == "__main__":
    main()
