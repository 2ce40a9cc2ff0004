/*
 * hitjson.c - hits, query summaries, documents and index statistics as
 * JSON, for the commands that print them (query, similar, get, stats) and
 * for nsearch serve's API, which writes the same members into a response.
 *
 * Each function writes to the FILE it is given (stdout, or a memory stream)
 * and keeps no state; the JSON strings come from out.c.  What surrounds the
 * members (a line per hit, an array of hits) is the caller's.
 */
#include <string.h>

#include "cli.h"

void cli_hit_json_members(FILE *f, const ni_hit *h)
{
    fprintf(f, "\"rank\":%zu,\"score\":", h->rank);
    out_json_num(f, h->score);
    out_json_key_str(f, "id", h->id, h->id_len);
    out_json_key_str(f, "title", h->title, h->title_len);
    out_json_key_date(f, "date", h->date, h->date_offset, h->date_form);
    out_json_key_str(f, "rubric", h->rubric, h->rubric_len);
    out_json_key_str(f, "url", h->url, h->url_len);
}

void cli_snippet_json(FILE *f, const ni_snippet *sn)
{
    out_json_key_str(f, "snippet", sn->text, sn->len);
    fputs(",\"highlights\":[", f);
    for (size_t i = 0; i < sn->nranges; i++)
        fprintf(f, "%s[%zu,%zu]", i ? "," : "", sn->ranges[2 * i], sn->ranges[2 * i + 1]);
    fputc(']', f);
}

int cli_duplicates_json(FILE *f, ni_hits *hits, int whole)
{
    size_t n = ni_hits_duplicates(hits);
    ni_hit d;
    int rc;
    if (!n)
        return 0;
    fputs(",\"duplicates\":[", f);
    for (size_t i = 0; i < n; i++) {
        if ((rc = ni_hits_duplicate(hits, i, &d)) < 0)
            return rc;
        if (i)
            fputc(',', f);
        if (!whole) {
            out_json_str(f, d.id, d.id_len);
            continue;
        }
        fputs("{\"id\":", f);
        out_json_str(f, d.id, d.id_len);
        out_json_key_str(f, "title", d.title, d.title_len);
        out_json_key_date(f, "date", d.date, d.date_offset, d.date_form);
        out_json_key_str(f, "rubric", d.rubric, d.rubric_len);
        out_json_key_str(f, "url", d.url, d.url_len);
        fputc('}', f);
    }
    fputc(']', f);
    return 0;
}

const char *cli_rescue_kind(int kind)
{
    switch (kind) {
    case NI_RESCUE_LAYOUT:
        return "keyboard layout";
    case NI_RESCUE_TRANSLIT:
        return "transliteration";
    case NI_RESCUE_TYPO:
        return "typo";
    }
    return "rewritten";
}

/* The rescue's rewrites as JSON members: "searched" and "rewrites". */
static void rescue_json(FILE *f, ni_hits *hits)
{
    size_t n = ni_hits_rewrites(hits), i, len;
    const char *searched = ni_hits_searched(hits, &len);
    if (searched) {
        fputs(",\"searched\":", f);
        out_json_str(f, searched, len);
    }
    if (!n)
        return;
    fputs(",\"rewrites\":[", f);
    for (i = 0; i < n; i++) {
        ni_rewrite w;
        const char *kind;
        if (ni_hits_rewrite(hits, i, &w) < 0)
            break;
        kind = cli_rescue_kind(w.kind);
        fputs(i ? ",{\"kind\":" : "{\"kind\":", f);
        out_json_str(f, kind, strlen(kind));
        out_json_key_str(f, "from", w.from, w.from_len);
        out_json_key_str(f, "to", w.to, w.to_len);
        fprintf(f, ",\"suggested\":%s}", w.suggested ? "true" : "false");
    }
    fputs("]", f);
}

void cli_summary_json_members(FILE *f, ni_hits *hits, size_t returned, double ms,
                              const ni_facets *facets)
{
    uint64_t total = ni_hits_total(hits), partial = ni_hits_partial_total(hits), examined;
    uint64_t stories = ni_hits_stories(hits, &examined);
    const char *mode = ni_hits_mode(hits), *why = ni_hits_why_none(hits);
    fprintf(f, "\"total\":%llu,\"returned\":%zu,\"ms\":%.3f,\"mode\":",
            (unsigned long long)total, returned, ms);
    out_json_str(f, mode, strlen(mode));
    if (partial)
        fprintf(f, ",\"partial\":%llu", (unsigned long long)partial);
    if (examined)
        fprintf(f, ",\"stories\":%llu,\"examined\":%llu", (unsigned long long)stories,
                (unsigned long long)examined);
    rescue_json(f, hits);
    if (facets)
        cli_facets_json(f, facets);
    if (why) {
        fputs(",\"why_none\":", f);
        out_json_str(f, why, strlen(why));
    }
}

void cli_doc_json(FILE *f, const ni_doc *d)
{
    fputs("{\"id\":", f);
    out_json_str(f, d->id, d->id_len);
    out_json_key_str(f, "url", d->url, d->url_len);
    out_json_key_date(f, "date", d->date, d->date_offset, d->date_form);
    out_json_key_str(f, "rubric", d->rubric, d->rubric_len);
    out_json_key_str(f, "title", d->title, d->title_len);
    out_json_key_str(f, "credit", d->credit, d->credit_len);
    out_json_key_str(f, "text", d->text, d->text_len);
    fputc('}', f);
}

/* The date range and the rubrics as JSON members: "first_date",
 * "last_date" (null without dates), "undated", "rubrics" (cli_facet_json). */
static void stats_facets_json(FILE *f, const ni_facets *fs)
{
    ni_facet rub, year;
    int64_t first, last;
    ni_facets_span(fs, &first, &last);
    if (ni_facets_get(&rub, fs, 0) < 0 || ni_facets_get(&year, fs, 1) < 0)
        return;
    out_json_key_date(f, "first_date", first, 0, 0);
    out_json_key_date(f, "last_date", last, 0, 0);
    fprintf(f, ",\"undated\":%llu,\"rubrics\":", (unsigned long long)year.missing);
    cli_facet_json(f, &rub);
}

void cli_stats_json(FILE *f, const ni_stats *s, const ni_facets *fs)
{
    fprintf(f, "{\"docs\":%llu,\"deleted\":%llu,\"terms\":%llu,\"tokens\":%llu,"
            "\"avg_title_len\":",
            (unsigned long long)s->docs, (unsigned long long)s->deleted,
            (unsigned long long)s->terms, (unsigned long long)s->tokens);
    out_json_num(f, s->avg_title_len);
    fputs(",\"avg_body_len\":", f);
    out_json_num(f, s->avg_body_len);
    fprintf(f, ",\"index_bytes\":%llu,\"file_bytes\":%llu,\"map_bytes\":%llu,"
            "\"format_version\":%u",
            (unsigned long long)s->index_bytes, (unsigned long long)s->file_bytes,
            (unsigned long long)s->map_bytes, (unsigned)s->format_version);
    stats_facets_json(f, fs);
    fputc('}', f);
}
