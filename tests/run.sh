#!/usr/bin/env bash
# The test command (README): builds with warnings as errors and runs every test.
# Extra arguments go to `dotnet test` (CI adds a results logger).
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build HotTopics.sln -c Release -warnaserror
dotnet test tests/HotTopics.Tests/HotTopics.Tests.csproj -c Release --no-build "$@"
