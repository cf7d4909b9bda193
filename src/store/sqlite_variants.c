/* sqlite_variants.c — variant knowledge base: variants, submissions, curation (schema v11; placeholder: filled by its issue's work). */
#include "store/sqlite_internal.h"

/* v11. */
const char store__schema_variants[] = "SELECT 1;";
