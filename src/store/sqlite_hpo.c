/* sqlite_hpo.c — placeholder: the HPO store has not landed yet. */
const char store__schema_hpo[] = "SELECT 1;";
