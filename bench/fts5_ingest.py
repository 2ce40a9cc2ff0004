#!/usr/bin/env python3
"""fts5_ingest.py - what bench_ingest does, with SQLite FTS5 (python3's sqlite3).

    fts5_ingest.py CORPUS.jsonl[.gz] DB [--commit N] [--passes P] [--limit D]
                   [--first-commit M] [--replace R] [--journal delete|wal]
                   [--sync full|normal]

Reads the corpus into memory first (id or url, title, text, as nsearch's
reader takes them), then pass 1 adds the first D documents (all by
default) to a new database DB, one transaction per N documents (default
100); each further pass adds them again with the same ids, each replacing
the document before it (DELETE then INSERT of its rowid, found in an id
table), as bench_ingest replaces through ni_index_add.  --first-commit M:
pass 1 commits every M documents; --replace R: later passes replace the
first R documents only (as bench_ingest).

Table: fts5(title, text, tokenize = 'unicode61 remove_diacritics 2'),
FTS5's defaults otherwise (automerge 4, crisismerge 16), beside
ids(id TEXT PRIMARY KEY) whose rowid is the document's rowid; the stored
text is FTS5's content (title, text), and ids holds the id.  Durability:
--journal delete --sync full (the default: each commit on disk, like an
LMDB commit) or wal/normal (a commit survives a crash of the process, not
of the machine).

One JSON line per pass on stdout, with the fields of bench_ingest: pass,
docs, commits, commit_docs, raw_text_bytes (UTF-8 bytes of title + text),
seconds, docs_per_s, commits_per_s, mb_per_s, file_bytes (database and
-wal file), max_file_bytes, free_bytes (freelist pages), written_bytes
(what the process passed to write(2) meanwhile, /proc/self/io wchar: the
pages, journal and WAL SQLite wrote), written_per_raw, durability.
"""
import gzip
import json
import os
import sqlite3
import sys
import time


def read_docs(path, limit):
    opener = gzip.open if path.endswith(".gz") else open
    docs = []
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if limit is not None and len(docs) >= limit:
                break
            line = line.strip()
            if not line:
                continue
            try:
                r = json.loads(line)
            except ValueError:
                continue
            rid = r.get("id") or r.get("url")
            if not rid:
                continue
            docs.append((str(rid), r.get("title") or "", r.get("text") or ""))
    return docs


def written():
    """Bytes this process passed to write(2) so far (/proc/self/io wchar)."""
    try:
        with open("/proc/self/io") as f:
            for line in f:
                if line.startswith("wchar:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def file_bytes(db):
    n = os.path.getsize(db)
    if os.path.exists(db + "-wal"):
        n += os.path.getsize(db + "-wal")
    return n


def main(argv):
    args = {"--commit": "100", "--passes": "3", "--limit": None,
            "--first-commit": None, "--replace": None,
            "--journal": "delete", "--sync": "full"}
    pos = []
    i = 1
    while i < len(argv):
        if argv[i] in args and i + 1 < len(argv):
            args[argv[i]] = argv[i + 1]
            i += 2
        elif argv[i].startswith("--"):
            print(__doc__, file=sys.stderr)
            return 2
        else:
            pos.append(argv[i])
            i += 1
    if len(pos) != 2 or args["--journal"] not in ("delete", "wal") or \
            args["--sync"] not in ("full", "normal"):
        print(__doc__, file=sys.stderr)
        return 2
    corpus, db = pos
    every, passes = int(args["--commit"]), int(args["--passes"])
    limit = int(args["--limit"]) if args["--limit"] else None
    if os.path.exists(db):
        print("fts5_ingest.py: '%s' exists: remove it first" % db, file=sys.stderr)
        return 2
    docs = read_docs(corpus, limit)

    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=%s" % args["--journal"])
    con.execute("PRAGMA synchronous=%s" % args["--sync"])
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(title, text, "
                "tokenize = 'unicode61 remove_diacritics 2')")
    con.execute("CREATE TABLE ids(id TEXT PRIMARY KEY)")
    durability = "sqlite journal=%s synchronous=%s" % (args["--journal"], args["--sync"])
    for p in range(1, passes + 1):
        n_docs = len(docs)
        if p > 1 and args["--replace"]:
            n_docs = min(n_docs, int(args["--replace"]))
        per = int(args["--first-commit"]) if p == 1 and args["--first-commit"] else every
        todo = docs[:n_docs]
        raw = sum(len(t.encode()) + len(x.encode()) for _, t, x in todo)
        commits = 0
        max_file = 0
        outside = 0.0
        w0 = written()
        t0 = time.monotonic()
        con.execute("BEGIN")
        for n, (rid, title, text) in enumerate(todo, 1):
            row = con.execute("SELECT rowid FROM ids WHERE id = ?", (rid,)).fetchone()
            if row:
                con.execute("DELETE FROM docs WHERE rowid = ?", row)
                rowid = row[0]
            else:
                rowid = con.execute("INSERT INTO ids(id) VALUES (?)", (rid,)).lastrowid
            con.execute("INSERT INTO docs(rowid, title, text) VALUES (?, ?, ?)",
                        (rowid, title, text))
            if n % per == 0 or n == n_docs:
                con.execute("COMMIT")
                commits += 1
                t1 = time.monotonic()
                max_file = max(max_file, file_bytes(db))
                outside += time.monotonic() - t1
                if n != n_docs:
                    con.execute("BEGIN")
        secs = time.monotonic() - t0 - outside
        w0 = written() - w0
        page = con.execute("PRAGMA page_size").fetchone()[0]
        free = con.execute("PRAGMA freelist_count").fetchone()[0] * page
        print(json.dumps({
            "bench": "fts5_ingest", "pass": p, "docs": n_docs, "commits": commits,
            "commit_docs": per, "raw_text_bytes": raw, "seconds": round(secs, 3),
            "docs_per_s": round(n_docs / secs, 1),
            "commits_per_s": round(commits / secs, 1),
            "mb_per_s": round(raw / 1e6 / secs, 3), "file_bytes": file_bytes(db),
            "max_file_bytes": max_file, "free_bytes": free, "written_bytes": w0,
            "written_per_raw": round(w0 / raw, 2) if raw else 0,
            "durability": durability}))
        sys.stdout.flush()
    con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
