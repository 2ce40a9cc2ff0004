/*
 * minhash.c - near-duplicate signatures (minhash.h).
 *
 * Words are the analyzer's normal forms (ni_token.norm: case folded, ё as
 * е, not stemmed), one per position, as the inverter sees them; a
 * document's shingles are its runs of three consecutive words, title and
 * body read as one sequence.  Each shingle is hashed once to 64 bits;
 * the NI_SIG_K hash functions are multiply-shift functions of that hash,
 * h_i(s) = (mul_i * s + add_i) >> 32 with fixed odd mul_i, and the
 * signature keeps, for each, the low NI_SIG_BITS bits of its minimum
 * over the shingles (b-bit MinHash, Li and König 2010).  Two documents'
 * minima agree with probability J + (1 - J) / 2^b, J the Jaccard
 * similarity of their shingle sets; the estimate inverts that.  The
 * shingle hashes themselves (ni_shingler) are what nearcopy.c compares
 * exactly when the estimate is unsure.
 *
 * Does not store signatures (layout.c), does not read documents and does
 * not decide what a search folds (nearcopy.c, collapse.c).
 */
#include <string.h>

#include "minhash.h"

#define CHANCE (1.0 / (double)(1u << NI_SIG_BITS))

static uint64_t splitmix(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53u;
    return h ^ (h >> 33);
}

static uint64_t rotl(uint64_t x, unsigned r)
{
    return x << r | x >> (64 - r);
}

static uint64_t word_hash(const char *w, size_t len)
{
    const unsigned char *s = (const unsigned char *)w;
    uint64_t h = 0x243f6a8885a308d3u ^ len, x;
    size_t i;
    for (; len >= 8; s += 8, len -= 8) {
        memcpy(&x, s, 8);
        h = mix(h ^ x);
    }
    for (x = 0, i = 0; i < len; i++)
        x |= (uint64_t)s[i] << (8 * i);
    return mix(h ^ x ^ 0x13198a2e03707344u);
}

void ni_minhash_start(ni_minhash *m)
{
    uint64_t state = 0x6a09e667f3bcc908u;
    size_t i;
    memset(&m->sh, 0, sizeof m->sh);
    for (i = 0; i < NI_SIG_K; i++) {
        m->mul[i] = splitmix(&state) | 1;
        m->add[i] = splitmix(&state);
        m->min[i] = UINT32_MAX;
    }
}

/* The NI_SIG_K minima with one shingle more.  GCC builds a copy for
 * AVX-512 and one for AVX2, picked when the program loads (the loop is
 * 64 independent multiply-adds: 8 or 4 a instruction); the same
 * arithmetic, so the same signatures (test_minhash's golden one). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && \
    !defined(__SANITIZE_THREAD__) && !defined(__SANITIZE_ADDRESS__)
/* (not under the sanitizers: the ifunc resolver that picks the copy runs
 * before their runtime is set up, and ThreadSanitizer's crashes there) */
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#endif
static void add_shingle(ni_minhash *m, uint64_t s)
{
    size_t i;
    for (i = 0; i < NI_SIG_K; i++) {
        uint32_t v = (uint32_t)((m->mul[i] * s + m->add[i]) >> 32);
        if (v < m->min[i])
            m->min[i] = v;
    }
}

/* The hash of the shingle of words a, b, c (in this order; 0 = absent). */
static uint64_t shingle(uint64_t a, uint64_t b, uint64_t c)
{
    return mix(a ^ rotl(b, 21) ^ rotl(c, 42));
}

int ni_shingler_word(ni_shingler *s, const char *w, size_t len, uint64_t *out)
{
    uint64_t h = word_hash(w, len);
    int done = ++s->nwords >= 3;
    if (done)
        *out = shingle(s->prev[0], s->prev[1], h);
    s->prev[0] = s->prev[1];
    s->prev[1] = h;
    return done;
}

int ni_shingler_end(const ni_shingler *s, uint64_t *out)
{
    if (s->nwords == 0 || s->nwords >= 3)
        return 0;
    *out = shingle(s->nwords == 2 ? s->prev[0] : 0, s->prev[1], 0);
    return 1;
}

void ni_minhash_word(ni_minhash *m, const char *w, size_t len)
{
    uint64_t s;
    if (ni_shingler_word(&m->sh, w, len, &s))
        add_shingle(m, s);
}

void ni_minhash_none(unsigned char sig[NI_SIG_BYTES])
{
    memset(sig, NI_SIG_NONE_BYTE, NI_SIG_BYTES);
}

int ni_minhash_is_none(const unsigned char *sig)
{
    size_t i;
    for (i = 0; i < NI_SIG_BYTES; i++)
        if (sig[i] != NI_SIG_NONE_BYTE)
            return 0;
    return 1;
}

static void pack(const uint32_t *min, unsigned char sig[NI_SIG_BYTES])
{
    size_t i;
    memset(sig, 0, NI_SIG_BYTES);
    for (i = 0; i < NI_SIG_K; i++)
        sig[i / 2] |= (unsigned char)((min[i] & 0xfu) << (i % 2 ? 4 : 0));
}

void ni_minhash_finish(const ni_minhash *m, unsigned char sig[NI_SIG_BYTES])
{
    ni_minhash one;
    uint64_t s;

    if (m->sh.nwords == 0) {
        ni_minhash_none(sig);
        return;
    }
    if (ni_shingler_end(&m->sh, &s)) {  /* one shingle of the words there are */
        ni_minhash_start(&one);
        add_shingle(&one, s);
        pack(one.min, sig);
        return;
    }
    pack(m->min, sig);
}

void ni_minhash_of_set(const uint64_t *h, size_t n, unsigned char sig[NI_SIG_BYTES])
{
    ni_minhash m;
    size_t i;
    if (!n) {
        ni_minhash_none(sig);
        return;
    }
    ni_minhash_start(&m);
    for (i = 0; i < n; i++)
        add_shingle(&m, h[i]);
    pack(m.min, sig);
}

/* How many of the NI_SIG_K minima of a and b agree. */
static unsigned equal_minima(const unsigned char *a, const unsigned char *b)
{
    unsigned n = 0;
    size_t i;
    for (i = 0; i < NI_SIG_BYTES; i++) {
        unsigned x = (unsigned)(a[i] ^ b[i]);
        n += (unsigned)((x & 0xfu) == 0) + (unsigned)((x & 0xf0u) == 0);
    }
    return n;
}

double ni_minhash_similarity(const unsigned char *a, const unsigned char *b)
{
    double p, j;
    if (ni_minhash_is_none(a) || ni_minhash_is_none(b))
        return 0;
    p = (double)equal_minima(a, b) / NI_SIG_K;
    j = (p - CHANCE) / (1 - CHANCE);
    return j < 0 ? 0 : j > 1 ? 1 : j;
}

/* The least count of equal minima whose estimate is at least j. */
#define EQUAL_FOR(j) (NI_SIG_K * (CHANCE + (1 - CHANCE) * (j)) - 1e-9)

int ni_minhash_near(const unsigned char *a, const unsigned char *b)
{
    if (ni_minhash_is_none(a) || ni_minhash_is_none(b))
        return 0;
    return (double)equal_minima(a, b) >= EQUAL_FOR(NI_SIG_NEAR);
}

int ni_minhash_at_least(const unsigned char *a, const unsigned char *b, double j)
{
    return (double)equal_minima(a, b) >= EQUAL_FOR(j);
}

int ni_minhash_compare(const unsigned char *a, const unsigned char *b)
{
    double n = (double)equal_minima(a, b);
    return n < EQUAL_FOR(NI_SIG_APART_BELOW) ? NI_SIG_APART
           : n >= EQUAL_FOR(NI_SIG_COPIES_FROM) ? NI_SIG_COPIES : NI_SIG_UNSURE;
}
