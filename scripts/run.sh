#!/usr/bin/env bash
# THE run command (README): Fanout in the embedded mode — one process, one port, history in SQLite, presence in memory,
# nothing else to install but the .NET SDK. Builds services/Embedded in Release, starts it in the foreground and, once it
# listens, prints the URLs, the development API key, a client token and the commands to publish and watch.
#
#   scripts/run.sh                      # http://127.0.0.1:5080, data in ./fanout-data, Development settings
#   FANOUT_PORT=6000 scripts/run.sh     # another port
#   FANOUT_DATA=/var/lib/fanout scripts/run.sh
#   FANOUT_ENVIRONMENT=Production scripts/run.sh   # no development keys: configure your own (docs/configuration.md)
#   scripts/run.sh --no-build           # start the last build
#
# Ctrl-C (SIGINT) or SIGTERM stops it; every accepted event is stored before it exits.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${FANOUT_PORT:-5080}"
DATA="${FANOUT_DATA:-$REPO_ROOT/fanout-data}"
ENVIRONMENT="${FANOUT_ENVIRONMENT:-Development}"
DLL="$REPO_ROOT/services/Embedded/bin/Release/net10.0/Fanout.Embedded.dll"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

command -v dotnet >/dev/null 2>&1 || { echo "run.sh: the .NET 10 SDK (dotnet) is needed: https://dot.net" >&2; exit 1; }

if [[ "${1:-}" != "--no-build" ]]; then
  echo "run.sh: building services/Embedded (Release)…"
  dotnet build "$REPO_ROOT/services/Embedded/Fanout.Embedded.csproj" -c Release -nologo -v quiet -clp:ErrorsOnly
fi
[[ -f "$DLL" ]] || { echo "run.sh: $DLL is missing; run without --no-build" >&2; exit 1; }

cd "$REPO_ROOT"
exec env ASPNETCORE_ENVIRONMENT="$ENVIRONMENT" Sqlite__DataDirectory="$DATA" \
  dotnet "$DLL" --urls "http://127.0.0.1:$PORT"
