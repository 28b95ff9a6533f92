#!/usr/bin/env bash
# gui-replay.sh WIN_BIN WSKDUMP [RATE] - the live capture path of wskview.exe under Wine, fed by the demo trace
# (wskview.exe --replay FILE --rate RATE, default 20000 events/s): `guiprobe replay` checks the list against
# `wskdump events` of the file and a filter's count against `wskdump events --filter`, the loss rows of a wskgen trace
# replayed flat out through a 1 MiB ring, the detail pane and Export Events while a slow replay runs (against
# `wskdump sockets` and `wskdump events` of the file), stops, saves the capture as $WSK_BUILD/gui-replay/saved.etl and clears; then this
# script checks that `wskdump events` of the saved file equals the original's, line for line (but the trace header
# record each file starts with).
# Exit code: the probe's, 1 when the saved file's events differ; 77 when the cross build or its demo trace is missing.
set -u

bin=${1:?usage: gui-replay.sh WIN_BIN WSKDUMP [RATE]}
wskdump=${2:?usage: gui-replay.sh WIN_BIN WSKDUMP [RATE]}
rate=${3:-20000}
: "${WSK_BUILD:?WSK_BUILD must name the native build folder}"
here=$(cd "$(dirname "$0")" && pwd)
demo="$bin/../demo/demo.etl"
for f in "$demo" "$bin/wskview.exe" "$bin/tests/guiprobe.exe"; do
    [ -f "$f" ] || { echo "gui-replay: $f does not exist: the cross build was not made (skipped)"; exit 77; }
done
work="$WSK_BUILD/gui-replay"
mkdir -p "$work"
saved="$work/saved.etl"
rm -f "$saved"

filter='status != success'
"$wskdump" events "$demo" --format jsonl >"$work/events.jsonl" || exit 1
"$wskdump" sockets "$demo" --format jsonl >"$work/sockets.jsonl" || exit 1
matches=$("$wskdump" events "$demo" --format jsonl --filter "$filter" | wc -l) || exit 1
echo "gui-replay: $(wc -l <"$work/events.jsonl") events in the demo trace ($matches match \"$filter\"), replayed at $rate events/s"
# A trace large enough to overflow a 1 MiB ring when replayed flat out (the loss rows).
"$(dirname "$wskdump")/wskgen" "$work/big.etl" --events 300000 --seed 7 >/dev/null || exit 1
timeout 280 "$here/../wine/wine-run.sh" "$bin/tests/guiprobe.exe" replay "$bin/wskview.exe" "$demo" \
    "$work/events.jsonl" "$rate" "$saved" "$filter" "$matches" "$work/big.etl" "$work/sockets.jsonl"
rc=$?
[ $rc -eq 0 ] || { echo "gui-replay: probe exit code $rc"; exit $rc; }
"$wskdump" events "$saved" --format jsonl >"$work/saved.jsonl" || { echo "gui-replay: wskdump cannot read $saved"; exit 1; }
# Each file starts with its own trace header record (logger and file name differ); every other event must match.
header='"header_type":"system","provider":"68fdd900-4a3e-11d1-84f4-0000f80464e3","hook_id":"0x0000"'
for f in events saved; do
    n=$(grep -c "$header" "$work/$f.jsonl")
    [ "$n" -eq 1 ] || { echo "gui-replay: $f.jsonl has $n trace header records, expected 1"; exit 1; }
    grep -v "$header" "$work/$f.jsonl" >"$work/$f.body.jsonl"
done
if ! cmp -s "$work/events.body.jsonl" "$work/saved.body.jsonl"; then
    echo "gui-replay: the saved capture's events differ from the original's:"
    diff "$work/events.body.jsonl" "$work/saved.body.jsonl" | head -20
    exit 1
fi
echo "gui-replay: the saved capture has the original's $(wc -l <"$work/saved.jsonl") events, line for line"
