/* migrations.c — genoshare's SQLite schema, one step per version. */
#include "store/migrations.h"

static const char schema_v1[] =
    "CREATE TABLE institution ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  display_name TEXT NOT NULL,"
    "  country TEXT NOT NULL CHECK (length(country) = 2),"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE user ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  display_name TEXT NOT NULL,"
    "  institution_id INTEGER NOT NULL REFERENCES institution(id),"
    "  roles INTEGER NOT NULL DEFAULT 0,"
    "  password_hash TEXT NOT NULL DEFAULT '',"
    "  disabled INTEGER NOT NULL DEFAULT 0,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE consortium ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  title TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE consortium_institution ("
    "  consortium_id INTEGER NOT NULL REFERENCES consortium(id),"
    "  institution_id INTEGER NOT NULL REFERENCES institution(id),"
    "  joined_at INTEGER NOT NULL,"
    "  PRIMARY KEY (consortium_id, institution_id));"
    "CREATE TABLE consortium_user ("
    "  consortium_id INTEGER NOT NULL REFERENCES consortium(id),"
    "  user_id INTEGER NOT NULL REFERENCES user(id),"
    "  joined_at INTEGER NOT NULL,"
    "  PRIMARY KEY (consortium_id, user_id));"
    "CREATE TABLE dataset ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  title TEXT NOT NULL,"
    "  tier TEXT NOT NULL CHECK (tier IN ('restricted','controlled','open')),"
    "  data_type TEXT NOT NULL,"
    "  institution_id INTEGER NOT NULL REFERENCES institution(id),"
    "  consortium_id INTEGER REFERENCES consortium(id),"
    "  created_at INTEGER NOT NULL,"
    "  CHECK (tier <> 'restricted' OR consortium_id IS NOT NULL));"
    "CREATE TABLE record ("
    "  id INTEGER PRIMARY KEY,"
    "  dataset_id INTEGER NOT NULL REFERENCES dataset(id),"
    "  institution_id INTEGER NOT NULL REFERENCES institution(id),"
    "  scope TEXT NOT NULL CHECK (scope IN ('private','domestic','international')),"
    "  label TEXT NOT NULL,"
    "  content TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE INDEX record_dataset ON record(dataset_id);"
    "CREATE TABLE api_token ("
    "  id INTEGER PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES user(id),"
    "  name TEXT NOT NULL,"
    "  secret_hash TEXT NOT NULL UNIQUE,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL DEFAULT 0,"
    "  revoked_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE session ("
    "  id INTEGER PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES user(id),"
    "  secret_hash TEXT NOT NULL UNIQUE,"
    "  csrf_token TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL);"
    "CREATE TABLE access_grant ("
    "  id INTEGER PRIMARY KEY,"
    "  dataset_id INTEGER NOT NULL REFERENCES dataset(id),"
    "  user_id INTEGER NOT NULL REFERENCES user(id),"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL,"
    "  revoked_at INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX access_grant_lookup ON access_grant(dataset_id, user_id);"
    "CREATE TABLE login_failure ("
    "  key TEXT NOT NULL,"
    "  at INTEGER NOT NULL);"
    "CREATE INDEX login_failure_key ON login_failure(key, at);"
    "CREATE TABLE audit ("
    "  seq INTEGER PRIMARY KEY,"
    "  at INTEGER NOT NULL,"
    "  actor TEXT NOT NULL,"
    "  action TEXT NOT NULL,"
    "  object TEXT NOT NULL,"
    "  detail TEXT NOT NULL,"
    "  origin TEXT NOT NULL,"
    "  prev_hash TEXT NOT NULL,"
    "  hash TEXT NOT NULL);"
    /* Append-only: ordinary SQL cannot change or remove a row; the hash chain catches
     * anyone who drops these triggers first. */
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    "  BEGIN SELECT RAISE(ABORT, 'audit trail is append-only'); END;"
    "CREATE TABLE audit_head ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  seq INTEGER NOT NULL,"
    "  hash TEXT NOT NULL);"
    "INSERT INTO audit_head(id, seq, hash) VALUES (1, 0, '');";

/* Capabilities keep their schema steps beside their SQL (src/store/sqlite_<domain>.c). */
extern const char store__schema_dmp[];      /* v2 */
extern const char store__schema_requests[]; /* v3 */
extern const char store__schema_passport[]; /* v4 */
extern const char store__schema_hpo[];      /* v5 */
extern const char store__schema_cases[];    /* v7 */
extern const char store__schema_diseases[]; /* v8 */
extern const char store__schema_mme[];      /* v9 */
extern const char store__schema_inbox[];    /* v10 */
extern const char store__schema_variants[]; /* v11 */
extern const char store__schema_variant_sources[]; /* v12 */
extern const char store__schema_tb[];       /* v13 */
extern const char store__schema_tb_catalogue[]; /* v14 */
extern const char store__schema_isolates[]; /* v15 */

/* A grant may start later than it is written: an access request names its period. */
static const char schema_v6[] =
    "ALTER TABLE access_grant ADD COLUMN starts_at INTEGER NOT NULL DEFAULT 0;";

const struct migration store_migrations[] = {
    {1, "accounts, datasets, records, tokens, sessions, grants, audit", schema_v1},
    {2, "data management plans", store__schema_dmp},
    {3, "access requests, data-access committees, DUO terms", store__schema_requests},
    {4, "passport issuers and visa grants", store__schema_passport},
    {5, "HPO ontology releases, terms, labels, information content", store__schema_hpo},
    {6, "grant start times", schema_v6},
    {7, "matchmaking cases: phenotypes, genes, variants, diagnoses", store__schema_cases},
    {8, "disease annotations for diagnosis support", store__schema_diseases},
    {9, "Matchmaker Exchange peers", store__schema_mme},
    {10, "match notifications", store__schema_inbox},
    {11, "variant knowledge base: variants, submissions, curation", store__schema_variants},
    {12, "variant reference sources and gene locations", store__schema_variant_sources},
    {13, "TB reference, annotation, lineage barcode, mask", store__schema_tb},
    {14, "TB WHO catalogue versions and rules", store__schema_tb_catalogue},
    {15, "TB isolates, phenotypes, MICs, variants, distances", store__schema_isolates},
};
const int store_migration_count = sizeof store_migrations / sizeof store_migrations[0];
