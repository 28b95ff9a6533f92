#!/usr/bin/env python3
"""Checks the Winsock-AFD schema table against every manifest dump.

usage: check_manifests.py AFD_DOCGEN MANIFEST_DIR [REFERENCE_MD]

AFD_DOCGEN prints the table as TSV (`afd_docgen tsv`). MANIFEST_DIR holds the
third-party dumps (../shared/reference/manifests): TraceEvent XML manifests
(<event value= template=...>, <template tid=...><data name= inType= .../>) and
jdu2600 TSV lists ("Name(Type Field, ...)"). For every event of every dump the
table must have the ID, the same fields in the same order (names compared with
spaces removed) and compatible types; level, opcode, task and keywords must
agree too. A field the XML gives a value map must have the same map in the
table, and every entry of the XML's value maps must be in the table's map with
the same text. The IDs of the table must be exactly the union of the dumps' IDs.
With REFERENCE_MD (../shared/reference/winsock-afd-events.md, §6), each field's
outType (from the Evt-API dump, which the TDH dumps lack) must fit the table's
type (win:NTStatus -> ntstatus, win:IPv4 -> ipv4, ...) and the x64/x86 offsets
computed from the table's types must equal the reference's.
Exits 77 (skipped) when MANIFEST_DIR is absent.
"""
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

# manifest inType -> table types it may be
COMPATIBLE = {
    "Pointer": {"pointer"},
    "UInt32": {"u32", "hex32", "ntstatus", "ipv4", "addrlen"},
    "Int32": {"i32"},
    "UInt16": {"u16", "port"},
    "UInt8": {"u8"},
    "Boolean": {"bool"},
    "Binary": {"ipv6", "sockaddr"},
}
LEVELS = {"Error": 2, "Warning": 3, "Informational": 4, "Verbose": 5}
OPCODES = {"": 0, "Open": 10, "Bound": 11, "Connected": 12, "Disconnected": 13, "Aborted": 14, "Closed": 15,
           "Freed": 16, "Modified": 17}
KEYWORDS = {"AFD_KW_DATAGRAM": 0x1, "AFD_KW_STREAM": 0x2, "AFD_KW_SOURCE_WINSOCK": 0x4,
            "AFD_KW_SOURCE_TRANSPORT": 0x8, "AFD_KW_FASTPATH": 0x10, "AFD_KW_BUFFERED": 0x20, "AFD_KW_RIO": 0x40,
            "AFD_KW_NRT": 0x80}
DROPPED = 0x10000000000
# manifest valueMap name -> the table's map id
MAPS = {"WINSOCK_SocketType_ValueMap": "socket_type", "AFD_OPTION_ValueMap": "option",
        "AFD_ABORT_ValueMap": "abort_reason", "AFD_DGRAM_DROP_ValueMap": "drop_reason",
        "RIO_NOTIFICATION_TYPE_ValueMap": "rio_notification"}


def keyword_mask(names, masks):
    total = 0
    for n in names.split():
        if n in masks:
            total |= masks[n]
        elif n in KEYWORDS:
            total |= KEYWORDS[n]
        elif n.startswith("keyword_"):
            total |= int(n[len("keyword_"):], 16)
        else:
            raise ValueError("unknown keyword " + n)
    return total


def load_table(docgen):
    """-> (events, maps): maps[(map id, value)] = text"""
    out = subprocess.run([docgen, "tsv"], check=True, capture_output=True, text=True).stdout
    table, maps = {}, {}
    for line in out.splitlines():
        cols = line.split("\t")
        if cols[0] == "map":
            maps[(cols[1], int(cols[2]))] = cols[3]
            continue
        ev_id, version, level, opcode, task, task_name, keywords, nfields = cols[:8]
        fields = [tuple(c.split(":")) for c in cols[8:]]
        assert len(fields) == int(nfields), line
        table[(int(ev_id), int(version))] = {
            "level": int(level), "opcode": int(opcode), "task": int(task), "task_name": task_name,
            "keywords": int(keywords, 16), "fields": fields}
    return table, maps


def strip_ns(tag):
    return tag.rsplit("}", 1)[-1]


def load_xml(path):
    """-> ({(id, version): {level, opcode, task, task_name, keywords, fields: [(name, inType, length, map)]}},
           {(valueMap name, value): text})"""
    root = ET.parse(path).getroot()
    templates, tasks, masks, events, strings, value_maps = {}, {}, {}, {}, {}, {}
    for el in root.iter():
        if strip_ns(el.tag) == "string":
            strings[el.get("id")] = el.get("value")
    for el in root.iter():
        tag = strip_ns(el.tag)
        if tag == "template":
            templates[el.get("tid")] = [(d.get("name"), d.get("inType").split(":")[-1], d.get("length"),
                                         d.get("map")) for d in el if strip_ns(d.tag) == "data"]
        elif tag == "valueMap":
            for m in el:
                if strip_ns(m.tag) == "map":
                    sid = re.fullmatch(r"\$\(string\.(.*)\)", m.get("message"))
                    text = strings.get(sid.group(1)) if sid else m.get("message")
                    value_maps[(el.get("name"), int(m.get("value"), 0))] = text
        elif tag == "task":
            tasks[el.get("name")] = int(el.get("value"), 0)
        elif tag == "keyword":
            masks[el.get("name")] = int(el.get("mask"), 16)
    for el in root.iter():
        if strip_ns(el.tag) != "event" or el.get("value") is None:
            continue
        key = (int(el.get("value")), int(el.get("version", "0")))
        task_name = el.get("task", "")
        events[key] = {
            "level": LEVELS[el.get("level", "").split(":")[-1]],
            "opcode": OPCODES[el.get("opcode", "")],
            "task": tasks.get(task_name),
            "task_name": task_name,
            "keywords": keyword_mask(el.get("keywords", ""), masks),
            "fields": templates.get(el.get("template"), []),
        }
    return events, value_maps


def load_tsv(path):
    events = {}
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        col = {name: i for i, name in enumerate(header)}
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < len(header):
                cols += [""] * (len(header) - len(cols))
            m = re.fullmatch(r"[^(]*\((.*)\)", cols[col["event(fields)"]])
            fields = []
            if m and m.group(1).strip():
                for part in m.group(1).split(","):
                    typ, name = part.strip().split(" ", 1)
                    fields.append((name, typ, None, None))
            key = (int(cols[col["event_id"]]), int(cols[col["version"]]))
            events[key] = {
                "level": LEVELS[cols[col["level"]]],
                "opcode": OPCODES[cols[col["opcode"]]],
                "task": None,  # the TSV names tasks but gives no values
                "task_name": cols[col["task"]],
                "keywords": keyword_mask(cols[col["keywords"]], {}),
                "fields": fields,
            }
    return events


def compare_maps(dump_name, value_maps, maps, errors):
    for (name, value), text in sorted(value_maps.items()):
        ours = maps.get((MAPS.get(name, "?"), value))
        if ours != text:
            errors.append("%s: %s value %d is %r, table %r" % (dump_name, name, value, text, ours))


def compare(dump_name, events, table, errors):
    win7 = "Win7" in dump_name
    for key, ev in sorted(events.items()):
        where = "%s: event %d v%d" % (dump_name, key[0], key[1])
        t = table.get(key)
        if t is None:
            errors.append(where + ": not in the table")
            continue
        if len(ev["fields"]) != len(t["fields"]):
            errors.append("%s: %d fields in the dump, %d in the table" % (where, len(ev["fields"]), len(t["fields"])))
        for i, ((name, in_type, length, vmap), (t_name, t_type, t_map)) in enumerate(zip(ev["fields"],
                                                                                        t["fields"])):
            if vmap is not None and MAPS.get(vmap) != t_map:
                errors.append("%s field %s: map %s, table %r" % (where, name, vmap, t_map))
            if name.replace(" ", "") != t_name:
                errors.append("%s field %d: name %r, table %r" % (where, i + 1, name, t_name))
            if t_type not in COMPATIBLE.get(in_type, set()):
                errors.append("%s field %s: inType %s, table type %s" % (where, name, in_type, t_type))
            if length is not None:
                prev = t["fields"][i - 1][0] if i else None
                if t_type == "sockaddr" and length != prev:
                    errors.append("%s field %s: length=%s, table reads it from %s" % (where, name, length, prev))
                if t_type != "sockaddr" and not (t_type == "ipv6" and length == "16"):
                    errors.append("%s field %s: length=%s unexpected for %s" % (where, name, length, t_type))
        if ev["level"] != t["level"]:
            errors.append("%s: level %d, table %d" % (where, ev["level"], t["level"]))
        if ev["opcode"] != t["opcode"]:
            errors.append("%s: opcode %d, table %d" % (where, ev["opcode"], t["opcode"]))
        if ev["task_name"] != t["task_name"]:
            errors.append("%s: task %s, table %s" % (where, ev["task_name"], t["task_name"]))
        if ev["task"] is not None and ev["task"] != t["task"]:
            errors.append("%s: task value %d, table %d" % (where, ev["task"], t["task"]))
        # Win7 predates the Dropped keyword; every later dump has the table's keywords exactly.
        expected_kw = t["keywords"] & ~DROPPED if win7 else t["keywords"]
        if ev["keywords"] != expected_kw:
            errors.append("%s: keywords 0x%x, table 0x%x" % (where, ev["keywords"], t["keywords"]))


# reference outType -> table types it may be (win:HexInt32 also covers byte counts the table keeps decimal)
OUT_TYPES = {
    "win:NTStatus": {"ntstatus"}, "win:IPv4": {"ipv4"}, "win:IPv6": {"ipv6"}, "win:Port": {"port"},
    "win:SocketAddress": {"sockaddr"}, "xs:boolean": {"bool"}, "win:HexInt64": {"pointer"},
    "win:HexInt32": {"hex32", "u32"}, "xs:int": {"i32"}, "xs:unsignedInt": {"u32", "addrlen"},
}
SIZES = {"pointer": None, "u8": 1, "u16": 2, "port": 2, "ipv6": 16, "sockaddr": 0}


def offsets(fields, ptr):
    """Offsets as the reference writes them: a number, or '(off_after_Address)+n' after a sockaddr."""
    out, off, after = [], 0, False
    for _, typ, _ in fields:
        out.append("(off_after_Address)+%d" % off if after else str(off))
        if typ == "sockaddr":
            after, off = True, 0
        else:
            size = SIZES.get(typ, 4)
            off += ptr if size is None else size
    return out


def compare_reference(path, table, errors):
    """Checks §6 of the reference: outTypes and offsets. Returns the number of events read."""
    count, key = 0, None
    with open(path, encoding="utf-8") as f:
        rows = {}
        for line in f:
            m = re.match(r"#### Event (\d+) v(\d+)", line)
            if m:
                key = (int(m.group(1)), int(m.group(2)))
                rows[key] = []
                continue
            m = re.match(r"\| (\d+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|[^|]*\|[^|]*\| ([^|]+) \| ([^|]+) \|$",
                         line.rstrip())
            if m and key is not None:
                rows[key].append((m.group(2).strip(), m.group(4).strip(), m.group(5).strip(), m.group(6).strip()))
    for key, fields in sorted(rows.items()):
        t = table.get(key)
        where = "reference: event %d v%d" % key
        if t is None:
            errors.append(where + ": not in the table")
            continue
        count += 1
        if len(fields) != len(t["fields"]):
            errors.append("%s: %d fields, table %d" % (where, len(fields), len(t["fields"])))
            continue
        x64, x86 = offsets(t["fields"], 8), offsets(t["fields"], 4)
        for i, ((name, out_type, o64, o86), (t_name, t_type, _)) in enumerate(zip(fields, t["fields"])):
            if name.replace(" ", "") != t_name:
                errors.append("%s field %d: name %r, table %r" % (where, i + 1, name, t_name))
            if out_type != "(not found)" and t_type not in OUT_TYPES.get(out_type, set()):
                errors.append("%s field %s: outType %s, table type %s" % (where, name, out_type, t_type))
            if (o64, o86) != (x64[i], x86[i]):
                errors.append("%s field %s: offsets %s/%s, table gives %s/%s" % (where, name, o64, o86, x64[i],
                                                                                 x86[i]))
    return count


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__)
        return 2
    docgen, mdir = sys.argv[1], sys.argv[2]
    if not os.path.isdir(mdir):
        print("SKIP: no manifest dumps at %s" % mdir)
        return 77
    table, maps = load_table(docgen)
    errors, seen, dumps = [], set(), 0
    for name in sorted(os.listdir(mdir)):
        path = os.path.join(mdir, name)
        if name.endswith(".xml"):
            events, value_maps = load_xml(path)
            compare_maps(name, value_maps, maps, errors)
        elif name.endswith(".tsv"):
            events = load_tsv(path)
        else:
            continue
        dumps += 1
        seen |= set(events)
        compare(name, events, table, errors)
        print("%s: %d events checked" % (name, len(events)))
    if dumps == 0:
        print("SKIP: no .xml or .tsv dumps in %s" % mdir)
        return 77
    for key in sorted(set(table) - seen):
        errors.append("event %d v%d is in the table but in no dump" % key)
    if len(sys.argv) == 4:
        if os.path.isfile(sys.argv[3]):
            print("%s: %d events checked" % (sys.argv[3], compare_reference(sys.argv[3], table, errors)))
        else:
            print("no reference at %s: outTypes and offsets not checked" % sys.argv[3])
    for e in errors:
        print("ERROR " + e)
    print("%d dumps, %d table events, %d errors" % (dumps, len(table), len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
