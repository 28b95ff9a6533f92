#!/usr/bin/env bash
# test.sh - the README's test command: installs what is missing, builds every folder (scripts/build.sh
# --all) and runs every test in ONE ctest run of build/, whose summary closes the output. The sanitizer
# builds' tests run inside it as the tests sanitize.asan and sanitize.tsan; the Windows programs run under
# Wine through the fixture "wine" (Xvfb on a free display, started and stopped by the run itself).
# Exit code: ctest's. Extra arguments go to ctest (e.g. -R wine, -L native).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${WSK_BUILD_PREFIX:-build}

"$root/scripts/setup-deps.sh"
"$root/scripts/build.sh" --all
cd "$root"
exec ctest --test-dir "$prefix" --output-on-failure -j "${WSK_JOBS:-2}" "$@"
