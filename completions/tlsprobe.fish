# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_tlsprobe_global_optspecs
    string join \n h/help V/version
end

function __fish_tlsprobe_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_tlsprobe_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_tlsprobe_using_subcommand
    set -l cmd (__fish_tlsprobe_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -s h -l help -d 'Print help'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -s V -l version -d 'Print version'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -f -a "connect" -d 'Full handshake with a server, every message printed, then an encrypted pipe between stdin/stdout and the server'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -f -a "scan" -d 'Protocol versions, cipher suites, groups, signature algorithms, features, certificate chain and known vulnerabilities of one or many servers'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -f -a "listen" -d 'A TLS test endpoint that prints every message it sees'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -f -a "demo" -d 'Listen on an ephemeral loopback port in-process and connect to it, showing both sides of the handshake (no network needed)'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -f -a "view" -d 'Show a transcript saved with --json (connect, listen, demo) again: the trace as the live run printed it, or with --html the illustrated page'
complete -c tlsprobe -n "__fish_tlsprobe_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l tls -d 'Protocol versions to allow, comma-separated from 1.0,1.1,1.2,1.3 (1.0 and 1.1 only when listed: deprecated, RFC 8996) [default: 1.2,1.3]' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l sigalgs -d 'Signature schemes by IANA name (ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, ...); MD5 and SHA-1 ones are refused (RFC 9155)' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l alpn -d 'ALPN protocol names, e.g. h2,http/1.1' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l keylog -d 'Append NSS key-log lines (SSLKEYLOGFILE format) to FILE; SSLKEYLOGFILE does the same' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l html -d 'Also write an illustrated, self-contained HTML page of the connection to FILE: the message ladder, key schedule, certificate chain and findings (a server writes one page per connection, its number before the extension: page-1.html); add --hex for every record\'s bytes, each field labelled' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l color -d 'Colour: auto (only on a terminal, never with NO_COLOR), always, never' -r -f -a "auto\t'Colour only on a terminal, never when NO_COLOR is set'
always\t''
never\t''"
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l timeout -d 'Connect and per-read timeout in seconds' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l sni -d 'Server name to send [default: the target host when it is a DNS name]' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l ca-file -d 'Trust anchors to verify against instead of the system store' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l cert -d 'Client certificate chain (PEM), used when the server asks, in the handshake or, in TLS 1.3, after it (post_handshake_auth is then offered)' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l key -d 'Private key for --cert (PEM: PKCS#8, SEC1 or PKCS#1; RSA, RSA-PSS (id-RSASSA-PSS), ECDSA P-256/P-384/P-521, Ed25519, Ed448)' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l early-data -d 'With --reconnect or --sess-in: send FILE\'s bytes as TLS 1.3 0-RTT early data on the first resumed connection and report whether the server accepted them. A FILE larger than the ticket\'s max_early_data_size is an error before that connection; early data the server rejects (or a ticket that allows none) is sent after the handshake instead' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l sess-out -d 'Write the last connection\'s session (TLS 1.2 session id/ticket or TLS 1.3 ticket) to FILE when the connection ends, for --sess-in. The file holds the session\'s secret: it is written mode 0600 and must be kept private' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l sess-in -d 'Resume the session stored in FILE by --sess-out (a file with the session\'s secret)' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l record-size-limit -d 'Offer record_size_limit N (RFC 8449, 64..=16385: the largest record plaintext we accept, in TLS 1.3 counting the content type byte), plus max_fragment_length (RFC 6066) when N is 512, 1024, 2048 or 4096; records larger than agreed are refused with record_overflow' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l starttls -d 'Upgrade a plaintext protocol first: smtp, imap, pop3, ftp, xmpp, postgres; the dialogue is shown before the handshake. A target without a port gets the protocol\'s (smtp 25, imap 143, pop3 110, ftp 21, xmpp 5222, postgres 5432)' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l proxy -d 'Connect through a proxy: http://[user:pass@]host:port (CONNECT, default port 8080) or socks5://[user:pass@]host:port (default port 1080; the proxy resolves host names)' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l psk-identity -d 'Identity of --psk [default: Client_identity, as openssl s_client uses]' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l suites -d 'Cipher suites to offer, comma-separated: IANA names, OpenSSL names or hex (0xc02f) [default: AES-GCM, ChaCha20-Poly1305 and AES-CBC suites; the AES-CCM/CCM-8, CAMELLIA and ARIA ones only when listed]' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l groups -d 'Key-exchange groups to offer, in preference order (IANA or OpenSSL names): X25519MLKEM768, SecP256r1MLKEM768, SecP384r1MLKEM1024, MLKEM512/768/1024, x25519, x448, secp256r1 (P-256), secp384r1 (P-384), secp521r1 (P-521), ffdhe2048..ffdhe8192. Key shares go for the first (and, after an ML-KEM first, the first other) [default: X25519MLKEM768 with an X25519 share, then the curves, hybrids, ffdhe2048/3072]' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l psk -d 'External pre-shared key as hex, offered (RFC 8446 §4.2.11, RFC 4279). TLS 1.3: with SHA-256 suites, its binder made with the "ext binder" label; TLS 1.2: adds the PSK, DHE-PSK, ECDHE-PSK and RSA-PSK suites to the offer (unless --suites is given). The key is never printed' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l psk-mode -d 'TLS 1.3 key exchange mode offered with --psk: dhe_ke (psk_dhe_ke, the PSK with an (EC)DHE share: forward secret) or ke (psk_ke, the PSK alone)' -r -f -a "ke\t'psk_ke: the PSK alone, no (EC)DHE (no forward secrecy)'
dhe_ke\t'psk_dhe_ke: the PSK with an (EC)DHE key share (forward secret)'"
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l json -d 'Machine-readable JSON Lines on stdout; human text then goes nowhere'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l hex -d 'Also show every record and handshake message as bytes, each field labelled, and the key schedule with its values; give it twice to see every byte of certificates and ciphertext too'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -s q -l quiet -d 'Only the summary lines, the closing lines and the piped data'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l no-sni -d 'Send no server_name extension'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -s k -l insecure -d 'Go on when the certificate chain or host name does not verify (a warning is printed)'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l pha -d 'Offer TLS 1.3 post-handshake client authentication (post_handshake_auth, RFC 8446 §4.2.6) even without --cert: a CertificateRequest after the handshake is then answered with an empty Certificate and Finished. With --cert it is offered anyway'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -s n -l no-pipe -d 'Close (with close_notify) right after the handshake'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l reconnect -d 'After the first handshake, connect again resuming the session'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l fallback-scsv -d 'Add TLS_FALLBACK_SCSV to the offered cipher suites (RFC 7507), as a client retrying with a lower version does: a server supporting a higher version than offered answers inappropriate_fallback (its downgrade protection works)'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -l no-split -d 'TLS 1.0 with a CBC suite: do not split application data 1/n-1 (the BEAST countermeasure, on by default), to show the exposure'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand connect" -s V -l version -d 'Print version'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -l targets -d 'More targets, one per line (# comments allowed); - reads stdin' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -l tls -d 'Protocol versions to test, comma-separated from ssl3,1.0,1.1,1.2,1.3 [default: all]' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -l suites -d 'Probe only these cipher suites (IANA or OpenSSL names, or hex), including ones tlsprobe cannot negotiate [default: every suite in the registry]' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -l groups -d 'Probe only these key-exchange groups (IANA or OpenSSL names) [default: every group the scanner knows]' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -l sigalgs -d 'Offer and probe only these signature schemes (IANA names; MD5/SHA-1 ones allowed, to find servers that still take them) [default: all]' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -l alpn -d 'ALPN protocols to probe [default: h2,http/1.1]' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -l sni -d 'Server name to send [default: the target host when it is a DNS name]' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -l ca-file -d 'Trust anchors to verify certificate chains against instead of the system store' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -s j -l concurrency -d 'Connections in flight at once, over all targets' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -l rate -d 'At most N new connections per second [default: unlimited]' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -l shard -d 'Only the targets whose index mod N equals I' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -l color -d 'Colour: auto (only on a terminal, never with NO_COLOR), always, never' -r -f -a "auto\t'Colour only on a terminal, never when NO_COLOR is set'
always\t''
never\t''"
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -l timeout -d 'Connect and per-read timeout in seconds' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -l starttls -d 'Upgrade a plaintext protocol first on every connection: smtp, imap, pop3, ftp, xmpp, postgres. A target without a port gets the protocol\'s (smtp 25, imap 143, pop3 110, ftp 21, xmpp 5222, postgres 5432)' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -l proxy -d 'Connect through a proxy: http://[user:pass@]host:port (CONNECT) or socks5://[user:pass@]host:port (the proxy resolves host names)' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -l output -d 'Write the JSON Lines report to FILE instead of stdout: a header line, then one line per target, each written whole (a killed scan leaves at most one partial last line); --json also prints the reports on stdout' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -l progress -d 'Progress on stderr: auto (a bar on a terminal; otherwise a status line every --progress-interval seconds, unless stderr is stdout, as with 2>&1), always (the bar, or the status lines even into stdout\'s stream), never' -r -f -a "auto\t'A bar on a terminal; elsewhere status lines, unless stderr is stdout (2>&1)'
always\t'A bar on a terminal, status lines elsewhere, even into stdout\'s stream'
never\t'No progress output'"
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -l progress-interval -d 'Seconds between two status lines when stderr is not a terminal' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -l no-sni -d 'Send no server_name extension'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -l json -d 'One JSON object per target on stdout'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -l http -d 'Send one HTTP GET over TLS (status, HSTS, Server, compression for BREACH) on any port [default: on for port 443 only]'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -l no-http -d 'Send no HTTP request, not even on port 443'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -l resume -d 'With --output: keep the targets FILE already has, drop a partial last line, scan the rest and append them (a missing or empty FILE starts afresh); the target list, --shard and the options that shape results must be the same as when FILE was begun'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand scan" -s V -l version -d 'Print version'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l tls -d 'Protocol versions to allow, comma-separated from 1.0,1.1,1.2,1.3 (1.0 and 1.1 only when listed: deprecated, RFC 8996) [default: 1.2,1.3]' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l sigalgs -d 'Signature schemes by IANA name (ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, ...); MD5 and SHA-1 ones are refused (RFC 9155)' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l alpn -d 'ALPN protocol names, e.g. h2,http/1.1' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l keylog -d 'Append NSS key-log lines (SSLKEYLOGFILE format) to FILE; SSLKEYLOGFILE does the same' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l html -d 'Also write an illustrated, self-contained HTML page of the connection to FILE: the message ladder, key schedule, certificate chain and findings (a server writes one page per connection, its number before the extension: page-1.html); add --hex for every record\'s bytes, each field labelled' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l color -d 'Colour: auto (only on a terminal, never with NO_COLOR), always, never' -r -f -a "auto\t'Colour only on a terminal, never when NO_COLOR is set'
always\t''
never\t''"
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l cert -d 'Certificate chain (PEM). Give --cert/--key twice for a second certificate, used when the first suits none of the client\'s suites or signature algorithms (e.g. RSA beside ECDSA). Without them a self-signed ECDSA P-256 certificate is made, plus a self-signed RSA 2048 one for clients that accept no ECDSA signature' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l key -d 'Private key for the --cert in the same position (PEM: PKCS#8, SEC1 or PKCS#1; RSA, RSA-PSS (id-RSASSA-PSS, signing with rsa_pss_pss_* only), ECDSA P-256/P-384/P-521, Ed25519, Ed448)' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l sni -d 'The only server name to serve: a client asking (by SNI) for another name gets a fatal unrecognized_name alert (RFC 6066 §3); clients sending no name are served [default: any]' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l name -d 'Name for the self-signed certificate (127.0.0.1 and ::1 are always added)' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l mode -d 'What to do with the application data' -r -f -a "http\t'Answer each request with an HTTP/1.0 200 page describing the connection (in TLS 1.3, `GET /keyupdate` first gets a KeyUpdate from the server)'
echo\t'Send back what arrives'
pipe\t'One connection, stdin/stdout like connect'"
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l client-auth -d 'Ask for a client certificate' -r -f -a "none\t'Ask for no client certificate'
request\t'Ask in the handshake (TLS 1.2 and 1.3); an empty Certificate is accepted'
require\t'Ask in the handshake; an empty Certificate ends it (certificate_required in TLS 1.3, handshake_failure in TLS 1.2)'
post-handshake\t'TLS 1.3 only: ask after the handshake (RFC 8446 §4.6.2), only clients that offered post_handshake_auth; http mode asks when the request has arrived and answers once the client has authenticated, echo mode asks after the first data; an empty Certificate is accepted'
post-handshake-require\t'As post-handshake, but an empty Certificate ends the connection with certificate_required'"
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l ca-file -d 'Trust anchors that client certificates must chain to' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l ocsp -d 'A DER OCSP response to staple' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l early-data -d 'Accept TLS 1.3 0-RTT early data, up to N bytes per connection (default 16384): tickets announce N as max_early_data_size, and each ticket\'s early data is accepted once (a replay\'s is rejected and skipped). Without this flag early data is always rejected. Write it after the address or as --early-data=N' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l max-conns -d 'Connections served at the same time; more wait' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l record-size-limit -d 'Our record_size_limit answered to clients that offer one (RFC 8449, 64..=16385; in TLS 1.2 and earlier at most 16384 is sent): larger records from them are refused with record_overflow [default: the protocol\'s largest]. A client\'s record_size_limit or max_fragment_length is always honoured' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l starttls -d 'Play the server side of a STARTTLS dialogue before each handshake: smtp, imap, pop3, ftp, xmpp, postgres (so that `openssl s_client -starttls PROTO` and mail or database clients can connect)' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l psk-identity -d 'Identity of --psk [default: Client_identity, as openssl s_client uses]' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l suites -d 'Cipher suites to accept, in the server\'s preference order, comma-separated: IANA names, OpenSSL names or hex (0xc02f) [default: AES-GCM, ChaCha20-Poly1305, AES-CBC, then AES-CCM/CCM-8, CAMELLIA and ARIA]' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l groups -d 'Key-exchange groups to accept, in the server\'s preference order (IANA or OpenSSL names): X25519MLKEM768, SecP256r1MLKEM768, SecP384r1MLKEM1024, MLKEM512/768/1024, x25519, x448, secp256r1 (P-256), secp384r1 (P-384), secp521r1 (P-521), ffdhe2048..ffdhe8192. A client without a share of the chosen group gets a HelloRetryRequest [default: the hybrids, the curves, pure ML-KEM, then ffdhe2048..8192]' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l psk -d 'External pre-shared key as hex, accepted (RFC 8446 §4.2.11, RFC 4279). TLS 1.3: with SHA-256 suites, the client\'s binder checked ("ext binder" label); TLS 1.2: serves the PSK, DHE-PSK, ECDHE-PSK and RSA-PSK suites (RSA-PSK with the RSA certificate; unless --suites is given). The key is never printed' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l psk-mode -d 'TLS 1.3 key exchange mode preferred with --psk: dhe_ke (psk_dhe_ke) or ke (psk_ke); a client offering only the other mode gets that one (tickets too)' -r -f -a "ke\t'psk_ke: the PSK alone, no (EC)DHE (no forward secrecy)'
dhe_ke\t'psk_dhe_ke: the PSK with an (EC)DHE key share (forward secret)'"
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l timeout -d 'Per-read timeout in seconds: a client silent this long in a handshake is dropped' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l json -d 'Machine-readable JSON Lines on stdout; human text then goes nowhere'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l hex -d 'Also show every record and handshake message as bytes, each field labelled, and the key schedule with its values; give it twice to see every byte of certificates and ciphertext too'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -s q -l quiet -d 'Only the summary lines, the closing lines and the piped data'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l no-sni -d 'Ignore the client\'s server_name extension (not acknowledged, any name served)'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l once -d 'Serve one connection, then exit with its result'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -l no-split -d 'TLS 1.0 with a CBC suite: do not split application data 1/n-1 (the BEAST countermeasure, on by default), to show the exposure'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand listen" -s V -l version -d 'Print version'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand demo" -l tls -d 'Protocol versions to allow, comma-separated from 1.0,1.1,1.2,1.3 (1.0 and 1.1 only when listed: deprecated, RFC 8996) [default: 1.2,1.3]' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand demo" -l sigalgs -d 'Signature schemes by IANA name (ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, ...); MD5 and SHA-1 ones are refused (RFC 9155)' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand demo" -l alpn -d 'ALPN protocol names, e.g. h2,http/1.1' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand demo" -l keylog -d 'Append NSS key-log lines (SSLKEYLOGFILE format) to FILE; SSLKEYLOGFILE does the same' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand demo" -l html -d 'Also write an illustrated, self-contained HTML page of the connection to FILE: the message ladder, key schedule, certificate chain and findings (a server writes one page per connection, its number before the extension: page-1.html); add --hex for every record\'s bytes, each field labelled' -r -F
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand demo" -l color -d 'Colour: auto (only on a terminal, never with NO_COLOR), always, never' -r -f -a "auto\t'Colour only on a terminal, never when NO_COLOR is set'
always\t''
never\t''"
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand demo" -l timeout -d 'Connect and per-read timeout in seconds' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand demo" -l suites -d 'Cipher suites both sides use, comma-separated: IANA names, OpenSSL names or hex (0xc02f) [default: the client\'s offer, AES-GCM, ChaCha20-Poly1305 and AES-CBC]' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand demo" -l groups -d 'Key-exchange groups both sides use, in preference order (IANA or OpenSSL names): X25519MLKEM768, x25519, secp256r1, ffdhe2048 ... (as connect --groups) [default: connect\'s, X25519MLKEM768 with an X25519 share first]' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand demo" -l json -d 'Machine-readable JSON Lines on stdout; human text then goes nowhere'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand demo" -l hex -d 'Also show every record and handshake message as bytes, each field labelled, and the key schedule with its values; give it twice to see every byte of certificates and ciphertext too'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand demo" -s q -l quiet -d 'Only the summary lines, the closing lines and the piped data'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand demo" -s V -l version -d 'Print version'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand view" -l html -d 'Write the illustrated HTML page to OUT (- for stdout) instead of showing the trace: each connection a section (demo: the client\'s side); written whole or not at all' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand view" -l conn -d 'Only connection N of a listen transcript (its "conn" number, [#N] in the trace)' -r
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand view" -l color -d 'Colour: auto (only when stdout is a terminal, never with NO_COLOR), always, never' -r -f -a "auto\t'Colour only on a terminal, never when NO_COLOR is set'
always\t''
never\t''"
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand view" -l hex -d 'Also show every record as bytes, each field labelled, and the key schedule\'s values, when the transcript has them (saved with --json --hex); give it twice to see every byte'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand view" -s q -l quiet -d 'Only the summary lines, the closing lines and warnings'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand view" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand view" -s V -l version -d 'Print version'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand help; and not __fish_seen_subcommand_from connect scan listen demo view help" -f -a "connect" -d 'Full handshake with a server, every message printed, then an encrypted pipe between stdin/stdout and the server'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand help; and not __fish_seen_subcommand_from connect scan listen demo view help" -f -a "scan" -d 'Protocol versions, cipher suites, groups, signature algorithms, features, certificate chain and known vulnerabilities of one or many servers'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand help; and not __fish_seen_subcommand_from connect scan listen demo view help" -f -a "listen" -d 'A TLS test endpoint that prints every message it sees'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand help; and not __fish_seen_subcommand_from connect scan listen demo view help" -f -a "demo" -d 'Listen on an ephemeral loopback port in-process and connect to it, showing both sides of the handshake (no network needed)'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand help; and not __fish_seen_subcommand_from connect scan listen demo view help" -f -a "view" -d 'Show a transcript saved with --json (connect, listen, demo) again: the trace as the live run printed it, or with --html the illustrated page'
complete -c tlsprobe -n "__fish_tlsprobe_using_subcommand help; and not __fish_seen_subcommand_from connect scan listen demo view help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
