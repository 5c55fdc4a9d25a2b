"""What the runner prints: one line per script run, the totals, and the comparison table.

Counts are cases (tlsfuzzer "probes"), as the scripts count them. The closing line is
`tlsfuzzer: N passed, N failed`; a script that crashed or timed out, or whose exclusions no
longer match its cases, counts as one failed case.
"""

import sys

from tlsfuzzer_results import judge

# Lines of a failing script's output shown in the runner's output (its log may be temporary).
LOG_TAIL_LINES = 30


class Report:
    def __init__(self, server_kind, strict_expectations):
        self.server_kind = server_kind
        self.strict = strict_expectations
        self.results = []

    def add(self, result):
        judge(result, self.strict)
        self.results.append(result)
        run = result.job.run
        ok = result.failed == 0
        if result.job.kind == "defects" and self.strict:
            status = "XFAIL" if ok else "FAIL"
            detail = f"{result.expected_failures} failing as expected"
            if result.failed:
                detail += f", {result.failed} not"
        else:
            status = "PASS" if ok else "FAIL"
            detail = f"{result.passed} passed, {result.failed} failed"
            if result.job.kind == "main" and run.exclude:
                detail += f", {len(run.excluded_cases)} excluded"
        print(f"{status:5} {result.job.label}: {detail} ({result.seconds:.0f} s)", flush=True)
        if result.job.kind == "defects" and self.strict:
            for key, cases in run.expected_fail.items():
                print(f"      {key}: " + ", ".join(repr(c) for c in cases))
        if not ok:
            for problem in result.problems:
                print(f"      {problem}")
            if self.strict:
                self._show_log_tail(result.log_path)
        sys.stdout.flush()

    @staticmethod
    def _show_log_tail(path):
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                lines = f.read().splitlines()
        except OSError:
            return
        print(f"      --- last lines of {path}")
        for line in lines[-LOG_TAIL_LINES:]:
            print(f"      | {line}")

    def totals(self):
        passed = sum(r.passed for r in self.results)
        failed = sum(r.failed for r in self.results)
        expected = sum(r.expected_failures for r in self.results)
        return passed, failed, expected

    def finish(self, not_run_scripts, closing_line=True):
        """Print the totals and (unless told not to) the closing line; the exit status."""
        passed, failed, expected = self.totals()
        excluded = sum(len(r.job.run.excluded_cases) for r in self.results if r.job.kind == "main")
        scripts = len({r.job.run.script for r in self.results})
        print(
            f"tlsfuzzer against {self.server_kind}: {scripts} scripts run, {not_run_scripts} not run "
            f"(see docs/CONFORMANCE.md); cases: {passed} passed, {failed} failed, "
            f"{expected} known defects failed as expected (XFAIL), {excluded} excluded"
        )
        if closing_line:
            print(f"tlsfuzzer: {passed} passed, {failed} failed")
        return 1 if failed else 0


def _per_run(report):
    """(passed, failed) per plan run, defect cases included, known defects counted as failed."""
    out = {}
    for r in report.results:
        key = id(r.job.run)
        p, f = out.get(key, (0, 0))
        c = r.counts
        if c is None:
            out[key] = (p, f + 1)
        elif r.job.kind == "main":
            out[key] = (p + c.passed + c.xfail, f + c.failed + c.xpass)
        else:
            out[key] = (p + c.passed + c.xpass, f + c.failed + c.xfail)
    return out


def comparison_table(jobs, listen, openssl):
    """Markdown: script, profile, cases run, listen pass/fail, openssl pass/fail."""
    lp, op = _per_run(listen), _per_run(openssl)
    rows = [
        "| script | profile | cases | listen pass | listen fail | openssl pass | openssl fail |",
        "|---|---|--:|--:|--:|--:|--:|",
    ]
    totals = [0, 0, 0, 0]
    seen = set()
    for job in jobs:
        run = job.run
        if id(run) in seen:
            continue
        seen.add(id(run))
        l_pass, l_fail = lp.get(id(run), (0, 0))
        cells = [f"{l_pass}", f"{l_fail}"]
        if id(run) in op:
            o_pass, o_fail = op[id(run)]
            cells += [f"{o_pass}", f"{o_fail}"]
            for i, v in enumerate((l_pass, l_fail, o_pass, o_fail)):
                totals[i] += v
        else:
            cells += ["n/a", "n/a"]
        cases = l_pass + l_fail
        rows.append(f"| {run.script} | {run.profile} | {cases} | " + " | ".join(cells) + " |")
    rows.append(
        f"| **total** (rows run on both) | | {totals[0] + totals[1]} | {totals[0]} | {totals[1]} "
        f"| {totals[2]} | {totals[3]} |"
    )
    return "\n".join(rows)
