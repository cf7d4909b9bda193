/* sqlite_mme.c — Matchmaker Exchange peers and outbound requests (schema v9; placeholder: filled by its issue's work). */
#include "store/sqlite_internal.h"

/* v9. */
const char store__schema_mme[] = "SELECT 1;";
