#!/usr/bin/env python3
"""make_names.py CORPUS OUT_PREFIX - names asked in two case forms

Finds surnames, places and first names that the corpus writes capitalized in
the middle of sentences, and asks each twice, lower-cased as people type:
in the nominative (qid NNN-nom) and in the oblique case form the corpus uses
most (NNN-obl).  Relevant to both: every document holding any capitalized
case form of the name, anywhere in title or text, sentence starts and
capitals-only (КИЕВ, 5 марта) included.

Words are maximal runs of letters (so Ростове-на-Дону holds Ростове); a word
is capitalized when its first letter is upper case; forms are compared in
lower case with ё as е.  A capitalized word stands mid-sentence when the
nearest character before it on its line, past spaces, is a letter, a digit
or one of , ; ) » ” ’, or a closing " (one with no space before it), or a
dash or hyphen that itself follows such a character on the line.  After
. ! ? … : « „ “ ( # @, an emoji, at the start of a field or a line, it does
not.

Three kinds of name, each a lemma with its case forms (the paradigm):

A  -ов/-ев/-ёв/-ин/-ын (Песков, Ростов, Путин, Киев): forms + {, а, у, ым,
   ом, е, ой, ы, ых, ыми}.  A candidate's nominative occurs capitalized
   mid-sentence at least twice and is at least a tenth of its capitalized
   forms; it has at least 4 letters; some oblique form occurs capitalized.
   Left out:
   * first names (Константин, Марин next to Марина, Валентин): the
     nominative or the -а form, where it occurs capitalized 3 times or more,
     is followed by a capitalized word (a surname) 30 % of the time or more;
   * plural nouns (Филиппины, Афины): forms in -ах/-ам/-ами are more than
     5 % of the capitalized occurrences;
   * adjectives (Мировой суд, Второй Мировой): the forms in -ая -ое -ые -ую
     -ого -ому, which no surname has, occur capitalized more often than the
     nominative;
   * common words: a lemma whose forms also occur in lower case (один,
     основ, биткоин) is left out when the lower-case occurrences are at
     least a tenth of the capitalized ones AND the capitalized ones are
     mostly sentence-initial (more initial than mid-sentence).  Names whose
     capitalized forms are mostly mid-sentence stay, whatever the lower-case
     count (Королев beside королев "of queens", Львов beside львов): their
     lower-case homographs are what a name search must not return.
B  -ский (Зеленский, Достоевский): forms ский ского скому ским ском ская ской
   скую ские ских скими.  Capitalized adjectives of place names (Раменский
   район, Мариинский театр) are told apart from surnames by what precedes
   them: at least 30 % of the capitalized occurrences follow a capitalized
   word that is not an adjective (no ending -ой -ый -ая -ое -ые -ую -ого -ому
   -ых -ым -ыми) or an initial (В. Зеленский); the lower-case forms are at
   most 5 % of the capitalized ones; the nominative occurs capitalized
   mid-sentence at least twice.
C  -а/-я places and first names (Анкара, Татьяна, Германия, Наталья): forms
   а ы|и е у ой ою (и after г к х ж ш ч щ), -я: я и е ю ей ею, -ия: ия ии ию
   ией, -ья: ья ьи ье ью ьей.  The nominative occurs capitalized
   mid-sentence at least twice; it is neither an adjective (-ая, -яя) nor a
   patronymic (-вна, -чна); it is a feminine noun, not the genitive of a
   masculine one (Ленина, Брянска, Дмитрия, Карима): its genitive (ы/и, ии,
   ьи) occurs capitalized, its instrumental -ой/-ей at least as often as a
   masculine -ом/-ем (Каримом), and no name of another shape whose genitive
   or feminine it could be occurs capitalized twice or more: the bare stem
   (Иван for Ивана, Захаров for Захарова, Марин for Марина), stem + ь/й
   (Игорь, Сергей), stem + ий/ие/ье (Дмитрий, Подмосковье); the lower-case
   forms are at most 5 % of the capitalized ones.

Every kind keeps lemmas with 3 to 500 relevant documents.  The selection is
fixed: in each kind and band of relevant documents (3-9, 10-49, 50-500),
candidates in the order of the SHA-1 of the lemma, the first 45, 43 and 12
of A (all 12 it has in the top band), 12, 8 and 0 of B (it has none), 10,
10 and 10 of C.  The names are then ordered by SHA-1
of "order " + lemma and written in pairs of names so that both queries of a name
fall in the same half of the split (odd lines tune, even lines report):
  a-nom, b-nom, a-obl, b-obl, c-nom, d-nom, c-obl, d-obl, ...
(an odd last name is dropped).

Compounds (COMPOUNDS below: Ростов-на-Дону, Санкт-Петербург, Нижний
Новгород, ...) are a separate small set, asked three ways: nominative
(NNN-nom: ростов-на-дону, нижний новгород), the most used oblique form
(NNN-obl: ростове-на-дону) and as a quoted phrase of the nominative's words
(NNN-phr: "ростов на дону"); relevant: every document with the compound in
any case form, its parts separated by hyphens or spaces, the first letter
capitalized.  Compounds with fewer than 3 documents are left out; triples
are laid out as the pairs above (a-nom, b-nom, a-obl, b-obl, a-phr, b-phr).

Writes OUT_PREFIX.tsv, OUT_PREFIX.qrels (`qid 0 docid 1`), OUT_PREFIX-list.tsv
(one line per name: qid stem, kind, nominative, oblique, relevant documents,
capitalized mid-sentence / sentence-initial / lower-case occurrences of its
forms, the forms found), and OUT_PREFIX-compounds.tsv / .qrels.
"""
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict

from relcorpus import docid, field, read_jsonl, write_set

WORD = re.compile(r"[^\W\d_]+")
MID_AFTER = set(",;)»”’")
SPACE = " \t\u00a0"
ADJ_ENDINGS = ("ой", "ый", "ая", "ое", "ые", "ую", "ого", "ому", "ых", "ым", "ыми")

A_ENDINGS = ("", "а", "у", "ым", "ом", "е", "ой", "ы", "ых", "ыми")
A_SUFFIXES = ("ов", "ев", "ин", "ын")
A_PLURAL = ("ах", "ам", "ами")
A_ADJECTIVE = ("ая", "ое", "ые", "ую", "ого", "ому")
B_ENDINGS = ("ский", "ского", "скому", "ским", "ском", "ская", "ской", "скую", "ские",
             "ских", "скими")
BANDS = ((3, 9), (10, 49), (50, 500))      # relevant documents
QUOTA = {"A": (45, 43, 12), "B": (12, 8, 0), "C": (10, 10, 10)}
MIN_DOCS = BANDS[0][0]

# name, the parts' paradigms (alternatives per part); Ханты-Мансийск is not
# one of them: Ханты-Мансийском is also the okrug's adjective
NOUN = ("", "а", "у", "ом", "е")
KOREA = ["корея", "кореи", "корее", "корею", "кореей"]
COMPOUNDS = [
    ("Ростов-на-Дону", [["ростов" + e for e in NOUN], ["на"], ["дону"]]),
    ("Санкт-Петербург", [["санкт"], ["петербург" + e for e in NOUN]]),
    ("Нижний Новгород", [["нижний", "нижнего", "нижнему", "нижним", "нижнем"],
                         ["новгород" + e for e in NOUN]]),
    ("Великий Новгород", [["великий", "великого", "великому", "великим", "великом"],
                          ["новгород" + e for e in NOUN]]),
    ("Нижний Тагил", [["нижний", "нижнего", "нижнему", "нижним", "нижнем"],
                      ["тагил" + e for e in NOUN]]),
    ("Петропавловск-Камчатский", [["петропавловск" + e for e in NOUN],
                                  ["камчатский", "камчатского", "камчатскому",
                                   "камчатским", "камчатском"]]),
    ("Набережные Челны", [["набережные", "набережных", "набережным", "набережными"],
                          ["челны", "челнов", "челнам", "челнами", "челнах"]]),
    ("Нью-Йорк", [["нью"], ["йорк" + e for e in NOUN]]),
    ("Лос-Анджелес", [["лос"], ["анджелес" + e for e in NOUN]]),
    ("Сергиев Посад", [["сергиев" + e for e in ("", "а", "у", "ым", "ом", "е")],
                       ["посад" + e for e in NOUN]]),
    ("Йошкар-Ола", [["йошкар"], ["ола", "олы", "оле", "олу", "олой"]]),
    ("Южно-Сахалинск", [["южно"], ["сахалинск" + e for e in NOUN]]),
    ("Комсомольск-на-Амуре", [["комсомольск" + e for e in NOUN], ["на"], ["амуре"]]),
    ("Южная Корея", [["южная", "южной", "южную", "южною"], KOREA]),
    ("Северная Корея", [["северная", "северной", "северную", "северною"], KOREA]),
    ("Саудовская Аравия", [["саудовская", "саудовской", "саудовскую", "саудовскою"],
                           ["аравия", "аравии", "аравию", "аравией"]]),
    ("Новая Зеландия", [["новая", "новой", "новую", "новою"],
                        ["зеландия", "зеландии", "зеландию", "зеландией"]]),
    ("Кривой Рог", [["кривой", "кривого", "кривому", "кривым", "кривом"],
                    ["рог" + e for e in NOUN]]),
    ("Буэнос-Айрес", [["буэнос"], ["айрес" + e for e in NOUN]]),
]


def norm(w):
    return w.lower().replace("ё", "е")


def mid_sentence(t, start):
    """Whether the word starting at t[start] stands mid-sentence (the rule
    in the file-top comment)."""
    i = start - 1
    while i >= 0 and t[i] in SPACE:
        i -= 1
    if i < 0 or t[i] in "\r\n":
        return False
    c = t[i]
    if c.isalnum() or c in MID_AFTER:
        return True
    if c == '"':
        return i > 0 and not t[i - 1].isspace()
    if c in "-‐–—":
        j = i - 1
        while j >= 0 and t[j] in SPACE:
            j -= 1
        return j >= 0 and (t[j].isalnum() or t[j] in MID_AFTER)
    return False


class Counts:
    """What pass one over the corpus learns about each form (lower case,
    ё as е): capitalized mid-sentence and elsewhere, lower case, followed by
    a capitalized word, preceded by a first name or an initial, and the
    documents holding it capitalized."""

    def __init__(self):
        self.mid, self.init, self.low = Counter(), Counter(), Counter()
        self.followed, self.named = Counter(), Counter()
        self.docs = defaultdict(set)
        self.ids = []

    def add(self, t, doc):
        prev = None
        for m in WORD.finditer(t):
            w = m.group(0)
            k = norm(w)
            if not w[0].isupper():
                self.low[k] += 1
                prev = m
                continue
            if mid_sentence(t, m.start()):
                self.mid[k] += 1
            else:
                self.init[k] += 1
            self.docs[k].add(doc)
            if prev is not None:
                pw, gap = prev.group(0), t[prev.end():m.start()]
                if gap == " " and pw[0].isupper() and not w.isupper():
                    self.followed[norm(pw)] += 1
                if pw[0].isupper() and ((gap == " " and len(pw) > 1 and not pw.isupper()
                                         and not norm(pw).endswith(ADJ_ENDINGS))
                                        or (len(pw) == 1 and gap in (".", ". "))):
                    self.named[k] += 1
            prev = m

    def cap(self, f):
        return self.mid[f] + self.init[f]


def read_counts(corpus):
    c = Counts()
    for lineno, obj in read_jsonl(corpus):
        doc = len(c.ids)
        c.ids.append(docid(obj, lineno))
        c.add(field(obj, "title"), doc)
        c.add(field(obj, "text"), doc)
    return c


def lemma(c, kind, nom, forms):
    """A candidate: its kind, nominative, forms, the oblique form asked
    (most frequent capitalized, ties in paradigm order), documents and
    counts; None when no oblique form occurs capitalized."""
    obl = [f for f in forms[1:] if c.cap(f) > 0]
    if not obl:
        return None
    docs = set()
    for f in forms:
        docs |= c.docs.get(f, set())
    return {"kind": kind, "nom": nom, "forms": forms, "docs": docs,
            "obl": max(obl, key=lambda f: (c.cap(f), -forms.index(f))),
            "mid": sum(c.mid[f] for f in forms), "init": sum(c.init[f] for f in forms),
            "low": sum(c.low[f] for f in forms)}


def first_name_like(c, f):
    n = c.cap(f)
    return n >= 3 and c.followed[f] >= 0.3 * n


def kind_a(c, capitalized):
    out = []
    for nom in capitalized:
        if len(nom) < 4 or not nom.endswith(A_SUFFIXES) or c.mid[nom] < 2:
            continue
        forms = [nom + e for e in A_ENDINGS]
        cand = lemma(c, "A", nom, forms)
        if cand is None:
            continue
        total = cand["mid"] + cand["init"]
        if c.cap(nom) < 0.1 * total:
            continue
        if first_name_like(c, nom) or first_name_like(c, nom + "а"):
            continue
        if sum(c.cap(nom + e) for e in A_PLURAL) > 0.05 * total:
            continue
        if sum(c.cap(nom + e) for e in A_ADJECTIVE) > c.cap(nom):
            continue
        if cand["low"] >= 0.1 * total and cand["init"] > cand["mid"]:
            continue
        out.append(cand)
    return out


def kind_b(c, capitalized):
    out = []
    for nom in capitalized:
        if not nom.endswith("ский") or len(nom) < 7 or c.mid[nom] < 2:
            continue
        stem = nom[:-4]
        cand = lemma(c, "B", nom, [stem + e for e in B_ENDINGS])
        if cand is None:
            continue
        total = cand["mid"] + cand["init"]
        if cand["low"] > 0.05 * total:
            continue
        if sum(c.named[f] for f in cand["forms"]) < 0.3 * total:
            continue
        out.append(cand)
    return out


def c_paradigm(nom):
    """(stem, endings, genitive ending, the masculine instrumental ending,
    other shapes' nominatives) of an -а/-я nominative, or None when it is
    not of that kind."""
    if nom.endswith(("ая", "яя")):
        return None
    if nom.endswith("ия"):
        st = nom[:-2]
        return st, ("ия", "ии", "ию", "ией"), "ии", "ием", (st + "ий", st + "ие")
    if nom.endswith("ья"):
        st = nom[:-2]
        return st, ("ья", "ьи", "ье", "ью", "ьей"), "ьи", "ьем", (st + "ий", st + "ье", st + "ь")
    if nom.endswith("я"):
        st = nom[:-1]
        if st[-1] in "аеёиоуыэюяьъй":
            return None
        return st, ("я", "и", "е", "ю", "ей", "ею"), "и", "ем", (st + "ь", st + "й")
    if nom.endswith("а"):
        st = nom[:-1]
        if st[-1] in "аеёиоуыэюяьъй":
            return None
        gen = "и" if st[-1] in "гкхжшчщ" else "ы"
        return st, ("а", gen, "е", "у", "ой", "ою"), gen, "ом", (st,)
    return None


def kind_c(c, capitalized):
    out = []
    for nom in capitalized:
        if len(nom) < 4 or c.mid[nom] < 2:
            continue
        p = c_paradigm(nom)
        if p is None:
            continue
        st, endings, gen, masc, others = p
        fem = next(e for e in endings if e.endswith(("ой", "ей")))
        if nom.endswith(("вна", "чна")) or c.cap(st + gen) < 1:
            continue
        if any(c.cap(o) >= 2 for o in others) or c.cap(st + masc) > c.cap(st + fem):
            continue
        cand = lemma(c, "C", nom, [st + e for e in endings])
        if cand is None or cand["low"] > 0.05 * (cand["mid"] + cand["init"]):
            continue
        out.append(cand)
    return out


def sha(s):
    return hashlib.sha1(s.encode("utf-8")).hexdigest()


def pair_order(items, per_item):
    """Lays out per_item(x) (a list of equal length for every x) for items
    taken two at a time: a[0], b[0], a[1], b[1], ..., so that each item's
    lines are all odd or all even.  An odd last item is dropped."""
    out = []
    for a, b in zip(items[0::2], items[1::2]):
        for qa, qb in zip(per_item(a), per_item(b)):
            out += [qa, qb]
    return out


def compound_sets(corpus, ids):
    """[(name, nominative query, oblique query, phrase query, docs)] for
    the compounds with at least MIN_DOCS documents."""
    res = []
    for name, parts in COMPOUNDS:
        alts = ["(?:%s)" % "|".join(sorted(p, key=len, reverse=True)) for p in parts]
        res.append((name, parts, re.compile(
            r"(?<![^\W\d_])" + r"[-\s]+".join(alts) + r"(?![^\W\d_])", re.IGNORECASE)))
    docs, forms = defaultdict(set), defaultdict(Counter)
    doc = 0
    for _, obj in read_jsonl(corpus):
        for t in (field(obj, "title"), field(obj, "text")):
            t = t.replace("ё", "е").replace("Ё", "Е")
            for name, _, rx in res:
                for m in rx.finditer(t):
                    if m.group(0)[0].isupper():
                        docs[name].add(ids[doc])
                        forms[name][re.sub(r"\s+", " ", m.group(0).lower())] += 1
        doc += 1
    out = []
    for name, parts, _ in res:
        if len(docs[name]) < MIN_DOCS:
            continue
        nom = name.lower()
        obl = [(n, f) for f, n in forms[name].items() if re.sub(r"[-\s]", "", f) !=
               re.sub(r"[-\s]", "", nom)]
        if not obl:
            continue
        obl_form = max(obl, key=lambda x: (x[0], x[1]))[1]
        phrase = '"%s"' % re.sub(r"[-\s]+", " ", nom)
        out.append((name, nom, obl_form, phrase, sorted(docs[name])))
    return out


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    corpus, prefix = argv[1], argv[2]
    c = read_counts(corpus)
    capitalized = sorted(set(c.mid) | set(c.init))
    picked, found = [], {}
    for kind, finder in (("A", kind_a), ("B", kind_b), ("C", kind_c)):
        cands = finder(c, capitalized)
        found[kind] = []
        for (lo, hi), quota in zip(BANDS, QUOTA[kind]):
            band = sorted((x for x in cands if lo <= len(x["docs"]) <= hi),
                          key=lambda x: sha(x["nom"]))
            found[kind].append(len(band))
            picked += band[:quota]
    picked.sort(key=lambda x: sha("order " + x["nom"]))
    picked = picked[:len(picked) // 2 * 2]
    for i, x in enumerate(picked, 1):
        x["id"] = "%03d" % i
    queries, qrels = [], {}
    for qid, q, x in pair_order(picked, lambda x: [(x["id"] + "-nom", x["nom"], x),
                                                   (x["id"] + "-obl", x["obl"], x)]):
        queries.append((qid, q))
        qrels[qid] = sorted(set(c.ids[d] for d in x["docs"]))
    write_set(prefix, queries, qrels)
    with open(prefix + "-list.tsv", "w", encoding="utf-8", newline="\n") as f:
        f.write("id\tkind\tnominative\toblique\tdocs\tcap_mid\tcap_initial\tlower\tforms\n")
        for x in sorted(picked, key=lambda x: x["id"]):
            f.write("%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%s\n" % (
                x["id"], x["kind"], x["nom"], x["obl"], len(x["docs"]), x["mid"], x["init"],
                x["low"], " ".join("%s:%d" % (f, c.cap(f)) for f in x["forms"] if c.cap(f))))
    comps = compound_sets(corpus, c.ids)
    comps = [x + ("c%02d" % i,) for i, x in enumerate(comps[:len(comps) // 2 * 2], 1)]
    cq, cr = [], {}
    for qid, q, docs in pair_order(comps, lambda x: [(x[5] + "-nom", x[1], x[4]),
                                                     (x[5] + "-obl", x[2], x[4]),
                                                     (x[5] + "-phr", x[3], x[4])]):
        cq.append((qid, q))
        cr[qid] = docs
    write_set(prefix + "-compounds", cq, cr)
    print(json.dumps({"corpus": corpus, "names": len(picked), "candidates": found,
                      "queries": len(queries), "compounds": len(comps)},
                     ensure_ascii=False), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
