/* test_access.c — the whole access matrix: tier × scope × role × relationship, first on
 * the pure decision, then through the real store with real memberships and grants
 * (active, expired at the boundary, revoked). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "access/access.h"
#include "check.h"
#include "core/crypto.h"
#include "registry/registry.h"

static const unsigned role_sets[] = {0,         ROLE_MEMBER, ROLE_SUBMITTER, ROLE_CURATOR,
                                     ROLE_DAC,  ROLE_ADMIN,  ROLE_ALL};
#define NROLESETS (sizeof role_sets / sizeof role_sets[0])

/* ---- the pure decision ---- */

static void test_decide(struct check_state *st)
{
    /* Relationships, and for each the expected outcome per tier (rows) × scope (columns:
     * private, domestic, international). 1 = allowed. */
    struct relation {
        const char *name;
        struct access_facts f;
        int expect[3][3];
    } rel[] = {
        {"anonymous", {.anonymous = true}, {{0, 0, 0}, {0, 0, 0}, {0, 0, 1}}},
        {"same institution", {.dataset_institution = true, .record_institution = true,
                              .record_country = true},
         {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}}},
        {"consortium member, same country", {.consortium_member = true, .record_country = true},
         {{0, 1, 1}, {0, 0, 0}, {0, 1, 1}}},
        {"consortium member, abroad", {.consortium_member = true},
         {{0, 0, 1}, {0, 0, 0}, {0, 0, 1}}},
        {"grant holder, same country", {.grant_active = true, .record_country = true},
         {{0, 0, 0}, {0, 1, 1}, {0, 1, 1}}},
        {"grant holder, abroad", {.grant_active = true}, {{0, 0, 0}, {0, 0, 1}, {0, 0, 1}}},
        {"stranger, same country", {.record_country = true}, {{0, 0, 0}, {0, 0, 0}, {0, 1, 1}}},
        {"stranger, abroad", {0}, {{0, 0, 0}, {0, 0, 0}, {0, 0, 1}}},
        {"operator", {.is_operator = true}, {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}}},
        /* Peer nodes: open tier only; domestic scope only to a domestic peer; never private.
         * Facts a user could have (membership, grant, country) do not widen a peer. */
        {"domestic peer", {.peer = true, .peer_domestic = true},
         {{0, 0, 0}, {0, 0, 0}, {0, 1, 1}}},
        {"international peer", {.peer = true}, {{0, 0, 0}, {0, 0, 0}, {0, 0, 1}}},
        {"peer with user facts", {.peer = true, .consortium_member = true, .grant_active = true,
                                  .record_country = true, .dataset_institution = true,
                                  .record_institution = true},
         {{0, 0, 0}, {0, 0, 0}, {0, 0, 1}}},
    };
    for (size_t r = 0; r < sizeof rel / sizeof rel[0]; r++) {
        for (int t = TIER_RESTRICTED; t <= TIER_OPEN; t++) {
            for (int sc = SCOPE_PRIVATE; sc <= SCOPE_INTERNATIONAL; sc++) {
                struct access_facts f = rel[r].f;
                f.tier = (enum tier)t;
                f.scope = (enum scope)sc;
                struct access_decision d = access_decide(&f);
                CHECK(st, d.allowed == (rel[r].expect[t][sc] == 1),
                      "decide: %s, %s, %s -> %s (%s)", rel[r].name, tier_name(f.tier),
                      scope_name(f.scope), rel[r].expect[t][sc] ? "allow" : "deny", d.reason);
            }
        }
    }
}

/* ---- through the store ---- */

struct world {
    struct store *s;
    struct actor by;
    int64_t ds[3];            /* restricted, controlled, open */
    int64_t rec[3][3];        /* [tier][scope] records submitted by kyoto-u */
};

#define MUST(expr)                                                                          \
    do {                                                                                    \
        struct gs_err e_ = {0};                                                             \
        (void)e_;                                                                           \
        if ((expr) != GS_OK) {                                                              \
            fprintf(stderr, "setup failed at %s:%d: %s\n", __FILE__, __LINE__, #expr);      \
            exit(1);                                                                        \
        }                                                                                   \
    } while (0)

static void build_world(struct world *w, const char *path, time_t now)
{
    struct gs_err err = {0};
    MUST(store_open(path, &w->s, &err));
    w->by.name = "test";
    w->by.origin = "unit";
    struct store *s = w->s;
    MUST(registry_institution_add(s, &w->by, "kyoto-u", "Kyoto", "JP", NULL, &err));
    MUST(registry_institution_add(s, &w->by, "osaka-u", "Osaka", "JP", NULL, &err));
    MUST(registry_institution_add(s, &w->by, "tokyo-u", "Tokyo", "JP", NULL, &err));
    MUST(registry_institution_add(s, &w->by, "seoul-u", "Seoul", "KR", NULL, &err));
    MUST(registry_institution_add(s, &w->by, "berlin-u", "Berlin", "DE", NULL, &err));
    const char *users[][2] = {{"amy", "kyoto-u"}, {"bo", "osaka-u"}, {"cy", "tokyo-u"},
                              {"di", "seoul-u"}, {"ed", "berlin-u"}, {"fay", "tokyo-u"}};
    for (size_t i = 0; i < sizeof users / sizeof users[0]; i++)
        MUST(registry_user_add(s, &w->by, users[i][0], users[i][0], users[i][1], ROLE_MEMBER,
                               NULL, NULL, &err));
    MUST(registry_consortium_add(s, &w->by, "rare", "Rare disease", NULL, &err));
    MUST(registry_consortium_join(s, &w->by, "rare", "kyoto-u", NULL, &err));
    MUST(registry_consortium_join(s, &w->by, "rare", "osaka-u", NULL, &err));
    MUST(registry_consortium_join(s, &w->by, "rare", NULL, "di", &err));
    MUST(registry_dataset_add(s, &w->by, "ds-restricted", "R", TIER_RESTRICTED, DATA_PHENOTYPE,
                              "kyoto-u", "rare", &w->ds[0], &err));
    MUST(registry_dataset_add(s, &w->by, "ds-controlled", "C", TIER_CONTROLLED, DATA_VARIANTS,
                              "kyoto-u", NULL, &w->ds[1], &err));
    MUST(registry_dataset_add(s, &w->by, "ds-open", "O", TIER_OPEN, DATA_VARIANTS, "kyoto-u",
                              NULL, &w->ds[2], &err));
    const char *names[] = {"ds-restricted", "ds-controlled", "ds-open"};
    struct principal op;
    principal_operator(&op);
    for (int t = 0; t < 3; t++) {
        for (int sc = 0; sc < 3; sc++) {
            struct registry_record_input in = {names[t], (enum scope)sc, "case", "{\"x\":1}",
                                               "kyoto-u"};
            MUST(registry_record_add(s, &w->by, &op, &in, &w->rec[t][sc], &err));
        }
    }
    /* cy: active grant; di: grant that expires exactly now; ed: revoked grant; fay: a
     * grant that expires one second after now (still active). */
    int64_t revoked;
    MUST(registry_grant_add(s, &w->by, "ds-controlled", "cy", now + 86400, now - 10, NULL, &err));
    MUST(registry_grant_add(s, &w->by, "ds-controlled", "di", now, now - 10, NULL, &err));
    MUST(registry_grant_add(s, &w->by, "ds-controlled", "ed", now + 86400, now - 10, &revoked,
                            &err));
    MUST(registry_grant_revoke(s, &w->by, revoked, now - 5, &err));
    MUST(registry_grant_add(s, &w->by, "ds-controlled", "fay", now + 1, now - 10, NULL, &err));
    /* gil: a grant whose period begins one second after now (an approved request for a
     * later period): not yet active. */
    MUST(registry_user_add(s, &w->by, "gil", "gil", "tokyo-u", ROLE_MEMBER, NULL, NULL, &err));
    struct principal gil;
    MUST(principal_for_name(s, "gil", &gil, &err));
    struct store_grant later = {0, w->ds[1], gil.user_id, now - 10, now + 1, now + 86400, 0, ""};
    MUST(store_begin(s, &err));
    MUST(store_grant_insert(s, &later, NULL, &err));
    MUST(store_commit(s, &err));
}

static void test_store_matrix(struct check_state *st)
{
    char path[] = "/tmp/gs-access-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    unlink(path);
    time_t now = time(NULL);
    struct world w;
    build_world(&w, path, now);

    struct persona {
        const char *user; /* NULL: anonymous */
        int expect[3][3]; /* [tier][scope] */
    } people[] = {
        {"amy", {{1, 1, 1}, {1, 1, 1}, {1, 1, 1}}}, /* the dataset's institution */
        {"bo", {{0, 1, 1}, {0, 0, 0}, {0, 1, 1}}},  /* consortium via institution, JP */
        {"cy", {{0, 0, 0}, {0, 1, 1}, {0, 1, 1}}},  /* active grant, JP */
        {"di", {{0, 0, 1}, {0, 0, 0}, {0, 0, 1}}},  /* consortium via user, KR; grant expired */
        {"ed", {{0, 0, 0}, {0, 0, 0}, {0, 0, 1}}},  /* revoked grant, DE */
        {"fay", {{0, 0, 0}, {0, 1, 1}, {0, 1, 1}}}, /* grant expiring in one second, JP */
        {"gil", {{0, 0, 0}, {0, 0, 0}, {0, 1, 1}}}, /* grant starting in one second, JP */
        {NULL, {{0, 0, 0}, {0, 0, 0}, {0, 0, 1}}},
    };
    for (size_t i = 0; i < sizeof people / sizeof people[0]; i++) {
        struct principal p;
        struct gs_err err = {0};
        if (people[i].user)
            MUST(principal_for_name(w.s, people[i].user, &p, &err));
        else
            principal_anonymous(&p);
        for (size_t r = 0; r < NROLESETS; r++) {
            if (people[i].user == NULL && r > 0)
                break;
            p.roles = role_sets[r];
            for (int t = 0; t < 3; t++) {
                for (int sc = 0; sc < 3; sc++) {
                    struct store_record rec = {0};
                    struct store_dataset d;
                    struct gs_err e = {0};
                    int rc = registry_record_read(w.s, &p, &w.by, w.rec[t][sc], now, &rec, &d, &e);
                    store_record_clear(&rec);
                    bool want = people[i].expect[t][sc] == 1;
                    CHECK(st, want ? rc == GS_OK : rc == GS_ENOTFOUND,
                          "store: %s roles=0x%x %s/%s -> %s", people[i].user ? people[i].user
                                                                             : "anonymous",
                          role_sets[r], tier_name((enum tier)t), scope_name((enum scope)sc),
                          want ? "allow" : "not found");
                }
            }
        }
    }

    /* A refused read says exactly what a missing record says. */
    struct principal anon;
    principal_anonymous(&anon);
    struct store_record rec = {0};
    struct store_dataset d;
    struct gs_err hidden = {0}, missing = {0};
    int rc1 = registry_record_read(w.s, &anon, &w.by, w.rec[0][0], now, &rec, &d, &hidden);
    int rc2 = registry_record_read(w.s, &anon, &w.by, 999999, now, &rec, &d, &missing);
    char expect_hidden[64];
    snprintf(expect_hidden, sizeof expect_hidden, "no record with id %lld",
             (long long)w.rec[0][0]);
    CHECK(st, rc1 == rc2 && strcmp(hidden.msg, expect_hidden) == 0 &&
                  strcmp(missing.msg, "no record with id 999999") == 0,
          "store: hidden record is indistinguishable from a missing one");

    /* The expired grant was active one second before its expiry. */
    struct principal di;
    struct gs_err err = {0};
    MUST(principal_for_name(w.s, "di", &di, &err));
    int rc = registry_record_read(w.s, &di, &w.by, w.rec[1][2], now - 1, &rec, &d, &err);
    store_record_clear(&rec);
    CHECK(st, rc == GS_OK, "store: grant active one second before expiry");

    /* The later grant is active from its first second on. */
    struct principal gil;
    MUST(principal_for_name(w.s, "gil", &gil, &err));
    rc = registry_record_read(w.s, &gil, &w.by, w.rec[1][2], now + 1, &rec, &d, &err);
    store_record_clear(&rec);
    CHECK(st, rc == GS_OK, "store: grant active from its start time on");

    /* Peer nodes through the store: only open data, and scope by the peer's own scope. */
    for (int dom = 0; dom < 2; dom++) {
        struct principal peer;
        principal_peer(&peer, 7, dom ? "national-node" : "world-node", dom == 1);
        for (int t = 0; t < 3; t++) {
            for (int sc = 0; sc < 3; sc++) {
                bool want = t == TIER_OPEN && (sc == SCOPE_INTERNATIONAL ||
                                               (sc == SCOPE_DOMESTIC && dom));
                rc = registry_record_read(w.s, &peer, &w.by, w.rec[t][sc], now, &rec, &d, &err);
                store_record_clear(&rec);
                CHECK(st, want ? rc == GS_OK : rc == GS_ENOTFOUND, "store: %s %s/%s -> %s",
                      peer.name, tier_name((enum tier)t), scope_name((enum scope)sc),
                      want ? "allow" : "not found");
            }
        }
    }

    /* The operator reads everything. */
    struct principal op;
    principal_operator(&op);
    rc = registry_record_read(w.s, &op, &w.by, w.rec[0][0], now, &rec, &d, &err);
    store_record_clear(&rec);
    CHECK(st, rc == GS_OK, "store: operator reads a private restricted record");

    store_close(w.s);
    unlink(path);
    char side[sizeof path + 8];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

int main(void)
{
    struct check_state st = {0};
    if (crypto_init() != GS_OK)
        return 1;
    test_decide(&st);
    test_store_matrix(&st);
    return check_finish(&st);
}
