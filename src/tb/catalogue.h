/* catalogue.h — the WHO mutation catalogue in tbdb's CSV form, with its rules, versioned.
 *
 * A catalogue is a list of rows (gene, mutation, drug, grade): `mutation` is an HGVS name
 * inside the gene ("p.Ser450Leu", "c.-777C>T", "n.1401A>G") or, for WHO's gene-level
 * "LoF"/"deletion" rows, one of the SO terms tbdb expands them into (feature_ablation,
 * start_lost, stop_gained, frameshift_variant). Grades are WHO's 1–5 (tbdb writes them as
 * words: "Assoc w R" = 1 … "Not assoc w R" = 5). Rules are tbdb's rules.yml epistasis rules
 * (a loss of function in the source gene inactivates resistance from the target gene).
 *
 * Decisions:
 * - tbdb expands both WHO's "deletion" and "LoF" rows of a gene into feature_ablation, so a
 *   (gene, mutation, drug) can come twice (40 times in tbdb-6aed5d9); the stronger grade is
 *   kept (3 of them differ: ethA, katG, pncA feature_ablation, grade 1 over 2).
 * - Gene names are kept as the catalogue writes them (Rv0678, Rv2983); tb_gene_canonical
 *   maps the annotation's symbols (mmpR5, fbiD) onto them, so names coming from the GFF
 *   (tbname's naming) and from WHO's tables meet.
 * - Drugs are lower case ("rifampicin"); tb_drug_parse accepts WHO's three-letter codes
 *   and any case.
 * - A catalogue in memory is read-only once built and safe to share between threads; the
 *   strings live in one pool owned by the catalogue, an index by (gene, mutation) answers
 *   lookups in O(1), and a second one by (gene, position) answers "is a grade-1/2 row of
 *   this drug at this site / is LoF of this gene graded" in O(1) (built as rows are added).
 * - Versions live side by side in the store (schema v14); "the catalogue" without a version
 *   is the one loaded last. */
#ifndef GS_TB_CATALOGUE_H
#define GS_TB_CATALOGUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "audit/audit.h"
#include "core/error.h"
#include "store/store.h"

#define TB_GENE_MAX 32       /* "Rv0678", "mmpL5" */
#define TB_MUTATION_MAX 160  /* an HGVS name within a gene; longer names are refused */
#define TB_DRUG_MAX 32       /* "rifampicin" */
#define TB_DRUGS_MAX 32      /* distinct drugs in one catalogue */
#define TB_RULES_MAX 32
#define TB_RULE_DRUGS_MAX 8
#define TB_VERSION_MAX STORE_NAME_MAX
#define TB_CSV_MAX (64u << 20)  /* uncompressed catalogue CSV */
#define TB_RULES_FILE_MAX (1u << 20)

/* WHO confidence grades; a smaller number is stronger evidence of resistance. */
enum tb_grade {
    TB_GRADE_NONE = 0,           /* not in the catalogue */
    TB_GRADE_ASSOC_R = 1,        /* "Assoc w R" */
    TB_GRADE_ASSOC_R_INTERIM = 2,/* "Assoc w R - Interim" */
    TB_GRADE_UNCERTAIN = 3,      /* "Uncertain significance" */
    TB_GRADE_NOT_ASSOC_INTERIM = 4, /* "Not assoc w R - Interim" */
    TB_GRADE_NOT_ASSOC = 5,      /* "Not assoc w R" */
};
/* Grades 1 and 2 predict resistance. */
static inline bool tb_grade_is_resistance(enum tb_grade g)
{
    return g == TB_GRADE_ASSOC_R || g == TB_GRADE_ASSOC_R_INTERIM;
}
/* tbdb's words for a grade ("Assoc w R"…); "" for TB_GRADE_NONE. */
const char *tb_grade_text(enum tb_grade g);
/* Accepts tbdb's words, with or without WHO's "1) " prefix, or a digit 1–5. */
int tb_grade_parse(const char *text, enum tb_grade *out, struct gs_err *err) GS_MUST_USE;

/* One row. The strings point into the catalogue's pool (valid while it lives). */
struct tb_catalogue_row {
    const char *gene;
    const char *mutation;
    const char *drug;
    const char *original;  /* WHO's own form ("LoF", "deletion", "p.Ser450Leu") */
    const char *comment;   /* "" when none */
    enum tb_grade grade;
};

/* An epistasis rule (tbdb rules.yml, type epistasisRule): when loss-of-function variants
 * of source_gene reach source_cutoff percent (summed allele fraction, capped at 100), the
 * resistance variants of target_gene for drugs[] are inactivated; target_escape_cutoff only
 * adds a note (as TB-Profiler does). */
struct tb_rule {
    char name[64];
    char source_gene[TB_GENE_MAX];
    char source_type[16];  /* "LoF" (the only type tbdb uses) */
    char target_gene[TB_GENE_MAX];
    char drugs[TB_RULE_DRUGS_MAX][TB_DRUG_MAX];
    int ndrugs;
    int source_cutoff;         /* source_inactivation_freq_cutoff, percent */
    int target_escape_cutoff;  /* target_escape_freq_cutoff, percent */
};

struct tb_catalogue_index; /* private */
struct tb_catalogue {
    int64_t id;                      /* store id; 0 when not stored */
    char version[TB_VERSION_MAX];
    char source[STORE_TEXT_MAX];     /* file it came from */
    time_t loaded_at;
    struct tb_catalogue_row *rows;
    size_t nrows;
    struct tb_rule rules[TB_RULES_MAX];
    int nrules;
    const char *drugs[TB_DRUGS_MAX]; /* distinct drugs, sorted (into the pool) */
    int ndrugs;
    struct tb_catalogue_index *index;
};

/* An empty catalogue to fill with tb_catalogue_add / the parsers; free with
 * tb_catalogue_free (NULL is fine). */
int tb_catalogue_new(const char *version, struct tb_catalogue **out, struct gs_err *err) GS_MUST_USE;
void tb_catalogue_free(struct tb_catalogue *c);
/* Appends a row (copies the strings; drug lower-cased). GS_EINVAL for an empty
 * gene/mutation/drug or one longer than its maximum; a second row with the same (gene,
 * mutation, drug) keeps the stronger grade of the two. */
int tb_catalogue_add(struct tb_catalogue *c, const struct tb_catalogue_row *row,
                     struct gs_err *err) GS_MUST_USE;
/* Appends a rule; GS_EINVAL past TB_RULES_MAX or when a gene or drug is missing. */
int tb_catalogue_add_rule(struct tb_catalogue *c, const struct tb_rule *rule,
                          struct gs_err *err) GS_MUST_USE;

/* Parses tbdb's mutations.csv (header Gene,Mutation,type,drug,original_mutation,
 * confidence,comment; RFC 4180 quoting) into c. Errors name the line. */
int tb_catalogue_parse_csv(struct tb_catalogue *c, const char *text, size_t len,
                           struct gs_err *err) GS_MUST_USE;
/* Parses tbdb's rules.yml shape (top-level rule names, two-space nested maps, drug as a
 * scalar or a "- item" list) into c's rules. Rules of other types are refused by name. */
int tb_catalogue_parse_rules(struct tb_catalogue *c, const char *text, struct gs_err *err) GS_MUST_USE;
/* Reads the CSV (plain or gzip) and optional rules file into a new catalogue named
 * version (NULL or "": the CSV's file name without extensions). */
int tb_catalogue_read_files(const char *csv_path, const char *rules_path, const char *version,
                            struct tb_catalogue **out, struct gs_err *err) GS_MUST_USE;

/* Reads a whole plain or gzip file (zlib reads both) of at most max bytes into *out, a
 * NUL-terminated string of *len bytes the caller frees; GS_EIO / GS_ETOOBIG naming path.
 * The TB part's table readers (catalogue, rules, genotypes) share it. */
int tb_read_file(const char *path, size_t max, char **out, size_t *len,
                 struct gs_err *err) GS_MUST_USE;

/* Lookup: fills out[] with the rows of (gene, mutation), one per drug, and returns how many
 * there are (may exceed max; only max are written). gene goes through tb_gene_canonical. */
size_t tb_catalogue_lookup(const struct tb_catalogue *c, const char *gene, const char *mutation,
                           const struct tb_catalogue_row **out, size_t max);
/* Whether the catalogue grades gene-level loss of function of gene for drug (R rows whose
 * mutation is an SO term). */
bool tb_catalogue_gene_lof(const struct tb_catalogue *c, const char *gene, const char *drug);
/* Whether a graded-resistance (1–2) row of drug sits at site of gene: site is a position
 * without alleles ("p.Ser450", "c.-777", "n.1401") and matches every row at that position
 * ("p.Ser450Leu", "p.Ser450fs", "c.-777C>T"); site "" matches gene-level LoF rows. */
bool tb_catalogue_site_graded(const struct tb_catalogue *c, const char *gene, const char *site,
                              const char *drug);
/* The position part of an HGVS name, without alleles: "p.Ser450Leu" → "p.Ser450",
 * "c.-777C>T" → "c.-777", "n.1401A>G" → "n.1401", "c.758del" → "c.758"; "" for anything
 * that is not x.-style (SO terms). out holds size bytes. */
void tb_mutation_site(const char *hgvs, char *out, size_t size);
/* Whether any graded-resistance (1–2) row of drug lies in gene. */
bool tb_catalogue_gene_graded(const struct tb_catalogue *c, const char *gene, const char *drug);

/* The catalogue's name for an annotation gene symbol (mmpR5 → Rv0678, fbiD → Rv2983);
 * the name itself otherwise. Static strings or gene. */
const char *tb_gene_canonical(const char *gene);
/* Lower-case catalogue drug for a WHO code (RIF, INH, …) or a name in any case; GS_EINVAL
 * otherwise. out holds TB_DRUG_MAX bytes. */
int tb_drug_parse(const char *text, char out[TB_DRUG_MAX], struct gs_err *err) GS_MUST_USE;
/* WHO's three-letter code of a catalogue drug ("RIF"), or "" when unknown. */
const char *tb_drug_code(const char *drug);

/* ---- versions in the store ---- */

/* Stores c as a new version (transaction with an audit row "tb.catalogue.load");
 * GS_ECONFLICT when the version name exists. Sets c->id. */
int tb_catalogue_save(struct store *s, const struct actor *who, struct tb_catalogue *c,
                      time_t now, struct gs_err *err) GS_MUST_USE;
/* Loads a stored version (NULL or "": the newest). GS_ENOTFOUND "no catalogue version
 * 'X'" / "no catalogue loaded (genoshare tb catalogue load)". Caller frees. */
int tb_catalogue_open(struct store *s, const char *version, struct tb_catalogue **out,
                      struct gs_err *err) GS_MUST_USE;

#endif
