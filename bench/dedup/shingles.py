"""Word 3-shingles and their Jaccard similarity, as bench/dedup measures
near copies independently of the library: words are runs of letters and
digits (\\w) of title and text, lower-cased, ё as е; a document of fewer
than three words has one shingle of all of them."""
import gzip
import json
import re

WORD = re.compile(r"\w+")


def words(doc):
    text = (doc.get("title") or "") + "\n" + (doc.get("text") or "")
    return WORD.findall(text.lower().replace("ё", "е"))


def shingles(doc):
    w = words(doc)
    if len(w) < 3:
        return {tuple(w)} if w else set()
    return {tuple(w[i:i + 3]) for i in range(len(w) - 2)}


def jaccard(a, b):
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def load(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
