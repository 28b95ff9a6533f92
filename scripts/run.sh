#!/usr/bin/env bash
# run.sh [TRACE.etl] - the README's first command: installs what is missing, builds build/ and build-win/,
# and opens the viewer (build-win/bin/wskview.exe) on TRACE.etl, by default the demo trace the build makes
# (build/demo/demo.etl).
#   Linux with a display: runs it under Wine (prefix in build/wine/) until you close it.
#   Linux without a display (DISPLAY unset or unusable): runs it on a virtual display (Xvfb), saves a
#   screenshot to build/screenshots/run.png, says where, and stops it.
#   Windows (Git Bash / MSYS2, with CMake and a C compiler): builds build-win/ natively and runs it.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${WSK_BUILD_PREFIX:-build}
native=$root/$prefix
win=$root/$prefix-win
trace=${1:-}

case "$(uname -s)" in
MINGW*|MSYS*|CYGWIN*)
    if command -v ninja >/dev/null 2>&1; then gen=(-G Ninja); else gen=(); fi
    cmake -S "$root" -B "$win" "${gen[@]}" -DCMAKE_BUILD_TYPE=Release
    cmake --build "$win" --config Release --parallel 2
    exe=$win/bin/wskview.exe
    [ -f "$exe" ] || exe=$win/bin/Release/wskview.exe      # multi-configuration generators (Visual Studio)
    if [ -z "$trace" ] && [ -f "$win/demo/demo.etl" ]; then
        trace=$win/demo/demo.etl
    fi
    echo "run: $exe ${trace:-}"
    exec "$exe" ${trace:+"$trace"}
    ;;
esac

"$root/scripts/setup-deps.sh"
"$root/scripts/build.sh"
exe=$win/bin/wskview.exe
[ -f "$exe" ] || { echo "run: $exe was not built" >&2; exit 1; }
if [ -z "$trace" ] && [ -f "$native/demo/demo.etl" ]; then
    trace=$native/demo/demo.etl
fi
args=()
if [ -n "$trace" ]; then
    [ -f "$trace" ] || { echo "run: $trace does not exist" >&2; exit 1; }
    t=$(realpath -- "$trace")
    args=("Z:${t//\//\\}")     # the Unix root is drive Z: in a Wine prefix
fi
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="

if [ -n "${DISPLAY:-}" ] && xdpyinfo >/dev/null 2>&1; then
    WINEPREFIX=$("$root/tests/wine/wine-env.sh" prefix "$native" | tail -n 1)
    export WINEPREFIX
    echo "run: wine $exe ${trace:-} (close the window to end)"
    exec wine "$exe" "${args[@]}"
fi

# No display: a virtual one (the test rig's, tests/wine/wine-env.sh), a picture, and stop.
"$root/tests/wine/wine-env.sh" start "$native" >/dev/null
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
    "$root/tests/wine/wine-env.sh" stop "$native" >/dev/null
}
trap cleanup EXIT
while IFS='=' read -r key value; do
    case "$key" in DISPLAY|WINEPREFIX) export "$key=$value" ;; esac
done <"$native/wine/env"
echo "run: no display: wine $exe ${trace:-} on the virtual display $DISPLAY"
wine "$exe" "${args[@]}" >"$native/wine/run.log" 2>&1 </dev/null &
pid=$!
win_id=
for _ in $(seq 1 60); do
    win_id=$(xdotool search --onlyvisible --name wskview 2>/dev/null | head -n 1 || true)
    [ -n "$win_id" ] && break
    kill -0 "$pid" 2>/dev/null || { cat "$native/wine/run.log" >&2; echo "run: wskview.exe ended early" >&2; exit 1; }
    sleep 0.5
done
[ -n "$win_id" ] || echo "run: no wskview window after 30 s; the picture shows the whole display" >&2
sleep 3      # let it load the trace and paint
mkdir -p "$native/screenshots"
shot=$native/screenshots/run.png
import -window "${win_id:-root}" "$shot"
# A picture of one colour shows no window: say so rather than point at an empty picture.
sd=$(convert "$shot" -colorspace Gray -format '%[fx:standard_deviation]' info: 2>/dev/null || true)
if [ -n "$sd" ] && awk -v s="$sd" 'BEGIN { exit !(s > 0.01) }'; then
    echo "run: screenshot saved to $shot"
else
    echo "run: screenshot saved to $shot, but it is blank (see $native/wine/run.log)" >&2
    exit 1
fi
