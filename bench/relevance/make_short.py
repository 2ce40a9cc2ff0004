#!/usr/bin/env python3
"""make_short.py CORPUS SEED N OUT_PREFIX - short queries as people type them

Each query is two or three lower-cased content words of one document's
headline, in headline order; that document is the one relevant answer.  The
headline stays in the indexed text: the set runs on the corpus as it is.

Words: maximal runs of letters, digits and `_`, joined by inner hyphens
(Ростов-на-Дону, из-за).  Content words are those without a digit or `_`,
of two letters or more, and not in FUNCTION_WORDS below (prepositions,
conjunctions, particles, pronouns, forms of быть, a few English ones) and
that do not mix Latin and Cyrillic letters (стартaпов with a Latin a).

A headline that a Telegram post cut off (the text starts with the headline
and goes on with a letter or digit right after it) loses its last, partial
word.  Candidates: headlines with at least 3 content words, whose normalized
form (lower case, ё as е, content words joined) occurs once in the corpus,
and whose docid occurs once.

Sampling, with random.Random(SEED):
  * the candidates fall into strata by the letters their docid starts with
    (ria-..., tg-..., nerel-..., one stratum per source file of the news
    corpus);
  * each stratum gets a share of N proportional to the square root of its
    number of candidates (largest remainders; never more than it has), so
    that the 22k Telegram posts do not crowd out the edited news;
  * strata in name order, each: rng.sample of its share; then for each
    document drawn, k = rng.choice((2, 3)) and rng.sample of k of its
    content words, kept in headline order.
Queries are written in corpus order as s0001, s0002, ...: OUT_PREFIX.tsv
(`qid<TAB>query`) and OUT_PREFIX.qrels (`qid 0 docid 1`).  Counts go to
stderr as one JSON line.
"""
import json
import math
import random
import re
import sys
from collections import Counter

from relcorpus import docid, field, read_jsonl, write_set

WORD = re.compile(r"\w+(?:-\w+)*")
STRATUM = re.compile(r"^[A-Za-z]*")
LATIN = re.compile(r"[A-Za-z]")
CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")

FUNCTION_WORDS = set("""
в во на над надо под подо за из изо к ко с со у о об обо от ото по до для без безо при про
через перед передо между меж около возле вокруг после против среди сквозь ради кроме вместо
вдоль согласно благодаря вопреки навстречу насчет насчёт ввиду вследствие из-за из-под
и а но да или либо ни же ли бы б что чтобы чтоб как так также тоже когда если хотя пока едва
будто словно ведь вот даже лишь только уже ещё еще не нет разве неужели пусть пускай ну ли
я ты он она оно мы вы они его её ее их ему ей им ими него нее неё них нему ней ним нем нём
меня тебя себя мне тебе себе мной мною тобой собой нас вас нами вами нам вам
это этот эта эти этого этой этих этим этими этом эту тот та те то того той тех тем теми том
ту такой такая такое такие такого таких весь вся всё все всего всей всех всем всеми всю
свой своя своё свое свои своего своей своих свою своим мой моя моё мое мои наш наша наше наши
нашего нашей наших ваш ваша ваше ваши который которая которое которые которого которой
которых которым кто кого кому чем чего чей где куда откуда зачем почему сколько какой какая
какое какие каков был была было были быть будет будут будем есть является являются может
могут можно нужно надо очень более менее самый самая самое самые там тут здесь сейчас
теперь тогда потом снова уж кто-то что-то где-то как-то какой-то все-таки всё-таки то-есть
the a an of and or in on at to for from by with is are was be as it its this that not
""".split())


def content_words(title):
    """The headline's content words, as written, in order."""
    out = []
    for w in WORD.findall(title):
        low = w.lower()
        if len(w) < 2 or any(c.isdigit() or c == "_" for c in w) or low in FUNCTION_WORDS:
            continue
        if LATIN.search(w) and CYRILLIC.search(w):
            continue
        out.append(w)
    return out


def headline(obj):
    """The record's headline with whitespace collapsed, without a last word
    the Telegram export cut in two."""
    title = " ".join(field(obj, "title").split())
    text = " ".join(field(obj, "text").split())
    if title and text.startswith(title) and len(text) > len(title) and text[len(title)].isalnum():
        title = title.rsplit(" ", 1)[0] if " " in title else ""
    return title


def shares(sizes, n):
    """{stratum: count}: n split in proportion to sqrt(size), largest
    remainders first, capped at each stratum's size."""
    out = {s: 0 for s in sizes}
    left = dict(sizes)
    while n > 0 and any(left.values()):
        weights = {s: math.sqrt(sizes[s]) for s in left if left[s] > 0}
        total = sum(weights.values())
        exact = {s: n * w / total for s, w in weights.items()}
        take = {s: min(int(exact[s]), left[s]) for s in weights}
        given = sum(take.values())
        for s in sorted(weights, key=lambda s: (-(exact[s] - int(exact[s])), s)):
            if given >= n:
                break
            if take[s] < left[s]:
                take[s] += 1
                given += 1
        if given == 0:
            break
        for s, k in take.items():
            out[s] += k
            left[s] -= k
        n -= given
    return out


def main(argv):
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    corpus, seed, n, prefix = argv[1], int(argv[2]), int(argv[3]), argv[4]
    titles, ids, cands = Counter(), Counter(), []
    for lineno, obj in read_jsonl(corpus):
        did = docid(obj, lineno)
        ids[did] += 1
        words = content_words(headline(obj))
        if not words:
            continue
        norm = " ".join(w.lower().replace("ё", "е") for w in words)
        titles[norm] += 1
        if len(words) >= 3:
            cands.append((lineno, did, words, norm))
    pool = [c for c in cands if titles[c[3]] == 1 and ids[c[1]] == 1]
    strata = {}
    for c in pool:
        strata.setdefault(STRATUM.match(c[1]).group(0), []).append(c)
    want = shares({s: len(v) for s, v in strata.items()}, n)
    rng = random.Random(seed)
    picked = []
    for s in sorted(strata):
        for lineno, did, words, _ in rng.sample(strata[s], want[s]):
            k = rng.choice((2, 3))
            keep = sorted(rng.sample(range(len(words)), k))
            picked.append((lineno, did, " ".join(words[i].lower() for i in keep)))
    picked.sort()
    queries, qrels = [], {}
    for i, (_, did, q) in enumerate(picked, 1):
        qid = "s%04d" % i
        queries.append((qid, q))
        qrels[qid] = [did]
    write_set(prefix, queries, qrels)
    print(json.dumps({"corpus": corpus, "seed": seed, "queries": len(queries),
                      "candidates": len(cands), "eligible_unique": len(pool),
                      "per_stratum": {s: [want[s], len(strata[s])] for s in sorted(strata)}},
                     ensure_ascii=False), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
