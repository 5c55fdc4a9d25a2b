#!/usr/bin/env python3
"""A TLS server (python's ssl) for one connection that answers one HTTP request and then
closes the TCP connection without close_notify: the peer sees a truncation (tcp_close).
Prints "PORT n" once it listens; gives up after 20 s without a client.

Usage: tcp_drop_server.py CERT KEY
"""
import socket
import ssl
import sys


def main():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[1], sys.argv[2])
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    s.settimeout(20)
    print("PORT", s.getsockname()[1], flush=True)
    c, _ = s.accept()
    t = ctx.wrap_socket(c, server_side=True)
    t.settimeout(10)
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        d = t.recv(4096)
        if not d:
            break
        data += d
    t.sendall(b"HTTP/1.0 200 OK\r\n\r\nhello\n")
    # The TLS layer is dropped without SSL_shutdown: no close_notify goes out.
    socket.socket(fileno=t.detach()).close()


if __name__ == "__main__":
    main()
