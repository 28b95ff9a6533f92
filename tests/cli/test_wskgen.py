#!/usr/bin/env python3
"""wskgen end to end: the command-line contract and the files it writes, read by wskdump.

    test_wskgen.py WSKGEN WSKDUMP [--wine WSKGEN.EXE]

Checks the exit codes (0 done, 1 failure, 2 usage), that --help lists every scenario, that --events N
writes exactly N Winsock-AFD events, that --expect writes one JSON object per socket with the keys of
`wskdump sockets` in order, that the same seed gives the same bytes, and that the options reach the file
header (pointer size, clock, compression, circular mode, lost events). With --wine, the Windows build
writes to a non-ASCII path and its events must equal the native build's.
"""
import json
import os
import subprocess
import sys

FAILURES = []
CHECKS = [0]

KEYS = ["endpoint", "generation", "pid", "process", "family", "type", "protocol", "local", "remote",
        "listener", "created", "created_utc", "closed", "closed_utc", "pre_existing", "state", "outcome",
        "error", "error_name", "sends", "receives", "bytes_sent", "bytes_received", "events"]
SCENARIOS = ["tcp-client-v4", "tcp-client-v6", "dual-stack", "tcp-server", "udp", "refused", "timeout",
             "abort-by-afd", "abort-by-transport", "endpoint-reuse", "multi-process", "pre-existing",
             "options", "rio", "legacy", "every-event"]
AFD = "e53c6823-7bb8-44bb-90dc-3f86090d48a6"


def check(cond, what):
    CHECKS[0] += 1
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def info(wskdump, path):
    rc, out, err = run([wskdump, "info", path, "--json"])
    check(rc == 0, "wskdump info %s: rc %d %s" % (path, rc, err.strip()))
    return json.loads(out) if rc == 0 else {}


def afd_events(wskdump, path):
    rc, out, err = run([wskdump, "stats", path, "--json"])
    check(rc == 0, "wskdump stats %s: rc %d %s" % (path, rc, err.strip()))
    return json.loads(out)["providers"].get(AFD, 0) if rc == 0 else -1


def test_contract(gen, tmp):
    rc, out, _ = run([gen, "--help"])
    check(rc == 0, "--help exits 0")
    for name in SCENARIOS + ["all"]:
        check(("  " + name + " ") in out, "--help lists scenario " + name)
    rc, out, _ = run([gen, "--version"])
    check(rc == 0 and out.startswith("wskgen "), "--version: %r" % out)
    out_path = os.path.join(tmp, "wskgen_contract.etl")
    for bad in (["--scenario", "nope"], ["--ptr", "6"], ["--clock", "4"], ["--cpus", "0"], ["--events", "-3"],
                ["--buffer-size", "1001"], ["--frobnicate"], []):
        rc, _, err = run([gen, out_path] + bad if bad else [gen])
        check(rc == 2 and err.strip(), "usage error exits 2 with a message: %r -> %d" % (bad, rc))
    rc, _, err = run([gen, os.path.join(tmp, "no_such_dir", "x.etl"), "--scenario", "udp"])
    check(rc == 1 and "no_such_dir" in err, "an unwritable path exits 1 naming it: %r" % err)


def test_files(gen, dump, tmp):
    p = os.path.join(tmp, "wskgen_bulk.etl")
    rc, _, err = run([gen, p, "--events", "12345", "--cpus", "3", "--ptr", "4", "--clock", "2", "--lose", "2",
                      "--buffer-size", "8192"])
    check(rc == 0, "bulk run: %s" % err)
    h = info(dump, p)
    check(h.get("pointer_size") == 4 and h.get("clock_type") == 2 and h.get("cpus") == 3,
          "options reach the header: %r" % {k: h.get(k) for k in ("pointer_size", "clock_type", "cpus")})
    check(h.get("events_lost") == 2, "--lose 2: events_lost %r" % h.get("events_lost"))
    check(h.get("buffer_size") == 8192, "--buffer-size: %r" % h.get("buffer_size"))
    check(afd_events(dump, p) == 12345, "--events 12345 writes exactly 12345 AFD events")
    rc, out, _ = run([dump, "verify", p])
    check(rc == 0 and not out.strip(), "wskdump verify finds nothing to report: %r" % out[:200])

    z = os.path.join(tmp, "wskgen_z.etl")
    rc, _, err = run([gen, z, "--scenario", "every-event", "--compress"])
    check(rc == 0, "compressed run: %s" % err)
    hz = info(dump, z)
    check(hz.get("compressed_buffers", 0) > 0, "--compress: compressed buffers %r" % hz.get("compressed_buffers"))

    c = os.path.join(tmp, "wskgen_circ.etl")
    rc, _, err = run([gen, c, "--events", "150000", "--circular", "1"])
    check(rc == 0, "circular run: %s" % err)
    check(os.path.getsize(c) <= (1 << 20) + 65536, "--circular 1 keeps the file near 1 MiB: %d" % os.path.getsize(c))
    check(info(dump, c).get("log_file_mode") == "0x00000002", "--circular sets LogFileMode 2")

    # expectation: one object per socket, the keys of wskdump sockets in order
    e = os.path.join(tmp, "wskgen_expect.jsonl")
    f = os.path.join(tmp, "wskgen_expect.etl")
    rc, _, err = run([gen, f, "--scenario", "tcp-server", "--expect", e])
    check(rc == 0, "expect run: %s" % err)
    with open(e, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    check(len(rows) == 6, "tcp-server has 6 sockets: %d" % len(rows))
    for r in rows:
        check(list(r.keys()) == KEYS, "expectation keys in order: %r" % list(r.keys()))
        check(r["process"] == "nginx.exe", "owner image: %r" % r["process"])
    accepted = [r for r in rows if r["listener"]]
    check(len(accepted) == 4, "4 accepted sockets name their listener")

    # determinism: the same seed gives the same bytes, another seed other bytes
    d = os.path.join(tmp, "wskgen_det.etl")
    blobs = []
    for seed in ("5", "5", "6"):
        rc, _, _ = run([gen, d, "--scenario", "all", "--seed", seed])
        with open(d, "rb") as fh:
            blobs.append(fh.read())
    check(blobs[0] == blobs[1], "same seed, same file")
    check(blobs[0] != blobs[2], "another seed, another file")


def test_wine(gen, dump, wine_exe, tmp):
    here = os.path.dirname(os.path.abspath(__file__))
    runner = os.path.join(here, "..", "wine", "wine-run.sh")
    if not os.path.isfile(wine_exe):
        print("SKIP: %s does not exist (no cross build)" % wine_exe)
        sys.exit(77)
    uni = os.path.join(tmp, "wskgen_Ünïcødé_☃_трасса.etl")
    uni_expect = os.path.join(tmp, "wskgen_Ünïcødé_☃.jsonl")
    nat = os.path.join(tmp, "wskgen_native_twin.etl")
    nat_expect = os.path.join(tmp, "wskgen_native_twin.jsonl")
    rc, out, err = run([runner, wine_exe, uni, "--scenario", "all", "--compress", "--expect", uni_expect])
    if rc == 77:
        print("SKIP: the Wine rig is not available: " + out.strip())
        sys.exit(77)
    check(rc == 0 and os.path.isfile(uni), "wine: wskgen.exe writes a non-ASCII path (rc %d, %s)" % (rc, err.strip()))
    rc, _, _ = run([gen, nat, "--scenario", "all", "--compress", "--expect", nat_expect])
    check(rc == 0, "native twin")
    a = run([dump, "events", nat, "--afd", "--format", "csv"])[1]
    b = run([dump, "events", uni, "--afd", "--format", "csv"])[1] if os.path.isfile(uni) else ""
    check(a == b and a, "wine: wskgen.exe writes the events the native build writes")
    if os.path.isfile(uni_expect):
        with open(uni_expect, "rb") as x, open(nat_expect, "rb") as y:
            check(x.read() == y.read(), "wine: the same expectation")


def main():
    if len(sys.argv) < 3:
        print("usage: test_wskgen.py WSKGEN WSKDUMP [--wine WSKGEN.EXE]")
        return 2
    gen, dump = sys.argv[1], sys.argv[2]
    wine_exe = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--wine" else None
    tmp = os.environ.get("WSK_TMP") or os.getcwd()
    if wine_exe:
        test_wine(gen, dump, wine_exe, tmp)
    else:
        test_contract(gen, tmp)
        test_files(gen, dump, tmp)
    print("%d checks, %d failed" % (CHECKS[0], len(FAILURES)))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
