#!/usr/bin/env python3
"""gen_corpus.py - grows a real news corpus (JSON Lines, optionally gzip'ed)
to N documents for scaling benchmarks, reproducibly from a seed.

    bench/gen_corpus.py IN.jsonl[.gz] N OUT.jsonl.gz [--seed 1] [--beta 0.6]
                        [--p-variant 0.5] [--rare 2]

The output starts with the input's records unchanged (in order); the rest
are synthetic records, each made from a random "template" record T of the
input (so lengths, rubrics and dates keep the input's distribution):

* id "gen-<n>" (n = 0-based output index), url null, date and rubric of T;
* title: T's title; text: T's paragraphs, each with as many sentences as in
  T, every sentence kept in T's order with probability 0.7 and otherwise
  replaced by a sentence drawn uniformly from all sentences of the input;
* vocabulary: every occurrence of a rare word (corpus frequency <= --rare,
  lower-cased, at least 4 letters) in the title or text is, with probability
  --p-variant, replaced by synthetic variant number j of that word, j drawn
  uniformly from 1..J(n), J(n) = ceil((((n + 1) / n0) ** beta - 1) * V0 / R)
  where n0 is the input's record count, V0 its vocabulary (distinct words)
  and R its number of rare words.  Variant j of a word inserts, after its
  first three letters, syllables that spell j in a fixed syllable alphabet
  (Cyrillic consonant+vowel for a Cyrillic word, Latin for a Latin one)
  rotated by the word's CRC-32, keeping the ending, so a variant inflects
  and stems like its word.  With all variants in use the vocabulary is
  about V0 + R * J(n) ~ V0 * (n / n0) ** beta: it keeps growing like
  Heaps' law instead of saturating at V0 as plain resampling would.

Words are runs of \\w characters; sentences end at . ! ? or ... followed by
space and an upper-case letter, digit or opening quote; paragraphs are
separated by newlines.  Only the standard library is used; the output is
byte-identical for the same input, N and options (gzip mtime 0).
"""
import argparse
import gzip
import io
import json
import math
import random
import re
import sys
import zlib

WORD = re.compile(r"\w+")
SENT_SPLIT = re.compile(r"(?<=[.!?\u2026])\s+(?=[\"\u00ab\u201cA-Z\u0410-\u042f\u0401\d])")
CYR_C, CYR_V = "бвгдзклмнпрстх", "аеиоу"
LAT_C, LAT_V = "bdfgklmnprstvz", "aeiou"


def read_jsonl(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if isinstance(obj, dict):
                yield line, obj


def text_of(obj, key):
    v = obj.get(key)
    return v if isinstance(v, str) else ""


def is_cyrillic(w):
    return any("\u0400" <= ch <= "\u04ff" for ch in w)


def syllables(j, rot, cons, vows):
    """j >= 1 spelled in base len(cons)*len(vows) syllables, rotated by rot."""
    base = len(cons) * len(vows)
    out = []
    while True:
        d = (j + rot) % base
        out.append(cons[d // len(vows)] + vows[d % len(vows)])
        j //= base
        if j == 0:
            break
    return "".join(out)


def variant(word, j):
    rot = zlib.crc32(word.lower().encode("utf-8"))
    if is_cyrillic(word):
        syl = syllables(j, rot, CYR_C, CYR_V)
    else:
        syl = syllables(j, rot, LAT_C, LAT_V)
    if word[:1].isupper() and word[1:2].isupper():
        syl = syl.upper()
    return word[:3] + syl + word[3:]


class Piece:
    """A text with the spans of its rare words, found once."""
    __slots__ = ("text", "rare")

    def __init__(self, text, rare_set):
        self.text = text
        self.rare = [(m.start(), m.end()) for m in WORD.finditer(text)
                     if m.group().lower() in rare_set]


def render(piece, rng, p_variant, jmax):
    if not piece.rare or jmax < 1:
        return piece.text
    out, last = [], 0
    for s, e in piece.rare:
        if rng.random() < p_variant:
            out.append(piece.text[last:s])
            out.append(variant(piece.text[s:e], 1 + rng.randrange(jmax)))
            last = e
    if not out:
        return piece.text
    out.append(piece.text[last:])
    return "".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input")
    ap.add_argument("n", type=int)
    ap.add_argument("output")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--beta", type=float, default=0.6)
    ap.add_argument("--p-variant", type=float, default=0.5)
    ap.add_argument("--rare", type=int, default=2)
    a = ap.parse_args()

    lines, docs = [], []
    freq = {}
    for line, obj in read_jsonl(a.input):
        lines.append(line)
        docs.append(obj)
        for key in ("title", "text"):
            for w in WORD.findall(text_of(obj, key)):
                w = w.lower()
                freq[w] = freq.get(w, 0) + 1
    n0 = len(docs)
    if n0 == 0:
        sys.exit("gen_corpus.py: no records in %s" % a.input)
    rare = {w for w, c in freq.items() if c <= a.rare and len(w) >= 4 and not w.isdigit()}
    v0, r = len(freq), max(1, len(rare))

    templates, pool = [], []
    for obj in docs:
        paras = []
        for para in text_of(obj, "text").split("\n"):
            sents = [Piece(s, rare) for s in SENT_SPLIT.split(para) if s.strip()]
            if sents:
                paras.append(sents)
                pool.extend(sents)
        templates.append((Piece(text_of(obj, "title"), rare), paras, obj))
    if not pool:
        sys.exit("gen_corpus.py: no sentences in %s" % a.input)

    rng = random.Random(a.seed)
    raw = open(a.output, "wb")
    gz = gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=1, mtime=0)
    out = io.TextIOWrapper(gz, encoding="utf-8", newline="\n")
    for line in lines[:a.n]:
        out.write(line + "\n")
    for n in range(n0, a.n):
        jmax = math.ceil((((n + 1) / n0) ** a.beta - 1) * v0 / r)
        title, paras, obj = templates[rng.randrange(n0)]
        text = []
        for sents in paras:
            chosen = [s if rng.random() < 0.7 else pool[rng.randrange(len(pool))]
                      for s in sents]
            text.append(" ".join(render(s, rng, a.p_variant, jmax) for s in chosen))
        rec = {"id": "gen-%d" % n, "url": None, "date": obj.get("date"),
               "rubric": obj.get("rubric"),
               "title": render(title, rng, a.p_variant, jmax) if title.text else None,
               "text": "\n".join(text)}
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    out.close()
    raw.close()
    print("gen_corpus.py: %d input records (V0 %d words, %d rare), wrote %d to %s"
          % (n0, v0, len(rare), max(a.n, 0), a.output), file=sys.stderr)


if __name__ == "__main__":
    main()
