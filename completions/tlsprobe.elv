
use builtin;
use str;

set edit:completion:arg-completer[tlsprobe] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'tlsprobe'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'tlsprobe'= {
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand connect 'Full handshake with a server, every message printed, then an encrypted pipe between stdin/stdout and the server'
            cand scan 'Protocol versions, cipher suites, groups, signature algorithms, features, certificate chain and known vulnerabilities of one or many servers'
            cand listen 'A TLS test endpoint that prints every message it sees'
            cand demo 'Listen on an ephemeral loopback port in-process and connect to it, showing both sides of the handshake (no network needed)'
            cand view 'Show a transcript saved with --json (connect, listen, demo) again: the trace as the live run printed it, or with --html the illustrated page'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tlsprobe;connect'= {
            cand --tls 'Protocol versions to allow, comma-separated from 1.0,1.1,1.2,1.3 (1.0 and 1.1 only when listed: deprecated, RFC 8996) [default: 1.2,1.3]'
            cand --sigalgs 'Signature schemes by IANA name (ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, ...); MD5 and SHA-1 ones are refused (RFC 9155)'
            cand --alpn 'ALPN protocol names, e.g. h2,http/1.1'
            cand --keylog 'Append NSS key-log lines (SSLKEYLOGFILE format) to FILE; SSLKEYLOGFILE does the same'
            cand --html 'Also write an illustrated, self-contained HTML page of the connection to FILE: the message ladder, key schedule, certificate chain and findings (a server writes one page per connection, its number before the extension: page-1.html); add --hex for every record''s bytes, each field labelled'
            cand --color 'Colour: auto (only on a terminal, never with NO_COLOR), always, never'
            cand --timeout 'Connect and per-read timeout in seconds'
            cand --sni 'Server name to send [default: the target host when it is a DNS name]'
            cand --ca-file 'Trust anchors to verify against instead of the system store'
            cand --cert 'Client certificate chain (PEM), used when the server asks, in the handshake or, in TLS 1.3, after it (post_handshake_auth is then offered)'
            cand --key 'Private key for --cert (PEM: PKCS#8, SEC1 or PKCS#1; RSA, RSA-PSS (id-RSASSA-PSS), ECDSA P-256/P-384/P-521, Ed25519, Ed448)'
            cand --early-data 'With --reconnect or --sess-in: send FILE''s bytes as TLS 1.3 0-RTT early data on the first resumed connection and report whether the server accepted them. A FILE larger than the ticket''s max_early_data_size is an error before that connection; early data the server rejects (or a ticket that allows none) is sent after the handshake instead'
            cand --sess-out 'Write the last connection''s session (TLS 1.2 session id/ticket or TLS 1.3 ticket) to FILE when the connection ends, for --sess-in. The file holds the session''s secret: it is written mode 0600 and must be kept private'
            cand --sess-in 'Resume the session stored in FILE by --sess-out (a file with the session''s secret)'
            cand --record-size-limit 'Offer record_size_limit N (RFC 8449, 64..=16385: the largest record plaintext we accept, in TLS 1.3 counting the content type byte), plus max_fragment_length (RFC 6066) when N is 512, 1024, 2048 or 4096; records larger than agreed are refused with record_overflow'
            cand --starttls 'Upgrade a plaintext protocol first: smtp, imap, pop3, ftp, xmpp, postgres; the dialogue is shown before the handshake. A target without a port gets the protocol''s (smtp 25, imap 143, pop3 110, ftp 21, xmpp 5222, postgres 5432)'
            cand --proxy 'Connect through a proxy: http://[user:pass@]host:port (CONNECT, default port 8080) or socks5://[user:pass@]host:port (default port 1080; the proxy resolves host names)'
            cand --psk-identity 'Identity of --psk [default: Client_identity, as openssl s_client uses]'
            cand --suites 'Cipher suites to offer, comma-separated: IANA names, OpenSSL names or hex (0xc02f) [default: AES-GCM, ChaCha20-Poly1305 and AES-CBC suites; the AES-CCM/CCM-8, CAMELLIA and ARIA ones only when listed]'
            cand --groups 'Key-exchange groups to offer, in preference order (IANA or OpenSSL names): X25519MLKEM768, SecP256r1MLKEM768, SecP384r1MLKEM1024, MLKEM512/768/1024, x25519, x448, secp256r1 (P-256), secp384r1 (P-384), secp521r1 (P-521), ffdhe2048..ffdhe8192. Key shares go for the first (and, after an ML-KEM first, the first other) [default: X25519MLKEM768 with an X25519 share, then the curves, hybrids, ffdhe2048/3072]'
            cand --psk 'External pre-shared key as hex, offered (RFC 8446 §4.2.11, RFC 4279). TLS 1.3: with SHA-256 suites, its binder made with the "ext binder" label; TLS 1.2: adds the PSK, DHE-PSK, ECDHE-PSK and RSA-PSK suites to the offer (unless --suites is given). The key is never printed'
            cand --psk-mode 'TLS 1.3 key exchange mode offered with --psk: dhe_ke (psk_dhe_ke, the PSK with an (EC)DHE share: forward secret) or ke (psk_ke, the PSK alone)'
            cand --json 'Machine-readable JSON Lines on stdout; human text then goes nowhere'
            cand --hex 'Also show every record and handshake message as bytes, each field labelled, and the key schedule with its values; give it twice to see every byte of certificates and ciphertext too'
            cand -q 'Only the summary lines, the closing lines and the piped data'
            cand --quiet 'Only the summary lines, the closing lines and the piped data'
            cand --no-sni 'Send no server_name extension'
            cand -k 'Go on when the certificate chain or host name does not verify (a warning is printed)'
            cand --insecure 'Go on when the certificate chain or host name does not verify (a warning is printed)'
            cand --pha 'Offer TLS 1.3 post-handshake client authentication (post_handshake_auth, RFC 8446 §4.2.6) even without --cert: a CertificateRequest after the handshake is then answered with an empty Certificate and Finished. With --cert it is offered anyway'
            cand -n 'Close (with close_notify) right after the handshake'
            cand --no-pipe 'Close (with close_notify) right after the handshake'
            cand --reconnect 'After the first handshake, connect again resuming the session'
            cand --fallback-scsv 'Add TLS_FALLBACK_SCSV to the offered cipher suites (RFC 7507), as a client retrying with a lower version does: a server supporting a higher version than offered answers inappropriate_fallback (its downgrade protection works)'
            cand --no-split 'TLS 1.0 with a CBC suite: do not split application data 1/n-1 (the BEAST countermeasure, on by default), to show the exposure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsprobe;scan'= {
            cand --targets 'More targets, one per line (# comments allowed); - reads stdin'
            cand --tls 'Protocol versions to test, comma-separated from ssl3,1.0,1.1,1.2,1.3 [default: all]'
            cand --suites 'Probe only these cipher suites (IANA or OpenSSL names, or hex), including ones tlsprobe cannot negotiate [default: every suite in the registry]'
            cand --groups 'Probe only these key-exchange groups (IANA or OpenSSL names) [default: every group the scanner knows]'
            cand --sigalgs 'Offer and probe only these signature schemes (IANA names; MD5/SHA-1 ones allowed, to find servers that still take them) [default: all]'
            cand --alpn 'ALPN protocols to probe [default: h2,http/1.1]'
            cand --sni 'Server name to send [default: the target host when it is a DNS name]'
            cand --ca-file 'Trust anchors to verify certificate chains against instead of the system store'
            cand -j 'Connections in flight at once, over all targets'
            cand --concurrency 'Connections in flight at once, over all targets'
            cand --rate 'At most N new connections per second [default: unlimited]'
            cand --shard 'Only the targets whose index mod N equals I'
            cand --color 'Colour: auto (only on a terminal, never with NO_COLOR), always, never'
            cand --timeout 'Connect and per-read timeout in seconds'
            cand --starttls 'Upgrade a plaintext protocol first on every connection: smtp, imap, pop3, ftp, xmpp, postgres. A target without a port gets the protocol''s (smtp 25, imap 143, pop3 110, ftp 21, xmpp 5222, postgres 5432)'
            cand --proxy 'Connect through a proxy: http://[user:pass@]host:port (CONNECT) or socks5://[user:pass@]host:port (the proxy resolves host names)'
            cand --output 'Write the JSON Lines report to FILE instead of stdout: a header line, then one line per target, each written whole (a killed scan leaves at most one partial last line); --json also prints the reports on stdout'
            cand --progress 'Progress on stderr: auto (a bar on a terminal; otherwise a status line every --progress-interval seconds, unless stderr is stdout, as with 2>&1), always (the bar, or the status lines even into stdout''s stream), never'
            cand --progress-interval 'Seconds between two status lines when stderr is not a terminal'
            cand --no-sni 'Send no server_name extension'
            cand --json 'One JSON object per target on stdout'
            cand --http 'Send one HTTP GET over TLS (status, HSTS, Server, compression for BREACH) on any port [default: on for port 443 only]'
            cand --no-http 'Send no HTTP request, not even on port 443'
            cand --resume 'With --output: keep the targets FILE already has, drop a partial last line, scan the rest and append them (a missing or empty FILE starts afresh); the target list, --shard and the options that shape results must be the same as when FILE was begun'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsprobe;listen'= {
            cand --tls 'Protocol versions to allow, comma-separated from 1.0,1.1,1.2,1.3 (1.0 and 1.1 only when listed: deprecated, RFC 8996) [default: 1.2,1.3]'
            cand --sigalgs 'Signature schemes by IANA name (ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, ...); MD5 and SHA-1 ones are refused (RFC 9155)'
            cand --alpn 'ALPN protocol names, e.g. h2,http/1.1'
            cand --keylog 'Append NSS key-log lines (SSLKEYLOGFILE format) to FILE; SSLKEYLOGFILE does the same'
            cand --html 'Also write an illustrated, self-contained HTML page of the connection to FILE: the message ladder, key schedule, certificate chain and findings (a server writes one page per connection, its number before the extension: page-1.html); add --hex for every record''s bytes, each field labelled'
            cand --color 'Colour: auto (only on a terminal, never with NO_COLOR), always, never'
            cand --cert 'Certificate chain (PEM). Give --cert/--key twice for a second certificate, used when the first suits none of the client''s suites or signature algorithms (e.g. RSA beside ECDSA). Without them a self-signed ECDSA P-256 certificate is made, plus a self-signed RSA 2048 one for clients that accept no ECDSA signature'
            cand --key 'Private key for the --cert in the same position (PEM: PKCS#8, SEC1 or PKCS#1; RSA, RSA-PSS (id-RSASSA-PSS, signing with rsa_pss_pss_* only), ECDSA P-256/P-384/P-521, Ed25519, Ed448)'
            cand --sni 'The only server name to serve: a client asking (by SNI) for another name gets a fatal unrecognized_name alert (RFC 6066 §3); clients sending no name are served [default: any]'
            cand --name 'Name for the self-signed certificate (127.0.0.1 and ::1 are always added)'
            cand --mode 'What to do with the application data'
            cand --client-auth 'Ask for a client certificate'
            cand --ca-file 'Trust anchors that client certificates must chain to'
            cand --ocsp 'A DER OCSP response to staple'
            cand --early-data 'Accept TLS 1.3 0-RTT early data, up to N bytes per connection (default 16384): tickets announce N as max_early_data_size, and each ticket''s early data is accepted once (a replay''s is rejected and skipped). Without this flag early data is always rejected. Write it after the address or as --early-data=N'
            cand --max-conns 'Connections served at the same time; more wait'
            cand --record-size-limit 'Our record_size_limit answered to clients that offer one (RFC 8449, 64..=16385; in TLS 1.2 and earlier at most 16384 is sent): larger records from them are refused with record_overflow [default: the protocol''s largest]. A client''s record_size_limit or max_fragment_length is always honoured'
            cand --starttls 'Play the server side of a STARTTLS dialogue before each handshake: smtp, imap, pop3, ftp, xmpp, postgres (so that `openssl s_client -starttls PROTO` and mail or database clients can connect)'
            cand --psk-identity 'Identity of --psk [default: Client_identity, as openssl s_client uses]'
            cand --suites 'Cipher suites to accept, in the server''s preference order, comma-separated: IANA names, OpenSSL names or hex (0xc02f) [default: AES-GCM, ChaCha20-Poly1305, AES-CBC, then AES-CCM/CCM-8, CAMELLIA and ARIA]'
            cand --groups 'Key-exchange groups to accept, in the server''s preference order (IANA or OpenSSL names): X25519MLKEM768, SecP256r1MLKEM768, SecP384r1MLKEM1024, MLKEM512/768/1024, x25519, x448, secp256r1 (P-256), secp384r1 (P-384), secp521r1 (P-521), ffdhe2048..ffdhe8192. A client without a share of the chosen group gets a HelloRetryRequest [default: the hybrids, the curves, pure ML-KEM, then ffdhe2048..8192]'
            cand --psk 'External pre-shared key as hex, accepted (RFC 8446 §4.2.11, RFC 4279). TLS 1.3: with SHA-256 suites, the client''s binder checked ("ext binder" label); TLS 1.2: serves the PSK, DHE-PSK, ECDHE-PSK and RSA-PSK suites (RSA-PSK with the RSA certificate; unless --suites is given). The key is never printed'
            cand --psk-mode 'TLS 1.3 key exchange mode preferred with --psk: dhe_ke (psk_dhe_ke) or ke (psk_ke); a client offering only the other mode gets that one (tickets too)'
            cand --timeout 'Per-read timeout in seconds: a client silent this long in a handshake is dropped'
            cand --json 'Machine-readable JSON Lines on stdout; human text then goes nowhere'
            cand --hex 'Also show every record and handshake message as bytes, each field labelled, and the key schedule with its values; give it twice to see every byte of certificates and ciphertext too'
            cand -q 'Only the summary lines, the closing lines and the piped data'
            cand --quiet 'Only the summary lines, the closing lines and the piped data'
            cand --no-sni 'Ignore the client''s server_name extension (not acknowledged, any name served)'
            cand --once 'Serve one connection, then exit with its result'
            cand --no-split 'TLS 1.0 with a CBC suite: do not split application data 1/n-1 (the BEAST countermeasure, on by default), to show the exposure'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsprobe;demo'= {
            cand --tls 'Protocol versions to allow, comma-separated from 1.0,1.1,1.2,1.3 (1.0 and 1.1 only when listed: deprecated, RFC 8996) [default: 1.2,1.3]'
            cand --sigalgs 'Signature schemes by IANA name (ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, ...); MD5 and SHA-1 ones are refused (RFC 9155)'
            cand --alpn 'ALPN protocol names, e.g. h2,http/1.1'
            cand --keylog 'Append NSS key-log lines (SSLKEYLOGFILE format) to FILE; SSLKEYLOGFILE does the same'
            cand --html 'Also write an illustrated, self-contained HTML page of the connection to FILE: the message ladder, key schedule, certificate chain and findings (a server writes one page per connection, its number before the extension: page-1.html); add --hex for every record''s bytes, each field labelled'
            cand --color 'Colour: auto (only on a terminal, never with NO_COLOR), always, never'
            cand --timeout 'Connect and per-read timeout in seconds'
            cand --suites 'Cipher suites both sides use, comma-separated: IANA names, OpenSSL names or hex (0xc02f) [default: the client''s offer, AES-GCM, ChaCha20-Poly1305 and AES-CBC]'
            cand --groups 'Key-exchange groups both sides use, in preference order (IANA or OpenSSL names): X25519MLKEM768, x25519, secp256r1, ffdhe2048 ... (as connect --groups) [default: connect''s, X25519MLKEM768 with an X25519 share first]'
            cand --json 'Machine-readable JSON Lines on stdout; human text then goes nowhere'
            cand --hex 'Also show every record and handshake message as bytes, each field labelled, and the key schedule with its values; give it twice to see every byte of certificates and ciphertext too'
            cand -q 'Only the summary lines, the closing lines and the piped data'
            cand --quiet 'Only the summary lines, the closing lines and the piped data'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsprobe;view'= {
            cand --html 'Write the illustrated HTML page to OUT (- for stdout) instead of showing the trace: each connection a section (demo: the client''s side); written whole or not at all'
            cand --conn 'Only connection N of a listen transcript (its "conn" number, [#N] in the trace)'
            cand --color 'Colour: auto (only when stdout is a terminal, never with NO_COLOR), always, never'
            cand --hex 'Also show every record as bytes, each field labelled, and the key schedule''s values, when the transcript has them (saved with --json --hex); give it twice to see every byte'
            cand -q 'Only the summary lines, the closing lines and warnings'
            cand --quiet 'Only the summary lines, the closing lines and warnings'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'tlsprobe;help'= {
            cand connect 'Full handshake with a server, every message printed, then an encrypted pipe between stdin/stdout and the server'
            cand scan 'Protocol versions, cipher suites, groups, signature algorithms, features, certificate chain and known vulnerabilities of one or many servers'
            cand listen 'A TLS test endpoint that prints every message it sees'
            cand demo 'Listen on an ephemeral loopback port in-process and connect to it, showing both sides of the handshake (no network needed)'
            cand view 'Show a transcript saved with --json (connect, listen, demo) again: the trace as the live run printed it, or with --html the illustrated page'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'tlsprobe;help;connect'= {
        }
        &'tlsprobe;help;scan'= {
        }
        &'tlsprobe;help;listen'= {
        }
        &'tlsprobe;help;demo'= {
        }
        &'tlsprobe;help;view'= {
        }
        &'tlsprobe;help;help'= {
        }
    ]
    $completions[$command]
}
