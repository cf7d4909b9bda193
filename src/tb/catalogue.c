/* catalogue.c — the WHO catalogue in memory: building it (tbdb CSV, rules.yml, rows from the
 * store), the (gene, mutation) index, and saving/opening versions in the store. It does not
 * decide anything about a sample: resistance.c does. */
#include "tb/catalogue.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "core/parse.h"
#include "store/store_tb_catalogue.h"

/* ---- string pool: chunks that never move, so row pointers stay valid ---- */

#define POOL_CHUNK (256u << 10)

struct pool_chunk {
    struct pool_chunk *next;
    size_t used, size;
    char data[];
};

/* ---- index: open addressing over (gene, mutation); rows of one key chained by next ---- */

struct tb_catalogue_index {
    struct pool_chunk *chunks;
    size_t rows_cap;
    uint32_t *next;   /* per row: the next row with the same key, or UINT32_MAX */
    uint32_t *slots;  /* first row of a key, or UINT32_MAX */
    size_t nslots;    /* power of two */
    size_t nkeys;
    uint32_t *graded;  /* rows of grade 1-2 */
    size_t ngraded, graded_cap;
    /* graded sites: (gene, site) → a bit per drug with a grade-1/2 row there; site "" holds
     * the gene-level LoF rows. Drug bits follow first appearance (drug_order never moves). */
    struct site_entry *sites;
    size_t nsite_slots, nsites;
    const char *drug_order[TB_DRUGS_MAX];
    int ndrug_order;
};

struct site_entry {
    const char *gene;  /* NULL: empty slot */
    const char *site;
    uint32_t drugs;
};

#define NO_ROW UINT32_MAX

static char *pool_copy(struct tb_catalogue_index *ix, const char *text)
{
    size_t n = strlen(text) + 1;
    struct pool_chunk *c = ix->chunks;
    if (c == NULL || c->size - c->used < n) {
        size_t size = n > POOL_CHUNK ? n : POOL_CHUNK;
        struct pool_chunk *fresh = malloc(sizeof *fresh + size);
        if (fresh == NULL)
            return NULL;
        fresh->next = c, fresh->used = 0, fresh->size = size;
        ix->chunks = c = fresh;
    }
    char *p = c->data + c->used;
    memcpy(p, text, n);
    c->used += n;
    return p;
}

static uint64_t key_hash(const char *gene, const char *mutation)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (const char *p = gene; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
    for (const char *p = mutation; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ull;
    return h;
}

/* The slot holding (gene, mutation), or the empty slot where it would go. */
static size_t slot_find(const struct tb_catalogue *c, const char *gene, const char *mutation)
{
    const struct tb_catalogue_index *ix = c->index;
    size_t mask = ix->nslots - 1, i = (size_t)key_hash(gene, mutation) & mask;
    while (ix->slots[i] != NO_ROW) {
        const struct tb_catalogue_row *r = &c->rows[ix->slots[i]];
        if (strcmp(r->gene, gene) == 0 && strcmp(r->mutation, mutation) == 0)
            return i;
        i = (i + 1) & mask;
    }
    return i;
}

static int index_grow(struct tb_catalogue *c, struct gs_err *err)
{
    struct tb_catalogue_index *ix = c->index;
    size_t n = ix->nslots ? ix->nslots * 2 : 1024;
    uint32_t *slots = malloc(n * sizeof *slots);
    if (slots == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory for the catalogue index");
    memset(slots, 0xff, n * sizeof *slots);
    uint32_t *old = ix->slots;
    size_t oldn = ix->nslots;
    ix->slots = slots, ix->nslots = n;
    for (size_t i = 0; i < oldn; i++)
        if (old[i] != NO_ROW) {
            const struct tb_catalogue_row *r = &c->rows[old[i]];
            ix->slots[slot_find(c, r->gene, r->mutation)] = old[i];
        }
    free(old);
    return GS_OK;
}

/* ---- building ---- */

int tb_catalogue_new(const char *version, struct tb_catalogue **out, struct gs_err *err)
{
    struct tb_catalogue *c = calloc(1, sizeof *c);
    if (c == NULL || (c->index = calloc(1, sizeof *c->index)) == NULL) {
        free(c);
        return gs_err_set(err, GS_ENOMEM, "out of memory for a catalogue");
    }
    snprintf(c->version, sizeof c->version, "%s", version ? version : "");
    int rc = index_grow(c, err);
    if (rc != GS_OK) {
        tb_catalogue_free(c);
        return rc;
    }
    *out = c;
    return GS_OK;
}

void tb_catalogue_free(struct tb_catalogue *c)
{
    if (c == NULL)
        return;
    if (c->index != NULL) {
        for (struct pool_chunk *k = c->index->chunks, *next; k != NULL; k = next)
            next = k->next, free(k);
        free(c->index->next);
        free(c->index->graded);
        free(c->index->sites);
        free(c->index->slots);
        free(c->index);
    }
    free(c->rows);
    free(c);
}

static int check_text(const char *what, const char *text, size_t max, bool required,
                      struct gs_err *err)
{
    if (text == NULL || text[0] == '\0')
        return required ? gs_err_set(err, GS_EINVAL, "catalogue row without %s", what) : GS_OK;
    if (strlen(text) >= max)
        return gs_err_set(err, GS_EINVAL, "catalogue %s '%.40s…' is longer than %zu bytes", what,
                          text, max - 1);
    return GS_OK;
}

static int drug_add(struct tb_catalogue *c, const char *drug, const char **interned,
                    struct gs_err *err)
{
    int lo = 0, hi = c->ndrugs;
    while (lo < hi) {
        int mid = (lo + hi) / 2, cmp = strcmp(c->drugs[mid], drug);
        if (cmp == 0) {
            *interned = c->drugs[mid];
            return GS_OK;
        }
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (c->ndrugs >= TB_DRUGS_MAX)
        return gs_err_set(err, GS_EINVAL, "a catalogue holds at most %d drugs ('%s' is one more)",
                          TB_DRUGS_MAX, drug);
    const char *p = pool_copy(c->index, drug);
    if (p == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory for a catalogue");
    memmove(&c->drugs[lo + 1], &c->drugs[lo], (size_t)(c->ndrugs - lo) * sizeof c->drugs[0]);
    c->drugs[lo] = p;
    c->ndrugs++;
    *interned = p;
    return GS_OK;
}

static const char *const lof_terms[] = {"feature_ablation", "start_lost", "stop_gained",
                                        "frameshift_variant"};

static bool is_lof_term(const char *mutation)
{
    for (size_t t = 0; t < sizeof lof_terms / sizeof lof_terms[0]; t++)
        if (strcmp(mutation, lof_terms[t]) == 0)
            return true;
    return false;
}

void tb_mutation_site(const char *hgvs, char *out, size_t size)
{
    size_t i = 0;
    if (strncmp(hgvs, "p.", 2) == 0) {
        i = 2;
        while (isalpha((unsigned char)hgvs[i]))
            i++;
    } else if (hgvs[0] && hgvs[1] == '.') {
        i = 2;
        if (hgvs[i] == '-' || hgvs[i] == '*')
            i++;
    } else {
        out[0] = '\0';
        return;
    }
    while (isdigit((unsigned char)hgvs[i]))
        i++;
    snprintf(out, size, "%.*s", (int)i, hgvs);
}

static int drug_bit(const struct tb_catalogue_index *ix, const char *drug)
{
    for (int i = 0; i < ix->ndrug_order; i++)
        if (strcmp(ix->drug_order[i], drug) == 0)
            return i;
    return -1;
}

static size_t site_slot(const struct tb_catalogue_index *ix, const char *gene, const char *site)
{
    size_t mask = ix->nsite_slots - 1, i = (size_t)key_hash(gene, site) & mask;
    while (ix->sites[i].gene != NULL &&
           (strcmp(ix->sites[i].gene, gene) != 0 || strcmp(ix->sites[i].site, site) != 0))
        i = (i + 1) & mask;
    return i;
}

static int sites_grow(struct tb_catalogue_index *ix, struct gs_err *err)
{
    size_t n = ix->nsite_slots ? ix->nsite_slots * 2 : 1024;
    struct site_entry *fresh = calloc(n, sizeof *fresh), *old = ix->sites;
    if (fresh == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory for the catalogue index");
    size_t oldn = ix->nsite_slots;
    ix->sites = fresh, ix->nsite_slots = n;
    for (size_t i = 0; i < oldn; i++)
        if (old[i].gene != NULL)
            ix->sites[site_slot(ix, old[i].gene, old[i].site)] = old[i];
    free(old);
    return GS_OK;
}

/* Notes row (now of grade 1-2) in the graded list and the site table. */
static int graded_add(struct tb_catalogue *c, uint32_t row, struct gs_err *err)
{
    struct tb_catalogue_index *ix = c->index;
    const struct tb_catalogue_row *r = &c->rows[row];
    if (ix->ngraded == ix->graded_cap) {
        size_t cap = ix->graded_cap ? ix->graded_cap * 2 : 256;
        uint32_t *p = realloc(ix->graded, cap * sizeof *p);
        if (p == NULL)
            return gs_err_set(err, GS_ENOMEM, "out of memory for a catalogue");
        ix->graded = p, ix->graded_cap = cap;
    }
    ix->graded[ix->ngraded++] = row;
    char site[TB_MUTATION_MAX];
    if (is_lof_term(r->mutation))
        site[0] = '\0';
    else if ((tb_mutation_site(r->mutation, site, sizeof site), site[0] == '\0'))
        return GS_OK; /* neither a position nor a LoF term: nothing to index */
    int bit = drug_bit(ix, r->drug);
    if (bit < 0) {
        if (ix->ndrug_order >= TB_DRUGS_MAX)
            return gs_err_set(err, GS_EINVAL, "a catalogue holds at most %d drugs", TB_DRUGS_MAX);
        bit = ix->ndrug_order;
        ix->drug_order[ix->ndrug_order++] = r->drug;
    }
    if ((ix->nsites + 1) * 2 > ix->nsite_slots) {
        int rc = sites_grow(ix, err);
        if (rc != GS_OK)
            return rc;
    }
    size_t slot = site_slot(ix, r->gene, site);
    struct site_entry *e = &ix->sites[slot];
    if (e->gene == NULL) {
        const char *copy = pool_copy(ix, site);
        if (copy == NULL)
            return gs_err_set(err, GS_ENOMEM, "out of memory for a catalogue");
        e->gene = r->gene, e->site = copy, e->drugs = 0;
        ix->nsites++;
    }
    e->drugs |= 1u << bit;
    return GS_OK;
}

int tb_catalogue_add(struct tb_catalogue *c, const struct tb_catalogue_row *row,
                     struct gs_err *err)
{
    int rc;
    if ((rc = check_text("gene", row->gene, TB_GENE_MAX, true, err)) != GS_OK ||
        (rc = check_text("mutation", row->mutation, TB_MUTATION_MAX, true, err)) != GS_OK ||
        (rc = check_text("drug", row->drug, TB_DRUG_MAX, true, err)) != GS_OK ||
        (rc = check_text("original mutation", row->original, TB_MUTATION_MAX, false, err)) != GS_OK ||
        (rc = check_text("comment", row->comment, STORE_TEXT_MAX * 4, false, err)) != GS_OK)
        return rc;
    if (row->grade < TB_GRADE_ASSOC_R || row->grade > TB_GRADE_NOT_ASSOC)
        return gs_err_set(err, GS_EINVAL, "catalogue row %s %s (%s) has no grade 1-5", row->gene,
                          row->mutation, row->drug);
    char drug[TB_DRUG_MAX];
    size_t i = 0;
    for (; row->drug[i] && i + 1 < sizeof drug; i++)
        drug[i] = (char)tolower((unsigned char)row->drug[i]);
    drug[i] = '\0';
    struct tb_catalogue_index *ix = c->index;
    size_t slot = slot_find(c, row->gene, row->mutation);
    /* tbdb expands both WHO's "deletion" and "LoF" rows of a gene into feature_ablation:
     * one (gene, mutation, drug) may come twice; the stronger grade wins. */
    for (uint32_t r = ix->slots[slot]; r != NO_ROW; r = ix->next[r])
        if (strcmp(c->rows[r].drug, drug) == 0) {
            if (row->grade < c->rows[r].grade) {
                bool newly = tb_grade_is_resistance(row->grade) &&
                             !tb_grade_is_resistance(c->rows[r].grade);
                c->rows[r].grade = row->grade;
                if (newly && (rc = graded_add(c, r, err)) != GS_OK)
                    return rc;
                const char *orig = pool_copy(ix, row->original ? row->original : "");
                const char *comment = pool_copy(ix, row->comment ? row->comment : "");
                if (orig == NULL || comment == NULL)
                    return gs_err_set(err, GS_ENOMEM, "out of memory for a catalogue");
                c->rows[r].grade = row->grade, c->rows[r].original = orig;
                c->rows[r].comment = comment;
            }
            return GS_OK;
        }
    if (c->nrows >= NO_ROW - 1)
        return gs_err_set(err, GS_EINVAL, "catalogue too large");
    if (c->nrows == ix->rows_cap) {
        size_t cap = ix->rows_cap ? ix->rows_cap * 2 : 1024;
        struct tb_catalogue_row *rows = realloc(c->rows, cap * sizeof *rows);
        if (rows != NULL)
            c->rows = rows;
        uint32_t *next = realloc(ix->next, cap * sizeof *next);
        if (next != NULL)
            ix->next = next;
        if (rows == NULL || next == NULL)
            return gs_err_set(err, GS_ENOMEM, "out of memory for a catalogue");
        ix->rows_cap = cap;
    }
    struct tb_catalogue_row copy = {0};
    copy.grade = row->grade;
    if ((rc = drug_add(c, drug, &copy.drug, err)) != GS_OK)
        return rc;
    uint32_t head = ix->slots[slot];
    if (head != NO_ROW) { /* share the key's strings */
        copy.gene = c->rows[head].gene;
        copy.mutation = c->rows[head].mutation;
    } else {
        copy.gene = pool_copy(ix, row->gene);
        copy.mutation = pool_copy(ix, row->mutation);
    }
    copy.original = pool_copy(ix, row->original ? row->original : "");
    copy.comment = pool_copy(ix, row->comment ? row->comment : "");
    if (copy.gene == NULL || copy.mutation == NULL || copy.original == NULL || copy.comment == NULL)
        return gs_err_set(err, GS_ENOMEM, "out of memory for a catalogue");
    uint32_t id = (uint32_t)c->nrows;
    c->rows[id] = copy;
    c->nrows++;
    if (tb_grade_is_resistance(copy.grade) && (rc = graded_add(c, id, err)) != GS_OK)
        return rc;
    ix->next[id] = NO_ROW;
    if (head != NO_ROW) { /* append to the key's chain: keeps the file's drug order */
        uint32_t r = head;
        while (ix->next[r] != NO_ROW)
            r = ix->next[r];
        ix->next[r] = id;
        return GS_OK;
    }
    ix->slots[slot] = id;
    if (++ix->nkeys * 2 > ix->nslots)
        return index_grow(c, err);
    return GS_OK;
}

int tb_catalogue_add_rule(struct tb_catalogue *c, const struct tb_rule *rule, struct gs_err *err)
{
    if (c->nrules >= TB_RULES_MAX)
        return gs_err_set(err, GS_EINVAL, "a catalogue holds at most %d rules", TB_RULES_MAX);
    if (rule->source_gene[0] == '\0' || rule->target_gene[0] == '\0' || rule->ndrugs == 0)
        return gs_err_set(err, GS_EINVAL, "rule '%s' needs a source gene, a target gene and a "
                          "drug", rule->name);
    c->rules[c->nrules++] = *rule;
    return GS_OK;
}

/* ---- lookups ---- */

size_t tb_catalogue_lookup(const struct tb_catalogue *c, const char *gene, const char *mutation,
                           const struct tb_catalogue_row **out, size_t max)
{
    gene = tb_gene_canonical(gene);
    size_t slot = slot_find(c, gene, mutation), n = 0;
    for (uint32_t r = c->index->slots[slot]; r != NO_ROW; r = c->index->next[r], n++)
        if (n < max)
            out[n] = &c->rows[r];
    return n;
}

static uint32_t site_drugs(const struct tb_catalogue *c, const char *gene, const char *site)
{
    const struct tb_catalogue_index *ix = c->index;
    if (ix->nsite_slots == 0)
        return 0;
    const struct site_entry *e = &ix->sites[site_slot(ix, tb_gene_canonical(gene), site)];
    return e->gene != NULL ? e->drugs : 0;
}

bool tb_catalogue_gene_lof(const struct tb_catalogue *c, const char *gene, const char *drug)
{
    int bit = drug_bit(c->index, drug);
    return bit >= 0 && (site_drugs(c, gene, "") & (1u << bit)) != 0;
}

bool tb_catalogue_gene_graded(const struct tb_catalogue *c, const char *gene, const char *drug)
{
    gene = tb_gene_canonical(gene);
    for (size_t i = 0; i < c->index->ngraded; i++) {
        const struct tb_catalogue_row *r = &c->rows[c->index->graded[i]];
        if (strcmp(r->gene, gene) == 0 && strcmp(r->drug, drug) == 0)
            return true;
    }
    return false;
}

bool tb_catalogue_site_graded(const struct tb_catalogue *c, const char *gene, const char *site,
                              const char *drug)
{
    int bit = drug_bit(c->index, drug);
    return bit >= 0 && (site_drugs(c, gene, site) & (1u << bit)) != 0;
}

/* ---- vocabulary ---- */

static const char *const grade_words[] = {"", "Assoc w R", "Assoc w R - Interim",
                                          "Uncertain significance", "Not assoc w R - Interim",
                                          "Not assoc w R"};

const char *tb_grade_text(enum tb_grade g)
{
    return (unsigned)g <= 5 ? grade_words[g] : "";
}

int tb_grade_parse(const char *text, enum tb_grade *out, struct gs_err *err)
{
    const char *t = text ? text : "";
    while (*t == ' ')
        t++;
    if (t[0] >= '1' && t[0] <= '5' && (t[1] == '\0' || t[1] == ')')) {
        if (t[1] == '\0') {
            *out = (enum tb_grade)(t[0] - '0');
            return GS_OK;
        }
        for (t += 2; *t == ' ';)
            t++;
    }
    for (int g = 1; g <= 5; g++)
        if (strcasecmp(t, grade_words[g]) == 0) {
            *out = (enum tb_grade)g;
            return GS_OK;
        }
    return gs_err_set(err, GS_EINVAL, "unknown WHO grade '%.60s' (expected 'Assoc w R', 'Assoc w"
                      " R - Interim', 'Uncertain significance', 'Not assoc w R - Interim', 'Not "
                      "assoc w R' or 1-5)", text ? text : "");
}

/* The annotation (GFF) symbols WHO's catalogue writes by locus tag. */
static const struct {
    const char *symbol, *catalogue;
} gene_aliases[] = {{"mmpR5", "Rv0678"}, {"fbiD", "Rv2983"}};

const char *tb_gene_canonical(const char *gene)
{
    for (size_t i = 0; i < sizeof gene_aliases / sizeof gene_aliases[0]; i++)
        if (strcmp(gene, gene_aliases[i].symbol) == 0)
            return gene_aliases[i].catalogue;
    return gene;
}

static const struct {
    const char *code, *drug;
} drug_codes[] = {
    {"RIF", "rifampicin"},   {"INH", "isoniazid"},    {"EMB", "ethambutol"},
    {"PZA", "pyrazinamide"}, {"LFX", "levofloxacin"}, {"MFX", "moxifloxacin"},
    {"BDQ", "bedaquiline"},  {"LZD", "linezolid"},    {"CFZ", "clofazimine"},
    {"DLM", "delamanid"},    {"PMD", "pretomanid"},   {"AMK", "amikacin"},
    {"KAN", "kanamycin"},    {"CAP", "capreomycin"},  {"ETO", "ethionamide"},
    {"STM", "streptomycin"}, {"SM", "streptomycin"},
};

int tb_drug_parse(const char *text, char out[TB_DRUG_MAX], struct gs_err *err)
{
    for (size_t i = 0; text != NULL && i < sizeof drug_codes / sizeof drug_codes[0]; i++)
        if (strcasecmp(text, drug_codes[i].code) == 0 || strcasecmp(text, drug_codes[i].drug) == 0) {
            snprintf(out, TB_DRUG_MAX, "%s", drug_codes[i].drug);
            return GS_OK;
        }
    return gs_err_set(err, GS_EINVAL, "unknown drug '%.40s' (a catalogue drug name or a WHO code "
                      "such as RIF, INH, PZA)", text ? text : "");
}

const char *tb_drug_code(const char *drug)
{
    for (size_t i = 0; i < sizeof drug_codes / sizeof drug_codes[0]; i++)
        if (strcmp(drug, drug_codes[i].drug) == 0)
            return drug_codes[i].code;
    return "";
}

/* ---- tbdb CSV ---- */

#define CSV_FIELDS 8

/* Splits the next record of text[*pos..len) into fields (RFC 4180: "" inside quotes, quoted
 * commas and newlines). Fields are copied into buf (NUL-separated). Returns the number of
 * fields, 0 at the end, -1 for an unterminated quote or an oversize record. */
static int csv_record(const char *text, size_t len, size_t *pos, char *buf, size_t bufsize,
                      const char *fields[CSV_FIELDS], int *line)
{
    size_t i = *pos, o = 0;
    int n = 0;
    if (i >= len)
        return 0;
    fields[n++] = buf;
    bool quoted = false;
    for (; i < len; i++) {
        char ch = text[i];
        if (quoted) {
            if (ch == '"' && i + 1 < len && text[i + 1] == '"')
                ch = '"', i++;
            else if (ch == '"') {
                quoted = false;
                continue;
            } else if (ch == '\n')
                (*line)++;
        } else if (ch == '"') {
            quoted = true;
            continue;
        } else if (ch == ',') {
            if (o + 1 >= bufsize)
                return -1;
            buf[o++] = '\0';
            if (n < CSV_FIELDS)
                fields[n] = buf + o;
            n++;
            continue;
        } else if (ch == '\n') {
            i++;
            break;
        } else if (ch == '\r')
            continue;
        if (o + 1 >= bufsize)
            return -1;
        buf[o++] = ch;
    }
    if (quoted)
        return -1;
    buf[o] = '\0';
    *pos = i;
    return n;
}

int tb_catalogue_parse_csv(struct tb_catalogue *c, const char *text, size_t len,
                           struct gs_err *err)
{
    static const char *const header[] = {"Gene", "Mutation", "type", "drug",
                                         "original_mutation", "confidence", "comment"};
    char buf[4096];
    const char *f[CSV_FIELDS];
    size_t pos = 0;
    int line = 1, n = csv_record(text, len, &pos, buf, sizeof buf, f, &line);
    if (n < 7)
        return gs_err_set(err, GS_EINVAL, "catalogue CSV line 1: expected the header %s,%s,%s,%s,"
                          "%s,%s,%s", header[0], header[1], header[2], header[3], header[4],
                          header[5], header[6]);
    for (int i = 0; i < 7; i++)
        if (strcmp(f[i], header[i]) != 0)
            return gs_err_set(err, GS_EINVAL, "catalogue CSV line 1: column %d is '%.40s', "
                              "expected '%s'", i + 1, f[i], header[i]);
    for (;;) {
        int start = ++line;
        n = csv_record(text, len, &pos, buf, sizeof buf, f, &line);
        if (n == 0)
            break;
        if (n < 0)
            return gs_err_set(err, GS_EINVAL, "catalogue CSV line %d: unterminated quote or "
                              "record over %zu bytes", start, sizeof buf);
        if (n == 1 && f[0][0] == '\0')
            continue; /* blank line */
        if (n != 7)
            return gs_err_set(err, GS_EINVAL, "catalogue CSV line %d: %d fields, expected 7",
                              start, n);
        struct tb_catalogue_row row = {.gene = f[0], .mutation = f[1], .drug = f[3],
                                       .original = f[4], .comment = f[6]};
        int rc = tb_grade_parse(f[5], &row.grade, err);
        if (rc == GS_OK)
            rc = tb_catalogue_add(c, &row, err);
        if (rc != GS_OK) {
            char inner[GS_ERR_MSG_MAX];
            snprintf(inner, sizeof inner, "%s", err->msg);
            gs_err_clear(err);
            return gs_err_set(err, rc, "catalogue CSV line %d: %s", start, inner);
        }
    }
    if (c->nrows == 0)
        return gs_err_set(err, GS_EINVAL, "catalogue CSV holds no rows");
    return GS_OK;
}

/* ---- tbdb rules.yml ----
 * The shape is small and fixed: top-level "name:" keys, nested "key: value" maps indented
 * by two spaces per level, and lists of scalars as "- item" lines under a key. Comments
 * (#) and blank lines are skipped. Anything else is refused with its line. */

struct yaml_line {
    int indent;
    bool item;          /* "- value" */
    char key[64];
    char value[128];    /* "" when the key opens a map or a list */
};

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    size_t k = 0;
    while (s[k] == ' ')
        k++;
    memmove(s, s + k, n - k + 1);
    if ((s[0] == '\'' || s[0] == '"') && n - k >= 2 && s[n - k - 1] == s[0]) {
        memmove(s, s + 1, n - k - 2);
        s[n - k - 2] = '\0';
    }
}

static int yaml_parse_line(const char *raw, int lineno, struct yaml_line *out, struct gs_err *err)
{
    char line[256];
    if (strlen(raw) >= sizeof line)
        return gs_err_set(err, GS_EINVAL, "rules line %d is too long", lineno);
    memcpy(line, raw, strlen(raw) + 1);
    char *hash = strchr(line, '#');
    if (hash != NULL)
        *hash = '\0';
    memset(out, 0, sizeof *out);
    while (line[out->indent] == ' ')
        out->indent++;
    char *p = line + out->indent;
    if (*p == '\t')
        return gs_err_set(err, GS_EINVAL, "rules line %d: tabs are not YAML indentation", lineno);
    if (p[0] == '-' && (p[1] == ' ' || p[1] == '\0')) {
        out->item = true;
        snprintf(out->value, sizeof out->value, "%s", p + 1);
        trim(out->value);
        return GS_OK;
    }
    char *colon = strchr(p, ':');
    if (colon == NULL)
        return gs_err_set(err, GS_EINVAL, "rules line %d: expected 'key: value'", lineno);
    *colon = '\0';
    if (strlen(p) >= sizeof out->key || strlen(colon + 1) >= sizeof out->value)
        return gs_err_set(err, GS_EINVAL, "rules line %d: key or value too long", lineno);
    snprintf(out->key, sizeof out->key, "%s", p);
    snprintf(out->value, sizeof out->value, "%s", colon + 1);
    trim(out->key);
    trim(out->value);
    return GS_OK;
}

static int rule_set_int(const char *value, int *out, int lineno, struct gs_err *err)
{
    char *end;
    long v = strtol(value, &end, 10);
    if (value[0] == '\0' || *end != '\0' || v < 0 || v > 100)
        return gs_err_set(err, GS_EINVAL, "rules line %d: '%s' is not a percentage 0-100",
                          lineno, value);
    *out = (int)v;
    return GS_OK;
}

static int rule_add_drug(struct tb_rule *r, const char *drug, int lineno, struct gs_err *err)
{
    if (drug[0] == '\0')
        return GS_OK;
    if (r->ndrugs >= TB_RULE_DRUGS_MAX || strlen(drug) >= TB_DRUG_MAX)
        return gs_err_set(err, GS_EINVAL, "rules line %d: too many or too long drugs", lineno);
    snprintf(r->drugs[r->ndrugs++], TB_DRUG_MAX, "%s", drug);
    return GS_OK;
}

static int rule_finish(struct tb_catalogue *c, struct tb_rule *r, bool *open, struct gs_err *err)
{
    if (!*open)
        return GS_OK;
    *open = false;
    return tb_catalogue_add_rule(c, r, err);
}

int tb_catalogue_parse_rules(struct tb_catalogue *c, const char *text, struct gs_err *err)
{
    struct tb_rule r;
    bool open = false;
    char section[64] = ""; /* "source", "target" or "" */
    char list_key[64] = "";
    int lineno = 0, rc = GS_OK;
    for (const char *p = text; rc == GS_OK && *p;) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        char raw[300];
        lineno++;
        if (n >= sizeof raw)
            return gs_err_set(err, GS_EINVAL, "rules line %d is too long", lineno);
        memcpy(raw, p, n);
        raw[n] = '\0';
        p += n + (eol != NULL);
        bool blank = true;
        for (const char *q = raw; *q && *q != '#'; q++)
            if (!isspace((unsigned char)*q))
                blank = false;
        if (blank)
            continue;
        struct yaml_line y;
        if ((rc = yaml_parse_line(raw, lineno, &y, err)) != GS_OK)
            break;
        if (y.indent == 0 && !y.item) { /* a new rule */
            if ((rc = rule_finish(c, &r, &open, err)) != GS_OK)
                break;
            memset(&r, 0, sizeof r);
            snprintf(r.name, sizeof r.name, "%s", y.key);
            r.source_cutoff = 100, r.target_escape_cutoff = 10; /* TB-Profiler's defaults */
            open = true, section[0] = list_key[0] = '\0';
            continue;
        }
        if (!open)
            return gs_err_set(err, GS_EINVAL, "rules line %d: indented line before a rule name",
                              lineno);
        if (y.item) {
            if (strcmp(list_key, "drug") != 0)
                return gs_err_set(err, GS_EINVAL, "rules line %d: a list is only expected under "
                                  "'drug'", lineno);
            rc = rule_add_drug(&r, y.value, lineno, err);
            continue;
        }
        list_key[0] = '\0';
        if (y.indent == 2) {
            section[0] = '\0';
            if (strcmp(y.key, "type") == 0) {
                if (strcmp(y.value, "epistasisRule") != 0)
                    return gs_err_set(err, GS_EINVAL, "rules line %d: rule '%s' has type '%s'; "
                                      "only epistasisRule is understood", lineno, r.name, y.value);
            } else if (strcmp(y.key, "source") == 0 || strcmp(y.key, "target") == 0) {
                snprintf(section, sizeof section, "%s", y.key);
            } else if (strcmp(y.key, "source_inactivation_freq_cutoff") == 0) {
                rc = rule_set_int(y.value, &r.source_cutoff, lineno, err);
            } else if (strcmp(y.key, "target_escape_freq_cutoff") == 0) {
                rc = rule_set_int(y.value, &r.target_escape_cutoff, lineno, err);
            } else {
                return gs_err_set(err, GS_EINVAL, "rules line %d: unknown key '%s'", lineno, y.key);
            }
            continue;
        }
        if (y.indent != 4 || section[0] == '\0')
            return gs_err_set(err, GS_EINVAL, "rules line %d: unexpected indentation", lineno);
        bool source = strcmp(section, "source") == 0;
        if (strcmp(y.key, "gene_name") == 0) {
            char *dst = source ? r.source_gene : r.target_gene;
            if (strlen(y.value) >= TB_GENE_MAX)
                return gs_err_set(err, GS_EINVAL, "rules line %d: gene name too long", lineno);
            snprintf(dst, TB_GENE_MAX, "%s", tb_gene_canonical(y.value));
        } else if (source && strcmp(y.key, "type") == 0) {
            if (strcmp(y.value, "LoF") != 0)
                return gs_err_set(err, GS_EINVAL, "rules line %d: source type '%s'; only LoF is "
                                  "understood", lineno, y.value);
            snprintf(r.source_type, sizeof r.source_type, "LoF");
        } else if (!source && strcmp(y.key, "drug") == 0) {
            if (y.value[0] == '\0')
                snprintf(list_key, sizeof list_key, "drug");
            else
                rc = rule_add_drug(&r, y.value, lineno, err);
        } else {
            return gs_err_set(err, GS_EINVAL, "rules line %d: unknown key '%s' under %s", lineno,
                              y.key, section);
        }
    }
    if (rc == GS_OK)
        rc = rule_finish(c, &r, &open, err);
    return rc;
}

/* ---- files ---- */

int tb_read_file(const char *path, size_t max, char **out, size_t *len, struct gs_err *err)
{
    gzFile f = gzopen(path, "rb");
    if (f == NULL)
        return gs_err_set(err, GS_EIO, "cannot read %s", path);
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap + 1);
    int rc = buf ? GS_OK : gs_err_set(err, GS_ENOMEM, "out of memory reading %s", path);
    while (rc == GS_OK) {
        if (n == cap) {
            if (cap >= max) {
                rc = gs_err_set(err, GS_ETOOBIG, "%s is larger than %zu bytes", path, max);
                break;
            }
            cap *= 2;
            char *p = realloc(buf, cap + 1);
            if (p == NULL) {
                rc = gs_err_set(err, GS_ENOMEM, "out of memory reading %s", path);
                break;
            }
            buf = p;
        }
        int got = gzread(f, buf + n, (unsigned)(cap - n));
        if (got < 0)
            rc = gs_err_set(err, GS_EIO, "cannot read %s (corrupt gzip?)", path);
        else if (got == 0)
            break;
        else
            n += (size_t)got;
    }
    gzclose(f);
    if (rc != GS_OK) {
        free(buf);
        return rc;
    }
    buf[n] = '\0';
    *out = buf, *len = n;
    return GS_OK;
}

int tb_catalogue_read_files(const char *csv_path, const char *rules_path, const char *version,
                            struct tb_catalogue **out, struct gs_err *err)
{
    char name[TB_VERSION_MAX];
    if (version != NULL && version[0] != '\0') {
        snprintf(name, sizeof name, "%s", version);
    } else { /* the file name without folder and extensions */
        const char *base = strrchr(csv_path, '/');
        snprintf(name, sizeof name, "%s", base ? base + 1 : csv_path);
        char *dot = strchr(name, '.');
        const char *ext[] = {".mutations.csv", ".csv"};
        for (size_t i = 0; dot != NULL && i < 2; i++) {
            char *at = strstr(name, ext[i]);
            if (at != NULL) {
                *at = '\0';
                break;
            }
        }
    }
    char *text = NULL, *rules = NULL;
    size_t len = 0, rules_len = 0;
    struct tb_catalogue *c = NULL;
    int rc = tb_read_file(csv_path, TB_CSV_MAX, &text, &len, err);
    if (rc == GS_OK && rules_path != NULL)
        rc = tb_read_file(rules_path, TB_RULES_FILE_MAX, &rules, &rules_len, err);
    if (rc == GS_OK)
        rc = tb_catalogue_new(name, &c, err);
    if (rc == GS_OK) {
        const char *base = strrchr(csv_path, '/');
        snprintf(c->source, sizeof c->source, "%s", base ? base + 1 : csv_path);
        rc = tb_catalogue_parse_csv(c, text, len, err);
    }
    if (rc == GS_OK && rules != NULL)
        rc = tb_catalogue_parse_rules(c, rules, err);
    free(text);
    free(rules);
    if (rc != GS_OK) {
        tb_catalogue_free(c);
        return rc;
    }
    *out = c;
    return GS_OK;
}

/* ---- versions in the store ---- */

static int save_rows(struct store *s, const struct tb_catalogue *c, struct gs_err *err)
{
    int rc = GS_OK;
    for (size_t i = 0; rc == GS_OK && i < c->nrows; i++) {
        const struct tb_catalogue_row *r = &c->rows[i];
        struct store_tb_catalogue_row row = {r->gene, r->mutation, r->drug, r->original,
                                             r->comment, (int)r->grade};
        rc = store_tb_catalogue_row_insert(s, c->id, (int64_t)i, &row, err);
    }
    for (int i = 0; rc == GS_OK && i < c->nrules; i++) {
        const struct tb_rule *r = &c->rules[i];
        struct store_tb_rule row = {0};
        snprintf(row.name, sizeof row.name, "%s", r->name);
        snprintf(row.type, sizeof row.type, "epistasisRule");
        snprintf(row.source_gene, sizeof row.source_gene, "%s", r->source_gene);
        snprintf(row.source_type, sizeof row.source_type, "%s", r->source_type);
        snprintf(row.target_gene, sizeof row.target_gene, "%s", r->target_gene);
        size_t o = 0;
        for (int d = 0; d < r->ndrugs && o < sizeof row.drugs; d++)
            o += (size_t)snprintf(row.drugs + o, sizeof row.drugs - o, "%s%s", d ? "," : "",
                                  r->drugs[d]);
        row.source_cutoff = r->source_cutoff;
        row.target_escape_cutoff = r->target_escape_cutoff;
        rc = store_tb_catalogue_rule_insert(s, c->id, i, &row, err);
    }
    return rc;
}

int tb_catalogue_save(struct store *s, const struct actor *who, struct tb_catalogue *c,
                      time_t now, struct gs_err *err)
{
    if (!parse_is_name(c->version))
        return gs_err_set(err, GS_EINVAL, "catalogue version '%.64s' is not a name (letters, "
                          "digits, '.', '_', '-'; at most 64)", c->version);
    struct store_tb_catalogue row = {0};
    snprintf(row.version, sizeof row.version, "%s", c->version);
    snprintf(row.source, sizeof row.source, "%s", c->source);
    row.nrows = (int64_t)c->nrows, row.nrules = c->nrules, row.loaded_at = now;
    int rc = store_begin(s, err);
    if (rc != GS_OK)
        return rc;
    if ((rc = store_tb_catalogue_insert(s, &row, &c->id, err)) == GS_OK)
        rc = save_rows(s, c, err);
    char object[STORE_TEXT_MAX], detail[STORE_TEXT_MAX];
    snprintf(object, sizeof object, "tb_catalogue:%s", c->version);
    snprintf(detail, sizeof detail, "{\"rows\":%zu,\"rules\":%d,\"source\":\"%.100s\"}", c->nrows,
             c->nrules, c->source);
    struct audit_event ev = {"tb.catalogue.load", object, detail};
    rc = audit_commit(s, rc, who, &ev, now, err);
    if (rc != GS_OK)
        c->id = 0;
    else
        c->loaded_at = now;
    return rc;
}

static int open_row(void *ctx, const struct store_tb_catalogue_row *r)
{
    struct tb_catalogue *c = ctx;
    struct gs_err err = {0};
    struct tb_catalogue_row row = {r->gene, r->mutation, r->drug, r->original, r->comment,
                                   (enum tb_grade)r->grade};
    return tb_catalogue_add(c, &row, &err);
}

static int open_rule(void *ctx, const struct store_tb_rule *r)
{
    struct tb_catalogue *c = ctx;
    struct tb_rule rule = {0};
    snprintf(rule.name, sizeof rule.name, "%s", r->name);
    snprintf(rule.source_gene, sizeof rule.source_gene, "%s", r->source_gene);
    snprintf(rule.source_type, sizeof rule.source_type, "%s", r->source_type);
    snprintf(rule.target_gene, sizeof rule.target_gene, "%s", r->target_gene);
    rule.source_cutoff = r->source_cutoff;
    rule.target_escape_cutoff = r->target_escape_cutoff;
    char drugs[STORE_TEXT_MAX];
    snprintf(drugs, sizeof drugs, "%s", r->drugs);
    char *save = NULL;
    for (char *d = strtok_r(drugs, ",", &save); d && rule.ndrugs < TB_RULE_DRUGS_MAX;
         d = strtok_r(NULL, ",", &save))
        snprintf(rule.drugs[rule.ndrugs++], TB_DRUG_MAX, "%s", d);
    struct gs_err err = {0};
    return tb_catalogue_add_rule(c, &rule, &err);
}

int tb_catalogue_open(struct store *s, const char *version, struct tb_catalogue **out,
                      struct gs_err *err)
{
    struct store_tb_catalogue row;
    int rc = store_tb_catalogue_find(s, version, &row, err);
    if (rc == GS_ENOTFOUND) {
        if (version != NULL && version[0] != '\0')
            return gs_err_set(err, GS_ENOTFOUND, "no catalogue version '%.64s' (see genoshare tb"
                              " catalogue list)", version);
        return gs_err_set(err, GS_ENOTFOUND, "no catalogue loaded (genoshare tb catalogue load)");
    }
    struct tb_catalogue *c = NULL;
    if (rc != GS_OK || (rc = tb_catalogue_new(row.version, &c, err)) != GS_OK)
        return rc;
    c->id = row.id, c->loaded_at = row.loaded_at;
    snprintf(c->source, sizeof c->source, "%s", row.source);
    rc = store_tb_catalogue_row_each(s, row.id, open_row, c, err);
    if (rc == GS_OK)
        rc = store_tb_catalogue_rule_each(s, row.id, open_rule, c, err);
    if (rc > 0 || (rc == GS_OK && (int64_t)c->nrows != row.nrows))
        rc = gs_err_set(err, GS_ECORRUPT, "catalogue version '%s' holds %zu readable rows of %lld",
                        row.version, c->nrows, (long long)row.nrows);
    else if (rc < 0 && err->code == 0)
        rc = gs_err_set(err, rc, "catalogue version '%s' cannot be read back", row.version);
    if (rc != GS_OK) {
        tb_catalogue_free(c);
        return rc;
    }
    *out = c;
    return GS_OK;
}
