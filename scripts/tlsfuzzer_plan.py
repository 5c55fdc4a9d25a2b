"""The tlsfuzzer plan: which scripts run against which server profile, with what exclusions.

The plan is `scripts/tlsfuzzer_plan.json`. It names every `test-*.py` script of the tlsfuzzer
checkout: either under `not_run` (with a reason key) or in one or more `runs`. Each run names a
profile (the server options), the script's arguments, the cases excluded with `-e` (grouped
under a reason key) and the cases expected to fail (grouped under `defect-<name>` keys: real
defects, run on their own with `-x` so that the runner notices when one starts passing).
Every reason key must be explained in docs/CONFORMANCE.md; `check_plan` enforces that.
"""

import json
import os
from dataclasses import dataclass, field

# Placeholder in profile and script arguments for the directory of the test certificates.
DATA_PLACEHOLDER = "{data}"


@dataclass
class Run:
    """One script against one profile."""

    script: str
    profile: str
    args: list
    # reason key -> case names (excluded with -e)
    exclude: dict = field(default_factory=dict)
    # defect-<name> key -> case names (run apart, each expected to fail)
    expected_fail: dict = field(default_factory=dict)
    timeout: int = 0

    @property
    def label(self):
        return f"{self.script} [{self.profile}]"

    @property
    def excluded_cases(self):
        return [case for cases in self.exclude.values() for case in cases]

    @property
    def defect_cases(self):
        return [case for cases in self.expected_fail.values() for case in cases]


@dataclass
class Job:
    """One invocation of a script: the regular cases, or the known-defect cases by name."""

    run: Run
    # "main": every case but the excluded and expected-fail ones (sampled with -n by the
    # script's own rule); "defects": only the expected-fail cases, named on the command line.
    kind: str

    @property
    def label(self):
        suffix = "" if self.kind == "main" else " known defects"
        return self.run.label + suffix


@dataclass
class Plan:
    seed: int
    timeout: int
    profiles: dict
    not_run: dict
    runs: list

    def jobs(self, only_scripts=None, only_profiles=None):
        """The invocations to make, in plan order, filtered by script and profile names."""
        out = []
        for run in self.runs:
            if only_scripts and run.script not in only_scripts:
                continue
            if only_profiles and run.profile not in only_profiles:
                continue
            out.append(Job(run, "main"))
            if run.expected_fail:
                out.append(Job(run, "defects"))
        return out


def load_plan(path):
    with open(path, encoding="utf-8") as f:
        raw = json.load(f)
    runs = [
        Run(
            script=r["script"],
            profile=r["profile"],
            args=r.get("args", []),
            exclude=r.get("exclude", {}),
            expected_fail=r.get("expected_fail", {}),
            timeout=r.get("timeout", 0),
        )
        for r in raw["runs"]
    ]
    return Plan(
        seed=raw["seed"],
        timeout=raw["timeout"],
        profiles=raw["profiles"],
        not_run=raw.get("not_run", {}),
        runs=runs,
    )


def check_plan(plan, scripts_dir, conformance_doc):
    """Problems that make the plan untrustworthy: unknown scripts, profiles or reasons."""
    problems = []
    present = sorted(n for n in os.listdir(scripts_dir) if n.startswith("test-") and n.endswith(".py"))
    planned = {r.script for r in plan.runs}
    for name in planned & set(plan.not_run):
        problems.append(f"{name} is both run and listed under not_run")
    for name in (planned | set(plan.not_run)) - set(present):
        problems.append(f"{name} is in the plan but not in {scripts_dir}")
    for name in set(present) - planned - set(plan.not_run):
        problems.append(f"{name} is neither run nor listed under not_run (new script?)")
    for run in plan.runs:
        if run.profile not in plan.profiles:
            problems.append(f"{run.label}: unknown profile")
        for key in run.expected_fail:
            if not key.startswith("defect-"):
                problems.append(f"{run.label}: expected_fail key {key!r} must be defect-<name>")
        for case in set(run.excluded_cases) & set(run.defect_cases):
            problems.append(f"{run.label}: {case!r} is both excluded and expected to fail")
        for name, cases in (("exclude", run.excluded_cases), ("expected_fail", run.defect_cases)):
            if len(set(cases)) != len(cases):
                problems.append(f"{run.label}: a case is listed twice under {name}")
    problems.extend(_undocumented_reasons(plan, conformance_doc))
    return problems


def _undocumented_reasons(plan, conformance_doc):
    try:
        with open(conformance_doc, encoding="utf-8") as f:
            doc = f.read()
    except OSError as e:
        return [f"cannot read {conformance_doc}: {e}"]
    keys = set(plan.not_run.values())
    for run in plan.runs:
        keys.update(run.exclude)
        keys.update(run.expected_fail)
    return [
        f"reason `{key}` is used in the plan but not explained in {conformance_doc}"
        for key in sorted(keys)
        if f"`{key}`" not in doc
    ]


def expand(args, data_dir):
    """Arguments with the certificate directory placeholder filled in."""
    return [a.replace(DATA_PLACEHOLDER, data_dir) for a in args]
