/* submit.h — variant submissions (issue 6, item 1): a VCF / VCF.gz / BCF (read with htslib)
 * or a TSV template, validated line by line, normalised (normalize.h), and written all or
 * nothing as pending submissions of one dataset.
 *
 * Decisions:
 *   - One pass, one transaction: each record is validated and written as it is read; any
 *     error is recorded with its line number and writing stops, reading goes on (to report
 *     every bad line), and the transaction is rolled back at the end. A refused file leaves
 *     nothing behind, not even its batch row: its report is returned to the caller only.
 *   - VCF fields: ClinVar's INFO keys are the submission fields (CLNSIG classification,
 *     CLNREVSTAT review status, CLNDN condition names, CLNDISDB condition ids, GENEINFO
 *     gene, ORIGIN allele origin bit flags, RS rsID); our own keys add what ClinVar's VCF
 *     lacks: GS_AREA (disease area), GS_ZYGOSITY, GS_METHOD, GS_EVIDENCE, GS_DATE. A file
 *     whose header says ##source=ClinVar is read as that one submitter's dataset: its
 *     submitter name is "ClinVar", records without CLNSIG get "not provided", its date is the
 *     header's ##fileDate. Other VCFs need CLNSIG on every record. With samples, the first
 *     sample's GT gives the zygosity when GS_ZYGOSITY is absent.
 *   - TSV template (`variants template`): a header row naming the columns (any order, '#'
 *     allowed before the first name; "##" lines are comments): chrom pos ref alt
 *     classification disease_area and condition_ids or condition_name are required;
 *     assembly gene rsid review_status origin zygosity method evidence date are optional.
 *   - Multi-allelic records are split, one submission per ALT (noted in the report).
 *   - Identity (dataset, institution, variant, condition key): a re-submission with other
 *     values replaces the stored one (its old values kept in the history, back to pending);
 *     with the same values it is counted as unchanged. The condition key is the sorted
 *     condition ids, else the lower-cased name.
 *   - Writers: registry_check_writer (operator; submitter role at the dataset's institution,
 *     or consortium member for restricted datasets). The operator may name the submitting
 *     institution (default: the dataset's). Audited: one row "variant.submit" per stored file. */
#ifndef GS_VARIANTS_SUBMIT_H
#define GS_VARIANTS_SUBMIT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "access/access.h"
#include "audit/audit.h"
#include "store/store_variants.h"

#define SUBMIT_REPORT_MAX 1000 /* report lines kept (every error is counted) */
#define SUBMIT_MESSAGE_MAX 240

enum submit_format { SUBMIT_FORMAT_AUTO, SUBMIT_FORMAT_VCF, SUBMIT_FORMAT_TSV };
/* "auto" | "vcf" | "bcf" | "tsv" (NULL: auto); GS_EINVAL listing them. */
int submit_format_parse(const char *text, enum submit_format *out, struct gs_err *err) GS_MUST_USE;

struct submit_options {
    const char *dataset;      /* required */
    const char *assembly;     /* "GRCh38" (default) or "GRCh37" */
    const char *reference;    /* FASTA path for REF check and left-alignment, or NULL */
    const char *institution;  /* operator only: the submitting institution */
    const char *disease_area; /* for records that name none (else they are refused) */
    const char *filename;     /* shown in the report and the batch ("" or NULL: none) */
    enum submit_format format;
    bool progress;            /* "N records" lines on stderr while reading */
};

struct submit_item {
    int64_t line;             /* 1-based line of the file (0: the file as a whole) */
    bool error;               /* false: a note (normalised, split) */
    char message[SUBMIT_MESSAGE_MAX];
};

struct submit_report {
    int64_t batch_id;         /* 0 when nothing was stored */
    bool stored;
    char format[8];           /* "vcf", "tsv" */
    char submitter[STORE_TEXT_MAX];
    int64_t lines;            /* data lines read */
    int64_t records;          /* submissions after the multi-allelic split */
    int64_t created, updated, unchanged;
    int64_t errors;           /* lines refused */
    int64_t notes;
    int nitems;               /* items kept, errors first then notes, each in line order */
    struct submit_item *items;
};
void submit_report_free(struct submit_report *r);
/* {"batch","stored","format","submitter","lines","records","created","updated","unchanged",
 *  "errors","notes","items":[{"line","level":"error"|"note","message"}],"items_omitted"}. */
json_t *submit_report_json(const struct submit_report *r);
/* The report as text: one line per item ("line 12: error: …"), then a summary line. */
void submit_report_print(FILE *f, const struct submit_report *r);

/* Reads path (a local file; "-" is not accepted: htslib reads files) and stores its
 * submissions for writer (by: the audit actor). *rep is zeroed first and always filled; the
 * caller frees it (submit_report_free). Returns GS_OK when stored, GS_EUNPROCESSABLE "N of M
 * lines refused" when any line failed (nothing stored), or another error (unknown dataset,
 * writer refused, unreadable file). */
int variants_submit(struct store *s, const struct principal *writer, const struct actor *by,
                    const struct submit_options *o, const char *path, time_t now,
                    struct submit_report *rep, struct gs_err *err) GS_MUST_USE;
/* The same for text in memory (the API's body): written to a private temporary file first. */
int variants_submit_text(struct store *s, const struct principal *writer, const struct actor *by,
                         const struct submit_options *o, const char *text, size_t len, time_t now,
                         struct submit_report *rep, struct gs_err *err) GS_MUST_USE;

/* The TSV template: header row and comment lines explaining each column. Static text. */
const char *submit_tsv_template(void);

#endif
