#!/usr/bin/env bash
# test_variants.sh — end-to-end tests of the variant knowledge base: `genoshare variants`
# (template, submit all or nothing with a per-line report, curate, queue, search in three
# formats, show, --as) and /api/v1/variants over a real server on loopback (submit as JSON and
# as a TSV body, the report, the curation queue and decisions, search and the variant page,
# 404 for what the caller may not see, tiers). With the real data in $GENOSHARE_DATA: the
# ClinVar BRCA1 region loads with the reference (0 REF mismatches), its exported VCF reads in
# bcftools, region queries return the records `bcftools view -r` returns, and indels placed
# at the right end of real homopolymer runs are left-aligned as `bcftools norm` does.
#
#   bash tests/e2e/test_variants.sh [BINARY]     (default build/san/genoshare)
set -u

BIN=${1:-build/san/genoshare}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/genoshare-variants.XXXXXX")
DB=$TMP/variants.db
export GENOSHARE_DB=$DB
DATA=${GENOSHARE_DATA:-../shared/data}
case $DATA in /*) ;; *) DATA=$PWD/$DATA ;; esac
VDATA=$DATA/variants
FASTA=$VDATA/GRCh38_chr17_BRCA1region_Npadded.fa.gz
CLINVAR=$VDATA/clinvar_20260226_GRCh38_BRCA1region.vcf.gz

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
trap cleanup_server_and_tmp EXIT
trap 'exit 130' INT TERM

if [ ! -x "$BIN" ]; then
    fail setup "no executable at $BIN"
    summary_and_exit
fi
T=$(printf '\t')

# ---- fixture: hospA JP (sam: submitter), hospB JP (bea: submitter, cur: curator) ----
fixture() {
    cli init init || return 1
    cli ia institution add hospA --country JP && cli ib institution add hospB --country JP ||
        return 1
    local n user inst roles
    for n in sam:hospA:member,submitter bea:hospB:member,submitter cur:hospB:member,curator; do
        IFS=: read -r user inst roles <<<"$n"
        cli "u-$user" user add "$user" --institution "$inst" --roles "$roles" || return 1
        cli "t-$user" token create --user "$user" --name e2e || return 1
        tail -n 1 "$TMP/t-$user.out" >"$TMP/token.$user"
    done
    cli d1 dataset add vkb --tier open --data-type variants --institution hospA &&
        cli d2 dataset add vkbc --tier controlled --data-type variants --institution hospA &&
        cli d3 dataset add clinvar --tier open --data-type variants --institution hospB
}
if ! why=$(fixture 2>&1); then
    fail fixture "$(oneline "$why") $(cat "$TMP"/*.err 2>/dev/null | head -c 300)"
    summary_and_exit
fi

HEAD="#chrom${T}pos${T}ref${T}alt${T}gene${T}classification${T}condition_ids${T}condition_name${T}disease_area${T}date"
row() { printf '%s\t%s\t%s\t%s\tBRCA1\t%s\tMONDO:0011450\tBreast-ovarian cancer, familial 1\tcancer\t2025-06-01\n' "$@"; }

# ---- the command line ----

template() {
    cli tpl variants template || return 1
    expect_out tpl "#chrom${T}pos${T}ref${T}alt" && expect_out tpl "disease_area"
}
check cli_template template

all_or_nothing() {
    { echo "$HEAD"; row chr17 43045712 T C Pathogenic; row 17 43045713 A G Bogus_term
      row 17 notanumber A G Benign; } >"$TMP/bad.tsv"
    run bad variants submit "$TMP/bad.tsv" --dataset vkb
    expect_rc bad 1 && expect_out bad "line 3: error: unknown classification" &&
        expect_out bad "line 4: error: pos" && expect_out bad "nothing was stored" || return 1
    cli none variants search --region 17:43045700-43045720 --format tsv || return 1
    expect_equal "rows after a refused file" 1 "$(wc -l <"$TMP/none.out")"
}
check cli_submit_all_or_nothing all_or_nothing

submit_cli() {
    { echo "$HEAD"; row chr17 43045712 T C Pathogenic; row 17 43045713 C G,A Likely_benign; } \
        >"$TMP/good.tsv"
    cli good variants submit "$TMP/good.tsv" --dataset vkb --as sam || { expect_rc good 0; return 1; }
    expect_out good "stored batch 1: 2 lines, 3 submissions (3 new" &&
        expect_out good "multi-allelic record split"
}
check cli_submit_as_submitter submit_cli

pending_visibility() {
    cli op variants search --region 17:43045700-43045720 --format tsv &&
        cli s1 variants search --region 17:43045700-43045720 --format tsv --as sam &&
        cli b1 variants search --region 17:43045700-43045720 --format tsv --as bea || return 1
    expect_equal "operator rows" 4 "$(wc -l <"$TMP/op.out")" &&
        expect_equal "submitter's institution rows" 4 "$(wc -l <"$TMP/s1.out")" &&
        expect_equal "other institution rows" 1 "$(wc -l <"$TMP/b1.out")"
}
check cli_pending_seen_by_own_institution_only pending_visibility

curate_cli() {
    run nocur variants curate accept 1 --as bea
    expect_rc nocur 1 && expect_err nocur "curator role" || return 1
    cli q variants queue --as cur || return 1
    expect_equal "queue length" 3 "$(wc -l <"$TMP/q.out")" || return 1
    cli acc variants curate accept 1 --comment "checked" --as cur || return 1
    run ret0 variants curate return 2 --as cur
    expect_rc ret0 1 && expect_err ret0 "needs a comment" || return 1
    cli ret variants curate return 2 --comment "cite evidence" --as cur || return 1
    cli b2 variants search --region 17:43045700-43045720 --format tsv --as bea || return 1
    expect_equal "rows after one accept" 2 "$(wc -l <"$TMP/b2.out")" &&
        grep -q "^[0-9]*${T}GRCh38${T}17${T}43045712${T}T${T}C${T}" "$TMP/b2.out" || {
        echo "accepted variant missing: $(cat "$TMP/b2.out")"
        return 1
    }
}
check cli_curate_accept_return curate_cli

resubmit_history() {
    { echo "$HEAD"; row 17 43045712 T C Likely_pathogenic; } >"$TMP/re.tsv"
    cli re variants submit "$TMP/re.tsv" --dataset vkb --as sam || return 1
    expect_out re "1 updated" || return 1
    cli sh variants submission 1 --as sam || return 1
    expect_out sh "version 2, pending" && expect_out sh "version 1 (replaced"
}
check cli_resubmit_keeps_history resubmit_history

formats() {
    cli fj variants search --region 17:43045712 --format json && cli fv variants search \
        --hgvs 'NC_000017.11:g.43045712T>C' --format vcf || return 1
    grep -q '"review_status":"criteria provided, single submitter"' "$TMP/fj.out" || {
        echo "json: $(head -c 300 "$TMP/fj.out")"; return 1; }
    bcftools view -H "$TMP/fv.out" >"$TMP/fv.rows" 2>"$TMP/fv.bcferr" || {
        echo "bcftools cannot read our VCF: $(head -c 300 "$TMP/fv.bcferr")"; return 1; }
    expect_equal "vcf rows" 1 "$(wc -l <"$TMP/fv.rows")"
}
check cli_search_formats formats

# ---- the API ----

start_server_or_exit srv

api_submit() {
    local body
    body=$(printf '{"dataset":"vkbc","format":"tsv","content":"%s\\n17\\t43045800\\tA\\tG\\tBRCA1\\tUncertain significance\\tMONDO:0011450\\tBOC\\tcancer\\t2025-06-01\\n"}' \
        "$(printf '%s' "$HEAD" | sed 's/\t/\\t/g')")
    http sub POST /api/v1/variants/submissions -H 'Content-Type: application/json' \
        --data-binary "$body" -H "$(bearer sam)"
    expect_status sub 201 || return 1
    local batch
    batch=$(json_num sub batch)
    http rep GET "/api/v1/variants/submissions/$batch" -H "$(bearer sam)"
    expect_status rep 200 && expect_body rep '"stored":true' || return 1
    http rep2 GET "/api/v1/variants/submissions/$batch" -H "$(bearer bea)"
    expect_error rep2 404 not_found
}
check api_submit_json_and_report api_submit

api_refused() {
    { echo "$HEAD"; row 17 43045801 A G Pathogenic; row 17 0 A G Pathogenic; } >"$TMP/api-bad.tsv"
    http bad POST "/api/v1/variants/submissions?dataset=vkb" \
        -H 'Content-Type: text/tab-separated-values' --data-binary "@$TMP/api-bad.tsv" \
        -H "$(bearer sam)"
    expect_status bad 422 && expect_body bad '"line":3,"level":"error"' &&
        expect_body bad '"stored":false'
}
check api_submit_refused_422_with_lines api_refused

api_curation() {
    http q GET /api/v1/variants/curation -H "$(bearer cur)"
    expect_status q 200 || return 1
    local sid
    sid=$(grep -o '"id": *[0-9]*' "$TMP/q.body" | head -1 | grep -o '[0-9]*$')
    [ -n "$sid" ] || { echo "queue empty: $(head -c 300 "$TMP/q.body")"; return 1; }
    http no POST "/api/v1/variants/curation/$sid" -H 'Content-Type: application/json' \
        --data-binary '{"decision":"accept"}' -H "$(bearer bea)"
    expect_error no 403 forbidden || return 1
    http yes POST "/api/v1/variants/curation/$sid" -H 'Content-Type: application/json' \
        --data-binary '{"decision":"accept","comment":"fine"}' -H "$(bearer cur)"
    expect_status yes 200 && expect_body yes accepted
}
check api_curation_queue_and_decision api_curation

api_search() {
    http anon GET '/api/v1/variants?region=17:43045700-43045900'
    expect_status anon 200 || return 1
    # anonymous: the accepted open one; the controlled one needs a grant
    expect_equal "anonymous total" 1 "$(json_num anon total)" || return 1
    http sam GET '/api/v1/variants?region=17:43045700-43045900' -H "$(bearer sam)"
    expect_equal "submitter total" 4 "$(json_num sam total)" || return 1
    local id
    id=$(json_num anon id)
    http page GET "/api/v1/variants/$id"
    expect_status page 200 && expect_body page '"conditions"' || return 1
    http hid GET "/api/v1/variants/999999"
    expect_error hid 404 not_found || return 1
    http vcf GET '/api/v1/variants?gene=BRCA1&format=vcf'
    expect_error vcf 404 not_found || return 1 # no gene table loaded yet: named
    http bad GET '/api/v1/variants'
    expect_error bad 400 invalid_input
}
check api_search_and_page api_search

api_hidden_controlled() {
    local id
    http s GET '/api/v1/variants?region=17:43045800' -H "$(bearer sam)"
    id=$(json_num s id)
    [ -n "$id" ] || { echo "no id: $(head -c 200 "$TMP/s.body")"; return 1; }
    http h GET "/api/v1/variants/$id" -H "$(bearer bea)"
    expect_error h 404 not_found && expect_body h "no variant with id $id"
}
check api_controlled_hidden_like_missing api_hidden_controlled

# ---- real data (skipped without it) ----

need_data() {
    [ -r "$FASTA" ] && [ -r "$CLINVAR" ] || { echo "no $VDATA"; return 77; }
    command -v bcftools >/dev/null || { echo "no bcftools"; return 77; }
}

clinvar_load() {
    need_data || return $?
    cli cv variants submit "$CLINVAR" --dataset clinvar --reference "$FASTA" || {
        echo "$(tail -c 300 "$TMP/cv.out") $(head -c 200 "$TMP/cv.err")"; return 1; }
    expect_out cv "14998 lines, 14998 submissions" || return 1
    cli cva variants curate accept 4 --batch || return 1
    cli gl variants genes load "$VDATA/genes_GRCh38_Ensembl109_BRCA1region.tsv" &&
        expect_out gl "228 gene"
}
check clinvar_brca1_loads_with_reference clinvar_load

regions_like_bcftools() {
    need_data || return $?
    local r
    for r in 17:43044295-43045000 17:43057000-43057200 17:43094000-43094100 17:43125000-43125483; do
        cli rq variants search --region "$r" --dataset clinvar --format vcf || return 1
        bcftools view -H "$TMP/rq.out" | cut -f1,2,4,5 | sort >"$TMP/ours.txt" &&
            bcftools view -H -r "$r" "$CLINVAR" | cut -f1,2,4,5 | sort >"$TMP/theirs.txt" ||
            return 1
        [ -s "$TMP/theirs.txt" ] || { echo "region $r is empty in ClinVar"; return 1; }
        cmp -s "$TMP/ours.txt" "$TMP/theirs.txt" || {
            echo "region $r differs: ours $(wc -l <"$TMP/ours.txt"), bcftools $(wc -l <"$TMP/theirs.txt")"
            return 1
        }
    done
}
check regions_same_records_as_bcftools regions_like_bcftools

gene_export_reads() {
    need_data || return $?
    cli gx variants search --gene BRCA1 --dataset clinvar --format vcf || return 1
    local n
    n=$(bcftools view -H "$TMP/gx.out" 2>"$TMP/gx.bcf" | wc -l)
    # every ClinVar record of the region file is BRCA1 and inside the gene
    expect_equal "BRCA1 export rows read by bcftools" 14998 "$n"
}
check gene_export_is_valid_vcf gene_export_reads

# Indels put at the right end of real homopolymer runs of the BRCA1 region: the records we
# store are those `bcftools norm -f` writes.
left_align_like_bcftools() {
    need_data || return $?
    zcat "$FASTA" | awk -v from=43050001 -v to=43070000 '
        NR == 1 { next }
        { start = (NR - 2) * 60 + 1; end = start + length($0) - 1
          if (end >= from && start <= to) seq = seq $0 }
        END { print substr(seq, 1, to - from + 1) }' >"$TMP/seq.txt"
    awk -v from=43050001 -v T="$T" '
        { s = $0; n = 0; i = 1
          while (i <= length(s) && n < 12) {
            b = substr(s, i, 1); j = i
            while (j < length(s) && substr(s, j + 1, 1) == b) j++
            if (j - i + 1 >= 4 && b ~ /[ACGT]/) {
              n++; p = from + j - 1
              if (n % 2) print "17" T p T "." T b T b b T "." T "." T "."
              else print "17" T (p - 1) T "." T b b T b T "." T "." T "."
            }
            i = j + 1
          } }' "$TMP/seq.txt" >"$TMP/shifted.body"
    [ "$(wc -l <"$TMP/shifted.body")" -ge 6 ] || { echo "too few runs found"; return 1; }
    { printf '##fileformat=VCFv4.2\n##contig=<ID=17>\n'
      printf '##INFO=<ID=CLNSIG,Number=1,Type=String,Description="c">\n'
      printf '##INFO=<ID=CLNDN,Number=1,Type=String,Description="d">\n'
      printf '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n'
      sed 's/\t\.$/\tCLNSIG=Uncertain_significance;CLNDN=Test_condition/' "$TMP/shifted.body"; } >"$TMP/shifted.vcf"
    bcftools norm -f "$FASTA" "$TMP/shifted.vcf" 2>/dev/null | grep -v '^#' | cut -f1,2,4,5 |
        sort >"$TMP/norm.bcf" || return 1
    cli la dataset add leftalign --tier open --data-type variants --institution hospA &&
        cli ls variants submit "$TMP/shifted.vcf" --dataset leftalign --reference "$FASTA" \
            --disease-area other || { echo "$(head -c 300 "$TMP/ls.out")"; return 1; }
    grep -q "normalised to" "$TMP/ls.out" || { echo "nothing was normalised"; return 1; }
    cli lx variants search --dataset leftalign --format vcf || return 1
    bcftools view -H "$TMP/lx.out" | cut -f1,2,4,5 | sort >"$TMP/norm.ours"
    cmp -s "$TMP/norm.ours" "$TMP/norm.bcf" || {
        echo "differs from bcftools norm: $(diff "$TMP/norm.ours" "$TMP/norm.bcf" | head -4 | tr '\n' ' ')"
        return 1
    }
}
check left_align_same_as_bcftools_norm left_align_like_bcftools

ref_mismatch_lines() {
    need_data || return $?
    printf '##fileformat=VCFv4.2\n##contig=<ID=17>\n##INFO=<ID=CLNSIG,Number=1,Type=String,Description="c">\n##INFO=<ID=CLNDN,Number=1,Type=String,Description="d">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n17\t43045712\t.\tT\tC\t.\t.\tCLNSIG=Pathogenic;CLNDN=X\n17\t43045712\t.\tG\tC\t.\t.\tCLNSIG=Pathogenic;CLNDN=X\n' \
        >"$TMP/mm.vcf"
    run mm variants submit "$TMP/mm.vcf" --dataset vkb --reference "$FASTA" --disease-area cancer
    expect_rc mm 1 && expect_out mm "line 7: error: REF 'G' does not match the reference 'T' at 17:43045712"
}
check ref_mismatch_refused_with_line ref_mismatch_lines

stop_server 15
check sanitizers sanitizers_clean
summary_and_exit
