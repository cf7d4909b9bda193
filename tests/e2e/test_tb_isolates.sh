#!/usr/bin/env bash
# test_tb_isolates.sh — end-to-end tests of TB isolates: `genoshare tb isolate import|show|list`
# (TSV + VCFs + DST + MIC, all or nothing, contigs other than H37Rv refused), `tb clusters`
# (thresholds shown, transitive single linkage, masked / missing / mixed sites and indels left
# out, Newick), `tb markers` and the resistance report on WHO's 800 real isolates graded by
# the stored catalogue (when the data is present), and
# /api/v1/tb/isolates, /clusters, /markers over a real server (access and hiding, JSON import,
# errors).
#
#   bash tests/e2e/test_tb_isolates.sh [BINARY]     (default build/san/genoshare)
set -u

BIN=${1:-build/san/genoshare}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/genoshare-tbiso.XXXXXX")
DB=$TMP/tb.db
export GENOSHARE_DB=$DB
FIX=$PWD/tests/fixtures/tb
DATA=${GENOSHARE_DATA:-../shared/data}
case $DATA in /*) ;; *) DATA=$PWD/$DATA ;; esac
CAT=$DATA/tb/who2023.tbdb-6aed5d9.mutations.csv.gz
WHO=$DATA/tb/isolates/tb-isolates.who2023-solo.dev

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
trap cleanup_server_and_tmp EXIT
trap 'exit 130' INT TERM

get_as() { http "$1" GET "$2" -H "$(bearer "$3")"; } # TAG PATH USER

if [ ! -x "$BIN" ]; then
    fail setup "no executable at $BIN"
    summary_and_exit
fi

# ---- fixture: labA JP (sam: submitter, in tbnet), labK KR (kim: member, outside) ----
fixture() {
    cli init init || return 1
    cli ia institution add labA --country JP && cli ik institution add labK --country KR || return 1
    local n user inst roles
    for n in sam:labA:member,submitter kim:labK:member; do
        IFS=: read -r user inst roles <<<"$n"
        cli "u-$user" user add "$user" --institution "$inst" --roles "$roles" || return 1
        cli "t-$user" token create --user "$user" --name e2e || return 1
        tail -n 1 "$TMP/t-$user.out" >"$TMP/token.$user"
    done
    cli c consortium add tbnet && cli j consortium join tbnet --institution labA &&
        cli d dataset add tb-r --tier restricted --data-type microbial_genomes \
            --institution labA --consortium tbnet
}
if ! why=$(fixture 2>&1); then
    fail fixture "$(oneline "$why") $(cat "$TMP"/*.err 2>/dev/null | head -c 300)"
    summary_and_exit
fi

# ---- the command line ----

help_works() {
    local v
    for v in "isolate import" "isolate show" "isolate list" clusters markers; do
        # shellcheck disable=SC2086 # the verb words split on purpose
        run h tb $v --help
        expect_rc h 0 && expect_out h "usage: genoshare tb $v" || return 1
    done
}
check cli_help help_works

import_needs_mask() {
    run im0 tb isolate import "$FIX/isolates.tsv" --dataset tb-r
    expect_rc im0 1 && expect_err im0 "no SNP mask" || return 1
    run l0 tb isolate list
    expect_equal "isolates after a refused import" 0 "$(wc -l <"$TMP/l0.out")"
}
check cli_import_without_mask_leaves_nothing import_needs_mask

import_ok() {
    cli im tb isolate import "$FIX/isolates.tsv" --dataset tb-r --dst "$FIX/dst.tsv" \
        --mic "$FIX/mic.tsv" --mask "$FIX/mask.bed" || { expect_rc im 0; return 1; }
    expect_out im "imported 3 isolates (3 with genome calls" && expect_out im "3 pairs computed"
}
check cli_import_tsv_vcf_dst_mic import_ok

refuse_contig() {
    run bad tb isolate import "$FIX/isolates-bad-contig.tsv" --dataset tb-r
    expect_rc bad 1 && expect_err bad "contig 'chr1' is not H37Rv" || return 1
    run l1 tb isolate list
    expect_equal "isolates after the refused VCF" 3 "$(wc -l <"$TMP/l1.out")"
}
check cli_refuses_other_contig refuse_contig

show_isolate() {
    cli sh tb isolate show 1 || { expect_rc sh 0; return 1; }
    expect_out sh '"isolate": "TB-001"' && expect_out sh '"drug": "rifampicin"' &&
        expect_out sh '"relation": ">"' && expect_out sh '"pos": 1500' || return 1
    cli sh2 tb isolate show 2 || return 1
    # the no-call at 5000 and the depth-3 call at 6000 are missing sites
    expect_out sh2 '5000,' && expect_out sh2 '6000,'
}
check cli_show_isolate_with_dst_mic_variants_missing show_isolate

show_as_outsider() {
    run sk tb isolate show 1 --as kim
    expect_rc sk 1 && expect_err sk "no isolate with id 1"
}
check cli_show_hidden_from_outsider show_as_outsider

clusters_cli() {
    cli cl tb clusters --threshold 5,12 --newick || { expect_rc cl 0; return 1; }
    # d(1,2) = 1 (3000); d(2,3) = 6 (a 6-base MNV; 5000 and 6000 missing in 2, 7000 mixed,
    # 10000 masked, the 1500 indel never counts); d(1,3) = 9
    expect_out cl "$(printf '5\t1\t2\t1\ttb-r\tTB-001')" &&
        expect_out cl "$(printf '5\t1\t2\t2\ttb-r\tTB-002')" &&
        expect_out cl "$(printf '12\t1\t3\t3\ttb-r\tTB-003')" || return 1
    if grep -qP '^5\t.*TB-003' "$TMP/cl.out"; then
        echo "TB-003 clustered at 5 SNPs"
        return 1
    fi
    grep -qE '^\(.*TB-001.*TB-002.*TB-003.*\);$' "$TMP/cl.out" || {
        echo "no Newick line: $(tail -n 1 "$TMP/cl.out")"
        return 1
    }
    cli cj tb clusters --threshold 5 --json || return 1
    expect_out cj '"snps": 1' && expect_out cj '"threshold": 5'
}
check cli_clusters_thresholds_and_newick clusters_cli

clusters_bad_threshold() {
    run ct tb clusters --threshold 5,99
    expect_rc ct 2 && expect_err ct "from 0 to 50"
}
check cli_clusters_threshold_range clusters_bad_threshold

markers_who() {
    if [ ! -f "$CAT" ] || [ ! -f "$WHO.genotypes.tsv.gz" ]; then
        echo "no WHO catalogue or isolates under $DATA/tb"
        return 77
    fi
    cli d2 dataset add tb-who --tier restricted --data-type microbial_genomes \
        --institution labA --consortium tbnet || return 1
    cli iw tb isolate import --dataset tb-who --who-genotypes "$WHO.genotypes.tsv.gz" \
        --who-phenotypes "$WHO.phenotypes.tsv.gz" --who-samples "$WHO.samples.tsv.gz" ||
        { expect_rc iw 0; return 1; }
    expect_out iw "imported 800 isolates" || return 1
    run mk0 tb markers --drug rifampicin
    expect_rc mk0 1 && expect_err mk0 "no catalogue" || return 1
    cli cat tb catalogue load "$CAT" --version who2023 || { expect_rc cat 0; return 1; }
    cli mk tb markers --drug RIF || { expect_rc mk 0; return 1; }
    # the first WHO isolate (sample 823: rpoB, katG, pncA resistance variants) is MDR-TB by
    # the stored catalogue; a genome isolate needs the stored reference for its report
    cli rs tb isolate show 4 || return 1
    expect_out rs '"type": "MDR-TB"' && expect_out rs '"call": "R"' || return 1
    cli rn tb isolate show 1 || return 1
    expect_out rn '"resistance_note": "no TB reference loaded' || return 1
    # 798 WHO isolates (the samples' genotype gaps leave 2 out, as WHO's own count) plus the
    # 3 fixture isolates with a rifampicin result; S450L is graded 1 with a high PPV
    expect_out mk "rifampicin: 801 isolates with a phenotype" || return 1
    awk -F'\t' '$1 == "rpoB" && $2 == "p.Ser450Leu" && $3 == 1 && $4 > 100 && $8 > 0.9 {ok=1}
        END {exit !ok}' "$TMP/mk.out" || {
        echo "no graded rpoB p.Ser450Leu row with PPV > 0.9: $(grep Ser450Leu "$TMP/mk.out")"
        return 1
    }
    # isoniazid's genes hold more than 256 distinct variants here (the variant table grows)
    cli mi tb markers --drug isoniazid || { expect_rc mi 0; return 1; }
    awk -F'\t' '$1 == "katG" && $2 == "p.Ser315Thr" && $3 == 1 && $8 > 0.9 {ok=1}
        END {exit !ok}' "$TMP/mi.out" || {
        echo "no graded katG p.Ser315Thr row with PPV > 0.9: $(grep Ser315Thr "$TMP/mi.out")"
        return 1
    }
    run mx tb markers --drug nosuchdrug
    expect_rc mx 1 && expect_err mx "grades no variant for drug"
}
check cli_markers_on_who_isolates markers_who

# por5A1 stored as an isolate: its edits named on the stored reference at import, its report
# what TB-Profiler gives (MDR-TB, lineage4.3.4.2, the four resistance variants)
por5_stored() {
    local d=$DATA/tb
    if [ ! -f "$d/isolates/por5A1.tbprofiler-test.vcf.gz" ] || [ ! -f "$d/NC_000962.3.fasta.gz" ] ||
        [ ! -f "$CAT" ]; then
        echo "no H37Rv, catalogue or por5A1 under $d"
        return 77
    fi
    cli ref tb reference load --fasta "$d/NC_000962.3.fasta.gz" --gff "$d/tbdb.genome.gff.gz" \
        --barcode "$d/tbdb.barcode.bed" --mask "$d/tbdb.mask.bed" || { expect_rc ref 0; return 1; }
    printf 'isolate\tyear\tcountry\tvcf\npor5A1\t2019\tPT\t%s\n' \
        "$d/isolates/por5A1.tbprofiler-test.vcf.gz" >"$TMP/por5.tsv"
    cli ip tb isolate import "$TMP/por5.tsv" --dataset tb-r || { expect_rc ip 0; return 1; }
    expect_out ip "named on the reference" || return 1
    local id
    id=$(awk -F'\t' '$3 == "por5A1" {print $1}' <("$BIN" tb isolate list 2>/dev/null))
    cli ps tb isolate show "$id" || { expect_rc ps 0; return 1; }
    expect_out ps '"type": "MDR-TB"' && expect_out ps '"sub_lineage": "lineage4.3.4.2"' &&
        expect_out ps '"name": "p.Ser450Leu"' && expect_out ps '"name": "c.-777C>T"' &&
        expect_out ps '"name": "p.Met306Val"' && expect_out ps '"name": "p.Val125Gly"' || return 1
    # with no mask of its own, a fresh database takes the stored reference's mask
    local f=$TMP/fresh.db
    cli f0 init --db "$f" && cli f1 institution add labF --country JP --db "$f" &&
        cli f2 consortium add tbf --db "$f" && cli f3 consortium join tbf --institution labF --db "$f" &&
        cli f4 dataset add tb-f --tier restricted --data-type microbial_genomes --institution labF \
            --consortium tbf --db "$f" || { echo "fresh database: $(cat "$TMP"/f*.err | head -c 300)"; return 1; }
    run f5 tb isolate import "$TMP/por5.tsv" --dataset tb-f --db "$f"
    expect_rc f5 1 && expect_err f5 "no SNP mask" || return 1
    cli f6 tb reference load --fasta "$d/NC_000962.3.fasta.gz" --gff "$d/tbdb.genome.gff.gz" \
        --barcode "$d/tbdb.barcode.bed" \
        --mask "$d/tbdb.mask.bed" --db "$f" || { expect_rc f6 0; return 1; }
    cli f7 tb isolate import "$TMP/por5.tsv" --dataset tb-f --db "$f" || { expect_rc f7 0; return 1; }
    expect_out f7 "1 with genome calls" || return 1
    # a VCF whose REF disagrees with H37Rv is refused once the reference is stored
    sed 's/\t1000\t.\tG\tA\t/\t1000\t.\tT\tA\t/' "$FIX/iso1.vcf" >"$TMP/iso1-bad.vcf"
    printf 'isolate\tvcf\nBAD\t%s\n' "$TMP/iso1-bad.vcf" >"$TMP/bad.tsv"
    run ib tb isolate import "$TMP/bad.tsv" --dataset tb-r
    expect_rc ib 1 && expect_err ib "isolate 'BAD', variant 1000 T>A"
}
check cli_por5A1_stored_matches_tbprofiler por5_stored

# ---- the API ----

start_server_or_exit srv

api_reads() {
    http a0 GET /api/v1/tb/isolates/1
    expect_error a0 404 not_found || return 1
    get_as a1 /api/v1/tb/isolates/1 kim
    expect_error a1 404 not_found || return 1
    get_as a2 /api/v1/tb/isolates/1 sam
    expect_status a2 200 && expect_body a2 '"isolate":"TB-001"' || return 1
    get_as a3 "/api/v1/tb/isolates?dataset=tb-r" sam
    # the 3 fixture isolates, and por5A1 when the data was there
    expect_status a3 200 && grep -qE '"total":(3|4)' "$TMP/a3.body" || {
        echo "a3: $(head -c 200 "$TMP/a3.body")"
        return 1
    }
    get_as a4 /api/v1/tb/isolates kim
    expect_status a4 200 && expect_body a4 '"total":0' || return 1
    get_as a5 "/api/v1/tb/isolates?dataset=tb-r" kim
    expect_error a5 404 not_found
}
check api_isolates_read_access api_reads

api_import() {
    local body='{"dataset":"tb-r","isolates":[{"isolate":"TB-004","year":2024,"country":"JP",
      "variants":[{"pos":1000,"ref":"G","alt":"A"},{"pos":2000,"ref":"C","alt":"T"},
      {"pos":3000,"ref":"C","alt":"A"},{"pos":3500,"ref":"T","alt":"G"}],
      "dst":[{"drug":"rifampicin","result":"S","method":"MGIT"}]}]}'
    http p1 POST /api/v1/tb/isolates -H 'Content-Type: application/json' --data-binary "$body" \
        -H "$(bearer sam)"
    # one new row: against every stored genome (the fixture's 3, and por5A1 when present)
    expect_status p1 201 && grep -qE '"pairs_computed":(3|4)' "$TMP/p1.body" || {
        echo "p1: $(head -c 200 "$TMP/p1.body")"
        return 1
    }
    http p2 POST /api/v1/tb/isolates -H 'Content-Type: application/json' --data-binary "$body" \
        -H "$(bearer kim)"
    expect_error p2 404 not_found || return 1
    http p3 POST /api/v1/tb/isolates -H 'Content-Type: application/json' --data-binary '{"dataset":' \
        -H "$(bearer sam)"
    expect_status p3 400 || return 1
    http p4 POST /api/v1/tb/isolates -H 'Content-Type: application/json' \
        --data-binary '{"dataset":"tb-r","isolates":[{"isolate":"X","variants":[{"pos":0,"ref":"A","alt":"G"}]}]}' \
        -H "$(bearer sam)"
    expect_error p4 400 invalid_input || return 1
    http p5 POST /api/v1/tb/isolates -H 'Content-Type: application/json' --data-binary "$body"
    expect_status p5 401
}
check api_isolates_import_json api_import

api_clusters() {
    get_as c1 "/api/v1/tb/clusters?threshold=1&newick=1" sam
    expect_status c1 200 && expect_body c1 '"threshold":1' && expect_body c1 '"newick":"' || return 1
    # TB-004 is 1 SNP from TB-002: at 1 SNP the cluster is TB-001, TB-002, TB-004
    expect_body c1 '"size":3' || return 1
    get_as c2 "/api/v1/tb/clusters" kim
    expect_status c2 200 && expect_body c2 '"isolates":0' || return 1
    get_as c3 "/api/v1/tb/clusters?threshold=abc" sam
    expect_error c3 400 invalid_input
}
check api_clusters_access_and_thresholds api_clusters

api_markers() {
    if [ ! -f "$CAT" ]; then
        echo "no WHO catalogue under $DATA/tb"
        return 77
    fi
    get_as m1 "/api/v1/tb/markers?drug=rifampicin&catalogue=who2023" sam
    expect_status m1 200 && expect_body m1 '"interval":"Wilson score 95%"' &&
        expect_body m1 '"variants":[' && expect_body m1 '"catalogue":"who2023"' || return 1
    get_as m0 "/api/v1/tb/markers?drug=rifampicin&catalogue=nosuch" sam
    expect_error m0 422 unprocessable || return 1
    get_as m2 "/api/v1/tb/markers" sam
    expect_error m2 400 invalid_input
}
check api_markers api_markers

check sanitizers_clean sanitizers_clean
summary_and_exit
