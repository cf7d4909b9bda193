/* fixture.h — what the unit tests that run against a temporary database share: MUST for
 * setup steps (a failed step ends the program with its message: nothing after it would
 * mean anything), a temporary store, the mini HPO release, and removing the store with its
 * WAL files. Include after check.h. */
#ifndef GS_TESTS_FIXTURE_H
#define GS_TESTS_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pheno/hpo.h"
#include "pheno/hpo_store.h"
#include "store/store.h"

/* Needs a `struct gs_err err` in scope (its message is printed). */
#define MUST(expr)                                                                          \
    do {                                                                                    \
        if ((expr) != GS_OK) {                                                              \
            fprintf(stderr, "setup failed at %s:%d: %s (%s)\n", __FILE__, __LINE__, #expr,  \
                    err.msg);                                                               \
            exit(1);                                                                        \
        }                                                                                   \
    } while (0)

/* Opens a new store at a fresh path under /tmp named after `name` (path: 64 bytes). */
static inline void fixture_store_open(char *path, const char *name, struct store **s)
{
    struct gs_err err = {0};
    snprintf(path, 64, "/tmp/gs-%.20s-XXXXXX", name);
    int fd = mkstemp(path);
    if (fd >= 0)
        close(fd);
    unlink(path);
    MUST(store_open(path, s, &err));
}

/* Loads tests/fixtures/hpo/mini.json with its annotations and stores it as the release. */
static inline void fixture_mini_hpo(struct store *s, const struct actor *by, struct hpo **h)
{
    struct gs_err err = {0};
    struct hpo_annotation_report ar;
    MUST(hpo_load_ontology("tests/fixtures/hpo/mini.json", h, &err));
    MUST(hpo_load_annotations(*h, "tests/fixtures/hpo/mini.hpoa", &ar, &err));
    MUST(hpo_store_save(s, by, *h, 1000, &err));
}

/* Closes s and removes its files. */
static inline void fixture_store_remove(struct store *s, const char *path)
{
    char side[80];
    store_close(s);
    unlink(path);
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

#endif
