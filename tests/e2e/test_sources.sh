#!/usr/bin/env bash
# test_sources.sh — end-to-end tests of reference sources: `genoshare source add|list|remove|
# lookup` on a fixture VCF bgzipped and indexed here with the installed bgzip/tabix (chr-prefixed
# names, a multi-allelic record, Number=A frequencies), the refusals (URL, no index, not
# bgzip, duplicate name), and /api/v1/sources (list, GET look-up, POST batch, errors) on a
# real server; with ../shared/data, the real ClinVar and 1000 Genomes files checked record by
# record against `bcftools query` on the same files.
#
#   bash tests/e2e/test_sources.sh [BINARY]     (default build/san/genoshare)
set -u

BIN=${1:-build/san/genoshare}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/genoshare-sources.XXXXXX")
DB=$TMP/sources.db
export GENOSHARE_DB=$DB
DATA=${GENOSHARE_DATA:-../shared/data}
VAR=$DATA/variants

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
trap cleanup_server_and_tmp EXIT
trap 'exit 130' INT TERM
require_tools bgzip tabix node

# jget FILE EXPR: evaluates the JavaScript expression EXPR over the JSON document d in FILE.
jget() { node -e 'const d=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(eval(process.argv[2]))' "$1" "$2"; }

if [ ! -x "$BIN" ]; then
    fail setup "no executable at $BIN"
    summary_and_exit
fi

# ---- fixtures: a tiny VCF with chr-prefixed names and a multi-allelic record ----
fixture() {
    cat >"$TMP/tiny.vcf" <<'VCF'
##fileformat=VCFv4.2
##source=TinyFreq
##fileDate=20260101
##contig=<ID=chr17,length=83257441>
##contig=<ID=chrM,length=16569>
##INFO=<ID=AF,Number=A,Type=Float,Description="Allele frequency">
##INFO=<ID=EAS_AF,Number=A,Type=Float,Description="East Asian AF">
##INFO=<ID=AC,Number=A,Type=Integer,Description="Allele count">
##INFO=<ID=RS,Number=1,Type=Integer,Description="dbSNP id">
#CHROM	POS	ID	REF	ALT	QUAL	FILTER	INFO
chr17	100	rs111	A	G	.	PASS	AF=0.25;EAS_AF=0.5;AC=3
chr17	200	.	C	T,CA	.	PASS	AF=0.125,0.0625;EAS_AF=0.25,0.375;AC=1,2;RS=222
chrM	73	rs333	A	G	.	PASS	AF=0.75
VCF
    bgzip -c "$TMP/tiny.vcf" >"$TMP/tiny.vcf.gz" && tabix -p vcf "$TMP/tiny.vcf.gz" || return 1
    bgzip -c "$TMP/tiny.vcf" >"$TMP/noindex.vcf.gz" || return 1
    cp "$TMP/tiny.vcf" "$TMP/plain.vcf" && cli init init
}
if ! why=$(fixture 2>&1); then
    fail fixture "$(oneline "$why") $(cat "$TMP"/*.err 2>/dev/null | head -c 300)"
    summary_and_exit
fi

# ---- the command line ----

add_fixture() {
    cli a1 source add tiny "$TMP/tiny.vcf.gz" || { expect_rc a1 0; return 1; }
    expect_out a1 "source tiny added" && expect_out a1 "frequency" && expect_out a1 "TinyFreq, 20260101"
}
check cli_add_guesses_kind add_fixture

refusals() {
    run r1 source add web https://example.org/x.vcf.gz
    expect_rc r1 1 && expect_err r1 "no URLs" || return 1
    run r2 source add noidx "$TMP/noindex.vcf.gz"
    expect_rc r2 1 && expect_err r2 "no tabix index" || return 1
    run r3 source add plain "$TMP/plain.vcf"
    expect_rc r3 1 && expect_err r3 "not a bgzip-compressed VCF" || return 1
    run r4 source add tiny "$TMP/tiny.vcf.gz"
    expect_rc r4 1 && expect_err r4 "exists" || return 1
    run r5 source add gone "$TMP/missing.vcf.gz"
    expect_rc r5 1 && expect_err r5 "cannot read" || return 1
    run r6 source add tiny2 "$TMP/tiny.vcf.gz" --kind gnomad
    expect_rc r6 1 && expect_err r6 "unknown source kind" || return 1
    run r7 source add
    expect_rc r7 2 || return 1
    cli l1 source list && [ "$(wc -l <"$TMP/l1.out")" = 1 ] || { echo "list: $(cat "$TMP/l1.out")"; return 1; }
}
check cli_add_refusals refusals

lookup_chr_prefix() {
    cli k1 source lookup 17-100-A-G || { expect_rc k1 0; return 1; }
    expect_equal found true "$(jget "$TMP/k1.out" 'd.sources[0].found')" &&
        expect_equal rsid rs111 "$(jget "$TMP/k1.out" 'd.sources[0].rsid')" &&
        expect_equal eas 0.5 "$(jget "$TMP/k1.out" 'd.sources[0].frequencies.find(f=>f.population=="EAS").af')" &&
        expect_equal fields "AF,EAS_AF" "$(jget "$TMP/k1.out" 'd.sources[0].frequencies.map(f=>f.field).join()')"
}
check cli_lookup_chr_prefix lookup_chr_prefix

lookup_multiallelic() {
    cli k2 source lookup chr17:200:C:CA 17-200-c-t 17-200-C-A MT-73-A-G || { expect_rc k2 0; return 1; }
    node -e '
      const docs = require("fs").readFileSync(process.argv[1], "utf8").split(/\n(?=\{)/).map(JSON.parse);
      const af = (d, p) => d.sources[0].frequencies.find(f => f.population == p).af;
      const want = [[docs[0].sources[0].found, true], [af(docs[0], "ALL"), 0.0625], [af(docs[0], "EAS"), 0.375],
                    [docs[0].sources[0].rsid, "rs222"], [af(docs[1], "ALL"), 0.125],
                    [docs[2].sources[0].found, false], [docs[3].sources[0].rsid, "rs333"]];
      want.forEach(([got, exp], i) => { if (got !== exp) { console.log(`check ${i}: got ${got}, expected ${exp}`); process.exit(1); } });
    ' "$TMP/k2.out"
}
check cli_lookup_second_alt_and_mito lookup_multiallelic

lookup_bad() {
    run k3 source lookup 17-x-A-G
    expect_rc k3 2 && expect_err k3 "position" || return 1
    run k4 source lookup 17-100-A-Z
    expect_rc k4 2 && expect_err k4 "alt must be" || return 1
    run k5 source lookup 17-100-A
    expect_rc k5 2 && expect_err k5 "CHROM-POS-REF-ALT"
}
check cli_lookup_rejects_bad_variants lookup_bad

# ---- the API ----
start_server_or_exit srv

api_list() {
    http s1 GET /api/v1/sources
    expect_status s1 200 && expect_equal names tiny "$(jget "$TMP/s1.body" 'd.sources.map(s=>s.name).join()')" &&
        expect_equal path_hidden undefined "$(jget "$TMP/s1.body" 'd.sources[0].path')"
}
check api_list_without_paths api_list

api_lookup() {
    http g1 GET '/api/v1/sources/lookup?assembly=GRCh38&chrom=chr17&pos=100&ref=A&alt=G'
    expect_status g1 200 && expect_equal found true "$(jget "$TMP/g1.body" 'd.sources[0].found')" &&
        expect_equal af 0.25 "$(jget "$TMP/g1.body" 'd.sources[0].frequencies[0].af')" || return 1
    http g2 GET '/api/v1/sources/lookup?chrom=17&pos=100&ref=A&alt=G&assembly=GRCh37'
    expect_status g2 200 && expect_equal none 0 "$(jget "$TMP/g2.body" 'd.sources.length')" || return 1
    http g3 GET '/api/v1/sources/lookup?chrom=17&pos=abc&ref=A&alt=G'
    expect_error g3 400 invalid_input || return 1
    http g4 GET '/api/v1/sources/lookup?chrom=17&pos=5'
    expect_error g4 400 invalid_input
}
check api_lookup_one api_lookup

api_batch() {
    post_json b1 /api/v1/sources/lookup '{"variants":["17-100-A-G",{"chrom":"chr17","pos":200,"ref":"C","alt":"T"},"17-1-A-C"]}'
    expect_status b1 200 &&
        expect_equal founds "true,true,false" "$(jget "$TMP/b1.body" 'd.results.map(r=>r.sources[0].found).join()')" || return 1
    post_json b2 /api/v1/sources/lookup '{"variants":["17-100-A-G",{"chrom":"17","pos":"x"}]}'
    expect_error b2 400 invalid_input && expect_body b2 "variants[1]" || return 1
    local many
    many=$(node -e 'console.log(JSON.stringify({variants: Array(201).fill("17-100-A-G")}))')
    post_json b3 /api/v1/sources/lookup "$many"
    expect_error b3 400 invalid_input || return 1
    post_json b4 /api/v1/sources/lookup '{"variants":'
    expect_error b4 400 invalid_input
}
check api_lookup_batch api_batch

vanished() {
    mv "$TMP/tiny.vcf.gz" "$TMP/moved.vcf.gz"
    http v1 GET '/api/v1/sources/lookup?chrom=17&pos=100&ref=A&alt=G'
    mv "$TMP/moved.vcf.gz" "$TMP/tiny.vcf.gz"
    expect_status v1 200 && expect_equal available false "$(jget "$TMP/v1.body" 'd.sources[0].available')"
}
check api_vanished_file_reported vanished

# ---- real data: ClinVar and 1000 Genomes, against bcftools ----

real_clinvar() {
    [ -f "$VAR/clinvar_20260226_GRCh38_BRCA1region.vcf.gz" ] || { echo "no $VAR"; return 77; }
    command -v bcftools >/dev/null || { echo "no bcftools"; return 77; }
    cli rc1 source add clinvar "$VAR/clinvar_20260226_GRCh38_BRCA1region.vcf.gz" || { expect_rc rc1 0; return 1; }
    expect_out rc1 "clinvar, GRCh38, ClinVar, 2026-02-26" || return 1
    # every 500th record: our significance, review status and rsID against bcftools' values
    bcftools query -f '%CHROM-%POS-%REF-%ALT\t%INFO/CLNSIG\t%INFO/CLNREVSTAT\t%INFO/RS\n' \
        "$VAR/clinvar_20260226_GRCh38_BRCA1region.vcf.gz" | awk 'NR % 500 == 1' >"$TMP/expect.tsv"
    [ "$(wc -l <"$TMP/expect.tsv")" -ge 20 ] || { echo "too few sampled records"; return 1; }
    # shellcheck disable=SC2046
    cli rc2 source lookup $(cut -f1 "$TMP/expect.tsv" | grep -v '[^-A-Za-z0-9]') || { expect_rc rc2 0; return 1; }
    node -e '
      const fs = require("fs");
      const docs = fs.readFileSync(process.argv[1], "utf8").split(/\n(?=\{)/).map(JSON.parse);
      const want = fs.readFileSync(process.argv[2], "utf8").trim().split("\n").map(l => l.split("\t"))
                     .filter(w => /^[-A-Za-z0-9]+$/.test(w[0]));
      if (docs.length !== want.length) { console.log(`${docs.length} answers for ${want.length}`); process.exit(1); }
      const sp = s => s === "." ? "" : s.replace(/_/g, " ");
      want.forEach((w, i) => {
        const h = docs[i].sources.find(s => s.source === "clinvar");
        const got = [h.found, h.clinvar ? h.clinvar.significance : "", h.clinvar ? h.clinvar.reviewStatus : "", h.rsid || ""];
        const exp = [true, sp(w[1]), sp(w[2]), w[3] === "." ? "" : "rs" + w[3]];
        if (JSON.stringify(got) !== JSON.stringify(exp)) { console.log(`${w[0]}: got ${got}, expected ${exp}`); process.exit(1); }
      });
    ' "$TMP/rc2.out" "$TMP/expect.tsv"
}
check real_clinvar_matches_bcftools real_clinvar

real_1000g() {
    local f=$VAR/1000G_phase3_GRCh38lifted_BRCA1region.vcf.gz
    [ -f "$f" ] || { echo "no $f"; return 77; }
    command -v bcftools >/dev/null || { echo "no bcftools"; return 77; }
    cli rk1 source add kg1000 "$f" --kind frequency || { expect_rc rk1 0; return 1; }
    bcftools query -f '%CHROM-%POS-%REF-%ALT\t%ID\t%INFO/AF\t%INFO/EAS_AF\t%INFO/EUR_AF\t%INFO/AFR_AF\n' "$f" |
        awk -F'\t' '$1 !~ /,/' >"$TMP/kg.tsv"
    # the command takes at most 32 variants: ask in chunks
    : >"$TMP/rk2.out"
    split -l 30 "$TMP/kg.tsv" "$TMP/kgpart."
    for part in "$TMP"/kgpart.*; do
        # shellcheck disable=SC2046
        cli rk2p source lookup $(cut -f1 "$part") || { expect_rc rk2p 0; return 1; }
        cat "$TMP/rk2p.out" >>"$TMP/rk2.out"
    done
    node -e '
      const fs = require("fs");
      const docs = fs.readFileSync(process.argv[1], "utf8").split(/\n(?=\{)/).map(JSON.parse);
      const want = fs.readFileSync(process.argv[2], "utf8").trim().split("\n").map(l => l.split("\t"));
      if (docs.length !== want.length || want.length < 50) { console.log(`${docs.length} answers for ${want.length}`); process.exit(1); }
      want.forEach((w, i) => {
        const h = docs[i].sources.find(s => s.source === "kg1000");
        const af = p => h.frequencies.find(f => f.population === p).af;
        const got = [h.found, h.rsid, af("ALL"), af("EAS"), af("EUR"), af("AFR")];
        const exp = [true, w[1], +w[2], +w[3], +w[4], +w[5]];
        if (JSON.stringify(got) !== JSON.stringify(exp)) { console.log(`${w[0]}: got ${got}, expected ${exp}`); process.exit(1); }
      });
    ' "$TMP/rk2.out" "$TMP/kg.tsv"
}
check real_1000g_frequencies_match_bcftools real_1000g

remove_source() {
    cli rm1 source remove tiny && expect_out rm1 "source tiny removed" || return 1
    run rm2 source remove tiny
    expect_rc rm2 1 && expect_err rm2 "no reference source named 'tiny'" || return 1
    cli rm3 source list && ! grep -q '^tiny' "$TMP/rm3.out"
}
check cli_remove remove_source

check sanitizers_clean sanitizers_clean
summary_and_exit
