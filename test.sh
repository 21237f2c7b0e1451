#!/usr/bin/env bash
# Runs every test of ServiceAccounts on a fresh Debian machine with the .NET 10 SDK:
# installs what the tests need when it is missing, then runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")"

# The browser tests (ServiceAccounts.Tests/Browser) drive Debian's Chromium through Playwright; the fonts give the
# screenshots their glyphs. Playwright's own browser download is never used.
if [ ! -x /usr/bin/chromium ]; then
    echo "test.sh: installing Chromium and fonts for the browser tests" >&2
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        sudo="sudo"
    fi
    $sudo apt-get update
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium fonts-liberation fonts-dejavu-core
fi

dotnet tool restore
dotnet test ServiceAccounts.sln --configuration Release "$@"
