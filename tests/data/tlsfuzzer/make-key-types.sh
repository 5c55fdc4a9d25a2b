#!/bin/sh
# Makes the RSA-PSS, ECDSA P-521 and Ed448 keys and self-signed certificates of the tlsfuzzer
# profiles (scripts/tlsfuzzer_plan.json), as the other files here: CN=localhost, SAN localhost
# and 127.0.0.1, valid 100 years; client-*: CN=tlsfuzzer client KIND. Run in this directory.
set -e
cert() { # NAME SUBJECT NEWKEY-ARGS...
    name=$1 subj=$2
    shift 2
    openssl req -x509 -nodes "$@" -keyout "$name.key" -out "$name.crt" -days 36500 \
        -subj "$subj" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1"
}
for role in server client; do
    if [ $role = server ]; then s=/CN=localhost; else s=; fi
    cert $role-rsapss "${s:-/CN=tlsfuzzer client rsapss}" -newkey rsa-pss -pkeyopt rsa_keygen_bits:2048
    cert $role-ecdsa521 "${s:-/CN=tlsfuzzer client ecdsa521}" -newkey ec -pkeyopt ec_paramgen_curve:P-521
    cert $role-ed448 "${s:-/CN=tlsfuzzer client ed448}" -newkey ed448
done
