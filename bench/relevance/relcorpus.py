"""relcorpus.py - what the relevance set generators share: reading a JSON
Lines corpus (plain or gzip) with the harness's line numbers and docids, and
query files.  Standard library only.

The docid of a record is the shared harness's (../shared/harness, "Common
contract"): `id` as written (a string, or a JSON number's own text), else
`url`, else `L<line>` where <line> counts every physical line of the file
from 1 (blank and unreadable lines included, as the C readers count them);
space, tab, CR and LF in it become `_`.  An empty string, null, a boolean
or an object is no id.  This module does not tokenize text: each generator
says what its words are.
"""
import gzip
import json
import re
import sys

_UNSAFE = re.compile(r"[ \t\r\n]")


def open_text(path, mode="rt"):
    """A text file, gunzipped when the name ends in .gz.  Lines end at LF
    only, as the C readers split them."""
    if path.endswith(".gz"):
        return gzip.open(path, mode, encoding="utf-8", newline="\n")
    return open(path, mode, encoding="utf-8", newline="\n")


def _as_id(v):
    """A field's value as docid text, or None.  Numbers arrive as their own
    text (read_jsonl parses them with str)."""
    if isinstance(v, str) and v:
        return v
    return None


def docid(obj, lineno):
    """The harness docid of record obj read from physical line lineno."""
    d = _as_id(obj.get("id")) or _as_id(obj.get("url")) or "L%d" % lineno
    return _UNSAFE.sub("_", d)


def read_jsonl(path):
    """Yields (lineno, record) for every line holding a JSON object; lines
    that are blank, not JSON or not an object are skipped (a warning on
    stderr for the unreadable ones) but still counted."""
    with open_text(path) as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line, parse_int=str, parse_float=str)
            except ValueError:
                print("%s:%d: not JSON, skipped" % (path, lineno), file=sys.stderr)
                continue
            if isinstance(obj, dict):
                yield lineno, obj


def field(obj, name):
    """A text field of a record, '' when absent or not a string."""
    v = obj.get(name)
    return v if isinstance(v, str) else ""


def read_queries(path):
    """The (qid, query) pairs of a TSV file `qid<TAB>query`, in file order;
    lines without a tab are skipped."""
    out = []
    with open(path, encoding="utf-8", newline="\n") as f:
        for line in f:
            line = line.rstrip("\r\n")
            qid, tab, q = line.partition("\t")
            if tab:
                out.append((qid, q))
    return out


def write_set(prefix, queries, qrels):
    """Writes prefix.tsv (`qid<TAB>query`) and prefix.qrels (`qid 0 docid
    1`) from queries [(qid, text)] and qrels {qid: [docid, ...]}."""
    with open(prefix + ".tsv", "w", encoding="utf-8", newline="\n") as f:
        for qid, q in queries:
            f.write("%s\t%s\n" % (qid, q))
    with open(prefix + ".qrels", "w", encoding="utf-8", newline="\n") as f:
        for qid, _ in queries:
            for d in qrels[qid]:
                f.write("%s 0 %s 1\n" % (qid, d))
