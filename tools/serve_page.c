/*
 * serve_page.c - the search page of nsearch serve, embedded in the binary:
 * tools/page/index.html, app.js, app.css and favicon.svg, as they are in the source
 * tree (the assembler's .incbin reads them at build time: no generated
 * files, no build step, nothing fetched at run time).
 *
 * Edit the files under tools/page/; the Makefile rebuilds this object when
 * they change.
 */
#include <string.h>

#include "serve.h"

/* Each file as a symbol at its first byte and one past its last. */
#define EMBED(sym, file)                                   \
    __asm__(".pushsection .rodata\n"                       \
            ".balign 16\n"                                 \
            ".globl " #sym "\n" #sym ":\n"                 \
            ".incbin \"" file "\"\n"                       \
            ".globl " #sym "_end\n" #sym "_end:\n"         \
            ".popsection\n");                              \
    extern const char sym[], sym##_end[]

EMBED(serve_index_html, "tools/page/index.html");
EMBED(serve_app_js, "tools/page/app.js");
EMBED(serve_app_css, "tools/page/app.css");
EMBED(serve_favicon_svg, "tools/page/favicon.svg");

const char *const serve_page_paths[SERVE_PAGE_FILES] = { "/", "/app.js", "/app.css",
                                                          "/favicon.svg" };

int serve_page_file(serve_file *out, const char *path)
{
    static const struct { const char *path, *type, *start, *end; } src[] = {
        { "/", "text/html; charset=utf-8", serve_index_html, serve_index_html_end },
        { "/app.js", "text/javascript; charset=utf-8", serve_app_js, serve_app_js_end },
        { "/app.css", "text/css; charset=utf-8", serve_app_css, serve_app_css_end },
        { "/favicon.svg", "image/svg+xml", serve_favicon_svg, serve_favicon_svg_end },
    };
    _Static_assert(sizeof src / sizeof src[0] == SERVE_PAGE_FILES, "a file for every path");
    for (size_t i = 0; i < sizeof src / sizeof src[0]; i++) {
        if (strcmp(path, src[i].path) != 0)
            continue;
        out->path = src[i].path;
        out->type = src[i].type;
        out->data = src[i].start;
        out->len = (size_t)(src[i].end - src[i].start);
        return 0;
    }
    return -1;
}
