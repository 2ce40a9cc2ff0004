/*
 * namekey.h - name keys (namekey.c): the Russian name paradigms shared by
 * the analyzer (which indexes the keys) and the searcher (which chooses
 * between a word's key and its stem).
 */
#ifndef NI_NAMEKEY_H
#define NI_NAMEKEY_H

#include <stddef.h>

/*
 * The length in bytes of the name key of s[0..n), a normalised word of
 * Cyrillic letters only (two bytes each): the word without the longest of
 * the endings of the name paradigms (namekey.c) it ends with, as long as two letters stay (three before a
 * longer ending), so every case form of a name has one key: Песков,
 * Пескова, Пескову, Песковым -> песков; Ростове -> ростов; Мария, Марии,
 * Марией -> мар; Жуковский, Жуковского -> жуковск; Шойгу (indeclinable)
 * -> шойг in every sentence.  «им» is an ending only after г к х ж ш щ ч
 * (Жуковским), so Максим keeps it.  The key is a prefix of the word.
 */
size_t ni_name_key_len(const char *s, size_t n);

/* 1 when the term is the name key less -ов/-ев/-ьев/-ин/-ын: Snowball
 * took a surname's suffix for an ending («песков» -> «песк», «киев» ->
 * «ки», «васильев» -> «васил», which is Василий's). */
int ni_name_overstemmed(const char *term, size_t len, const char *key, size_t key_len);

#endif
