#!/usr/bin/env python3
"""A tlslite-ng TLS server for the scan's vulnerability tests (tests/scan_vulns_robot.rs).

robot_server.py CERT KEY MODE [SECONDS]

MODE:
  none    tlslite-ng as it is: its RSA key exchange answers every padding alike (implicit
          rejection, RFC 5246 section 7.4.7.1) - no oracle.
  weak    a ROBOT oracle: a ClientKeyExchange whose PKCS#1 v1.5 padding is malformed gets an
          illegal_parameter alert at once; a well-formed one goes on to the Finished (which
          fails with bad_record_mac) - the three malformed paddings look alike (a weak oracle,
          as sslyze names it).
  strong  like weak, but wrong first bytes get illegal_parameter and the other malformed
          paddings decode_error (a strong oracle).
  poodle  CVE-2014-8730: CBC records whose padding bytes are wrong (right length byte) are
          accepted when the MAC is right (MAC-then-encrypt only; encrypt-then-MAC is off).

Listens on 127.0.0.1 (an ephemeral port), prints "PORT n", serves each connection on a
thread (answering application data with "ok\\n"), and exits after SECONDS (default 60).
Every socket operation has a timeout.
"""
import socket
import sys
import threading
import time

import tlslite.recordlayer
from tlslite import HandshakeSettings, TLSConnection, X509CertChain, parsePEMKey
from tlslite.errors import TLSDecodeError, TLSIllegalParameterException
from tlslite.keyexchange import RSAKeyExchange
from tlslite.utils.cryptomath import getRandomBytes

TIMEOUT = 10


def oracle_key_exchange(strong):
    """An RSAKeyExchange.processClientKeyExchange that reveals bad paddings (RFC 8017 7.2.2)."""

    def process(self, cke):
        em = self.privateKey._raw_private_key_op_bytes(cke.encryptedPreMasterSecret)
        if em[0:2] != b"\x00\x02":
            raise TLSIllegalParameterException("bad PKCS#1 v1.5 block type")
        sep = em.find(b"\x00", 2)
        if sep < 10 or len(em) - sep - 1 != 48:
            if strong:
                raise TLSDecodeError("bad PKCS#1 v1.5 separator")
            raise TLSIllegalParameterException("bad PKCS#1 v1.5 separator")
        pms = em[sep + 1:]
        if (pms[0], pms[1]) != self.clientHello.client_version:
            # A wrong version is still hidden, as RFC 5246 7.4.7.1 asks.
            return getRandomBytes(48)
        return pms

    return process


def ignore_padding_bytes():
    """ct_check_cbc_mac_and_pad that checks only the padding length byte (CVE-2014-8730)."""
    original = tlslite.recordlayer.ct_check_cbc_mac_and_pad

    def check(data, mac, seqnumBytes, contentType, version, block_size=16):
        fixed = bytearray(data)
        n = fixed[-1]
        if n + 1 <= len(fixed):
            for i in range(len(fixed) - n - 1, len(fixed) - 1):
                fixed[i] = n
        return original(fixed, mac, seqnumBytes, contentType, version, block_size)

    return check


def settings(mode):
    s = HandshakeSettings()
    if mode == "poodle":
        s.useEncryptThenMAC = False
    return s


def serve_one(sock, chain, key, mode):
    sock.settimeout(TIMEOUT)
    conn = TLSConnection(sock)
    try:
        conn.handshakeServer(certChain=chain, privateKey=key, settings=settings(mode))
        for _ in range(100):
            data = conn.read()
            if not data:
                break
            conn.write(b"ok\n")
        conn.close()
    except Exception:  # each connection ends on its own; the server goes on
        pass
    finally:
        sock.close()


def main():
    cert, key, mode = sys.argv[1:4]
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 60
    if mode in ("weak", "strong"):
        RSAKeyExchange.processClientKeyExchange = oracle_key_exchange(mode == "strong")
    elif mode == "poodle":
        tlslite.recordlayer.ct_check_cbc_mac_and_pad = ignore_padding_bytes()
    elif mode != "none":
        raise SystemExit(f"unknown mode {mode}")
    chain = X509CertChain()
    chain.parsePemList(open(cert).read())
    pkey = parsePEMKey(open(key).read(), private=True)
    ls = socket.socket()
    ls.bind(("127.0.0.1", 0))
    ls.listen(64)
    ls.settimeout(0.5)
    print(f"PORT {ls.getsockname()[1]}", flush=True)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            sock, _ = ls.accept()
        except socket.timeout:
            continue
        threading.Thread(target=serve_one, args=(sock, chain, pkey, mode), daemon=True).start()


if __name__ == "__main__":
    main()
