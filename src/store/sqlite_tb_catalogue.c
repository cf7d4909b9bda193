/* sqlite_tb_catalogue.c — WHO mutation catalogue versions and rules (schema v14; placeholder: filled by its issue's work). */
#include "store/sqlite_internal.h"

/* v14. */
const char store__schema_tb_catalogue[] = "SELECT 1;";
