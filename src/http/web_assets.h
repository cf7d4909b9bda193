/* web_assets.h — the web UI (the files under web/), embedded into the binary at build time by
 * tools/embed.c, so one file is the whole server. The table is generated and read-only. */
#ifndef GS_HTTP_WEB_ASSETS_H
#define GS_HTTP_WEB_ASSETS_H

#include <stddef.h>

struct web_asset {
    const char *path;          /* "/index.html", "/app.js" */
    const char *content_type;  /* "text/html; charset=utf-8" */
    const unsigned char *data;
    size_t size;
    const char *etag;          /* quoted 64-bit FNV-1a of the content, for caching */
};

extern const struct web_asset web_assets[];
extern const size_t web_asset_count;

#endif
