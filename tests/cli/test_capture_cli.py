#!/usr/bin/env python3
"""test_capture_cli.py - `wskdump capture`'s command line: usage errors exit 3 everywhere; a Linux build
says it needs Windows and exits 2; the Windows build under Wine (whose StartTraceW and EnableTraceEx2
succeed doing nothing) runs a one-second file-mode session through the real advapi32 seam and stops it.

Usage: test_capture_cli.py WSKDUMP [--wine WSKDUMP_EXE]
"""
import os
import subprocess
import sys

failures = 0


def check(cond, what):
    global failures
    if not cond:
        failures += 1
        print("FAIL", what)
    else:
        print("ok  ", what)


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def main():
    args = sys.argv[1:]
    if len(args) == 3 and args[1] == "--wine":
        exe = args[2]
        if not os.path.exists(exe):
            print("skipped: %s does not exist (no cross build)" % exe)
            return 77
        runner = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "wine", "wine-run.sh")
        prefix = [runner, exe]
        windows = True
    elif len(args) == 1:
        prefix = [args[0]]
        windows = False
    else:
        print(__doc__)
        return 2

    rc, _, err = run(prefix + ["capture"])
    check(rc == 3 and "--output FILE is required" in err, "no --output: exit 3 (%d)" % rc)
    for bad in (["--level", "0"], ["--level", "256"], ["--duration", "x"], ["--buffers", "huge"], ["--output"],
                ["--frobnicate", "1"]):
        rc, _, err = run(prefix + ["capture", "--output", "x.etl"] + bad)
        check(rc == 3 and "usage: wskdump capture" in err, "%s: exit 3 (%d)" % (" ".join(bad), rc))
    rc, out, _ = run(prefix + ["--help"])
    check(rc == 0 and "capture --output FILE" in out, "--help documents capture")

    tmp = os.environ.get("WSK_TMP", ".")
    target = os.path.join(tmp, "capture-cli.etl")
    rc, out, err = run(prefix + ["capture", "--output", target, "--duration", "1", "--level", "4"])
    if windows:
        check(rc == 0, "Wine: a one-second session starts and stops (exit %d, %s)" % (rc, err.strip()))
        check("session wskview-" in err and "buffers written" in out, "Wine: names its session, reports losses")
    else:
        check(rc == 2 and "needs Windows" in err, "Linux: needs Windows, exit 2 (%d)" % rc)
    print("%d failed" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
