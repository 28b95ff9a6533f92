#!/bin/sh
# Fuzz the .etl reader with libFuzzer (issue 3 part 8).
#
#   scripts/fuzz.sh [SECONDS]      default 900
#
# Builds build-fuzz/ (clang, -DWSK_FUZZ=ON), makes the seed corpus OUTSIDE the repository from the real
# samples cut to 64 and 256 KiB, and runs one job for SECONDS. Crashes land in build-fuzz/artifacts/;
# minimize one with
#   build-fuzz/bin/fuzz_etl -minimize_crash=1 -runs=20000 -exact_artifact_path=tests/fuzz/repro/NAME FILE
# and commit it: fuzz_replay (CTest) then runs it on every build.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
secs=${1:-900}
samples=${WSK_SAMPLES:-$here/../shared/samples}
build=$here/build-fuzz
corpus=${WSK_FUZZ_CORPUS:-$here/../fuzz-corpus}

# Warnings are the normal builds' business; this one is about crashes.
CC=clang cmake -S "$here" -B "$build" -G Ninja -DWSK_FUZZ=ON -DWSK_WERROR=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$build" -j2 fuzz_etl

mkdir -p "$corpus" "$build/artifacts"
if [ -d "$samples" ] && [ -z "$(ls -A "$corpus")" ]; then
    for f in "$samples"/*.etl; do
        b=$(basename "$f" .etl)
        head -c 65536 "$f" >"$corpus/$b.64k"
        size=$(wc -c <"$f")
        if [ "$size" -gt 65536 ]; then
            head -c 262144 "$f" >"$corpus/$b.256k"
        fi
    done
fi
echo "corpus: $corpus ($(ls "$corpus" | wc -l) files); running ${secs}s"
exec "$build/bin/fuzz_etl" "$corpus" -max_len=262144 -max_total_time="$secs" \
    -print_final_stats=1 -artifact_prefix="$build/artifacts/"
