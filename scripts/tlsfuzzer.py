#!/usr/bin/env python3
"""Runs the tlsfuzzer conformance scripts against `tlsprobe listen` (and, to compare, openssl).

Usage: scripts/tlsfuzzer.py [--tlsprobe BIN] [--tlsfuzzer DIR] [--server listen|openssl|both]
                            [--script NAME]... [--profile NAME]... [--jobs N] [--logs DIR]

It builds nothing: BIN defaults to target/release/tlsprobe, DIR to $TLSFUZZER_DIR or
../shared/tlsfuzzer beside the repository (in a git worktree: beside its main checkout; else
/work/shared/tlsfuzzer). The plan (scripts/tlsfuzzer_plan.json) says
which scripts run against which server profile and which cases are excluded or known to fail;
docs/CONFORMANCE.md explains every reason. One server per profile runs on a free 127.0.0.1
port while its scripts run, two at a time, each with a time limit; servers are always stopped.

Prints each script's pass/fail counts, then `tlsfuzzer: N passed, N failed` (N counts cases).
Exits non-zero when a case fails, a known defect starts passing, or the plan is stale. Without
tlsfuzzer or tlslite-ng it says it skipped and exits 0, unless TLSPROBE_REQUIRE_PEERS is set.
`--server both` also runs openssl s_server and prints the side-by-side table for the docs.
"""

import argparse
import os
import signal
import subprocess
import sys
import tempfile
from contextlib import ExitStack

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from tlsfuzzer_jobs import JobRunner  # noqa: E402
from tlsfuzzer_plan import check_plan, expand, load_plan  # noqa: E402
from tlsfuzzer_report import Report, comparison_table  # noqa: E402
from tlsfuzzer_servers import Server, binary_ok, openssl_available  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PIP_INSTALL = 'python3 -m pip install --pre "tlslite-ng==0.9.0b2" ecdsa kyber-py'


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--tlsprobe", default=os.path.join(REPO, "target", "release", "tlsprobe"))
    p.add_argument("--tlsfuzzer", default=os.environ.get("TLSFUZZER_DIR") or default_tlsfuzzer_dir())
    p.add_argument("--plan", default=os.path.join(REPO, "scripts", "tlsfuzzer_plan.json"))
    p.add_argument("--server", choices=["listen", "openssl", "both"], default="listen")
    p.add_argument("--script", action="append", help="run only this script (repeatable)")
    p.add_argument("--profile", action="append", help="run only this profile (repeatable)")
    p.add_argument("--jobs", type=int, default=2, help="scripts run at the same time")
    p.add_argument("--logs", help="keep every script's and server's output in this directory")
    return p.parse_args(argv)


def default_tlsfuzzer_dir():
    """../shared/tlsfuzzer beside the repository (for a git worktree: beside its main checkout)."""
    candidates = [REPO]
    try:
        common = subprocess.run(
            ["git", "-C", REPO, "rev-parse", "--path-format=absolute", "--git-common-dir"],
            capture_output=True,
            text=True,
        )
        if common.returncode == 0 and common.stdout.strip():
            candidates.append(os.path.dirname(common.stdout.strip()))
    except OSError:
        pass  # no git: only the repository's own parent
    paths = [os.path.join(os.path.dirname(root), "shared", "tlsfuzzer") for root in candidates]
    # The workplace's shared directory, for a clone made elsewhere (CI's clean clone).
    paths.append("/work/shared/tlsfuzzer")
    for path in paths:
        if os.path.isdir(path):
            return path
    return paths[0]


def peers_required():
    value = os.environ.get("TLSPROBE_REQUIRE_PEERS", "")
    return value not in ("", "0")


def missing_prerequisite(tlsfuzzer_dir):
    """Why tlsfuzzer cannot run here, or None."""
    for sub in ("scripts", "tlsfuzzer"):
        if not os.path.isdir(os.path.join(tlsfuzzer_dir, sub)):
            return f"no tlsfuzzer checkout at {tlsfuzzer_dir} (set TLSFUZZER_DIR or --tlsfuzzer)"
    probe = subprocess.run(
        [sys.executable, "-c", "import tlslite, ecdsa, tlsfuzzer.runner"],
        env=dict(os.environ, PYTHONPATH=tlsfuzzer_dir),
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        last = (probe.stderr.strip().splitlines() or ["?"])[-1]
        return f"tlslite-ng 0.9 cannot be imported ({last}); install: {PIP_INSTALL}"
    return None


def run_against(kind, args, plan, jobs, log_dir):
    """Start one `kind` server per profile the jobs need, run the jobs, return the Report."""
    strict = kind == "listen"
    report = Report(kind, strict)
    runnable = [j for j in jobs if kind in plan.profiles[j.run.profile]]
    profiles = sorted({j.run.profile for j in runnable})
    data_dir = os.path.join(REPO, "tests", "data", "tlsfuzzer")
    runner = JobRunner(args.tlsfuzzer, data_dir, plan.seed, plan.timeout, log_dir, kind)
    print(f"== {len(runnable)} tlsfuzzer jobs against {kind} ({', '.join(profiles)})", flush=True)
    with ExitStack() as servers:
        ports = {}
        for name in profiles:
            server_args = expand(plan.profiles[name][kind], data_dir)
            log = os.path.join(log_dir, f"server-{kind}-{name}.log")
            server = servers.enter_context(Server(kind, args.tlsprobe, name, server_args, log))
            ports[name] = server.port
        runner.run_all(runnable, ports, strict, max(1, args.jobs), report.add)
    return report


def main(argv):
    args = parse_args(argv)
    # Stop cleanly on SIGTERM, and on SIGINT even when started in the background (where a shell
    # leaves it ignored): the servers and scripts are then killed, not left running.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    why = missing_prerequisite(args.tlsfuzzer)
    if why:
        if peers_required():
            print(f"tlsfuzzer: required (TLSPROBE_REQUIRE_PEERS is set) but {why}")
            return 1
        print(f"tlsfuzzer: skipped: {why}")
        return 0
    kinds = ["listen", "openssl"] if args.server == "both" else [args.server]
    if "listen" in kinds and not binary_ok(args.tlsprobe):
        print(f"tlsfuzzer: no tlsprobe binary at {args.tlsprobe} (cargo build --release)")
        return 2
    if "openssl" in kinds and not openssl_available():
        print("tlsfuzzer: openssl is needed for --server openssl/both")
        return 2
    plan = load_plan(args.plan)
    problems = check_plan(
        plan, os.path.join(args.tlsfuzzer, "scripts"), os.path.join(REPO, "docs", "CONFORMANCE.md")
    )
    for problem in problems:
        print(f"plan: {problem}")
    if problems:
        return 2
    jobs = plan.jobs(args.script, args.profile)
    if not jobs:
        print("tlsfuzzer: no run in the plan matches --script/--profile")
        return 2
    with ExitStack() as stack:
        log_dir = args.logs or stack.enter_context(tempfile.TemporaryDirectory(prefix="tlsfuzzer-"))
        os.makedirs(log_dir, exist_ok=True)
        reports = [run_against(kind, args, plan, jobs, log_dir) for kind in kinds]
    if args.server == "both":
        reports[1].finish(len(plan.not_run), closing_line=False)
        print()
        print(comparison_table(jobs, reports[0], reports[1]))
        print()
    return reports[0].finish(len(plan.not_run))


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        print("tlsfuzzer: interrupted", flush=True)
        sys.exit(130)
