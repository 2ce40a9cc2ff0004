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
 * similarity of their shingle sets; the estimate inverts that.
 *
 * With the minima the signature keeps what the rules of ni_minhash_near
 * need besides (layout: minhash.h): the number of distinct shingles, by
 * linear counting (Whang et al. 1990: each shingle sets one of 4096
 * bits; n = -4096 ln(zero bits / 4096), exact enough for the containment
 * estimate and a function of the shingle set alone, so equal sets get
 * equal counts); a 64-bit Bloom filter of the words made of digits only
 * (two bits each, from the word's hash); and the date's day.
 *
 * Does not store signatures (layout.c) and does not decide what a search
 * folds (collapse.c).
 */
#include <math.h>
#include <string.h>

#include "buf.h"
#include "minhash.h"
#include "newsindex.h"

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
    m->prev[0] = m->prev[1] = 0;
    m->nwords = 0;
    m->numbers = 0;
    memset(m->seen, 0, sizeof m->seen);
    for (i = 0; i < NI_SIG_K; i++) {
        m->mul[i] = splitmix(&state) | 1;
        m->add[i] = splitmix(&state);
        m->min[i] = UINT32_MAX;
    }
}

static void add_shingle(ni_minhash *m, uint64_t s)
{
    size_t i;
    m->seen[(s >> 6) & 63] |= (uint64_t)1 << (s & 63);
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

static int is_number(const char *w, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++)
        if (w[i] < '0' || w[i] > '9')
            return 0;
    return len > 0;
}

void ni_minhash_word(ni_minhash *m, const char *w, size_t len)
{
    uint64_t h = word_hash(w, len);
    if (is_number(w, len))
        m->numbers |= (uint64_t)1 << (h >> 58) | (uint64_t)1 << ((h >> 52) & 63);
    if (++m->nwords >= 3)
        add_shingle(m, shingle(m->prev[0], m->prev[1], h));
    m->prev[0] = m->prev[1];
    m->prev[1] = h;
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

/* The distinct shingles the bitmap has seen, by linear counting. */
static unsigned count_shingles(const uint64_t seen[64])
{
    unsigned set = 0, i;
    double n;
    for (i = 0; i < 64; i++) {
        uint64_t x = seen[i];
        for (; x; x &= x - 1)
            set++;
    }
    if (set >= 4096)
        return 0xffff;
    n = -4096.0 * log((4096.0 - set) / 4096.0);
    return n >= 65535 ? 0xffff : (unsigned)(n + 0.5);
}

static void put_le16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static unsigned day_of(int64_t date)
{
    int64_t day;
    if (date == NI_DATE_NONE || date < 0)
        return NI_SIG_NO_DAY;
    day = date / 86400;
    return day >= NI_SIG_NO_DAY ? NI_SIG_NO_DAY : (unsigned)day;
}

void ni_minhash_finish(const ni_minhash *m, int64_t date, unsigned char sig[NI_SIG_BYTES])
{
    const uint32_t *min = m->min;
    unsigned shingles;
    ni_minhash one;
    size_t i;

    if (m->nwords == 0) {
        ni_minhash_none(sig);
        return;
    }
    if (m->nwords < 3) {       /* one shingle of the words there are */
        one = *m;
        for (i = 0; i < NI_SIG_K; i++)
            one.min[i] = UINT32_MAX;
        add_shingle(&one, shingle(m->nwords == 2 ? m->prev[0] : 0, m->prev[1], 0));
        min = one.min;
        shingles = 1;
    } else {
        shingles = count_shingles(m->seen);
    }
    memset(sig, 0, NI_SIG_MIN_BYTES);
    for (i = 0; i < NI_SIG_K; i++)
        sig[i / 2] |= (unsigned char)((min[i] & 0xfu) << (i % 2 ? 4 : 0));
    ni_put_le64(sig + NI_SIG_NUM_OFF, m->numbers);
    put_le16(sig + NI_SIG_SIZE_OFF, shingles);
    put_le16(sig + NI_SIG_DAY_OFF, day_of(date));
}

/* How many of the NI_SIG_K minima of a and b agree. */
static unsigned equal_minima(const unsigned char *a, const unsigned char *b)
{
    unsigned n = 0;
    size_t i;
    for (i = 0; i < NI_SIG_MIN_BYTES; i++) {
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

unsigned ni_minhash_day(const unsigned char *sig)
{
    return (unsigned)sig[NI_SIG_DAY_OFF] | (unsigned)sig[NI_SIG_DAY_OFF + 1] << 8;
}

unsigned ni_minhash_shingles(const unsigned char *sig)
{
    return (unsigned)sig[NI_SIG_SIZE_OFF] | (unsigned)sig[NI_SIG_SIZE_OFF + 1] << 8;
}

int ni_minhash_numbers_fit(const unsigned char *a, const unsigned char *b)
{
    uint64_t x = ni_get_le64(a + NI_SIG_NUM_OFF), y = ni_get_le64(b + NI_SIG_NUM_OFF);
    return (x & ~y) == 0 || (y & ~x) == 0;
}

/* The containment for an estimated Jaccard similarity j of sets of na
 * and nb shingles. */
static double contained(double j, unsigned na, unsigned nb)
{
    double c;
    unsigned small = na < nb ? na : nb;
    if (!small)
        return 0;
    c = j * ((double)na + (double)nb) / ((1 + j) * (double)small);
    return c > 1 ? 1 : c;
}

double ni_minhash_containment(const unsigned char *a, const unsigned char *b)
{
    return contained(ni_minhash_similarity(a, b), ni_minhash_shingles(a),
                     ni_minhash_shingles(b));
}

int ni_minhash_near(const unsigned char *a, const unsigned char *b)
{
    unsigned da, db;
    int far;
    double j;
    if (ni_minhash_is_none(a) || ni_minhash_is_none(b) || !ni_minhash_numbers_fit(a, b))
        return 0;
    da = ni_minhash_day(a);
    db = ni_minhash_day(b);
    far = da != NI_SIG_NO_DAY && db != NI_SIG_NO_DAY && (da > db ? da - db : db - da) > NI_SIG_DAYS;
    if (far && memcmp(a + NI_SIG_NUM_OFF, b + NI_SIG_NUM_OFF, 8) != 0)
        return 0;
    j = ni_minhash_similarity(a, b);
    if (far)
        return j >= NI_SIG_FAR - 1e-9 &&
               ni_minhash_shingles(a) >= NI_SIG_FAR_MIN && ni_minhash_shingles(b) >= NI_SIG_FAR_MIN;
    return j >= NI_SIG_FLOOR - 1e-9 &&
           contained(j, ni_minhash_shingles(a), ni_minhash_shingles(b)) >= NI_SIG_NEAR - 1e-9;
}
