/*
 * namekey.c - the Russian name paradigms the analyzer and the searcher
 * share: the name key of a word (all its case forms, one key), and whether
 * Snowball cut a surname's suffix as if it were an ending.  Pure functions
 * on normalised UTF-8 (lower case, ё as е); no ICU, no state.
 */
#include <string.h>

#include "namekey.h"

/*
 * The case endings a name key drops, longest first: those of the Russian
 * paradigms names follow (nouns in a consonant, -а/-я, -ь, -ий/-ей/-ай,
 * -ия/-ея, -ье; surnames in -ов/-ев/-ин/-ын, whose suffix stays; adjectival
 * surnames and places in -ский/-ой/-ый/-ая).  Plural case endings other
 * than -ых/-их/-ыми/-ими are left alone, so «Песков» keeps its «ов».  -о
 * goes, so that Министерство and Министерства share a key, but not after
 * -ов/-ев/-ин/-ын: Пушкино, Иваново, Борисово are places of their own,
 * not Пушкин, Иванов, Борисов.
 */
static const char *const name_endings[] = {
    "ого", "его", "ому", "ему", "ыми", "ими", "ием", "еем", "аем", "ией", "еей",
    "ой", "ей", "ом", "ем", "ым", "им", "ых", "их", "ую", "юю", "ая", "яя",
    "ий", "ый", "ие", "ые", "ое", "ее", "ия", "ии", "ию", "ея", "еи", "ею",
    "ья", "ье", "ью", "ьи", "ою", "ай", "аю", "ае",
    "а", "я", "у", "ю", "е", "и", "ы", "о", "ь",
};

static int after_velar_or_sibilant(const char *s, size_t base)
{
    static const char letters[] = "гкхжшщч";
    size_t i;
    for (i = 0; i + 2 <= sizeof letters - 1; i += 2)
        if (memcmp(s + base - 2, letters + i, 2) == 0)
            return 1;
    return 0;
}

/* 1 when s[0..base) ends in -ов, -ев, -ин or -ын (base >= 4 bytes). */
static int after_name_suffix(const char *s, size_t base)
{
    static const char *const suffixes[] = { "ов", "ев", "ин", "ын" };
    size_t i;
    for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
        if (memcmp(s + base - 4, suffixes[i], 4) == 0)
            return 1;
    return 0;
}

size_t ni_name_key_len(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < sizeof name_endings / sizeof name_endings[0]; i++) {
        const char *e = name_endings[i];
        size_t el = strlen(e), base = n - el;
        if (el >= n || memcmp(s + base, e, el) != 0 || base < (el > 2 ? 6u : 4u))
            continue;
        if (strcmp(e, "им") == 0 && !after_velar_or_sibilant(s, base))
            continue;
        if (strcmp(e, "о") == 0 && after_name_suffix(s, base))
            break;             /* Пушкино, Иваново: places, not Пушкин */
        return base;
    }
    return n;
}

int ni_name_overstemmed(const char *term, size_t len, const char *key, size_t key_len)
{
    static const char *const suffixes[] = { "ов", "ев", "ьев", "ин", "ын" };
    size_t i;
    if (key_len <= len || memcmp(key, term, len) != 0)
        return 0;
    for (i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++)
        if (key_len - len == strlen(suffixes[i]) && memcmp(key + len, suffixes[i], key_len - len) == 0)
            return 1;
    return 0;
}
