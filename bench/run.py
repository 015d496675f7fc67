"""The five benchmarks of issue 7, each a ratio against a baseline measured in the same run on the same data.

``python -m bench.run`` (``make bench``) generates the data (bench.generate), then runs:
1. public lookup under gunicorn (2 workers) loaded by wrk, against a bare Django view (bench.urls);
2. the expiry sweep vs a set-based SQL script and a bare UPDATE, each on a fresh copy of the database,
   plus peak memory and the kill-and-re-run check;
3. the commitment letter through the document service vs bare WeasyPrint on the same HTML;
4. the repair and objection lifecycles at two sizes (per-case time ratio);
5. a department's objection queue (server time, queries vs page size).
Prints a table and writes var/bench/results.json and var/bench/results.md.
"""

import argparse
import datetime as dt
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

ROOT = Path(settings.BASE_DIR)
OUT = Path(os.environ.get("BENCH_OUT") or ROOT / "var" / "bench")
PYTHON = sys.executable


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def log(msg):
    print(msg, flush=True)


def _env(**extra):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(ROOT)}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def _db_params():
    p = settings.DATABASES["default"]
    return {"host": p.get("HOST") or "127.0.0.1", "port": p.get("PORT") or 5432, "user": p.get("USER") or "postgres"}


def _admin():
    import psycopg

    return psycopg.connect(**_db_params(), dbname="postgres", autocommit=True)


# --------------------------------------------------------------------------- 1. public lookup


def _wrk(url_base, paths, duration, connections):
    """Run wrk over ``paths``; returns requests/s and p99 latency in ms."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        f.write("\n".join(paths))
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "-s", str(ROOT / "bench" / "public.lua"),
         url_base], capture_output=True, text=True, env={**os.environ, "BENCH_PATHS": f.name}, timeout=duration + 30,
    ).stdout
    os.unlink(f.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p99_ms": p99_ms, "errors": int(non2xx.group(1)) if non2xx else 0}


def _pyload(url_base, paths, duration, connections):
    """A threaded load generator for machines without wrk (the CI smoke run)."""
    import http.client
    import threading
    from urllib.parse import urlparse

    u = urlparse(url_base)
    latencies, errors, stop = [], [0], time.perf_counter() + duration

    def worker(offset):
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
        i = offset
        while time.perf_counter() < stop:
            t = time.perf_counter()
            conn.request("GET", paths[i % len(paths)])
            resp = conn.getresponse()
            resp.read()
            latencies.append(time.perf_counter() - t)
            if resp.status != 200:
                errors[0] += 1
            i += connections

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(connections)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    latencies.sort()
    return {"rps": len(latencies) / duration, "p99_ms": latencies[int(len(latencies) * 0.99) - 1] * 1000,
            "errors": errors[0]}


def bench_public(info, *, duration=20, connections=8, port=8765):
    """Throughput and p99 of the two public endpoints vs the bare views, same gunicorn, same database."""
    connection.close()
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--access-logfile", "-",
         "--log-level", "warning", "bench.wsgi:application"],
        cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        import urllib.request

        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/bench/bare/subjects/{info['subject_codes'][0]}/records", timeout=2)
                break
            except Exception:
                time.sleep(0.2)
        load = _wrk if shutil.which("wrk") else _pyload
        codes, cases = info["subject_codes"], info["repair_case_nos"]
        q = "?query_code=BENCH234"
        targets = {
            "subject": ([f"/api/v1/public/subjects/{c}/records" for c in codes],
                        [f"/bench/bare/subjects/{c}/records" for c in codes]),
            "case": ([f"/api/v1/public/cases/{c}{q}" for c in cases], [f"/bench/bare/cases/{c}{q}" for c in cases]),
        }
        results = {}
        for name, (app_paths, bare_paths) in targets.items():
            load(base, app_paths[:200], 2, connections)  # warm both workers
            load(base, bare_paths[:200], 2, connections)
            bare = load(base, bare_paths, duration, connections)
            app = load(base, app_paths, duration, connections)
            if app["errors"] or bare["errors"] or not bare["rps"]:
                raise RuntimeError(f"public {name}: failed requests (app {app}, bare {bare})")
            results[name] = {"app": app, "bare": bare, "ratio": app["rps"] / bare["rps"]}
            log(f"  public {name}: app {app['rps']:.0f} req/s p99 {app['p99_ms']:.1f} ms (errors {app['errors']}) | "
                f"bare {bare['rps']:.0f} req/s p99 {bare['p99_ms']:.1f} ms | throughput ratio {results[name]['ratio']:.2f}")
        return results
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --------------------------------------------------------------------------- 2. expiry sweep


def _clone(src, dst):
    connection.close()
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{dst}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{dst}" TEMPLATE "{src}" STRATEGY FILE_COPY')


def _drop(name):
    with _admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _url(dbname):
    p = _db_params()
    return f"postgres://{p['user']}@{p['host']}:{p['port']}/{dbname}"


def _run_sweep(mode, dbname):
    out = subprocess.run([PYTHON, "-m", "bench.sweep_worker", mode], cwd=ROOT, capture_output=True, text=True,
                         env=_env(BENCH_DATABASE_URL=_url(dbname)), timeout=1800)
    if out.returncode:
        raise RuntimeError(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def _counts(dbname):
    import psycopg

    with psycopg.connect(**_db_params(), dbname=dbname) as c:
        q = lambda sql: c.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "due_left": q("SELECT count(*) FROM records_record WHERE status='published' AND max_until <= current_date"),
            "expired": q("SELECT count(*) FROM records_record WHERE status='expired'"),
            "history": q("SELECT count(*) FROM records_publicationhistory WHERE reason='expiry'"),
            "dup_history": q("SELECT count(*) FROM (SELECT record_id FROM records_publicationhistory WHERE "
                             "reason='expiry' GROUP BY record_id HAVING count(*) > 1) d"),
            "notices": q("SELECT count(*) FROM records_partnernotice WHERE reason='expiry'"),
            "dup_notices": q("SELECT count(*) FROM (SELECT n.record_id, n.partner_id FROM records_partnernotice n WHERE "
                             "n.reason='expiry' GROUP BY 1, 2 HAVING count(*) > 1) d"),
        }


def bench_sweep(info):
    src = settings.DATABASES["default"]["NAME"]
    work = f"{src}_sweep"
    results = {}
    for mode in ("update", "sql", "app"):
        _clone(src, work)
        results[mode] = _run_sweep(mode, work)
        counts = _counts(work)
        results[mode]["counts"] = counts
        log(f"  sweep {mode}: {results[mode]['records']} records in {results[mode]['seconds']:.1f} s, "
            f"peak RSS {results[mode]['max_rss_mb']:.0f} MB, history {counts['history']}, notices {counts['notices']}")
    assert results["app"]["counts"]["history"] == results["sql"]["counts"]["history"] == info["due"]
    assert results["app"]["counts"]["notices"] == results["sql"]["counts"]["notices"]
    # killed half-way, then re-run
    results["sql"]["records"] = results["sql"]["counts"]["history"]
    _clone(src, work)
    proc = subprocess.Popen([PYTHON, "-m", "bench.sweep_worker", "app"], cwd=ROOT,
                            env=_env(BENCH_DATABASE_URL=_url(work)), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import psycopg

    with psycopg.connect(**_db_params(), dbname=work, autocommit=True) as c:
        while proc.poll() is None:
            done = c.execute("SELECT count(*) FROM records_publicationhistory WHERE reason='expiry'").fetchone()[0]
            if done >= info["due"] // 2:
                break
            time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    at_kill = _counts(work)
    rerun = _run_sweep("app", work)
    final = _counts(work)
    log(f"  sweep killed at {at_kill['history']} / {info['due']}; re-run changed {rerun['records']}; "
        f"final history {final['history']} (dups {final['dup_history']}), notices {final['notices']} "
        f"(dups {final['dup_notices']})")
    assert final["due_left"] == 0 and final["history"] == info["due"] and final["dup_history"] == 0
    assert final["notices"] == results["app"]["counts"]["notices"] and final["dup_notices"] == 0
    assert at_kill["history"] + rerun["records"] == info["due"]
    results["kill"] = {"at_kill": at_kill["history"], "rerun": rerun["records"], "final": final}
    results["ratio_sql"] = results["app"]["seconds"] / results["sql"]["seconds"]
    results["ratio_update"] = results["app"]["seconds"] / results["update"]["seconds"]
    _drop(work)
    log(f"  sweep ratio vs SQL script {results['ratio_sql']:.2f}, vs bare UPDATE {results['ratio_update']:.2f}")
    return results


# --------------------------------------------------------------------------- 3. commitment letter


def _letter_context():
    from creditrepair.rules.selectors import rule_set_by_code

    return {
        "subject": {"name": "成都基准测试企业1有限公司", "code": "915101000000000001"},
        "record": {"decision_no": "BENCH-00000001", "department": "成都市第2局", "decision_date": dt.date(2024, 5, 6),
                   "summary": "未按规定履行法定义务（基准测试数据）"},
        "commitments": list(rule_set_by_code("national-2023").commitments["commitment_letter"]),
        "signatory": {"name": "张三", "title": "法定代表人"},
        "signed_at": dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.timezone.utc),
        "signed_by": "bench-subject", "signed_ip": "127.0.0.1",
    }


def bench_letter(*, runs=10):
    import uuid

    import weasyprint
    from django.template.loader import render_to_string
    from django.utils import timezone

    from creditrepair.documents.models import DocumentKind
    from creditrepair.documents.services import issue_document, render_pdf, template_header

    template = "documents/commitment_letter.html"
    context = _letter_context()
    # the exact context render_pdf gets from issue_document (the doc header included)
    context["doc"] = template_header(document_id=uuid.uuid4(), kind=DocumentKind.COMMITMENT_LETTER,
                                     title=None, case_no="XF-2026-000001", subject_code="915101000000000001",
                                     issued_at=timezone.now())
    html = render_to_string(template, context)
    render_pdf(template, context)  # warm fonts and caches for both
    weasyprint.HTML(string=html, base_url="http://localhost/").write_pdf()

    def timed(fn):
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    # interleaved, so that a busy neighbour slows both sides alike
    app_times, bare_times = [], []
    for _ in range(runs):
        t = time.perf_counter()
        weasyprint.HTML(string=render_to_string(template, context), base_url="http://localhost/").write_pdf()
        bare_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        render_pdf(template, context)
        app_times.append(time.perf_counter() - t)
    bare, app = statistics.median(bare_times), statistics.median(app_times)
    counter = iter(range(10**6))
    full = timed(lambda: issue_document(kind=DocumentKind.COMMITMENT_LETTER, template_name=template,
                                        context=_letter_context(), case_no="XF-2026-000001",
                                        subject_code="915101000000000001",
                                        idempotency_key=f"bench:{os.getpid()}:{time.time()}:{next(counter)}"))
    result = {"app_s": app, "bare_s": bare, "full_s": full, "ratio": app / bare, "full_ratio": full / bare}
    log(f"  letter: app render {app * 1000:.0f} ms, bare WeasyPrint {bare * 1000:.0f} ms (ratio {result['ratio']:.2f}); "
        f"full path render+sign+store+hash {full * 1000:.0f} ms ({result['full_ratio']:.2f}x bare)")
    return result


# --------------------------------------------------------------------------- 4. lifecycles


def _lifecycle_records(n, kind):
    """``n`` fresh repairable published records of department 2, each of its own new subject with a user."""
    from django.utils import timezone

    from creditrepair.accounts.models import Role, User
    from creditrepair.records.models import Record

    now = timezone.now()
    today = timezone.localdate()
    with connection.cursor() as wrapper:
        cur = wrapper.cursor
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM registry_subject")
        s0 = cur.fetchone()[0]
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM records_record")
        r0 = cur.fetchone()[0]
        with cur.copy("COPY registry_subject (id, code, name, type, created_at) FROM STDIN") as copy:
            for i in range(1, n + 1):
                copy.write_row((s0 + i, f"92{s0 + i:016d}", f"生命周期测试企业{s0 + i}", "enterprise", now))
        cols = ("id, category, severity, sector, penalty_types, decision_no, decision_date, summary, legal_basis, "
                "obligations, obligations_evidence, jurisdiction, rule_set_code, status, objection_pending, "
                "published_from, min_until, max_until, status_changed_at, created_at, department_id, subject_id")
        with cur.copy(f"COPY records_record ({cols}) FROM STDIN") as copy:
            for i in range(1, n + 1):
                decided = today - dt.timedelta(days=400)
                copy.write_row((r0 + i, "admin_penalty", "general", "", "[]", f"LC-{kind}-{r0 + i}", decided,
                                "生命周期测试", "", "", "", "510100", "national-2023", "published", False, decided,
                                today - dt.timedelta(days=30), today + dt.timedelta(days=700), now, now, 2, s0 + i))
        for table in ("registry_subject", "records_record"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    User.objects.bulk_create([User(username=f"lc-{kind}-{s0 + i}", role=Role.SUBJECT, subject_id=s0 + i)
                              for i in range(1, n + 1)])
    users = {u.subject_id: u for u in User.objects.filter(subject_id__gt=s0)}
    records = list(Record.objects.filter(id__gt=r0).select_related("subject", "department").order_by("id"))
    return [(users[r.subject_id], r) for r in records]


def _repair_lifecycle(user, record, operator, dept):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from creditrepair.repairs import services as rs

    case = rs.repair_file(user, record, "已履行全部义务，申请信用修复。")
    rs.repair_upload_material(user, case, "performance_proof", SimpleUploadedFile("proof.png", _png(), "image/png"))
    rs.repair_sign_commitment(user, case, "张三", "法定代表人")
    rs.repair_submit(user, case)
    rs.repair_accept(operator, case)
    rs.repair_approve(dept, case, "材料齐全，准予修复。")  # the flow then stops publication and writes the notices


def _objection_lifecycle(user, record, operator, dept):
    from creditrepair.objections import services as os_

    case = os_.objection_file(actor=user, record=record, grounds="expired", statement="公示期已满仍在公示。")
    os_.objection_accept(case, actor=operator)  # intake, and the platform's copy matches: verification starts
    os_.objection_resolve(case, actor=dept, outcome="publication_stopped", reason="核实属实，停止公示。")


def bench_lifecycle(small, large, *, objection_factor=1):
    from creditrepair.accounts.models import User

    operator = User.objects.get(username="bench-operator")
    dept = User.objects.get(username="bench-dept")
    results = {}
    for kind, fn in (("repair", _repair_lifecycle), ("objection", _objection_lifecycle)):
        per_case = {}
        k = objection_factor if kind == "objection" else 1
        small_n, large_n = small * k, large * k
        for n in (small_n, large_n):
            pairs = _lifecycle_records(n, kind)
            t = time.perf_counter()
            for user, record in pairs:
                fn(user, record, operator, dept)
            per_case[n] = (time.perf_counter() - t) / n
            log(f"  lifecycle {kind} x{n}: {per_case[n] * 1000:.1f} ms per case")
        results[kind] = {"small": small_n, "large": large_n, "small_ms": per_case[small_n] * 1000,
                         "large_ms": per_case[large_n] * 1000, "ratio": per_case[large_n] / per_case[small_n]}
        log(f"  lifecycle {kind}: per-case ratio {large_n} vs {small_n} = {results[kind]['ratio']:.2f}")
    return results


# --------------------------------------------------------------------------- 5. queue


def bench_queue(*, runs=7):
    from django.test import Client

    from creditrepair.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench-dept"))
    result = {}
    for size in (5, 50):
        url = f"/staff/objections/?page_size={size}"
        client.get(url)
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - t)
            assert response.status_code == 200
        queries = []
        with connection.execute_wrapper(lambda execute, sql, params, many, context: (queries.append(sql),
                                                                                      execute(sql, params, many,
                                                                                              context))[1]):
            client.get(url)
        result[size] = {"ms": statistics.median(times) * 1000, "queries": len(queries)}
    # the baseline: the page's own rows fetched bare (the same query, no template)
    from creditrepair.objections.selectors import staff_queue

    dept = User.objects.get(username="bench-dept")
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        list(staff_queue(dept).order_by("id")[:50])
        times.append(time.perf_counter() - t)
    result["bare_ms"] = statistics.median(times) * 1000
    result["open"] = staff_queue(dept).count()
    result["ratio"] = result[50]["ms"] / result["bare_ms"]
    log(f"  queue ({result['open']} open): first page of 50 in {result[50]['ms']:.1f} ms "
        f"({result[50]['queries']} queries), of 5 in {result[5]['ms']:.1f} ms ({result[5]['queries']} queries); "
        f"bare rows {result['bare_ms']:.1f} ms")
    return result


# --------------------------------------------------------------------------- main


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=250_000,
                        help="records past their maximum period (the expiry sweep's work); the rest stay published")
    parser.add_argument("--lifecycle", default="10,100", help="small,large repair case counts (x5 objections)")
    parser.add_argument("--duration", type=int, default=20, help="seconds of load per public run")
    parser.add_argument("--objection-factor", type=int, default=5,
                        help="objection lifecycles per repair lifecycle (objections render no PDF inline)")
    parser.add_argument("--letter-runs", type=int, default=10)
    parser.add_argument("--port", type=int, default=8765, help="loopback port of the gunicorn under test")
    parser.add_argument("--only", default="public,queue,letter,sweep,lifecycle")
    parser.add_argument("--skip-generate", action="store_true")
    args = parser.parse_args(argv)
    from django.core.management import call_command

    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    results = {"date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="minutes"),
               "machine": f"{platform.node()} {os.cpu_count()} cores, Python {platform.python_version()}, "
                          f"{platform.platform()}", "args": vars(args)}
    from bench.generate import generate

    log(f"==> generating {args.records} records, {args.cases} cases")
    t = time.perf_counter()
    if args.skip_generate:
        info = json.loads((OUT / "info.json").read_text())
    else:
        info = generate(records=args.records, cases=args.cases, due=args.due, log=log)
        (OUT / "info.json").write_text(json.dumps(info))
    results["generate_s"] = time.perf_counter() - t
    call_command("make_signing_cert", verbosity=0)
    only = args.only.split(",")
    with connection.cursor() as cur:
        cur.execute("SELECT version()")
        results["postgres"] = cur.fetchone()[0].split(" on ")[0]
    if "public" in only:
        log("==> 1. public lookup")
        results["public"] = bench_public(info, duration=args.duration, port=args.port)
    if "queue" in only:
        log("==> 5. queue")
        results["queue"] = bench_queue()
    if "letter" in only:
        log("==> 3. commitment letter")
        results["letter"] = bench_letter(runs=args.letter_runs)
    if "sweep" in only:
        log("==> 2. expiry sweep")
        results["sweep"] = bench_sweep(info)
    if "lifecycle" in only:
        small, large = (int(x) for x in args.lifecycle.split(","))
        log("==> 4. lifecycles")
        results["lifecycle"] = bench_lifecycle(small, large, objection_factor=args.objection_factor)
    results["total_s"] = time.perf_counter() - started
    (OUT / "results.json").write_text(json.dumps(results, indent=2, default=str))
    log(f"==> done in {results['total_s']:.0f} s; results in {OUT / 'results.json'}")
    return results


if __name__ == "__main__":
    main()
