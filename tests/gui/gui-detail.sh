#!/usr/bin/env bash
# gui-detail.sh WIN_BIN WSKGEN WSKDUMP - the detail pane on a big trace: writes (once) a wskgen trace of every
# scenario plus bulk traffic up to 1,000,000 events in $WSK_BUILD/gui-detail/, takes from `wskdump sockets` the
# socket with the most events, the listener most sockets came through (its accepts count for it too) and the
# socket with the fewest, and has `guiprobe detail` check that the pane lists exactly that many events for each (the pane's fill
# time for each is printed).
# Exit code: the probe's; 77 when the cross build is missing.
set -u

bin=${1:?usage: gui-detail.sh WIN_BIN WSKGEN WSKDUMP}
wskgen=${2:?usage: gui-detail.sh WIN_BIN WSKGEN WSKDUMP}
wskdump=${3:?usage: gui-detail.sh WIN_BIN WSKGEN WSKDUMP}
: "${WSK_BUILD:?WSK_BUILD must name the native build folder}"
[ -f "$bin/wskview.exe" ] && [ -f "$bin/tests/guiprobe.exe" ] || {
    echo "gui-detail: no wskview.exe or guiprobe.exe in $bin (skipped)"; exit 77; }
work="$WSK_BUILD/gui-detail"
trace="$work/detail-1m.etl"
mkdir -p "$work"
if [ ! -s "$trace" ] || [ "$wskgen" -nt "$trace" ]; then
    "$wskgen" "$trace" --scenario all --events 1000000 --seed 11 || exit 1
fi
"$wskdump" sockets "$trace" --format jsonl >"$work/sockets.jsonl" || exit 1

# One line per socket: ENDPOINT:GENERATION:EVENTS LISTENER.
socks() {
    sed -n 's/.*"endpoint":"\(0x[0-9a-f]*\)","generation":\([0-9]*\),.*"listener":\([^,]*\),.*"events":\([0-9]*\)}.*/\1:\2:\4 \3/p' \
        "$work/sockets.jsonl"
}
first() { head -n 1 | cut -d' ' -f1; }
biggest=$(socks | sort -t: -k3,3nr | first)
# The listener: the endpoint most sockets name as theirs ("listener":"0x..."), its generation with most events.
listener_ep=$(socks | sed -n 's/.* "\(0x[0-9a-f]*\)"$/\1/p' | sort | uniq -c | sort -nr | head -n 1 | awk '{ print $2 }')
listener=
[ -n "$listener_ep" ] && listener=$(socks | grep "^$listener_ep:" | sort -t: -k3,3nr | first)
fewest=$(socks | sort -t: -k3,3n | first)
echo "gui-detail: $(wc -l <"$work/sockets.jsonl") sockets; biggest $biggest, listener ${listener:-none}, fewest ${fewest:-none}"
[ -n "$biggest" ] && [ -n "$listener" ] && [ -n "$fewest" ] || { echo "gui-detail: the trace lacks a kind of socket"; exit 1; }
exec "$(dirname "$0")/../wine/wine-run.sh" "$bin/tests/guiprobe.exe" detail "$bin/wskview.exe" "$trace" \
    "$biggest" "$listener" "$fewest"
