/* sqlite_passport.c — placeholder: its capability has not landed yet. */
const char store__schema_passport[] = "SELECT 1;";
