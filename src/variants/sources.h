/* sources.h — reference sources: tabix-indexed VCFs (a ClinVar release, population
 * frequencies such as 1000 Genomes or gnomAD, dbSNP) registered by name and read in place
 * through htslib, so each knowledge-base variant can be shown beside the world's knowledge.
 *
 * Decisions:
 * - Files are never copied into the store: a release is large, changes monthly and is
 *   replaced by registering the new file. Only local paths are accepted (htslib would
 *   happily open http/S3 URLs), the file must be BGZF-compressed VCF with a .tbi or .csi
 *   index beside it; both are checked when the source is added.
 * - A look-up matches on (chrom, pos, ref, alt) exactly, REF/ALT case-insensitively, after
 *   resolving the chromosome name against the file's own index ("17", "chr17"; "MT",
 *   "chrM", "M"). Variants are expected normalised (left-aligned, trimmed), as the
 *   knowledge base stores them and as ClinVar and 1000 Genomes publish them.
 * - What a source tells: its record id, the rsID (ID column when it is rs…, else INFO RS),
 *   ClinVar's CLNSIG, CLNREVSTAT, CLNDN, GENEINFO (underscores read as spaces), and every
 *   float INFO field that is an allele frequency by name (AF, *_AF, AF_*): 1000 Genomes'
 *   AF, EAS_AF, EUR_AF, AFR_AF, AMR_AF, SAS_AF; ClinVar's AF_ESP, AF_EXAC, AF_TGP; gnomAD's
 *   AF_eas … For a Number=A field the value of the matching ALT is taken.
 * - Reference sources are public reference knowledge, not dataset contents: look-ups need
 *   no access decision, and file paths are shown to administrators only (API).
 * - struct sources holds open file handles: one per thread (the server opens a set per
 *   request; opening is a header and index read, about a millisecond per source). */
#ifndef GS_VARIANTS_SOURCES_H
#define GS_VARIANTS_SOURCES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "audit/audit.h"
#include "store/store_variant_sources.h"

#define SOURCE_FREQ_MAX 24
#define SOURCE_CHROM_MAX 32
#define SOURCE_ALLELE_MAX 1024
#define SOURCE_BATCH_MAX 200 /* variants per batch look-up (API) */
#define SOURCES_MAX 64       /* sources read by sources_open: hits arrays need no more */

const char *source_kind_name(enum source_kind k); /* "clinvar" */
/* GS_EINVAL naming the accepted kinds otherwise. */
int source_kind_parse(const char *text, enum source_kind *out, struct gs_err *err) GS_MUST_USE;

/* Registers the VCF at path as source name (kind NULL: from the header's ##source line,
 * ClinVar → clinvar, dbSNP → dbsnp, else frequency; assembly NULL: GRCh38). Checks the
 * path is local, readable, a BGZF VCF, indexed (.tbi or .csi). Audited ("source.add"). */
int sources_add(struct store *s, const struct actor *by, const char *name, const char *path,
                const char *kind, const char *assembly, time_t now, int64_t *id_out,
                struct gs_err *err) GS_MUST_USE;
/* Unregisters a source (the file is left alone). Audited ("source.remove"). */
int sources_remove(struct store *s, const struct actor *by, const char *name, time_t now,
                   struct gs_err *err) GS_MUST_USE;

/* A variant to look up; strings borrowed from the caller. */
struct source_variant {
    const char *assembly; /* NULL or "": GRCh38 */
    const char *chrom;
    int64_t pos;          /* 1-based */
    const char *ref;
    const char *alt;
};
/* Parses "CHROM-POS-REF-ALT" (or ':' separated, as "17:43045712:T:C") in text, which is
 * modified: v's strings point into it. GS_EINVAL saying which part is wrong. */
int source_variant_parse(char *text, struct source_variant *v, struct gs_err *err) GS_MUST_USE;
/* Checks a variant's fields (chromosome name, position range, alleles of A/C/G/T/N);
 * GS_EINVAL naming the field. */
int source_variant_check(const struct source_variant *v, struct gs_err *err) GS_MUST_USE;

struct source_frequency {
    char field[32];      /* the INFO field: "EAS_AF" */
    char population[32]; /* "EAS"; "ALL" for AF */
    double af;
};

/* What one source says about one variant. */
struct source_hit {
    const struct store_variant_source *source; /* points into the set */
    bool available;        /* false: the file could not be opened (see problem) */
    bool found;
    char id[64];           /* the record's ID column ("." → "") */
    char rsid[32];         /* "rs80357906" or "" */
    char significance[256];
    char review_status[128];
    char conditions[512];  /* CLNDN, '|' separated */
    char gene[128];        /* GENEINFO: "BRCA1:672" */
    int nfreq;
    struct source_frequency freq[SOURCE_FREQ_MAX];
    const char *problem;   /* static or set-owned text when !available */
};

/* The registered sources with their files open. sources_open never fails because one
 * file vanished: that source is reported unavailable in every hit. Caller closes. */
struct sources;
int sources_open(struct store *s, struct sources **out, struct gs_err *err) GS_MUST_USE;
void sources_close(struct sources *set);
int sources_count(const struct sources *set);
const struct store_variant_source *sources_at(const struct sources *set, int i);

/* Looks v up in every source of v's assembly: hits[0..*n) (one per such source, found or
 * not; at most max). Invalid variants are GS_EINVAL; read errors of a file GS_EIO. */
int sources_lookup(struct sources *set, const struct source_variant *v, struct source_hit *hits,
                   int max, int *n, struct gs_err *err) GS_MUST_USE;

/* {"source":…, "kind":…, "found":…, "id", "rsid", "clinvar":{…}, "frequencies":[…]} for
 * each hit, as a new array. */
json_t *source_hits_json(const struct source_hit *hits, int n);
/* A source's description for listings (path only when show_path). New object. */
json_t *source_json(const struct store_variant_source *src, bool show_path);

#endif
