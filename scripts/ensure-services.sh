#!/usr/bin/env bash
# Make sure the local services the PostgreSQL test pass needs answer on 127.0.0.1,
# starting any that is down with the machine's own start command.
# Usage: scripts/ensure-services.sh [postgres] [redis] [rabbitmq]   (default: all three)
# A service that is down and cannot be started is an error (never a skip).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

HOST=127.0.0.1

# tcp_open PORT: true when something accepts a TCP connection on HOST:PORT.
tcp_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }

# wait_until SECONDS CHECK...: poll CHECK every half second until it succeeds or time runs out.
wait_until() {
    local limit=$1; shift
    local deadline=$(( $(date +%s) + limit ))
    until "$@"; do
        [ "$(date +%s)" -lt "$deadline" ] || return 1
        sleep 0.5
    done
}

postgres_up() { pg_isready -q -h "$HOST" -p 5432 -t 2; }
start_postgres() {
    command -v pg_ctlcluster >/dev/null 2>&1 || return 1
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
}

redis_up() {
    if command -v redis-cli >/dev/null 2>&1; then
        [ "$(redis-cli -h "$HOST" -p 6379 ping 2>/dev/null)" = "PONG" ]
    else
        timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/6379; printf 'PING\r\n' >&3; read -r reply <&3; [[ \$reply == +PONG* ]]" 2>/dev/null
    fi
}
start_redis() {
    command -v redis-server >/dev/null 2>&1 || return 1
    as_root mkdir -p /var/lib/redis /var/log/redis
    as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
        --dir /var/lib/redis --logfile /var/log/redis/ci.log
}

rabbitmq_up() {
    # A TCP check is enough to know the broker listens; rabbitmq-diagnostics is slow to start.
    tcp_open 5672
}
start_rabbitmq() {
    command -v rabbitmq-server >/dev/null 2>&1 || return 1
    as_root rabbitmq-server -detached
}

# ensure NAME CLIENT_TOOL WAIT_SECONDS LOG_HINT
ensure() {
    local name=$1 tool=$2 limit=$3 logs=$4
    if [ -n "$tool" ] && ! command -v "$tool" >/dev/null 2>&1; then
        die "$name: '$tool' not found — is $name installed on this machine?"
    fi
    if "${name}_up"; then
        say "$name answers on $HOST"
        return 0
    fi
    say "$name is not answering; starting it"
    "start_$name" || die "$name is down and could not be started (logs: $logs)"
    wait_until "$limit" "${name}_up" || die "$name was started but did not answer within ${limit}s (logs: $logs)"
    say "$name started and answers on $HOST"
}

services=("$@")
[ ${#services[@]} -gt 0 ] || services=(postgres redis rabbitmq)
for service in "${services[@]}"; do
    case "$service" in
        postgres) ensure postgres pg_isready 60 /var/log/postgresql/ ;;
        redis)    ensure redis "" 20 /var/log/redis/ci.log ;;
        rabbitmq) ensure rabbitmq "" 90 /var/log/rabbitmq/ ;;
        *) die "unknown service '$service' (known: postgres redis rabbitmq)" ;;
    esac
done
