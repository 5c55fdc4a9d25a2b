"""Running tlsfuzzer scripts: one subprocess per job, in a small pool, with a time limit each.

Scripts run under a fixed random seed (their `-n` sampling uses Python's `random`) and a fixed
hash seed, so that the same plan runs the same cases every time. Every child is started in its
own session and killed on timeout or when the runner is interrupted.
"""

import os
import subprocess
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

from tlsfuzzer_plan import expand
from tlsfuzzer_results import Result, parse_summary
from tlsfuzzer_servers import HOST

# Seeds `random`, then runs the script as __main__ (argv: SEED SCRIPT ARGS...).
_LAUNCH = (
    "import random, runpy, sys; random.seed(int(sys.argv[1])); "
    "sys.argv = sys.argv[2:]; runpy.run_path(sys.argv[0], run_name='__main__')"
)


def script_command(job, port, seed, scripts_dir, data_dir, strict_expectations):
    """The command line of one job (see tlsfuzzer_plan.Job)."""
    run = job.run
    cmd = [sys.executable, "-c", _LAUNCH, str(seed), os.path.join(scripts_dir, run.script)]
    cmd += ["-h", HOST, "-p", str(port), *expand(run.args, data_dir)]
    if job.kind == "main":
        for name in [*run.excluded_cases, *run.defect_cases]:
            cmd += ["-e", name]
        return cmd
    if strict_expectations:
        for name in run.defect_cases:
            cmd += ["-x", name]
    # getopt stops at the first operand: the case names come last.
    return cmd + run.defect_cases


class JobRunner:
    """Runs jobs in a pool; `interrupt` kills whatever is still running."""

    def __init__(self, tlsfuzzer_dir, data_dir, seed, default_timeout, log_dir, log_prefix):
        self.scripts_dir = os.path.join(tlsfuzzer_dir, "scripts")
        self.data_dir = data_dir
        self.seed = seed
        self.default_timeout = default_timeout
        self.log_dir = log_dir
        self.log_prefix = log_prefix
        self.env = dict(os.environ, PYTHONPATH=tlsfuzzer_dir, PYTHONHASHSEED="0")
        self._children = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()

    def run_all(self, jobs, ports, strict_expectations, workers, on_result):
        """Run `jobs` (each against ports[job.run.profile]); call on_result as each ends."""
        pool = ThreadPoolExecutor(max_workers=workers)
        try:
            pending = {
                pool.submit(self.run_one, job, ports[job.run.profile], strict_expectations, i)
                for i, job in enumerate(jobs)
            }
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    on_result(future.result())
        except BaseException:
            self.interrupt()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def run_one(self, job, port, strict_expectations, index):
        cmd = script_command(
            job, port, self.seed, self.scripts_dir, self.data_dir, strict_expectations
        )
        slug = job.run.script[:-3] + "-" + job.run.profile + ("" if job.kind == "main" else "-defects")
        log_path = os.path.join(self.log_dir, f"{self.log_prefix}-{index:03d}-{slug}.log")
        timeout = job.run.timeout or self.default_timeout
        result = Result(job, log_path=log_path)
        started = time.monotonic()
        with open(log_path, "wb") as log:
            log.write(("$ " + " ".join(cmd[3:]) + "\n").encode())
            log.flush()
            result.error = self._execute(cmd, log, timeout)
        result.seconds = time.monotonic() - started
        with open(log_path, encoding="utf-8", errors="replace") as log:
            result.counts = parse_summary(log.read())
        if result.counts is not None and result.error.startswith("exit status"):
            result.error = ""  # a non-zero exit with a summary: the counts say why
        return result

    def _execute(self, cmd, log, timeout):
        if self._stopping.is_set():
            return "not started: interrupted"
        proc = subprocess.Popen(
            cmd,
            cwd=self.log_dir,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        with self._lock:
            self._children.add(proc)
        try:
            status = proc.wait(timeout)
            return f"exit status {status}" if status else ""
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            return f"timed out after {timeout} s"
        finally:
            with self._lock:
                self._children.discard(proc)

    def interrupt(self):
        self._stopping.set()
        with self._lock:
            children = list(self._children)
        for proc in children:
            if proc.poll() is None:
                proc.kill()
