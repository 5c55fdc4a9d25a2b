//! The command line (clap derive). Also the source of the man pages and shell completions
//! generated into man/ and completions/.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A TLS diagnostic tool: every handshake message shown and explained, servers scanned,
/// test endpoints served.
#[derive(Parser, Debug)]
#[command(name = "tlsprobe", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Full handshake with a server, every message printed, then an encrypted pipe between
    /// stdin/stdout and the server.
    Connect(ConnectArgs),
    /// Protocol versions, cipher suites, groups, signature algorithms, features, certificate
    /// chain and known vulnerabilities of one or many servers.
    Scan(ScanArgs),
    /// A TLS test endpoint that prints every message it sees.
    Listen(ListenArgs),
    /// Listen on an ephemeral loopback port in-process and connect to it, showing both sides
    /// of the handshake (no network needed).
    ///
    /// Every line of the trace is marked "client │" or "server │" (with --json, every event
    /// has "side": "client" or "server"), the receiving side's view of a message after the
    /// sending side's; each side ends with its own summary and closing lines. The key log is
    /// written by the client alone, once per secret.
    Demo(DemoArgs),
    /// Show a transcript saved with --json (connect, listen, demo) again: the trace as the
    /// live run printed it, or with --html the illustrated page.
    View(ViewArgs),
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ColorChoice {
    /// Colour only on a terminal, never when NO_COLOR is set.
    #[default]
    Auto,
    Always,
    Never,
}

/// Options shared by connect, listen and demo.
#[derive(Args, Debug, Clone, Default)]
pub struct TlsArgs {
    /// Protocol versions to allow, comma-separated from 1.0,1.1,1.2,1.3 (1.0 and 1.1 only when
    /// listed: deprecated, RFC 8996) [default: 1.2,1.3]
    #[arg(long, value_name = "LIST")]
    pub tls: Option<String>,
    /// Cipher suites, comma-separated: IANA names, OpenSSL names or hex (0xc02f) (each command
    /// words its own: see CONNECT_SUITES, LISTEN_SUITES, DEMO_SUITES)
    #[arg(long, value_name = "LIST")]
    pub suites: Option<String>,
    /// Key-exchange groups in preference order, IANA or OpenSSL names (each command words its
    /// own: see CONNECT_GROUPS, LISTEN_GROUPS, DEMO_GROUPS)
    #[arg(long, value_name = "LIST")]
    pub groups: Option<String>,
    /// Signature schemes by IANA name (ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, ...); MD5
    /// and SHA-1 ones are refused (RFC 9155)
    #[arg(long, value_name = "LIST")]
    pub sigalgs: Option<String>,
    /// ALPN protocol names, e.g. h2,http/1.1
    #[arg(long, value_name = "LIST")]
    pub alpn: Option<String>,
    /// Append NSS key-log lines (SSLKEYLOGFILE format) to FILE; SSLKEYLOGFILE does the same
    #[arg(long, value_name = "FILE")]
    pub keylog: Option<PathBuf>,
    /// Machine-readable JSON Lines on stdout; human text then goes nowhere
    #[arg(long)]
    pub json: bool,
    /// Also show every record and handshake message as bytes, each field labelled, and the key
    /// schedule with its values; give it twice to see every byte of certificates and
    /// ciphertext too
    #[arg(long, action = clap::ArgAction::Count)]
    pub hex: u8,
    /// Also write an illustrated, self-contained HTML page of the connection to FILE: the
    /// message ladder, key schedule, certificate chain and findings (a server writes one page
    /// per connection, its number before the extension: page-1.html); add --hex for every
    /// record's bytes, each field labelled
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Colour: auto (only on a terminal, never with NO_COLOR), always, never
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Connect and per-read timeout in seconds
    #[arg(
        long,
        default_value_t = 10.0,
        value_name = "SECS",
        allow_negative_numbers = true
    )]
    pub timeout: f64,
    /// Only the summary lines, the closing lines and the piped data
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PskModeArg {
    /// psk_ke: the PSK alone, no (EC)DHE (no forward secrecy)
    #[value(name = "ke")]
    Ke,
    /// psk_dhe_ke: the PSK with an (EC)DHE key share (forward secret)
    #[default]
    #[value(name = "dhe_ke")]
    DheKe,
}

/// External pre-shared key options of connect and listen.
#[derive(Args, Debug, Clone, Default)]
pub struct PskArgs {
    /// External pre-shared key as hex (RFC 8446 §4.2.11, RFC 4279). TLS 1.3: offered (connect)
    /// or accepted (listen) with SHA-256 suites, its binder made with the "ext binder" label;
    /// TLS 1.2: adds the PSK, DHE-PSK, ECDHE-PSK and RSA-PSK suites (unless --suites is given;
    /// RSA-PSK also uses the server's RSA certificate). The key is never printed
    #[arg(long, value_name = "HEX")]
    pub psk: Option<String>,
    /// Identity of --psk [default: Client_identity, as openssl s_client uses]
    #[arg(long, value_name = "NAME", requires = "psk")]
    pub psk_identity: Option<String>,
    /// TLS 1.3 key exchange mode with --psk: dhe_ke (psk_dhe_ke) or ke (psk_ke). connect
    /// offers only this mode; listen uses it when offered and the other mode when a client
    /// offers only that (tickets too)
    #[arg(
        long,
        value_enum,
        default_value_t = PskModeArg::DheKe,
        value_name = "MODE",
        requires = "psk"
    )]
    pub psk_mode: PskModeArg,
}

/// `--suites` and `--groups` in the words of each command (the shared [`TlsArgs`] text is
/// neutral): connect offers, listen serves, demo does both.
const CONNECT_SUITES: &str = "Cipher suites to offer, comma-separated: IANA names, OpenSSL names or hex (0xc02f) [default: AES-GCM, ChaCha20-Poly1305 and AES-CBC suites; the AES-CCM/CCM-8, CAMELLIA and ARIA ones only when listed]";
const CONNECT_GROUPS: &str = "Key-exchange groups to offer, in preference order (IANA or OpenSSL names): X25519MLKEM768, SecP256r1MLKEM768, SecP384r1MLKEM1024, MLKEM512/768/1024, x25519, x448, secp256r1 (P-256), secp384r1 (P-384), secp521r1 (P-521), ffdhe2048..ffdhe8192. Key shares go for the first (and, after an ML-KEM first, the first other) [default: X25519MLKEM768 with an X25519 share, then the curves, hybrids, ffdhe2048/3072]";
const CONNECT_PSK: &str = "External pre-shared key as hex, offered (RFC 8446 §4.2.11, RFC 4279). TLS 1.3: with SHA-256 suites, its binder made with the \"ext binder\" label; TLS 1.2: adds the PSK, DHE-PSK, ECDHE-PSK and RSA-PSK suites to the offer (unless --suites is given). The key is never printed";
const CONNECT_PSK_MODE: &str = "TLS 1.3 key exchange mode offered with --psk: dhe_ke (psk_dhe_ke, the PSK with an (EC)DHE share: forward secret) or ke (psk_ke, the PSK alone)";
const LISTEN_PSK: &str = "External pre-shared key as hex, accepted (RFC 8446 §4.2.11, RFC 4279). TLS 1.3: with SHA-256 suites, the client's binder checked (\"ext binder\" label); TLS 1.2: serves the PSK, DHE-PSK, ECDHE-PSK and RSA-PSK suites (RSA-PSK with the RSA certificate; unless --suites is given). The key is never printed";
const LISTEN_PSK_MODE: &str = "TLS 1.3 key exchange mode preferred with --psk: dhe_ke (psk_dhe_ke) or ke (psk_ke); a client offering only the other mode gets that one (tickets too)";
const LISTEN_TIMEOUT: &str =
    "Per-read timeout in seconds: a client silent this long in a handshake is dropped";
const LISTEN_SUITES: &str = "Cipher suites to accept, in the server's preference order, comma-separated: IANA names, OpenSSL names or hex (0xc02f) [default: AES-GCM, ChaCha20-Poly1305, AES-CBC, then AES-CCM/CCM-8, CAMELLIA and ARIA]";
const LISTEN_GROUPS: &str = "Key-exchange groups to accept, in the server's preference order (IANA or OpenSSL names): X25519MLKEM768, SecP256r1MLKEM768, SecP384r1MLKEM1024, MLKEM512/768/1024, x25519, x448, secp256r1 (P-256), secp384r1 (P-384), secp521r1 (P-521), ffdhe2048..ffdhe8192. A client without a share of the chosen group gets a HelloRetryRequest [default: the hybrids, the curves, pure ML-KEM, then ffdhe2048..8192]";
const DEMO_SUITES: &str = "Cipher suites both sides use, comma-separated: IANA names, OpenSSL names or hex (0xc02f) [default: the client's offer, AES-GCM, ChaCha20-Poly1305 and AES-CBC]";
const DEMO_GROUPS: &str = "Key-exchange groups both sides use, in preference order (IANA or OpenSSL names): X25519MLKEM768, x25519, secp256r1, ffdhe2048 ... (as connect --groups) [default: connect's, X25519MLKEM768 with an X25519 share first]";

#[derive(Args, Debug, Clone)]
#[command(mut_arg("suites", |a| a.help(CONNECT_SUITES)))]
#[command(mut_arg("groups", |a| a.help(CONNECT_GROUPS)))]
#[command(mut_arg("psk", |a| a.help(CONNECT_PSK)))]
#[command(mut_arg("psk_mode", |a| a.help(CONNECT_PSK_MODE)))]
pub struct ConnectArgs {
    /// host, host:port, ipv4:port or [ipv6]:port (port 443 by default)
    pub target: String,
    #[command(flatten)]
    pub tls: TlsArgs,
    /// Server name to send [default: the target host when it is a DNS name]
    #[arg(long, value_name = "NAME", conflicts_with = "no_sni")]
    pub sni: Option<String>,
    /// Send no server_name extension
    #[arg(long)]
    pub no_sni: bool,
    /// Go on when the certificate chain or host name does not verify (a warning is printed)
    #[arg(short = 'k', long)]
    pub insecure: bool,
    /// Trust anchors to verify against instead of the system store
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
    /// Client certificate chain (PEM), used when the server asks, in the handshake or, in TLS
    /// 1.3, after it (post_handshake_auth is then offered)
    #[arg(long, value_name = "PEM", requires = "key")]
    pub cert: Option<PathBuf>,
    /// Private key for --cert (PEM: PKCS#8, SEC1 or PKCS#1; RSA, RSA-PSS (id-RSASSA-PSS),
    /// ECDSA P-256/P-384/P-521, Ed25519, Ed448)
    #[arg(long, value_name = "PEM", requires = "cert")]
    pub key: Option<PathBuf>,
    /// Offer TLS 1.3 post-handshake client authentication (post_handshake_auth, RFC 8446
    /// §4.2.6) even without --cert: a CertificateRequest after the handshake is then answered
    /// with an empty Certificate and Finished. With --cert it is offered anyway
    #[arg(long)]
    pub pha: bool,
    /// Close (with close_notify) right after the handshake
    #[arg(short = 'n', long)]
    pub no_pipe: bool,
    /// After the first handshake, connect again resuming the session
    #[arg(long)]
    pub reconnect: bool,
    /// With --reconnect or --sess-in: send FILE's bytes as TLS 1.3 0-RTT early data on the
    /// first resumed connection and report whether the server accepted them. A FILE larger
    /// than the ticket's max_early_data_size is an error before that connection; early data
    /// the server rejects (or a ticket that allows none) is sent after the handshake instead
    #[arg(long, value_name = "FILE")]
    pub early_data: Option<PathBuf>,
    /// Write the last connection's session (TLS 1.2 session id/ticket or TLS 1.3 ticket) to
    /// FILE when the connection ends, for --sess-in. The file holds the session's secret: it
    /// is written mode 0600 and must be kept private
    #[arg(long, value_name = "FILE")]
    pub sess_out: Option<PathBuf>,
    /// Resume the session stored in FILE by --sess-out (a file with the session's secret)
    #[arg(long, value_name = "FILE")]
    pub sess_in: Option<PathBuf>,
    /// Add TLS_FALLBACK_SCSV to the offered cipher suites (RFC 7507), as a client retrying
    /// with a lower version does: a server supporting a higher version than offered answers
    /// inappropriate_fallback (its downgrade protection works)
    #[arg(long)]
    pub fallback_scsv: bool,
    /// Offer record_size_limit N (RFC 8449, 64..=16385: the largest record plaintext we
    /// accept, in TLS 1.3 counting the content type byte), plus max_fragment_length (RFC 6066)
    /// when N is 512, 1024, 2048 or 4096; records larger than agreed are refused with
    /// record_overflow
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(64..=16385))]
    pub record_size_limit: Option<u16>,
    /// TLS 1.0 with a CBC suite: do not split application data 1/n-1 (the BEAST
    /// countermeasure, on by default), to show the exposure
    #[arg(long)]
    pub no_split: bool,
    /// Upgrade a plaintext protocol first: smtp, imap, pop3, ftp, xmpp, postgres; the
    /// dialogue is shown before the handshake. A target without a port gets the protocol's
    /// (smtp 25, imap 143, pop3 110, ftp 21, xmpp 5222, postgres 5432)
    #[arg(long, value_name = "PROTO")]
    pub starttls: Option<String>,
    /// Connect through a proxy: http://[user:pass@]host:port (CONNECT, default port 8080) or
    /// socks5://[user:pass@]host:port (default port 1080; the proxy resolves host names)
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,
    #[command(flatten)]
    pub psk: PskArgs,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ListenMode {
    /// Answer each request with an HTTP/1.0 200 page describing the connection (in TLS 1.3,
    /// `GET /keyupdate` first gets a KeyUpdate from the server)
    #[default]
    Http,
    /// Send back what arrives
    Echo,
    /// One connection, stdin/stdout like connect
    Pipe,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ClientAuthArg {
    /// Ask for no client certificate
    #[default]
    None,
    /// Ask in the handshake (TLS 1.2 and 1.3); an empty Certificate is accepted
    Request,
    /// Ask in the handshake; an empty Certificate ends it (certificate_required in TLS 1.3,
    /// handshake_failure in TLS 1.2)
    Require,
    /// TLS 1.3 only: ask after the handshake (RFC 8446 §4.6.2), only clients that offered
    /// post_handshake_auth; http mode asks when the request has arrived and answers once the
    /// client has authenticated, echo mode asks after the first data; an empty Certificate is
    /// accepted
    PostHandshake,
    /// As post-handshake, but an empty Certificate ends the connection with
    /// certificate_required
    PostHandshakeRequire,
}

#[derive(Args, Debug, Clone)]
#[command(mut_arg("suites", |a| a.help(LISTEN_SUITES)))]
#[command(mut_arg("groups", |a| a.help(LISTEN_GROUPS)))]
#[command(mut_arg("psk", |a| a.help(LISTEN_PSK)))]
#[command(mut_arg("psk_mode", |a| a.help(LISTEN_PSK_MODE)))]
#[command(mut_arg("timeout", |a| a.help(LISTEN_TIMEOUT)))]
pub struct ListenArgs {
    /// PORT, ADDR:PORT or [ipv6]:PORT (ADDR defaults to 127.0.0.1)
    pub addr: String,
    #[command(flatten)]
    pub tls: TlsArgs,
    /// Certificate chain (PEM). Give --cert/--key twice for a second certificate, used when the
    /// first suits none of the client's suites or signature algorithms (e.g. RSA beside ECDSA).
    /// Without them a self-signed ECDSA P-256 certificate is made, plus a self-signed RSA 2048
    /// one for clients that accept no ECDSA signature
    #[arg(long, value_name = "PEM", requires = "key")]
    pub cert: Vec<PathBuf>,
    /// Private key for the --cert in the same position (PEM: PKCS#8, SEC1 or PKCS#1; RSA,
    /// RSA-PSS (id-RSASSA-PSS, signing with rsa_pss_pss_* only), ECDSA P-256/P-384/P-521,
    /// Ed25519, Ed448)
    #[arg(long, value_name = "PEM", requires = "cert")]
    pub key: Vec<PathBuf>,
    /// The only server name to serve: a client asking (by SNI) for another name gets a fatal
    /// unrecognized_name alert (RFC 6066 §3); clients sending no name are served [default: any]
    #[arg(long, value_name = "NAME", conflicts_with = "no_sni")]
    pub sni: Option<String>,
    /// Ignore the client's server_name extension (not acknowledged, any name served)
    #[arg(long)]
    pub no_sni: bool,
    /// Name for the self-signed certificate (127.0.0.1 and ::1 are always added)
    #[arg(long, default_value = "localhost", value_name = "NAME")]
    pub name: String,
    /// What to do with the application data
    #[arg(long, value_enum, default_value_t = ListenMode::Http)]
    pub mode: ListenMode,
    /// Ask for a client certificate
    #[arg(long, value_enum, default_value_t = ClientAuthArg::None, value_name = "MODE")]
    pub client_auth: ClientAuthArg,
    /// Trust anchors that client certificates must chain to
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
    /// A DER OCSP response to staple
    #[arg(long, value_name = "FILE")]
    pub ocsp: Option<PathBuf>,
    /// Serve one connection, then exit with its result
    #[arg(long)]
    pub once: bool,
    /// Accept TLS 1.3 0-RTT early data, up to N bytes per connection (default 16384): tickets
    /// announce N as max_early_data_size, and each ticket's early data is accepted once (a
    /// replay's is rejected and skipped). Without this flag early data is always rejected.
    /// Write it after the address or as --early-data=N
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "16384",
          value_parser = clap::value_parser!(u32).range(1..))]
    pub early_data: Option<u32>,
    /// Connections served at the same time; more wait
    #[arg(long, default_value_t = 256, value_name = "N")]
    pub max_conns: usize,
    /// Our record_size_limit answered to clients that offer one (RFC 8449, 64..=16385; in
    /// TLS 1.2 and earlier at most 16384 is sent): larger records from them are refused with
    /// record_overflow [default: the protocol's largest]. A client's record_size_limit or
    /// max_fragment_length is always honoured
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(64..=16385))]
    pub record_size_limit: Option<u16>,
    /// TLS 1.0 with a CBC suite: do not split application data 1/n-1 (the BEAST
    /// countermeasure, on by default), to show the exposure
    #[arg(long)]
    pub no_split: bool,
    /// Play the server side of a STARTTLS dialogue before each handshake: smtp, imap, pop3,
    /// ftp, xmpp, postgres (so that `openssl s_client -starttls PROTO` and mail or database
    /// clients can connect)
    #[arg(long, value_name = "PROTO")]
    pub starttls: Option<String>,
    #[command(flatten)]
    pub psk: PskArgs,
}

#[derive(Args, Debug, Clone)]
pub struct ScanArgs {
    /// Targets: host, host:port, ipv4:port or [ipv6]:port
    pub targets: Vec<String>,
    /// More targets, one per line (# comments allowed); - reads stdin
    #[arg(long = "targets", value_name = "FILE|-")]
    pub targets_file: Option<String>,
    /// Protocol versions to test, comma-separated from ssl3,1.0,1.1,1.2,1.3 [default: all]
    #[arg(long, value_name = "LIST")]
    pub tls: Option<String>,
    /// Probe only these cipher suites (IANA or OpenSSL names, or hex), including ones
    /// tlsprobe cannot negotiate [default: every suite in the registry]
    #[arg(long, value_name = "LIST")]
    pub suites: Option<String>,
    /// Probe only these key-exchange groups (IANA or OpenSSL names) [default: every group
    /// the scanner knows]
    #[arg(long, value_name = "LIST")]
    pub groups: Option<String>,
    /// Offer and probe only these signature schemes (IANA names; MD5/SHA-1 ones allowed, to
    /// find servers that still take them) [default: all]
    #[arg(long, value_name = "LIST")]
    pub sigalgs: Option<String>,
    /// ALPN protocols to probe [default: h2,http/1.1]
    #[arg(long, value_name = "LIST")]
    pub alpn: Option<String>,
    /// Server name to send [default: the target host when it is a DNS name]
    #[arg(long, value_name = "NAME", conflicts_with = "no_sni")]
    pub sni: Option<String>,
    /// Send no server_name extension
    #[arg(long)]
    pub no_sni: bool,
    /// Trust anchors to verify certificate chains against instead of the system store
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,
    /// Connections in flight at once, over all targets
    #[arg(
        short = 'j',
        long = "concurrency",
        default_value_t = 16,
        value_name = "N"
    )]
    pub concurrency: usize,
    /// At most N new connections per second [default: unlimited]
    #[arg(long, value_name = "N")]
    pub rate: Option<u32>,
    /// Only the targets whose index mod N equals I
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// One JSON object per target on stdout
    #[arg(long)]
    pub json: bool,
    /// Colour: auto (only on a terminal, never with NO_COLOR), always, never
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Connect and per-read timeout in seconds
    #[arg(
        long,
        default_value_t = 10.0,
        value_name = "SECS",
        allow_negative_numbers = true
    )]
    pub timeout: f64,
    /// Upgrade a plaintext protocol first on every connection: smtp, imap, pop3, ftp, xmpp,
    /// postgres. A target without a port gets the protocol's (smtp 25, imap 143, pop3 110,
    /// ftp 21, xmpp 5222, postgres 5432)
    #[arg(long, value_name = "PROTO")]
    pub starttls: Option<String>,
    /// Connect through a proxy: http://[user:pass@]host:port (CONNECT) or
    /// socks5://[user:pass@]host:port (the proxy resolves host names)
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,
    /// Send one HTTP GET over TLS (status, HSTS, Server, compression for BREACH) on any port
    /// [default: on for port 443 only]
    #[arg(long, conflicts_with = "no_http")]
    pub http: bool,
    /// Send no HTTP request, not even on port 443
    #[arg(long)]
    pub no_http: bool,
    /// Write the JSON Lines report to FILE instead of stdout: a header line, then one line per
    /// target, each written whole (a killed scan leaves at most one partial last line);
    /// --json also prints the reports on stdout
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With --output: keep the targets FILE already has, drop a partial last line, scan the
    /// rest and append them (a missing or empty FILE starts afresh); the target list,
    /// --shard and the options that shape results must be the same as when FILE was begun
    #[arg(long, requires = "output")]
    pub resume: bool,
    /// Progress on stderr: auto (a bar on a terminal; otherwise a status line every
    /// --progress-interval seconds, unless stderr is stdout, as with 2>&1), always (the bar,
    /// or the status lines even into stdout's stream), never
    #[arg(long, value_enum, default_value_t = ProgressChoice::Auto, value_name = "WHEN")]
    pub progress: ProgressChoice,
    /// Seconds between two status lines when stderr is not a terminal
    #[arg(long, default_value_t = 10.0, value_name = "SECS")]
    pub progress_interval: f64,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ProgressChoice {
    /// A bar on a terminal; elsewhere status lines, unless stderr is stdout (2>&1)
    #[default]
    Auto,
    /// A bar on a terminal, status lines elsewhere, even into stdout's stream
    Always,
    /// No progress output
    Never,
}

#[derive(Args, Debug, Clone)]
#[command(mut_arg("suites", |a| a.help(DEMO_SUITES)))]
#[command(mut_arg("groups", |a| a.help(DEMO_GROUPS)))]
pub struct DemoArgs {
    #[command(flatten)]
    pub tls: TlsArgs,
}

#[derive(Args, Debug, Clone)]
pub struct ViewArgs {
    /// A transcript saved with --json by connect, listen or demo (JSON Lines); - reads stdin
    #[arg(value_name = "FILE")]
    pub file: String,
    /// Write the illustrated HTML page to OUT (- for stdout) instead of showing the trace:
    /// each connection a section (demo: the client's side); written whole or not at all
    #[arg(long, value_name = "OUT", conflicts_with_all = ["hex", "quiet"])]
    pub html: Option<String>,
    /// Only connection N of a listen transcript (its "conn" number, [#N] in the trace)
    #[arg(long, value_name = "N")]
    pub conn: Option<u64>,
    /// Also show every record as bytes, each field labelled, and the key schedule's values,
    /// when the transcript has them (saved with --json --hex); give it twice to see every byte
    #[arg(long, action = clap::ArgAction::Count)]
    pub hex: u8,
    /// Only the summary lines, the closing lines and warnings
    #[arg(short, long)]
    pub quiet: bool,
    /// Colour: auto (only when stdout is a terminal, never with NO_COLOR), always, never
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}
