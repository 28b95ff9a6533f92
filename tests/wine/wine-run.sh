#!/usr/bin/env bash
# wine-run.sh EXE ARGS... - runs a program of the cross build under the Wine rig and returns its exit code.
#
# Needs WSK_BUILD (the native build folder, whose wine/env the fixture "wine" wrote). Exits 77 (skipped)
# when EXE does not exist, i.e. the cross build was not made. The environment variables WSK_SAMPLES and
# WSK_TMP, and every argument that is an absolute path to something that exists (or whose folder exists),
# are handed to the program as Windows paths (Z: is the root of the Unix file system in a Wine prefix).
# WSK_WINE_DPI=N (N != 96) runs it in the prefix whose LogPixels is N (made on first use).
set -u

exe=${1:-}
[ -n "$exe" ] || { echo "usage: wine-run.sh EXE ARGS..." >&2; exit 2; }
shift
if [ ! -f "$exe" ]; then
    echo "wine-run: $exe does not exist: the cross build (build-win/) was not made (skipped)"
    exit 77
fi
[ -n "${WSK_BUILD:-}" ] || { echo "wine-run: WSK_BUILD is not set" >&2; exit 2; }
envfile="$WSK_BUILD/wine/env"
if [ ! -f "$envfile" ]; then
    echo "wine-run: $envfile is missing: the fixture wine.setup did not run or failed" >&2
    exit 1
fi

# /a/b/c -> Z:\a\b\c (without starting a Wine process, unlike winepath).
to_win() {
    local p
    p=$(realpath -m -- "$1")
    printf 'Z:%s' "${p//\//\\}"
}

while IFS='=' read -r key value; do
    case "$key" in
    DISPLAY|WINEPREFIX) export "$key=$value" ;;
    esac
done <"$envfile"
if [ -n "${WSK_WINE_DPI:-}" ] && [ "$WSK_WINE_DPI" != 96 ]; then
    WINEPREFIX=$("$(dirname "$0")/wine-env.sh" prefix "$WSK_BUILD" "$WSK_WINE_DPI" | tail -n 1) || exit 1
    export WINEPREFIX
fi
for v in WSK_SAMPLES WSK_TMP; do
    if [ -n "${!v:-}" ]; then
        export "$v=$(to_win "${!v}")"
    fi
done

args=()
for a in "$@"; do
    if [ "${a#/}" != "$a" ] && [ "$(dirname -- "$a")" != / ] && { [ -e "$a" ] || [ -d "$(dirname -- "$a")" ]; }; then
        args+=("$(to_win "$a")")
    else
        args+=("$a")
    fi
done

export WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
wine "$exe" "${args[@]}"
exit $?
