#!/usr/bin/env python3
"""cli_compare.py: one query as a whole process: nsearch, the sqlite3 shell, Xapian's quest.

    bench/cli_compare.py CORPUS [--work DIR] [--nsearch PATH] [--baseline PATH] [--runs N]

Builds, once (kept in --work, default /tmp/cli-compare, and reused while the corpus is the same):
  - an nsearch index of CORPUS (`nsearch index`),
  - an SQLite FTS5 table of the same documents, `fts5(title, body, id UNINDEXED)` with the text
    stored (snippet() needs it), tokenized by bench/fts5_snowball.c (unicode61, remove_diacritics
    2, then Snowball russian, as nsearch's stems), built by the `sqlite3` shell, then 'optimize';
    and a second one tokenized by unicode61 alone (fts5-u61.sqlite),
  - a Xapian index by the shared harness (`harness/engines/xapian index`, copied from --harness).

Then for each query of --queries (default bench/cli_queries.txt, 20 fixed queries) it runs, as
separate processes, interleaved (each round in a rotated order) --runs times (default 9):
  ns      nsearch query IDX QUERY                  top 10 with snippets (text output)
  sqlite  sqlite3 -readonly -cmd '.load fts5_snowball' DB "SELECT id, title, snippet(ft, 1,
          '[', ']', '…', 24) FROM ft WHERE ft MATCH '\"w1\" \"w2\"' ORDER BY bm25(ft, 2.0, 1.0)
          LIMIT 10"                               top 10 with snippets, words stemmed
  sqlite61  the same on a second FTS5 table tokenized by unicode61 alone (no stemming, no .load:
          fewer matches, less work; what the sqlite3 shell does out of the box)
  ns-nosnip  nsearch query IDX --no-snippet QUERY  top 10 without snippets (titles, dates, urls)
  ns-ids  nsearch query IDX --ids QUERY            top 10 ids, one a line (no stored text read)
  quest   quest -d XAPDB -m 10 -s russian -o and QUERY   top 10: Xapian's docid, weight and
          document data (the harness stores the document's id there)
(and, with --baseline, ns and ns-nosnip with that binary: ns0, ns0-nosnip, and the ratios
ns0/sqlite, ns0-nosnip/quest, ns/ns0 and ns-nosnip/ns0-nosnip).
Each process's wall time (perf_counter from spawn to wait4) and CPU time (user + sys from wait4).
Prints per query the median wall ms of each command, the median of the paired ratios ns/sqlite,
ns/sqlite61, ns-ids/quest and ns-nosnip/quest (pairs = the same round), the median CPU ms, and
at the end the median over the queries of each ratio; the last line is the same as JSON.  Output goes to /dev/null during
timing; one untimed run first checks that each command works and counts its lines.

Matching differs a little: nsearch and quest (-o and) need every word (nsearch goes on with
partial matches when fewer than 10 documents hold all; quest's stemmer strategy is STEM_SOME);
FTS5 needs every token of the query, function words included.
"""
import argparse
import gzip
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def corpus_stamp(corpus):
    st = os.stat(corpus)
    return "%s %d %d" % (os.path.abspath(corpus), st.st_size, int(st.st_mtime))


def fresh(path, stamp):
    """True when path exists and was built from the corpus named by stamp."""
    try:
        with open(path + ".stamp") as f:
            return os.path.exists(path) and f.read() == stamp
    except OSError:
        return False


def mark(path, stamp):
    with open(path + ".stamp", "w") as f:
        f.write(stamp)


def read_docs(corpus):
    """(id, title, text) of each JSON object of the corpus; id as the harness names it."""
    opener = gzip.open if corpus.endswith(".gz") else open
    with opener(corpus, "rt", encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            try:
                d = json.loads(line)
            except ValueError:
                continue
            if not isinstance(d, dict):
                continue
            docid = d.get("id")
            if docid is None:
                docid = d.get("url")
            if docid is None:
                docid = "L%d" % line_no
            yield str(docid), d.get("title") or "", d.get("text") or ""


def build_nsearch(args, stamp):
    idx = os.path.join(args.work, "ns.idx")
    if fresh(idx, stamp):
        return idx
    shutil.rmtree(idx, ignore_errors=True)
    log("cli_compare: nsearch index %s" % idx)
    subprocess.run([args.nsearch, "index", idx, args.corpus, "-q"], check=True)
    mark(idx, stamp)
    return idx


def build_extension(args):
    so = os.path.join(args.work, "fts5_snowball.so")
    src = os.path.join(HERE, "fts5_snowball.c")
    if not os.path.exists(so) or os.path.getmtime(so) < os.path.getmtime(src):
        subprocess.run([os.environ.get("CC", "cc"), "-O2", "-fPIC", "-shared", src,
                        "-lstemmer", "-o", so], check=True)
    return so


def build_sqlite(args, stamp, so, tokenizer, name):
    """An FTS5 database of the corpus, its words split by tokenizer (so: the stemming one)."""
    db = os.path.join(args.work, name)
    if fresh(db, stamp):
        return db
    for p in (db, db + "-journal"):
        if os.path.exists(p):
            os.remove(p)
    log("cli_compare: FTS5 database %s" % db)
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE raw(id, title, body)")
    con.executemany("INSERT INTO raw VALUES (?, ?, ?)", read_docs(args.corpus))
    con.commit()
    con.close()
    script = """
%s
CREATE VIRTUAL TABLE ft USING fts5(title, body, id UNINDEXED, tokenize = '%s');
BEGIN;
INSERT INTO ft(title, body, id) SELECT title, body, id FROM raw;
COMMIT;
INSERT INTO ft(ft) VALUES ('optimize');
DROP TABLE raw;
VACUUM;
""" % (".load %s sqlite3_fts5snowball_init" % so if so else "", tokenizer)
    subprocess.run(["sqlite3", db], input=script, text=True, check=True)
    mark(db, stamp)
    return db


def build_xapian(args, stamp):
    h = os.path.join(args.work, "harness")
    xap = os.path.join(args.work, "xapian")
    if fresh(xap, stamp):
        return os.path.join(xap, "db")
    if not os.path.isdir(h):
        shutil.copytree(args.harness, h)
    subprocess.run(["make", "-s", "bin/xapian-engine"], cwd=h, check=True)
    shutil.rmtree(xap, ignore_errors=True)
    os.makedirs(xap)
    log("cli_compare: Xapian index %s" % xap)
    subprocess.run([os.path.join(h, "engines", "xapian"), "index", args.corpus, xap],
                   check=True, stdout=subprocess.DEVNULL)
    mark(xap, stamp)
    return os.path.join(xap, "db")


def fts_query(q):
    """The query for FTS5 MATCH: each word a quoted string (a hyphenated one is a phrase)."""
    words = ['"%s"' % w.replace('"', '""') for w in q.split()]
    return " ".join(words).replace("'", "''")


def commands(args, idx, db, db61, so, xapdb, q):
    sql = ("SELECT id, title, snippet(ft, 1, '[', ']', '…', 24) FROM ft WHERE ft MATCH '%s' "
           "ORDER BY bm25(ft, 2.0, 1.0) LIMIT 10;" % fts_query(q))
    cmds = {
        "ns": [args.nsearch, "query", idx, q],
        "sqlite": ["sqlite3", "-readonly", "-cmd", ".load %s sqlite3_fts5snowball_init" % so,
                   db, sql],
        "sqlite61": ["sqlite3", "-readonly", db61, sql],
        "ns-nosnip": [args.nsearch, "query", idx, "--no-snippet", q],
        "ns-ids": [args.nsearch, "query", idx, "--ids", q],
        "quest": ["quest", "-d", xapdb, "-m", "10", "-s", "russian", "-o", "and", q],
    }
    if args.baseline:
        cmds["ns0"] = [args.baseline, "query", idx, q]
        cmds["ns0-nosnip"] = [args.baseline, "query", idx, "--no-snippet", q]
    return cmds


def timed(cmd):
    """Wall ms and user+sys CPU ms of one process, its output to /dev/null."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = (time.perf_counter() - t0) * 1000
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode not in (0, 1):
        raise SystemExit("cli_compare: %s exited %d" % (cmd, p.returncode))
    return wall, (ru.ru_utime + ru.ru_stime) * 1000


def check(name, cmd):
    """Run once, untimed: the lines it prints (0 or 1 = no hits: exit status 1 for nsearch)."""
    r = subprocess.run(cmd, capture_output=True)
    if r.returncode not in (0, 1) or (name == "sqlite" and r.stderr):
        raise SystemExit("cli_compare: %s failed (%d): %s" % (cmd, r.returncode,
                                                             r.stderr.decode(errors="replace")))
    return r.stdout.count(b"\n")


def ratio_median(a, b):
    return statistics.median(x / y for x, y in zip(a, b))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--work", default="/tmp/cli-compare")
    ap.add_argument("--nsearch", default=os.path.join(ROOT, "tools", "nsearch"))
    ap.add_argument("--baseline", help="another nsearch binary, run in the same rounds")
    ap.add_argument("--queries", default=os.path.join(HERE, "cli_queries.txt"))
    ap.add_argument("--harness", default=os.path.join(ROOT, "..", "shared", "harness"))
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--json", help="write every figure (per query, per command) to this file")
    args = ap.parse_args()
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    for tool in ("sqlite3", "quest"):
        if shutil.which(tool) is None:
            raise SystemExit("cli_compare: needs %s (apt-get install sqlite3 xapian-tools)" % tool)
    os.makedirs(args.work, exist_ok=True)
    args.nsearch = os.path.abspath(args.nsearch)
    if args.baseline:
        args.baseline = os.path.abspath(args.baseline)
    stamp = corpus_stamp(args.corpus)
    idx = build_nsearch(args, stamp)
    so = build_extension(args)
    db = build_sqlite(args, stamp, so, "snowball unicode61 remove_diacritics 2", "fts5.sqlite")
    db61 = build_sqlite(args, stamp, None, "unicode61 remove_diacritics 2", "fts5-u61.sqlite")
    xapdb = build_xapian(args, stamp)
    with open(args.queries, encoding="utf-8") as f:
        queries = [line.strip() for line in f if line.strip()]

    cols = ["ns", "sqlite", "sqlite61", "ns-nosnip", "ns-ids", "quest"]
    if args.baseline:
        cols += ["ns0", "ns0-nosnip"]
    ratios = [("ns/sqlite", "ns", "sqlite"), ("ns/sqlite61", "ns", "sqlite61"),
              ("ns-ids/quest", "ns-ids", "quest"), ("ns-nosnip/quest", "ns-nosnip", "quest")]
    if args.baseline:
        ratios += [("ns0/sqlite", "ns0", "sqlite"), ("ns0-nosnip/quest", "ns0-nosnip", "quest"),
                   ("ns/ns0", "ns", "ns0"), ("ns-nosnip/ns0-nosnip", "ns-nosnip", "ns0-nosnip")]
    print("| query | lines %s | wall ms %s | %s | CPU ms %s |" % (
        "/".join(cols), "/".join(cols), " | ".join(r[0] for r in ratios), "/".join(cols)))
    print("|---|---|---|%s---|" % ("---:|" * len(ratios)))
    per_query = []
    for q in queries:
        cmds = commands(args, idx, db, db61, so, xapdb, q)
        lines = [check(c, cmds[c]) for c in cols]
        wall = {c: [] for c in cols}
        cpu = {c: [] for c in cols}
        for r in range(args.runs):
            order = cols[r % len(cols):] + cols[:r % len(cols)]
            for c in order:
                w, u = timed(cmds[c])
                wall[c].append(w)
                cpu[c].append(u)
        rq = {name: ratio_median(wall[a], wall[b]) for name, a, b in ratios}
        per_query.append({"query": q, "lines": dict(zip(cols, lines)),
                          "wall_ms": {c: statistics.median(wall[c]) for c in cols},
                          "cpu_ms": {c: statistics.median(cpu[c]) for c in cols},
                          "wall_runs": wall, "cpu_runs": cpu,
                          "ratios": rq})
        print("| %s | %s | %s | %s | %s |" % (
            q, "/".join(str(n) for n in lines),
            "/".join("%.1f" % statistics.median(wall[c]) for c in cols),
            " | ".join("%.2f" % rq[name] for name, _, _ in ratios),
            "/".join("%.1f" % statistics.median(cpu[c]) for c in cols)), flush=True)
    summary = {name: statistics.median(p["ratios"][name] for p in per_query)
               for name, _, _ in ratios}
    print("| **median of the %d queries** | | %s | %s | %s |" % (
        len(queries),
        "/".join("%.1f" % statistics.median(p["wall_ms"][c] for p in per_query) for c in cols),
        " | ".join("**%.2f**" % summary[name] for name, _, _ in ratios),
        "/".join("%.1f" % statistics.median(p["cpu_ms"][c] for p in per_query) for c in cols)))
    print(json.dumps({"corpus": args.corpus, "runs": args.runs, "queries": len(queries),
                      "median_ratios": summary}))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"corpus": args.corpus, "runs": args.runs, "median_ratios": summary,
                       "per_query": per_query}, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
