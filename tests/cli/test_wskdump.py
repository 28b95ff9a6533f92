#!/usr/bin/env python3
"""Tests of wskdump on the real samples (issue 3 part 9).

    test_wskdump.py WSKDUMP [--wine WSKDUMP.EXE | --afd-with WSKGEN]

Reads WSK_SAMPLES (skips, exit 77, when absent) and writes scratch files into WSK_TMP.
What is asserted comes from outside wskdump and the reader:
  - the facts etl-format.md states per sample (builds, CPUs, buffer sizes, compressed buffer counts,
    logger names, events lost, clock types, the unfinished file, record counts of small files), typed
    in below;
  - a second, independent walk of the buffer headers written here in a few lines (buffers, compressed
    buffers) and the logfile header fields read at their documented offsets;
  - the PerfView baselines: every EVENT line has a record with the same relative time (0.001 ms),
    processor and data length, and the same PID and TID when the record is an EVENT_HEADER one;
  - the JSON, CSV and exit-code contracts of `wskdump --help` and docs/json-keys.md.
With --afd-with, the Winsock-AFD keys of `events` are checked on a wskgen trace against wskgen's record of
every socket (addresses, errors), without the samples. With --wine, the Windows build runs under Wine on a copy of a sample with a non-ASCII name and must
print exactly what the native build prints.
"""
import csv
import datetime
import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys

FAILURES = []
CHECKS = [0]


def check(cond, what):
    CHECKS[0] += 1
    if not cond:
        FAILURES.append(what)
        print("FAIL:", what)


def run(cmd, **kw):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8", "replace")


# ---- independent oracles --------------------------------------------------------------------------------

def walk_buffers(path):
    """Buffers walked by their own size to EOF, and how many carry the compressed flag."""
    d = open(path, "rb").read()
    off = n = comp = 0
    while off + 0x48 <= len(d):
        size = struct.unpack_from("<I", d, off)[0]
        flag = struct.unpack_from("<H", d, off + 0x34)[0]
        if size < 0x48 or off + size > len(d):
            break
        n += 1
        comp += 1 if flag & 0x40 else 0
        off += size
    return n, comp


def logfile_header(path):
    """TRACE_LOGFILE_HEADER fields at the offsets of etl-format.md 1.2."""
    d = open(path, "rb").read(0x400)
    is64 = d[0x48 + 2] == 2
    base = 0x68
    bsz, ver, build, cpus, end = struct.unpack_from("<IIIIQ", d, base)
    mode, written = struct.unpack_from("<II", d, base + 0x20)
    psize, lost, mhz = struct.unpack_from("<III", d, base + 0x2C)
    tz = base + (0x48 if is64 else 0x40)
    boot, freq, start, clock, blost = struct.unpack_from("<QQQII", d, tz + 0xAC + 4)
    return dict(buffer_size=bsz, version="0x%08x" % ver, build=build, cpus=cpus, end_time=end or None,
                log_file_mode="0x%08x" % mode, buffers_written=written, pointer_size=psize,
                events_lost=lost, cpu_speed_mhz=mhz, boot_time=boot, perf_freq=freq, start_time=start,
                clock_type=clock, buffers_lost=blost)


# Facts etl-format.md (sections 1 and 4) and the oracles state per sample.
DOC = {
    "airbus_AMSITrace.etl": dict(build=18362, buffer_size=65536, logger_name="AMSITraceSession"),
    "airbus_ShutdownPerfDiagLogger.etl": dict(cpus=2, buffers=49),
    "airbus_lxcore_kernel.etl": dict(build=19041, buffer_size=8192),
    "pktmon_nathaniel.etl": dict(build=19042, logger_name="Relogger"),
    "pktmon_demikernel.etl": dict(build=20348, logger_name="Relogger"),
    "pktmon_TritonPilot.etl": dict(build=26200),
    "pktmon_Gobang.etl": dict(build=22621),
    "pktmon_gdn.etl": dict(build=22000),
    "perfview_net.4.5.2.x64.etl": dict(build=9200, compressed_buffers=359, version="0x00020206",
                                       logger_name="Relogger", log_file_name="[multiple files]"),
    "perfview_net.4.5.2.x86.etl": dict(build=9200, compressed_buffers=275, version="0x00020206"),
    "perfview_gcevents_PerfViewData.etl": dict(log_file_mode="0x08000002"),
    "perfview_primitive-types.etl": dict(buffer_size=8192, version="0x0501000a", build=19043, cpus=8,
                                         log_file_mode="0x00000000", buffers_written=2, pointer_size=8,
                                         cpu_speed_mhz=2304, perf_freq=10000000, clock_type=1,
                                         logger_name="solar_system"),
    "krabsetw_powershell.etl": dict(cpus=32),
    "ebpf_ebpforwindows.etl": dict(buffer_size=262144, logger_name="Relogger"),
    "sonde_test.etl": dict(buffer_size=131072),
    "s4_WindowsUpdate.20251008.140245.443.8.etl": dict(events_lost=41),
    "s4_CldFlt0.etl": dict(clock_type=2, build=26100),
    "s4_CldFlt1.etl": dict(clock_type=2, build=26100),
    "s4_CldFlt2.etl": dict(clock_type=2, build=26100, end_time=None, buffers_written=0),
}

# Record counts: (header type, count) and (provider, count) the references give.
DOC_STATS = {
    # dissect.etl output: 2 system, 2 perfinfo (past SavedOffset), 17 TraceLogging events.
    "s4_waasmedic.20251005_113019_195.etl": dict(
        records=21, header_types=dict(system=2, perfinfo=2, event=17),
        providers={"30d25124-a468-505c-de82-8411646eb8b5": 17}),
    "airbus_AMSITrace.etl": dict(header_types=dict(event=19), provider_prefix=("8e805eb3", 19)),
    "airbus_lxcore_kernel.etl": dict(header_types=dict(event=2)),
    "perfview_primitive-types.etl": dict(header_types=dict(event=5)),
    "s4_SIH.20230422.034724.362.1.etl": dict(header_types=dict(event=10)),
    "ebpf_ebpforwindows.etl": dict(header_types=dict(event=13841)),
    # 39 425 EVENT32 + 1 073 EVENT64
    "perfview_net.4.5.2.x86.etl": dict(header_types=dict(event=39425 + 1073)),
}

# PktMon packet events (id 160) per pktmon sample.
PKTMON = "4d4f80d9-c8bd-4d73-bb5b-19c90402c5ac"
PKTMON_PACKETS = {"pktmon_nathaniel.etl": 3646, "pktmon_demikernel.etl": 114, "pktmon_TritonPilot.etl": 51}

BASELINES = {
    "perfview_primitive-types.etl": "perfview_primitive-types.baseline.txt",
    "perfview_gcevents_PerfViewData.etl": "perfview_gcevents.baseline.txt",
    "perfview_gcrundownevents_PerfViewData.clrRundown.etl": "perfview_gcrundownevents.baseline.txt",
    "perfview_net.4.5.2.x64.etl": "perfview_net.4.5.2.x64.baseline.txt",
    "perfview_net.4.5.2.x86.etl": "perfview_net.4.5.2.x86.baseline.txt",
}

ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$")
HEX = re.compile(r"^0x[0-9a-f]+$")


def documented_keys():
    """Keys of docs/json-keys.md: the first column of its tables, plus the `_utc` twins of filetimes."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "json-keys.md")
    keys = set()
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^\| `([a-z0-9_]+)` \| ([a-z]+)", line)
        if m:
            keys.add(m.group(1))
            if m.group(2) == "filetime":
                keys.add(m.group(1) + "_utc")
    return keys


KEYS = []


def check_documented(obj, where, skip=()):
    """Every key wskdump printed is in the JSON key table (nested provider maps excluded)."""
    if not KEYS:
        KEYS.append(documented_keys())
    missing = sorted(k for k in obj if k not in KEYS[0] and k not in skip)
    check(not missing, "%s: keys missing from docs/json-keys.md: %s" % (where, missing))


def filetime_of_iso(s):
    t = datetime.datetime.strptime(s[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    epoch = datetime.datetime(1601, 1, 1, tzinfo=datetime.timezone.utc)
    delta = t - epoch
    return (delta.days * 86400 + delta.seconds) * 10**7 + int(s[20:27])


def check_time_pair(obj, key, where):
    v, utc = obj.get(key), obj.get(key + "_utc")
    if v is None:
        check(utc is None, "%s: %s null but %s_utc is %r" % (where, key, key, utc))
        return
    check(isinstance(v, int), "%s: %s is not an integer" % (where, key))
    check(isinstance(utc, str) and ISO.match(utc) and filetime_of_iso(utc) == v,
          "%s: %s_utc %r is not the ISO form of %r" % (where, key, utc, v))


# ---- tests ----------------------------------------------------------------------------------------------

def test_cli_contract(exe, tmp):
    rc, out, _ = run([exe, "--help"])
    check(rc == 0 and "Exit codes" in out and "verify" in out, "--help documents the exit codes")
    rc, out, _ = run([exe, "--version"])
    check(rc == 0 and out.startswith("wskdump "), "--version")
    for args in ([], ["frobnicate", "x.etl"], ["info"], ["events", "x.etl", "--limit", "many"],
                 ["events", "x.etl", "--format", "xml"], ["info", "x.etl", "--bogus"],
                 ["events", "x.etl", "--provider", "not-a-guid"]):
        rc, _, err = run([exe] + args)
        check(rc == 3 and err.startswith("wskdump: "), "usage error %r exits 3 (got %d)" % (args, rc))
    missing = os.path.join(tmp, "does-not-exist.etl")
    for cmd in ("info", "stats", "events", "verify"):
        rc, out, err = run([exe, cmd, missing])
        check(rc == 2 and "does-not-exist.etl" in err and out == "",
              "%s on a missing file exits 2 naming it (got %d, %r)" % (cmd, rc, err))


def test_info(exe, samples, name):
    path = os.path.join(samples, name)
    rc, out, err = run([exe, "info", path, "--json"])
    check(rc == 0, "%s: info exits 0 (%d: %s)" % (name, rc, err))
    if rc != 0:
        return None
    info = json.loads(out)
    check_documented(info, name + " info")
    for key in ("buffer_size", "version", "build", "cpus", "start_time", "end_time", "boot_time",
                "log_file_mode", "pointer_size", "events_lost", "buffers_lost", "clock_type", "perf_freq",
                "cpu_speed_mhz", "logger_name", "log_file_name", "buffers", "compressed_buffers"):
        check(key in info, "%s: info has %s" % (name, key))
    for key in ("start_time", "end_time", "boot_time"):
        check_time_pair(info, key, name)
    for key in ("version", "log_file_mode"):
        check(HEX.match(str(info.get(key))) is not None, "%s: %s is a 0x string" % (name, key))
    hdr = logfile_header(path)
    for key, want in hdr.items():
        check(info.get(key) == want, "%s: info %s = %r, header bytes say %r" % (name, key, info.get(key), want))
    nbuf, ncomp = walk_buffers(path)
    check(info.get("buffers") == nbuf, "%s: buffers %r, walk says %d" % (name, info.get("buffers"), nbuf))
    check(info.get("compressed_buffers") == ncomp,
          "%s: compressed_buffers %r, walk says %d" % (name, info.get("compressed_buffers"), ncomp))
    for key, want in DOC.get(name, {}).items():
        check(info.get(key) == want, "%s: info %s = %r, etl-format.md says %r" % (name, key, info.get(key), want))
    rc, text, _ = run([exe, "info", path])
    check(rc == 0 and re.search(r"^build\s+%d$" % hdr["build"], text, re.M) is not None,
          "%s: text info shows the build" % name)
    return info


def test_stats(exe, samples, name, info):
    path = os.path.join(samples, name)
    rc, out, err = run([exe, "stats", path, "--json"])
    check(rc == 0, "%s: stats exits 0 (%d: %s)" % (name, rc, err))
    if rc != 0:
        return None
    st = json.loads(out)
    check_documented(st, name + " stats")
    ht = st["header_types"]
    for k in ("system", "compact", "perfinfo", "full", "instance", "event", "message"):
        check(k in ht, "%s: header_types has %s" % (name, k))
    check(sum(ht.values()) == st["records"], "%s: header types add up to records" % name)
    check(sum(st["providers"].values()) == ht["event"], "%s: providers add up to event records" % name)
    check(sum(st["classic_providers"].values()) == ht["full"] + ht["instance"],
          "%s: classic providers add up to full + instance" % name)
    for g in list(st["providers"]) + list(st["classic_providers"]):
        check(re.match(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", g) is not None,
              "%s: provider key %r is a lowercase GUID" % (name, g))
    check_time_pair(st, "min_time", name)
    check_time_pair(st, "max_time", name)
    check(st["records"] >= 1 and st["header_types"]["system"] >= 1,
          "%s: at least the logfile header record" % name)
    if st["min_time"] is not None and info:
        check(st["min_time"] <= st["max_time"], "%s: min_time <= max_time" % name)
    want = DOC_STATS.get(name, {})
    if "records" in want:
        check(st["records"] == want["records"], "%s: records %d, expected %d" % (name, st["records"], want["records"]))
    for k, v in want.get("header_types", {}).items():
        check(ht.get(k) == v, "%s: header_types.%s = %r, expected %d" % (name, k, ht.get(k), v))
    for g, v in want.get("providers", {}).items():
        check(st["providers"].get(g) == v, "%s: providers[%s] = %r, expected %d" % (name, g, st["providers"].get(g), v))
    if "provider_prefix" in want:
        pre, v = want["provider_prefix"]
        hits = [n for g, n in st["providers"].items() if g.startswith(pre)]
        check(hits == [v], "%s: provider %s... has %r events, expected %d" % (name, pre, hits, v))
    if name == "s4_waasmedic.20251005_113019_195.etl":
        # etl-format.md 2 and the oracle: last event at FILETIME 134041374793848833.
        check(st["max_time"] == 134041374793848833, "%s: max_time %r" % (name, st["max_time"]))
    if name == "s4_CldFlt0.etl":
        check(ht["message"] > 0, "%s: WPP message records" % name)
    return st


def events_jsonl(exe, path, *extra):
    rc, out, err = run([exe, "events", path, "--format", "jsonl"] + list(extra))
    rows = []
    bad = 0
    for line in out.splitlines():
        try:
            rows.append(json.loads(line))
        except ValueError:
            bad += 1
    return rc, rows, bad, err


def test_events(exe, samples, name, st):
    path = os.path.join(samples, name)
    rc, rows, bad, err = events_jsonl(exe, path)
    check(rc == 0 and bad == 0, "%s: events jsonl exits 0 with valid JSON lines (%d, %d bad: %s)" % (name, rc, bad, err))
    if st:
        check(len(rows) == st["records"], "%s: %d events, stats says %d records" % (name, len(rows), st["records"]))
    prev = 0
    backwards = 0
    for r in rows:
        for k in ("time", "time_utc", "cpu", "pid", "tid", "header_type", "provider", "id", "version", "level",
                  "opcode", "task", "keyword", "data"):
            if k not in r:
                check(False, "%s: event without %s: %r" % (name, k, r))
                return rows
        if r["time"] is not None:
            if r["time"] < prev:
                backwards += 1
            prev = r["time"]
        if r["header_type"] in ("system", "compact", "perfinfo"):
            check(HEX.match(r.get("hook_id", "")) and len(r["hook_id"]) == 6, "%s: hook_id %r" % (name, r.get("hook_id")))
    check(backwards == 0, "%s: %d events out of time order" % (name, backwards))
    for r in rows[:50]:
        check_documented(r, name + " events")
        check_time_pair(r, "time", name)
        check(HEX.match(r["keyword"]) is not None and re.match(r"^[0-9a-f]*$", r["data"]) is not None,
              "%s: keyword/data hex forms" % name)

    rc, frows, bad, _ = events_jsonl(exe, path, "--file-order")
    check(rc == 0 and bad == 0 and sorted(json.dumps(r, sort_keys=True) for r in frows) ==
          sorted(json.dumps(r, sort_keys=True) for r in rows), "%s: file order has the same events" % name)

    rc, lrows, bad, _ = events_jsonl(exe, path, "--limit", "3")
    check(rc == 0 and lrows == rows[:3], "%s: --limit 3 gives the first 3 events" % name)

    rc, out, _ = run([exe, "events", path, "--format", "csv"])
    table = list(csv.reader(io.StringIO(out, newline="")))
    check(rc == 0 and table and table[0][:15] == ["time", "time_utc", "cpu", "pid", "tid", "header_type",
                                                  "provider", "hook_id", "id", "version", "level", "opcode",
                                                  "task", "keyword", "data"], "%s: CSV header" % name)
    check(len(table) == len(rows) + 1, "%s: CSV has %d rows, jsonl %d" % (name, len(table) - 1, len(rows)))
    for r, c in zip(rows[:200], table[1:201]):
        same = (c[0] == ("" if r["time"] is None else str(r["time"])) and c[2] == str(r["cpu"]) and
                c[6] == (r["provider"] or "") and c[14] == r["data"])
        if not same:
            check(False, "%s: CSV row %r differs from %r" % (name, c, r))
            break
    rc, out, _ = run([exe, "events", path])
    check(rc == 0 and len(out.splitlines()) == len(rows), "%s: text has one line per event" % name)

    provs = [r["provider"] for r in rows if r["header_type"] == "event"]
    if provs:
        g = provs[0]
        rc, prows, bad, _ = events_jsonl(exe, path, "--provider", "{%s}" % g.upper())
        check(rc == 0 and prows == [r for r in rows if r["provider"] == g],
              "%s: --provider {%s} keeps exactly that provider" % (name, g.upper()))
    if name in PKTMON_PACKETS:
        n = sum(1 for r in rows if r["provider"] == PKTMON and r["id"] == 160)
        check(n == PKTMON_PACKETS[name], "%s: %d PktMon packet events, expected %d" % (name, n, PKTMON_PACKETS[name]))
    return rows


BASE_LINE = re.compile(r"^EVENT ([\d,]+\.\d{3}): (.+?) PID=(-?\d+); TID=(-?\d+); .*?ProceNum=(\d+); DataLen=(\d+);")


def test_baseline(name, rows, info, oracle_path):
    """Every event of the PerfView baseline has a record with the same relative time, CPU and data length."""
    start = info["start_time"]
    by_time = {}
    for r in rows:
        if r["time"] is None:
            continue
        by_time.setdefault(round((r["time"] - start) / 1e4, 1), []).append(r)
    lines = [l for l in open(oracle_path, encoding="utf-8") if l.startswith("EVENT ")]
    missing = 0
    for line in lines:
        m = BASE_LINE.match(line)
        if not m:
            check(False, "%s: baseline line not understood: %s" % (name, line[:80]))
            continue
        ms = float(m.group(1).replace(",", ""))
        pid, tid, cpu, dlen = int(m.group(3)), int(m.group(4)), int(m.group(5)), int(m.group(6))
        cands = []
        for key in (round(ms, 1) - 0.1, round(ms, 1), round(ms, 1) + 0.1):
            for r in by_time.get(round(key, 1), []):
                if abs((r["time"] - start) / 1e4 - ms) <= 0.0011 and r["cpu"] == cpu and len(r["data"]) == 2 * dlen:
                    cands.append(r)
        events = [r for r in cands if r["header_type"] == "event"]
        if events:
            ok = any(r["pid"] == pid and r["tid"] == tid for r in events)
        else:
            ok = bool(cands)
        if not ok:
            missing += 1
            if missing <= 5:
                print("  no record for: %s" % line.strip()[:160])
    check(missing == 0, "%s: %d of %d baseline events have no matching record" % (name, missing, len(lines)))
    print("%s: %d baseline events matched" % (name, len(lines) - missing))


def test_verify(exe, samples, tmp):
    clean = os.path.join(samples, "airbus_AMSITrace.etl")
    rc, out, err = run([exe, "verify", clean])
    check(rc == 0 and out == "", "verify on a clean file exits 0 silently (%d, %r %r)" % (rc, out, err))

    data = open(clean, "rb").read()
    cut = os.path.join(tmp, "wskdump_truncated.etl")
    with open(cut, "wb") as f:
        f.write(data[:65536 * 3 + 1000])  # ends 1000 bytes into the fourth buffer
    rc, out, err = run([exe, "verify", cut])
    lines = out.splitlines()
    check(rc == 1 and lines and all(re.match(r"^0x[0-9a-f]{8,} \S", l) for l in lines),
          "verify on a truncated file exits 1 with 'offset reason' lines (%d, %r)" % (rc, out))
    check(any(65536 * 3 <= int(l.split()[0], 16) <= len(data) for l in lines),
          "verify names an offset inside the cut buffer 0x30000.. (%r)" % lines)
    rc, out, err = run([exe, "info", cut, "--json"])
    check(rc == 0 and json.loads(out)["buffers"] >= 3, "info on the truncated file keeps the 3 whole buffers")

    garbled = os.path.join(tmp, "wskdump_garbled.etl")
    g = bytearray(data)
    g[65536 + 0x48:65536 + 0x48 + 16] = b"\x13\x37" * 8  # the first record of buffer 1 is garbage
    with open(garbled, "wb") as f:
        f.write(g)
    rc, out, err = run([exe, "verify", garbled])
    check(rc == 1 and out.startswith("0x"), "verify on a garbled record exits 1 (%d, %r)" % (rc, out))

    notetl = os.path.join(tmp, "wskdump_not_an_etl.etl")
    with open(notetl, "wb") as f:
        f.write(b"This is a text file, not a trace.\n" * 200)
    empty = os.path.join(tmp, "wskdump_empty.etl")
    open(empty, "wb").close()
    for path in (notetl, empty):
        rc, out, err = run([exe, "verify", path])
        check(rc == 2 and os.path.basename(path) in err and out == "",
              "verify on %s exits 2 naming the file (%d, %r)" % (os.path.basename(path), rc, err))


def test_wine(exe, wine_exe, samples, tmp):
    here = os.path.dirname(os.path.abspath(__file__))
    runner = os.path.join(here, "..", "wine", "wine-run.sh")
    if not os.path.isfile(wine_exe):
        print("SKIP: %s does not exist (no cross build)" % wine_exe)
        sys.exit(77)
    src = os.path.join(samples, "s4_waasmedic.20251005_113019_195.etl")
    uni = os.path.join(tmp, "wskdump_Ünïcødé_☃_трасса.etl")
    shutil.copyfile(src, uni)
    for args in (["info", uni, "--json"], ["stats", uni, "--json"],
                 ["events", uni, "--format", "jsonl", "--limit", "8"], ["events", uni, "--format", "csv"],
                 ["verify", uni]):
        rc_n, out_n, _ = run([exe] + args)
        rc_w, out_w, err_w = run([runner, wine_exe] + args)
        if rc_w == 77:
            print("SKIP: the Wine rig is not available: " + out_w.strip())
            sys.exit(77)
        if args[-1] == "--json" and args[0] == "info" and rc_w == 0:
            a, b = json.loads(out_n), json.loads(out_w)
            check(b["file"].endswith("wskdump_Ünïcødé_☃_трасса.etl"), "wine: file name survives: %r" % b["file"])
            a.pop("file"), b.pop("file")
            same = a == b
        elif args[0] == "stats" and rc_w == 0:
            a, b = json.loads(out_n), json.loads(out_w)
            a.pop("file"), b.pop("file")
            same = a == b
        else:
            same = out_n == out_w
        check(rc_w == rc_n and same, "wine: wskdump.exe %s prints what the native build prints (rc %d/%d; %s)"
              % (args[0], rc_w, rc_n, err_w.strip()[:200]))
    rc, out, err = run([runner, wine_exe, "info", os.path.join(tmp, "wskdump_missing_ß.etl")])
    check(rc == 2 and "wskdump_missing_ß.etl" in err,
          "wine: a missing Unicode path exits 2 naming it (%d, %r, %r)" % (rc, out, err))


AFD = "e53c6823-7bb8-44bb-90dc-3f86090d48a6"


def test_afd(exe, wskgen, tmp):
    """Winsock-AFD keys on a wskgen trace, checked against wskgen's own record of every socket."""
    trace = os.path.join(tmp, "wskdump_afd_all.etl")
    expect = os.path.join(tmp, "wskdump_afd_all.expect.jsonl")
    rc, _, err = run([wskgen, trace, "--scenario", "all", "--seed", "11", "--expect", expect])
    check(rc == 0, "wskgen wrote the scenario trace (%s)" % err.strip())
    if rc != 0:
        return
    sockets = [json.loads(l) for l in open(expect, encoding="utf-8") if l.strip()]
    rc, rows, bad, err = events_jsonl(exe, trace, "--afd")
    check(rc == 0 and bad == 0 and rows, "events --afd: valid JSON lines (%d, %d bad, %s)" % (rc, bad, err))
    rc, every, _, _ = events_jsonl(exe, trace)
    check(len(rows) == sum(1 for r in every if r["provider"] == AFD),
          "--afd keeps exactly the AFD events (%d of %d)" % (len(rows), len(every)))
    check(any(r["provider"] != AFD and "name" not in r for r in every),
          "other providers' events pass through without AFD keys")
    ok_shape = True
    for r in rows:
        shape = (r.get("provider") == AFD and isinstance(r.get("name"), str) and r.get("malformed") is False and
                 isinstance(r.get("fields"), dict) and r["fields"] and
                 (r.get("status") is None or (HEX.match(r["status"]) and len(r["status"]) == 10)) and
                 (r.get("status_name") is None or isinstance(r["status_name"], str)))
        if not shape:
            check(False, "AFD event shape: %r" % r)
            ok_shape = False
            break
    check(ok_shape and len({r["id"] for r in rows}) >= 40, "AFD events of many IDs, all named and well-formed")
    check_documented(rows[0], "AFD events")
    named = [r for r in rows if r["status_name"]]
    check(any(r["status_name"] == "STATUS_SUCCESS" for r in named) and
          all(r["status"] is not None for r in named), "status_name comes with a status")
    by_ep = {}
    for r in rows:
        ep = r["fields"].get("Endpoint")
        if ep is not None:
            by_ep.setdefault(ep, []).append(r)
    for sk in sockets:
        evs = by_ep.get(sk["endpoint"], [])
        check(evs, "socket %s has events" % sk["endpoint"])
        values = {v for r in evs for v in r["fields"].values() if isinstance(v, str)}
        for r in evs:  # the legacy events 1-41 carry Address and Port apart
            f = r["fields"]
            if isinstance(f.get("Address"), str) and isinstance(f.get("Port"), int):
                a = f["Address"]
                values.add(("[%s]:%d" if ":" in a else "%s:%d") % (a, f["Port"]))
        for key in ("local", "remote"):
            if sk.get(key) and not sk.get("pre_existing") and sk.get("listener") is None:
                check(sk[key] in values, "socket %s: its %s %s appears in its events' fields" % (sk["endpoint"], key, sk[key]))
        if sk.get("error"):
            check(any(r["status"] == sk["error"] and r["status_name"] == sk["error_name"] for r in evs),
                  "socket %s: an event has status %s (%s)" % (sk["endpoint"], sk["error"], sk["error_name"]))
    rc, out, _ = run([exe, "events", trace, "--afd", "--format", "csv"])
    table = list(csv.DictReader(io.StringIO(out, newline="")))
    check(rc == 0 and len(table) == len(rows), "CSV --afd: one row per event")
    for r, c in zip(rows, table):
        same = (c["name"] == r["name"] and c["malformed"] == "false" and c["status"] == (r["status"] or "") and
                ("Endpoint" not in r["fields"] or ("Endpoint=" + r["fields"]["Endpoint"]) in c["fields"]))
        if not same:
            check(False, "CSV row %r differs from %r" % (c, r))
            break
    rc, out, _ = run([exe, "events", trace, "--afd"])
    check(rc == 0 and len(out.splitlines()) == len(rows) and all(' name="' in l for l in out.splitlines()),
          "text --afd: one named line per event")


def main():
    if len(sys.argv) < 2:
        print("usage: test_wskdump.py WSKDUMP [--wine WSKDUMP.EXE]")
        return 2
    exe = sys.argv[1]
    wine_exe = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--wine" else None
    if len(sys.argv) > 3 and sys.argv[2] == "--afd-with":
        test_afd(exe, sys.argv[3], os.environ.get("WSK_TMP", "."))
        print("%d passed, %d failed" % (CHECKS[0] - len(FAILURES), len(FAILURES)))
        return 1 if FAILURES else 0
    samples = os.environ.get("WSK_SAMPLES", "")
    tmp = os.environ.get("WSK_TMP", ".")
    if not samples or not os.path.isdir(samples):
        print("SKIP: WSK_SAMPLES (%r) is not a folder: the real samples are absent" % samples)
        return 77
    os.makedirs(tmp, exist_ok=True)
    if wine_exe:
        test_wine(exe, wine_exe, samples, tmp)
    else:
        test_cli_contract(exe, tmp)
        oracles = os.path.join(samples, "oracles")
        names = sorted(n for n in os.listdir(samples) if n.endswith(".etl"))
        check(len(names) >= 23, "23 samples present (%d)" % len(names))
        for name in names:
            info = test_info(exe, samples, name)
            st = test_stats(exe, samples, name, info)
            rows = test_events(exe, samples, name, st)
            if name in BASELINES and info and rows:
                test_baseline(name, rows, info, os.path.join(oracles, BASELINES[name]))
        test_verify(exe, samples, tmp)
    print("%d passed, %d failed" % (CHECKS[0] - len(FAILURES), len(FAILURES)))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
