/* test_tb_naming.c — the TB reference and variant naming: contig aliases; a hand-built
 * reference (a plus-strand and a minus-strand coding gene, an rRNA gene) with edits of every
 * kind (synonymous, missense, stop gained/lost, start lost, frameshift, in-frame deletion
 * and duplication, MNV, promoter on both strands, rRNA); the store round trip; and, when
 * $GENOSHARE_DATA has them, the real H37Rv files with well-known catalogue names and a
 * sample of WHO's genomic-coordinates records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "store/store.h"
#include "store/store_tb.h"
#include "tb/naming.h"
#include "tb/reference.h"
#include "tb/vcf_names.h"

static struct check_state st;

/* ---- the hand-built reference ---- */

#define FIX_LEN 600
static const char *const g1_cds = /* plus strand, 101..190: 30 codons */
    "ATG"
    "AGC"
    "CAG"
    "GAT"
    "GCT"
    "AAA"
    "AAA"
    "GGC"
    "GCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCT"
    "TAA";
static const char *const g2_cds = /* minus strand, 301..390, in gene orientation */
    "ATG"
    "TGG"
    "CAG"
    "GAT"
    "GCT"
    "CCC"
    "GCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCTGCT"
    "TGA";

static char comp(char b)
{
    return b == 'A' ? 'T' : b == 'C' ? 'G' : b == 'G' ? 'C' : b == 'T' ? 'A' : 'N';
}

static struct tb_ref *fixture(void)
{
    struct tb_ref *ref = calloc(1, sizeof *ref);
    ref->seq = malloc(FIX_LEN + 1);
    static const char bg[] = "TTGCAGCTAC"; /* background: no long repeats */
    for (int i = 0; i < FIX_LEN; i++)
        ref->seq[i] = bg[i % 10];
    ref->seq[FIX_LEN] = '\0';
    ref->length = FIX_LEN;
    snprintf(ref->name, sizeof ref->name, "fixture");
    memcpy(ref->seq + 100, g1_cds, 90);
    for (int i = 0; i < 90; i++) /* genomic 301..390 = reverse complement */
        ref->seq[300 + i] = comp(g2_cds[89 - i]);
    ref->genes = calloc(3, sizeof *ref->genes);
    ref->n_genes = 3;
    struct tb_gene *g = ref->genes;
    snprintf(g[0].locus_tag, sizeof g[0].locus_tag, "RvA1");
    snprintf(g[0].symbol, sizeof g[0].symbol, "geneA");
    g[0].start = 101, g[0].end = 190, g[0].strand = 1, g[0].kind = TB_GENE_CODING;
    snprintf(g[1].locus_tag, sizeof g[1].locus_tag, "RvB2c");
    g[1].start = 301, g[1].end = 390, g[1].strand = -1, g[1].kind = TB_GENE_CODING;
    snprintf(g[2].locus_tag, sizeof g[2].locus_tag, "EBG1");
    snprintf(g[2].symbol, sizeof g[2].symbol, "rrx");
    g[2].start = 451, g[2].end = 550, g[2].strand = 1, g[2].kind = TB_GENE_RRNA;
    struct gs_err err = {0};
    if (tb_ref_index(ref, &err) != GS_OK) {
        printf("FAIL fixture index: %s\n", err.msg);
        exit(1);
    }
    return ref;
}

/* The base at pos (1-based) as a string, and a string with one base replaced. */
static const char *base_at(const struct tb_ref *ref, int64_t pos)
{
    static char b[8][2];
    static int k;
    k = (k + 1) % 8;
    b[k][0] = ref->seq[pos - 1];
    b[k][1] = '\0';
    return b[k];
}

/* How many names gene has in names; *first is the first one, *alts counts alternatives. */
static size_t gene_names(const struct tb_names *names, const char *gene, const char **first,
                         size_t *alts)
{
    size_t n = 0;
    *first = "";
    *alts = 0;
    for (size_t i = 0; i < names->n; i++)
        if (strcmp(names->items[i].gene->name, gene) == 0) {
            if (n++ == 0)
                *first = names->items[i].hgvs;
            *alts += names->items[i].alternative;
        }
    return n;
}

/* True when the edit gets name (primary or alternative) with effect for gene. */
static bool named(const struct tb_ref *ref, int64_t pos, const char *r, const char *a,
                  const char *gene, const char *name, enum tb_effect effect)
{
    struct tb_names names = {.alternatives = true};
    struct gs_err err = {0};
    bool ok = false;
    if (tb_name_edit(ref, pos, r, a, &names, &err) == GS_OK)
        for (size_t i = 0; i < names.n; i++) {
            const struct tb_name *n = &names.items[i];
            if (strcmp(n->gene->name, gene) == 0 && strcmp(n->hgvs, name) == 0 &&
                n->effect == effect)
                ok = true;
        }
    if (!ok) {
        printf("  names of %lld %s>%s:", (long long)pos, r, a);
        for (size_t i = 0; i < names.n; i++)
            printf(" %s:%s(%s)%s", names.items[i].gene->name, names.items[i].hgvs,
                   tb_effect_term(names.items[i].effect), names.items[i].alternative ? "*" : "");
        printf("%s%s\n", err.msg[0] ? " error: " : "", err.msg);
    }
    tb_names_free(&names);
    return ok;
}

static void test_contigs(void)
{
    struct gs_err err = {0};
    CHECK(&st, tb_contig_is_reference("NC_000962.3"), "contig: NC_000962.3 is H37Rv");
    CHECK(&st, tb_contig_is_reference("AL123456.3"), "contig: AL123456.3 is H37Rv");
    CHECK(&st, tb_contig_is_reference("Chromosome"), "contig: Chromosome is H37Rv");
    CHECK(&st, !tb_contig_is_reference("chr1") && !tb_contig_is_reference("NC_000962.2"),
          "contig: other names are not");
    CHECK(&st,
          tb_contig_check("NC_018143.2", "x.vcf", &err) == GS_EINVAL &&
              strstr(err.msg, "NC_018143.2") != NULL,
          "contig: refusal names the contig");
}

static void test_fixture_plus(const struct tb_ref *ref)
{
    /* codon 2 AGC at 104..106, codon 3 CAG at 107..109 */
    CHECK(&st, named(ref, 106, "C", "T", "geneA", "c.6C>T", TB_EFFECT_SYNONYMOUS),
          "plus: synonymous named at c. level");
    CHECK(&st, named(ref, 104, "A", "T", "geneA", "p.Ser2Cys", TB_EFFECT_MISSENSE),
          "plus: missense p.Ser2Cys");
    CHECK(&st, named(ref, 107, "C", "T", "geneA", "p.Gln3*", TB_EFFECT_STOP_GAINED),
          "plus: stop gained p.Gln3*");
    CHECK(&st, named(ref, 102, "T", "C", "geneA", "p.Met1?", TB_EFFECT_START_LOST),
          "plus: start lost p.Met1?");
    CHECK(&st, tb_effect_is_lof(TB_EFFECT_START_LOST) && !tb_effect_is_lof(TB_EFFECT_MISSENSE),
          "effects: start lost is loss of function, missense is not");
    CHECK(&st, named(ref, 101, "A", "G", "geneA", "p.Met1?", TB_EFFECT_INITIATOR_SYNONYMOUS),
          "plus: ATG>GTG keeps a start (initiator codon variant)");
    CHECK(&st, named(ref, 188, "T", "C", "geneA", "p.Ter30Glnext*?", TB_EFFECT_STOP_LOST),
          "plus: stop lost p.Ter30Glnext*?");
    /* MNV over codons 2 and 3: AGC CAG -> AGT TAG: c.6C>T (synonymous) and p.Gln3* */
    CHECK(&st,
          named(ref, 106, "CC", "TT", "geneA", "c.6C>T", TB_EFFECT_SYNONYMOUS) &&
              named(ref, 106, "CC", "TT", "geneA", "p.Gln3*", TB_EFFECT_STOP_GAINED),
          "plus: MNV named per codon");
    /* delete G of codon 4 GAT (c.10, pos 110), VCF-padded with pos 109 */
    char r[3] = {ref->seq[108], ref->seq[109], '\0'}, a[2] = {ref->seq[108], '\0'};
    CHECK(&st, named(ref, 109, r, a, "geneA", "p.Asp4fs", TB_EFFECT_FRAMESHIFT),
          "plus: one-base deletion is p.Asp4fs");
    /* delete codon 6 AAA (116..118) of AAA AAA: 3' rule puts it on codon 7 */
    CHECK(&st, named(ref, 115, "TAAA", "T", "geneA", "p.Lys7del", TB_EFFECT_INFRAME_DELETION),
          "plus: in-frame deletion shifted 3' (p.Lys7del)");
    CHECK(&st, named(ref, 115, "T", "TAAA", "geneA", "p.Lys7dup", TB_EFFECT_INFRAME_INSERTION),
          "plus: in-frame insertion of a repeated codon is p.Lys7dup");
    struct tb_names plain = {0}, all = {.alternatives = true};
    struct gs_err err = {0};
    size_t plain_a = 0, plain_alt = 0, all_a = 0, all_alt = 0;
    const char *first_plain = "", *first_all = "";
    if (tb_name_edit(ref, 115, "TAAA", "T", &plain, &err) == GS_OK)
        plain_a = gene_names(&plain, "geneA", &first_plain, &plain_alt);
    if (tb_name_edit(ref, 115, "TAAA", "T", &all, &err) == GS_OK)
        all_a = gene_names(&all, "geneA", &first_all, &all_alt);
    CHECK(&st,
          plain_a == 1 && plain_alt == 0 && strcmp(first_plain, "p.Lys7del") == 0 && all_a > 1 &&
              all_alt == all_a - 1 && strcmp(first_all, "p.Lys7del") == 0,
          "alternatives: only on request, after the canonical name");
    tb_names_free(&plain);
    tb_names_free(&all);
    /* promoter: pos 95 is c.-6 */
    char want[32];
    char alt = ref->seq[94] == 'G' ? 'A' : 'G';
    char alt_s[2] = {alt, '\0'};
    snprintf(want, sizeof want, "c.-6%c>%c", ref->seq[94], alt);
    CHECK(&st, named(ref, 95, base_at(ref, 95), alt_s, "geneA", want, TB_EFFECT_UPSTREAM),
          "plus: promoter c.-6 upstream_gene_variant");
}

static void test_fixture_minus(const struct tb_ref *ref)
{
    /* c.5 is genomic 386: TGG -> TAG (Trp2*), genomic C>T */
    CHECK(&st, ref->seq[385] == 'C', "minus: fixture has c.5 G at genomic 386");
    CHECK(&st, named(ref, 386, "C", "T", "RvB2c", "p.Trp2*", TB_EFFECT_STOP_GAINED),
          "minus: stop gained on the minus strand");
    CHECK(&st,
          ref->seq[388] == 'A' &&
              named(ref, 389, "A", "G", "RvB2c", "p.Met1?", TB_EFFECT_START_LOST),
          "minus: c.2 T>C (ATG>ACG) is start lost");
    /* c.9 G (codon 3 CAG) -> A: CAA synonymous, genomic 382 C>T */
    CHECK(&st, named(ref, 382, "C", "T", "RvB2c", "c.9G>A", TB_EFFECT_SYNONYMOUS),
          "minus: synonymous in gene orientation");
    /* c.-5 is genomic 395 */
    char want[32], alt = ref->seq[394] == 'A' ? 'C' : 'A';
    char alt_s[2] = {alt, '\0'};
    snprintf(want, sizeof want, "c.-5%c>%c", comp(ref->seq[394]), comp(alt));
    CHECK(&st, named(ref, 395, base_at(ref, 395), alt_s, "RvB2c", want, TB_EFFECT_UPSTREAM),
          "minus: promoter c.-5 complemented");
    /* delete c.10 (G of GAT) = genomic 381; VCF pads with 380 */
    char r[3] = {ref->seq[379], ref->seq[380], '\0'}, a[2] = {ref->seq[379], '\0'};
    CHECK(&st, named(ref, 380, r, a, "RvB2c", "p.Asp4fs", TB_EFFECT_FRAMESHIFT),
          "minus: frameshift p.Asp4fs");
}

static void test_fixture_rrna(const struct tb_ref *ref)
{
    char want[32], alt = ref->seq[459] == 'A' ? 'G' : 'A';
    char alt_s[2] = {alt, '\0'};
    snprintf(want, sizeof want, "n.10%c>%c", ref->seq[459], alt);
    CHECK(&st, named(ref, 460, base_at(ref, 460), alt_s, "rrx", want, TB_EFFECT_NONCODING),
          "rRNA: n. name, non_coding_transcript_exon_variant");
    struct tb_names names = {0};
    struct gs_err err = {0};
    CHECK(&st, tb_name_edit(ref, 460, "Q", "A", &names, &err) == GS_EINVAL,
          "input: REF that is not a base is refused");
    CHECK(&st,
          tb_name_edit(ref, 460, ref->seq[459] == 'A' ? "C" : "A", "G", &names, &err) == GS_EINVAL,
          "input: REF that does not match the reference is refused");
    CHECK(&st, tb_name_edit(ref, 599, "TAC", "T", &names, &err) == GS_EINVAL,
          "input: an edit past the end is refused");
    CHECK(&st,
          tb_name_edit(ref, 250, base_at(ref, 250), ref->seq[249] == 'A' ? "C" : "A", &names,
                       &err) == GS_OK,
          "input: an intergenic edit is accepted");
    bool only_up = true;
    for (size_t i = 0; i < names.n; i++)
        only_up &= names.items[i].effect == TB_EFFECT_UPSTREAM;
    CHECK(&st, only_up, "intergenic: only upstream names (RvB2c is 140 bases away)");
    tb_names_free(&names);
}

/* ---- the store ---- */

static void test_store(const struct tb_ref *ref)
{
    char path[] = "/tmp/gs-test-tb-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0)
        close(fd);
    unlink(path);
    struct store *s = NULL;
    struct gs_err err = {0};
    if (!CHECK(&st, store_open(path, &s, &err) == GS_OK, "store: open"))
        return;
    struct tb_ref *back = NULL;
    CHECK(&st,
          store_tb_reference_load(s, &back, &err) == GS_ENOTFOUND &&
              strstr(err.msg, "tb reference load") != NULL,
          "store: no reference yet says how to load one");
    gs_err_clear(&err);
    int rc = store_begin(s, &err);
    if (rc == GS_OK)
        rc = store_tb_reference_replace(s, ref, "fixture", &err);
    if (rc == GS_OK)
        rc = store_commit(s, &err);
    CHECK(&st, rc == GS_OK, "store: replace in a transaction");
    rc = store_tb_reference_load(s, &back, &err);
    CHECK(&st,
          rc == GS_OK && back->length == ref->length &&
              memcmp(back->seq, ref->seq, (size_t)ref->length) == 0 &&
              back->n_genes == ref->n_genes,
          "store: sequence and genes round-trip");
    if (back != NULL) {
        const struct tb_gene *g = tb_ref_gene_find(back, "RvB2c");
        CHECK(&st,
              g != NULL && g->strand == -1 && g->start == 301 && g->end == 390 &&
                  strcmp(g->name, "RvB2c") == 0,
              "store: a gene without symbol keeps strand, span and name");
        CHECK(&st, named(back, 386, "C", "T", "RvB2c", "p.Trp2*", TB_EFFECT_STOP_GAINED),
              "store: the loaded reference names like the original");
    }
    struct store_tb_reference_info info;
    CHECK(&st,
          store_tb_reference_info(s, &info, &err) == GS_OK && info.n_genes == 3 &&
              strstr(info.aliases, "Chromosome") != NULL,
          "store: info counts genes and lists aliases");
    tb_ref_free(back);
    store_close(s);
    unlink(path);
    char wal[600];
    snprintf(wal, sizeof wal, "%s-wal", path);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", path);
    unlink(wal);
}

/* ---- real data ---- */

struct sample {
    long seen, checked, agree;
};

static int sample_record(void *ctx, const struct tb_vcf_edit *e, const struct tb_names *names)
{
    struct sample *s = ctx;
    if (s->seen++ % 40 != 0 || names == NULL || e->info_value == NULL)
        return 0;
    /* the first graded name of the record */
    char graded[256];
    snprintf(graded, sizeof graded, "%.*s", (int)strcspn(e->info_value, "&"), e->info_value);
    char *us = strchr(graded, '_');
    if (us == NULL)
        return 0;
    *us = '\0';
    const char *hgvs = us + 1;
    s->checked++;
    for (size_t i = 0; i < names->n; i++) {
        const struct tb_name *n = &names->items[i];
        if (strcmp(n->gene->symbol, graded) != 0 && strcmp(n->gene->locus_tag, graded) != 0)
            continue;
        if (strcmp(hgvs, "LoF") == 0 ? tb_effect_is_lof(n->effect)
                                     : strcmp(n->hgvs, hgvs) == 0 || strcmp(n->nuc, hgvs) == 0) {
            s->agree++;
            break;
        }
    }
    return 0;
}

static void test_real(void)
{
    const char *data = getenv("GENOSHARE_DATA");
    char fasta[512], gff[512], bar[512], mask[512], who[512];
    snprintf(fasta, sizeof fasta, "%s/tb/NC_000962.3.fasta.gz", data ? data : "../shared/data");
    snprintf(gff, sizeof gff, "%s/tb/tbdb.genome.gff.gz", data ? data : "../shared/data");
    snprintf(bar, sizeof bar, "%s/tb/tbdb.barcode.bed", data ? data : "../shared/data");
    snprintf(mask, sizeof mask, "%s/tb/tbdb.mask.bed", data ? data : "../shared/data");
    snprintf(who, sizeof who, "%s/tb/who2023.genomic_coordinates.7May2024.vcf.gz",
             data ? data : "../shared/data");
    if (access(fasta, R_OK) != 0 || access(gff, R_OK) != 0 || access(who, R_OK) != 0) {
        printf("SKIP tb real data: no H37Rv files at %s\n", fasta);
        return;
    }
    struct tb_ref *ref = NULL;
    struct gs_err err = {0};
    if (!CHECK(&st, tb_ref_load_files(fasta, gff, bar, mask, &ref, &err) == GS_OK,
               "real: H37Rv FASTA + GFF + barcode + mask load")) {
        printf("  %s\n", err.msg);
        return;
    }
    CHECK(&st,
          ref->length == TB_REF_LENGTH && ref->n_genes > 4000 && ref->n_barcode == 1111 &&
              ref->n_mask > 2000,
          "real: 4,411,532 bases, >4000 genes, 1111 barcode markers, mask");
    const struct tb_gene *mmpr5 = tb_ref_gene_find(ref, "Rv0678");
    CHECK(&st, mmpr5 != NULL && strcmp(mmpr5->symbol, "mmpR5") == 0,
          "real: Rv0678 is found by locus tag and is mmpR5");
    const struct tb_gene *rrs = tb_ref_gene_find(ref, "rrs");
    CHECK(&st, rrs != NULL && rrs->kind == TB_GENE_RRNA, "real: rrs is an rRNA gene");
    CHECK(&st, tb_ref_masked(ref, ref->mask[0].start) && !tb_ref_masked(ref, 761155),
          "real: mask covers its first interval, not rpoB 761155");
    CHECK(&st, named(ref, 761155, "C", "T", "rpoB", "p.Ser450Leu", TB_EFFECT_MISSENSE),
          "real: rpoB p.Ser450Leu");
    CHECK(&st, named(ref, 2155168, "C", "G", "katG", "p.Ser315Thr", TB_EFFECT_MISSENSE),
          "real: katG p.Ser315Thr (minus strand)");
    CHECK(&st,
          named(ref, 1673425, "C", "T", "inhA", "c.-777C>T", TB_EFFECT_UPSTREAM) &&
              named(ref, 1673425, "C", "T", "fabG1", "c.-15C>T", TB_EFFECT_UPSTREAM),
          "real: 1673425 C>T is inhA c.-777C>T and fabG1 c.-15C>T");
    CHECK(&st, named(ref, 1473246, "A", "G", "rrs", "n.1401A>G", TB_EFFECT_NONCODING),
          "real: rrs n.1401A>G");
    CHECK(&st, named(ref, 2288868, "A", "C", "pncA", "p.Val125Gly", TB_EFFECT_MISSENSE),
          "real: pncA p.Val125Gly");
    CHECK(&st, named(ref, 4247429, "A", "G", "embB", "p.Met306Val", TB_EFFECT_MISSENSE),
          "real: embB p.Met306Val");
    CHECK(&st, named(ref, 4411221, "A", "G", "dnaA", "c.-312A>G", TB_EFFECT_UPSTREAM),
          "real: dnaA promoter across the origin (circular genome)");
    /* robustness: random edits around gene ends, the origin and the sequence end */
    unsigned seed = 12345;
    int failures = 0, malformed = 0;
    struct tb_names names = {0};
    char ra[64], aa[64];
    for (int i = 0; i < 10000 && failures == 0; i++) {
        seed = seed * 1103515245u + 12345u;
        const struct tb_gene *g = &ref->genes[(seed >> 8) % ref->n_genes];
        seed = seed * 1103515245u + 12345u;
        int64_t anchor = (seed & 1) ? g->start : g->end;
        if (i % 50 == 0)
            anchor = (seed & 2) ? 3 : ref->length - 60;
        int64_t pos = anchor - 30 + (int64_t)((seed >> 4) % 60);
        if (pos < 1)
            pos = 1;
        size_t rl = 1 + (seed >> 12) % 40, al = 1 + (seed >> 18) % 40;
        if (pos + (int64_t)rl - 1 > ref->length)
            rl = 1;
        memcpy(ra, ref->seq + pos - 1, rl);
        ra[rl] = '\0';
        aa[0] = ra[0]; /* VCF padding base */
        for (size_t k = 1; k < al; k++) {
            seed = seed * 1103515245u + 12345u;
            aa[k] = "ACGT"[(seed >> 16) & 3];
        }
        aa[al] = '\0';
        if (tb_name_edit(ref, pos, ra, aa, &names, &err) != GS_OK) {
            failures++;
            printf("  %lld %s>%s: %s\n", (long long)pos, ra, aa, err.msg);
        }
        for (size_t k = 0; k < names.n; k++) {
            const char *h = names.items[k].hgvs;
            if (strncmp(h, "c.", 2) != 0 && strncmp(h, "n.", 2) != 0 && strncmp(h, "p.", 2) != 0) {
                if (malformed++ < 3)
                    printf("  %lld %s>%s: name '%s'\n", (long long)pos, ra, aa, h);
            }
        }
    }
    tb_names_free(&names);
    CHECK(&st, failures == 0 && malformed == 0,
          "real: 10,000 random edits at gene ends, the origin and the end are all named");
    struct sample s = {0};
    int rc = tb_vcf_name_each(ref, who, "graded_variant", true, sample_record, &s, &err);
    CHECK(&st, rc == GS_OK && s.checked > 2500 && (double)s.agree >= 0.995 * (double)s.checked,
          "real: WHO genomic coordinates, every 40th record: %ld of %ld agree", s.agree, s.checked);
    tb_ref_free(ref);
}

int main(void)
{
    test_contigs();
    struct tb_ref *ref = fixture();
    test_fixture_plus(ref);
    test_fixture_minus(ref);
    test_fixture_rrna(ref);
    test_store(ref);
    tb_ref_free(ref);
    test_real();
    return check_finish(&st);
}
