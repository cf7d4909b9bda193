/* sqlite_cases.c — placeholder: the case store has not landed yet. */
const char store__schema_cases[] = "SELECT 1;";
