#!/usr/bin/env python3
"""fresh_neartie.py CORPUS OFF_DUMP ON_DUMP - near ties and freshness.

OFF_DUMP and ON_DUMP are bench/dump_hits outputs of the same queries
without and with --fresh.  Among pairs of hits of ON_DUMP whose scores in
OFF_DUMP are within 5 % of each other and whose dates (read from CORPUS,
JSON Lines, converted to UTC as the library does: a time without an offset
as UTC) differ by at least 1 s, 1 h, 1 day: the share ranked newer first.
"""
import gzip, json, sys, datetime
corpus, off, on = sys.argv[1:4]
dates = {}
for line in gzip.open(corpus, 'rt'):
    d = json.loads(line)
    s = d.get('date')
    if not s:
        continue
    s = s.strip().replace(' ', 'T')
    if len(s) == 10:
        s += 'T00:00'
    if s.endswith('Z') or s.endswith('z'):
        s = s[:-1] + '+00:00'
    t = datetime.datetime.fromisoformat(s)
    if t.tzinfo is None:
        t = t.replace(tzinfo=datetime.timezone.utc)
    dates[d['id']] = t.timestamp()

def read(path):
    out, cur = [], None
    for line in open(path):
        f = line.rstrip('\n').split('\t')
        if f[0] == 'q':
            cur = []
            out.append(cur)
        else:
            cur.append((f[0].rstrip('~'), float(f[1])))
    return out

A, B = read(off), read(on)
for mind in (1, 3600, 86400):
    pairs = newer = 0
    for qa, qb in zip(A, B):
        raw = dict(qa)
        hits = [(i, raw[i], dates.get(i)) for i, _ in qb if i in raw]
        for j in range(len(hits)):
            for k in range(j + 1, len(hits)):
                (_, sj, dj), (_, sk, dk) = hits[j], hits[k]
                if dj is None or dk is None or abs(dj - dk) < mind:
                    continue
                if abs(sj - sk) > 0.05 * max(sj, sk):
                    continue
                pairs += 1
                newer += dj > dk
    print(f"dates >= {mind} s apart: {newer} of {pairs} near-tie pairs newer first ({100.0 * newer / max(pairs, 1):.1f} %)")
