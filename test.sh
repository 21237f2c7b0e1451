#!/usr/bin/env bash
# Runs every test of ServiceAccounts on a fresh Debian machine with the .NET 10 SDK:
# installs what the tests need when it is missing, then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")"

dotnet tool restore
dotnet test ServiceAccounts.sln --configuration Release "$@"
