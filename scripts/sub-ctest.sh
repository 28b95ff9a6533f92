#!/usr/bin/env bash
# sub-ctest.sh BUILD_DIR LABEL - runs the tests labelled LABEL of another build folder (a sanitizer build)
# as one test of the main build. Exits 77 (skipped) when that folder was not configured.
set -u
dir=${1:?usage: sub-ctest.sh BUILD_DIR LABEL}
label=${2:?usage: sub-ctest.sh BUILD_DIR LABEL}
if [ ! -f "$dir/CTestTestfile.cmake" ]; then
    echo "sub-ctest: $dir is not built (scripts/test.sh makes it): skipped"
    exit 77
fi
# Bring the folder up to date first (nothing to do after scripts/build.sh), so a plain `ctest --test-dir
# build` never tests stale sanitizer binaries.
if ! cmake --build "$dir" -j 2 >"$dir/sub-ctest-build.log" 2>&1; then
    tail -n 40 "$dir/sub-ctest-build.log"
    echo "sub-ctest: building $dir failed (log: $dir/sub-ctest-build.log)"
    exit 1
fi
run=()
# ThreadSanitizer of clang 14 aborts ("unexpected memory mapping") on kernels with a large mmap ASLR
# entropy; running without address randomization avoids that and changes nothing else for the tests.
if [ "$label" = tsan ] && setarch "$(uname -m)" -R true 2>/dev/null; then
    run=(setarch "$(uname -m)" -R)
fi
# The Windows copies (wine.*) carry their native test's labels too; they belong to the main build's run.
exec "${run[@]}" ctest --test-dir "$dir" -L "^$label\$" -LE '^wine$' --output-on-failure --no-tests=error -j2
