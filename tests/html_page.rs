//! `--html FILE` (cli.md "The HTML page"): the page of a demo and of connections to openssl
//! s_server (TLS 1.2, 1.3) loaded in headless Chromium: one element per handshake message in
//! the order of the JSON events, each with its byte table, no script errors, a screenshot that
//! is not blank; the live page equal to the page of its JSON transcript; a hostile certificate
//! subject and SNI shown as text; no external URL; a section per connection; an
//! unwritable path refused before connecting. Chromium or openssl missing: a printed skip.

mod common;
use common::{
    certs, listen_once, need_openssl, require_peer, run, runs, s_server, scratch, tp, CertSpec,
    Done, Key, LIMIT,
};

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

const HOSTILE_CN: &str = "<script>alert(1)</script>\"quoted' & more";

fn need_chromium() -> bool {
    require_peer(
        runs("chromium", &["--version"]),
        "chromium",
        "apt-get install chromium",
    )
}

/// Headless Chromium on `page` with `args`, its console on stderr; bounded: coreutils'
/// `timeout` stops its whole process group (the renderer and helper processes too) after
/// 50 s, and the run itself is killed after 60.
fn chromium(page: &Path, args: &[&str]) -> Done {
    let mut c = Command::new("timeout");
    c.args(["-k", "5", "50", "chromium"]);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--enable-logging=stderr",
        "--v=0",
    ]);
    c.arg(format!(
        "--user-data-dir={}",
        page.with_extension("profile").display()
    ));
    c.args(args).arg(format!("file://{}", page.display()));
    let done = run(c, b"", Duration::from_secs(60));
    assert_eq!(done.code, Some(0), "chromium failed: {}", done.all());
    done
}

/// The DOM after the page's script ran; fails on a console error or a script error.
fn dom(page: &Path) -> String {
    let done = chromium(page, &["--dump-dom"]);
    let console_errors: Vec<&str> = done
        .stderr
        .lines()
        .filter(|l| l.contains("CONSOLE") && (l.contains("Uncaught") || l.contains("Error")))
        .collect();
    assert!(
        console_errors.is_empty(),
        "console errors: {console_errors:?}"
    );
    assert!(
        done.stdout.contains("data-script=\"ran\""),
        "the script did not run"
    );
    assert!(
        done.stdout
            .contains("<div id=\"js-errors\" hidden=\"\"></div>"),
        "script errors on the page"
    );
    done.stdout
}

/// The handshake messages of the JSON events as "client_hello", in order.
fn json_msgs(events: &[Value]) -> Vec<String> {
    events
        .iter()
        // demo's page is drawn from the client's side (its ladder has both columns).
        .filter(|e| e["type"] == "handshake" && e.get("side").is_none_or(|s| s == "client"))
        .map(|e| e["msg"].as_str().unwrap_or("?").to_string())
        .collect()
}

/// Each `data-msg` element of the DOM in order, with the markup up to the next one.
fn dom_msgs(dom: &str) -> Vec<(String, &str)> {
    let mut out = vec![];
    let parts: Vec<&str> = dom.split("data-msg=\"").skip(1).collect();
    for p in parts {
        let name = p.split('"').next().unwrap_or("").to_string();
        out.push((name, p));
    }
    out
}

/// The page's messages are the JSON's, in order, each with its byte table.
fn check_messages(dom: &str, events: &[Value]) {
    let expected = json_msgs(events);
    assert!(expected.len() >= 5, "{expected:?}");
    let found = dom_msgs(dom);
    let names: Vec<&str> = found.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, expected, "messages in the page");
    for (name, markup) in &found {
        let table = markup.find("<table class=\"bytes\">");
        assert!(table.is_some(), "{name}: no byte table");
    }
}

/// Nothing the page loads from elsewhere: no URL, no src/href, no stylesheet link or import.
fn no_external_reference(html: &str) {
    // "//" also catches protocol-relative URLs; the escaping writes '/' from a peer as &#x2f;.
    for bad in [
        "//",
        "http://",
        "https://",
        "src=",
        "href=",
        "url(",
        "@import",
        "<link",
        "<img",
        "<iframe",
        "<object",
        "<embed",
        "@font-face",
    ] {
        assert!(!html.contains(bad), "the page contains {bad:?}");
    }
    assert_eq!(html.matches("<script").count(), 1, "one inline script");
}

/// A screenshot of the page is the size asked for and not one colour.
fn not_blank(page: &Path) {
    let png = page.with_extension("png");
    chromium(
        page,
        &[
            &format!("--screenshot={}", png.display()),
            "--window-size=1200,2000",
            "--hide-scrollbars",
        ],
    );
    let decoder = png::Decoder::new(std::fs::File::open(&png).expect("screenshot written"));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("a frame");
    assert_eq!((info.width, info.height), (1200, 2000));
    let px = info.color_type.samples();
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(px).collect();
    let first = pixels[0];
    let differ = pixels.iter().filter(|p| *p != &first).count();
    assert!(
        differ > pixels.len() / 50,
        "the screenshot is nearly blank: {differ} pixels differ"
    );
}

#[test]
fn demo_page_in_chromium() {
    if !need_chromium() {
        return;
    }
    let dir = scratch();
    let page = dir.path().join("demo.html");
    let mut c = tp(["demo", "--json", "--hex", "--timeout", "5"]);
    c.arg("--html").arg(&page);
    let done = run(c, b"", LIMIT);
    assert_eq!(done.code, Some(0), "{}", done.all());
    let html = std::fs::read_to_string(&page).expect("the page is written");
    // The live page is the page of the saved transcript (what `view --html` draws).
    let from_transcript = tlsprobe::report::html::page(&done.json()).unwrap();
    assert!(
        html == from_transcript,
        "the live page differs from the transcript's"
    );
    no_external_reference(&html);
    let dom = dom(&page);
    check_messages(&dom, &done.json());
    assert!(dom.contains("class=\"band"), "key bands");
    assert!(
        dom.contains("data-secret=\"handshake_secret\""),
        "key schedule"
    );
    assert!(dom.contains("✓ verified"), "the chain's verdict");
    not_blank(&page);
}

/// `tlsprobe connect --json --hex --html` to s_server: (JSON events, page, exit code).
fn connect_page(port: u16, ca: &Path, tls: &str, page: &Path) -> (Vec<Value>, String, i32) {
    let mut c = tp([
        "connect",
        &format!("127.0.0.1:{port}"),
        "--json",
        "--hex",
        "--timeout",
        "5",
        "--tls",
        tls,
    ]);
    c.arg("--ca-file").arg(ca).arg("--html").arg(page);
    let done = run(c, b"GET / HTTP/1.0\r\n\r\n", LIMIT);
    let html =
        std::fs::read_to_string(page).unwrap_or_else(|e| panic!("no page ({e}): {}", done.all()));
    (done.json(), html, done.code.unwrap_or(-1))
}

fn s_server_page(tls: &str) {
    let leaf = certs().leaf(Key::P256);
    let srv = s_server(leaf, &["-www"], None);
    let dir = scratch();
    let page = dir.path().join(format!("tls{tls}.html"));
    let (events, html, code) = connect_page(srv.port, &leaf.cert, tls, &page);
    assert_eq!(code, 0);
    no_external_reference(&html);
    let dom = dom(&page);
    check_messages(&dom, &events);
    assert!(
        dom.contains(&format!("TLS {tls}")),
        "the summary names the version"
    );
    assert!(
        dom.contains("decrypted"),
        "decrypted content beside the ciphertext"
    );
}

#[test]
fn s_server_tls13_page_in_chromium() {
    if need_openssl() && need_chromium() {
        s_server_page("1.3");
    }
}

#[test]
fn s_server_tls12_page_in_chromium() {
    if need_openssl() && need_chromium() {
        s_server_page("1.2");
    }
}

/// The escaped forms a text node or attribute of the hostile name may take in the file.
fn shown_as_text(html: &str, what: &str) {
    assert!(
        !html.contains("<script>alert(1)"),
        "{what}: raw markup in the file"
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)"),
        "{what}: not shown as text"
    );
}

#[test]
fn hostile_certificate_subject_is_text() {
    if !(need_openssl() && need_chromium()) {
        return;
    }
    let dir = scratch();
    let cn = HOSTILE_CN.replace('/', "\\/");
    let pair = CertSpec::new(Key::P256, &cn).self_signed(dir.path(), "hostile");
    let srv = s_server(&pair, &["-www"], None);
    let page = dir.path().join("hostile.html");
    let (_, html, _) = connect_page(srv.port, &pair.cert, "1.3", &page);
    shown_as_text(&html, "certificate subject");
    let dom = dom(&page);
    assert!(!dom.contains("<script>alert(1)"), "markup in the DOM");
    assert!(
        dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;\"quoted' &amp; more"),
        "the subject as text"
    );
}

#[test]
fn hostile_sni_at_listen_is_text_and_pages_are_numbered() {
    if !(need_openssl() && need_chromium()) {
        return;
    }
    let dir = scratch();
    let page = dir.path().join("srv.html");
    let page_arg = page.to_str().unwrap();
    let mut srv = listen_once(
        "127.0.0.1:0",
        &["--hex", "--html", page_arg, "--timeout", "5"],
    );
    let mut c = Command::new("openssl");
    c.args(["s_client", "-connect", &format!("127.0.0.1:{}", srv.port)]);
    c.args(["-servername", "<script>alert(1)</script>\"x'.test"]);
    let _ = run(c, b"", LIMIT);
    srv.proc.wait_exit(Duration::from_secs(15));
    let first = dir.path().join("srv-1.html");
    let html = std::fs::read_to_string(&first)
        .unwrap_or_else(|e| panic!("no {} ({e}): {}", first.display(), srv.proc.all()));
    assert!(!page.exists(), "listen numbers its pages");
    shown_as_text(&html, "SNI");
    no_external_reference(&html);
    let dom = dom(&first);
    assert!(
        dom.contains("data-we=\"server\""),
        "listen's page is the server's view"
    );
    assert!(!dom.contains("<script>alert(1)"), "markup in the DOM");
    assert!(
        dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;\"x'.test"),
        "the SNI as text"
    );
}

#[test]
fn unwritable_page_is_a_usage_error_before_connecting() {
    let dir = scratch();
    let missing = dir.path().join("no/such/dir/page.html");
    let mut c = tp(["connect", "127.0.0.1:9"]);
    c.arg("--html").arg(&missing);
    let done = run(c, b"", LIMIT);
    assert_eq!(done.code, Some(2), "{}", done.all());
    assert!(
        done.stderr.contains("cannot write the HTML page"),
        "{}",
        done.stderr
    );
    assert!(
        !done.stderr.contains("Connecting"),
        "refused before connecting: {}",
        done.stderr
    );
    let mut c = tp(["listen", "127.0.0.1:0", "--once"]);
    c.arg("--html").arg(&missing);
    let done = run(c, b"", LIMIT);
    assert_eq!(
        done.code,
        Some(2),
        "listen refuses before serving: {}",
        done.all()
    );
    let mut c = tp(["demo"]);
    c.arg("--html").arg(dir.path());
    assert_eq!(run(c, b"", LIMIT).code, Some(2), "a directory is refused");
}

#[test]
fn reconnect_page_has_a_section_per_connection() {
    if !(need_openssl() && need_chromium()) {
        return;
    }
    let leaf = certs().leaf(Key::P256);
    let srv = s_server(leaf, &["-www"], None);
    let dir = scratch();
    let page = dir.path().join("again.html");
    let mut c = tp([
        "connect",
        &format!("127.0.0.1:{}", srv.port),
        "--json",
        "--hex",
    ]);
    c.args(["--reconnect", "--timeout", "5", "--tls", "1.3", "--html"]);
    c.arg(&page).arg("--ca-file").arg(&leaf.cert);
    let done = run(c, b"GET / HTTP/1.0\r\n\r\n", LIMIT);
    assert_eq!(done.code, Some(0), "{}", done.all());
    let dom = dom(&page);
    assert!(
        dom.contains("data-conn=\"1\"") && dom.contains("data-conn=\"2\""),
        "two sections"
    );
    assert!(!dom.contains("data-conn=\"3\""));
    check_messages(&dom, &done.json());
    let second = &dom[dom.find("data-conn=\"2\"").unwrap()..];
    assert!(
        second.contains("resumed"),
        "the second connection's summary says it resumed"
    );
}
