/* sqlite_variant_sources.c — reference sources and gene locations (schema v12; placeholder: filled by its issue's work). */
#include "store/sqlite_internal.h"

/* v12. */
const char store__schema_variant_sources[] = "SELECT 1;";
