#!/usr/bin/env python3
"""Render bench/run's measurements (JSON lines) as the Markdown tables of bench/results.md.

Usage: report.py RESULTS_JSONL > results.md

Each input line is {"section": "meta"|"sign"|"describe"|"fanout", ...}; see bench/run for what writes them.
Exits 1 when a signature of an official SDK differs from ours (then the timings would not compare the same work).
"""

import json
import sys


def fmt_int(x):
    return f"{x:,.0f}"


def ratio(theirs, ours):
    if not ours or theirs is None:
        return "–"
    return f"{theirs / ours:.1f}×"


def mib(kib):
    return f"{kib / 1024:.1f}"


def load(path):
    sections = {"meta": [], "sign": [], "describe": [], "fanout": []}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                item = json.loads(line)
                sections.setdefault(item["section"], []).append(item)
    return sections


def signing(out, rows):
    """rows: the `sign` items: {"language", "impl", "algorithm": v1|v3|hmac-sha1|hmac-sha256, "ns", "signature"}."""
    ok = True
    ours = {r["algorithm"]: r for r in rows if r["impl"].startswith("ours")}
    floors = {(r["language"], r["algorithm"]): r["ns"] for r in rows if "floor" in r["impl"]}
    for r in rows:
        ref = ours.get(r["algorithm"]) or ours.get({"hmac-sha1": "v1", "hmac-sha256": "v3"}.get(r["algorithm"]))
        r["match"] = ref is not None and r["signature"] == ref["signature"]
        ok = ok and r["match"]

    out.append("### 1. Signing the representative RunCommand request (ns per signature, lower is better)\n")
    out.append("| implementation | V1 HMAC-SHA1 | V1: ours is | V1 / own-language HMAC floor | "
               "V3 ACS3-HMAC-SHA256 | V3: ours is | V3 / own-language HMAC floor | same signature as ours |")
    out.append("|---|---:|---:|---:|---:|---:|---:|:---:|")
    impls = []
    for r in rows:
        if r["algorithm"] in ("v1", "v3") and (r["language"], r["impl"]) not in impls:
            impls.append((r["language"], r["impl"]))
    for language, impl in impls:
        cells = [impl]
        match = True
        for algorithm, floor_alg in (("v1", "hmac-sha1"), ("v3", "hmac-sha256")):
            r = next((x for x in rows if x["impl"] == impl and x["algorithm"] == algorithm), None)
            if r is None:
                cells += ["–", "–", "–"]
                continue
            match = match and r["match"]
            mine = ours.get(algorithm, {}).get("ns")
            faster = "(ours)" if impl.startswith("ours") else f"{ratio(r['ns'], mine)} faster"
            floor = floors.get((language, floor_alg))
            cells += [fmt_int(r["ns"]), faster, ratio(r["ns"], floor) if floor else "–"]
        cells.append("yes" if match else "**NO**")
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    out.append("The floor: one bare HMAC over the same string-to-sign, with the crypto library each language uses "
               "(Rust: ring, as acs-signer; Python: hmac/hashlib = OpenSSL; Node: node:crypto = OpenSSL).\n")
    out.append("| language | HMAC-SHA1 over the V1 string-to-sign (ns) | HMAC-SHA256 over the V3 string-to-sign (ns) |")
    out.append("|---|---:|---:|")
    for language in sorted({lang for lang, _ in floors}):
        out.append(f"| {language} | {fmt_int(floors.get((language, 'hmac-sha1'), 0))} | "
                   f"{fmt_int(floors.get((language, 'hmac-sha256'), 0))} |")
    out.append("")
    return ok


def describe(out, rows):
    out.append("### 2. Client overhead: DescribeInvocationResults against the same local emulator\n")
    out.append("| client | concurrency | requests | errors | requests/s | client CPU µs/request | p50 µs | p99 µs | "
               "client peak RSS MiB | emulator CPU µs/request |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        d = r["data"]
        emu = r["emulator_cpu_s"] * 1e6 / d["requests"] if d["requests"] else 0.0
        out.append(f"| {r['label']} | {d['concurrency']} | {fmt_int(d['requests'])} | {d['errors']} | "
                   f"{fmt_int(d['rps'])} | {fmt_int(d['cpu_us_per_request'])} | {fmt_int(d['p50_us'])} | "
                   f"{fmt_int(d['p99_us'])} | {mib(d['peak_rss_kib'])} | {fmt_int(emu)} |")
    out.append("")
    by = {(r["data"]["client"], r["data"]["concurrency"]): r["data"] for r in rows}
    for concurrency in sorted({r["data"]["concurrency"] for r in rows}):
        ours, py = by.get(("rust", concurrency)), by.get(("python", concurrency))
        if ours and py and py["rps"] and ours["cpu_us_per_request"]:
            out.append(f"- concurrency {concurrency}: ours serves {ours['rps'] / py['rps']:.1f}× the requests/s of "
                       f"the official Python SDK and uses {py['cpu_us_per_request'] / ours['cpu_us_per_request']:.1f}× "
                       f"less CPU per request, in {py['peak_rss_kib'] / max(ours['peak_rss_kib'], 1):.1f}× less "
                       f"memory.")
    out.append("")


def fanout(out, rows):
    out.append("### 3. Fan-out: RunCommand on N emulated instances (100 per call), every result collected\n")
    out.append("| client | instances | API calls (RunCommand + DescribeInvocationResults) | results (Success) | "
               "wall s | client CPU ms | client CPU µs/instance | client peak RSS MiB | "
               "emulator peak RSS MiB (idle → after) |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        d = r["data"]
        out.append(f"| {r['label']} | {fmt_int(d['instances'])} | {d['api_calls']} ({d['run_calls']} + "
                   f"{d['describe_calls']}) | {fmt_int(d['results'])} ({fmt_int(d['succeeded'])}) | "
                   f"{d['wall_s']:.2f} | {d['cpu_s'] * 1e3:,.0f} | {d['cpu_s'] * 1e6 / d['instances']:,.0f} | "
                   f"{mib(d['peak_rss_kib'])} | {mib(r['emulator_idle_kib'])} → {mib(r['emulator_peak_kib'])} |")
    out.append("")
    by = {(r["data"]["client"], r["data"]["instances"]): r["data"] for r in rows}
    for size in sorted({r["data"]["instances"] for r in rows}):
        ours, py = by.get(("rust", size)), by.get(("python", size))
        if ours and py and ours["wall_s"] and ours["cpu_s"]:
            out.append(f"- {size:,} instances: ours takes {py['wall_s'] / ours['wall_s']:.1f}× less wall time, "
                       f"{py['cpu_s'] / ours['cpu_s']:.1f}× less CPU and "
                       f"{py['peak_rss_kib'] / max(ours['peak_rss_kib'], 1):.1f}× less memory than the official "
                       f"Python SDK.")
    out.append("")


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    sections = load(sys.argv[1])
    out = []
    for m in sections["meta"]:
        out.append(m["text"])
    out.append("")
    ok = signing(out, sections["sign"]) if sections["sign"] else True
    if sections["describe"]:
        describe(out, sections["describe"])
    if sections["fanout"]:
        fanout(out, sections["fanout"])
    print("\n".join(out))
    if not ok:
        print("report.py: an official SDK's signature differs from ours", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
