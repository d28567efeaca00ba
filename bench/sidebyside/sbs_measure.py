#!/usr/bin/env python3
"""Side-by-side HTTP measurement: Indico (peer) and our platform, interleaved, on loopback (stdlib only).

For every pair (a)..(f): each target is checked once (status, content type, size, what it lists), gets
WARMUP requests, then for each concurrency level the Indico target runs N requests, then each of ours does.
Each client thread keeps one HTTP/1.1 keep-alive connection. Latency is the time to read the full body;
req/s is the successful requests divided by the wall time of the level. Same loop as peers/indico/measure.py.

Ours is requested with `X-Forwarded-Proto: https` (as behind the TLS proxy that production expects; the
production settings trust that header), logged in through allauth's form (/compte/login/) as a member and
as the coordinator; the calendar feeds and the public PDF need no login.

usage: sbs_measure.py --indico-seed FILE --ours-seed FILE [--indico URL] [--ours URL] [-n 200] [--warmup 20]
                      [-c 1 -c 4] [--only a --only b ...] [--json OUT] [--md OUT]
Demo password: env SBS_DEMO_PASSWORD (default: the README's demo password).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import re
import statistics
import sys
import threading
import time
import urllib.parse
import zlib
from urllib.parse import urlsplit

UA = "sbs-measure/1"


def percentile(values, p):
    """Nearest-rank percentile (as peers/indico/measure.py)."""
    s = sorted(values)
    k = max(1, int(round(p / 100 * len(s) + 0.4999)))
    return s[min(k, len(s)) - 1]


class Target:
    def __init__(self, side, key, label, base, path, ctype, headers=None, rendered=False):
        self.side, self.key, self.label, self.path, self.ctype = side, key, label, path, ctype
        # rendered: each request's address differs by its query string, so that no page kept rendered by our
        # page cache (core.pagecache) answers it: what a first visit costs.
        self.numbers = itertools.count(time.time_ns()) if rendered else None
        u = urlsplit(base)
        self.host, self.port = u.hostname, u.port or 80
        if not (self.host in ("localhost", "::1") or self.host.startswith("127.")):
            sys.exit("refusing: loopback targets only")
        self.headers = {"Accept-Encoding": "identity", "User-Agent": UA, **(headers or {})}

    def conn(self):
        return http.client.HTTPConnection(self.host, self.port, timeout=120)

    def fetch(self, conn):
        path = f"{self.path}?rendu={next(self.numbers)}" if self.numbers is not None else self.path
        conn.request("GET", path, headers=self.headers)
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, resp.getheader("Content-Type", ""), body


def run_level(target, n, conc):
    lat, errors = [], []
    lock = threading.Lock()
    counter = iter(range(n))

    def worker():
        conn = target.conn()
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            t0 = time.perf_counter()
            try:
                status, _, _ = target.fetch(conn)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = target.conn()
                status = None
            dt = time.perf_counter() - t0
            with lock:
                (lat.append(dt) if status == 200 else errors.append(status))
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(conc)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    ms = [x * 1000 for x in lat]
    return {
        "concurrency": conc,
        "requests": n,
        "ok": len(lat),
        "errors": len(errors),
        "error_statuses": sorted({str(e) for e in errors}),
        "median_ms": round(statistics.median(ms), 1) if ms else None,
        "p95_ms": round(percentile(ms, 95), 1) if ms else None,
        "mean_ms": round(statistics.fmean(ms), 1) if ms else None,
        "max_ms": round(max(ms), 1) if ms else None,
        "rps": round(len(lat) / wall, 2),
        "wall_s": round(wall, 1),
    }


def login(base, email, password):
    """allauth login form: GET for the CSRF cookie and token, POST, keep the session cookie."""
    u = urlsplit(base)
    origin = f"https://{u.netloc}"
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    hdr = {"User-Agent": UA, "X-Forwarded-Proto": "https"}
    conn.request("GET", "/compte/login/", headers=hdr)
    r = conn.getresponse()
    page = r.read().decode()
    cookies = {}
    for k, v in r.getheaders():
        if k.lower() == "set-cookie":
            name, _, rest = v.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": email, "password": password})
    conn.request(
        "POST",
        "/compte/login/",
        body=body,
        headers={
            **hdr,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Origin": origin,
            "Referer": origin + "/compte/login/",
        },
    )
    r = conn.getresponse()
    r.read()
    for k, v in r.getheaders():
        if k.lower() == "set-cookie":
            name, _, rest = v.partition("=")
            cookies[name.strip()] = rest.split(";", 1)[0]
    conn.close()
    if r.status != 302 or "sessionid" not in cookies:
        sys.exit(f"login as {email} failed: HTTP {r.status}")
    return f"sessionid={cookies['sessionid']}"


def pdf_pages(body):
    """Page objects, also inside compressed object streams (WeasyPrint writes those)."""
    pattern = re.compile(rb"/Type\s*/Page[^s]")
    n = len(pattern.findall(body))
    for m in re.finditer(rb"stream\r?\n", body):
        try:
            data = zlib.decompressobj().decompress(body[m.end() : body.find(b"endstream", m.end())])
        except zlib.error:
            continue
        n += len(pattern.findall(data))
    return n


def describe(key, body):
    extra = {}
    if key.endswith("_ics") or key.endswith("feed"):
        extra["vevents"] = body.count(b"BEGIN:VEVENT")
    if "pdf" in key:
        extra["pdf_pages"] = pdf_pages(body)
    if key == "indico_category":
        extra["events_listed"] = len(set(re.findall(rb'href="/event/(\d+)/"', body)))
    if key in ("ours_list", "ours_month"):
        extra["reunions_linked"] = len(set(re.findall(rb'href="/c/[\w-]+/reunions/(\d+)/"', body)))
    return extra


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def children(ppid):
    out = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == ppid:
                    out.append(int(d))
            except (OSError, IndexError, ValueError):
                pass
    return sorted(out)


def memory(pidfiles):
    """RSS (MB) of each server's master and its worker children, read from /proc."""
    out = {}
    for name, pidfile in pidfiles.items():
        try:
            master = int(open(pidfile).read().strip())
        except (OSError, ValueError):
            continue
        kids = children(master)
        out[name] = {
            "master_pid": master,
            "master_rss_mb": round((rss_kb(master) or 0) / 1024, 1),
            "workers_rss_mb": [round((rss_kb(p) or 0) / 1024, 1) for p in kids],
        }
    return out


def calibration():
    t = time.perf_counter()
    sum(i * i for i in range(10**7))
    return round(time.perf_counter() - t, 3)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--indico", default="http://127.0.0.1:8810")
    ap.add_argument("--ours", default="http://127.0.0.1:8820")
    ap.add_argument("--indico-seed", required=True)
    ap.add_argument("--ours-seed", required=True)
    ap.add_argument("-n", type=int, default=200)
    ap.add_argument("--warmup", type=int, default=20)
    ap.add_argument("-c", type=int, action="append")
    ap.add_argument("--only", action="append", help="pair letters to run (a..f)")
    ap.add_argument("--pidfile", action="append", default=[], help="NAME=PIDFILE for RSS (master + children)")
    ap.add_argument("--json")
    ap.add_argument("--md")
    args = ap.parse_args()
    levels = args.c or [1, 4]
    password = os.environ.get("SBS_DEMO_PASSWORD", "demo-perseverance")
    ind = json.load(open(args.indico_seed))
    ours = json.load(open(args.ours_seed))
    ev, cat = ind["event_id"], ind["category_id"]
    p = ours["paths"]
    token = p["feed_collectif"].split("/")[2]
    member = login(args.ours, ours["member_email"], password)
    coord = login(args.ours, ours["coordinator_email"], password)
    xfp = {"X-Forwarded-Proto": "https"}
    as_member = {**xfp, "Cookie": member}
    as_coord = {**xfp, "Cookie": coord}
    I, O = args.indico, args.ours  # noqa: E741
    pairs = [
        ("a", "meeting page", [
            Target("indico", "indico_event", "Indico /event/N/ (anonymous)", I, f"/event/{ev}/", "text/html"),
            Target("ours", "ours_detail_member", "ours reunion detail (member)", O, p["detail"], "text/html", as_member),
            Target("ours", "ours_detail_coord", "ours reunion detail (coordinator)", O, p["detail"], "text/html",
                   as_coord),
            Target("ours", "ours_detail_member_rendered", "ours reunion detail (member), rendered", O, p["detail"],
                   "text/html", as_member, rendered=True),
        ]),
        ("b", "list of ~200 meetings", [
            Target("indico", "indico_category", "Indico /category/N/ (anonymous)", I, f"/category/{cat}/",
                   "text/html"),
            Target("ours", "ours_list", "ours reunion list, paginated 20+20 (member)", O, p["list"], "text/html",
                   as_member),
            Target("ours", "ours_month", "ours month view, current month (member)", O, p["month"], "text/html",
                   as_member),
            Target("ours", "ours_list_rendered", "ours reunion list, paginated 20+20 (member), rendered", O,
                   p["list"], "text/html", as_member, rendered=True),
        ]),
        ("c", "one meeting .ics", [
            Target("indico", "indico_event_ics", "Indico /event/N/event.ics", I, f"/event/{ev}/event.ics",
                   "text/calendar"),
            Target("ours", "ours_personal_feed", "ours personal feed (closest; no per-reunion .ics)", O,
                   f"/calendrier/{token}.ics", "text/calendar", xfp),
            *([Target("ours", "ours_reunion_ics", "ours one reunion .ics (member)", O, p["reunion_ics"],
                      "text/calendar", as_member)] if "reunion_ics" in p else []),
        ]),
        ("d", "calendar feed of all meetings", [
            Target("indico", "indico_category_ics", "Indico /category/N/events.ics", I, f"/category/{cat}/events.ics",
                   "text/calendar"),
            Target("ours", "ours_collectif_feed", "ours collectif feed (token URL)", O, p["feed_collectif"],
                   "text/calendar", xfp),
        ]),
        ("e", "printable PDF", [
            Target("indico", "indico_timetable_pdf", "Indico timetable PDF (export dialog)", I,
                   f"/event/{ev}/timetable/pdf?download=1&submitted=1&pagesize=A4&firstPageNumber=1",
                   "application/pdf"),
            Target("ours", "ours_minutes_pdf", "ours minutes PDF (member)", O, p["minutes_pdf"], "application/pdf",
                   as_member),
            Target("ours", "ours_restitution_pdf", "ours restitution PDF (public)", O, p["restitution_pdf"],
                   "application/pdf", xfp),
        ]),
        ("f", "floor", [
            Target("ours", "ours_healthz", "ours /healthz (SELECT 1 + broker connect)", O, p["healthz"],
                   "application/json", xfp),
        ]),
    ]
    if args.only:
        pairs = [x for x in pairs if x[0] in args.only]

    meta = {
        "when_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "n": args.n,
        "warmup": args.warmup,
        "levels": levels,
        "cpus": os.cpu_count(),
        "loadavg_before": open("/proc/loadavg").read().split()[:3],
        "cpu_calibration_before_s": calibration(),
        "memory_before": memory(dict(x.split("=", 1) for x in args.pidfile)),
    }
    checks, results = {}, []
    for letter, what, targets in pairs:
        for t in targets:
            c = t.conn()
            status, ct, body = t.fetch(c)
            c.close()
            info = {"pair": letter, "label": t.label, "status": status, "content_type": ct, "bytes": len(body),
                    **describe(t.key, body)}
            checks[t.key] = info
            print(f"[check] ({letter}) {t.key:22s} {status} {len(body):>8d} B {ct} "
                  f"{ {k: v for k, v in info.items() if k in ('vevents', 'pdf_pages', 'events_listed', 'reunions_linked')} }",
                  flush=True)
            if status != 200 or not ct.startswith(t.ctype):
                sys.exit(f"{t.key}: unexpected {status} {ct}")
        for t in targets:
            c = t.conn()
            for _ in range(args.warmup):
                t.fetch(c)
            c.close()
        for lvl in levels:
            for t in targets:  # interleaved: Indico, then ours, at the same level
                r = run_level(t, args.n, lvl)
                r.update(pair=letter, what=what, side=t.side, key=t.key, label=t.label, bytes=checks[t.key]["bytes"])
                results.append(r)
                print(f"[run] ({letter}) {t.key:22s} c={lvl} ok={r['ok']} err={r['errors']} "
                      f"median={r['median_ms']}ms p95={r['p95_ms']}ms rps={r['rps']}", flush=True)
    meta["cpu_calibration_after_s"] = calibration()
    meta["loadavg_after"] = open("/proc/loadavg").read().split()[:3]
    meta["memory_after"] = memory(dict(x.split("=", 1) for x in args.pidfile))
    out = {"meta": meta, "checks": checks, "results": results}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=2)
    md = render_md(out)
    print(md)
    if args.md:
        with open(args.md, "w") as f:
            f.write(md)


def render_md(out):
    meta, checks, results = out["meta"], out["checks"], out["results"]
    lines = [
        f"# Side-by-side run {meta['when_utc']}",
        "",
        f"N={meta['n']} per level after {meta['warmup']} warm-up requests; concurrency {meta['levels']}; "
        f"{meta['cpus']} CPUs shared by both servers and the load generator.",
        f"CPU calibration (fixed pure-Python loop, s): before {meta['cpu_calibration_before_s']}, "
        f"after {meta['cpu_calibration_after_s']}. Load average before {meta['loadavg_before']}, "
        f"after {meta['loadavg_after']}.",
        "",
        "## Checks (one request each)",
        "",
        "| pair | target | status | bytes | content type | notes |",
        "|---|---|---|---|---|---|",
    ]
    for key, c in checks.items():
        notes = ", ".join(f"{k}={v}" for k, v in c.items()
                          if k in ("vevents", "pdf_pages", "events_listed", "reunions_linked"))
        lines.append(f"| {c['pair']} | {c['label']} | {c['status']} | {c['bytes']} | {c['content_type']} | {notes} |")
    lines += [
        "",
        "## Runs (raw)",
        "",
        "| pair | target | c | ok | errors | median ms | p95 ms | mean ms | max ms | req/s | wall s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(f"| {r['pair']} | {r['label']} | {r['concurrency']} | {r['ok']} | {r['errors']} | "
                     f"{r['median_ms']} | {r['p95_ms']} | {r['mean_ms']} | {r['max_ms']} | {r['rps']} | "
                     f"{r['wall_s']} |")
    lines += ["", "## Ratios ours / Indico (same pair, same concurrency)", "",
              "| pair | ours target | c | median ratio | p95 ratio | req/s ratio |", "|---|---|---|---|---|---|"]
    by = {}
    for r in results:
        by.setdefault((r["pair"], r["concurrency"]), []).append(r)
    for (pair, c), rows in by.items():
        ind = next((r for r in rows if r["side"] == "indico"), None)
        if not ind or not ind["median_ms"]:
            continue
        for r in rows:
            if r["side"] == "ours" and r["median_ms"]:
                lines.append(f"| {pair} | {r['label']} | {c} | {r['median_ms'] / ind['median_ms']:.2f} | "
                             f"{r['p95_ms'] / ind['p95_ms']:.2f} | {r['rps'] / ind['rps']:.2f} |")
    lines += ["", "## Memory (RSS, MB, from /proc)", ""]
    for when in ("memory_before", "memory_after"):
        for name, m in meta[when].items():
            lines.append(f"- {when.split('_')[1]}: {name} master {m['master_rss_mb']} (pid {m['master_pid']}), "
                         f"children {m['workers_rss_mb']}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
