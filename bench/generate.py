"""Fill the benchmark database fast: COPY (psycopg 3 ``cursor.copy``), never ORM saves, for the bulk.

``generate(scale)`` drops and recreates the database named in ``bench.settings``, applies the
migrations (the post_migrate signal loads the rule sets), then copies in:

- departments (one operator, 30 recognising departments; department 1 recognises a fifth of all
  records, the "big bureau" whose inbox the queue benchmark opens), 4 joint-punishment partners;
- ``records`` dishonesty records over ``records // 5`` enterprises, all categories and severities,
  decision dates 2019-2026, all published, ``due`` of them (every k-th) past their maximum period (the
  expiry sweep's work), each with its "created" history row;
- ``cases`` repair cases spread evenly over every status, with their status history and open deadlines;
- ``cases`` open objections (verifying) on department 1's records plus ``cases // 5`` in every other
  status, with history and the verification deadline.

Small ORM work only for the handful of users. Returns a dict of what the benchmarks need.
"""

import datetime as dt
import random
import time

from django.conf import settings
from django.db import connection

TODAY = dt.date.today()
CATEGORIES = ["admin_penalty", "serious_list", "abnormal_list", "other"]
SEVERITIES = ["minor", "general", "serious"]
REPAIR_PATHS = {
    "draft": ["draft"],
    "submitted": ["draft", "submitted"],
    "accepted": ["draft", "submitted", "accepted"],
    "refused": ["draft", "submitted", "refused"],
    "under_review": ["draft", "submitted", "accepted", "under_review"],
    "approved": ["draft", "submitted", "accepted", "under_review", "approved"],
    "denied": ["draft", "submitted", "accepted", "under_review", "denied"],
    "completed": ["draft", "submitted", "accepted", "under_review", "approved", "completed"],
    "revoked": ["draft", "submitted", "accepted", "under_review", "approved", "completed", "revoked"],
    "withdrawn": ["draft", "submitted", "withdrawn"],
}
OBJECTION_PATHS = {
    "submitted": ["submitted"],
    "accepted": ["submitted", "accepted"],
    "refused": ["submitted", "refused"],
    "verifying": ["submitted", "accepted", "verifying"],
    "resolved": ["submitted", "accepted", "verifying", "resolved"],
    "under_review": ["submitted", "accepted", "verifying", "resolved", "under_review"],
    "closed": ["submitted", "accepted", "verifying", "resolved", "closed"],
}
QUERY_CODE = "BENCH234"  # every generated case answers to this query code (the load generator needs it)


def recreate_database():
    """Drop and create the bench database (never any other), then migrate it."""
    import psycopg
    from django.core.management import call_command

    name = settings.DATABASES["default"]["NAME"]
    assert "bench" in name, f"refusing to recreate {name!r}: not a bench database"
    connection.close()
    params = settings.DATABASES["default"]
    with psycopg.connect(host=params.get("HOST") or "127.0.0.1", port=params.get("PORT") or 5432,
                         user=params.get("USER") or "postgres", dbname="postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0, interactive=False)


def _copy(cur, table, columns, rows):
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _next_id(cur, table):
    cur.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    return cur.fetchone()[0]


def _fix_sequences(cur, tables):
    for table in tables:
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))")


def generate(*, records=1_000_000, cases=100_000, due=None, seed=7, log=print) -> dict:
    from django.contrib.contenttypes.models import ContentType

    from creditrepair.accounts.models import Role, User
    from creditrepair.objections.models import Objection
    from creditrepair.repairs.models import RepairCase
    from creditrepair.workflow.models import CaseNumberCounter

    rnd = random.Random(seed)
    started = time.perf_counter()
    recreate_database()
    log(f"  migrated in {time.perf_counter() - started:.1f} s")
    now = dt.datetime.now(dt.timezone.utc)
    n_subjects = max(records // 5, 1)
    n_depts = 30
    due = records if due is None else min(due, records)
    due_every = max(records // max(due, 1), 1)
    with connection.cursor() as wrapper:
        cur = wrapper.cursor  # the psycopg 3 cursor
        # departments: id 1 the operator, 2..31 recognising departments (2 = the big bureau)
        _copy(cur, "registry_department", ["id", "code", "name", "kind", "jurisdiction", "sector", "parent_id"],
              [(1, "OP-510100", "成都市信用中心", "operator", "510100", "", None)]
              + [(i, f"D-{i:03d}", f"成都市第{i}局", "administrative", "510100", "市场监管", None)
                 for i in range(2, n_depts + 2)])
        _copy(cur, "records_partner", ["id", "code", "name", "webhook_url", "webhook_secret", "active", "department_id"],
              [(i, f"P{i}", f"联合惩戒单位{i}", "", "", True, None) for i in range(1, 5)])
        measures = [(1, "admin_penalty", ""), (2, "admin_penalty", "serious"), (1, "serious_list", ""),
                    (2, "serious_list", ""), (3, "serious_list", ""), (3, "abnormal_list", ""), (4, "other", "")]
        _copy(cur, "records_punishmentmeasure", ["partner_id", "category", "severity", "description", "active"],
              [(p, c, s, "联合惩戒措施", True) for p, c, s in measures])
        _copy(cur, "registry_subject", ["id", "code", "name", "type", "created_at"],
              ((i, f"91510100{i:010d}", f"成都基准测试企业{i}有限公司", "enterprise", now) for i in range(1, n_subjects + 1)))
        log(f"  {n_subjects} subjects at {time.perf_counter() - started:.1f} s")

        def record_rows():
            for i in range(1, records + 1):
                decided = TODAY - dt.timedelta(days=rnd.randint(400, 2500))
                dept = 2 if i % 5 == 0 else rnd.randint(3, n_depts + 1)
                if i % due_every == 0 and i // due_every <= due:
                    max_until = TODAY - dt.timedelta(days=rnd.randint(1, 300))
                else:
                    max_until = TODAY + dt.timedelta(days=rnd.randint(1, 700))
                min_until = min(decided + dt.timedelta(days=90), max_until)
                yield (i, CATEGORIES[i % 4], SEVERITIES[(i // 4) % 3], "", "[]", f"BENCH-{i:08d}", decided,
                       "未按规定履行法定义务（基准测试数据）", "", "", None, "", "510100", "national-2023",
                       "published", False, decided, min_until, max_until, None, None, now, now, None, dept,
                       (i - 1) % n_subjects + 1)

        _copy(cur, "records_record",
              ["id", "category", "severity", "sector", "penalty_types", "decision_no", "decision_date", "summary",
               "legal_basis", "obligations", "obligations_fulfilled_on", "obligations_evidence", "jurisdiction",
               "rule_set_code", "status", "objection_pending", "published_from", "min_until", "max_until",
               "grace_until", "publication_stopped_on", "status_changed_at", "created_at", "created_by_id",
               "department_id", "subject_id"], record_rows())
        log(f"  {records} records at {time.perf_counter() - started:.1f} s")
        _copy(cur, "records_publicationhistory",
              ["from_status", "to_status", "reason", "actor_label", "reference", "note", "at", "actor_id", "record_id"],
              (("", "published", "created", "bench", "", "", now, None, i) for i in range(1, records + 1)))
        log(f"  {records} history rows at {time.perf_counter() - started:.1f} s")

        repair_ct = ContentType.objects.get_for_model(RepairCase).id
        objection_ct = ContentType.objects.get_for_model(Objection).id
        year = TODAY.year
        # repair cases on records that are not department 2's (i % 5 != 0)
        repair_records = [i for i in range(1, records + 1) if i % 5 != 0][:cases]
        statuses = list(REPAIR_PATHS)
        case_rows, history_rows, deadline_rows = [], [], []
        for n, record_id in enumerate(repair_records, start=1):
            status = statuses[n % len(statuses)]
            case_no = f"XF-{year}-{n:06d}"
            case_rows.append((n, case_no, QUERY_CODE, "national-2023", now, None if status == "draft" else now,
                              now if status in ("refused", "denied", "completed", "revoked", "approved") else None,
                              "repair", status, "已履行全部义务（基准测试）", '["performance_proof", "commitment_letter"]',
                              "", "", None, "", "", None, "", "", None, None, None, None, None, record_id,
                              (record_id - 1) % n_subjects + 1))
            path = REPAIR_PATHS[status]
            for k, to_status in enumerate(path):
                history_rows.append(("" if k == 0 else path[k - 1], to_status, "bench", "", now, None, n))
            if status == "submitted":
                deadline_rows.append((repair_ct, n, case_no, "intake", 1, 3))
            if status in ("submitted", "accepted", "under_review"):
                deadline_rows.append((repair_ct, n, case_no, "answer_total", 1, 15))
            if status in ("accepted", "under_review"):
                deadline_rows.append((repair_ct, n, case_no, "review", (record_id % n_depts) + 2, 5))
        _copy(cur, "repairs_repaircase",
              ["id", "case_no", "query_code", "rule_set_code", "created_at", "filed_at", "decided_at", "kind", "status",
               "statement", "required_materials", "refusal_reason", "decision_reason", "interview_held_on",
               "interview_notes", "training_certificate_no", "training_completed_on", "extension_reason",
               "revocation_reason", "revoked_at", "bars_until", "created_by_id", "decided_by_id",
               "interview_recorded_by_id", "record_id", "subject_id"], case_rows)
        _copy(cur, "repairs_repairstatuschange", ["from_status", "to_status", "actor_label", "note", "at", "actor_id",
                                                  "case_id"], history_rows)
        log(f"  {len(case_rows)} repair cases, {len(history_rows)} history rows at {time.perf_counter() - started:.1f} s")

        # objections: `cases` verifying on department 2's records, cases // 5 in the other statuses elsewhere
        big_records = [i for i in range(5, records + 1, 5)][:cases]
        other_records = [i for i in range(1, records + 1) if i % 5 != 0][len(repair_records):len(repair_records) + cases // 5]
        others = [s for s in OBJECTION_PATHS if s != "verifying"]
        case_rows, history_rows = [], []
        pending = []
        plan = [(r, "verifying") for r in big_records] + [(r, others[k % len(others)]) for k, r in enumerate(other_records)]
        for n, (record_id, status) in enumerate(plan, start=1):
            case_no = f"YY-{year}-{n:06d}"
            decided = status in ("refused", "resolved", "under_review", "closed")
            case_rows.append((n, case_no, QUERY_CODE, "national-2023", now, now, now if decided else None, "error",
                              "决定文书号有误（基准测试）", "{}", status, "", None if status in ("submitted", "refused") else now,
                              False, "kept" if decided and status != "refused" else "", "", "[]", "", None, "", "", "[]",
                              None, None, record_id, None, None, (record_id - 1) % n_subjects + 1))
            path = OBJECTION_PATHS[status]
            for k, to_status in enumerate(path):
                history_rows.append(("" if k == 0 else path[k - 1], to_status, "bench", "", now, None, n))
            if status in ("submitted", "accepted", "verifying"):
                pending.append(record_id)
                deadline_rows.append((objection_ct, n, case_no, "total", 1, 15))
            if status == "verifying":
                deadline_rows.append((objection_ct, n, case_no, "verification", 2, 5))
        _copy(cur, "objections_objection",
              ["id", "case_no", "query_code", "rule_set_code", "created_at", "filed_at", "decided_at", "grounds",
               "statement", "requested_correction", "status", "refusal_reason", "accepted_at", "platform_corrected",
               "outcome", "outcome_reason", "corrections", "review_statement", "review_requested_at", "review_outcome",
               "review_reason", "review_corrections", "reviewed_at", "created_by_id", "record_id", "resolved_by_id",
               "reviewed_by_id", "subject_id"], case_rows)
        _copy(cur, "objections_objectionstatuschange", ["from_status", "to_status", "actor_label", "note", "at",
                                                        "actor_id", "case_id"], history_rows)
        _copy(cur, "workflow_deadline",
              ["case_type_id", "case_id", "case_no", "step", "started_on", "limit_days", "unit", "due_on", "extended",
               "extension_reason", "met_at", "reminded_at", "escalated_at", "responsible_id"],
              ((ct, cid, no, step, TODAY, days, "working", TODAY + dt.timedelta(days=days + rnd.randint(-3, 3)), False,
                "", None, None, None, resp) for ct, cid, no, step, resp, days in deadline_rows))
        cur.execute("UPDATE records_record SET objection_pending = true WHERE id = ANY(%s)", [pending])
        log(f"  {len(case_rows)} objections, {len(deadline_rows)} deadlines at {time.perf_counter() - started:.1f} s")
        _fix_sequences(cur, ["registry_department", "records_partner", "records_punishmentmeasure", "registry_subject",
                             "records_record", "records_publicationhistory", "repairs_repaircase",
                             "repairs_repairstatuschange", "objections_objection", "objections_objectionstatuschange",
                             "workflow_deadline"])
    CaseNumberCounter.objects.update_or_create(prefix="XF", year=year, defaults={"last": len(repair_records)})
    CaseNumberCounter.objects.update_or_create(prefix="YY", year=year, defaults={"last": len(plan)})
    User.objects.create(username="bench-operator", role=Role.OPERATOR, department_id=1)
    User.objects.create(username="bench-dept", role=Role.DEPARTMENT, department_id=2)
    old = connection.connection.autocommit
    connection.connection.autocommit = True
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    connection.connection.autocommit = old
    log(f"  vacuumed and analysed at {time.perf_counter() - started:.1f} s")
    return {
        "subject_codes": [f"91510100{i:010d}" for i in range(1, min(n_subjects, 20000) + 1)],
        "repair_case_nos": [f"XF-{year}-{n:06d}" for n in range(1, min(len(repair_records), 20000) + 1)],
        "records": records, "due": min(records // due_every, due), "repair_cases": len(repair_records), "objections": len(plan),
        "open_objections_big_bureau": len(big_records),
    }
