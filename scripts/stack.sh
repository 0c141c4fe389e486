#!/usr/bin/env bash
# The local run command: the servers, a Release build, every service as a background process on
# 127.0.0.1, readiness, then how to publish and watch an event.
#
#   scripts/stack.sh up [--no-build]   servers + build + start every part, wait until each is ready
#   scripts/stack.sh status            part, pid, port, alive, ready
#   scripts/stack.sh stop [part]       one part, or every part and then the servers
#   scripts/stack.sh restart <part>    stop and start one part (from the last build)
#   scripts/stack.sh logs <part>       its log (followed when the output is a terminal)
#
# Parts: ingest fanout-1 fanout-2 presence realtime-1 realtime-2. State: .run/stack, logs: .run/logs.
# Servers come from scripts/servers.sh with FANOUT_SERVERS_PROFILE (default dev). FANOUT_ENVIRONMENT sets
# ASPNETCORE_ENVIRONMENT of every part (default Development: the public development keys and the demo page's tokens,
# with the same log levels as Production, Information: Logging__LogLevel__Fanout=Debug adds the per-request debug lines;
# any other environment refuses the development keys, so the stack gets random keys kept in .run/stack/keys.env, or
# FANOUT_API_KEY and FANOUT_SIGNING_KEY when both are set).
# Topology__Partitions sets the partition count of every part (default 16; it must match what the broker already has).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVERS_SH="$REPO_ROOT/scripts/servers.sh"
STACK_DIR="$REPO_ROOT/.run/stack"
LOG_DIR="$REPO_ROOT/.run/logs"
export FANOUT_SERVERS_PROFILE="${FANOUT_SERVERS_PROFILE:-dev}"
READY_TIMEOUT="${FANOUT_STACK_READY_TIMEOUT:-120}"

ENVIRONMENT="${FANOUT_ENVIRONMENT:-Development}"
KEYS_FILE="$STACK_DIR/keys.env"
# The keys: FANOUT_API_KEY / FANOUT_SIGNING_KEY when given; else in Development the public development keys; else
# (Production refuses those) random keys made once and kept in .run/stack/keys.env, so that every part started later
# (restart) and tools/bench/run.sh use the same ones.
if [[ -n "${FANOUT_API_KEY:-}" && -n "${FANOUT_SIGNING_KEY:-}" ]]; then
  API_KEY=$FANOUT_API_KEY SIGNING_KEY=$FANOUT_SIGNING_KEY
elif [[ "$ENVIRONMENT" == Development ]]; then
  API_KEY=dev-api-key-change-me
  SIGNING_KEY=fanout-dev-signing-key-change-me-0123456789
else
  if [[ ! -s "$KEYS_FILE" ]]; then
    mkdir -p "$STACK_DIR"
    (umask 077 && printf 'API_KEY=stack-%s\nSIGNING_KEY=stack-%s\n' \
      "$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')" "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" >"$KEYS_FILE")
  fi
  # shellcheck source=/dev/null
  . "$KEYS_FILE"
fi
DEMO_ROOM=chat:lobby

PARTS=(ingest fanout-1 fanout-2 presence realtime-1 realtime-2)
declare -A PORT=([ingest]=5080 [fanout-1]=5090 [fanout-2]=5091 [presence]=5085 [realtime-1]=5070 [realtime-2]=5071)
declare -A PROJECT=([ingest]=Ingest [fanout-1]=Fanout [fanout-2]=Fanout [presence]=Presence [realtime-1]=Realtime [realtime-2]=Realtime)
declare -A ASSEMBLY=([ingest]=Fanout.Ingest [fanout-1]=Fanout.Sequencer [fanout-2]=Fanout.Sequencer
  [presence]=Fanout.Presence [realtime-1]=Fanout.Realtime [realtime-2]=Fanout.Realtime)

log() { echo "stack: $*"; }
die() { echo "stack: error: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------
# Helpers

require_part() {
  [[ -n "${1:-}" && -n "${PORT[$1]:-}" ]] || die "unknown part '${1:-}'; parts: ${PARTS[*]}"
}

bin_dir() { echo "$REPO_ROOT/services/${PROJECT[$1]}/bin/Release/net10.0"; }

# Prints the recorded pid of a part when that process is alive and runs the part's assembly.
part_pid() {
  local file="$STACK_DIR/$1.pid" pid
  [[ -s "$file" ]] || return 1
  pid=$(tr -dc '0-9' <"$file")
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "${ASSEMBLY[$1]}.dll" || return 1
  echo "$pid"
}

port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

http_status() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$1$2" 2>/dev/null || true
}

is_ready() { [[ "$(http_status "${PORT[$1]}" /health/ready)" == 200 ]]; }

pid_gone() { [[ ! -e "/proc/$1" ]] || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }

wait_for() {
  local deadline=$((SECONDS + $1)); shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# Exports the connection strings of the servers (written by servers.sh start).
load_servers_env() {
  local profile_dir=servers
  [[ "$FANOUT_SERVERS_PROFILE" == test* ]] && profile_dir="$FANOUT_SERVERS_PROFILE-servers"
  local env_file="$REPO_ROOT/.run/$profile_dir/servers.env"
  [[ -f "$env_file" ]] || die "$env_file is missing: run scripts/stack.sh up (or scripts/servers.sh start)"
  # shellcheck disable=SC1090
  . "$env_file"
}

# ---------------------------------------------------------------------------------------------------
# Parts

part_env() {
  local part=$1
  local settings=(
    "ASPNETCORE_ENVIRONMENT=$ENVIRONMENT"
    "ConnectionStrings__rabbitmq=$ConnectionStrings__rabbitmq"
    "ConnectionStrings__postgres=$ConnectionStrings__postgres"
    "ConnectionStrings__redis=$ConnectionStrings__redis"
    Ingest__ApiKeys__0__Name=dev
    "Ingest__ApiKeys__0__Key=$API_KEY"
    Ingest__ApiKeys__0__RequestsPerSecond=0
    Ingest__ApiKeys__0__AllowDestructive=true
    "Auth__Jwt__SigningKey=$SIGNING_KEY"
    "Topology__Partitions=${Topology__Partitions:-16}"
  )
  # The web console and the demo page (served by Ingest) use the two nodes' hubs; the nodes allow their origin.
  [[ "$part" == ingest ]] && settings+=(
    "Console__HubUrls__0=http://127.0.0.1:${PORT[realtime-1]}/hubs/rooms"
    "Console__HubUrls__1=http://127.0.0.1:${PORT[realtime-2]}/hubs/rooms")
  [[ "$part" == realtime-* ]] && settings+=("Realtime__NodeId=$part"
    "Realtime__Cors__AllowedOrigins__0=http://127.0.0.1:${PORT[ingest]}"
    "Realtime__Cors__AllowedOrigins__1=http://localhost:${PORT[ingest]}")
  # The two sequencers share the partitions (each takes its half at once, the other half as a standby).
  [[ "$part" == fanout-* ]] && settings+=("Sequencer__InstanceIndex=$((${part#fanout-} - 1))" Sequencer__InstanceCount=2)
  printf '%s\n' "${settings[@]}"
}

start_part() {
  local part=$1 pid dir port=${PORT[$1]} settings=()
  if pid=$(part_pid "$part"); then
    log "$part: already running (pid $pid, port $port)"
    return 0
  fi
  port_open "$port" && die "$part: port $port is already in use by another process"
  dir=$(bin_dir "$part")
  [[ -f "$dir/${ASSEMBLY[$part]}.dll" ]] || die "$part: $dir/${ASSEMBLY[$part]}.dll is not built (scripts/stack.sh up builds it)"
  mapfile -t settings < <(part_env "$part")
  mkdir -p "$STACK_DIR" "$LOG_DIR"
  echo "=== $(date -u +%FT%TZ) starting $part on port $port" >>"$LOG_DIR/$part.log"
  # The content root is the build output (appsettings*.json); setsid keeps the part alive after this shell.
  (cd "$dir" && exec setsid env "${settings[@]}" dotnet "${ASSEMBLY[$part]}.dll" --urls "http://127.0.0.1:$port" \
    </dev/null >>"$LOG_DIR/$part.log" 2>&1) &
  echo $! >"$STACK_DIR/$part.pid"
  echo "$port" >"$STACK_DIR/$part.port"
  log "$part: started (pid $!, http://127.0.0.1:$port, log .run/logs/$part.log)"
}

stop_part() {
  local part=$1 pid
  if ! pid=$(part_pid "$part"); then
    rm -f "$STACK_DIR/$part.pid"
    log "$part: not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_for 10 pid_gone "$pid"; then
    log "$part: still running 10 s after SIGTERM: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_for 5 pid_gone "$pid" || die "$part: pid $pid survives SIGKILL"
  fi
  rm -f "$STACK_DIR/$part.pid"
  log "$part: stopped (pid $pid)"
}

# Waits until every given part answers /health/ready with 200; on time-out shows the logs of the others.
wait_ready() {
  local deadline=$((SECONDS + READY_TIMEOUT)) pending=("$@") still part
  log "waiting up to ${READY_TIMEOUT}s for /health/ready of: ${pending[*]}"
  while ((${#pending[@]})); do
    still=()
    for part in "${pending[@]}"; do
      part_pid "$part" >/dev/null || { tail -n 30 "$LOG_DIR/$part.log" >&2; die "$part exited during start (log: .run/logs/$part.log)"; }
      if is_ready "$part"; then log "$part: ready"; else still+=("$part"); fi
    done
    pending=("${still[@]+"${still[@]}"}")
    ((${#pending[@]})) || break
    if ((SECONDS >= deadline)); then
      for part in "${pending[@]}"; do
        echo "--- $part (http://127.0.0.1:${PORT[$part]}/health/ready answers $(http_status "${PORT[$part]}" /health/ready)), last log lines:" >&2
        tail -n 15 "$LOG_DIR/$part.log" >&2
      done
      die "not ready after ${READY_TIMEOUT}s: ${pending[*]} (they are still running: scripts/stack.sh status / stop)"
    fi
    sleep 0.5
  done
}

# ---------------------------------------------------------------------------------------------------
# Commands

build() {
  local started=$SECONDS
  log "building Fanout.sln (Release); output in .run/logs/build.log"
  if ! dotnet build -c Release "$REPO_ROOT/Fanout.sln" -nologo >"$LOG_DIR/build.log" 2>&1; then
    grep -E ': error |error MSB|error NU' "$LOG_DIR/build.log" | sort -u | head -n 40 >&2 || tail -n 40 "$LOG_DIR/build.log" >&2
    die "build failed (.run/logs/build.log)"
  fi
  log "built in $((SECONDS - started)) s"
}

install_watch_tool() {
  [[ -d "$REPO_ROOT/tools/watch/node_modules/@microsoft/signalr" ]] && return 0
  command -v npm >/dev/null || { log "npm not found: skipping tools/watch"; return 0; }
  log "installing tools/watch (npm ci)"
  (cd "$REPO_ROOT/tools/watch" && npm ci --no-audit --no-fund >"$LOG_DIR/watch-npm.log" 2>&1) ||
    log "warning: npm ci in tools/watch failed (.run/logs/watch-npm.log); the watch command will not work"
}

print_usage_guide() {
  local token=TOKEN part
  command -v node >/dev/null && token=$(node "$REPO_ROOT/scripts/mint-token.mjs" --sub demo-user --name "Demo User" --key "$SIGNING_KEY")
  cat <<EOF

Fanout is up (servers profile: $FANOUT_SERVERS_PROFILE).
EOF
  for part in "${PARTS[@]}"; do
    case "$part" in
      ingest) printf '  %-11s http://127.0.0.1:%s   publish: POST /v1/rooms/{room}/events\n' "$part" "${PORT[$part]}" ;;
      realtime-*) printf '  %-11s http://127.0.0.1:%s   hub: /hubs/rooms\n' "$part" "${PORT[$part]}" ;;
      *) printf '  %-11s http://127.0.0.1:%s\n' "$part" "${PORT[$part]}" ;;
    esac
  done
  cat <<EOF

See it work in a browser:
  http://127.0.0.1:${PORT[ingest]}/demo/      the demo chat: open it in two windows, pick a name, chat, go offline and back
  http://127.0.0.1:${PORT[ingest]}/console/   the web console: sign in with the API key below (and the client token for a live tail over the hub)

API key (Ingest, Authorization: Bearer; $ENVIRONMENT): $API_KEY
Client token for demo-user (24 h; mint others with node scripts/mint-token.mjs --sub NAME):
  $token

Watch a room (in a second terminal; one JSON line per event):
  node tools/watch/watch.mjs --url http://127.0.0.1:${PORT[realtime-1]}/hubs/rooms --token $token --room $DEMO_ROOM

Publish an event:
  curl -sS -X POST http://127.0.0.1:${PORT[ingest]}/v1/rooms/$DEMO_ROOM/events -H 'Authorization: Bearer $API_KEY' -H 'Content-Type: application/json' -d '{"type":"message","data":{"text":"hello"}}'

Then: scripts/stack.sh status | logs <part> | restart <part> | stop
EOF
}

cmd_up() {
  local no_build=${1:-}
  [[ -z "$no_build" || "$no_build" == --no-build ]] || die "usage: scripts/stack.sh up [--no-build]"
  command -v curl >/dev/null || die "curl is needed (apt-get install -y curl)"
  mkdir -p "$STACK_DIR" "$LOG_DIR"
  "$SERVERS_SH" start
  load_servers_env
  [[ -n "$no_build" ]] || build
  install_watch_tool
  local part
  for part in "${PARTS[@]}"; do start_part "$part"; done
  wait_ready "${PARTS[@]}"
  print_usage_guide
}

cmd_status() {
  local part pid alive ready
  printf '%-11s %-8s %-6s %-6s %s\n' part pid port alive ready
  for part in "${PARTS[@]}"; do
    if pid=$(part_pid "$part"); then alive=yes; else pid=- alive=no; fi
    if is_ready "$part"; then ready=yes; else ready=no; fi
    printf '%-11s %-8s %-6s %-6s %s\n' "$part" "$pid" "${PORT[$part]}" "$alive" "$ready"
  done
}

cmd_stop() {
  local i
  if [[ -n "${1:-}" ]]; then
    require_part "$1"
    stop_part "$1"
    return 0
  fi
  for ((i = ${#PARTS[@]} - 1; i >= 0; i--)); do stop_part "${PARTS[i]}"; done
  "$SERVERS_SH" stop
}

cmd_restart() {
  require_part "${1:-}"
  load_servers_env
  stop_part "$1"
  start_part "$1"
  wait_ready "$1"
}

cmd_logs() {
  require_part "${1:-}"
  local file="$LOG_DIR/$1.log"
  [[ -f "$file" ]] || die "no log yet for $1 ($file)"
  if [[ -t 1 ]]; then exec tail -n 200 -F "$file"; else tail -n 200 "$file"; fi
}

usage() {
  grep '^#   scripts/stack.sh' "${BASH_SOURCE[0]}" | sed 's/^# //' >&2
  exit 2
}

main() {
  local command=${1:-}
  shift || true
  case "$command" in
    up) cmd_up "$@" ;;
    status) cmd_status ;;
    stop) cmd_stop "$@" ;;
    restart) cmd_restart "$@" ;;
    logs) cmd_logs "$@" ;;
    *) usage ;;
  esac
}

main "$@"
