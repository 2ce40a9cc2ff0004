#!/usr/bin/env python3
"""make_variants.py QUERIES.tsv MODE SEED > OUT.tsv

Queries as a reader may type them when something goes wrong (issue 16),
made from clean ones (qid<TAB>query) with a fixed seed:

  layout  every character typed with the US (QWERTY) layout on instead of
          the Russian (ЙЦУКЕН, xkb ru winkeys): «москва» -> «vjcrdf», and the
          punctuation that moves (. , ? " ; : -> / ? & @ $ ^)
  bgn     Cyrillic romanised by BGN/PCGN 1947, folded to ASCII as people type
          it (ё -> e, no apostrophes for ъ ь): «Щукин» -> «Shchukin»
  icao    Cyrillic romanised by ICAO Doc 9303 (Russian passports since
          2013): й -> i, ю -> iu, я -> ia, ъ -> ie, ь dropped
  typo    one typo in one word of five or more letters, chosen at random:
          a neighbouring key on ЙЦУКЕН (same row), a dropped letter, two
          neighbouring letters swapped, or a letter doubled; any position.
          A query with no such word is written unchanged.

Capitals stay capitals.  The seed makes the typos (other modes ignore it).
"""
import random
import re
import sys

CYR = "ёйцукенгшщзхъфывапролджэячсмитьбю"
KEYS = "`qwertyuiop[]asdfghjkl;'zxcvbnm,."
LAYOUT = dict(zip(CYR, KEYS))
LAYOUT.update(zip(CYR.upper(), "~QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>"))
LAYOUT.update({".": "/", ",": "?", "?": "&", '"': "@", ";": "$", ":": "^", "№": "#"})

BGN = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
       "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
       "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
       "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
       "я": "ya"}
ICAO = dict(BGN, **{"й": "i", "ю": "iu", "я": "ia", "ъ": "ie", "ё": "e"})
VOWELS = set("аеёиоуыэюяйъь")

ROWS = ["йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю"]
NEIGHBOURS = {}
for row in ROWS:
    for i, ch in enumerate(row):
        NEIGHBOURS[ch] = [row[j] for j in (i - 1, i + 1) if 0 <= j < len(row)]


def match_case(src, out):
    if not out or not src.isupper():
        return out
    return out.upper() if len(src) > 1 and src == src.upper() else out[0].upper() + out[1:]


def romanise(text, table, bgn):
    res = []
    prev = ""
    for ch in text:
        low = ch.lower()
        if low not in table:
            res.append(ch)
            prev = ""
            continue
        out = table[low]
        # BGN: е and ё are ye at a word's start and after vowels, ъ and ь
        if bgn and low in "её" and (prev == "" or prev in VOWELS):
            out = "ye"
        res.append(out.upper() if ch.isupper() and len(out) <= 1 else
                   (out[:1].upper() + out[1:] if ch.isupper() else out))
        prev = low
    return "".join(res)


def typo(text, rnd):
    words = [m for m in re.finditer(r"[а-яёА-ЯЁ]+", text) if len(m.group()) >= 5]
    if not words:
        return text
    m = rnd.choice(words)
    w = m.group()
    kinds = ["neighbour", "drop", "swap", "double"]
    while True:
        kind = rnd.choice(kinds)
        i = rnd.randrange(len(w))
        if kind == "neighbour":
            low = w[i].lower()
            if low not in NEIGHBOURS:
                continue
            ch = rnd.choice(NEIGHBOURS[low])
            new = w[:i] + (ch.upper() if w[i].isupper() else ch) + w[i + 1:]
        elif kind == "drop":
            new = w[:i] + w[i + 1:]
        elif kind == "swap":
            if i + 1 >= len(w) or w[i].lower() == w[i + 1].lower():
                continue
            new = w[:i] + w[i + 1] + w[i] + w[i + 2:]
        else:
            new = w[:i + 1] + w[i] + w[i + 1:]
        if new.lower() != w.lower():
            return text[:m.start()] + new + text[m.end():]


def main():
    if len(sys.argv) != 4 or sys.argv[2] not in ("layout", "bgn", "icao", "typo"):
        sys.exit(__doc__)
    path, mode, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rnd = random.Random(seed)
    with open(path, encoding="utf-8") as f:
        for line in f:
            qid, _, q = line.rstrip("\n").partition("\t")
            if mode == "layout":
                q = "".join(LAYOUT.get(ch, ch) for ch in q)
            elif mode == "bgn":
                q = romanise(q, BGN, True)
            elif mode == "icao":
                q = romanise(q, ICAO, False)
            else:
                q = typo(q, rnd)
            print(f"{qid}\t{q}")


if __name__ == "__main__":
    main()
