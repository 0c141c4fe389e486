#!/usr/bin/env bash
# THE test command (README and CI): starts real RabbitMQ, Redis and PostgreSQL (servers.sh, test
# profile, installed when absent), builds, runs every .NET test project and the Node tests (tests/js,
# clients/js built with tsc, and tests/browser in Debian's Chromium, installed when absent), stops the
# servers, and ends with one line
# "N passed, N failed, N skipped". Exits non-zero when anything
# failed or when no test ran. Results: .run/test-results (trx, tap).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
RESULTS_DIR="$REPO_ROOT/.run/test-results"
TEST_PROJECTS=(tests/Fanout.UnitTests tests/Fanout.IntegrationTests tests/Fanout.EndToEnd.Tests)

# FANOUT_TEST_SERVERS_PROFILE=test2 runs on the second test set of servers (servers.sh).
export FANOUT_SERVERS_PROFILE="${FANOUT_TEST_SERVERS_PROFILE:-test}" FANOUT_REPO_ROOT="$REPO_ROOT"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

PASSED=0 FAILED=0 SKIPPED=0
PROBLEMS=()
TIMINGS=()
STARTED=$SECONDS

STEP_PID=

say() { printf '\n==> %s\n' "$*"; }

# Runs a command in the background and waits for it. Bash runs no trap until a foreground command
# ends, so a hung test would hold Ctrl-C or a CI's SIGTERM back; `wait` lets the traps below run at once.
run() {
  local status=0
  "$@" &
  STEP_PID=$!
  wait "$STEP_PID" || status=$?
  STEP_PID=
  return "$status"
}

# Pids of every descendant of a process (from /proc, so that procps is not needed).
descendants() {
  local -A parent=()
  local pid ppid queue=("$1")
  while read -r pid ppid; do parent[$pid]=$ppid; done < <(
    awk '/^PPid:/ { split(FILENAME, part, "/"); print part[3], $2 }' /proc/[0-9]*/status 2>/dev/null)
  while ((${#queue[@]})); do
    for pid in "${!parent[@]}"; do
      [[ "${parent[$pid]}" == "${queue[0]}" ]] && { echo "$pid"; queue+=("$pid"); }
    done
    queue=("${queue[@]:1}")
  done
}

any_alive() {
  local pid
  for pid; do
    [[ -e "/proc/$pid" ]] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null && return 0
  done
  return 1
}

# Ctrl-C or SIGTERM: end the running step and everything it started (test hosts, services), then exit;
# the EXIT trap stops the servers.
interrupted() {
  trap '' INT TERM
  echo "test.sh: interrupted; stopping the running step" >&2
  if [[ -n "$STEP_PID" ]]; then
    local pids
    mapfile -t pids < <(descendants "$STEP_PID")
    pids+=("$STEP_PID")
    kill -TERM "${pids[@]}" 2>/dev/null || true
    for _ in {1..50}; do
      any_alive "${pids[@]}" || break
      sleep 0.1
    done
    kill -KILL "${pids[@]}" 2>/dev/null || true
  fi
  exit 130
}

# run_step NAME COMMAND...: runs a step, records its duration, returns its exit code.
run_step() {
  local name=$1 started=$SECONDS status=0
  shift
  say "$name"
  "$@" || status=$?
  TIMINGS+=("$(printf '%-40s %4d s  %s' "$name" $((SECONDS - started)) "$([[ $status == 0 ]] && echo ok || echo "exit $status")")")
  return "$status"
}

SERVERS_STOPPED=

# Also the EXIT trap, so that the servers stop after a failure or an interruption too.
stop_servers() {
  [[ -z "$SERVERS_STOPPED" ]] || return 0
  SERVERS_STOPPED=1
  scripts/servers.sh stop || echo "warning: scripts/servers.sh stop failed" >&2
}

# Reads the counters of a trx file: "total executed passed failed" (0s when absent).
trx_counters() {
  local counters
  counters=$(grep -o '<Counters [^>]*>' "$1" 2>/dev/null | head -n 1) || true
  local name value out=()
  for name in total executed passed failed; do
    value=$(sed -n "s/.* $name=\"\([0-9]*\)\".*/\1/p" <<<"$counters")
    out+=("${value:-0}")
  done
  echo "${out[*]}"
}

# The failed tests of a trx file, one per line: the name and the start of the failure message (so that the summary
# at the end, which is all a CI log may keep, says what failed and why). Names only when python3 is missing.
trx_failed_tests() {
  [[ -f "$1" ]] || return 0
  if command -v python3 >/dev/null 2>&1; then
    python3 scripts/trx-failures.py "$1" || true
  else
    grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$1" 2>/dev/null \
      | sed -n 's/.* testName="\([^"]*\)".*/\1/p' | sed 's/&quot;/"/g; s/&amp;/\&/g; s/&lt;/</g; s/&gt;/>/g' || true
  fi
}

dotnet_test() {
  local project=$1 name trx status=0 total executed passed failed
  name=$(basename "$project")
  trx="$RESULTS_DIR/$name.trx"
  run dotnet test "$project" -c Debug --no-build --results-directory "$RESULTS_DIR" \
    --logger "console;verbosity=normal" --logger "trx;LogFileName=$name.trx" \
    --blame-hang-timeout 5min --blame-hang-dump-type none || status=$?
  read -r total executed passed failed <<<"$(trx_counters "$trx")"
  PASSED=$((PASSED + passed)) FAILED=$((FAILED + failed)) SKIPPED=$((SKIPPED + total - executed))
  if ((status != 0 && failed == 0)); then
    # A crash or a hang kill leaves no failed test behind; count the project itself as one failure.
    FAILED=$((FAILED + 1))
    PROBLEMS+=("$name: dotnet test exited $status without a failed test in $trx (crash, hang or no trx)")
  elif ((failed > 0)); then
    PROBLEMS+=("$name: $failed failed")
    local test_name
    while IFS= read -r test_name; do PROBLEMS+=("  failed: $test_name"); done < <(trx_failed_tests "$trx")
  fi
  return "$status"
}

# A summary line of the top-level TAP stream ("# pass N", "# fail N", ...), 0 when absent.
tap_count() {
  local count
  count=$(grep -E "^# $2 [0-9]+$" "$1" 2>/dev/null | tail -n 1 | awk '{print $3}') || true
  echo "${count:-0}"
}

# node_tests DIR TAP_NAME: npm ci in DIR, `npm run build` when its package.json has a build script, then
# node --test there (results in TAP_NAME.tap), counted into the summary.
node_tests() {
  local dir=$1 tap="$RESULTS_DIR/$2.tap" status=0
  run env -C "$dir" npm ci --no-audit --no-fund || { FAILED=$((FAILED + 1)); PROBLEMS+=("$dir: npm ci failed"); return 1; }
  if grep -q '"build":' "$dir/package.json"; then
    run env -C "$dir" npm run build || { FAILED=$((FAILED + 1)); PROBLEMS+=("$dir: npm run build failed"); return 1; }
  fi
  run env -C "$dir" node --test --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" || status=$?
  local passed failed cancelled skipped todo
  passed=$(tap_count "$tap" pass) failed=$(tap_count "$tap" fail) cancelled=$(tap_count "$tap" cancelled)
  skipped=$(tap_count "$tap" skipped) todo=$(tap_count "$tap" todo)
  failed=$((failed + cancelled))
  PASSED=$((PASSED + passed)) FAILED=$((FAILED + failed)) SKIPPED=$((SKIPPED + skipped + todo))
  if ((status != 0 && failed == 0)); then
    FAILED=$((FAILED + 1))
    PROBLEMS+=("$dir: node --test exited $status without a failed test")
  elif ((failed > 0)); then
    PROBLEMS+=("$dir: $failed failed")
  fi
  return "$status"
}

# Debian's Chromium for tests/browser, installed with apt when missing (CI starts from a fresh machine; no browser
# download works there). Fails when it cannot be installed: the browser tests then count as failed, never skipped.
ensure_chromium() {
  local chromium=${FANOUT_CHROMIUM:-/usr/bin/chromium} sudo=()
  [[ -x "$chromium" ]] && return 0
  command -v apt-get >/dev/null || { echo "test.sh: $chromium is missing and apt-get is not available" >&2; return 1; }
  ((EUID == 0)) || sudo=(sudo -n)
  echo "test.sh: $chromium is missing: apt-get install chromium"
  run "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium ||
    { run "${sudo[@]}" apt-get update -q && run "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; } ||
    return 1
  [[ -x "$chromium" ]] || { echo "test.sh: apt-get installed chromium but $chromium does not exist" >&2; return 1; }
}

# Stops the servers, prints the durations and the summary line (last); fails when anything failed.
finish() {
  run_step "stop the servers" stop_servers || true
  say "summary"
  printf '%s\n' "${TIMINGS[@]}"
  printf '%-40s %4d s\n' total $((SECONDS - STARTED))
  ((PASSED + FAILED > 0)) || PROBLEMS+=("no test ran")
  ((${#PROBLEMS[@]} == 0)) || printf 'problem: %s\n' "${PROBLEMS[@]}"
  echo
  if ((SKIPPED > 0)); then echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"; else echo "$PASSED passed, $FAILED failed"; fi
  ((FAILED == 0 && PASSED > 0 && ${#PROBLEMS[@]} == 0))
}

main() {
  trap stop_servers EXIT
  trap interrupted INT TERM
  rm -rf "$RESULTS_DIR"
  mkdir -p "$RESULTS_DIR"

  if ! run_step "servers (RabbitMQ, Redis, PostgreSQL)" run scripts/servers.sh start; then
    PROBLEMS+=("the test servers did not start")
    finish || exit 1
  fi
  # shellcheck disable=SC1091
  . ".run/$FANOUT_SERVERS_PROFILE-servers/servers.env"

  if ! run_step "build (Fanout.sln, Debug)" run dotnet build Fanout.sln -c Debug -nologo; then
    PROBLEMS+=("the build failed")
    finish || exit 1
  fi

  local project
  for project in "${TEST_PROJECTS[@]}"; do
    run_step "test $(basename "$project")" dotnet_test "$project" || true
  done
  if [[ -f tests/js/package.json ]]; then
    run_step "test tests/js (node --test)" node_tests tests/js js || true
  fi
  if [[ -f clients/js/package.json ]]; then
    run_step "test clients/js (build, node --test)" node_tests clients/js clients-js || true
  fi
  if [[ -f tests/browser/package.json ]]; then
    # The screenshots go with the results here; run tests/browser directly to refresh docs/images.
    export FANOUT_SCREENSHOTS_DIR="${FANOUT_SCREENSHOTS_DIR:-$RESULTS_DIR/screenshots}"
    if run_step "install Chromium (browser tests)" ensure_chromium; then
      run_step "test tests/browser (Chromium, node --test)" node_tests tests/browser browser || true
    else
      FAILED=$((FAILED + 1))
      PROBLEMS+=("tests/browser: Chromium is missing and could not be installed (apt-get install chromium); the browser tests did not run")
    fi
  fi
  finish
}

main "$@"
