"""Shared pieces of the fault tests: a broker that is down or hung, and waiting for a condition."""

import contextlib
import socket
import threading
import time

import pytest

from config.celery import app
from tests.markers import needs_broker, needs_database_server


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@contextlib.contextmanager
def broker_at(url: str):
    """Send tasks to ``url`` for real (not in-process) within the block."""
    keys = ("broker_url", "broker_write_url", "broker_read_url", "task_always_eager")
    saved = {key: app.conf[key] for key in keys}
    app.conf.update(broker_url=url, broker_write_url=url, broker_read_url=url, task_always_eager=False)
    app._pool = None  # connections and producers of the previous broker are not reused
    app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.update(saved)
        app._pool = None
        app.amqp._producer_pool = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down():
    """Nothing listens on the broker's port: connections are refused."""
    with broker_at(f"redis://127.0.0.1:{free_port()}/0"):
        yield


@pytest.fixture
def redis_hung():
    """Something accepts connections on the broker's port and never answers (a hung Redis)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held = []

    def accept():
        with contextlib.suppress(OSError):
            while True:
                held.append(server.accept()[0])

    threading.Thread(target=accept, daemon=True).start()
    try:
        with broker_at(f"redis://127.0.0.1:{server.getsockname()[1]}/0"):
            yield
    finally:
        server.close()
        for conn in held:
            conn.close()


def worker_env(media, **extra) -> dict:
    """The environment of a worker process on the test database (PostgreSQL) and media."""
    import os

    from django.db import connection

    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/"
        + db["NAME"],
        "DJANGO_MEDIA_ROOT": str(media),
        **extra,
    }


def start_worker(app_module: str, queue: str, *, hostname: str, env: dict, log):
    """A real `celery worker` process: prefork, one child, on its own queue."""
    import subprocess
    import sys

    return subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            app_module,
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "-n",
            hostname,
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "info",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )


def stop(worker) -> None:
    import subprocess

    worker.terminate()
    try:
        worker.wait(20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(5)


# a real worker is another process: it needs the broker and a database it can reach
needs_real_worker = [
    pytest.mark.django_db(transaction=True),
    needs_broker,
    needs_database_server,
]
