#!/usr/bin/env bash
# test_tb_name.sh — end-to-end tests of `genoshare tb reference load|show` and `tb name`:
# help and usage errors, refusals (wrong contig in the FASTA or the VCF, REF not matching,
# no reference loaded) leaving nothing half-written, and, with the real H37Rv files of
# $GENOSHARE_DATA/tb, the por5A1 isolate's resistance variants named as TB-Profiler does.
#
#   bash tests/e2e/test_tb_name.sh [BINARY]     (default build/san/genoshare)
set -u

BIN=${1:-build/san/genoshare}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/genoshare-tbname.XXXXXX")
DB=$TMP/main.db
export GENOSHARE_DB=$DB
DATA=${GENOSHARE_DATA:-../shared/data}
case $DATA in /*) ;; *) DATA=$PWD/$DATA ;; esac
TB=$DATA/tb

trap cleanup_server_and_tmp EXIT
trap 'exit 130' INT TERM

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

T=$'\t'
if [ ! -x "$BIN" ]; then
    fail setup "no executable at $BIN"
    summary_and_exit
fi
run init init

vcf() { # FILE CONTIG POS REF ALT: a one-record VCF
    printf '##fileformat=VCFv4.2\n##contig=<ID=%s>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n%s\t%s\t.\t%s\t%s\t.\t.\t.\n' \
        "$2" "$2" "$3" "$4" "$5" >"$1"
}

run help_ref tb reference --help
check "help: tb reference lists load and show" eval 'expect_rc help_ref 0 && expect_out help_ref "load" && expect_out help_ref "show"'
run help_load tb reference load --help
check "help: tb reference load" eval 'expect_rc help_load 0 && expect_out help_load "usage: genoshare tb reference load" && expect_out help_load "--mask"'
run help_name tb name --help
check "help: tb name" eval 'expect_rc help_name 0 && expect_out help_name "usage: genoshare tb name"'
run usage_load tb reference load --gff x.gff
check "usage: load without --fasta exits 2" eval 'expect_rc usage_load 2 && expect_err usage_load "--fasta"'
run usage_name tb name
check "usage: name without a file exits 2" eval 'expect_rc usage_name 2 && expect_err usage_name "one VCF file"'

run show_none tb reference show
check "show before any load fails, naming the fix" eval 'expect_rc show_none 1 && expect_err show_none "tb reference load"'
vcf "$TMP/one.vcf" Chromosome 761155 C T
run name_none tb name "$TMP/one.vcf"
check "name before any load fails, naming the fix" eval 'expect_rc name_none 1 && expect_err name_none "no TB reference loaded"'

# a FASTA of another contig is refused and nothing is stored
printf '>NC_000913.3 E. coli\nACGTACGT\n' >"$TMP/ecoli.fa"
printf '##gff-version 3\n' >"$TMP/empty.gff"
run load_other tb reference load --fasta "$TMP/ecoli.fa" --gff "$TMP/empty.gff"
check "load: another contig is refused by name" eval 'expect_rc load_other 1 && expect_err load_other "contig '"'"'NC_000913.3'"'"' is not H37Rv"'
printf '>Chromosome\nACGTACGT\n' >"$TMP/short.fa"
run load_short tb reference load --fasta "$TMP/short.fa" --gff "$TMP/empty.gff"
check "load: a sequence of the wrong length is refused" eval 'expect_rc load_short 1 && expect_err load_short "4411532"'
run show_after_fail tb reference show
check "load: refused loads store nothing" expect_rc show_after_fail 1

if [ ! -f "$TB/NC_000962.3.fasta.gz" ] || [ ! -f "$TB/tbdb.genome.gff.gz" ]; then
    skip "real H37Rv" "no files at $TB"
    check "no sanitizer reports" sanitizers_clean
    summary_and_exit
fi

run load tb reference load --fasta "$TB/NC_000962.3.fasta.gz" --gff "$TB/tbdb.genome.gff.gz" \
    --barcode "$TB/tbdb.barcode.bed" --mask "$TB/tbdb.mask.bed"
check "load: exit 0 with counts" eval 'expect_rc load 0 && expect_out load "length${T}4411532" && expect_out load "barcode_markers${T}1111" && expect_out load "mask_intervals${T}2300" && expect_out load "rrna_genes${T}3"'
check "load: audited as tb.reference.load" eval 'sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = '"'tb.reference.load'"'" | grep -qx 1'
run show tb reference show
check "show: aliases and counts" eval 'expect_rc show 0 && expect_out show "aliases${T}AL123456.3,Chromosome" && expect_out show "barcode_markers${T}1111"'

# the same bad FASTA now: refused, and the stored reference stays
run reload_bad tb reference load --fasta "$TMP/short.fa" --gff "$TB/tbdb.genome.gff.gz"
run show2 tb reference show
check "load: a refused reload keeps the stored reference" eval 'expect_rc reload_bad 1 && expect_rc show2 0 && expect_out show2 "length${T}4411532"'

run name_one tb name "$TMP/one.vcf"
check "name: rpoB 761155 C>T is p.Ser450Leu missense" eval 'expect_rc name_one 0 && expect_out name_one "761155${T}C${T}T${T}rpoB${T}p.Ser450Leu${T}missense_variant"'
vcf "$TMP/refseq.vcf" NC_000962.3 2155168 C G
run name_refseq tb name "$TMP/refseq.vcf"
check "name: RefSeq contig name accepted, katG (minus strand) p.Ser315Thr" eval 'expect_rc name_refseq 0 && expect_out name_refseq "katG${T}p.Ser315Thr"'
vcf "$TMP/ena.vcf" AL123456.3 1673425 C T
run name_ena tb name "$TMP/ena.vcf"
check "name: ENA contig name accepted, inhA c.-777C>T and fabG1 c.-15C>T" eval 'expect_rc name_ena 0 && expect_out name_ena "inhA${T}c.-777C>T${T}upstream_gene_variant" && expect_out name_ena "fabG1${T}c.-15C>T"'
vcf "$TMP/other.vcf" chr1 761155 C T
run name_other tb name "$TMP/other.vcf"
check "name: a VCF on another contig is refused by name" eval 'expect_rc name_other 1 && expect_err name_other "contig '"'"'chr1'"'"' is not H37Rv"'
vcf "$TMP/badref.vcf" Chromosome 761155 G T
run name_badref tb name "$TMP/badref.vcf"
check "name: a REF that does not match H37Rv is refused with the position" eval 'expect_rc name_badref 1 && expect_err name_badref "761155" && expect_err name_badref "does not match"'
vcf "$TMP/fs.vcf" Chromosome 2288709 GC G
run name_fs tb name "$TMP/fs.vcf"
check "name: a one-base deletion in pncA is WHO's p.Ala178fs frameshift" eval 'expect_rc name_fs 0 && expect_out name_fs "pncA${T}p.Ala178fs${T}frameshift_variant"'

POR=$TB/isolates/por5A1.tbprofiler-test.vcf.gz
if [ -f "$POR" ]; then
    run por tb name "$POR"
    check "por5A1: TB-Profiler's four resistance variants are named the same" eval 'expect_rc por 0 && expect_out por "rpoB${T}p.Ser450Leu" && expect_out por "inhA${T}c.-777C>T" && expect_out por "embB${T}p.Met306Val" && expect_out por "pncA${T}p.Val125Gly"'
    check "por5A1: progress summary on stderr" expect_err por "edits named"
else
    skip "por5A1" "no file $POR"
fi
run name_files tb name --fasta "$TB/NC_000962.3.fasta.gz" --gff "$TB/tbdb.genome.gff.gz" "$TMP/one.vcf"
check "name: --fasta/--gff instead of the store" eval 'expect_rc name_files 0 && expect_out name_files "rpoB${T}p.Ser450Leu"'

# the API: what is loaded, and genes by symbol or locus tag (public reference data)
start_server_or_exit server
http ref GET /api/v1/tb/reference
check "api: GET /api/v1/tb/reference describes the set" eval 'expect_status ref 200 && expect_body ref "\"length\":4411532" && expect_body ref "Chromosome" && expect_body ref "\"barcode_markers\":1111"'
http gene GET /api/v1/tb/reference/genes/Rv0678
check "api: a gene by locus tag (Rv0678 is mmpR5, + strand)" eval 'expect_status gene 200 && expect_body gene "\"symbol\":\"mmpR5\"" && expect_body gene "\"strand\":\"+\""'
http gene_katg GET /api/v1/tb/reference/genes/katG
check "api: katG is coding, - strand, 2153889-2156111" eval 'expect_status gene_katg 200 && expect_body gene_katg "\"start\":2153889" && expect_body gene_katg "\"strand\":\"-\"" && expect_body gene_katg "\"kind\":\"coding\""'
http gene_none GET /api/v1/tb/reference/genes/noSuchGene
check "api: an unknown gene is 404" expect_error gene_none 404 not_found
stop_server 15

check "no sanitizer reports" sanitizers_clean
summary_and_exit
