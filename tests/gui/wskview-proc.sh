# wskview-proc.sh - sourced by the GUI benchmarks (bench-load.sh, bench-replay.sh): the wskview.exe process of this
# build's Wine prefix and its memory. Needs $prefix (the prefix's folder).

# The wskview.exe of this build's Wine prefix (other builds may run their own at the same time).
view_pid() {
    local p
    for p in $(pgrep -f 'wskview\.exe'); do
        grep -q guiprobe "/proc/$p/cmdline" 2>/dev/null && continue
        if tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null | grep -qx "WINEPREFIX=$prefix"; then
            echo "$p"
            return
        fi
    done
}
# Linux's figure (Wine's own counters are wrong).
rss_kb() { awk '/^RssAnon:/ { print $2 }' "/proc/$1/status"; }
# "growth X MiB, Y bytes per row" from two RssAnon figures (kB) and a row count (nothing when rows is 0).
rss_growth() {
    [ "$3" -gt 0 ] && awk -v b="$1" -v a="$2" -v n="$3" \
        'BEGIN { printf "growth %.1f MiB, %.1f bytes per row\n", (a - b) / 1024, (a - b) * 1024 / n }'
}
