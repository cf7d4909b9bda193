/* naming.c — VCF edits to WHO/tbdb-style HGVS names and effect terms (see naming.h for the
 * house style). Everything is computed in the gene's own orientation: an edit is mapped to
 * gene coordinates (c = 1 at the gene's first base, counting along its strand), shifted
 * 3' there (HGVS rule), then named at nucleotide level (c./n.) or protein level (p.).
 * Alternative spellings of one change that the catalogue may use (per-base c. names and a
 * combined delins for a synonymous MNV) are all emitted. */
#include "tb/naming.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BASES_SHOWN_MAX 100  /* WHO writes deleted bases up to ~100, "del" alone beyond */
#define PROTEIN_WINDOW 1200  /* amino acids compared for an in-frame indel */
#define SHIFT_MAX 100000

/* ---- effect terms ---- */

const char *tb_effect_term(enum tb_effect effect)
{
    switch (effect) {
    case TB_EFFECT_MISSENSE: return "missense_variant";
    case TB_EFFECT_SYNONYMOUS: return "synonymous_variant";
    case TB_EFFECT_STOP_GAINED: return "stop_gained";
    case TB_EFFECT_STOP_LOST: return "stop_lost";
    case TB_EFFECT_STOP_RETAINED: return "stop_retained_variant";
    case TB_EFFECT_START_LOST: return "start_lost";
    case TB_EFFECT_INITIATOR_SYNONYMOUS: return "initiator_codon_variant";
    case TB_EFFECT_FRAMESHIFT: return "frameshift_variant";
    case TB_EFFECT_INFRAME_INSERTION: return "inframe_insertion";
    case TB_EFFECT_INFRAME_DELETION: return "inframe_deletion";
    case TB_EFFECT_UPSTREAM: return "upstream_gene_variant";
    case TB_EFFECT_NONCODING: return "non_coding_transcript_exon_variant";
    case TB_EFFECT_FEATURE_ABLATION: return "feature_ablation";
    }
    return "sequence_variant";
}

bool tb_effect_is_lof(enum tb_effect effect)
{
    return effect == TB_EFFECT_FRAMESHIFT || effect == TB_EFFECT_STOP_GAINED ||
           effect == TB_EFFECT_START_LOST || effect == TB_EFFECT_FEATURE_ABLATION;
}

/* ---- genetic code (table 11 = standard amino acids; starts handled at codon 1) ---- */

static int base_index(char b)
{
    switch (b) {
    case 'A': return 0;
    case 'C': return 1;
    case 'G': return 2;
    case 'T': return 3;
    default: return -1;
    }
}

static char codon_aa1(const char c[3])
{
    static const char code[] = "KNKNTTTTRSRSIIMIQHQHPPPPRRRRLLLLEDEDAAAAGGGGVVVV*Y*YSSSS*CWCLFLF";
    int a = base_index(c[0]), b = base_index(c[1]), d = base_index(c[2]);
    if (a < 0 || b < 0 || d < 0)
        return 'X';
    return code[a * 16 + b * 4 + d];
}

static const char *aa3(char aa)
{
    static const char one[] = "ARNDCQEGHILKMFPSTWYV*";
    static const char *const three[] = {"Ala", "Arg", "Asn", "Asp", "Cys", "Gln", "Glu",
                                        "Gly", "His", "Ile", "Leu", "Lys", "Met", "Phe",
                                        "Pro", "Ser", "Thr", "Trp", "Tyr", "Val", "Ter"};
    const char *p = strchr(one, aa);
    return (p != NULL && aa != '\0') ? three[p - one] : "Xaa";
}

const char *tb_codon_aa3(const char codon[3])
{
    return aa3(codon_aa1(codon));
}

static bool is_start_codon(const char c[3])
{
    return (c[0] == 'A' || c[0] == 'G' || c[0] == 'T') && c[1] == 'T' && c[2] == 'G';
}

static char complement(char b)
{
    switch (b) {
    case 'A': return 'T';
    case 'C': return 'G';
    case 'G': return 'C';
    case 'T': return 'A';
    default: return 'N';
    }
}

/* ---- an edit in a gene's orientation ---- */

struct gedit {
    const struct tb_ref *ref;
    const struct tb_gene *g;
    int64_t len;          /* gene length */
    int64_t c;            /* first removed gene coordinate, or the one after an insertion */
    int64_t dlen;         /* removed: c .. c + dlen - 1 */
    const char *alt;      /* inserted bases, genomic orientation … */
    int64_t ilen;
    int64_t grot;         /* … read from offset grot (left-alignment rotates them) */
    int64_t rot;          /* insertion rotated by 3' shifting in the gene */
};

static char ref_base(const struct gedit *e, int64_t c)
{
    const struct tb_gene *g = e->g;
    int64_t x = g->strand > 0 ? g->start + c - 1 : g->end - c + 1;
    if (x < 1) /* the chromosome is circular: dnaA's promoter is at its end */
        x += e->ref->length;
    else if (x > e->ref->length)
        x -= e->ref->length;
    if (x < 1 || x > e->ref->length)
        return 'N';
    char b = e->ref->seq[x - 1];
    return g->strand > 0 ? b : complement(b);
}

static char ins_base(const struct gedit *e, int64_t k)
{
    k = (k + e->rot) % e->ilen;
    int64_t j = e->g->strand > 0 ? k : e->ilen - 1 - k; /* genomic index */
    char b = e->alt[(j + e->grot) % e->ilen];
    return e->g->strand > 0 ? b : complement(b);
}

/* Base at coordinate c of the edited gene (same numbering before the edit). */
static char alt_base(const struct gedit *e, int64_t c)
{
    if (c < e->c)
        return ref_base(e, c);
    if (c < e->c + e->ilen)
        return ins_base(e, c - e->c);
    return ref_base(e, c - e->ilen + e->dlen);
}

/* HGVS 3' rule in the gene's direction, for pure insertions and deletions; an edit that
 * starts inside the gene is not shifted out of it (WHO names dnaA p.Glu486fs, not a
 * change after the gene). */
static void shift_3prime(struct gedit *e)
{
    bool inside = e->c >= 1 && e->c <= e->len;
    for (int64_t n = 0; n < SHIFT_MAX; n++) {
        if (inside && e->c + (e->dlen > 0 ? e->dlen : 1) > e->len)
            return;
        if (e->ilen == 0 && e->dlen > 0) {
            char a = ref_base(e, e->c), b = ref_base(e, e->c + e->dlen);
            if (a == 'N' || a != b)
                return;
        } else if (e->dlen == 0 && e->ilen > 0) {
            char a = ref_base(e, e->c), b = ins_base(e, 0);
            if (a == 'N' || a != b)
                return;
            e->rot = (e->rot + 1) % e->ilen;
        } else
            return;
        e->c++;
    }
}

/* ---- text ---- */

struct text {
    char *s;
    size_t cap, n;
};

__attribute__((format(printf, 2, 3))) static void put(struct text *t, const char *fmt, ...)
{
    if (t->n >= t->cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(t->s + t->n, t->cap - t->n, fmt, ap);
    va_end(ap);
    if (k > 0)
        t->n = t->n + (size_t)k < t->cap ? t->n + (size_t)k : t->cap - 1;
}

static void put_coord(struct text *t, const struct gedit *e, int64_t c)
{
    if (c <= 0)
        put(t, "-%lld", (long long)(1 - c));
    else if (c > e->len)
        put(t, "*%lld", (long long)(c - e->len));
    else
        put(t, "%lld", (long long)c);
}

static void put_span(struct text *t, const struct gedit *e, int64_t a, int64_t b)
{
    put_coord(t, e, a);
    if (b != a) {
        put(t, "_");
        put_coord(t, e, b);
    }
}

static void put_ref_bases(struct text *t, const struct gedit *e, int64_t c, int64_t n)
{
    for (int64_t k = 0; k < n && t->n + 1 < t->cap; k++)
        put(t, "%c", ref_base(e, c + k));
}

static void put_ins_bases(struct text *t, const struct gedit *e)
{
    if (e->ilen > BASES_SHOWN_MAX) {
        put(t, "%lld", (long long)e->ilen);
        return;
    }
    for (int64_t k = 0; k < e->ilen; k++)
        put(t, "%c", ins_base(e, k));
}

/* The nucleotide-level name of the whole edit: "c.-777C>T", "n.81_82dupCT", … */
static void nuc_name_as(const struct gedit *e, bool allow_dup, char *out, size_t cap)
{
    struct text t = {out, cap, 0};
    out[0] = '\0';
    put(&t, "%s", e->g->kind == TB_GENE_CODING ? "c." : "n.");
    if (e->dlen == 1 && e->ilen == 1) {
        put_coord(&t, e, e->c);
        put(&t, "%c>%c", ref_base(e, e->c), ins_base(e, 0));
    } else if (e->ilen == 0) {
        put_span(&t, e, e->c, e->c + e->dlen - 1);
        put(&t, "del");
        if (e->dlen <= BASES_SHOWN_MAX)
            put_ref_bases(&t, e, e->c, e->dlen);
    } else if (e->dlen == 0) {
        bool dup = allow_dup;
        for (int64_t k = 0; dup && k < e->ilen; k++)
            dup = ref_base(e, e->c - e->ilen + k) == ins_base(e, k);
        if (dup) {
            put_span(&t, e, e->c - e->ilen, e->c - 1);
            put(&t, "dup");
        } else {
            put_span(&t, e, e->c - 1, e->c);
            put(&t, "ins");
        }
        put_ins_bases(&t, e);
    } else {
        put_span(&t, e, e->c, e->c + e->dlen - 1);
        put(&t, "del");
        if (e->dlen <= BASES_SHOWN_MAX)
            put_ref_bases(&t, e, e->c, e->dlen);
        put(&t, "ins");
        put_ins_bases(&t, e);
    }
}

static void nuc_name(const struct gedit *e, char *out, size_t cap)
{
    nuc_name_as(e, true, out, cap);
}

/* ---- output ---- */

static int push_as(struct tb_names *out, const struct tb_gene *g, const char *hgvs,
                   const char *nuc, enum tb_effect effect, bool alternative,
                   struct gs_err *err)
{
    for (size_t i = 0; i < out->n; i++) /* the same spelling twice adds nothing */
        if (out->items[i].gene == g && strcmp(out->items[i].hgvs, hgvs) == 0)
            return GS_OK;
    if (out->n == out->cap) {
        size_t ncap = out->cap ? out->cap * 2 : 8;
        struct tb_name *p = realloc(out->items, ncap * sizeof *p);
        if (p == NULL)
            return gs_err_set(err, GS_ENOMEM, "no memory for variant names");
        out->items = p;
        out->cap = ncap;
    }
    struct tb_name *n = &out->items[out->n++];
    n->gene = g;
    snprintf(n->hgvs, sizeof n->hgvs, "%s", hgvs);
    snprintf(n->nuc, sizeof n->nuc, "%s", nuc);
    n->effect = effect;
    n->alternative = alternative;
    return GS_OK;
}

static int push(struct tb_names *out, const struct tb_gene *g, const char *hgvs,
                const char *nuc, enum tb_effect effect, struct gs_err *err)
{
    return push_as(out, g, hgvs, nuc, effect, false, err);
}

/* The nucleotide spellings WHO also uses for an indel: where the left-aligned VCF puts
 * it, with "ins" where HGVS says "dup". */
static int push_spellings(const struct gedit *e, const struct gedit *left, enum tb_effect eff,
                          struct tb_names *out, struct gs_err *err)
{
    char nuc[TB_NAME_MAX];
    nuc_name(e, nuc, sizeof nuc);
    int rc = push(out, e->g, nuc, nuc, eff, err);
    if (e->dlen == e->ilen)
        return rc;
    const struct gedit *forms[2] = {e, left};
    for (int f = 0; f < 2 && rc == GS_OK; f++)
        for (int d = 1; d >= 0 && rc == GS_OK; d--) {
            nuc_name_as(forms[f], d == 1, nuc, sizeof nuc);
            rc = push_as(out, e->g, nuc, nuc, eff, true, err);
        }
    return rc;
}

/* ---- coding substitutions: one name per codon ---- */

static int name_coding_substitution(const struct gedit *e, struct tb_names *out,
                                    struct gs_err *err)
{
    char hgvs[TB_NAME_MAX], nuc[TB_NAME_MAX];
    int64_t first = e->c, last = e->c + e->dlen - 1;
    if (first < 1)
        first = 1;
    if (last > e->len)
        last = e->len;
    bool all_synonymous = true;
    int64_t n_changed = 0;
    int rc = GS_OK;
    for (int64_t k = (first - 1) / 3 + 1; k <= (last - 1) / 3 + 1 && rc == GS_OK; k++) {
        int64_t c0 = 3 * k - 2;
        char rcod[3], acod[3];
        int64_t lo = 0, hi = -1; /* changed bases within the codon */
        for (int j = 0; j < 3; j++) {
            rcod[j] = ref_base(e, c0 + j);
            acod[j] = alt_base(e, c0 + j);
            if (rcod[j] != acod[j]) {
                if (hi < 0)
                    lo = j;
                hi = j;
            }
        }
        if (hi < 0)
            continue;
        struct gedit part = *e; /* the codon's own changes, for its c. spelling */
        part.c = c0 + lo;
        part.dlen = hi - lo + 1;
        part.ilen = hi - lo + 1;
        char abuf[3];
        for (int64_t j = lo; j <= hi; j++) /* genomic orientation for ins_base */
            abuf[e->g->strand > 0 ? j - lo : hi - j] =
                e->g->strand > 0 ? acod[j] : complement(acod[j]);
        part.alt = abuf;
        part.rot = 0;
        part.grot = 0;
        nuc_name(&part, nuc, sizeof nuc);
        char ra = k == 1 ? 'M' : codon_aa1(rcod), aa = codon_aa1(acod);
        enum tb_effect eff;
        if (k == 1) {
            snprintf(hgvs, sizeof hgvs, "p.Met1?");
            eff = is_start_codon(acod) ? TB_EFFECT_INITIATOR_SYNONYMOUS : TB_EFFECT_START_LOST;
        } else if (ra == aa) {
            n_changed += (rcod[0] != acod[0]) + (rcod[1] != acod[1]) + (rcod[2] != acod[2]);
            eff = ra == '*' ? TB_EFFECT_STOP_RETAINED : TB_EFFECT_SYNONYMOUS;
            for (int j = 0; j < 3 && rc == GS_OK; j++) /* WHO: one c. name per base */
                if (rcod[j] != acod[j]) {
                    snprintf(hgvs, sizeof hgvs, "c.%lld%c>%c", (long long)(c0 + j), rcod[j],
                             acod[j]);
                    rc = push(out, e->g, hgvs, hgvs, eff, err);
                }
            continue;
        } else if (ra == '*') {
            snprintf(hgvs, sizeof hgvs, "p.Ter%lld%sext*?", (long long)k, aa3(aa));
            eff = TB_EFFECT_STOP_LOST;
        } else if (aa == '*') {
            snprintf(hgvs, sizeof hgvs, "p.%s%lld*", aa3(ra), (long long)k);
            eff = TB_EFFECT_STOP_GAINED;
        } else {
            snprintf(hgvs, sizeof hgvs, "p.%s%lld%s", aa3(ra), (long long)k, aa3(aa));
            eff = TB_EFFECT_MISSENSE;
        }
        all_synonymous = false;
        rc = push(out, e->g, hgvs, nuc, eff, err);
    }
    if (rc == GS_OK && all_synonymous && n_changed > 1) { /* and the MNV as one delins */
        nuc_name(e, nuc, sizeof nuc);
        rc = push(out, e->g, nuc, nuc, TB_EFFECT_SYNONYMOUS, err);
    }
    return rc;
}

/* ---- coding indels ---- */

static void codon_at(const struct gedit *e, bool alt, int64_t k, char cod[3])
{
    for (int j = 0; j < 3; j++)
        cod[j] = alt ? alt_base(e, 3 * k - 2 + j) : ref_base(e, 3 * k - 2 + j);
}

static int name_frameshift(const struct gedit *e, struct tb_names *out, struct gs_err *err)
{
    int64_t ncodons = e->len / 3;
    int64_t k0 = (e->c - 1) / 3 + 1, k = k0;
    if (k0 == 1) { /* the start codon itself changes: HGVS p.Met1? */
        char r1[3], a1[3];
        codon_at(e, false, 1, r1);
        codon_at(e, true, 1, a1);
        if (memcmp(r1, a1, 3) != 0)
            k = 1, k0 = 1, ncodons = 0;
    }
    for (; k <= ncodons; k++) {
        char r[3], a[3];
        codon_at(e, false, k, r);
        codon_at(e, true, k, a);
        if (codon_aa1(r) != codon_aa1(a))
            break;
    }
    if (k > ncodons)
        k = k0;
    char hgvs[TB_NAME_MAX], nuc[TB_NAME_MAX], r[3];
    codon_at(e, false, k, r);
    nuc_name(e, nuc, sizeof nuc);
    if (k == 1) {
        snprintf(hgvs, sizeof hgvs, "p.Met1?");
        return push(out, e->g, hgvs, nuc, TB_EFFECT_START_LOST, err);
    }
    if (codon_aa1(r) == '*') { /* the stop codon is the first change: the protein runs on */
        char a[3];
        codon_at(e, true, k, a);
        snprintf(hgvs, sizeof hgvs, "p.Ter%lld%sext*?", (long long)k, aa3(codon_aa1(a)));
        return push(out, e->g, hgvs, nuc, TB_EFFECT_STOP_LOST, err);
    }
    snprintf(hgvs, sizeof hgvs, "p.%s%lldfs", aa3(codon_aa1(r)), (long long)k);
    return push(out, e->g, hgvs, nuc, TB_EFFECT_FRAMESHIFT, err);
}

static void put_aas(struct text *t, const char *aas, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put(t, "%s", aa3(aas[i]));
}

static int name_inframe(const struct gedit *e, struct tb_names *out, struct gs_err *err)
{
    char nuc[TB_NAME_MAX], hgvs[TB_NAME_MAX];
    nuc_name(e, nuc, sizeof nuc);
    enum tb_effect eff = e->ilen > e->dlen ? TB_EFFECT_INFRAME_INSERTION
                                           : TB_EFFECT_INFRAME_DELETION;
    int64_t ncodons = e->len / 3;
    int64_t k_first = (e->c - 1) / 3 + 1;
    int64_t k_last = (e->c + (e->dlen > 0 ? e->dlen - 1 : 0) - 1) / 3 + 1;
    int64_t kl = k_first - e->ilen / 3 - 2;
    if (kl < 1)
        kl = 1;
    int64_t kr = k_last + e->ilen / 3 + 30;
    if (kr > ncodons)
        kr = ncodons;
    int64_t diff = (e->ilen - e->dlen) / 3;
    int64_t nr = kr - kl + 1, na = nr + diff;
    if (nr > PROTEIN_WINDOW || na > PROTEIN_WINDOW || na < 0 || nr < 1)
        return push(out, e->g, nuc, nuc, eff, err); /* too long to spell at protein level */
    char rp[PROTEIN_WINDOW], ap[PROTEIN_WINDOW];
    for (int64_t i = 0; i < nr; i++) {
        char cod[3];
        codon_at(e, false, kl + i, cod);
        rp[i] = kl + i == 1 ? 'M' : codon_aa1(cod);
    }
    for (int64_t i = 0; i < na; i++) {
        char cod[3];
        codon_at(e, true, kl + i, cod);
        ap[i] = codon_aa1(cod);
        if (kl + i == 1 && memcmp(cod, "ATG", 3) == 0)
            ap[i] = 'M';
        if (kl + i == 1) {
            char rc1[3];
            codon_at(e, false, 1, rc1);
            if (memcmp(cod, rc1, 3) == 0)
                ap[i] = 'M';
        }
    }
    int64_t p = 0, s = 0;
    while (p < nr && p < na && rp[p] == ap[p])
        p++;
    while (s < nr - p && s < na - p && rp[nr - 1 - s] == ap[na - 1 - s])
        s++;
    int64_t dr = nr - p - s, da = na - p - s, pos = kl + p; /* first changed aa */
    struct text t = {hgvs, sizeof hgvs, 0};
    hgvs[0] = '\0';
    if (dr == 0 && da == 0)
        return push(out, e->g, nuc, nuc, TB_EFFECT_SYNONYMOUS, err);
    if (pos == 1 && dr > 0) {
        snprintf(hgvs, sizeof hgvs, "p.Met1?");
        return push(out, e->g, hgvs, nuc, TB_EFFECT_START_LOST, err);
    }
    const char *ins = ap + p;
    size_t stop = 0; /* an inserted stop ends the protein */
    while ((int64_t)stop < da && ins[stop] != '*')
        stop++;
    if ((int64_t)stop < da) {
        snprintf(hgvs, sizeof hgvs, "p.%s%lld*", aa3(rp[p]), (long long)pos);
        if (dr > 0 || stop > 0) {
            t.n = 0;
            put(&t, "p.%s%lld", aa3(rp[p]), (long long)pos);
            if (dr > 1)
                put(&t, "_%s%lld", aa3(rp[p + dr - 1]), (long long)(pos + dr - 1));
            put(&t, "delins");
            put_aas(&t, ins, stop + 1);
            if (stop == 0 && dr == 1)
                snprintf(hgvs, sizeof hgvs, "p.%s%lld*", aa3(rp[p]), (long long)pos);
        }
        return push(out, e->g, hgvs, nuc, TB_EFFECT_STOP_GAINED, err);
    }
    if (dr > 0 && memchr(rp + p, '*', (size_t)dr) != NULL)
        eff = TB_EFFECT_STOP_LOST;
    if (dr == 0) {
        bool dup = pos - da >= kl;
        for (int64_t i = 0; dup && i < da; i++)
            dup = rp[p - da + i] == ins[i];
        if (dup) {
            put(&t, "p.%s%lld", aa3(rp[p - da]), (long long)(pos - da));
            if (da > 1)
                put(&t, "_%s%lld", aa3(rp[p - 1]), (long long)(pos - 1));
            put(&t, "dup");
        } else if (p == 0 || p >= nr) {
            return push(out, e->g, nuc, nuc, eff, err);
        } else {
            put(&t, "p.%s%lld_%s%lld", aa3(rp[p - 1]), (long long)(pos - 1), aa3(rp[p]),
                (long long)pos);
            put(&t, "ins");
            put_aas(&t, ins, (size_t)da);
        }
    } else {
        put(&t, "p.%s%lld", aa3(rp[p]), (long long)pos);
        if (dr > 1)
            put(&t, "_%s%lld", aa3(rp[p + dr - 1]), (long long)(pos + dr - 1));
        if (da == 0)
            put(&t, "del");
        else {
            put(&t, "delins");
            put_aas(&t, ins, (size_t)da);
        }
        if (dr == 1 && da == 1)
            eff = TB_EFFECT_MISSENSE;
    }
    return push(out, e->g, hgvs, nuc, eff, err);
}

/* ---- one gene ---- */

struct name_ctx {
    const struct tb_ref *ref;
    int64_t pos;             /* trimmed, left-aligned edit, genomic (may be shifted by the
                                genome length to name across the origin) */
    int64_t rlen;
    const char *alt;
    int64_t alen, grot;
    struct tb_names *out;
    struct gs_err *err;
};

/* Per-base names of an equal-length change outside a CDS (WHO grades promoter and rRNA
 * MNVs base by base as well as whole). */
static int push_bases(const struct gedit *e, enum tb_effect eff, struct tb_names *out,
                      struct gs_err *err)
{
    int rc = GS_OK;
    char nuc[TB_NAME_MAX];
    for (int64_t k = 0; k < e->dlen && rc == GS_OK; k++) {
        if (ref_base(e, e->c + k) == ins_base(e, k))
            continue;
        struct text t = {nuc, sizeof nuc, 0};
        put(&t, "%s", e->g->kind == TB_GENE_CODING ? "c." : "n.");
        put_coord(&t, e, e->c + k);
        put(&t, "%c>%c", ref_base(e, e->c + k), ins_base(e, k));
        rc = push_as(out, e->g, nuc, nuc, eff, true, err);
    }
    return rc;
}

/* An edit reaching the stop codon: it starts in the stop codon (stop lost, the protein
 * runs on) or removes coding bases with it (the 3' end of the gene is gone: WHO counts it
 * as loss of function). */
static int name_over_stop(const struct gedit *e, struct tb_names *out, struct gs_err *err)
{
    char nuc[TB_NAME_MAX], hgvs[TB_NAME_MAX];
    int64_t n = e->len / 3;
    nuc_name(e, nuc, sizeof nuc);
    if (e->c > e->len - 3) {
        char cod[3];
        codon_at(e, true, n, cod);
        if (codon_aa1(cod) == '*') /* the stop survives */
            return push(out, e->g, nuc, nuc, TB_EFFECT_STOP_RETAINED, err);
        snprintf(hgvs, sizeof hgvs, "p.Ter%lld%sext*?", (long long)n, aa3(codon_aa1(cod)));
        return push(out, e->g, hgvs, nuc, TB_EFFECT_STOP_LOST, err);
    }
    int64_t k = (e->c - 1) / 3 + 1;
    char cod[3];
    codon_at(e, false, k, cod);
    snprintf(hgvs, sizeof hgvs, "p.%s%lld_Ter%lld%s", aa3(codon_aa1(cod)), (long long)k,
             (long long)n, e->ilen == 0 ? "del" : "delins");
    int rc = push(out, e->g, hgvs, nuc, TB_EFFECT_FEATURE_ABLATION, err);
    if (rc == GS_OK)
        rc = push(out, e->g, nuc, nuc, TB_EFFECT_FEATURE_ABLATION, err);
    return rc;
}

static int name_in_gene(void *vctx, const struct tb_gene *g)
{
    struct name_ctx *x = vctx;
    struct gedit left = {.ref = x->ref, .g = g, .len = g->end - g->start + 1,
                         .dlen = x->rlen, .alt = x->alt, .ilen = x->alen, .grot = x->grot};
    left.c = g->strand > 0 ? x->pos - g->start + 1 : g->end - x->pos - x->rlen + 2;
    struct gedit e = left; /* the HGVS (3'-shifted) form */
    if (e.dlen != e.ilen)
        shift_3prime(&e);
    int64_t last = e.c + e.dlen - 1; /* last removed; for an insertion, the base before */
    if (e.c > e.len || (e.dlen == 0 && e.c - 1 >= e.len))
        return GS_OK; /* downstream of the gene */
    char nuc[TB_NAME_MAX];
    bool coding = g->kind == TB_GENE_CODING;
    bool upstream = e.dlen > 0 ? last <= 0 : e.c <= 1;
    if (coding && e.dlen == 0 && e.c == 1) { /* inserted right before the start codon */
        nuc_name(&e, nuc, sizeof nuc);
        return push(x->out, g, "p.Met1?", nuc, TB_EFFECT_START_LOST, x->err);
    }
    if (upstream) {
        /* WHO spells promoter indels where the (left-aligned) VCF puts them: no 3' shift */
        int64_t distance = e.dlen > 0 ? 1 - last : 1 - e.c; /* nearest base, 1 = c.-1 */
        if (distance > TB_UPSTREAM_MAX)
            return GS_OK;
        int rc = push_spellings(&left, &e, TB_EFFECT_UPSTREAM, x->out, x->err);
        if (rc == GS_OK && e.dlen == e.ilen && e.dlen > 1)
            rc = push_bases(&e, TB_EFFECT_UPSTREAM, x->out, x->err);
        return rc;
    }
    if (e.dlen > 0 && e.c <= 1 && last >= e.len) {
        nuc_name(&e, nuc, sizeof nuc);
        return push(x->out, g, nuc, nuc, TB_EFFECT_FEATURE_ABLATION, x->err);
    }
    if (!coding) {
        int rc = push_spellings(&e, &left, TB_EFFECT_NONCODING, x->out, x->err);
        if (rc == GS_OK && e.dlen == e.ilen && e.dlen > 1)
            rc = push_bases(&e, TB_EFFECT_NONCODING, x->out, x->err);
        return rc;
    }
    bool hits_start = (e.dlen > 0 && e.c <= 3) || (left.dlen > 0 && left.c <= 3 && left.c + left.dlen - 1 >= 1);
    if (hits_start && e.dlen != e.ilen) { /* WHO: an indel over the start codon loses it */
        nuc_name(&e, nuc, sizeof nuc);
        return push(x->out, g, "p.Met1?", nuc, TB_EFFECT_START_LOST, x->err);
    }
    if (e.dlen == e.ilen)
        return name_coding_substitution(&e, x->out, x->err);
    if (e.dlen > 0 && last > e.len - 3 && (e.ilen - e.dlen) % 3 == 0)
        return name_over_stop(&e, x->out, x->err);
    if ((e.ilen - e.dlen) % 3 != 0)
        return name_frameshift(&e, x->out, x->err);
    return name_inframe(&e, x->out, x->err);
}

/* ---- entry ---- */

static bool valid_allele(const char *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != 'A' && a[i] != 'C' && a[i] != 'G' && a[i] != 'T' && a[i] != 'N')
            return false;
    return true;
}

/* Moves a pure insertion or deletion as far left on the genome as it goes (VCF
 * normalisation), so names do not depend on how the caller aligned it. */
static void left_align(struct name_ctx *x)
{
    const char *seq = x->ref->seq;
    for (int64_t n = 0; n < SHIFT_MAX && x->pos > 1; n++) {
        if (x->alen == 0 && x->rlen > 0) {
            char a = seq[x->pos - 2], b = seq[x->pos + x->rlen - 2];
            if (a == 'N' || a != b)
                return;
        } else if (x->rlen == 0 && x->alen > 0) {
            char a = seq[x->pos - 2], b = x->alt[(x->alen - 1 + x->grot) % x->alen];
            if (a == 'N' || a != b)
                return;
            x->grot = (x->grot + x->alen - 1) % x->alen;
        } else
            return;
        x->pos--;
    }
}

int tb_name_edit(const struct tb_ref *ref, int64_t pos, const char *ref_allele,
                 const char *alt_allele, struct tb_names *out, struct gs_err *err)
{
    out->n = 0;
    size_t rlen = strlen(ref_allele), alen = strlen(alt_allele);
    if (rlen == 0 || alen == 0 || rlen > TB_ALLELE_MAX || alen > TB_ALLELE_MAX)
        return gs_err_set(err, GS_EINVAL, "position %lld: alleles must have 1 to %d bases",
                          (long long)pos, TB_ALLELE_MAX);
    if (!valid_allele(ref_allele, rlen) || !valid_allele(alt_allele, alen))
        return gs_err_set(err, GS_EINVAL,
                          "position %lld: alleles '%.20s' > '%.20s' are not A/C/G/T/N bases "
                          "(symbolic alleles are not named)",
                          (long long)pos, ref_allele, alt_allele);
    if (pos < 1 || pos + (int64_t)rlen - 1 > ref->length)
        return gs_err_set(err, GS_EINVAL, "position %lld: outside the reference (1..%lld)",
                          (long long)pos, (long long)ref->length);
    if (memcmp(ref->seq + pos - 1, ref_allele, rlen) != 0)
        return gs_err_set(err, GS_EINVAL,
                          "position %lld: REF '%.20s' does not match the reference ('%.*s')",
                          (long long)pos, ref_allele, (int)(rlen < 20 ? rlen : 20),
                          ref->seq + pos - 1);
    /* trim the shared prefix (VCF padding) then the shared suffix */
    size_t pre = 0;
    while (pre < rlen && pre < alen && ref_allele[pre] == alt_allele[pre])
        pre++;
    size_t suf = 0;
    while (suf < rlen - pre && suf < alen - pre &&
           ref_allele[rlen - 1 - suf] == alt_allele[alen - 1 - suf])
        suf++;
    struct name_ctx x = {.ref = ref, .pos = pos + (int64_t)pre,
                         .rlen = (int64_t)(rlen - pre - suf), .alt = alt_allele + pre,
                         .alen = (int64_t)(alen - pre - suf), .out = out, .err = err};
    if (x.rlen == 0 && x.alen == 0)
        return GS_OK; /* no change */
    left_align(&x);
    /* genes are looked up over the span the edit covers whichever way it is shifted */
    int64_t lo = x.pos - 1, hi = x.pos + (x.rlen > 0 ? x.rlen - 1 : 0);
    if (x.rlen != x.alen) {
        struct tb_gene whole = {.start = 1, .end = ref->length, .strand = 1};
        struct gedit e = {.ref = ref, .g = &whole, .len = ref->length, .dlen = x.rlen,
                          .alt = x.alt, .ilen = x.alen, .grot = x.grot, .c = x.pos};
        shift_3prime(&e);
        if (e.c + e.dlen > hi)
            hi = e.c + e.dlen;
    }
    int rc = tb_ref_genes_near(ref, lo, hi, name_in_gene, &x);
    /* the chromosome is circular: genes at one end have their promoters at the other */
    if (rc == 0 && hi > ref->length - TB_UPSTREAM_MAX) {
        x.pos -= ref->length;
        rc = tb_ref_genes_near(ref, 1, TB_UPSTREAM_MAX, name_in_gene, &x);
        x.pos += ref->length;
    }
    if (rc == 0 && lo < TB_UPSTREAM_MAX) {
        x.pos += ref->length;
        rc = tb_ref_genes_near(ref, ref->length - TB_UPSTREAM_MAX, ref->length, name_in_gene,
                               &x);
    }
    return rc == 0 ? GS_OK : rc;
}

void tb_names_free(struct tb_names *names)
{
    if (names == NULL)
        return;
    free(names->items);
    names->items = NULL;
    names->n = names->cap = 0;
}
