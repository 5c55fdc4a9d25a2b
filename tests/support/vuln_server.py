#!/usr/bin/env python3
"""Scripted TLS servers with (and without) old vulnerabilities, for tests/scan_vulns_raw.rs.

vuln_server.py MODE [SECONDS]

Listens on 127.0.0.1 (a free port, printed as "PORT n"), serves every connection in a thread
and exits after SECONDS (default 120). Every socket read has a timeout.

Raw modes: plaintext handshake bytes only, no cryptography. The server answers a TLS 1.2
ClientHello offering TLS_RSA_WITH_AES_128_GCM_SHA256, _AES_128_CBC_SHA or _AES_256_CBC_SHA
with ServerHello, Certificate (tests/data/localhost.crt, or the PEM file VULN_SERVER_CERT
names), ServerHelloDone, refuses other
versions with protocol_version, then reads what the client sends next:
    plain           any further record: handshake_failure, close (the negative control)
    heartbleed      acknowledges the heartbeat extension and answers every HeartbeatRequest
                    with as many payload bytes as it claims: those sent, then a fixed filler
                    where a vulnerable OpenSSL sent its memory:
                    CVE-2014-0160 as a vulnerable OpenSSL behaved
    heartbeat-safe  acknowledges the extension, silently drops a request claiming more than
                    it carries (RFC 6520 §4) and answers a well-formed one
    ccs             takes a ChangeCipherSpec before the key exchange, then fails the next
                    record with bad_record_mac: CVE-2014-0224
    ccs-safe        refuses an early ChangeCipherSpec with unexpected_message
    sslv2           also answers an SSL 2.0 CLIENT-HELLO with a SERVER-HELLO offering
                    RC4-MD5 and DES-CBC3-MD5 (DROWN exposure)
    garbage         acknowledges the heartbeat extension, then answers any record with a
                    record header announcing more than a record may hold, and an SSL 2.0
                    CLIENT-HELLO with a truncated SERVER-HELLO (hostile peer)
A raw MODE+certreq also sends a CertificateRequest before ServerHelloDone: sslyze, which needs
a complete handshake to see a server at all, then takes the server for one demanding a client
certificate and runs its heartbleed and CCS checks (for the side-by-side comparison).
tlslite-ng modes (complete handshakes, session tickets, RFC 5077):
    tickets         resumes from its tickets and echoes the client's session ID
    ticketbleed     the same, but echoes a short session ID padded to 32 bytes with random
                    bytes (CVE-2016-9244 as F5 BIG-IP behaved; random, never memory)
"""
import base64
import os
import socket
import struct
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CERT = os.path.join(HERE, "..", "data", "localhost.crt")
RAW_CERT = os.environ.get("VULN_SERVER_CERT") or CERT
KEY = os.path.join(HERE, "..", "data", "localhost.key")
TIMEOUT = 20
SUITES = [0x009C, 0x002F, 0x0035]
RAW_MODES = ["plain", "heartbleed", "heartbeat-safe", "ccs", "ccs-safe", "sslv2", "garbage"]


def der_certificate():
    pem = open(RAW_CERT).read()
    body = pem.split("-----BEGIN CERTIFICATE-----")[1].split("-----END CERTIFICATE-----")[0]
    return base64.b64decode("".join(body.split()))


def recv_exact(c, n):
    out = b""
    while len(out) < n:
        chunk = c.recv(n - len(out))
        if not chunk:
            raise EOFError
        out += chunk
    return out


def record(ctype, body, version=0x0303):
    return struct.pack(">BHH", ctype, version, len(body)) + body


def alert(c, desc):
    c.sendall(record(21, bytes([2, desc])))


def handshake(typ, body):
    return struct.pack(">B", typ) + len(body).to_bytes(3, "big") + body


def vec(n, b):
    return len(b).to_bytes(n, "big") + b


def parse_hello(body):
    """(version, suites, extension types and bodies) of a ClientHello message."""
    if body[0] != 1:
        raise ValueError("not a ClientHello")
    p = 4
    version = struct.unpack(">H", body[p:p + 2])[0]
    p += 34
    p += 1 + body[p]
    n = struct.unpack(">H", body[p:p + 2])[0]
    suites = [struct.unpack(">H", body[p + 2 + i:p + 4 + i])[0] for i in range(0, n, 2)]
    p += 2 + n
    p += 1 + body[p]
    exts = {}
    if p + 2 <= len(body):
        end = p + 2 + struct.unpack(">H", body[p:p + 2])[0]
        p += 2
        while p + 4 <= end:
            t, ln = struct.unpack(">HH", body[p:p + 4])
            exts[t] = body[p + 4:p + 4 + ln]
            p += 4 + ln
    return version, suites, exts


def certificate_request():
    """TLS 1.2 CertificateRequest (RFC 5246 §7.4.4): rsa_sign, ecdsa_sign; two schemes; no CAs."""
    return vec(1, bytes([1, 64])) + vec(2, bytes([4, 1, 4, 3])) + vec(2, b"")


def server_flight(mode, suite, exts, certreq):
    ext = b""
    if 0xFF01 in exts:
        ext += struct.pack(">HH", 0xFF01, 1) + b"\x00"
    if 15 in exts and mode in ("heartbleed", "heartbeat-safe", "garbage"):
        ext += struct.pack(">HH", 15, 1) + b"\x01"
    sh = struct.pack(">H", 0x0303) + os.urandom(32) + vec(1, os.urandom(32))
    sh += struct.pack(">HB", suite, 0) + vec(2, ext)
    der = der_certificate()
    cert = vec(3, vec(3, der))
    flight = handshake(2, sh) + handshake(11, cert)
    if certreq:
        flight += handshake(13, certificate_request())
    return flight + handshake(14, b"")


def after_flight(c, mode):
    """Reads (at most 16) records after ServerHelloDone and answers as `mode` does."""
    ccs_taken = False
    for _ in range(16):
        ctype, _, n = struct.unpack(">BHH", recv_exact(c, 5))
        body = recv_exact(c, n)
        if mode == "garbage":
            c.sendall(b"\x18\x03\x03\xff\xff\x02\x40" + b"\x17\x03\x03\xff\xff")
            return
        if ccs_taken:
            alert(c, 20)  # bad_record_mac: the keys from an empty master secret
            return
        if ctype == 24 and mode in ("heartbleed", "heartbeat-safe") and len(body) >= 3:
            claimed = struct.unpack(">H", body[1:3])[0]
            if mode == "heartbeat-safe" and 3 + claimed + 16 > len(body):
                continue  # RFC 6520 §4: discarded silently
            # As memcpy(bp, pl, payload) did: the bytes sent, then "memory" (a fixed filler).
            payload = (body[3:] + b"\xab" * claimed)[:claimed]
            c.sendall(record(24, b"\x02" + body[1:3] + payload + b"\x00" * 16))
            continue
        if ctype == 20 and mode == "ccs":
            ccs_taken = True
            continue
        if ctype == 20:
            alert(c, 10)  # unexpected_message
            return
        if ctype == 21:
            return
        alert(c, 40)
        return


def sslv2_answer(c, first):
    """Answers an SSL 2.0 CLIENT-HELLO (2-byte header) with a SERVER-HELLO."""
    n = ((first[0] & 0x7F) << 8) | first[1]
    body = recv_exact(c, n)
    if body[0] != 1:
        return
    der = der_certificate()
    specs = bytes([0x01, 0x00, 0x80, 0x07, 0x00, 0xC0])
    conn_id = os.urandom(16)
    msg = bytes([4, 0, 1]) + struct.pack(">HHHH", 0x0002, len(der), len(specs), len(conn_id))
    msg += der + specs + conn_id
    c.sendall(struct.pack(">H", 0x8000 | len(msg)) + msg)


def serve_raw(c, mode, certreq):
    first = recv_exact(c, 2)
    if first[0] & 0x80:
        if mode == "sslv2":
            sslv2_answer(c, first)
        elif mode == "garbage":
            c.sendall(b"\x80\x02\x04\x00")  # a record holding 2 bytes of a SERVER-HELLO
        return
    rest = recv_exact(c, 3)
    n = struct.unpack(">H", rest[1:3])[0]
    version, suites, exts = parse_hello(recv_exact(c, n))
    offered = exts.get(43)
    if version < 0x0303 or (offered is not None and b"\x03\x03" not in offered[1:]):
        alert(c, 70)  # protocol_version
        return
    pick = [s for s in suites if s in SUITES]
    if not pick:
        alert(c, 40)
        return
    c.sendall(record(22, server_flight(mode, pick[0], exts, certreq)))
    after_flight(c, mode)


def tlslite_setup(mode):
    """A handler serving one connection with tlslite-ng (tickets on), patched for ticketbleed."""
    from tlslite import HandshakeSettings, TLSConnection, X509CertChain, parsePEMKey
    from tlslite import messages

    if mode == "ticketbleed":
        create = messages.ServerHello.create

        def padded(self, version, random, session_id, *args, **kwargs):
            if 0 < len(session_id) < 32:
                # Random bytes stand in for the memory F5 leaked (it differed every time).
                session_id = bytearray(session_id) + bytearray(os.urandom(32 - len(session_id)))
            return create(self, version, random, session_id, *args, **kwargs)

        messages.ServerHello.create = padded
    chain = X509CertChain()
    chain.parsePemList(open(CERT).read())
    key = parsePEMKey(open(KEY).read(), private=True)
    settings = HandshakeSettings()
    settings.maxVersion = (3, 3)
    settings.ticketKeys = [os.urandom(32)]
    settings.ticket_count = 1

    def serve(c):
        conn = TLSConnection(c)
        conn.handshakeServer(certChain=chain, privateKey=key, settings=settings)
        conn.close()

    return serve


def guarded(serve, c):
    try:
        c.settimeout(TIMEOUT)
        serve(c)
    except Exception:
        pass
    finally:
        try:
            c.close()
        except OSError:
            pass


def main():
    mode, _, extra = sys.argv[1].partition("+")
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 120.0
    if mode in RAW_MODES:
        serve = lambda c: serve_raw(c, mode, extra == "certreq")
    elif mode in ("tickets", "ticketbleed"):
        serve = tlslite_setup(mode)
    else:
        sys.exit(f"unknown mode {mode}")
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(64)
    s.settimeout(0.5)
    print(f"PORT {s.getsockname()[1]}", flush=True)
    end = time.time() + seconds
    while time.time() < end:
        try:
            c, _ = s.accept()
        except socket.timeout:
            continue
        threading.Thread(target=guarded, args=(serve, c), daemon=True).start()


if __name__ == "__main__":
    main()
