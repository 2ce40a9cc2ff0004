/*
 * kblayout.h - text typed with the wrong keyboard layout (kblayout.c):
 * the keys of the Russian ЙЦУКЕН layout (xkb "ru", winkeys) and of the US
 * QWERTY layout, mapped one to the other key by key, so that «vjcrdf» reads
 * as «москва» and «руддщ» as «hello».  Pure: no index, no analysis; the
 * rescue (rescue.c) decides when a switch is wanted.
 */
#ifndef NI_KBLAYOUT_H
#define NI_KBLAYOUT_H

#include "buf.h"

#define NI_KB_TO_CYRILLIC 1  /* typed on QWERTY, meant on ЙЦУКЕН */
#define NI_KB_TO_LATIN    2  /* typed on ЙЦУКЕН, meant on QWERTY */
#define NI_KB_MAX_RUN    64  /* longer runs (bytes) are not switched */

/*
 * Appends s[0..len), a run of text without spaces, to out as typed in the
 * other layout, when each of its characters is on a key of the layout it
 * was typed in and at least one is a letter there: returns 1.  Otherwise
 * returns 0 and leaves out as it was.
 *  - NI_KB_TO_CYRILLIC: Latin letters and the keys ` [ ] ; ' , . with their
 *    shifted ~ { } : " < > (ё х ъ ж э б ю and capitals: «;tcnrbq» ->
 *    «жесткий», «"nj» -> «Это»: which of : and " are query syntax is the
 *    caller's to tell), and / ? & $ # (. , ? ; №); @ and ^ (whose ЙЦУКЕН "
 *    and : would be query syntax) stay.
 *  - NI_KB_TO_LATIN: Cyrillic letters on the keys of Latin letters (not
 *    ё х ъ ж э б ю, whose keys type punctuation); . , ? ; : stay.
 * Digits, '-', '!' and '%' stay.  Capitals stay capitals.  Runs over
 * NI_KB_MAX_RUN bytes and invalid UTF-8 are not switched (0).  <0 only
 * when out cannot grow.
 */
int ni_kb_switch(const char *s, size_t len, int to, ni_buf *out);

#endif
