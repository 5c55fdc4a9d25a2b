"""Reading a tlsfuzzer script's summary and judging it against the plan.

Every script ends with `TOTAL / SKIP / PASS / XFAIL / FAIL / XPASS` counts and the names of the
FAILED and XPASSED cases. Counts are cases as the script counts them ("sanity" runs twice,
before and after the others).
"""

import re
from dataclasses import dataclass, field

_SUMMARY = re.compile(
    r"^TOTAL: (\d+)\nSKIP: (\d+)\nPASS: (\d+)\nXFAIL: (\d+)\nFAIL: (\d+)\nXPASS: (\d+)$", re.M
)
_LISTED_CASE = re.compile(r"^\t'(.*)'$")


@dataclass
class Counts:
    total: int
    skip: int
    passed: int
    xfail: int
    failed: int
    xpass: int
    failed_cases: list = field(default_factory=list)
    xpassed_cases: list = field(default_factory=list)


def parse_summary(text):
    """The counts of the last summary in a script's output, or None when there is none."""
    matches = list(_SUMMARY.finditer(text))
    if not matches:
        return None
    m = matches[-1]
    counts = Counts(*map(int, m.groups()))
    tail = text[m.end():]
    counts.failed_cases = _listed(tail, "FAILED:")
    counts.xpassed_cases = _listed(tail, "XPASSED:")
    return counts


def _listed(tail, heading):
    names = []
    lines = tail.splitlines()
    if heading not in lines:
        return names
    for line in lines[lines.index(heading) + 1:]:
        m = _LISTED_CASE.match(line)
        if not m:
            break
        names.append(m.group(1))
    return names


@dataclass
class Result:
    """What one job did: its counts (None when the script crashed or timed out)."""

    job: object
    counts: Counts = None
    error: str = ""
    seconds: float = 0.0
    log_path: str = ""

    # The judgement, filled in by `judge`.
    passed: int = 0
    failed: int = 0
    expected_failures: int = 0
    problems: list = field(default_factory=list)


def judge(result, strict_expectations):
    """Fill in passed/failed/problems.

    With `strict_expectations` (listen), defect cases run with `-x`: each must fail (XFAIL);
    one that passes (XPASS) is a failure of the run, so that the plan is kept current. Without
    (openssl), the defect cases are plain cases and only their pass/fail is counted.
    """
    job, c = result.job, result.counts
    if c is None:
        result.failed = 1
        result.problems.append(result.error or "no summary in the script's output")
        return result
    result.passed = c.passed
    result.failed = c.failed
    if job.kind == "main":
        # Without -x from us, XFAIL/XPASS are the script's own expectations: its verdict counts.
        result.passed += c.xfail
        result.failed += c.xpass
        excluded = len(job.run.excluded_cases) + len(job.run.defect_cases)
        if strict_expectations and c.skip != excluded:
            result.problems.append(
                f"{excluded} cases excluded but the script skipped {c.skip}: "
                "a name in the plan does not match a case (renamed upstream?)"
            )
    else:
        wanted = len(job.run.defect_cases)
        if c.total != wanted:
            result.problems.append(f"{wanted} known-defect cases named but {c.total} ran")
        if strict_expectations:
            result.expected_failures = c.xfail
            result.failed += c.xpass
            for name in c.xpassed_cases:
                result.problems.append(
                    f"known defect now passes, remove it from expected_fail: {name!r}"
                )
    if c.failed_cases:
        result.problems.append("failed: " + ", ".join(repr(n) for n in c.failed_cases))
    if result.problems and result.failed == 0:
        result.failed = 1
    return result
