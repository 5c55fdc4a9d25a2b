#!/usr/bin/env python3
"""A TLS 1.0-1.2 server without RFC 5746 secure renegotiation, for the insecure_renegotiation
scan check: tlslite-ng, monkeypatched so that it never sees the client's renegotiation_info
extension or TLS_EMPTY_RENEGOTIATION_INFO_SCSV, and so never answers with renegotiation_info
(the transcript is hashed over the bytes received, so the handshake still completes).

no_reneg_server.py CERT KEY [MODE]
    listens on 127.0.0.1 (a free port), prints "PORT n", serves every connection on its
    own thread (socket timeout 5 s), and exits after 120 s. A failed handshake only ends its
    connection. After the handshake, MODE says what it does:
      plain    reads one record with tlslite (a renegotiating ClientHello is refused with a
               no_renegotiation warning), answers application data (the default);
      silent   holds the connection 5 s, reading nothing;
      garbage  reads what comes and answers with bytes that are not TLS.
"""
import socket
import sys
import threading
import time

from tlslite import HandshakeSettings, TLSConnection, X509CertChain, parsePEMKey
from tlslite.constants import CipherSuite, ExtensionType
from tlslite.messages import ClientHello

LIFETIME = 120
TIMEOUT = 5

_parse = ClientHello.parse


def parse_without_rfc5746(self, p):
    """ClientHello.parse, then forget renegotiation_info and its SCSV (RFC 5746 §3.3)."""
    hello = _parse(self, p)
    hello.cipher_suites = [
        c for c in hello.cipher_suites if c != CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV
    ]
    if hello.extensions:
        hello.extensions = [
            e for e in hello.extensions if e.extType != ExtensionType.renegotiation_info
        ]
    return hello


ClientHello.parse = parse_without_rfc5746


def serve(sock, chain, key, mode):
    try:
        sock.settimeout(TIMEOUT)
        conn = TLSConnection(sock)
        s = HandshakeSettings()
        s.minVersion, s.maxVersion = (3, 1), (3, 3)
        conn.handshakeServer(certChain=chain, privateKey=key, settings=s)
        if mode == "silent":
            time.sleep(TIMEOUT)
            return
        if mode == "garbage":
            sock.recv(16384)
            sock.sendall(b"garbage, not TLS\r\n")
            time.sleep(1)
            return
        data = conn.read(max=16384)
        if data:
            conn.write(b"no renegotiation_info here\n")
        conn.close()
    except Exception:
        pass
    finally:
        sock.close()


def main():
    chain = X509CertChain()
    chain.parsePemList(open(sys.argv[1]).read())
    key = parsePEMKey(open(sys.argv[2]).read(), private=True)
    mode = sys.argv[3] if len(sys.argv) > 3 else "plain"
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(64)
    ls.settimeout(1)
    print("PORT", ls.getsockname()[1], flush=True)
    deadline = time.monotonic() + LIFETIME
    while time.monotonic() < deadline:
        try:
            sock, _ = ls.accept()
        except socket.timeout:
            continue
        threading.Thread(target=serve, args=(sock, chain, key, mode), daemon=True).start()


if __name__ == "__main__":
    main()
