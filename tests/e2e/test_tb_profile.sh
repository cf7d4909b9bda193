#!/usr/bin/env bash
# test_tb_profile.sh — end-to-end tests of the TB resistance part: `tb catalogue load|list`
# (versions side by side, bad input leaves nothing), `tb predict` on a hand-made genotypes
# table, `tb profile` on TB-Profiler's own test isolate por5A1 (must give what TB-Profiler
# gives: lineage4 / lineage4.3.4.2, MDR-TB, rpoB p.Ser450Leu, inhA c.-777C>T, embB
# p.Met306Val, pncA p.Val125Gly), `tb lineage`, a VCF on a foreign contig refused, and
# POST /api/v1/tb/profile over a real server. Skips what needs ../shared/data/tb when absent.
#
#   bash tests/e2e/test_tb_profile.sh [BINARY]     (default build/san/genoshare)
set -u

BIN=${1:-build/san/genoshare}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/genoshare-tbprofile.XXXXXX")
DB=$TMP/tb.db
export GENOSHARE_DB=$DB
DATA=${GENOSHARE_DATA:-../shared/data}
case $DATA in /*) ;; *) DATA=$PWD/$DATA ;; esac
D=$DATA/tb

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
trap cleanup_server_and_tmp EXIT
trap 'exit 130' INT TERM

if [ ! -x "$BIN" ]; then
    fail setup "no executable at $BIN"
    summary_and_exit
fi
cli init init >/dev/null

# ---- a small catalogue of our own: always available ----
cat >"$TMP/mini.csv" <<'CSV'
Gene,Mutation,type,drug,original_mutation,confidence,comment
rpoB,p.Ser450Leu,drug_resistance,rifampicin,p.Ser450Leu,Assoc w R,
katG,p.Ser315Thr,drug_resistance,isoniazid,p.Ser315Thr,Assoc w R,"quoted, comment"
katG,frameshift_variant,drug_resistance,isoniazid,LoF,Assoc w R,
pncA,p.Val125Gly,who_confidence,pyrazinamide,p.Val125Gly,Uncertain significance,
CSV
cat >"$TMP/bad.csv" <<'CSV'
Gene,Mutation,type,drug,original_mutation,confidence,comment
rpoB,p.Ser450Leu,drug_resistance,rifampicin,p.Ser450Leu,Assoc w R,
katG,p.Ser315Thr,drug_resistance,isoniazid,p.Ser315Thr,Strongly R,
CSV
load_mini() {
    cli m1 tb catalogue load "$TMP/mini.csv" --version mini-1 && expect_out m1 "rows	4" &&
        cli m2 tb catalogue load "$TMP/mini.csv" --version mini-2 || return 1
    run m3 tb catalogue load "$TMP/mini.csv" --version mini-1
    expect_rc m3 1 && expect_err m3 "already exists"
}
check "catalogue: two versions side by side, a third with a used name refused" load_mini
bad_load() {
    run b1 tb catalogue load "$TMP/bad.csv" --version bad-1
    expect_rc b1 1 && expect_err b1 "line 3" || return 1
    cli l1 tb catalogue list || return 1
    if grep -q bad-1 "$TMP/l1.out"; then echo "a refused catalogue was stored"; return 1; fi
    expect_out l1 "mini-2	4	0" && grep -q "mini-2.*(default)" "$TMP/l1.out"
}
check "catalogue: a bad grade names its line and stores nothing; the newest is the default" bad_load
usage_errors() {
    run u1 tb catalogue load
    expect_rc u1 2 || return 1
    run u2 tb predict
    expect_rc u2 2 && expect_err u2 "genotypes" || return 1
    run u3 tb predict --genotypes "$TMP/g.tsv" --min-af 2
    expect_rc u3 2 && expect_err u3 "min-af"
}
check "usage errors exit 2 naming the option" usage_errors

printf '# test\nsample_id\tgene\tvariant\teffect\tmax_af\tsets\nA\trpoB\tp.Ser450Leu\tmissense_variant\t0.9\tx\nB\tkatG\tp.Gly10fs\tframeshift\t1.0\tx\nB\tpncA\tp.Val125Gly\tmissense_variant\t1.0\tx\n' >"$TMP/g.tsv"
printf 'sample_id\tgenotype_sets_missing\nA\t\nC\tRifampicin/1\nB\t\n' >"$TMP/s.tsv"
predict_mini() {
    cli p1 tb predict --genotypes "$TMP/g.tsv" --samples "$TMP/s.tsv" --catalogue mini-1 || return 1
    local want
    want=$(printf 'A\tisoniazid\tS\nA\tpyrazinamide\tS\nA\trifampicin\tR\nC\tisoniazid\tS\nC\tpyrazinamide\tS\nC\trifampicin\tU\nB\tisoniazid\tR\nB\tpyrazinamide\tS\nB\trifampicin\tS')
    expect_equal "predictions" "$want" "$(cat "$TMP/p1.out")"
}
check "predict: one row per sample and drug; LoF row, grade 3 is S, missing tier-1 set is U" predict_mini

# ---- the real catalogue, reference and TB-Profiler's isolate ----
POR=$D/isolates/por5A1.tbprofiler-test.vcf.gz
if [ ! -f "$POR" ] || [ ! -f "$D/who2023.tbdb-6aed5d9.mutations.csv.gz" ] || [ ! -f "$D/tbdb.barcode.bed" ]; then
    skip por5A1 "no $D (set GENOSHARE_DATA)"
    summary_and_exit
fi
load_real() {
    cli r1 tb reference load --fasta "$D/NC_000962.3.fasta.gz" --gff "$D/tbdb.genome.gff.gz" \
        --barcode "$D/tbdb.barcode.bed" --mask "$D/tbdb.mask.bed" || return 1
    cli c1 tb catalogue load "$D/who2023.tbdb-6aed5d9.mutations.csv.gz" --rules "$D/tbdb.rules.yml" &&
        expect_out c1 "version	who2023.tbdb-6aed5d9" && expect_out c1 "rules	2"
}
check "load the H37Rv reference and the WHO 2023 catalogue with its rules" load_real
por5a1_text() {
    cli pt tb profile "$POR" || return 1
    local l
    for l in "main_lineage	lineage4" "sub_lineage	lineage4.3.4.2" "type	MDR-TB" \
             "rifampicin	R	rpoB p.Ser450Leu (1.00, grade 1)" \
             "isoniazid	R	inhA c.-777C>T (1.00, grade 1)" \
             "ethionamide	R	inhA c.-777C>T (1.00, grade 1)" \
             "ethambutol	R	embB p.Met306Val (1.00, grade 1)" \
             "pyrazinamide	R	pncA p.Val125Gly (1.00, grade 1)"; do
        grep -qxF "$l" "$TMP/pt.out" || { echo "no line '$l' in: $(oneline "$(cat "$TMP/pt.out")")"; return 1; }
    done
    local r
    r=$(grep -c '	R	' "$TMP/pt.out")
    expect_equal "resistant drugs (TB-Profiler: 5)" 5 "$r"
}
check "por5A1: TB-Profiler's lineage, type and the four resistance variants" por5a1_text
por5a1_json() {
    cli pj tb profile "$POR" --json || return 1
    NODE_PATH=$PWD/tests/browser/node_modules node -e '
        const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        const r = d.drugs.filter(x => x.call === "R").map(x => x.code).sort().join(",");
        const ok = d.type === "MDR-TB" && d.lineage.sub_lineage === "lineage4.3.4.2" &&
            !d.lineage.mixed && r === "EMB,ETO,INH,PZA,RIF" &&
            d.drugs.find(x => x.drug === "rifampicin").variants.some(v =>
                v.gene === "rpoB" && v.variant === "p.Ser450Leu" && v.grade === 1 && v.depth > 10);
        if (!ok) { console.log(JSON.stringify({type: d.type, r, l: d.lineage.sub_lineage})); process.exit(1); }
    ' "$TMP/pj.out"
}
if command -v node >/dev/null; then
    check "por5A1 --json: type, lineage, R drugs, evidence with grade and depth" por5a1_json
else
    skip "por5A1 --json" "node not installed"
fi
lineage_only() {
    cli lo tb lineage "$POR" && expect_out lo "sub_lineage	lineage4.3.4.2" || return 1
    if grep -q "^type" "$TMP/lo.out"; then echo "lineage printed a resistance type"; return 1; fi
}
check "tb lineage: the lineage alone" lineage_only
depth_u() {
    cli dz tb profile "$POR" --min-depth 100000 || return 1
    grep -q "^rifampicin	R" "$TMP/dz.out" && { echo "R survived an impossible depth"; return 1; }
    grep -q "^rifampicin	U	.*below the minimum depth" "$TMP/dz.out" ||
        { echo "no U for rifampicin: $(oneline "$(cat "$TMP/dz.out")")"; return 1; }
}
check "a minimum depth no site reaches turns R into U with the reason" depth_u
foreign_contig() {
    printf '##fileformat=VCFv4.2\n##contig=<ID=chr1>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nchr1\t761155\t.\tC\tT\t50\tPASS\t.\n' >"$TMP/chr1.vcf"
    run fc tb profile "$TMP/chr1.vcf"
    expect_rc fc 1 && expect_err fc "chr1" && expect_err fc "NC_000962.3"
}
check "a VCF on another contig is refused naming it" foreign_contig

# ---- hand-made VCFs on real positions: AF and depth from AO/RO, AD, none; a low-depth 0/0 ----
hand_vcf() {
    {
        printf '##fileformat=VCFv4.2\n##contig=<ID=AL123456.3,length=4411532>\n'
        printf '##FORMAT=<ID=GT,Number=1,Type=String,Description="g">\n'
        printf '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="a">\n'
        printf '##FORMAT=<ID=AO,Number=A,Type=Integer,Description="a">\n'
        printf '##FORMAT=<ID=RO,Number=1,Type=Integer,Description="r">\n'
        printf '##FORMAT=<ID=DP,Number=1,Type=Integer,Description="d">\n'
        printf '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n'
        printf 'AL123456.3\t761155\t.\tC\tT\t50\tPASS\t.\tGT:AO:RO\t1:9:1\n'
        printf 'AL123456.3\t1673425\t.\tC\tT\t50\tPASS\t.\tGT\t1\n'
        printf 'AL123456.3\t2155168\t.\tC\tG\t50\tPASS\t.\tGT:AD\t0/1:80,20\n'
        printf 'AL123456.3\t2288868\t.\tA\t.\t50\tPASS\t.\tGT:DP\t0:3\n'
    } >"$TMP/hand.vcf"
    cli h1 tb profile "$TMP/hand.vcf" --json || return 1
    NODE_PATH=$PWD/tests/browser/node_modules node -e '
        const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        const c = Object.fromEntries(d.drugs.map(x => [x.drug, x]));
        const v = n => d.variants.find(x => x.variant === n);
        const why = [];
        if (c.rifampicin.call !== "R" || Math.abs(v("p.Ser450Leu").af - 0.9) > 1e-9 || v("p.Ser450Leu").depth !== 10) why.push("rpoB from AO/RO");
        if (c.isoniazid.call !== "R" || v("p.Ser315Thr").af !== 0.2 || v("p.Ser315Thr").depth !== 100) why.push("katG from AD");
        if (v("c.-777C>T").af !== 1 || v("c.-777C>T").depth !== null) why.push("inhA without depth");
        if (c.pyrazinamide.call !== "U" || !/low depth \(3 reads\) at pncA p\.Val125/.test(c.pyrazinamide.reason)) why.push("pncA low depth: " + JSON.stringify(c.pyrazinamide));
        if (c.ethambutol.call !== "S" || d.type !== "MDR-TB") why.push("type " + d.type);
        if (why.length) { console.log(why.join("; ")); process.exit(1); }
    ' "$TMP/h1.out" || return 1
    cli h2 tb profile "$TMP/hand.vcf" --min-af 0.25 && grep -q "^isoniazid	R	inhA" "$TMP/h2.out" &&
        ! grep -q "katG p.Ser315Thr" "$TMP/h2.out" ||
        { echo "katG at 0.2 still counted at --min-af 0.25: $(oneline "$(cat "$TMP/h2.out")")"; return 1; }
}
if command -v node >/dev/null; then
    check "hand-made VCF: AF/depth from AO/RO and AD, none without FORMAT; low-depth 0/0 gives U; --min-af" hand_vcf
else
    skip "hand-made VCF" "node not installed"
fi
mixed() {
    # por5A1 plus every lineage2 / lineage2.2 / lineage2.2.1 marker at 30%
    zcat "$POR" | grep '^#' >"$TMP/mixed.vcf"
    {
        zcat "$POR" | grep -v '^#'
        awk -F'\t' -v OFS='\t' '$4 == "lineage2" || $4 == "lineage2.2" || $4 == "lineage2.2.1" {
            print "Chromosome", $3, ".", "N", $5, 50, "PASS", ".", "GT:DP:AD", "0/1:100:70,30" }' \
            "$D/tbdb.barcode.bed"
    } | grep -v '^#' | sort -k2,2n >>"$TMP/mixed.body"
    # REF must be the reference base: take it from the FASTA through the profile's error-free path
    python3 - "$TMP/mixed.body" "$D/NC_000962.3.fasta.gz" >>"$TMP/mixed.vcf" <<'PY' || return 1
import gzip, sys
seq = "".join(l.strip() for l in gzip.open(sys.argv[2], "rt") if not l.startswith(">"))
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    if f[3] == "N":
        f[3] = seq[int(f[1]) - 1]
    print("\t".join(f))
PY
    cli mx tb lineage "$TMP/mixed.vcf" || return 1
    expect_out mx "sub_lineage	lineage4.3.4.2" && expect_out mx "mixed	lineage4.3.4.2 (1.00), lineage2.2.1 (0.30)"
}
if command -v python3 >/dev/null; then
    check "mixed sample (por5A1 + lineage 2.2.1 markers at 30%): reported as mixed with fractions" mixed
else
    skip "mixed sample" "python3 not installed"
fi

# ---- the API ----
api() {
    cli ia institution add hospA --country JP && cli ua user add ana --institution hospA --roles member &&
        cli ta token create --user ana --name e2e || return 1
    tail -n 1 "$TMP/ta.out" >"$TMP/token.ana"
    start_server srv || return 1
    http a1 POST /api/v1/tb/profile --data-binary "@$POR" -H 'Content-Type: application/octet-stream'
    expect_status a1 401 || return 1
    http a2 POST /api/v1/tb/profile --data-binary "@$POR" -H "$(bearer ana)" \
        -H 'Content-Type: application/octet-stream'
    expect_status a2 200 && expect_body a2 '"type":"MDR-TB"' && expect_body a2 '"sub_lineage":"lineage4.3.4.2"' || return 1
    http a3 POST '/api/v1/tb/profile?catalogue=nope' --data-binary "@$POR" -H "$(bearer ana)"
    expect_error a3 404 not_found || return 1
    http a4 POST /api/v1/tb/profile --data-binary 'not a vcf' -H "$(bearer ana)"
    expect_error a4 400 invalid_input || return 1
    http a5 POST /api/v1/tb/profile --data-binary "@$TMP/chr1.vcf" -H "$(bearer ana)"
    expect_error a5 400 invalid_input && expect_body a5 chr1
}
check "POST /api/v1/tb/profile: 401 anonymous, the por5A1 profile, unknown catalogue 404, bad VCF 400" api
check "no sanitizer reports" sanitizers_clean
summary_and_exit
