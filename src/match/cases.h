/* cases.h — matchmaking cases: validated, versioned, audited writes (register, update,
 * withdraw, import many at once), access-checked reads, genoshare's own case JSON, and the
 * field checks the exchange formats (phenopacket.h, mme_patient.h) share.
 *
 * Decisions (issue 3, item 2):
 *   - Every case belongs to a dataset and carries a scope; reads go through access_check_read
 *     with the case's dataset, institution and scope, and a case the caller may not see is
 *     GS_ENOTFOUND "no case with id N", word for word a missing one. Reads of anything but
 *     open + international cases are audited (case.read / case.read.denied).
 *   - Writers: the operator; a user with the submitter role at the dataset's institution, or
 *     (restricted datasets) a submitter who is a consortium member — registry.c's rule for
 *     records. Update and withdraw also need the case's own institution (a consortium member
 *     cannot rewrite another hospital's case); a case the writer cannot see is 404 first.
 *   - HPO: with a release loaded (cases_hpo_load), every id (features, onsets) is resolved:
 *     alt ids and replaced obsolete ids become their primary term and are reported in the
 *     case_report; unknown ids and obsolete ids without replacement are refused with the
 *     input field named. Without a release, well-formed ids are kept and the report says so.
 *   - Genes: with a gene table (cases_genes_load), symbols (case-insensitive), HGNC, Ensembl
 *     and Entrez ids all become one canonical id (HGNC, else Ensembl, else NCBIGene:n);
 *     an unknown gene is refused naming the field. Without a table, genes are kept as given
 *     and the report says so. Duplicate genes/features collapse (reported); a term both
 *     observed and excluded is refused.
 *   - Variants: VCF-style, 1-based pos, chromosome without "chr" ("M" → "MT"), assembly
 *     normalised (hg38/GRCh38.p13 → GRCh38, hg19 → GRCh37, hg18 → NCBI36).
 *   - Diagnoses: OMIM:n (MIM:n accepted), ORPHA:n (Orphanet:n accepted), MONDO:n.
 *   - Versions: each write stores the case's full content (case_to_json) as a new version
 *     with who, when and what changed, in the write's transaction, with its audit row
 *     (case.add, case.update, case.withdraw). An import of many cases is one transaction:
 *     any failure leaves nothing. A withdrawn case stays readable by who may read it, is
 *     left out of lists unless asked, and cannot be updated. */
#ifndef GS_MATCH_CASES_H
#define GS_MATCH_CASES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "access/access.h"
#include "audit/audit.h"
#include "pheno/hpo.h"
#include "store/store_cases.h"

/* What preparing or parsing a case noticed without refusing it (resolved HPO ids, genes kept
 * as given, skipped "unknown" features…): nothing is dropped without a note here. */
#define CASE_NOTES_MAX 16
struct case_report {
    int nnotes;  /* all notes; only the first CASE_NOTES_MAX are kept */
    char notes[CASE_NOTES_MAX][200];
};
void case_note(struct case_report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- field checks shared by the formats: each names `where` (a JSON path) in its error ---- */

/* Typed member reads: GS_EINVAL "WHERE.KEY must be a string" etc.; absent optional members
 * give NULL / leave *out as it is. Strings point into obj (valid while it lives). */
int case_json_string(const json_t *obj, const char *where, const char *key, bool required,
                     const char **out, struct gs_err *err) GS_MUST_USE;
/* An object or array member (type JSON_OBJECT or JSON_ARRAY), or NULL when absent. */
int case_json_member(const json_t *obj, const char *where, const char *key, json_type type,
                     bool required, json_t **out, struct gs_err *err) GS_MUST_USE;
/* Copies text into out (size bytes), refusing longer text or control characters. */
int case_copy_text(const char *where, const char *text, char *out, size_t size,
                   struct gs_err *err) GS_MUST_USE;

/* "HP:0001250" → 1250; GS_EINVAL "WHERE: 'x' is not an HPO id (HP:nnnnnnn)". */
int case_parse_hpo(const char *where, const char *text, uint32_t *out, struct gs_err *err) GS_MUST_USE;
/* An onset: an HP id or an ISO 8601 duration ("P4Y6M", "P3W"). */
int case_parse_onset(const char *where, const char *text, char out[CASE_ID_TEXT_MAX],
                     struct gs_err *err) GS_MUST_USE;
int case_parse_assembly(const char *where, const char *text, char out[16],
                        struct gs_err *err) GS_MUST_USE;
int case_parse_chrom(const char *where, const char *text, char out[8], struct gs_err *err) GS_MUST_USE;
/* Upper-cased [ACGTN]+ (or "" when allow_empty and text is empty/NULL). */
int case_parse_bases(const char *where, const char *text, bool allow_empty,
                     char out[CASE_BASES_MAX], struct gs_err *err) GS_MUST_USE;
/* OMIM:/ORPHA:/MONDO: ids (MIM: and Orphanet: accepted and rewritten). */
int case_parse_disease(const char *where, const char *text, char out[CASE_ID_TEXT_MAX],
                       struct gs_err *err) GS_MUST_USE;
/* "heterozygous" / "homozygous" / "hemizygous" (or "" for unknown); GENO ids accepted. */
int case_parse_zygosity(const char *where, const char *text, char out[16],
                        struct gs_err *err) GS_MUST_USE;

/* ---- genoshare's own case JSON ----
 * {"label","external_id","sex","onset","contact":{"name","email","href"},
 *  "features":[{"id":"HP:…","excluded":false,"onset":"…","label":"…"}],
 *  "genes":[{"id":"HGNC:3603","symbol":"FBN1"}],
 *  "variants":[{"assembly","chrom","pos","ref","alt","zygosity","gene"}],
 *  "diagnoses":[{"id":"OMIM:154700","label":"…"}]}
 * plus, on output, id, dataset, institution, scope, state, version, created_at, updated_at. */

/* Fills out (zero it first; the caller clears it) from doc; members absent are left as they
 * are, so an update applies a patch onto the current case. "features" etc. replace the list.
 * Errors name the JSON path. */
int case_from_json(const json_t *doc, struct store_case *out, struct gs_err *err) GS_MUST_USE;
/* The case as JSON with dataset and institution names (looked up in s). The caller owns the
 * result; NULL with err filled on failure. */
json_t *case_to_json(struct store *s, const struct store_case *c, struct gs_err *err);

/* ---- the three formats, for the CLI and the API ---- */
enum case_format { CASE_FORMAT_JSON, CASE_FORMAT_PHENOPACKET, CASE_FORMAT_MME };
/* "json" | "phenopacket" | "mme" (NULL: json); GS_EINVAL listing them. */
int case_format_parse(const char *text, enum case_format *out, struct gs_err *err) GS_MUST_USE;
/* Reads doc in format f into out (zeroed by the caller, who clears it). */
int case_from_format(const json_t *doc, enum case_format f, struct store_case *out,
                     struct case_report *rep, struct gs_err *err) GS_MUST_USE;
/* Writes c in format f (names looked up in s); the caller owns the result. */
json_t *case_to_format(struct store *s, const struct store_case *c, enum case_format f,
                       time_t now, struct gs_err *err);

/* ---- the service ---- */

/* The loaded HPO release, or *out NULL (and GS_OK) when none is loaded. Caller: hpo_free. */
int cases_hpo_load(struct store *s, struct hpo **out, struct gs_err *err) GS_MUST_USE;

/* Checks and normalises a parsed case in place (HPO ids, genes, variants, duplicates, label,
 * contact); h may be NULL (no release). Errors name the input field (the items' `where`). */
int cases_prepare(struct store *s, const struct hpo *h, struct store_case *c,
                  struct case_report *rep, struct gs_err *err) GS_MUST_USE;

/* Where imported cases go. institution: the submitting institution (operator only; default
 * the dataset's). */
struct case_target {
    const char *dataset;
    enum scope scope;
    const char *institution;
};
/* Registers n prepared cases in one transaction (all or none), each as version 1 with its
 * audit row "case.add"; ids_out (n entries, may be NULL) gets their ids. GS_EFORBIDDEN /
 * GS_EAUTH when who may not write to the dataset; GS_ENOTFOUND for an unknown dataset. */
int cases_import(struct store *s, const struct principal *who, const struct actor *by,
                 const struct case_target *t, struct store_case *cases, int n, time_t now,
                 int64_t *ids_out, struct gs_err *err) GS_MUST_USE;

/* Applies patch (own case JSON; "scope" too) to case id as a new version ("case.update").
 * GS_EINVAL when nothing changes or the case is withdrawn. */
int cases_update(struct store *s, const struct hpo *h, const struct principal *who,
                 const struct actor *by, int64_t id, const json_t *patch, time_t now,
                 struct case_report *rep, struct gs_err *err) GS_MUST_USE;
/* Marks the case withdrawn as a new version ("case.withdraw"); GS_ECONFLICT when it is. */
int cases_withdraw(struct store *s, const struct principal *who, const struct actor *by,
                   int64_t id, time_t now, struct gs_err *err) GS_MUST_USE;

/* Reads case id for who (access decided and, for non-open data, audited). The caller
 * clears out; d gets the case's dataset. */
int cases_read(struct store *s, const struct principal *who, const struct actor *by, int64_t id,
               time_t now, struct store_case *out, struct store_dataset *d,
               struct gs_err *err) GS_MUST_USE;

/* Walks the cases who may see (of dataset, NULL: all), skipping offset of them and stopping
 * after limit (0: no limit); *total (may be NULL) counts every visible one. One audit row
 * "case.list" notes a listing that showed non-open cases. The case has no lists filled. */
int cases_list(struct store *s, const struct principal *who, const struct actor *by,
               const char *dataset, bool with_withdrawn, int64_t offset, int64_t limit,
               time_t now, store_case_fn fn, void *ctx, int64_t *total,
               struct gs_err *err) GS_MUST_USE;

/* Replaces the gene table from a TSV (plain or gzipped) with a header naming the columns
 * symbol, hgnc_id, entrez_id and ensembl_gene_id (as genes_GRCh38_Ensembl109.tsv.gz; "."
 * means none); one audited transaction ("gene.load"). *count gets the genes kept. */
int cases_genes_load(struct store *s, const struct actor *by, const char *path, int64_t *count,
                     struct gs_err *err) GS_MUST_USE;

/* For `genoshare demo`: loads the gene table of data_dir when present and registers a few
 * cases written for the demo in rare-disease-cases (NULL data_dir: cases only). */
int cases_demo_fill(struct store *s, const struct actor *by, const char *data_dir,
                    struct gs_err *err) GS_MUST_USE;

#endif
