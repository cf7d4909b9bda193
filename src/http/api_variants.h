/* api_variants.h — what the two variant API files share (internal to src/http/). */
#ifndef GS_HTTP_API_VARIANTS_H
#define GS_HTTP_API_VARIANTS_H

#include <stdint.h>

#include "http/request.h"

/* The query parameter key as an integer in [0, max], def when absent; GS_EINVAL naming the
 * parameter otherwise. (api_variant_search.c) */
int variants_query_int(struct request *rq, const char *key, int64_t def, int64_t max,
                       int64_t *out, struct gs_err *err) GS_MUST_USE;

#endif
