"""The servers under test: `tlsprobe listen` or `openssl s_server`, one per profile, on loopback.

Each server gets a free 127.0.0.1 port, is waited for until it accepts a TCP connection, and is
stopped (terminate, then kill) when the context ends, also after a failure or an interrupt.
"""

import os
import socket
import subprocess
import time

HOST = "127.0.0.1"
# Readiness: at most READY_TRIES connection attempts, READY_PAUSE seconds apart.
READY_TRIES = 200
READY_PAUSE = 0.05
# A port taken between choosing and binding it makes the server exit: try a few ports.
START_ATTEMPTS = 3
STOP_GRACE = 5


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def server_command(kind, binary, port, profile_args):
    """The command line for one server of the given kind ("listen" or "openssl")."""
    if kind == "listen":
        return [binary, "listen", f"{HOST}:{port}", "-q", "--color", "never", *profile_args]
    return ["openssl", "s_server", "-accept", f"{HOST}:{port}", "-quiet", *profile_args]


class Server:
    """A running server; use as a context manager so that it is always stopped."""

    def __init__(self, kind, binary, profile, profile_args, log_path):
        self.kind = kind
        self.binary = binary
        self.profile = profile
        self.profile_args = profile_args
        self.log_path = log_path
        self.port = None
        self.proc = None
        self._log = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        self._log = open(self.log_path, "wb")
        for _ in range(START_ATTEMPTS):
            self.port = free_port()
            cmd = server_command(self.kind, self.binary, self.port, self.profile_args)
            self._log.write(("$ " + " ".join(cmd) + "\n").encode())
            self._log.flush()
            # Own session: a Ctrl-C at the terminal reaches the runner, which stops us.
            self.proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            if self._wait_until_accepting():
                return
            self.stop()
            self._log = open(self.log_path, "ab")
        raise RuntimeError(f"{self.kind} [{self.profile}] did not start: see {self.log_path}")

    def _wait_until_accepting(self):
        for _ in range(READY_TRIES):
            if self.proc.poll() is not None:
                return False
            try:
                with socket.create_connection((HOST, self.port), timeout=1):
                    return True
            except OSError:
                time.sleep(READY_PAUSE)
        return False

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.terminate()
                try:
                    self.proc.wait(STOP_GRACE)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
            self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None


def openssl_available():
    try:
        subprocess.run(["openssl", "version"], capture_output=True, check=True)
        return True
    except (OSError, subprocess.CalledProcessError):
        return False


def binary_ok(path):
    return os.path.isfile(path) and os.access(path, os.X_OK)
