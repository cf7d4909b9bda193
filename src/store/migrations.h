/* migrations.h — the schema as numbered steps (internal to the SQLite store). Step N
 * brings user_version N-1 to N; steps are only ever appended, never edited. */
#ifndef GS_STORE_MIGRATIONS_H
#define GS_STORE_MIGRATIONS_H

struct migration {
    int version;
    const char *name;
    const char *sql;
};

extern const struct migration store_migrations[];
extern const int store_migration_count;

#endif
