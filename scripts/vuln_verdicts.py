#!/usr/bin/env python3
"""Side by side: the verdicts of tlsprobe's vulnerability checks and of testssl.sh and sslyze on
the same server, read from their JSON files. One mapping table per tool (tlsprobe id -> the
tool's id or result), read generically: every check in tlsprobe's "vulnerabilities" map is
listed, a check the tool does not run is "-" (not compared). Used by scripts/bench_scan.sh and
tests/scan_compare.rs.

usage: vuln_verdicts.py --tlsprobe T.json [--testssl X.json] [--sslyze Y.json] [--json]

Verdicts are tlsprobe's words: vulnerable, not_vulnerable, not_applicable, unknown. Two verdicts
agree when both are vulnerable or both are one of not_vulnerable/not_applicable (the tools
differ on which of the two a server without the feature gets); an unknown on either side is
not compared. Prints a table (or, with --json, one object: {"rows": [...], "disagree": n}) and
exits 0; 3 when a file cannot be read.
"""
import argparse
import json
import sys

# tlsprobe id -> testssl.sh --jsonfile ids, first present wins. testssl's POODLE_SSL is the
# SSL 3.0 attack; tlsprobe's poodle_tls the TLS padding one: they agree on servers without
# SSL 3.0 CBC and with correct TLS padding checks, which is what the comparison runs on.
TESTSSL = {
    "heartbleed": ["heartbleed"],
    "ccs_injection": ["CCS"],
    "ticketbleed": ["ticketbleed"],
    "robot": ["ROBOT"],
    "sslv2": ["SSLv2", "DROWN"],
    "client_renegotiation": ["secure_client_renego"],
    "insecure_renegotiation": ["secure_renego"],
    "breach": ["BREACH"],
    "poodle_tls": ["POODLE_SSL"],
    "lucky13": ["LUCKY13"],
    "sweet32": ["SWEET32"],
    "freak": ["FREAK"],
    "logjam": ["LOGJAM"],
    "beast": ["BEAST"],
}


def testssl_verdict(entry):
    """A testssl.sh finding ({"id","severity","finding"}) as a verdict."""
    sev = entry.get("severity", "")
    text = entry.get("finding", "").lower()
    if entry.get("id") == "SSLv2":
        return "vulnerable" if "not offered" not in text else "not_vulnerable"
    if entry.get("id") == "secure_renego":
        return "not_vulnerable" if sev == "OK" else "vulnerable" if "not supported" in text else "unknown"
    if sev == "OK":
        return "not_vulnerable"
    if "not applicable" in text or "no https" in text or "not tested" in text:
        return "not_applicable" if "not applicable" in text else "unknown"
    if sev in ("LOW", "MEDIUM", "HIGH", "CRITICAL") or (
        "vulnerable" in text and "not vulnerable" not in text
    ):
        return "vulnerable"
    if "not vulnerable" in text:
        return "not_vulnerable"
    return "unknown"


def read_testssl(path):
    entries = json.load(open(path))
    by_id = {}
    for e in entries:
        by_id.setdefault(e.get("id"), e)
    out = {}
    for ours, ids in TESTSSL.items():
        for i in ids:
            if i in by_id:
                out[ours] = (testssl_verdict(by_id[i]), f"{i}: {by_id[i].get('finding', '')}")
                break
    return out


def _bool(v, yes="vulnerable", no="not_vulnerable"):
    return "unknown" if v is None else yes if v else no


ROBOT = {
    "VULNERABLE_STRONG_ORACLE": "vulnerable",
    "VULNERABLE_WEAK_ORACLE": "vulnerable",
    "NOT_VULNERABLE_NO_ORACLE": "not_vulnerable",
    "NOT_VULNERABLE_RSA_NOT_SUPPORTED": "not_applicable",
}

# tlsprobe id -> (sslyze scan command, how its result reads as a verdict).
SSLYZE = {
    "heartbleed": ("heartbleed", lambda r: _bool(r.get("is_vulnerable_to_heartbleed"))),
    "ccs_injection": ("openssl_ccs_injection", lambda r: _bool(r.get("is_vulnerable_to_ccs_injection"))),
    "robot": ("robot", lambda r: ROBOT.get(r.get("robot_result"), "unknown")),
    "sslv2": ("ssl_2_0_cipher_suites", lambda r: _bool(bool(r.get("accepted_cipher_suites")))),
    "client_renegotiation": (
        "session_renegotiation",
        lambda r: _bool(r.get("is_vulnerable_to_client_renegotiation_dos")),
    ),
    "insecure_renegotiation": (
        "session_renegotiation",
        lambda r: _bool(r.get("supports_secure_renegotiation"), "not_vulnerable", "vulnerable"),
    ),
    "zero_rtt": ("tls_1_3_early_data", lambda r: _bool(r.get("supports_early_data"))),
}


def read_sslyze(path):
    doc = json.load(open(path))
    results = doc["server_scan_results"][0].get("scan_result") or {}
    out = {}
    for ours, (cmd, read) in SSLYZE.items():
        attempt = results.get(cmd) or {}
        if attempt.get("status") == "COMPLETED":
            out[ours] = (read(attempt["result"]), cmd)
        elif attempt.get("status") == "ERROR":
            out[ours] = ("unknown", f"{cmd}: {attempt.get('error_reason')}")
    return out


def agree(a, b):
    """True/False when both verdicts are known, None when either is unknown or missing."""
    if a in (None, "unknown") or b in (None, "unknown"):
        return None
    return (a == "vulnerable") == (b == "vulnerable")


def rows(tlsprobe, testssl, sslyze):
    out = []
    for check, ours in tlsprobe.get("vulnerabilities", {}).items():
        t, t_said = testssl.get(check, (None, None)) if testssl is not None else (None, None)
        s, s_said = sslyze.get(check, (None, None)) if sslyze is not None else (None, None)
        out.append({
            "check": check,
            "tlsprobe": ours,
            "testssl": t,
            "sslyze": s,
            "testssl_said": t_said,
            "sslyze_said": s_said,
            "agree_testssl": agree(ours, t),
            "agree_sslyze": agree(ours, s),
        })
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tlsprobe", required=True)
    ap.add_argument("--testssl")
    ap.add_argument("--sslyze")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    try:
        tp = json.load(open(a.tlsprobe))
        ts = read_testssl(a.testssl) if a.testssl else None
        sy = read_sslyze(a.sslyze) if a.sslyze else None
    except (OSError, ValueError, KeyError, IndexError) as e:
        print(f"vuln_verdicts: cannot read the results: {e}", file=sys.stderr)
        return 3
    rs = rows(tp, ts, sy)
    disagree = sum(1 for r in rs if False in (r["agree_testssl"], r["agree_sslyze"]))
    if a.json:
        print(json.dumps({"rows": rs, "disagree": disagree}))
        return 0
    mark = {True: "", False: "  <-- differs", None: ""}
    print(f"  {'check':24} {'tlsprobe':16} {'testssl.sh':16} {'sslyze':16}")
    for r in rs:
        note = mark[r["agree_testssl"]] or mark[r["agree_sslyze"]]
        print(f"  {r['check']:24} {r['tlsprobe']:16} {r['testssl'] or '-':16} {r['sslyze'] or '-':16}{note}")
    print(f"  verdicts that differ: {disagree}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
