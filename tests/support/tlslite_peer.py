#!/usr/bin/env python3
"""A tlslite-ng peer for the interop tests (tlslite-ng is the TLS library tlsfuzzer is built on).

client HOST PORT VERSION CIPHER GROUPS [KEYSHARE]
    handshake with exactly one version (1.2 or 1.3), one tlslite cipher name
    (aes128gcm, aes256gcm, chacha20-poly1305) and the groups (comma-separated; the key
    share is for the first unless KEYSHARE names another); send an HTTP/1.0 GET,
    read the whole answer, close with close_notify. Prints one JSON line:
    {"version": "1.3", "cipher": "...", "resumed": false, "reply": "...", "close_notify": true}
server PORT CERT KEY VERSION [GROUPS]
    serve one connection (answering its first data with "tlslite says hi\\n"), print the
    same kind of JSON line and exit. GROUPS (comma-separated tlslite names, e.g.
    x25519mlkem768) limits the server to those key-exchange groups.
Any failure prints {"error": "..."} and exits 1. Every socket operation has a timeout.
"""
import json
import socket
import sys

from tlslite import HandshakeSettings, TLSConnection, X509CertChain, parsePEMKey

TIMEOUT = 10
VERSIONS = {"1.2": (3, 3), "1.3": (3, 4)}


def settings(version, cipher=None, group=None, keyshare=None):
    s = HandshakeSettings()
    s.minVersion = s.maxVersion = VERSIONS[version]
    if cipher:
        s.cipherNames = [cipher]
    if group:
        s.eccCurves = group.split(",")
        s.keyShares = [keyshare or s.eccCurves[0]]
        # Only ECDHE key exchange (no plain RSA, no finite-field DHE).
        s.keyExchangeNames = ["ecdhe_ecdsa", "ecdhe_rsa"]
        s.dhGroups = []
    return s


def describe(conn):
    return {
        "version": {(3, 3): "1.2", (3, 4): "1.3"}.get(conn.version, str(conn.version)),
        "cipher": conn.getCipherName(),
        "resumed": bool(conn.resumed),
    }


def client(host, port, version, cipher, group, keyshare=None):
    sock = socket.create_connection((host, int(port)), timeout=TIMEOUT)
    sock.settimeout(TIMEOUT)
    conn = TLSConnection(sock)
    conn.handshakeClientCert(settings=settings(version, cipher, group, keyshare))
    out = describe(conn)
    conn.write(b"GET / HTTP/1.0\r\n\r\n")
    reply = bytearray()
    for _ in range(1000):
        chunk = conn.read()
        if not chunk:
            break
        reply += chunk
    out["reply"] = reply.decode("utf-8", "replace")
    # tlslite reports the peer's close_notify by read() returning an empty string.
    out["close_notify"] = conn.closed or not chunk
    conn.close()
    return out


def server(port, cert, key, version, groups=None):
    chain = X509CertChain()
    chain.parsePemList(open(cert).read())
    pkey = parsePEMKey(open(key).read(), private=True)
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("127.0.0.1", int(port)))
    ls.listen(1)
    ls.settimeout(TIMEOUT * 3)
    print("LISTENING", flush=True)
    sock, _ = ls.accept()
    sock.settimeout(TIMEOUT)
    conn = TLSConnection(sock)
    s = settings(version)
    if groups:
        s.eccCurves = [g for g in groups.split(",") if not g.startswith("ffdhe")]
        s.dhGroups = [g for g in groups.split(",") if g.startswith("ffdhe")]
        # (tlslite-ng checks that its key shares are among the enabled groups.)
        s.keyShares = (s.eccCurves + s.dhGroups)[:1]
    conn.handshakeServer(certChain=chain, privateKey=pkey, settings=s)
    out = describe(conn)
    data = conn.read()
    out["received"] = bytes(data).decode("utf-8", "replace")
    conn.write(b"tlslite says hi\n")
    conn.close()
    ls.close()
    return out


def main():
    try:
        if sys.argv[1] == "client":
            out = client(*sys.argv[2:])
        elif sys.argv[1] == "server":
            out = server(*sys.argv[2:])
        else:
            raise ValueError("first argument must be client or server")
    except Exception as e:  # report any failure as one JSON line
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}), flush=True)
        sys.exit(1)
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
