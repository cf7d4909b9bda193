/* case_index.h — the in-memory index of the active cases that similar-case search runs on
 * (issue 3, item 8: a million cases, p50 under 50 ms): one phenotype/genotype profile per
 * case, its visibility group, inverted lists from HPO terms (closures) and genes/variants
 * to cases, and per-group term counts for the case-frequency IC.
 *
 * Decisions:
 *   - Built once per process (the server keeps one in its context; a CLI search builds one
 *     for its single query) and brought up to date before each search by
 *     case_index_sync: the store's case change counter (every case write adds a version
 *     row; store_match_generation) says whether anything changed, and only the cases
 *     written since are re-read. Sync reads committed data only when the caller's store is
 *     not inside a write transaction: never sync from inside one (a rolled-back write would
 *     otherwise stay in the index).
 *   - Visibility is not decided here: each case carries a group (dataset, institution,
 *     scope), and search.c asks access_check_read once per group, so every principal kind
 *     (users, operator, MME peers…) is decided by the one access decision, before any score.
 *   - Per-group counts of cases reaching each term make the visible-cases IC a sum over the
 *     visible groups (O(groups × terms)) instead of a walk over every visible case.
 *   - A changed case gets a new slot; its old slot is marked dead and skipped (lists only
 *     grow); the index is rebuilt from scratch when dead slots pass a quarter of all.
 *   - Memory: a profile is three short sorted int lists (~9 observed, ~13 excluded, ~50
 *     closure terms for the published cases) and each closure entry is one 4-byte posting:
 *     ~750 MB of heap for 1,000,000 such cases, measured (bench/README.md).
 *   - Thread safety: the index holds a read-write lock; searches hold it shared
 *     (case_index_read_lock), case_index_sync and case_index_put take it exclusively. */
#ifndef GS_MATCH_CASE_INDEX_H
#define GS_MATCH_CASE_INDEX_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"
#include "match/similarity.h"
#include "store/store_cases.h"

/* Cases sharing dataset, submitting institution and scope: one access decision each. */
struct case_group {
    int64_t dataset_id;
    int64_t institution_id;
    enum scope scope;
    int64_t alive;   /* live cases in the group */
    int32_t *counts; /* counts[t]: live cases of the group whose closure holds term t */
};

struct case_slot {
    int64_t id;
    uint32_t group;
    bool alive;
    struct sim_profile profile;
};

/* A growable list of slot numbers. */
struct case_postings {
    uint32_t *slots;
    uint32_t n, cap;
};

/* The fields are read by search.c under the read lock; everything else uses the functions. */
struct case_index {
    const struct hpo *h;
    pthread_rwlock_t lock;
    bool loaded;
    int64_t generation;        /* store_match_generation when last synced */
    struct case_slot *slots;
    size_t nslots, capslots, ndead;
    uint32_t *slot_of_id;      /* case id → slot + 1 (0: none) */
    size_t nids;
    struct case_group *groups;
    size_t ngroups;
    struct case_postings *terms; /* per term index: slots whose closure holds it */
    struct case_gene_list *genes; /* open-addressing table: gene id / variant key → slots */
    size_t capgenes, ngenes;
};

/* A new, empty index over h (which must outlive it). Free with case_index_free. */
int case_index_new(const struct hpo *h, struct case_index **out, struct gs_err *err) GS_MUST_USE;
void case_index_free(struct case_index *ix);

/* Brings ix up to the store's committed cases (see the header comment); takes the lock
 * exclusively only when something changed. */
int case_index_sync(struct case_index *ix, struct store *s, struct gs_err *err) GS_MUST_USE;

/* Puts one case (with its lists) into the index, replacing a previous slot of that id; a
 * case that is not active is removed. For bulk loaders that already hold the cases
 * (bench/match_speed.c); takes the lock exclusively. Does not change ix->generation. */
int case_index_put(struct case_index *ix, const struct store_case *c,
                   struct gs_err *err) GS_MUST_USE;
/* Sets the generation the index is known to match (after a bulk load of case_index_put). */
void case_index_set_generation(struct case_index *ix, int64_t generation);

/* Live cases in the index. */
size_t case_index_count(struct case_index *ix);

/* The slots of a gene id or variant key, or NULL when none (under the read lock). */
const struct case_postings *case_index_gene(const struct case_index *ix, const char *key);

/* The key that stands for a variant among a profile's genes, so that a shared variant counts
 * as genotype evidence in similarity.h ("variant:GRCh38:1:12345:A:G"). */
#define CASE_VARIANT_KEY_MAX (CASE_BASES_MAX * 2 + 64)
void case_variant_key(const struct store_case_variant *v, char *out, size_t size);

void case_index_read_lock(struct case_index *ix);
void case_index_unlock(struct case_index *ix);

#endif
