#!/usr/bin/env bash
# bench-load.sh WIN_BIN TRACE - the viewer loading a large trace under the Wine rig (figures, no pass/fail):
# `guiprobe bench` drops TRACE on an empty wskview.exe window and prints the time to the first rows, to the end
# of the load and the longest message-loop stall; at its MEASURE lines this script prints the RssAnon of the
# wskview.exe process (Linux's figure: Wine's own counters are wrong), before and after, and the growth per row.
# Needs WSK_BUILD (the native build whose wine/env the fixture wrote, e.g. after `ctest -R wine.setup`).
set -u

bin=${1:?usage: bench-load.sh WIN_BIN TRACE}
trace=${2:?usage: bench-load.sh WIN_BIN TRACE}
: "${WSK_BUILD:?WSK_BUILD must name the native build folder}"
here=$(cd "$(dirname "$0")" && pwd)
prefix=$(sed -n 's/^WINEPREFIX=//p' "$WSK_BUILD/wine/env")
. "$here/wskview-proc.sh"

coproc PROBE { exec "$here/../wine/wine-run.sh" "$bin/tests/guiprobe.exe" bench "$bin/wskview.exe" "$trace" 2>&1; }
probe_pid=$PROBE_PID
exec {to_probe}>&"${PROBE[1]}" {from_probe}<&"${PROBE[0]}"
before=
rows=0
# Reads time out so that the loop ends with the probe, not at end of file (Wine's helper processes may keep
# the pipe open).
while :; do
    if ! IFS= read -r -t 1 line <&$from_probe; then
        kill -0 "$probe_pid" 2>/dev/null && continue
        break
    fi
    line=${line%$'\r'}
    echo "$line"
    case "$line" in
    "rows "*) rows=${line#rows } ;;
    "MEASURE before")
        pid=$(view_pid)
        before=$(rss_kb "$pid")
        echo "RssAnon before opening: $before kB (pid $pid)"
        echo go >&$to_probe ;;
    "MEASURE after")
        after=$(rss_kb "$pid")
        echo "RssAnon after loading: $after kB"
        rss_growth "$before" "$after" "$rows"
        echo go >&$to_probe ;;
    esac
done
wait "$probe_pid"
