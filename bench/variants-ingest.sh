#!/usr/bin/env bash
# variants-ingest.sh — the variant knowledge base against bcftools/tabix in the same run:
#   1. ingest of the largest real VCF in $GENOSHARE_DATA/variants (the ClinVar gene panel),
#      of the BRCA1 region file with REF check and left-alignment against the FASTA, and of a
#      synthesised ClinVar-sized file (~3,000,000 records: the gene panel's records repeated
#      57 times with shifted positions and ids, generated here, never committed): records/s
#      of `genoshare variants submit` and the ratio to `bcftools view` reading the same file;
#   2. 1,000 random region queries over the submitted gene panel: the records must equal
#      `bcftools view -r` (bench/variants_regions.c asserts it), latency p50/p99 against
#      htslib's tabix iterator.
#
#   bash bench/variants-ingest.sh [REGIONS]      (default 1000; SKIP_SYNTH=1 skips the 3M file)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${GENOSHARE_DATA:-../shared/data}/variants
PANEL=$DATA/clinvar_20260226_GRCh38_genepanel.vcf.gz
REGION=$DATA/clinvar_20260226_GRCh38_BRCA1region.vcf.gz
FASTA=$DATA/GRCh38_chr17_BRCA1region_Npadded.fa.gz
REGIONS=${1:-1000}
for f in "$PANEL" "$REGION" "$FASTA"; do
    [ -r "$f" ] || { echo "variants-ingest: $f is missing" >&2; exit 1; }
done
command -v bcftools >/dev/null || { echo "variants-ingest: bcftools is needed" >&2; exit 1; }

make -j2 build/genoshare build/bench/variants_regions >/dev/null
G=$PWD/build/genoshare
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gs-bench-variants.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

seconds() { # COMMAND...: wall seconds of the command (its output discarded)
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>"$WORK/last.err" || { cat "$WORK/last.err" >&2; return 1; }
    t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
}

fresh_db() { # NAME: an empty database with one open variants dataset "kb"
    local db=$WORK/$1.db
    rm -f "$db"*
    "$G" init --db "$db" >/dev/null
    "$G" institution add ncbi --country US --db "$db" >/dev/null
    "$G" dataset add kb --tier open --data-type variants --institution ncbi --db "$db" >/dev/null
    echo "$db"
}

records() { bcftools view -H "$1" | wc -l; }

ingest() { # LABEL FILE [SUBMIT-ARGS...]
    local label=$1 file=$2 db n tb tg
    shift 2
    n=$(records "$file")
    tb=$(seconds bcftools view -Ou -o /dev/null "$file")
    db=$(fresh_db ingest)
    tg=$(seconds "$G" variants submit "$file" --dataset kb --db "$db" "$@")
    awk -v l="$label" -v n="$n" -v tb="$tb" -v tg="$tg" 'BEGIN {
        printf "%-34s %9d records  genoshare %7.2f s %9.0f rec/s   bcftools view %6.2f s %9.0f rec/s   ratio %.1fx\n",
               l, n, tg, n / tg, tb, n / tb, tg / tb }'
}

echo "== ingest (genoshare variants submit vs bcftools view -Ou, same file) =="
ingest "ClinVar gene panel (no reference)" "$PANEL"
ingest "ClinVar BRCA1 region (--reference)" "$REGION" --reference "$FASTA"
if [ "${SKIP_SYNTH:-0}" != 1 ]; then
    # 57 copies of the panel's records, each copy moved 2 Mb further and given new ids
    zcat "$PANEL" | awk -F'\t' -v OFS='\t' '
        /^#/ { print; next }
        { rec[n++] = $0 }
        END { for (k = 0; k < 57; k++) for (i = 0; i < n; i++) {
                split(rec[i], f, "\t"); f[2] += k * 2000000; f[3] += k * 10000000
                s = f[1]; for (j = 2; j <= 8; j++) s = s OFS f[j]; print s } }' |
        bgzip -c >"$WORK/synth.vcf.gz"
    ingest "synthesised ClinVar-sized file" "$WORK/synth.vcf.gz"
    rm -f "$WORK/synth.vcf.gz" "$WORK"/ingest.db*
fi

echo
echo "== region queries over the submitted gene panel =="
db=$(fresh_db regions)
"$G" variants submit "$PANEL" --dataset kb --db "$db" >/dev/null 2>&1
build/bench/variants_regions "$db" "$PANEL" kb "$REGIONS"
