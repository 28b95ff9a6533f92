#!/usr/bin/env bash
# bench-replay.sh WIN_BIN TRACE [RATE...] - the viewer capturing at rising rates under the Wine rig (figures, no
# pass/fail): for each RATE (events per second; default 100000 250000 500000 1000000 1500000) `guiprobe
# bench-replay` starts wskview.exe --replay TRACE --rate RATE and answers until its rows stop growing, printing the
# rows, the ring's drops and the longest message-loop stall; at its MEASURE lines this script prints the RssAnon
# of the wskview.exe process (an empty window's, then the capture's) and the growth per row.
# Needs WSK_BUILD (the native build whose wine/env the fixture wrote, e.g. after `ctest -R wine.setup`).
set -u

bin=${1:?usage: bench-replay.sh WIN_BIN TRACE [RATE...]}
trace=${2:?usage: bench-replay.sh WIN_BIN TRACE [RATE...]}
shift 2
[ $# -gt 0 ] || set -- 100000 250000 500000 1000000 1500000
: "${WSK_BUILD:?WSK_BUILD must name the native build folder}"
here=$(cd "$(dirname "$0")" && pwd)
prefix=$(sed -n 's/^WINEPREFIX=//p' "$WSK_BUILD/wine/env")
. "$here/wskview-proc.sh"

for rate in "$@"; do
    coproc PROBE { exec "$here/../wine/wine-run.sh" "$bin/tests/guiprobe.exe" bench-replay "$bin/wskview.exe" \
        "$trace" "$rate" 2>&1; }
    probe_pid=$PROBE_PID
    exec {to_probe}>&"${PROBE[1]}" {from_probe}<&"${PROBE[0]}"
    idle=
    rows=0
    while :; do
        if ! IFS= read -r -t 1 line <&$from_probe; then
            kill -0 "$probe_pid" 2>/dev/null && continue
            break
        fi
        line=${line%$'\r'}
        case "$line" in
        "rows "*) rows=${line#rows } ;;
        "MEASURE idle")
            idle=$(rss_kb "$(view_pid)")
            echo "RssAnon of an empty window: $idle kB"
            echo go >&$to_probe ;;
        "MEASURE after")
            after=$(rss_kb "$(view_pid)")
            echo "RssAnon after the capture: $after kB"
            rss_growth "$idle" "$after" "$rows"
            echo go >&$to_probe ;;
        *) echo "$line" ;;
        esac
    done
    exec {to_probe}>&- {from_probe}<&-
    wait "$probe_pid"
done
