#!/usr/bin/env python3
"""`wskdump sockets` and `--filter` end to end (issue 5 part 8).

    test_sockets.py WSKDUMP WSKGEN

For every wskgen scenario, the sockets wskdump rebuilds from the file must equal, key by key, the
expectation the generator wrote from its own bookkeeping while emitting the events (--expect). The
CSV and text forms must carry the same sockets. Event filters are checked against a brute-force
evaluation in Python over `wskdump events --format jsonl`, and a filter with a syntax error must exit
3 naming its column.
"""
import csv
import io
import json
import os
import subprocess
import sys

FAILURES = []
CHECKS = [0]


def check(cond, what):
    CHECKS[0] += 1
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8", "replace")


def scenarios(wskgen):
    rc, out, _ = run([wskgen, "--help"])
    names, on = [], False
    for line in out.splitlines():
        if line.startswith("scenarios"):
            on = True
        elif on and line.startswith("  ") and line.split():
            names.append(line.split()[0])
    return names


def test_scenario(dump, gen, tmp, name, extra):
    etl = os.path.join(tmp, "sockets-%s.etl" % name)
    exp = os.path.join(tmp, "sockets-%s.jsonl" % name)
    rc, _, err = run([gen, etl, "--scenario", name, "--expect", exp] + extra)
    check(rc == 0, "%s: wskgen failed: %s" % (name, err))
    want = [json.loads(l) for l in open(exp, encoding="utf-8")]
    rc, out, err = run([dump, "sockets", etl, "--format", "jsonl"])
    check(rc == 0, "%s: wskdump sockets exit %d: %s" % (name, rc, err))
    got = [json.loads(l) for l in out.splitlines()]
    check(len(got) == len(want), "%s %s: %d sockets, expected %d" % (name, extra, len(got), len(want)))
    by_key = {(s["endpoint"], s["generation"]): s for s in got}
    for w in want:
        g = by_key.get((w["endpoint"], w["generation"]))
        check(g is not None, "%s: socket %s:%d missing" % (name, w["endpoint"], w["generation"]))
        if g is None:
            continue
        for k, v in w.items():
            check(g.get(k) == v, "%s %s: socket %s:%d %s = %r, expected %r"
                  % (name, extra, w["endpoint"], w["generation"], k, g.get(k), v))
    rc, out, _ = run([dump, "sockets", etl, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(out)))
    check(len(rows) == len(want), "%s: csv rows %d" % (name, len(rows)))
    check(all(r["endpoint"] and r["state"] for r in rows), "%s: csv cells" % name)
    rc, out, _ = run([dump, "sockets", etl])
    check(len(out.splitlines()) == len(want) + 1, "%s: text lines (with the header)" % name)
    return etl, got


def afd_events(dump, etl):
    rc, out, _ = run([dump, "events", etl, "--afd", "--format", "jsonl"])
    return [json.loads(l) for l in out.splitlines()]


def count_filtered(dump, etl, expr):
    rc, out, err = run([dump, "events", etl, "--format", "jsonl", "--filter", expr])
    check(rc == 0, "filter %r: exit %d %s" % (expr, rc, err))
    return len(out.splitlines())


def test_filters(dump, etl, sockets):
    events = afd_events(dump, etl)
    by_status = sum(1 for e in events if e.get("status") == "0xc0000236")
    check(count_filtered(dump, etl, "status == STATUS_CONNECTION_REFUSED") == by_status,
          "status filter against brute force")
    check(by_status > 0, "the scenarios have refused connects")
    port443 = sum(1 for e in events if e["id"] in (1018, 1021) and
                  str(e["fields"].get("Address", "")).endswith(":443"))
    check(count_filtered(dump, etl, "id in (1018, 1021) and Address contains \":443\"") == port443,
          "payload address filter against brute force")
    big = sum(1 for e in events if e["fields"].get("BufferLength", 0) >= 4096)
    check(count_filtered(dump, etl, "BufferLength >= 4KB") == big, "unit filter against brute force")
    aborted = [s for s in sockets if s["outcome"] == "aborted"]
    rc, out, _ = run([dump, "sockets", etl, "--format", "jsonl", "--filter", "socket.outcome == aborted"])
    check(len(out.splitlines()) == len(aborted) and aborted, "socket filter: %d aborted" % len(aborted))
    rc, out, err = run([dump, "events", etl, "--filter", "remote.port == "])
    check(rc == 3 and "column 16" in err and "expected a value" in err, "syntax error: %d %s" % (rc, err))


def main():
    dump, gen = sys.argv[1], sys.argv[2]
    tmp = os.environ.get("WSK_TMP", ".")
    names = scenarios(gen)
    check(len(names) >= 10, "wskgen lists its scenarios")
    for name in names:
        test_scenario(dump, gen, tmp, name, [])
        test_scenario(dump, gen, tmp, name, ["--ptr", "4", "--compress", "--clock", "2"])
    etl, sockets = test_scenario(dump, gen, tmp, "all", [])
    test_filters(dump, etl, sockets)
    print("%d passed, %d failed" % (CHECKS[0] - len(FAILURES), len(FAILURES)))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
