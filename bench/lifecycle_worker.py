"""Repair and objection lifecycles through the service layer in a fresh process, on the database of
``BENCH_DATABASE_URL``: ``python -m bench.lifecycle_worker N OBJECTION_FACTOR [--generate RECORDS,CASES]``.

Times ``N`` repair lifecycles (file, upload a proof, sign the commitment letter — a real WeasyPrint render
and PAdES signature —, submit, accept, approve; the flow stops the publication and writes the partner
notices) and ``N × OBJECTION_FACTOR`` objection lifecycles (file, accept with the platform check, resolve
"publication stopped"), each case on its own record and subject, after one untimed case of each kind. ``--generate`` first fills the database
with ``bench.generate`` at that size. Prints one JSON line: per kind, how many cases of that kind the tables
held before, and each case's time.
"""

import argparse
import datetime as dt
import io
import json
import os
import time


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def lifecycle_records(n, kind):
    """``n`` fresh repairable published records of department 2, each of its own new subject with a user."""
    from django.db import connection
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


def repair_lifecycle(user, record, operator, dept, proof=_png()):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from creditrepair.repairs import services as rs

    case = rs.repair_file(user, record, "已履行全部义务，申请信用修复。")
    rs.repair_upload_material(user, case, "performance_proof", SimpleUploadedFile("proof.png", proof, "image/png"))
    rs.repair_sign_commitment(user, case, "张三", "法定代表人")
    rs.repair_submit(user, case)
    rs.repair_accept(operator, case)
    rs.repair_approve(dept, case, "材料齐全，准予修复。")  # the flow then stops publication and writes the notices


def objection_lifecycle(user, record, operator, dept):
    from creditrepair.objections import services as os_

    case = os_.objection_file(actor=user, record=record, grounds="expired", statement="公示期已满仍在公示。")
    os_.objection_accept(case, actor=operator)  # intake, and the platform's copy matches: verification starts
    os_.objection_resolve(case, actor=dept, outcome="publication_stopped", reason="核实属实，停止公示。")


def main(n: int, objection_factor: int) -> dict:
    from creditrepair.accounts.models import User
    from creditrepair.objections.models import Objection
    from creditrepair.repairs.models import RepairCase

    operator = User.objects.get(username="bench-operator")
    dept = User.objects.get(username="bench-dept")
    results = {}
    for kind, run, model, count in (("repair", repair_lifecycle, RepairCase, n),
                                    ("objection", objection_lifecycle, Objection, n * objection_factor)):
        held = model.objects.count()
        warm_up, *pairs = lifecycle_records(count + 1, kind)
        run(*warm_up, operator, dept)  # untimed: fonts, templates, the signer and the flows load once per process
        times = []
        for user, record in pairs:
            started = time.perf_counter()
            run(user, record, operator, dept)
            times.append(time.perf_counter() - started)
        results[kind] = {"held_before": held, "times_ms": [t * 1000 for t in times]}
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("objection_factor", type=int)
    parser.add_argument("--generate", help="RECORDS,CASES: fill the database with bench.generate first")
    args = parser.parse_args()
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.core.management import call_command

    if args.generate:
        from bench.generate import generate

        records, cases = (int(x) for x in args.generate.split(","))
        generate(records=records, cases=cases, due=0, log=lambda msg: None)
    call_command("make_signing_cert", verbosity=0)
    print(json.dumps(main(args.n, args.objection_factor)), flush=True)
