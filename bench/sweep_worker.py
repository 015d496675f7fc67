"""One expiry sweep in a fresh process (so its peak memory is its own): ``python -m bench.sweep_worker MODE``.

MODE ``app`` runs ``records.services.stop_expired_publications``; ``sql`` the hand-written set-based
script doing the same writes; ``update`` a bare UPDATE of the same rows. Prints one JSON line.
"""

import json
import os
import re
import resource
import sys
import time
from pathlib import Path

SQL_SCRIPT = """
CREATE TEMP TABLE partner_class ON COMMIT DROP AS
  SELECT DISTINCT m.partner_id, m.category, s.severity
  FROM records_punishmentmeasure m JOIN records_partner p ON p.id = m.partner_id
  CROSS JOIN (VALUES ('minor'), ('general'), ('serious')) AS s(severity)
  WHERE m.active AND p.active AND (m.severity = '' OR m.severity = s.severity);
WITH due AS (
  UPDATE records_record SET status = 'expired', status_changed_at = now(), publication_stopped_on = current_date
  WHERE status = 'published' AND max_until <= current_date
  RETURNING id, category, severity
), hist AS (
  INSERT INTO records_publicationhistory (record_id, from_status, to_status, reason, actor_label, reference, note, at)
  SELECT id, 'published', 'expired', 'expiry', 'system:expiry', '', '', now() FROM due
  RETURNING id, record_id
)
INSERT INTO records_partnernotice (partner_id, record_id, history_id, from_status, to_status, reason, status,
                                   attempts, next_attempt_at, last_error, created_at, ack_due)
SELECT pc.partner_id, hist.record_id, hist.id, 'published', 'expired', 'expiry', 'pending', 0, now(), '', now(),
       %(ack_due)s
FROM hist JOIN due ON due.id = hist.record_id
JOIN partner_class pc ON pc.category = due.category AND pc.severity = due.severity;
"""


def main(mode: str) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from creditrepair.records.services import _ack_due, stop_expired_publications

    batch_size = int(os.environ.get("BENCH_SWEEP_BATCH", "5000"))
    started = time.perf_counter()
    records = 0
    if mode == "app":
        records = stop_expired_publications(batch_size=batch_size).records
    elif mode == "sql":
        ack_due = _ack_due("510100", timezone.localdate(), {})
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(SQL_SCRIPT, {"ack_due": ack_due})
            records = cur.rowcount
    elif mode == "update":
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("UPDATE records_record SET status = 'expired', status_changed_at = now(), "
                        "publication_stopped_on = current_date WHERE status = 'published' AND max_until <= current_date")
            records = cur.rowcount
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    seconds = time.perf_counter() - started
    # VmHWM is this process image's own peak; ru_maxrss on Linux carries the forking parent's peak over exec.
    status = Path("/proc/self/status").read_text()
    hwm_kb = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))
    return {"mode": mode, "seconds": seconds, "records": records, "max_rss_mb": hwm_kb / 1024,
            "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])), flush=True)
