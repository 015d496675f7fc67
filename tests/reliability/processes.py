"""Processes the fault tests start and stop themselves: a private Redis and dedicated Celery workers.

Every process runs in its own session (process group) so a SIGKILL reaches the whole of it, and the
context managers stop them even when the test fails.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

from tests.celery_support import unused_loopback_port as free_port

ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")


def wait_until(predicate, timeout=60.0, interval=0.2, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {message}")


def kill_group(process, sig=signal.SIGKILL):
    """Signal the process and everything it started (its own process group)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(20)


class PrivateRedis:
    """``redis-server`` on a free port, no persistence: ``start()``, ``kill()``, ``start()`` again on the same port."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self):
        server = shutil.which("redis-server")
        assert server, "redis-server is needed for the broker fault tests"
        self.process = subprocess.Popen(
            [server, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        wait_until(self.answers, 20, message=f"redis-server on port {self.port}")
        return self

    def kill(self):
        if self.process is not None:
            kill_group(self.process)
            self.process = None
        wait_until(lambda: not self.answers(), 10, message="redis-server to stop")


def worker_env(broker_url: str) -> dict:
    """The environment of the suite's worker, pointed at this test's database and ``broker_url``."""
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or "5432"
    env = {k: v for k, v in os.environ.items() if k != "TEST_DATABASE_NAME"}
    env.update(
        DJANGO_SETTINGS_MODULE="creditrepair.settings.test",
        DATABASE_URL=f"postgres://{user}{password}@{host}:{port}/{db['NAME']}",
        CELERY_BROKER_URL=broker_url,
        CELERY_RESULT_BACKEND=broker_url,
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        DOCUMENT_SIGNING_DIR=str(settings.DOCUMENT_SIGNING_DIR),
    )
    return env


class Worker:
    """A dedicated Celery worker (solo pool: the task runs in the process we kill) on its own queues."""

    def __init__(self, broker_url, queues=("celery",), log_dir=None):
        self.broker_url, self.queues = broker_url, queues
        self.name = f"reliability-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"
        self.log = Path(log_dir or "/tmp") / f"celery-{self.name.split('@')[0]}.log"
        self.process = None

    def start(self):
        self.log = self.log.with_name(f"celery-{self.name.split('@')[0]}-{uuid.uuid4().hex[:4]}.log")
        self.process = subprocess.Popen(
            [str(CELERY), "-A", "creditrepair", "worker", "--pool=solo", "--loglevel=INFO", "-n", self.name,
             "-Q", ",".join(self.queues), "--without-mingle", "--without-gossip", "--without-heartbeat"],
            cwd=ROOT, env=worker_env(self.broker_url), stdout=self.log.open("ab"), stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
        wait_until(lambda: self.ready() or self._exited(), 60, message=f"worker {self.name} to start")
        assert self.process.poll() is None, f"worker exited: {self.log.read_text()[-3000:]}"
        return self

    def _exited(self):
        return self.process.poll() is not None

    def ready(self):
        return self.log.exists() and " ready." in self.log.read_text(errors="replace")

    def kill(self, sig=signal.SIGKILL):
        if self.process is not None:
            kill_group(self.process, sig)
            self.process = None

    def stop(self):
        if self.process is not None:
            kill_group(self.process, signal.SIGTERM)
            self.kill()


@contextlib.contextmanager
def running(*things):
    """Stop every started process on the way out, whatever happened."""
    try:
        yield things
    finally:
        for thing in things:
            with contextlib.suppress(Exception):
                (thing.stop if hasattr(thing, "stop") else thing.kill)()
