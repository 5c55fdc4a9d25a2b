"""The other side of an ML-KEM or hybrid key exchange, for tests/kx_python.rs.

Pure ML-KEM groups (0x0200-0x0202) use kyber-py directly; the hybrids of
draft-ietf-tls-ecdhe-mlkem (0x11EB-0x11ED) use tlslite-ng's KEMKeyExchange (on kyber-py),
whose byte layout is the one tlslite-ng interoperates with.

    kem_peer.py server GROUP   reads the client's share (hex line) on stdin, prints the
                               server's share and the shared secret (hex lines)
    kem_peer.py client GROUP   prints the client's share, reads the server's share (hex line)
                               on stdin, prints the shared secret
"""

import sys

from kyber_py.ml_kem import ML_KEM_512, ML_KEM_768, ML_KEM_1024
from tlslite.keyexchange import KEMKeyExchange

PURE = {0x0200: ML_KEM_512, 0x0201: ML_KEM_768, 0x0202: ML_KEM_1024}


def read_hex():
    return bytes.fromhex(sys.stdin.readline().strip())


def server(group):
    share = read_hex()
    if group in PURE:
        secret, ciphertext = PURE[group].encaps(share)
        print(ciphertext.hex())
        print(secret.hex())
    else:
        secret, server_share = KEMKeyExchange(group, (3, 4)).encapsulate_key(
            bytearray(share))
        print(bytes(server_share).hex())
        print(bytes(secret).hex())


def client(group):
    if group in PURE:
        ek, dk = PURE[group].keygen()
        print(ek.hex(), flush=True)
        print(PURE[group].decaps(dk, read_hex()).hex())
    else:
        kex = KEMKeyExchange(group, (3, 4))
        private = kex.get_random_private_key()
        print(bytes(kex.calc_public_value(private)).hex(), flush=True)
        print(bytes(kex.calc_shared_key(private, bytearray(read_hex()))).hex())


def main():
    role, group = sys.argv[1], int(sys.argv[2], 0)
    {"server": server, "client": client}[role](group)


if __name__ == "__main__":
    main()
