/* sqlite_requests.c — placeholder: its capability has not landed yet. */
const char store__schema_requests[] = "SELECT 1;";
