"""The benchmarks at tiny size (no targets), so that ``make bench`` never rots (issue 7).

Runs ``python -m bench.run`` in a subprocess against its own throw-away database
(``creditrepair_bench_smoke``): the generator, the public lookup under gunicorn, the queue, the
commitment letter, the expiry sweep (with the kill-and-re-run check, which asserts its counts) and
both lifecycles on the generated database and on one a tenth its size.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
SMOKE_DB = "creditrepair_bench_smoke"

pytestmark = pytest.mark.postgres


def _admin():
    return psycopg.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres", autocommit=True)


def test_bench_runs_every_benchmark_at_tiny_size(tmp_path):
    try:
        _admin().close()
    except psycopg.OperationalError:
        pytest.skip("no PostgreSQL on 127.0.0.1:5432")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "bench.settings",
           "BENCH_DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{SMOKE_DB}", "BENCH_OUT": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    try:
        run = subprocess.run(
            [sys.executable, "-m", "bench.run", "--records", "200", "--cases", "20", "--due", "200",
             "--lifecycle", "2", "--objection-factor", "2", "--duration", "1", "--letter-runs", "1",
             "--port", "8799"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
        )
        assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-4000:]
        results = json.loads((tmp_path / "results.json").read_text())
    finally:
        with _admin() as admin:
            for name in (SMOKE_DB, f"{SMOKE_DB}_small"):  # the lifecycles' smaller database, if a failure left it
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert results["public"]["subject"]["app"]["rps"] > 0 and results["public"]["case"]["bare"]["rps"] > 0
    assert results["sweep"]["kill"]["final"]["dup_history"] == 0
    assert results["sweep"]["app"]["counts"]["notices"] == results["sweep"]["sql"]["counts"]["notices"] > 0
    assert results["queue"]["5"]["queries"] == results["queue"]["50"]["queries"]
    assert results["letter"]["app_s"] > 0 and results["lifecycle"]["objection"]["cases"] == 4
    assert results["lifecycle"]["repair"]["large_held"] > results["lifecycle"]["repair"]["small_held"]
