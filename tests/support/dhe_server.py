#!/usr/bin/env python3
"""A TLS 1.2 server (tlslite-ng) with chosen DHE parameters, for the scan's key-exchange tests.

dhe_server.py CERT KEY PRIME_HEX FFDHE
    PRIME_HEX: the DHE prime (generator 2) used for clients that offer no RFC 7919 group;
    FFDHE: comma-separated RFC 7919 groups the server honours when a client offers them
    (RFC 7919 §4), or "-" for none. Prints "PORT n" once it listens on 127.0.0.1. Serves
    each connection on its own thread (every socket with a timeout), at most MAX_CONNS
    connections and MAX_SECONDS seconds, then exits.
"""
import socket
import sys
import threading
import time

from tlslite import HandshakeSettings, TLSConnection, X509CertChain, parsePEMKey

MAX_CONNS = 400
MAX_SECONDS = 120
TIMEOUT = 5


def settings(prime_hex, ffdhe):
    s = HandshakeSettings()
    s.minVersion = s.maxVersion = (3, 3)
    s.dhParams = (2, int(prime_hex, 16))
    s.dhGroups = [] if ffdhe == "-" else ffdhe.split(",")
    s.keyExchangeNames = ["dhe_rsa", "ecdhe_rsa", "rsa"]
    return s


def serve_one(sock, chain, key, s):
    sock.settimeout(TIMEOUT)
    conn = TLSConnection(sock)
    try:
        conn.handshakeServer(certChain=chain, privateKey=key, settings=s)
        conn.write(b"dhe_server says hi\n")
        conn.close()
    except Exception:
        pass
    finally:
        try:
            sock.close()
        except OSError:
            pass


def main(cert, key, prime_hex, ffdhe):
    chain = X509CertChain()
    chain.parsePemList(open(cert).read())
    priv = parsePEMKey(open(key).read(), private=True)
    s = settings(prime_hex, ffdhe)
    lsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(64)
    lsock.settimeout(1)
    print("PORT %d" % lsock.getsockname()[1], flush=True)
    deadline = time.monotonic() + MAX_SECONDS
    for _ in range(MAX_CONNS):
        sock = None
        while sock is None and time.monotonic() < deadline:
            try:
                sock, _ = lsock.accept()
            except socket.timeout:
                continue
        if sock is None:
            break
        threading.Thread(target=serve_one, args=(sock, chain, priv, s), daemon=True).start()
    lsock.close()


if __name__ == "__main__":
    main(*sys.argv[1:5])
