#!/usr/bin/env bash
# wine-env.sh - the Wine test rig: a virtual X display and Wine prefixes that live in the build tree.
#
#   wine-env.sh start  BUILD_DIR        Xvfb on a free display (from :90 up), prefix(es), persistent wineservers;
#                                       writes BUILD_DIR/wine/env (DISPLAY, WINEPREFIX, ...) for wine-run.sh.
#   wine-env.sh stop   BUILD_DIR        stops that Xvfb and the prefixes' wineservers.
#   wine-env.sh prefix BUILD_DIR [DPI]  makes sure the prefix for DPI exists (96 = BUILD_DIR/wine/prefix,
#                                       other = BUILD_DIR/wine/prefix-DPI), boots it when the display runs,
#                                       and prints its path.
#
# Why this shape: a prefix takes ~8 s to create, so it is made once and reused; a persistent wineserver
# (`wineserver -p`) spares every test the server's start-up; DPI tests get their own prefix (LogPixels set
# in its registry) so the normal prefix stays at 96 and tests never change shared state. Extra DPIs to
# prepare at start: WSK_WINE_DPI (space-separated, e.g. "144"); wine-run.sh also creates one on demand.
#
# The CTest fixture "wine" calls start and stop (tests/CMakeLists.txt). Everything this starts is
# detached from CTest's pipes, or CTest would wait for it.
set -u

# Close every descriptor but stdin/out/err: CTest hands its test processes a pipe it waits on, and the
# daemons started here (Xvfb, wineserver, Wine's services) would otherwise hold it open for ever.
for fd in /proc/$$/fd/*; do
    fd=${fd##*/}
    if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-"; fi
done

die() { echo "wine-env: $*" >&2; exit 1; }
skip() { echo "wine-env: $* (skipped)"; exit 77; }

cmd=${1:-}
build=${2:-}
[ -n "$cmd" ] && [ -n "$build" ] || die "usage: wine-env.sh start|stop|prefix BUILD_DIR [DPI]"
mkdir -p "$build/wine" || die "cannot create $build/wine"
state=$(cd "$build/wine" && pwd)
export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="

need() {
    local t
    for t in "$@"; do
        command -v "$t" >/dev/null 2>&1 || skip "'$t' is not installed: run scripts/setup-deps.sh as root"
    done
}

prefix_path() {
    if [ "${1:-96}" = 96 ]; then echo "$state/prefix"; else echo "$state/prefix-$1"; fi
}

# Creates the prefix for DPI $1 unless it is complete. A marker file is written last, so a prefix whose
# creation was interrupted is made again rather than reused half-built. flock serialises concurrent callers.
ensure_prefix() {
    local dpi=${1:-96} pfx log
    case "$dpi" in ''|*[!0-9]*) die "DPI must be a number, not '$dpi'";; esac
    pfx=$(prefix_path "$dpi")
    log="$state/prefix-$dpi.log"
    (
        flock 9
        [ -f "$pfx/.wsk-ready" ] && exit 0
        rm -rf "$pfx"
        echo "wine-env: creating Wine prefix $pfx (once; log $log)" >&2
        WINEPREFIX="$pfx" wineboot -i >"$log" 2>&1 </dev/null || { cat "$log" >&2; exit 1; }
        if [ "$dpi" != 96 ]; then
            WINEPREFIX="$pfx" wine reg add 'HKCU\Control Panel\Desktop' /v LogPixels /t REG_DWORD \
                /d "$dpi" /f >>"$log" 2>&1 </dev/null || { cat "$log" >&2; exit 1; }
        fi
        # The registry reaches the disk when the server ends: wait for it before calling the prefix ready.
        WINEPREFIX="$pfx" wineserver -w
        touch "$pfx/.wsk-ready"
    ) 9>"$state/prefix-$dpi.lock" || die "could not create the Wine prefix $pfx"
    echo "$pfx"
}

# A persistent server, and the prefix booted now: Wine's service processes (services.exe, winedevice.exe,
# ...) start with the first Wine program of a server and stay, holding that program's stdout/stderr; they
# must not hold a test's pipes (CTest waits for them to close).
boot_prefix() {
    DISPLAY="$2" WINEPREFIX="$1" setsid wineserver -p >/dev/null 2>&1 </dev/null
    DISPLAY="$2" WINEPREFIX="$1" setsid wine wineboot >/dev/null 2>&1 </dev/null
    echo "$2" >"$1/.wsk-booted"
}

display_free() {
    [ ! -e "/tmp/.X$1-lock" ] && [ ! -e "/tmp/.X11-unix/X$1" ]
}

# Starts Xvfb on the first free display from :90; another program may take the same number between the
# check and the start, so a failed start moves on to the next number.
start_xvfb() {
    local n=90 pid i
    while [ $n -lt 200 ]; do
        if display_free $n; then
            setsid Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >"$state/xvfb.log" 2>&1 </dev/null &
            pid=$!
            for i in $(seq 1 50); do
                if ! kill -0 $pid 2>/dev/null; then break; fi
                if DISPLAY=":$n" xdpyinfo >/dev/null 2>&1; then
                    echo "$n $pid"
                    return 0
                fi
                sleep 0.1
            done
            kill $pid 2>/dev/null
        fi
        n=$((n + 1))
    done
    return 1
}

stop_all() {
    local f pid
    if [ -f "$state/env" ]; then
        pid=$(sed -n 's/^WSK_XVFB_PID=//p' "$state/env")
        # Only stop it if it still is our Xvfb (the pid may have been reused since).
        if [ -n "$pid" ] && grep -q Xvfb "/proc/$pid/cmdline" 2>/dev/null; then
            kill "$pid" 2>/dev/null
        fi
        rm -f "$state/env"
    fi
    for f in "$state"/prefix "$state"/prefix-*; do
        [ -d "$f" ] || continue
        WINEPREFIX="$f" wineserver -k >/dev/null 2>&1 </dev/null
        rm -f "$f/.wsk-booted"
    done
    return 0
}

case "$cmd" in
start)
    if [ -n "${WSK_WIN_BIN:-}" ] && [ ! -d "$WSK_WIN_BIN" ]; then
        skip "no cross build at $WSK_WIN_BIN, so nothing runs under Wine"
    fi
    need Xvfb xdpyinfo wine wineboot wineserver flock setsid
    stop_all    # a run that was interrupted may have left its display and servers behind
    pfx=$(ensure_prefix 96) || exit 1
    for dpi in ${WSK_WINE_DPI:-}; do
        ensure_prefix "$dpi" >/dev/null || exit 1
    done
    read -r disp xpid < <(start_xvfb) || true
    [ -n "${disp:-}" ] || die "could not start Xvfb on any display from :90 (see $state/xvfb.log)"
    for f in "$state"/prefix "$state"/prefix-*; do
        [ -f "$f/.wsk-ready" ] || continue
        boot_prefix "$f" ":$disp"
    done
    {
        echo "DISPLAY=:$disp"
        echo "WINEPREFIX=$pfx"
        echo "WSK_XVFB_PID=$xpid"
    } >"$state/env.tmp" && mv "$state/env.tmp" "$state/env"
    echo "wine-env: Xvfb on :$disp (pid $xpid), prefix $pfx, wineserver persistent"
    ;;
stop)
    stop_all
    echo "wine-env: stopped"
    ;;
prefix)
    need wine wineboot wineserver flock
    pfx=$(ensure_prefix "${3:-96}") || exit 1
    # While the fixture runs, a prefix made on demand joins it like the others (stopped by stop).
    disp=$(sed -n 's/^DISPLAY=//p' "$state/env" 2>/dev/null)
    if [ -n "$disp" ]; then
        (
            flock 9
            if [ "$(cat "$pfx/.wsk-booted" 2>/dev/null)" != "$disp" ]; then
                boot_prefix "$pfx" "$disp"
            fi
        ) 9>"$state/prefix-${3:-96}.lock"
    fi
    echo "$pfx"
    ;;
*)
    die "unknown command '$cmd' (start, stop or prefix)"
    ;;
esac
