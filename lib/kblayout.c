/*
 * kblayout.c - mapping text between the ЙЦУКЕН and QWERTY layouts, key by
 * key (kblayout.h).  The tables pair each key's character in xkb's "us"
 * layout with the same key's in "ru" (winkeys), unshifted and shifted.
 * UTF-8 is read and written with ICU's converters.
 */
#include <unicode/ustring.h>

#include "kblayout.h"

/* Key i types latin[i] on QWERTY and cyr[i] on ЙЦУКЕН: the letters, then
 * the punctuation that moves (. , ? ; № of ЙЦУКЕН are / ? & $ # on
 * QWERTY). */
static const char latin[] = "`qwertyuiop[]asdfghjkl;'zxcvbnm,."
                            "~QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>"
                            "/?&$#";
static const UChar cyr[] = {
    0x451, 0x439, 0x446, 0x443, 0x43a, 0x435, 0x43d, 0x433, 0x448, 0x449, 0x437,
    0x445, 0x44a, 0x444, 0x44b, 0x432, 0x430, 0x43f, 0x440, 0x43e, 0x43b, 0x434,
    0x436, 0x44d, 0x44f, 0x447, 0x441, 0x43c, 0x438, 0x442, 0x44c, 0x431, 0x44e,
    0x401, 0x419, 0x426, 0x423, 0x41a, 0x415, 0x41d, 0x413, 0x428, 0x429, 0x417,
    0x425, 0x42a, 0x424, 0x42b, 0x412, 0x410, 0x41f, 0x420, 0x41e, 0x41b, 0x414,
    0x416, 0x42d, 0x42f, 0x427, 0x421, 0x41c, 0x418, 0x422, 0x42c, 0x411, 0x42e,
    '.', ',', '?', ';', 0x2116,
};
#define NKEYS (sizeof latin - 1)
#define NLETTER_KEYS 66      /* the keys of ЙЦУКЕН's letters come first */
_Static_assert(sizeof latin - 1 == sizeof cyr / sizeof cyr[0], "one character per key in each layout");

static int is_letter_key(char k)
{
    return (k >= 'a' && k <= 'z') || (k >= 'A' && k <= 'Z');
}

/* Characters a switch keeps as they are: digits, '-', and punctuation on
 * the same keys in both layouts or (@ ^ of QWERTY) whose ЙЦУКЕН
 * characters (" :) are query syntax. */
static int kept(UChar c, int to)
{
    if ((c >= '0' && c <= '9') || c == '-' || c == '!' || c == '%')
        return 1;
    if (to == NI_KB_TO_CYRILLIC)
        return c == '@' || c == '^';
    return c == '.' || c == ',' || c == '?' || c == ';' || c == ':';
}

/* The key that types c in the layout a switch reads from, or -1. */
static int key_of(UChar c, int to)
{
    size_t i;
    for (i = 0; i < NKEYS; i++) {
        if (to == NI_KB_TO_CYRILLIC) {
            if ((UChar)(unsigned char)latin[i] == c)
                return (int)i;
        } else if (cyr[i] == c) {
            return is_letter_key(latin[i]) ? (int)i : -1;
        }
    }
    return -1;
}

int ni_kb_switch(const char *s, size_t len, int to, ni_buf *out)
{
    UChar in[NI_KB_MAX_RUN], res[NI_KB_MAX_RUN];
    char utf8[4 * NI_KB_MAX_RUN];
    int32_t n = 0, i, m = 0;
    UErrorCode err = U_ZERO_ERROR;
    int letters = 0, rc;

    if (len == 0 || len > NI_KB_MAX_RUN)
        return 0;
    u_strFromUTF8(in, NI_KB_MAX_RUN, &n, s, (int32_t)len, &err);
    if (U_FAILURE(err))
        return 0;      /* invalid UTF-8 */
    for (i = 0; i < n; i++) {
        int k;
        if (kept(in[i], to)) {
            res[i] = in[i];
            continue;
        }
        if ((k = key_of(in[i], to)) < 0)
            return 0;
        res[i] = to == NI_KB_TO_LATIN ? (UChar)(unsigned char)latin[k] : cyr[k];
        letters += k < NLETTER_KEYS;
    }
    if (!letters)
        return 0;
    u_strToUTF8(utf8, (int32_t)sizeof utf8, &m, res, n, &err);
    if (U_FAILURE(err))
        return 0;
    rc = ni_buf_put(out, utf8, (size_t)m);
    return rc < 0 ? rc : 1;
}
