/* sqlite_dmp.c — placeholder: its capability has not landed yet. */
const char store__schema_dmp[] = "SELECT 1;";
