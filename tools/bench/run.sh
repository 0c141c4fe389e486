#!/usr/bin/env bash
# One benchmark run against the local stack, the way the reference harness runs its peers.
#
#   tools/bench/run.sh <steady|ramp|reconnect-storm|idle-connections> [Fanout.Bench options]
#
# 1. refuses to start when a stack part already runs (this script stops what it starts, and only that);
# 2. scripts/stack.sh up: the servers, a Release build of Fanout.sln (which includes tools/Fanout.Bench), every part;
# 3. charges the CPU of every part and of RabbitMQ, Redis and PostgreSQL (with its backends) to the servers;
# 4. runs tools/Fanout.Bench/bin/Release/net10.0/Fanout.Bench.dll <scenario> --server-pids ... [options];
# 5. appends its JSON line to .run/bench/<scenario>.jsonl; stops the parts (and the servers when it started
#    them) on exit, also on failure or Ctrl-C.
#
# Environment: BENCH_NO_BUILD=1 skips the build (scripts/stack.sh up --no-build).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STACK_SH="$REPO_ROOT/scripts/stack.sh"
SERVERS_SH="$REPO_ROOT/scripts/servers.sh"
STACK_DIR="$REPO_ROOT/.run/stack"
RESULTS_DIR="$REPO_ROOT/.run/bench"
BENCH_DLL="$REPO_ROOT/tools/Fanout.Bench/bin/Release/net10.0/Fanout.Bench.dll"
PARTS=(ingest fanout-1 fanout-2 presence realtime-1 realtime-2)
declare -A SERVER_PORT=([rabbitmq]=5672 [redis]=6379 [postgres]=5432)
export FANOUT_SERVERS_PROFILE=dev
# Measure what production runs: Production settings (no per-request debug logs).
export FANOUT_ENVIRONMENT=Production
# Production refuses the public development keys: this run's own, for the stack and the bench alike.
FANOUT_API_KEY="bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
FANOUT_SIGNING_KEY="bench-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export FANOUT_API_KEY FANOUT_SIGNING_KEY

log() { echo "bench: $*" >&2; }
die() { echo "bench: error: $*" >&2; exit 1; }

scenario=${1:-}
case "$scenario" in
  steady | ramp | reconnect-storm | idle-connections) shift ;;
  *) die "usage: tools/bench/run.sh <steady|ramp|reconnect-storm|idle-connections> [bench options]" ;;
esac

# A part runs when its pid file names a live process.
part_running() {
  local pid
  [[ -s "$STACK_DIR/$1.pid" ]] || return 1
  pid=$(tr -dc '0-9' <"$STACK_DIR/$1.pid")
  [[ -n "$pid" && -e "/proc/$pid" ]]
}

for part in "${PARTS[@]}"; do
  part_running "$part" && die "$part is already running (scripts/stack.sh status); stop it first: this script stops what it starts"
done

servers_were_up=0
"$SERVERS_SH" status >/dev/null 2>&1 && servers_were_up=1

cleanup() {
  local status=$?
  log "stopping the stack"
  for ((i = ${#PARTS[@]} - 1; i >= 0; i--)); do "$STACK_SH" stop "${PARTS[i]}" >&2 || true; done
  if ((servers_were_up == 0)); then "$SERVERS_SH" stop >&2 || true; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

up_args=()
[[ "${BENCH_NO_BUILD:-}" == 1 ]] && up_args+=(--no-build)
"$STACK_SH" up "${up_args[@]+"${up_args[@]}"}" >&2
[[ -f "$BENCH_DLL" ]] || die "$BENCH_DLL is missing (the Release build of Fanout.sln makes it)"

# label=pid for every part, then the servers: from servers.sh status when it started them, else whoever listens
# on their port (servers started outside the script).
pids=()
for part in "${PARTS[@]}"; do
  pids+=("$part=$(tr -dc '0-9' <"$STACK_DIR/$part.pid")")
done
server_status=$("$SERVERS_SH" status 2>/dev/null || true)
for server in rabbitmq redis postgres; do
  pid=$(awk -v s="$server" '$1 == s && $3 ~ /^[0-9]+$/ { print $3 }' <<<"$server_status")
  if [[ -z "$pid" ]]; then
    pid=$(ss -Hltnp "sport = :${SERVER_PORT[$server]}" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2 || true)
  fi
  if [[ -n "$pid" ]]; then pids+=("$server=$pid"); else log "warning: no pid found for $server; its CPU is not counted"; fi
done
server_pids=$(IFS=,; echo "${pids[*]}")
log "server pids: $server_pids"

mkdir -p "$RESULTS_DIR"
line=$(dotnet "$BENCH_DLL" "$scenario" --server-pids "$server_pids" --api-key "$FANOUT_API_KEY" --signing-key "$FANOUT_SIGNING_KEY" "$@")
[[ -n "$line" ]] || die "the bench printed no result line"
echo "$line" >>"$RESULTS_DIR/$scenario.jsonl"
log "result appended to .run/bench/$scenario.jsonl"
echo "$line"
