#!/usr/bin/env bash
# gui-viewer.sh WIN_BIN WSKDUMP - what `guiprobe viewer` compares with, from the native wskdump: the demo
# trace's events, and the events and the count of a filter (CSV and JSON Lines), in $WSK_BUILD/gui-viewer/;
# a 300,000-event trace from the native wskgen beside it (for cancelling an export and a copy); then the
# probe under Wine. Exit code: the probe's; 77 when the cross build or its demo trace is missing.
set -u

bin=${1:?usage: gui-viewer.sh WIN_BIN WSKDUMP}
wskdump=${2:?usage: gui-viewer.sh WIN_BIN WSKDUMP}
: "${WSK_BUILD:?WSK_BUILD must name the native build folder}"
demo="$bin/../demo/demo.etl"
[ -f "$demo" ] || { echo "gui-viewer: $demo does not exist: the cross build has no demo trace (skipped)"; exit 77; }
filter='status != success'
work="$WSK_BUILD/gui-viewer"
mkdir -p "$work"

"$wskdump" events "$demo" --format jsonl >"$work/events.jsonl" || exit 1
"$wskdump" events "$demo" --format csv --filter "$filter" >"$work/view.csv" || exit 1
"$wskdump" events "$demo" --format jsonl --filter "$filter" >"$work/view.jsonl" || exit 1
matches=$(wc -l <"$work/view.jsonl")
"$(dirname "$wskdump")/wskgen" "$work/big.etl" --events 300000 --seed 7 >/dev/null || exit 1
echo "gui-viewer: $(wc -l <"$work/events.jsonl") events, $matches match \"$filter\""

exec "$(dirname "$0")/../wine/wine-run.sh" "$bin/tests/guiprobe.exe" viewer "$bin/wskview.exe" "$demo" "$filter" \
    "$matches" "$work/view.csv" "$work/view.jsonl" "$work/events.jsonl" "$work/big.etl"
