#!/usr/bin/env bash
# The whole test suite on PostgreSQL with a real Celery worker on Redis.
#
# Creates a uniquely named database on 127.0.0.1:5432 (user postgres, trust auth), takes a
# private Redis database number, starts a worker against pytest's test database, waits until
# it answers a ping, runs `pytest --create-db` (every test, celery_worker and postgres marks
# included), then stops the worker and drops the databases — on failure and Ctrl-C too.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

PG="postgres://postgres@127.0.0.1:5432"
REDIS_HOST=127.0.0.1
REDIS_PORT=6379
LOG=test-output/celery-worker.log

command -v psql >/dev/null 2>&1 || die "psql (PostgreSQL client) is needed for make test-postgres"
command -v redis-cli >/dev/null 2>&1 || die "redis-cli is needed for make test-postgres"

name="creditrepair_ci_$$_${RANDOM}"
test_name="test_$name"
psql_admin() { PGOPTIONS="-c client_min_messages=warning" psql "$PG/postgres" -v ON_ERROR_STOP=1 -qAt "$@"; }

mkdir -p test-output
: >"$LOG"
REDIS_DB=""
worker_pid=""
worker_ready=0
media_dir=$(mktemp -d "${TMPDIR:-/tmp}/creditrepair-ci-media.XXXXXX")

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -n "$worker_pid" ] && kill -0 "$worker_pid" 2>/dev/null; then
        say "stopping the Celery worker (pid $worker_pid)"
        kill -TERM "$worker_pid" 2>/dev/null || true
        for _ in $(seq 1 40); do kill -0 "$worker_pid" 2>/dev/null || break; sleep 0.5; done
        if kill -0 "$worker_pid" 2>/dev/null; then
            warn "worker did not stop in 20s; killing it"
        fi
    fi
    if [ -n "$worker_pid" ]; then
        # The worker runs in its own process group (setsid): kill whatever is left of it.
        kill -KILL -- "-$worker_pid" 2>/dev/null || true
        wait "$worker_pid" 2>/dev/null || true
    fi
    psql_admin -c "DROP DATABASE IF EXISTS \"$test_name\" WITH (FORCE)" \
        -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" || warn "could not drop $name / $test_name"
    if [ -n "$REDIS_DB" ]; then
        redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" -n "$REDIS_DB" FLUSHDB >/dev/null || warn "could not flush Redis db $REDIS_DB"
    fi
    rm -rf "$media_dir"
    if [ "$rc" -ne 0 ] && [ -s "$LOG" ]; then
        if [ "$worker_ready" -eq 0 ]; then
            printf -- '--- last lines of %s ---\n' "$LOG" >&2
            tail -n 60 "$LOG" >&2
        elif grep -qE '(ERROR|CRITICAL)/' "$LOG"; then
            printf -- '--- errors in %s ---\n' "$LOG" >&2
            grep -E -A 20 '(ERROR|CRITICAL)/' "$LOG" | head -n 100 >&2
        else
            echo "(the Celery worker logged no error: $LOG)" >&2
        fi
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Take the first Redis database (1..15; 0 is left to people) that no other run holds:
# atomically flush it and set a lock key that expires after two hours.
LOCK_KEY=creditrepair:ci-lock
for n in $(seq 1 15); do
    got=$(redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" -n "$n" EVAL \
        "if redis.call('exists', KEYS[1]) == 0 then redis.call('flushdb'); redis.call('set', KEYS[1], ARGV[1], 'EX', 7200); return 1 else return 0 end" \
        1 "$LOCK_KEY" "$name") || die "Redis does not answer on $REDIS_HOST:$REDIS_PORT"
    if [ "$got" = "1" ]; then REDIS_DB=$n; break; fi
done
[ -n "$REDIS_DB" ] || die "every Redis database 1..15 is held by another test run (key $LOCK_KEY)"

psql_admin -c "CREATE DATABASE \"$name\""
say "PostgreSQL database $name (tests: $test_name), Redis db $REDIS_DB"

export DJANGO_SETTINGS_MODULE=creditrepair.settings.test
export DATABASE_URL="$PG/$name"
export TEST_DATABASE_NAME="$test_name"
export CELERY_BROKER_URL="redis://$REDIS_HOST:$REDIS_PORT/$REDIS_DB"
export CELERY_RESULT_BACKEND="redis://$REDIS_HOST:$REDIS_PORT/$REDIS_DB"
# The worker and the tests must see the same files (generated PDFs, uploads).
export MEDIA_ROOT="$media_dir"

node="creditrepair-ci-$$@$(hostname)"
say "starting the Celery worker (log: $LOG)"
# The worker works on pytest's test database, so it reads what the tests commit.
# setsid gives it its own process group, so Ctrl-C reaches only this script, whose
# trap then stops the worker in order.
DATABASE_URL="$PG/$test_name" setsid "$VENV_DIR/bin/celery" -A creditrepair worker \
    --loglevel=INFO --concurrency=2 --pool=prefork -n "$node" --without-mingle --without-gossip \
    >"$LOG" 2>&1 </dev/null &
worker_pid=$!

start=$(now)
deadline=$(( $(date +%s) + 60 ))
until "$VENV_DIR/bin/celery" -A creditrepair inspect ping -d "$node" -t 2 >/dev/null 2>&1; do
    kill -0 "$worker_pid" 2>/dev/null || die "the Celery worker exited during start-up (log: $LOG)"
    [ "$(date +%s)" -lt "$deadline" ] || die "the Celery worker did not answer 'inspect ping' within 60s (log: $LOG)"
    sleep 1
done
worker_ready=1
say "worker answers (after $(elapsed "$start")s)"

bash scripts/run-pytest.sh --create-db --junitxml=test-output/junit-postgres.xml "$@"
