#!/usr/bin/env python3
"""Transliteration keys measured (lib/translit.c, #16 item 4).

Usage: bench/translit_bench.py CORPUS.jsonl.gz [BUILD_DIR] [--top 20000]

Takes the Cyrillic and Latin words of the corpus's titles and texts (regex
[A-Za-zА-Яа-яЁё]+, lower case, ё as е), romanises each of the TOP most
frequent Cyrillic words of >= 4 letters in five ways (BGN/PCGN through ICU's
uconv, the others by the tables below), keys both sides with
BUILD_DIR/bench/translit_keys and prints, per scheme, the share of words
whose Latin key equals their Cyrillic key and the share for which the word is
the most frequent word with that key; then the sizes of the candidate sets
(distinct lexicon words sharing the Cyrillic key of each of the TOP words)
and the false-trigger side: the share of the corpus's Latin words of >= 4
letters whose key is some Cyrillic word's key.  The romanisation source is
the word as written with ё when the corpus ever writes it so (GOST-B and the
informal schemes write ё as yo).
"""
import collections, gzip, json, re, subprocess, sys

ICAO = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch ie y - e iu ia".split()))
GOSTB = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "a b v g d e yo zh z i j k l m n o p r s t u f x cz ch sh shh `` y' ` e` yu ya".split()))
INFORMAL = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "a b v g d e yo zh z i y k l m n o p r s t u f h c ch sh sch - y - e yu ya".split()))
VOWELS = set("аеёиоуыэюя")


def table(word, t):
    out = []
    for i, ch in enumerate(word):
        s = t[ch]
        if s == "-":
            s = ""
        if t is GOSTB and ch == "ц" and word[i + 1:i + 2] in ("е", "и", "ы", "й"):
            s = "c"
        out.append(s)
    return "".join(out)


def press(word):
    """English-press style (Navalny, Yeltsin, Dostoevsky, Tchaikovsky is not
    covered): BGN letters, no apostrophes, ye after a vowel, ь, ъ or at the
    start, ий/ый at the end as y."""
    t = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split()))
    if word.endswith(("ий", "ый")):
        word, tail = word[:-2], "y"
    else:
        tail = ""
    out = []
    for i, ch in enumerate(word):
        s = t[ch]
        if s == "-":
            s = ""
        if ch == "е" and (i == 0 or word[i - 1] in VOWELS or word[i - 1] in "ьъ"):
            s = "ye"
        out.append(s)
    return "".join(out) + tail


def run(cmd, lines, inp_mode=None):
    p = subprocess.run(cmd, input="".join(w + "\n" for w in lines),
                       capture_output=True, text=True, check=True)
    out = p.stdout.split("\n")[:-1]
    assert len(out) == len(lines), (cmd, len(out), len(lines))
    return out


def pct(a, b):
    return 100.0 * a / b if b else 0.0


def quantile(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main():
    args = sys.argv[1:]
    top = 20000
    if "--top" in args:
        i = args.index("--top")
        top = int(args[i + 1])
        del args[i:i + 2]
    corpus = args[0]
    build = args[1] if len(args) > 1 else "build"
    keys = build + "/bench/translit_keys"

    cyr, lat, spelled = collections.Counter(), collections.Counter(), collections.Counter()
    word_re = re.compile(r"[A-Za-zА-Яа-яЁё]+")
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            text = (d.get("title") or "") + " " + (d.get("text") or "")
            for w in word_re.findall(text.lower()):
                if w.isascii():
                    lat[w] += 1
                elif re.fullmatch("[а-яё]+", w):
                    n = w.replace("ё", "е")
                    cyr[n] += 1
                    if "ё" in w:
                        spelled[w] += 1
    yo = {}
    for w, _ in spelled.most_common():
        yo.setdefault(w.replace("ё", "е"), w)

    lexicon = list(cyr)
    lex_keys = dict(zip(lexicon, run([keys, "cyr"], lexicon)))
    words = [w for w, _ in cyr.most_common() if len(w) >= 4][:top]
    by_key, by_key3 = collections.defaultdict(list), collections.defaultdict(list)
    for w in lexicon:
        if lex_keys[w]:
            by_key[lex_keys[w]].append(w)
            if cyr[w] >= 3:
                by_key3[lex_keys[w]].append(w)
    nokey = [w for w in words if not lex_keys[w]]

    src = [yo.get(w, w) for w in words]
    bgn = run(["uconv", "-x", "Russian-Latin/BGN; Latin-ASCII"], src)
    schemes = {
        "BGN/PCGN (ICU, ASCII, no apostrophes)": [re.sub("['\"·]", "", s) for s in bgn],
        "ICAO Doc 9303": [table(w, ICAO) for w in src],
        "GOST 7.79-B": [table(w, GOSTB) for w in src],
        "informal (h, c, sch, yo)": [table(w, INFORMAL) for w in src],
        "press (Navalny, Yeltsin)": [press(w) for w in src],
        "ISO 9 folded to ASCII (ICU Cyrillic-Latin; not a target)":
            run(["uconv", "-x", "Cyrillic-Latin; Latin-ASCII"], src),
    }
    print(f"corpus {corpus}: {sum(cyr.values())} Cyrillic tokens, {len(cyr)} types; "
          f"{len(lat)} Latin types; top {len(words)} Cyrillic words of >= 4 letters "
          f"({sum(1 for w in words if w in yo)} written with ё somewhere), "
          f"{len(nokey)} without a key {nokey[:5]}")
    print("\n| scheme | key equal | word is the most frequent candidate | example |")
    print("|---|---|---|---|")
    misses = {}
    for name, latin in schemes.items():
        lk = run([keys, "lat"], latin)
        hit = first = 0
        miss = []
        for w, l, k in zip(words, latin, lk):
            if k and k == lex_keys[w]:
                hit += 1
                if max(by_key[k], key=lambda c: cyr[c]) == w:
                    first += 1
            else:
                miss.append((cyr[w], w, l, k, lex_keys[w]))
        misses[name] = sorted(miss, reverse=True)
        i = min(3, len(words) - 1)
        print(f"| {name} | {pct(hit, len(words)):.1f} % | {pct(first, len(words)):.1f} % "
              f"| {words[i]} → {latin[i]} |")
    for name, miss in misses.items():
        print(f"\n{name}: {len(miss)} misses, most frequent:",
              "; ".join(f"{w} {l} ({k} ≠ {c})" for _, w, l, k, c in miss[:8]))

    for label, table_ in (("all lexicon words", by_key), ("lexicon words of freq >= 3", by_key3)):
        sizes = [len(table_[lex_keys[w]]) for w in words if lex_keys[w] and lex_keys[w] in table_]
        print(f"\ncandidate sets ({label}) of the top words: median {quantile(sizes, 0.5)}, "
              f"p90 {quantile(sizes, 0.9)}, p99 {quantile(sizes, 0.99)}, max {max(sizes)}; "
              f"size 1: {pct(sum(1 for s in sizes if s == 1), len(sizes)):.1f} %")
    worst = sorted(by_key.items(), key=lambda kv: -len(kv[1]))[:3]
    print("largest sets:", "; ".join(f"{k}: {len(v)} ({', '.join(sorted(v, key=lambda c: -cyr[c])[:6])})"
                                      for k, v in worst))

    latin_words = [w for w in lat if len(w) >= 4]
    lk = dict(zip(latin_words, run([keys, "lat"], latin_words)))
    for label, ws in (("all", latin_words), ("freq >= 3", [w for w in latin_words if lat[w] >= 3])):
        trig = [w for w in ws if lk[w] in by_key]
        trig.sort(key=lambda w: -lat[w])
        print(f"\nfalse triggers, corpus Latin words of >= 4 letters ({label}): "
              f"{len(trig)} of {len(ws)} = {pct(len(trig), len(ws)):.2f} %; most frequent: " +
              ", ".join(f"{w}→{'/'.join(by_key[lk[w]][:2])}" for w in trig[:12]))
        rare = [w for w in trig if max(cyr[c] for c in by_key[lk[w]]) >= 100 * lat[w]]
        print(f"  of which a Cyrillic word with the key is >= 100x as frequent (the gate's rare-word "
              f"clause would fire): {len(rare)} = {pct(len(rare), len(ws)):.2f} %: " +
              ", ".join(f"{w} ({lat[w]})→{max(by_key[lk[w]], key=lambda c: cyr[c])} "
                        f"({max(cyr[c] for c in by_key[lk[w]])})" for w in rare[:10]))
    for w in ("python", "google", "telegram", "iphone", "here"):
        print(f"  {w} ({lat[w]}): key {lk.get(w) or run([keys, 'lat'], [w])[0]} -> "
              f"{by_key.get(lk.get(w) or run([keys, 'lat'], [w])[0], [])[:3]}")


if __name__ == "__main__":
    main()
