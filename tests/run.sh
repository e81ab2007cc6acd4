#!/usr/bin/env bash
# The test command (README): builds with warnings as errors and runs every test.
# The browser tests drive Debian's Chromium; it is installed here when missing (we run as root).
# Extra arguments go to `dotnet test` (CI adds a results logger).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Chromium for the browser tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
dotnet build HotTopics.sln -c Release -warnaserror
dotnet test tests/HotTopics.Tests/HotTopics.Tests.csproj -c Release --no-build "$@"
