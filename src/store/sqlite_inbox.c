/* sqlite_inbox.c — match notifications (the inbox) (schema v10; placeholder: filled by its issue's work). */
#include "store/sqlite_internal.h"

/* v10. */
const char store__schema_inbox[] = "SELECT 1;";
