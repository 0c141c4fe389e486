#!/usr/bin/env bash
# One run of the reference load generator (../shared/bench/loadgen, `--target fanout`) against Fanout's embedded mode,
# the way ../shared/bench/run-peer.sh runs its peers, so the figures sit beside theirs (docs/benchmarks.md).
#
#   tools/bench/loadgen-embedded.sh <steady|ramp|reconnect> [loadgen options]
#   e.g. tools/bench/loadgen-embedded.sh steady --rooms 20 --clients-per-room 25 --rate 400 --duration 20 --warmup 5
#
# 1. copies the harness to $FANOUT_BENCH_DIR (default /tmp/fanout-bench; the shared folder is read-only) and installs
#    the loadgen (npm ci) when missing; builds services/Embedded in Release unless BENCH_NO_BUILD=1;
# 2. refuses to start when 127.0.0.1:5080 is taken; starts Fanout.Embedded there in Production with a fresh data
#    directory, a bench API key without rate limit and a bench signing key; waits for /health/ready;
# 3. waits (up to QUIET_WAIT_S=120 s) for a machine < QUIET_BUSY_PCT=10 % busy, like run-peer.sh;
# 4. runs the loadgen with every client on the one node, charging the process's CPU (`--server-pids embedded=PID`);
# 5. appends the JSON line to .run/bench/embedded-<scenario>.jsonl; stops the process (SIGTERM) on exit.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SHARED_BENCH="${SHARED_BENCH:-$REPO_ROOT/../shared/bench}"
BENCH="${FANOUT_BENCH_DIR:-/tmp/fanout-bench}"
RESULTS_DIR="$REPO_ROOT/.run/bench"
DLL="$REPO_ROOT/services/Embedded/bin/Release/net10.0/Fanout.Embedded.dll"
QUIET_WAIT_S="${QUIET_WAIT_S:-120}"
QUIET_BUSY_PCT="${QUIET_BUSY_PCT:-10}"
API_KEY="bench-api-key-0123456789"
SIGNING_KEY="bench-signing-key-0123456789-0123456789-abcdef"

scenario="${1:-}"
case "$scenario" in steady | ramp | reconnect) shift ;; *) echo "usage: $0 <steady|ramp|reconnect> [loadgen options]" >&2; exit 2 ;; esac

log() { echo "[loadgen-embedded $(date -u +%H:%M:%S)] $*" >&2; }

if [[ ! -f "$BENCH/loadgen/loadgen.mjs" ]]; then
  [[ -d "$SHARED_BENCH/loadgen" ]] || { echo "no harness at $SHARED_BENCH (set SHARED_BENCH)" >&2; exit 1; }
  rm -rf "$BENCH" && cp -r "$SHARED_BENCH" "$BENCH" && chmod -R u+w "$BENCH"
fi
[[ -d "$BENCH/loadgen/node_modules" ]] || (cd "$BENCH/loadgen" && npm ci --no-audit --no-fund >&2)
[[ "${BENCH_NO_BUILD:-}" == 1 ]] || dotnet build "$REPO_ROOT/services/Embedded/Fanout.Embedded.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
(exec 3<>/dev/tcp/127.0.0.1/5080) 2>/dev/null && { echo "127.0.0.1:5080 is already in use" >&2; exit 1; }

DATA="$(mktemp -d /tmp/fanout-bench-data.XXXXXX)"
mkdir -p "$RESULTS_DIR"
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RAW="$RESULTS_DIR/embedded-$scenario-$STAMP.raw"
PID=""
cleanup() {
  local rc=$?
  set +e
  if [[ -n "$PID" ]]; then
    kill -TERM "$PID" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$PID" 2>/dev/null
  fi
  rm -rf "$DATA"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ulimit -n 65536 2>/dev/null || true

(cd "$REPO_ROOT" && exec env ASPNETCORE_ENVIRONMENT=Production Sqlite__DataDirectory="$DATA" \
  Ingest__ApiKeys__0__Name=bench Ingest__ApiKeys__0__Key="$API_KEY" Ingest__ApiKeys__0__RequestsPerSecond=0 \
  Auth__Jwt__SigningKey="$SIGNING_KEY" Realtime__Limits__MaxConnectionsPerUser=100000 \
  dotnet "$DLL" --urls http://127.0.0.1:5080) >>"$RAW" 2>&1 &
PID=$!
log "Fanout.Embedded pid $PID, data $DATA, log $RAW"
for _ in $(seq 300); do
  curl -sf -o /dev/null http://127.0.0.1:5080/health/ready && break
  kill -0 "$PID" 2>/dev/null || { tail -5 "$RAW" >&2; exit 1; }
  sleep 0.1
done

busy_pct() {
  local a b
  read -r _ a1 a2 a3 a4 a5 a6 a7 _ </proc/stat; a=$((a1 + a2 + a3 + a6 + a7)); local ta=$((a + a4 + a5))
  sleep 1
  read -r _ b1 b2 b3 b4 b5 b6 b7 _ </proc/stat; b=$((b1 + b2 + b3 + b6 + b7)); local tb=$((b + b4 + b5))
  echo $(((b - a) * 100 / (tb - ta)))
}
for ((waited = 0; waited < QUIET_WAIT_S; waited++)); do
  busy=$(busy_pct)
  ((busy < QUIET_BUSY_PCT)) && break
done
log "machine ${busy}% busy"

TOKEN="$(node "$REPO_ROOT/scripts/mint-token.mjs" --sub bench --key "$SIGNING_KEY" --ttl 86400)"
node "$BENCH/loadgen/loadgen.mjs" --target fanout --scenario "$scenario" \
  --nodes http://127.0.0.1:5080/hubs/rooms --publish-url http://127.0.0.1:5080 \
  --token "$TOKEN" --api-key "$API_KEY" --server-pids "embedded=$PID" --label embedded "$@" \
  2>>"$RAW" | tee -a "$RESULTS_DIR/embedded-$scenario.jsonl"
