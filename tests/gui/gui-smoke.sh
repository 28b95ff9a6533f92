#!/usr/bin/env bash
# gui-smoke.sh WIN_BIN VERSION [SHOT MODE ARGS...] - the GUI smoke test: guiprobe.exe starts WIN_BIN/wskview.exe
# under the Wine rig and inspects it; when the probe prints READY this script photographs the virtual display into
# $WSK_BUILD/screenshots/SHOT.png (default main) and answers, and the probe closes the window and checks the exit
# code. MODE (default smoke) and ARGS choose another probe mode: `guiprobe MODE WSKVIEW.EXE ARGS...`.
# Exit code: the probe's, or 1 when the screenshot could not be taken or shows nothing; 77 when the
# cross build is missing.
set -u

bin=${1:?usage: gui-smoke.sh WIN_BIN VERSION}
version=${2:?usage: gui-smoke.sh WIN_BIN VERSION}
name=${3:-main}
mode=${4:-smoke}
shift 2
[ $# -ge 2 ] && shift 2
[ "$mode" = smoke ] && set -- "$version"
probe="$bin/tests/guiprobe.exe"
view="$bin/wskview.exe"
here=$(cd "$(dirname "$0")" && pwd)
for f in "$probe" "$view"; do
    [ -f "$f" ] || { echo "gui-smoke: $f does not exist: the cross build was not made (skipped)"; exit 77; }
done
: "${WSK_BUILD:?WSK_BUILD must name the native build folder}"
display=$(sed -n 's/^DISPLAY=//p' "$WSK_BUILD/wine/env" 2>/dev/null)
[ -n "$display" ] || { echo "gui-smoke: no display in $WSK_BUILD/wine/env (did wine.setup run?)" >&2; exit 1; }
shots="$WSK_BUILD/screenshots"
mkdir -p "$shots"
shot="$shots/$name.png"
rm -f "$shot"

shot_ok=0
coproc PROBE { exec timeout 150 "$here/../wine/wine-run.sh" "$probe" "$mode" "$view" "$@" 2>&1; }
probe_pid=$PROBE_PID
exec {to_probe}>&"${PROBE[1]}" {from_probe}<&"${PROBE[0]}"
# The loop ends when the probe ends, not at end of file: Wine's helper processes (services.exe and
# friends, started by the first program of a fresh wineserver) inherit the pipe and keep it open.
partial=
while :; do
    if IFS= read -r -t 1 line <&$from_probe; then
        line=$partial${line%$'\r'}
        partial=
    else
        status=$?
        partial=$partial$line              # a timed-out read keeps what it got
        if [ $status -gt 128 ] && kill -0 "$probe_pid" 2>/dev/null; then
            continue
        fi
        # The probe has ended: print what it wrote after the last read, then stop.
        while IFS= read -r -t 0.5 line <&$from_probe; do
            printf '%s\n' "$partial${line%$'\r'}"
            partial=
        done
        [ -n "$partial$line" ] && printf '%s\n' "$partial${line%$'\r'}"
        break
    fi
    printf '%s\n' "$line"
    if [ "$line" = READY ]; then
        # The window was just checked; give it a moment to finish painting before the picture.
        sleep 1
        if DISPLAY="$display" import -window root "$shot" 2>"$shots/import.log"; then
            # A picture of an empty display is one colour: the window must be in it.
            sd=$(convert "$shot" -colorspace Gray -format '%[fx:standard_deviation]' info: 2>/dev/null)
            if [ -n "$sd" ] && awk -v s="$sd" 'BEGIN { exit !(s > 0.01) }'; then
                shot_ok=1
                echo "gui-smoke: screenshot $shot"
            else
                echo "gui-smoke: screenshot $shot shows no window (deviation '$sd')" >&2
            fi
        else
            echo "gui-smoke: import failed: $(cat "$shots/import.log")" >&2
        fi
        echo go >&$to_probe
    fi
done
exec {to_probe}>&- {from_probe}<&-
wait "$probe_pid"
rc=$?
echo "gui-smoke: probe exit code $rc"
if [ $rc -eq 0 ] && [ $shot_ok -ne 1 ]; then
    rc=1
fi
exit $rc
