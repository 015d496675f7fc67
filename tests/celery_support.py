"""Pointing the web process's Celery app at another broker for a while: a private one, or one that is down (and
the port of a server that is down)."""

import contextlib
import socket


@contextlib.contextmanager
def web_app_on(app, broker_url):
    """Point the web process's Celery app at ``broker_url`` (not eager); the suite's settings and pools come back after."""
    keys = ("task_always_eager", "broker_write_url", "broker_read_url")
    saved = {key: app.conf.get(key) for key in keys}
    pools = app._pool, app.amqp._producer_pool
    # The read/write URLs, because CELERY_BROKER_URL in the environment (the suite's broker) beats broker_url.
    app.conf.update(task_always_eager=False, broker_write_url=broker_url, broker_read_url=broker_url)
    app._pool = app.amqp._producer_pool = None  # fresh pools for this broker
    try:
        yield app
    finally:
        app.conf.update(saved)
        app._pool, app.amqp._producer_pool = pools


def unused_loopback_port() -> int:
    """A loopback port nothing listens on: a connection to it is refused, as by a server that is down."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def down_broker_url() -> str:
    """A Redis URL on a loopback port nothing listens on: every publish is refused, as by a broker that is down."""
    return f"redis://127.0.0.1:{unused_loopback_port()}/0"
