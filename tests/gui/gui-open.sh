#!/usr/bin/env bash
# gui-open.sh WIN_BIN VERSION WSKDUMP - the viewer with a trace: prepares what `guiprobe open` compares with
# (the demo trace's events, sockets and a filter's match count, from the native wskdump; a damaged copy of the
# trace; a file that is no trace at all) in $WSK_BUILD/gui-open/, then runs the probe through gui-smoke.sh,
# which photographs the loaded window into $WSK_BUILD/screenshots/open.png.
# Exit code: the probe's; 77 when the cross build or its copy of the demo trace is missing.
set -u

bin=${1:?usage: gui-open.sh WIN_BIN VERSION WSKDUMP}
version=${2:?usage: gui-open.sh WIN_BIN VERSION WSKDUMP}
wskdump=${3:?usage: gui-open.sh WIN_BIN VERSION WSKDUMP}
: "${WSK_BUILD:?WSK_BUILD must name the native build folder}"
demo="$bin/../demo/demo.etl"
[ -f "$demo" ] || { echo "gui-open: $demo does not exist: the cross build has no demo trace (skipped)"; exit 77; }
filter='status != success'
work="$WSK_BUILD/gui-open"
mkdir -p "$work"

"$wskdump" events "$demo" --format jsonl >"$work/events.jsonl" || exit 1
"$wskdump" sockets "$demo" --format jsonl >"$work/sockets.jsonl" || exit 1
matches=$("$wskdump" events "$demo" --format jsonl --filter "$filter" | wc -l) || exit 1
# Damaged: the first 40 % of the trace with a run of garbage over its third buffer's header.
size=$(stat -c %s "$demo")
head -c $((size * 2 / 5)) "$demo" >"$work/damaged.etl"
printf 'garbage%.0s' $(seq 1 40) | dd of="$work/damaged.etl" bs=1 seek=$((65536 * 2)) conv=notrunc status=none
printf 'This is a text file, not an event trace.\n' >"$work/not-a-trace.etl"
echo "gui-open: $(wc -l <"$work/events.jsonl") events, $matches match \"$filter\""

exec "$(dirname "$0")/gui-smoke.sh" "$bin" "$version" open open "$demo" "$work/events.jsonl" "$filter" "$matches" \
    "$work/damaged.etl" "$work/not-a-trace.etl" "$work/sockets.jsonl"
