/* sqlite_tb.c — TB reference, annotation, lineage barcode, mask (schema v13; placeholder: filled by its issue's work). */
#include "store/sqlite_internal.h"

/* v13. */
const char store__schema_tb[] = "SELECT 1;";
