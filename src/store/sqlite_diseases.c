/* sqlite_diseases.c — placeholder: the disease annotation store has not landed yet. */
const char store__schema_diseases[] = "SELECT 1;";
