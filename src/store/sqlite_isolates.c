/* sqlite_isolates.c — TB isolates, phenotypes, MICs, variants, distances (schema v15; placeholder: filled by its issue's work). */
#include "store/sqlite_internal.h"

/* v15. */
const char store__schema_isolates[] = "SELECT 1;";
