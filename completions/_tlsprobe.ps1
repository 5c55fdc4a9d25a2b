
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'tlsprobe' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'tlsprobe'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'tlsprobe' {
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Full handshake with a server, every message printed, then an encrypted pipe between stdin/stdout and the server')
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Protocol versions, cipher suites, groups, signature algorithms and features of one or many servers')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'A TLS test endpoint that prints every message it sees')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Listen on an ephemeral loopback port in-process and connect to it, showing both sides of the handshake (no network needed)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tlsprobe;connect' {
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Protocol versions to allow, comma-separated from 1.0,1.1,1.2,1.3 (1.0 and 1.1 only when listed: deprecated, RFC 8996) [default: 1.2,1.3]')
            [CompletionResult]::new('--suites', '--suites', [CompletionResultType]::ParameterName, 'Cipher suites, comma-separated: IANA names, OpenSSL names or hex (0xc02f)')
            [CompletionResult]::new('--groups', '--groups', [CompletionResultType]::ParameterName, 'Key-exchange groups in preference order (IANA or OpenSSL names): X25519MLKEM768, SecP256r1MLKEM768, SecP384r1MLKEM1024, MLKEM512/768/1024, x25519, x448, secp256r1 (P-256), secp384r1 (P-384), secp521r1 (P-521), ffdhe2048..ffdhe8192. The client sends key shares for the first (and, after an ML-KEM first, the first other) [default connect: X25519MLKEM768 with an X25519 share, then the curves, hybrids, ffdhe2048/3072]')
            [CompletionResult]::new('--sigalgs', '--sigalgs', [CompletionResultType]::ParameterName, 'Signature schemes by IANA name (ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, ...); MD5 and SHA-1 ones are refused (RFC 9155)')
            [CompletionResult]::new('--alpn', '--alpn', [CompletionResultType]::ParameterName, 'ALPN protocol names, e.g. h2,http/1.1')
            [CompletionResult]::new('--keylog', '--keylog', [CompletionResultType]::ParameterName, 'Append NSS key-log lines (SSLKEYLOGFILE format) to FILE; SSLKEYLOGFILE does the same')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (only on a terminal, never with NO_COLOR), always, never')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-read timeout in seconds')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'Server name to send [default: the target host when it is a DNS name]')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Trust anchors to verify against instead of the system store')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Client certificate chain (PEM), used when the server asks')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Private key for --cert (PEM: PKCS#8, SEC1 or PKCS#1)')
            [CompletionResult]::new('--starttls', '--starttls', [CompletionResultType]::ParameterName, 'Upgrade a plaintext protocol first: smtp, imap, pop3, ftp, xmpp, postgres; the dialogue is shown before the handshake. A target without a port gets the protocol''s (smtp 25, imap 143, pop3 110, ftp 21, xmpp 5222, postgres 5432)')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Connect through a proxy: http://[user:pass@]host:port (CONNECT, default port 8080) or socks5://[user:pass@]host:port (default port 1080; the proxy resolves host names)')
            [CompletionResult]::new('--psk', '--psk', [CompletionResultType]::ParameterName, 'External pre-shared key as hex (RFC 8446 §4.2.11, RFC 4279). TLS 1.3: offered (connect) or accepted (listen) with SHA-256 suites, its binder made with the "ext binder" label; TLS 1.2: adds the PSK, DHE-PSK and ECDHE-PSK suites (unless --suites is given). The key is never printed')
            [CompletionResult]::new('--psk-identity', '--psk-identity', [CompletionResultType]::ParameterName, 'Identity of --psk [default: Client_identity, as openssl s_client uses]')
            [CompletionResult]::new('--psk-mode', '--psk-mode', [CompletionResultType]::ParameterName, 'TLS 1.3 key exchange mode with --psk: dhe_ke (psk_dhe_ke) or ke (psk_ke). connect offers only this mode; listen uses it when offered and the other mode when a client offers only that (tickets too)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON Lines on stdout; human text then goes nowhere')
            [CompletionResult]::new('--hex', '--hex', [CompletionResultType]::ParameterName, 'Also show every record and handshake message as bytes, each field labelled, and the key schedule with its values; give it twice to see every byte of certificates and ciphertext too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the summary lines and the piped data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the summary lines and the piped data')
            [CompletionResult]::new('--no-sni', '--no-sni', [CompletionResultType]::ParameterName, 'Send no server_name extension')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Go on when the certificate chain or host name does not verify (a warning is printed)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Go on when the certificate chain or host name does not verify (a warning is printed)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Close (with close_notify) right after the handshake')
            [CompletionResult]::new('--no-pipe', '--no-pipe', [CompletionResultType]::ParameterName, 'Close (with close_notify) right after the handshake')
            [CompletionResult]::new('--reconnect', '--reconnect', [CompletionResultType]::ParameterName, 'After the first handshake, connect again resuming the session')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsprobe;scan' {
            [CompletionResult]::new('--targets', '--targets', [CompletionResultType]::ParameterName, 'More targets, one per line (# comments allowed); - reads stdin')
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Protocol versions to test, comma-separated from ssl3,1.0,1.1,1.2,1.3 [default: all]')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'Server name to send [default: the target host when it is a DNS name]')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Connections in flight at once, over all targets')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Connections in flight at once, over all targets')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'At most N new connections per second [default: unlimited]')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Only the targets whose index mod N equals I')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (only on a terminal, never with NO_COLOR), always, never')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-read timeout in seconds')
            [CompletionResult]::new('--starttls', '--starttls', [CompletionResultType]::ParameterName, 'Upgrade a plaintext protocol first on every connection: smtp, imap, pop3, ftp, xmpp, postgres. A target without a port gets the protocol''s (smtp 25, imap 143, pop3 110, ftp 21, xmpp 5222, postgres 5432)')
            [CompletionResult]::new('--proxy', '--proxy', [CompletionResultType]::ParameterName, 'Connect through a proxy: http://[user:pass@]host:port (CONNECT) or socks5://[user:pass@]host:port (the proxy resolves host names)')
            [CompletionResult]::new('--no-sni', '--no-sni', [CompletionResultType]::ParameterName, 'Send no server_name extension')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'One JSON object per target on stdout')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsprobe;listen' {
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Protocol versions to allow, comma-separated from 1.0,1.1,1.2,1.3 (1.0 and 1.1 only when listed: deprecated, RFC 8996) [default: 1.2,1.3]')
            [CompletionResult]::new('--suites', '--suites', [CompletionResultType]::ParameterName, 'Cipher suites, comma-separated: IANA names, OpenSSL names or hex (0xc02f)')
            [CompletionResult]::new('--groups', '--groups', [CompletionResultType]::ParameterName, 'Key-exchange groups in preference order (IANA or OpenSSL names): X25519MLKEM768, SecP256r1MLKEM768, SecP384r1MLKEM1024, MLKEM512/768/1024, x25519, x448, secp256r1 (P-256), secp384r1 (P-384), secp521r1 (P-521), ffdhe2048..ffdhe8192. The client sends key shares for the first (and, after an ML-KEM first, the first other) [default connect: X25519MLKEM768 with an X25519 share, then the curves, hybrids, ffdhe2048/3072]')
            [CompletionResult]::new('--sigalgs', '--sigalgs', [CompletionResultType]::ParameterName, 'Signature schemes by IANA name (ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, ...); MD5 and SHA-1 ones are refused (RFC 9155)')
            [CompletionResult]::new('--alpn', '--alpn', [CompletionResultType]::ParameterName, 'ALPN protocol names, e.g. h2,http/1.1')
            [CompletionResult]::new('--keylog', '--keylog', [CompletionResultType]::ParameterName, 'Append NSS key-log lines (SSLKEYLOGFILE format) to FILE; SSLKEYLOGFILE does the same')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (only on a terminal, never with NO_COLOR), always, never')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-read timeout in seconds')
            [CompletionResult]::new('--cert', '--cert', [CompletionResultType]::ParameterName, 'Certificate chain (PEM). Give --cert/--key twice for a second certificate, used when the first suits none of the client''s suites or signature algorithms (e.g. RSA beside ECDSA). Without them a self-signed ECDSA P-256 certificate is made, plus a self-signed RSA 2048 one for clients that accept no ECDSA signature')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Private key for the --cert in the same position (PEM: PKCS#8, SEC1 or PKCS#1; RSA, P-256, P-384, Ed25519)')
            [CompletionResult]::new('--sni', '--sni', [CompletionResultType]::ParameterName, 'The only server name to serve: a client asking (by SNI) for another name gets a fatal unrecognized_name alert (RFC 6066 §3); clients sending no name are served [default: any]')
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'Name for the self-signed certificate (127.0.0.1 and ::1 are always added)')
            [CompletionResult]::new('--mode', '--mode', [CompletionResultType]::ParameterName, 'What to do with the application data')
            [CompletionResult]::new('--client-auth', '--client-auth', [CompletionResultType]::ParameterName, 'Ask for a client certificate')
            [CompletionResult]::new('--ca-file', '--ca-file', [CompletionResultType]::ParameterName, 'Trust anchors that client certificates must chain to')
            [CompletionResult]::new('--ocsp', '--ocsp', [CompletionResultType]::ParameterName, 'A DER OCSP response to staple')
            [CompletionResult]::new('--max-conns', '--max-conns', [CompletionResultType]::ParameterName, 'Connections served at the same time; more wait')
            [CompletionResult]::new('--starttls', '--starttls', [CompletionResultType]::ParameterName, 'Play the server side of a STARTTLS dialogue before each handshake: smtp, imap, pop3, ftp, xmpp, postgres (so that `openssl s_client -starttls PROTO` and mail or database clients can connect)')
            [CompletionResult]::new('--psk', '--psk', [CompletionResultType]::ParameterName, 'External pre-shared key as hex (RFC 8446 §4.2.11, RFC 4279). TLS 1.3: offered (connect) or accepted (listen) with SHA-256 suites, its binder made with the "ext binder" label; TLS 1.2: adds the PSK, DHE-PSK and ECDHE-PSK suites (unless --suites is given). The key is never printed')
            [CompletionResult]::new('--psk-identity', '--psk-identity', [CompletionResultType]::ParameterName, 'Identity of --psk [default: Client_identity, as openssl s_client uses]')
            [CompletionResult]::new('--psk-mode', '--psk-mode', [CompletionResultType]::ParameterName, 'TLS 1.3 key exchange mode with --psk: dhe_ke (psk_dhe_ke) or ke (psk_ke). connect offers only this mode; listen uses it when offered and the other mode when a client offers only that (tickets too)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON Lines on stdout; human text then goes nowhere')
            [CompletionResult]::new('--hex', '--hex', [CompletionResultType]::ParameterName, 'Also show every record and handshake message as bytes, each field labelled, and the key schedule with its values; give it twice to see every byte of certificates and ciphertext too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the summary lines and the piped data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the summary lines and the piped data')
            [CompletionResult]::new('--no-sni', '--no-sni', [CompletionResultType]::ParameterName, 'Ignore the client''s server_name extension (not acknowledged, any name served)')
            [CompletionResult]::new('--once', '--once', [CompletionResultType]::ParameterName, 'Serve one connection, then exit with its result')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsprobe;demo' {
            [CompletionResult]::new('--tls', '--tls', [CompletionResultType]::ParameterName, 'Protocol versions to allow, comma-separated from 1.0,1.1,1.2,1.3 (1.0 and 1.1 only when listed: deprecated, RFC 8996) [default: 1.2,1.3]')
            [CompletionResult]::new('--suites', '--suites', [CompletionResultType]::ParameterName, 'Cipher suites, comma-separated: IANA names, OpenSSL names or hex (0xc02f)')
            [CompletionResult]::new('--groups', '--groups', [CompletionResultType]::ParameterName, 'Key-exchange groups in preference order (IANA or OpenSSL names): X25519MLKEM768, SecP256r1MLKEM768, SecP384r1MLKEM1024, MLKEM512/768/1024, x25519, x448, secp256r1 (P-256), secp384r1 (P-384), secp521r1 (P-521), ffdhe2048..ffdhe8192. The client sends key shares for the first (and, after an ML-KEM first, the first other) [default connect: X25519MLKEM768 with an X25519 share, then the curves, hybrids, ffdhe2048/3072]')
            [CompletionResult]::new('--sigalgs', '--sigalgs', [CompletionResultType]::ParameterName, 'Signature schemes by IANA name (ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, ...); MD5 and SHA-1 ones are refused (RFC 9155)')
            [CompletionResult]::new('--alpn', '--alpn', [CompletionResultType]::ParameterName, 'ALPN protocol names, e.g. h2,http/1.1')
            [CompletionResult]::new('--keylog', '--keylog', [CompletionResultType]::ParameterName, 'Append NSS key-log lines (SSLKEYLOGFILE format) to FILE; SSLKEYLOGFILE does the same')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour: auto (only on a terminal, never with NO_COLOR), always, never')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Connect and per-read timeout in seconds')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Machine-readable JSON Lines on stdout; human text then goes nowhere')
            [CompletionResult]::new('--hex', '--hex', [CompletionResultType]::ParameterName, 'Also show every record and handshake message as bytes, each field labelled, and the key schedule with its values; give it twice to see every byte of certificates and ciphertext too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only the summary lines and the piped data')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only the summary lines and the piped data')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'tlsprobe;help' {
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Full handshake with a server, every message printed, then an encrypted pipe between stdin/stdout and the server')
            [CompletionResult]::new('scan', 'scan', [CompletionResultType]::ParameterValue, 'Protocol versions, cipher suites, groups, signature algorithms and features of one or many servers')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'A TLS test endpoint that prints every message it sees')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Listen on an ephemeral loopback port in-process and connect to it, showing both sides of the handshake (no network needed)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'tlsprobe;help;connect' {
            break
        }
        'tlsprobe;help;scan' {
            break
        }
        'tlsprobe;help;listen' {
            break
        }
        'tlsprobe;help;demo' {
            break
        }
        'tlsprobe;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
