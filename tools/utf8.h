/*
 * utf8.h - the one UTF-8 validator of the nsearch CLI, shared by the JSON
 * Lines reader (jsonl.c, which rejects invalid text) and the output writers
 * (out.c, which replace it).  Validation only: no decoding, no case or
 * normalisation (that is the library's analyzer).
 *
 * It is defined here, inline, because the JSON reader calls it from its
 * innermost loop: a call into another file costs that loop about 3 % more
 * instructions (callgrind, nsearch index of news3k), as the registers
 * the loop keeps are then spilled around the call.
 */
#ifndef NSEARCH_UTF8_H
#define NSEARCH_UTF8_H

#include <stddef.h>
#include <stdint.h>

/*
 * Length in bytes (1 to 4) of the valid UTF-8 sequence at s[0..n), or 0
 * when s[0] does not start one: a continuation or lead byte out of place
 * (80-BF, C0, C1, F5-FF), a sequence cut short by the end of the buffer or
 * by a byte that is not a continuation, an overlong form, a surrogate
 * (U+D800..U+DFFF) or a code point above U+10FFFF.  n must be at least 1.
 */
static inline size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len, i;
    uint32_t cp, min;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2; cp = c & 0x1Fu; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3; cp = c & 0x0Fu; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4; cp = c & 0x07u; min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

#endif
