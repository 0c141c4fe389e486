#!/usr/bin/env bash
# Runs the real servers Fanout needs (RabbitMQ, Redis, PostgreSQL) on 127.0.0.1 without Docker or
# systemd, each with its state in one directory and stoppable by pid.
#
#   scripts/servers.sh {start|stop|status|restart} [rabbitmq|redis|postgres|all]
#
# FANOUT_SERVERS_PROFILE=dev (default): ports 5672/15672, 6379, 5432, state in .run/servers.
# FANOUT_SERVERS_PROFILE=test: ports 5673/15673, 6380, 5433, state in .run/test-servers, so tests
# never meet the development servers. FANOUT_SERVERS_PROFILE=test2: ports 5674/15674, 6381, 5434,
# state in .run/test2-servers, a second test set so that two checkouts can run their tests at once. `start` installs missing Debian packages and writes
# <state dir>/servers.env (connection strings to source). `status` exits 3 when one is stopped.
# Run it as root.
set -euo pipefail

PATH="$PATH:/usr/sbin:/sbin"
SCRIPT_PATH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
REPO_ROOT="$(cd "$(dirname "$SCRIPT_PATH")/.." && pwd)"
PROFILE="${FANOUT_SERVERS_PROFILE:-dev}"
SERVERS=(rabbitmq redis postgres)
PG_PASSWORD=devpass

case "$PROFILE" in
  dev)
    AMQP_PORT=5672 MGMT_PORT=15672 DIST_PORT=25672 EPMD_PORT=4369 REDIS_PORT=6379 PG_PORT=5432
    NODE_NAME=fanout@localhost PG_FSYNC=on STATE_DIR="$REPO_ROOT/.run/servers" ;;
  test)
    # epmd gets its own port too, so stopping the test broker never takes the port mapper of another one.
    AMQP_PORT=5673 MGMT_PORT=15673 DIST_PORT=25673 EPMD_PORT=4370 REDIS_PORT=6380 PG_PORT=5433
    NODE_NAME=fanout-test@localhost PG_FSYNC=off STATE_DIR="$REPO_ROOT/.run/test-servers" ;;
  test2)
    AMQP_PORT=5674 MGMT_PORT=15674 DIST_PORT=25674 EPMD_PORT=4371 REDIS_PORT=6381 PG_PORT=5434
    NODE_NAME=fanout-test2@localhost PG_FSYNC=off STATE_DIR="$REPO_ROOT/.run/test2-servers" ;;
  *)
    echo "servers.sh: FANOUT_SERVERS_PROFILE must be dev, test or test2, not '$PROFILE'" >&2
    exit 2 ;;
esac

log() { echo "servers[$PROFILE] $*"; }
die() { echo "servers[$PROFILE] error: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------
# Helpers

# Prints the pid stored in a file when that process is alive and its command line matches a pattern.
live_pid() {
  local file=$1 pattern=$2 pid
  [[ -s "$file" ]] || return 1
  pid=$(head -n 1 "$file" | tr -dc '0-9')
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$pattern" || return 1
  echo "$pid"
}

port_open() {
  timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# "pid N (command)" of whoever listens on a port, for messages.
port_holder() {
  local pid
  pid=$(ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2) || true
  if [[ -n "$pid" ]]; then echo "pid $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline" | cut -c1-60))"; else echo "another process"; fi
}

# wait_for SECONDS COMMAND...: polls every 0.1 s until the command succeeds or the time is up.
wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

pid_gone() { [[ ! -e "/proc/$1" ]] || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }

# SIGTERM, then SIGKILL after a grace period.
kill_pid() {
  local pid=$1 grace=$2
  kill -TERM "$pid" 2>/dev/null || return 0
  wait_for "$grace" pid_gone "$pid" && return 0
  log "pid $pid still alive after ${grace}s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  wait_for 5 pid_gone "$pid"
}

# When a server this script did not start already holds a port: the dev profile uses it as it is
# (returns 0: nothing to start); the test profile refuses, since its tests stop and start their broker.
held_by_other() {
  local name=$1 port
  shift
  for port in "$@"; do
    port_open "$port" || continue
    if [[ "$PROFILE" == dev && "$port" == "$1" ]]; then
      log "$name: 127.0.0.1:$port already answers ($(port_holder "$port")), not started by this script: using it"
      return 0
    fi
    die "$name: port $port is taken by $(port_holder "$port"); stop it or free the port"
  done
  return 1
}

# Runs a command as another user in this process (setpriv, unlike su, starts no new session, so a
# timeout can still kill it). The fds of this script (fd 9 holds the lock) must not leak into daemons.
as_user() {
  local user=$1 home
  shift
  home=$(getent passwd "$user" | cut -d: -f6)
  (cd "$home" 2>/dev/null || cd /; exec setpriv --reuid="$user" --regid="$user" --init-groups env HOME="$home" USER="$user" LOGNAME="$user" "$@" 9>&-)
}

ensure_packages() {
  local missing=()
  command -v rabbitmq-server >/dev/null || missing+=(rabbitmq-server)
  command -v redis-server >/dev/null || missing+=(redis-server)
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
  # The operations tests (tests/Fanout.EndToEnd.Tests/Operations) run nginx and `docker-compose config` (no Docker engine).
  if [[ "$PROFILE" == test* ]]; then
    command -v nginx >/dev/null || missing+=(nginx-light)
    command -v docker-compose >/dev/null || missing+=(docker-compose)
  fi
  ((${#missing[@]})) || return 0
  log "installing ${missing[*]} (apt-get)"
  # Without a policy-rc.d the packages' postinst would start the system-wide services on the default ports.
  local policy=/usr/sbin/policy-rc.d own_policy=
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 755 "$policy" && own_policy=1
  fi
  local status=0
  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"; } \
    >"$STATE_DIR/apt.log" 2>&1 || status=$?
  [[ -z "$own_policy" ]] || rm -f "$policy"
  ((status == 0)) || { tail -n 30 "$STATE_DIR/apt.log" >&2; die "apt-get install ${missing[*]} failed (log: $STATE_DIR/apt.log)"; }
}

# RabbitMQ and PostgreSQL run as their own users, so their directories must be reachable by them, and
# PostgreSQL's socket path must stay short. A clone under /root (mode 700) is not reachable: then their
# state goes under /var/tmp instead, one directory per state dir.
service_root() {
  if ((${#STATE_DIR} < 80)) && id rabbitmq >/dev/null 2>&1 && id postgres >/dev/null 2>&1 &&
    runuser -u rabbitmq -- test -x "$STATE_DIR" 2>/dev/null && runuser -u postgres -- test -x "$STATE_DIR" 2>/dev/null; then
    echo "$STATE_DIR"
  else
    echo "/var/tmp/fanout-$PROFILE-$(printf %s "$STATE_DIR" | cksum | cut -d' ' -f1)"
  fi
}

write_env_file() {
  local amqp="amqp://guest:guest@127.0.0.1:$AMQP_PORT/"
  local pg="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=$PG_PASSWORD"
  cat >"$STATE_DIR/servers.env" <<EOF
# Written by scripts/servers.sh (profile $PROFILE). Use: . $STATE_DIR/servers.env
export FANOUT_SERVERS_PROFILE='$PROFILE'
export FANOUT_TEST_RABBITMQ='$amqp'
export FANOUT_TEST_RABBITMQ_MANAGEMENT='http://guest:guest@127.0.0.1:$MGMT_PORT'
export FANOUT_TEST_POSTGRES='$pg;Database=postgres'
export FANOUT_TEST_REDIS='127.0.0.1:$REDIS_PORT'
export FANOUT_TEST_SERVERS_SCRIPT='$SCRIPT_PATH'
export ConnectionStrings__rabbitmq='$amqp'
export ConnectionStrings__postgres='$pg;Database=fanout'
export ConnectionStrings__redis='127.0.0.1:$REDIS_PORT'
EOF
}

# ---------------------------------------------------------------------------------------------------
# RabbitMQ (with its own epmd)

rabbitmq_env() {
  export RABBITMQ_NODENAME="$NODE_NAME" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$AMQP_PORT"
  export RABBITMQ_DIST_PORT="$DIST_PORT" ERL_EPMD_PORT="$EPMD_PORT" ERL_EPMD_ADDRESS=127.0.0.1
  export RABBITMQ_CONFIG_FILE="$RABBIT_DIR/rabbitmq.conf" RABBITMQ_ADVANCED_CONFIG_FILE="$RABBIT_DIR/advanced.config"
  export RABBITMQ_CONF_ENV_FILE="$RABBIT_DIR/rabbitmq-env.conf" RABBITMQ_ENABLED_PLUGINS_FILE="$RABBIT_DIR/enabled_plugins"
  export RABBITMQ_PLUGINS_DIR="$RABBIT_DIR/plugins" RABBITMQ_MNESIA_BASE="$RABBIT_DIR/mnesia"
  export RABBITMQ_LOG_BASE="$RABBIT_DIR/log" RABBITMQ_PID_FILE="$RABBIT_PID_FILE"
  # Erlang distribution (node and CLI) listens on loopback only, like everything else.
  export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
  export RABBITMQ_CTL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'
}

rabbitmq_pid() { live_pid "$RABBIT_PID_FILE" beam.smp; }
epmd_pid() { live_pid "$RABBIT_DIR/epmd.pid" epmd; }

rabbitmq_prepare() {
  mkdir -p "$RABBIT_DIR/log" "$RABBIT_DIR/mnesia"
  cat >"$RABBIT_DIR/rabbitmq.conf" <<EOF
listeners.tcp.default = 127.0.0.1:$AMQP_PORT
management.tcp.ip = 127.0.0.1
management.tcp.port = $MGMT_PORT
EOF
  echo '[rabbitmq_management].' >"$RABBIT_DIR/enabled_plugins"
  rabbitmq_plugins_dir
  echo '# Empty on purpose: scripts/servers.sh sets everything through the environment.' >"$RABBIT_DIR/rabbitmq-env.conf"
  chown -R rabbitmq:rabbitmq "$RABBIT_DIR"
}

# The broker scans every module on its code path at boot; leaving out the ~30 plugins it never starts
# here (protocols, peer discovery, auth backends and their libraries) halves its start time on 2 cores.
rabbitmq_plugins_dir() {
  local source path
  source=$(compgen -G '/usr/lib/rabbitmq/lib/rabbitmq_server-*/plugins' | sort -V | tail -n 1) ||
    die "rabbitmq: no /usr/lib/rabbitmq/lib/rabbitmq_server-*/plugins"
  rm -rf "$RABBIT_DIR/plugins"
  mkdir -p "$RABBIT_DIR/plugins"
  for path in "$source"/*; do
    case "${path##*/}" in
      README | accept-* | amqp10_client-* | base64url-* | eetcd-* | gun-* | jose-* | prometheus-* | quantile_estimator-*) ;;
      rabbitmq_amqp1_0-* | rabbitmq_auth_* | rabbitmq_aws-* | rabbitmq_federation* | rabbitmq_mqtt-* | rabbitmq_peer_discovery_*) ;;
      rabbitmq_prometheus-* | rabbitmq_shovel* | rabbitmq_stomp-* | rabbitmq_stream* | rabbitmq_web_mqtt* | rabbitmq_web_stomp*) ;;
      *) ln -s "$path" "$RABBIT_DIR/plugins/" ;;
    esac
  done
}

epmd_start() {
  port_open "$EPMD_PORT" && return 0 # ours from before, or a shared one: either serves
  (cd / && exec setsid epmd -address 127.0.0.1 -port "$EPMD_PORT" </dev/null >>"$RABBIT_DIR/log/epmd.log" 2>&1 9>&-) &
  echo $! >"$RABBIT_DIR/epmd.pid"
  wait_for 10 port_open "$EPMD_PORT" || die "epmd did not open port $EPMD_PORT"
}

epmd_stop() {
  local pid
  if pid=$(epmd_pid); then kill_pid "$pid" 5; fi
  rm -f "$RABBIT_DIR/epmd.pid"
}

RABBITMQ_BIN=/usr/lib/rabbitmq/bin
rabbitmqctl_() {
  local limit=$1
  shift
  as_user rabbitmq timeout -k 5 "$limit" "$RABBITMQ_BIN/rabbitmqctl" -n "$NODE_NAME" "$@"
}

rabbitmq_start() {
  local pid started=$SECONDS
  if pid=$(rabbitmq_pid); then
    port_open "$AMQP_PORT" || rabbitmqctl_ 130 wait --timeout 120 "$RABBIT_PID_FILE" >>"$RABBIT_DIR/log/cli.log" 2>&1 ||
      die "rabbitmq: pid $pid is alive but not serving; see $RABBIT_DIR/log"
    log "rabbitmq: already running (pid $pid)"
    return 0
  fi
  held_by_other rabbitmq "$AMQP_PORT" "$MGMT_PORT" "$DIST_PORT" && return 0
  rabbitmq_prepare
  epmd_start
  as_user rabbitmq "$RABBITMQ_BIN/rabbitmq-server" -detached </dev/null >>"$RABBIT_DIR/log/startup.log" 2>&1 9>&- || die "rabbitmq: rabbitmq-server -detached failed"
  if ! rabbitmqctl_ 130 wait --timeout 120 "$RABBIT_PID_FILE" >>"$RABBIT_DIR/log/cli.log" 2>&1; then
    tail -n 20 "$RABBIT_DIR/log/startup.log" "$RABBIT_DIR/log/cli.log" "$RABBIT_DIR/log/$NODE_NAME.log" >&2 || true
    die "rabbitmq: did not start within 120 s; logs in $RABBIT_DIR/log"
  fi
  log "rabbitmq: started in $((SECONDS - started)) s (pid $(rabbitmq_pid)), amqp 127.0.0.1:$AMQP_PORT, management http://127.0.0.1:$MGMT_PORT"
}

rabbitmq_stop() {
  local pid
  if pid=$(rabbitmq_pid); then
    # `stop <pidfile>` returns once the process has exited; killing is the fallback for a wedged node.
    rabbitmqctl_ 60 stop "$RABBIT_PID_FILE" >>"$RABBIT_DIR/log/cli.log" 2>&1 || kill_pid "$pid" 20
    wait_for 10 pid_gone "$pid" || kill_pid "$pid" 1
    rm -f "$RABBIT_PID_FILE"
    log "rabbitmq: stopped (pid $pid)"
  else
    not_running rabbitmq "$AMQP_PORT"
  fi
  epmd_stop
}

rabbitmq_status() {
  local pid
  if pid=$(rabbitmq_pid); then
    status_line rabbitmq running "$pid" "amqp 127.0.0.1:$AMQP_PORT, management http://127.0.0.1:$MGMT_PORT, node $NODE_NAME"
  else
    status_line rabbitmq "$(external_or_stopped "$AMQP_PORT")" - "amqp 127.0.0.1:$AMQP_PORT"
  fi
}

# ---------------------------------------------------------------------------------------------------
# Redis

redis_pid() { live_pid "$REDIS_DIR/redis.pid" redis-server; }
redis_ping() { [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }

redis_start() {
  local pid
  if pid=$(redis_pid); then log "redis: already running (pid $pid)"; return 0; fi
  held_by_other redis "$REDIS_PORT" && return 0
  mkdir -p "$REDIS_DIR"
  rm -f "$REDIS_DIR/redis.pid"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" --pidfile "$REDIS_DIR/redis.pid" \
    --logfile "$REDIS_DIR/redis.log" --daemonize yes --save '' --appendonly no </dev/null 9>&-
  wait_for 10 redis_ping || die "redis: no PONG on port $REDIS_PORT within 10 s; see $REDIS_DIR/redis.log"
  wait_for 5 redis_pid >/dev/null || die "redis: answers but wrote no pid file"
  log "redis: started (pid $(redis_pid)), 127.0.0.1:$REDIS_PORT"
}

redis_stop() {
  local pid
  if pid=$(redis_pid); then
    kill_pid "$pid" 10
    rm -f "$REDIS_DIR/redis.pid"
    log "redis: stopped (pid $pid)"
  else
    not_running redis "$REDIS_PORT"
  fi
}

redis_status() {
  local pid
  if pid=$(redis_pid); then
    status_line redis running "$pid" "127.0.0.1:$REDIS_PORT"
  else
    status_line redis "$(external_or_stopped "$REDIS_PORT")" - "127.0.0.1:$REDIS_PORT"
  fi
}

# ---------------------------------------------------------------------------------------------------
# PostgreSQL

pg_bin() {
  local dir
  dir=$(compgen -G '/usr/lib/postgresql/*/bin' | sort -V | tail -n 1) || true
  [[ -x "$dir/initdb" ]] || die "postgres: no /usr/lib/postgresql/*/bin/initdb (run: scripts/servers.sh start postgres)"
  echo "$dir"
}

postgres_pid() { live_pid "$PG_DIR/data/postmaster.pid" postgres; }
psql_() { PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=5 "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -XqtA "$@"; }

postgres_init() {
  [[ -s "$PG_DIR/data/PG_VERSION" ]] && return 0
  rm -rf "$PG_DIR/data"
  echo "$PG_PASSWORD" >"$PG_DIR/pwfile"
  chown postgres:postgres "$PG_DIR/pwfile" && chmod 600 "$PG_DIR/pwfile"
  as_user postgres "$(pg_bin)/initdb" -D "$PG_DIR/data" -U postgres --pwfile="$PG_DIR/pwfile" \
    --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 ||
    { cat "$PG_DIR/initdb.log" >&2; die "postgres: initdb failed"; }
  rm -f "$PG_DIR/pwfile"
}

postgres_start() {
  local pid options
  if pid=$(postgres_pid); then log "postgres: already running (pid $pid)"; return 0; fi
  held_by_other postgres "$PG_PORT" && return 0
  mkdir -p "$PG_DIR" && chown postgres:postgres "$PG_DIR" && chmod 700 "$PG_DIR"
  postgres_init
  options="-c listen_addresses=127.0.0.1 -p $PG_PORT -k '$PG_DIR' -c max_connections=300 -c fsync=$PG_FSYNC"
  as_user postgres "$(pg_bin)/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 -o "$options" start >/dev/null ||
    { tail -n 20 "$PG_DIR/postgres.log" >&2; die "postgres: did not start; see $PG_DIR/postgres.log"; }
  if [[ "$(psql_ -c "SELECT 1 FROM pg_database WHERE datname = 'fanout'")" != 1 ]]; then
    psql_ -c 'CREATE DATABASE fanout'
  fi
  log "postgres: started (pid $(postgres_pid)), 127.0.0.1:$PG_PORT, database fanout"
}

postgres_stop() {
  local pid
  if pid=$(postgres_pid); then
    as_user postgres "$(pg_bin)/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 || kill_pid "$pid" 10
    log "postgres: stopped (pid $pid)"
  else
    not_running postgres "$PG_PORT"
  fi
}

postgres_status() {
  local pid
  if pid=$(postgres_pid); then
    status_line postgres running "$pid" "127.0.0.1:$PG_PORT, data $PG_DIR/data"
  else
    status_line postgres "$(external_or_stopped "$PG_PORT")" - "127.0.0.1:$PG_PORT"
  fi
}

# ---------------------------------------------------------------------------------------------------
# Reporting

NOT_RUNNING=0
not_running() {
  if port_open "$2"; then
    log "$1: not started by this script; the server on 127.0.0.1:$2 is left alone"
  else
    log "$1: not running"
  fi
}

status_line() {
  printf '%-9s %-9s %-8s %s\n' "$@"
  [[ "$2" != stopped ]] || NOT_RUNNING=1
}
external_or_stopped() { if port_open "$1"; then echo external; else echo stopped; fi; }

usage() {
  echo "usage: FANOUT_SERVERS_PROFILE=dev|test|test2 $0 {start|stop|status|restart} [rabbitmq|redis|postgres|all]" >&2
  exit 2
}

main() {
  local command=${1:-} target=${2:-all} targets=() server
  [[ $# -le 2 ]] || usage
  case "$command" in start | stop | restart | status) ;; *) usage ;; esac
  case "$target" in
    all) targets=("${SERVERS[@]}") ;;
    rabbitmq | redis | postgres) targets=("$target") ;;
    *) usage ;;
  esac
  [[ "$(id -u)" == 0 ]] || die "run as root (the servers run as their own users: rabbitmq, postgres)"

  mkdir -p "$STATE_DIR"
  exec 9>"$STATE_DIR/.lock"
  flock -w 300 9 || die "another servers.sh holds $STATE_DIR/.lock"

  [[ "$command" == start || "$command" == restart ]] && ensure_packages
  SERVICE_ROOT=$(service_root)
  RABBIT_DIR="$SERVICE_ROOT/rabbitmq" PG_DIR="$SERVICE_ROOT/postgres" REDIS_DIR="$STATE_DIR/redis"
  RABBIT_PID_FILE="$RABBIT_DIR/rabbitmq.pid"
  rabbitmq_env

  case "$command" in
    start)
      [[ "$SERVICE_ROOT" == "$STATE_DIR" ]] || log "note: $STATE_DIR is not reachable by the rabbitmq/postgres users; their state is in $SERVICE_ROOT"
      write_env_file
      for server in "${targets[@]}"; do "${server}_start"; done
      log "environment: . $STATE_DIR/servers.env" ;;
    stop)
      for server in "${targets[@]}"; do "${server}_stop"; done ;;
    restart)
      for server in "${targets[@]}"; do "${server}_stop"; done
      write_env_file
      for server in "${targets[@]}"; do "${server}_start"; done ;;
    status)
      status_line server state pid where
      for server in "${targets[@]}"; do "${server}_status"; done
      return $((NOT_RUNNING ? 3 : 0)) ;;
  esac
}

main "$@"
