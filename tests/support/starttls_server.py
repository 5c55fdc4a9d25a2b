#!/usr/bin/env python3
"""A small STARTTLS server for tlsprobe's tests (python3 stdlib only: socket + ssl).

usage: starttls_server.py PROTO CERT KEY [--no-starttls]

PROTO is smtp, imap, pop3, ftp, xmpp or postgres. Listens on 127.0.0.1 on an ephemeral port,
prints "PORT <n>" on stdout, and serves connections: the server side of the plaintext
dialogue (RFC 3207, RFC 2595, RFC 4217, RFC 6120, the PostgreSQL SSLRequest), then a TLS
handshake with the ssl module, then waits (bounded) for the client to close. With
--no-starttls the server does not offer or refuses the upgrade. The process exits by itself
after LIFETIME seconds; the test normally kills it first.
"""
import socket
import ssl
import sys
import threading
import time

LIFETIME = 120
TIMEOUT = 10


def readline(s):
    buf = b""
    while not buf.endswith(b"\n"):
        if len(buf) > 4096:
            raise ValueError("line too long")
        c = s.recv(1)
        if not c:
            raise EOFError()
        buf += c
    return buf.decode("utf-8", "replace").rstrip("\r\n")


def read_until(s, pred, limit=65536):
    buf = b""
    while not pred(buf):
        if len(buf) > limit:
            raise ValueError("too much")
        c = s.recv(1)
        if not c:
            raise EOFError()
        buf += c
    return buf


def dialogue(proto, s, offer):
    """Returns True when the client asked for TLS and the server agreed."""
    send = s.sendall
    if proto == "smtp":
        send(b"220 py.test ESMTP python\r\n")
        readline(s)  # EHLO
        if offer:
            send(b"250-py.test\r\n250-SIZE 1000000\r\n250 STARTTLS\r\n")
        else:
            send(b"250-py.test\r\n250 SIZE 1000000\r\n")
        cmd = readline(s)
        if offer and cmd.upper() == "STARTTLS":
            send(b"220 Go ahead\r\n")
            return True
        send(b"502 5.5.1 Unrecognized command\r\n")
        return False
    if proto == "imap":
        send(b"* OK [CAPABILITY IMAP4rev1 STARTTLS] py ready\r\n")
        tag, _, cmd = readline(s).partition(" ")
        if offer and cmd.upper() == "STARTTLS":
            send(b"* NOTE untagged noise first\r\n")
            send(tag.encode() + b" OK Begin TLS negotiation now\r\n")
            return True
        send(tag.encode() + b" BAD unknown command\r\n")
        return False
    if proto == "pop3":
        send(b"+OK py POP3 ready\r\n")
        cmd = readline(s)
        if offer and cmd.upper() == "STLS":
            send(b"+OK Begin TLS\r\n")
            return True
        send(b"-ERR unknown command\r\n")
        return False
    if proto == "ftp":
        send(b"220-py FTP\r\n welcome, this is a multi-line greeting\r\n220 ready\r\n")
        cmd = readline(s)
        if offer and cmd.upper() in ("AUTH TLS", "AUTH SSL"):
            send(b"234 AUTH TLS OK\r\n")
            return True
        send(b"500 AUTH not understood\r\n")
        return False
    if proto == "xmpp":
        read_until(s, lambda b: b.endswith(b">") and b"<stream:stream" in b)
        feats = (b"<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>" if offer
                 else b"<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>")
        send(b"<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
             b"xmlns:stream='http://etherx.jabber.org/streams' id='py' from='py.test' version='1.0'>"
             b"<stream:features>" + feats + b"</stream:features>")
        if not offer:
            return False
        read_until(s, lambda b: b.endswith(b"/>"))
        send(b"<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>")
        return True
    if proto == "postgres":
        m = read_until(s, lambda b: len(b) == 8)
        if offer and m == bytes([0, 0, 0, 8, 4, 0xd2, 0x16, 0x2f]):
            send(b"S")
            return True
        send(b"N")
        return False
    raise ValueError(proto)


def serve(proto, ctx, conn, offer):
    try:
        conn.settimeout(TIMEOUT)
        if not dialogue(proto, conn, offer):
            time.sleep(0.2)
            return
        tls = ctx.wrap_socket(conn, server_side=True)
        try:
            while tls.recv(4096):
                pass
        except (ssl.SSLError, OSError):
            pass
        try:
            tls.close()
        except OSError:
            pass
    except (OSError, EOFError, ValueError, ssl.SSLError) as e:
        sys.stderr.write("starttls_server: %s\n" % e)
    finally:
        try:
            conn.close()
        except OSError:
            pass


def main():
    proto, cert, key = sys.argv[1], sys.argv[2], sys.argv[3]
    offer = "--no-starttls" not in sys.argv[4:]
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", 0))
    ls.listen(16)
    ls.settimeout(1.0)
    print("PORT %d" % ls.getsockname()[1], flush=True)
    end = time.time() + LIFETIME
    while time.time() < end:
        try:
            conn, _ = ls.accept()
        except socket.timeout:
            continue
        threading.Thread(target=serve, args=(proto, ctx, conn, offer), daemon=True).start()


if __name__ == "__main__":
    main()
