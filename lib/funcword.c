/*
 * funcword.c - the Russian function words (ni_is_function_word, public):
 * prepositions, conjunctions, particles and pronouns, which a query may
 * treat as optional and a name key never is.  A closed list, no state.
 */
#include <stddef.h>

#include "newsindex.h"

/* Russian prepositions, conjunctions, particles and pronouns (normalised:
 * lower case, ё as е), sorted by bytes for binary search. */
static const char *const function_words[] = {
    "а", "без", "бы", "в", "вам", "вас", "ваш", "ведь", "во", "вокруг", "вот",
    "все", "всех", "вы", "где", "да", "для", "до", "его", "ее", "ей", "ему",
    "если", "есть", "еще", "же", "за", "зато", "и", "из", "изо", "или", "им",
    "ими", "их", "к", "как", "ко", "когда", "кто", "ли", "либо", "лишь",
    "между", "меня", "мне", "мной", "мы", "на", "над", "нам", "нас", "не",
    "него", "нее", "ней", "нет", "ни", "них", "но", "о", "об", "обо", "он",
    "она", "они", "оно", "от", "перед", "по", "под", "после", "при", "про",
    "с", "себе", "себя", "со", "так", "также", "там", "тем", "то", "тоже",
    "только", "тот", "ту", "тут", "ты", "у", "уже", "хотя", "чего", "чем",
    "через", "что", "чтобы", "эта", "эти", "это", "этого", "этот", "я",
};

static int is_function_norm(const char *s, size_t n)
{
    size_t lo = 0, hi = sizeof function_words / sizeof function_words[0];
    /* no function word is longer than 16 bytes (the longest has 12) */
    if (n == 0 || n > 16)
        return 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *w = function_words[mid];
        size_t i = 0;
        int c;
        while (i < n && w[i] && w[i] == s[i])
            i++;
        if (i == n)
            c = w[i] ? 1 : 0;            /* s is a prefix of w, or equal */
        else if (!w[i])
            c = -1;                      /* w is a prefix of s */
        else
            c = (unsigned char)w[i] < (unsigned char)s[i] ? -1 : 1;
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

int ni_is_function_word(const char *norm, size_t len)
{
    return norm ? is_function_norm(norm, len) : 0;
}
