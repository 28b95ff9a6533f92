#!/usr/bin/env bash
# setup-deps.sh - installs what the build and the tests need on Debian 12, and only what is missing.
# Run as root on a fresh machine; as another user it only checks and says what to install.
# apt-get's output goes to a log file (WSK_LOG, default build/setup-deps.log); one line per step here.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
log=${WSK_LOG:-$root/build/setup-deps.log}

# Compilers and build tools; clang with its sanitizer runtimes; the mingw-w64 cross compiler; Wine,
# a virtual X server and the X tools the GUI tests use (xdpyinfo, xdotool, ImageMagick's import); a
# real TrueType family for DirectWrite under Wine; python3 for the CLI and project-file tests.
packages=(cmake ninja-build gcc clang llvm libclang-rt-14-dev gcc-mingw-w64-x86-64
          wine wine64 xvfb x11-utils xdotool imagemagick fonts-dejavu-core python3)

case "$(uname -s)" in
Linux) ;;
*) echo "setup-deps: not Linux ($(uname -s)): nothing to install"; exit 0 ;;
esac
if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "setup-deps: no dpkg-query: this script knows Debian 12 only; install by hand: ${packages[*]}" >&2
    exit 1
fi

missing=()
for p in "${packages[@]}"; do
    if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" != "install ok installed" ]; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "setup-deps: all ${#packages[@]} packages present"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "setup-deps: missing packages: ${missing[*]}" >&2
    echo "setup-deps: run this script as root, or: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi

mkdir -p "$(dirname "$log")"
: >"$log"
export DEBIAN_FRONTEND=noninteractive
echo "setup-deps: apt-get update (log: $log)"
if ! apt-get update -qq >>"$log" 2>&1; then
    tail -n 20 "$log" >&2
    echo "setup-deps: apt-get update failed (log: $log)" >&2
    exit 1
fi
echo "setup-deps: installing ${#missing[@]} packages: ${missing[*]}"
if ! apt-get install -y -qq "${missing[@]}" >>"$log" 2>&1; then
    tail -n 20 "$log" >&2
    echo "setup-deps: apt-get install failed (log: $log)" >&2
    exit 1
fi
echo "setup-deps: done"
