#!/usr/bin/env bash
# build.sh [--all] - configures and builds the project's build folders with CMake and Ninja (-j2).
#
#   build/       native, gcc, RelWithDebInfo: the tools, every native test, and the CTest project that
#                runs everything (scripts/test.sh)
#   build-win/   the mingw-w64 cross build: wskview.exe, wskdump.exe, wskgen.exe and the tests for Wine
#   --all adds:
#   build-asan/  clang with AddressSanitizer + UndefinedBehaviorSanitizer (-DWSK_SANITIZE=ON)
#   build-tsan/  clang with ThreadSanitizer (-DWSK_TSAN=ON)
#
# Each step prints one line; the compiler's output goes to build/logs/NAME.log and its end is shown when a
# step fails. Running it again rebuilds only what changed. WSK_BUILD_PREFIX (default "build") renames the
# folders (e.g. "build-x" gives build-x, build-x-win, ...), so the scripts can be tried without touching
# the usual ones. WSK_JOBS overrides -j2.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${WSK_BUILD_PREFIX:-build}
jobs=${WSK_JOBS:-2}
native=$root/$prefix
win=$root/$prefix-win
asan=$root/$prefix-asan
tsan=$root/$prefix-tsan
logs=$native/logs
mkdir -p "$logs"

all=0
case "${1:-}" in
--all) all=1 ;;
"") ;;
*) echo "usage: build.sh [--all]" >&2; exit 2 ;;
esac

# step NAME DIR CMAKE-ARGS...: configure (cheap when nothing changed) and build one folder.
step() {
    local name=$1 dir=$2 log=$logs/$1.log start
    shift 2
    start=$(date +%s)
    if ! { cmake -S "$root" -B "$dir" -G Ninja "$@" && ninja -C "$dir" -j "$jobs"; } >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        echo "build: $name FAILED (log: $log)" >&2
        exit 1
    fi
    echo "build: ${dir#"$root"/}/ ok ($(($(date +%s) - start)) s, log: ${log#"$root"/})"
}

step native "$native" -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DWSK_WIN_BIN="$win/bin" -DWSK_ASAN_DIR="$asan" -DWSK_TSAN_DIR="$tsan"
# The cross build takes files made by native tools (the demo trace) from the native build.
step win "$win" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/mingw-w64-x86_64.cmake" \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWSK_NATIVE_BIN="$native/bin"
if [ $all = 1 ]; then
    step asan "$asan" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWSK_SANITIZE=ON \
        -DWSK_WIN_BIN="$win/bin"
    step tsan "$tsan" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWSK_TSAN=ON \
        -DWSK_WIN_BIN="$win/bin"
fi
