/* test_kblayout.c - mapping text between the ЙЦУКЕН and QWERTY layouts. */
#include <string.h>

#include "../lib/kblayout.h"
#include "test.h"

/* The switch of s, NUL-terminated in a static buffer, or NULL when s is
 * not typeable in the layout it is read from. */
static const char *sw(const char *s, int to)
{
    static char text[256];
    ni_buf b = NI_BUF_INIT;
    int r;
    ni_buf_put(&b, "<", 1);  /* something before: the switch appends */
    r = ni_kb_switch(s, strlen(s), to, &b);
    if (r <= 0 || b.len >= sizeof text) {
        CHECK(b.len == 1);   /* left as it was */
        ni_buf_free(&b);
        return NULL;
    }
    memcpy(text, b.data + 1, b.len - 1);
    text[b.len - 1] = 0;
    ni_buf_free(&b);
    return text;
}

#define EQ(s, to, want) do { const char *got_ = sw(s, to); \
    CHECK(got_ && strcmp(got_, want) == 0); \
    if (got_ && strcmp(got_, want)) fprintf(stderr, "  %s -> %s, want %s\n", s, got_, want); } while (0)

static void latin_to_cyrillic(void)
{
    EQ("vjcrdf", NI_KB_TO_CYRILLIC, "москва");
    EQ("Vjcrdf", NI_KB_TO_CYRILLIC, "Москва");
    EQ("ghbdtn", NI_KB_TO_CYRILLIC, "привет");
    /* the punctuation keys are letters: ж х ъ э б ю ё */
    EQ(";tcnrbq", NI_KB_TO_CYRILLIC, "жесткий");
    EQ("[jh'", NI_KB_TO_CYRILLIC, "хорэ");
    EQ("j,]tv", NI_KB_TO_CYRILLIC, "объем");
    EQ("`krf", NI_KB_TO_CYRILLIC, "ёлка");
    EQ("~krf", NI_KB_TO_CYRILLIC, "Ёлка");
    EQ("{jh}<>", NI_KB_TO_CYRILLIC, "ХорЪБЮ");
    EQ(":ehyfk", NI_KB_TO_CYRILLIC, "Журнал");
    EQ("\"nj", NI_KB_TO_CYRILLIC, "Это");
    EQ("gjkm.", NI_KB_TO_CYRILLIC, "полью");
    /* the punctuation that moves: . , ? ; № are on / ? & $ # */
    EQ("ctujlyz?", NI_KB_TO_CYRILLIC, "сегодня,");
    EQ("rnj&", NI_KB_TO_CYRILLIC, "кто?");
    EQ("nfr/", NI_KB_TO_CYRILLIC, "так.");
    EQ("#5$f", NI_KB_TO_CYRILLIC, "№5;а");
    /* @ and ^ (ЙЦУКЕН's " and :, query syntax) stay, as do ! and % */
    EQ("@lf@", NI_KB_TO_CYRILLIC, "@да@");
    EQ("lf^!%", NI_KB_TO_CYRILLIC, "да^!%");
    /* digits and '-' stay */
    EQ("1n,", NI_KB_TO_CYRILLIC, "1тб");
    EQ("hjcnjd-yf-ljye", NI_KB_TO_CYRILLIC, "ростов-на-дону");
    /* every key once, both rows */
    EQ("`qwertyuiop[]asdfghjkl;'zxcvbnm,.", NI_KB_TO_CYRILLIC,
       "ёйцукенгшщзхъфывапролджэячсмитьбю");
    EQ("~QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>", NI_KB_TO_CYRILLIC,
       "ЁЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ");
}

static void cyrillic_to_latin(void)
{
    EQ("руддщ", NI_KB_TO_LATIN, "hello");
    EQ("Пщщпду", NI_KB_TO_LATIN, "Google");
    EQ("зшфтщ-2", NI_KB_TO_LATIN, "piano-2");
    EQ("руддщ,", NI_KB_TO_LATIN, "hello,");
    EQ("руддщ.!?;:%", NI_KB_TO_LATIN, "hello.!?;:%");
    EQ("йцукенгшщзфывапролдячсмить", NI_KB_TO_LATIN, "qwertyuiopasdfghjklzxcvbnm");
    EQ("ЙЦУКЕНГШЩЗФЫВАПРОЛДЯЧСМИТЬ", NI_KB_TO_LATIN, "QWERTYUIOPASDFGHJKLZXCVBNM");
}

static void not_typeable(void)
{
    /* a character of the other script, or of neither */
    CHECK(!sw("vjcква", NI_KB_TO_CYRILLIC));
    CHECK(!sw("москва", NI_KB_TO_CYRILLIC));
    CHECK(!sw("hello", NI_KB_TO_LATIN));
    CHECK(!sw("héllo", NI_KB_TO_CYRILLIC));
    /* brackets, '*' */
    CHECK(!sw("vjcrdf*", NI_KB_TO_CYRILLIC));
    CHECK(!sw("(vjcrdf", NI_KB_TO_CYRILLIC));
    /* letters whose ЙЦУКЕН key types punctuation on QWERTY */
    CHECK(!sw("жесткий", NI_KB_TO_LATIN));
    CHECK(!sw("объем", NI_KB_TO_LATIN));
    CHECK(!sw("ёлка", NI_KB_TO_LATIN));
    CHECK(!sw("пью", NI_KB_TO_LATIN));
    /* no letter at all */
    CHECK(!sw("2024", NI_KB_TO_CYRILLIC));
    CHECK(!sw("/?&$#", NI_KB_TO_CYRILLIC));
    CHECK(!sw("№5", NI_KB_TO_LATIN));
    CHECK(!sw("руддщ&", NI_KB_TO_LATIN));
    CHECK(!sw("-", NI_KB_TO_LATIN));
    CHECK(!sw("", NI_KB_TO_CYRILLIC));
    /* invalid UTF-8 */
    CHECK(!sw("\xd0", NI_KB_TO_LATIN));
    CHECK(!sw("ab\xff", NI_KB_TO_CYRILLIC));
}

static void run_length(void)
{
    char w[NI_KB_MAX_RUN + 2];
    memset(w, 'f', sizeof w);
    w[NI_KB_MAX_RUN] = 0;               /* the longest run switched */
    CHECK(sw(w, NI_KB_TO_CYRILLIC) != NULL);
    w[NI_KB_MAX_RUN] = 'f';
    w[NI_KB_MAX_RUN + 1] = 0;           /* one byte more */
    CHECK(!sw(w, NI_KB_TO_CYRILLIC));
    /* counted in bytes: 32 Cyrillic letters are 64 */
    {
        char c[2 * 33 + 1] = "";
        int i;
        for (i = 0; i < 32; i++)
            strcat(c, "а");
        CHECK(sw(c, NI_KB_TO_LATIN) != NULL);
        strcat(c, "а");
        CHECK(!sw(c, NI_KB_TO_LATIN));
    }
}

static void round_trip(void)
{
    /* QWERTY letters there and back */
    const char *w[] = { "navalny", "Telegram", "iphone", "xyz-15" };
    size_t i;
    for (i = 0; i < sizeof w / sizeof w[0]; i++) {
        char cy[128];
        const char *c = sw(w[i], NI_KB_TO_CYRILLIC);
        CHECK(c != NULL);
        if (!c)
            continue;
        strcpy(cy, c);
        c = sw(cy, NI_KB_TO_LATIN);
        CHECK(c && strcmp(c, w[i]) == 0);
    }
}

TEST_MAIN(TEST(latin_to_cyrillic), TEST(cyrillic_to_latin), TEST(not_typeable), TEST(run_length),
          TEST(round_trip))
