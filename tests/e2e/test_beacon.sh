#!/usr/bin/env bash
# test_beacon.sh — end-to-end tests of the GA4GH Beacon v2 under /beacon/v2/ on a real server:
# three variant datasets (open, controlled, restricted) with accepted submissions (and one
# pending), five callers (anonymous, a signed-in stranger, a grant holder, a consortium member,
# an administrator with every role), and
#   - every endpoint × granularity (GET and POST, errors included) validated against the Beacon
#     v2 JSON Schemas by beacon_validate.mjs (ajv 8, draft 2020-12);
#   - the tier × caller × granularity matrix: nobody gets more than its level — no records,
#     counts or even existence of data above it, and no hidden dataset's name;
#   - the query forms (sequence, range, bracket, gene, filters, skip/limit, variantType).
#
#   bash tests/e2e/test_beacon.sh [BINARY]     (default build/san/genoshare)
set -u

BIN=${1:-build/san/genoshare}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/genoshare-beacon.XXXXXX")
DB=$TMP/beacon.db
export GENOSHARE_DB=$DB
DATA=${GENOSHARE_DATA:-../shared/data}
case $DATA in /*) ;; *) DATA=$PWD/$DATA ;; esac
SCHEMAS=$DATA/beacon-v2
HERE=$(cd "$(dirname "$0")" && pwd)
export NODE_PATH=$HERE/../browser/node_modules

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
trap cleanup_server_and_tmp EXIT
trap 'exit 130' INT TERM
require_tools node curl bgzip tabix

if [ ! -x "$BIN" ]; then
    fail setup "no executable at $BIN"
    summary_and_exit
fi

CALLERS="anonymous stranger grantee member admin"
# as TAG CALLER METHOD PATH [CURL-ARGS...]: a request as CALLER (anonymous: no token)
as() {
    local tag=$1 who=$2 method=$3 path=$4
    shift 4
    if [ "$who" = anonymous ]; then
        http "$tag" "$method" "$path" "$@"
    else
        http "$tag" "$method" "$path" -H "$(bearer "$who")" "$@"
    fi
}

# ---- fixture ----
vcf() { # FILE then lines "CHROM POS REF ALT CLNSIG CONDITION_ID"
    local f=$1
    shift
    {
        printf '##fileformat=VCFv4.2\n##contig=<ID=17,length=83257441>\n'
        printf '##INFO=<ID=CLNSIG,Number=.,Type=String,Description="classification">\n'
        printf '##INFO=<ID=CLNDN,Number=.,Type=String,Description="condition">\n'
        printf '##INFO=<ID=CLNDISDB,Number=.,Type=String,Description="condition ids">\n'
        printf '##INFO=<ID=CLNREVSTAT,Number=.,Type=String,Description="review">\n'
        printf '##INFO=<ID=GENEINFO,Number=1,Type=String,Description="gene">\n'
        printf '##INFO=<ID=GS_AREA,Number=1,Type=String,Description="disease area">\n'
        printf '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n'
        local chrom pos ref alt sig cond
        while read -r chrom pos ref alt sig cond; do
            [ -n "$chrom" ] || continue
            printf '%s\t%s\t.\t%s\t%s\t.\t.\tCLNSIG=%s;CLNDN=Some_condition;CLNDISDB=%s;CLNREVSTAT=criteria_provided,_single_submitter;GENEINFO=BRCA1:672;GS_AREA=cancer\n' \
                "$chrom" "$pos" "$ref" "$alt" "$sig" "$cond"
        done
    } >"$f"
}

# submit_accept TAG DATASET FILE [accept]: submits FILE and, with "accept", accepts its batch
submit_accept() {
    cli "$1" variants submit --dataset "$2" "$3" || { cat "$TMP/$1.err"; return 1; }
    [ "${4:-}" = accept ] || return 0
    local batch
    batch=$(grep -o 'batch [0-9]*' "$TMP/$1.out" "$TMP/$1.err" | head -1 | grep -o '[0-9]*$')
    [ -n "$batch" ] || { echo "no batch id in: $(cat "$TMP/$1.out")"; return 1; }
    # each pending submission of the batch (`variants queue`: id, batch, …)
    cli "$1-q" variants queue || { cat "$TMP/$1-q.err"; return 1; }
    local id n=0
    for id in $(awk -F'\t' -v b="$batch" '$2 == b {print $1}' "$TMP/$1-q.out"); do
        cli "$1-acc" variants curate accept "$id" --comment ok || { cat "$TMP/$1-acc.err"; return 1; }
        n=$((n + 1))
    done
    [ "$n" -gt 0 ] || { echo "batch $batch: nothing to accept in $(head -c 200 "$TMP/$1-q.out")"; return 1; }
}

# submit_batch_accept TAG DATASET FILE: submits FILE and accepts its whole batch
submit_batch_accept() {
    cli "$1" variants submit --dataset "$2" --disease-area cancer "$3" || { cat "$TMP/$1.err"; return 1; }
    local batch
    batch=$(grep -o 'batch [0-9]*' "$TMP/$1.out" "$TMP/$1.err" | head -1 | grep -o '[0-9]*$')
    cli "$1-acc" variants curate accept "$batch" --batch --comment ok || { cat "$TMP/$1-acc.err"; return 1; }
}

fixture() {
    cli init init || return 1
    local i
    for i in owner-h member-h other-h; do cli "i-$i" institution add "$i" --country JP || return 1; done
    cli c consortium add rare && cli j1 consortium join rare --institution owner-h &&
        cli j2 consortium join rare --institution member-h || return 1
    local u inst roles
    for i in stranger:other-h:member grantee:other-h:member member:member-h:member \
             admin:other-h:member,submitter,curator,dac,admin; do
        IFS=: read -r u inst roles <<<"$i"
        cli "u-$u" user add "$u" --institution "$inst" --roles "$roles" || return 1
        cli "t-$u" token create --user "$u" --name e2e || return 1
        tail -n 1 "$TMP/t-$u.out" >"$TMP/token.$u"
    done
    cli d1 dataset add v-open --tier open --data-type variants --institution owner-h &&
        cli d2 dataset add v-ctrl --tier controlled --data-type variants --institution owner-h &&
        cli d3 dataset add v-restr --tier restricted --data-type variants --institution owner-h \
            --consortium rare || return 1
    cli g1 grant add --dataset v-ctrl --user grantee --days 30 || return 1
    # a variant in every dataset, one only in each, one pending only (never in the Beacon)
    printf '17 43045712 T C Pathogenic MONDO:0011450\n17 43045800 A G Likely_benign MONDO:0003582\n17 43045802 AG A Pathogenic MONDO:0011450\n' | vcf "$TMP/open.vcf"
    printf '17 43045712 T C Pathogenic MONDO:0011450\n17 43046000 C T Uncertain_significance MONDO:0011450\n' | vcf "$TMP/ctrl.vcf"
    printf '17 43045712 T C Likely_pathogenic MONDO:0011450\n17 43047000 G A Pathogenic MONDO:0011450\n' | vcf "$TMP/restr.vcf"
    printf '17 43048000 T G Pathogenic MONDO:0011450\n' | vcf "$TMP/pending.vcf"
    # a reference source with population frequencies for the shared variant
    printf '##fileformat=VCFv4.2\n##source=TinyFreq\n##INFO=<ID=AF,Number=A,Type=Float,Description="AF">\n##INFO=<ID=EAS_AF,Number=A,Type=Float,Description="EAS AF">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n17\t43045712\trs9\tT\tC\t.\t.\tAF=0.01;EAS_AF=0.02\n' |
        bgzip -c >"$TMP/freq.vcf.gz" && tabix -p vcf "$TMP/freq.vcf.gz" &&
        cli src source add tinyfreq "$TMP/freq.vcf.gz" || return 1
    submit_accept s1 v-open "$TMP/open.vcf" accept && submit_accept s2 v-ctrl "$TMP/ctrl.vcf" accept &&
        submit_accept s3 v-restr "$TMP/restr.vcf" accept && submit_accept s4 v-open "$TMP/pending.vcf"
}
if ! why=$(fixture 2>&1); then
    fail fixture "$(oneline "$why") $(cat "$TMP"/*.err 2>/dev/null | head -c 300)"
    summary_and_exit
fi
start_server_or_exit srv

# ---- schema validation of every endpoint × granularity ----
: >"$TMP/schemas.tsv"
R=framework/json/responses
expect_schema() { printf '%s\t%s\n' "$1" "$TMP/$2.body" >>"$TMP/schemas.tsv"; } # SCHEMA TAG

Q='referenceName=17&start=43045711&referenceBases=T&alternateBases=C'
collect() {
    local e
    for e in "" info service-info configuration map entry_types filtering_terms; do
        http "ep${e//[^a-z]/}" GET "/beacon/v2/$e"
    done
    expect_schema $R/beaconInfoResponse.json ep
    expect_schema $R/beaconInfoResponse.json epinfo
    expect_schema $R/ga4gh-service-info-1-0-0-schema.json epserviceinfo
    expect_schema $R/beaconConfigurationResponse.json epconfiguration
    expect_schema $R/beaconMapResponse.json epmap
    expect_schema $R/beaconEntryTypesResponse.json epentrytypes
    expect_schema $R/beaconFilteringTermsResponse.json epfilteringterms
    local g schema
    for g in boolean count record; do
        case $g in boolean) schema=beaconBooleanResponse ;; count) schema=beaconCountResponse ;;
                   record) schema=beaconResultsetsResponse ;; esac
        as "gv-$g" member GET "/beacon/v2/g_variants?$Q&requestedGranularity=$g"
        expect_schema "$R/$schema.json" "gv-$g"
        as "gvp-$g" member POST /beacon/v2/g_variants -H 'Content-Type: application/json' \
            --data-binary "{\"meta\":{\"apiVersion\":\"v2.0.0\"},\"query\":{\"requestParameters\":{\"referenceName\":\"17\",\"start\":[43045000],\"end\":[43048000]},\"filters\":[\"MONDO:0011450\"],\"requestedGranularity\":\"$g\",\"includeResultsetResponses\":\"ALL\"}}"
        expect_schema "$R/$schema.json" "gvp-$g"
        as "ds-$g" member GET "/beacon/v2/datasets?requestedGranularity=$g"
        expect_schema $R/beaconCollectionsResponse.json "ds-$g"
        as "one-$g" anonymous GET "/beacon/v2/g_variants/1?requestedGranularity=$g"
        expect_schema "$R/$schema.json" "one-$g"
    done
    http miss GET "/beacon/v2/g_variants?referenceName=17&start=1&alternateBases=A&requestedGranularity=record"
    expect_schema $R/beaconResultsetsResponse.json miss
    http err400 GET "/beacon/v2/g_variants?referenceName=17"
    http err404 GET /beacon/v2/individuals
    http err405 DELETE /beacon/v2/g_variants
    http err415 POST /beacon/v2/g_variants --data-binary '{}'
    http errjson POST /beacon/v2/g_variants -H 'Content-Type: application/json' --data-binary '{"query":'
    http err401 GET "/beacon/v2/g_variants?$Q" -H 'Authorization: Bearer not-a-token'
    head -c 2000000 /dev/zero | tr '\0' ' ' >"$TMP/big.json"
    http err413 POST /beacon/v2/g_variants -H 'Content-Type: application/json' --data-binary "@$TMP/big.json"
    for e in err400 err401 err404 err405 err413 err415 errjson; do expect_schema $R/beaconErrorResponse.json "$e"; done
}
collect
node "$HERE/beacon_validate.mjs" "$SCHEMAS" "$TMP/schemas.tsv" >"$TMP/validate.out" 2>&1
vstatus=$?
if [ ! -d "$SCHEMAS" ]; then
    skip schemas_validate "no $SCHEMAS"
elif [ "$vstatus" -gt 1 ] || [ "$(grep -cE '^(ok|invalid) ' "$TMP/validate.out")" != "$(wc -l <"$TMP/schemas.tsv")" ]; then
    fail schemas_validate "validator status $vstatus: $(oneline "$(cat "$TMP/validate.out")")"
else
    while read -r verdict file rest; do
        name=schema_$(basename "${file%:}" .body)
        if [ "$verdict" = ok ]; then pass "$name"; else fail "$name" "$(oneline "$rest")"; fi
    done <"$TMP/validate.out"
fi

errors_status() {
    expect_status err400 400 && expect_status err401 401 && expect_status err404 404 &&
        expect_status err405 405 && expect_status err413 413 && expect_status err415 415 &&
        expect_status errjson 400 || return 1
    expect_body err400 '"errorCode":400' && expect_body err404 '"errorCode":404'
}
check errors_are_beacon_error_responses errors_status

# ---- the tier × caller × granularity matrix ----
# Variants only in one dataset: open 43045800 A>G, controlled 43046000 C>T, restricted
# 43047000 G>A; pending 43048000 T>G (accepted nowhere).
matrix() {
    local who ds pos ref alt g
    : >"$TMP/matrix.tsv"
    for who in $CALLERS; do
        for ds in open:43045800:A:G ctrl:43046000:C:T restr:43047000:G:A pending:43048000:T:G; do
            IFS=: read -r name pos ref alt <<<"$ds"
            for g in boolean count record; do
                as "m-$who-$name-$g" "$who" GET \
                    "/beacon/v2/g_variants?referenceName=17&start=$((pos - 1))&referenceBases=$ref&alternateBases=$alt&requestedGranularity=$g&includeResultsetResponses=ALL"
                printf '%s\t%s\t%s\t%s\n' "$who" "$name" "$g" "$TMP/m-$who-$name-$g.body" >>"$TMP/matrix.tsv"
            done
        done
        as "d-$who" "$who" GET "/beacon/v2/datasets?requestedGranularity=record"
        printf '%s\t%s\t%s\t%s\n' "$who" datasets record "$TMP/d-$who.body" >>"$TMP/matrix.tsv"
    done
    node - "$TMP/matrix.tsv" <<'JS'
const fs = require('fs');
// the most each caller may learn per dataset: 0 none, 2 count, 3 record
const level = {
  anonymous: {open: 3, ctrl: 0, restr: 0}, stranger: {open: 3, ctrl: 2, restr: 0},
  grantee: {open: 3, ctrl: 3, restr: 0}, member: {open: 3, ctrl: 2, restr: 3},
  admin: {open: 3, ctrl: 2, restr: 0},
};
const gnum = {boolean: 1, count: 2, record: 3};
const dsName = {open: 'v-open', ctrl: 'v-ctrl', restr: 'v-restr'};
let bad = 0;
const say = (m) => { console.log(m); bad++; };
for (const line of fs.readFileSync(process.argv[2], 'utf8').trim().split('\n')) {
  const [who, ds, g, file] = line.split('\t');
  const text = fs.readFileSync(file, 'utf8');
  const d = JSON.parse(text);
  const where = `${who}/${ds}/${g}`;
  // hidden datasets are never named
  for (const [k, name] of Object.entries(dsName))
    if (level[who][k] === 0 && text.includes(`"${name}"`)) say(`${where}: names hidden ${name}`);
  if (ds === 'datasets') {
    const ids = d.response.collections.map((c) => c.id).sort().join();
    const want = Object.keys(dsName).filter((k) => level[who][k] > 0).map((k) => dsName[k]).sort().join();
    if (ids !== want) say(`${where}: datasets ${ids}, expected ${want}`);
    continue;
  }
  const lv = ds === 'pending' ? 0 : level[who][ds];
  const got = gnum[g];
  if (d.meta.returnedGranularity !== g) say(`${where}: returnedGranularity ${d.meta.returnedGranularity}`);
  const exists = lv >= 1;
  if (d.responseSummary.exists !== exists) say(`${where}: exists ${d.responseSummary.exists}, expected ${exists}`);
  if (got === 1 && 'numTotalResults' in d.responseSummary) say(`${where}: a count in a boolean answer`);
  if (got >= 2) {
    const n = lv >= 2 ? 1 : 0;
    if (d.responseSummary.numTotalResults !== n) say(`${where}: numTotalResults ${d.responseSummary.numTotalResults}, expected ${n}`);
  }
  if (got < 3 && 'response' in d) say(`${where}: records section in a ${g} answer`);
  if (got === 3) {
    const set = d.response.resultSets.find((s) => s.id === dsName[ds]);
    const records = d.response.resultSets.reduce((a, s) => a + s.results.length, 0);
    if (lv === 3 && (!set || set.results.length !== 1 || set.resultsCount !== 1)) say(`${where}: expected one record`);
    if (lv === 2 && (!set || set.results.length !== 0 || set.resultsCount !== 1 || set.info.returnedGranularity !== 'count'))
      say(`${where}: expected a count-only result set`);
    if (lv < 3 && records !== 0) say(`${where}: ${records} records above the caller's level`);
    if (lv === 0 && set) say(`${where}: a result set for a dataset the caller may not see`);
  }
}
console.log(bad ? `${bad} problems` : 'matrix ok');
process.exit(bad ? 1 : 0);
JS
}
check tier_caller_granularity_matrix matrix

shared_variant() {
    # the variant in all three datasets: each caller sees exactly its datasets' result sets
    local who
    for who in $CALLERS; do
        as "sh-$who" "$who" GET "/beacon/v2/g_variants?$Q&requestedGranularity=record"
    done
    node -e '
      const fs = require("fs"), dir = process.argv[1];
      const want = {anonymous: "v-open", stranger: "v-ctrl,v-open", grantee: "v-ctrl,v-open",
                    member: "v-ctrl,v-open,v-restr", admin: "v-ctrl,v-open"};
      const records = {anonymous: 1, stranger: 1, grantee: 2, member: 2, admin: 1};
      for (const [who, sets] of Object.entries(want)) {
        const d = JSON.parse(fs.readFileSync(`${dir}/sh-${who}.body`, "utf8"));
        const got = d.response.resultSets.map((s) => s.id).sort().join();
        const n = d.response.resultSets.reduce((a, s) => a + s.results.length, 0);
        if (got !== sets || n !== records[who] || d.responseSummary.numTotalResults !== 1) {
          console.log(`${who}: sets ${got} (want ${sets}), records ${n} (want ${records[who]}), total ${d.responseSummary.numTotalResults}`);
          process.exit(1);
        }
      }' "$TMP"
}
check shared_variant_per_caller shared_variant

record_content() {
    as rc1 anonymous GET "/beacon/v2/g_variants?$Q&requestedGranularity=record"
    node -e '
      const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const r = d.response.resultSets[0].results[0], v = r.variation;
      const ok = v.referenceBases === "T" && v.alternateBases === "C" && v.variantType === "SNP" &&
        v.location.interval.start.value === 43045711 && v.location.interval.end.value === 43045712 &&
        v.location.sequence_id === "refseq:NC_000017.11" &&
        r.identifiers.genomicHGVSId === "NC_000017.11:g.43045712T>C" &&
        r.variantLevelData.clinicalInterpretations[0].clinicalRelevance === "pathogenic" &&
        r.variantLevelData.clinicalInterpretations[0].effect.id === "MONDO:0011450" &&
        r.frequencyInPopulations[0].source === "tinyfreq" &&
        r.frequencyInPopulations[0].frequencies.find((f) => f.population === "EAS").alleleFrequency === 0.02;
      if (!ok) { console.log(JSON.stringify(r).slice(0, 400)); process.exit(1); }' "$TMP/rc1.body"
}
check record_fields record_content

query_forms() {
    # range over all fixture positions, as the member (sees all three datasets)
    as qf1 member GET '/beacon/v2/g_variants?referenceName=chr17&start=43045000&end=43049000&requestedGranularity=count'
    expect_body qf1 '"numTotalResults":5' || return 1
    # the deletion AG>A at 43045802: Beacon start 43045801, end 43045803
    as qf2 member GET '/beacon/v2/g_variants?referenceName=17&start=43045800,43045801&end=43045803,43045803&requestedGranularity=count'
    expect_body qf2 '"numTotalResults":1' || return 1
    as qf3 member GET '/beacon/v2/g_variants?referenceName=17&start=43045000&end=43049000&variantType=DEL&requestedGranularity=count'
    expect_body qf3 '"numTotalResults":1' || return 1
    # a range ending just before the deletion's second base still overlaps it
    as qf4 anonymous GET '/beacon/v2/g_variants?referenceName=NC_000017.11&start=43045802&end=43045803&requestedGranularity=count'
    expect_body qf4 '"numTotalResults":1' || return 1
    # filters: classification and ontology id
    as qf5 member GET '/beacon/v2/g_variants?referenceName=17&start=43045000&end=43049000&filters=classification=Pathogenic&requestedGranularity=count'
    expect_body qf5 '"numTotalResults":3' || return 1
    as qf6 member GET '/beacon/v2/g_variants?referenceName=17&start=43045000&end=43049000&filters=MONDO:0003582&requestedGranularity=count'
    expect_body qf6 '"numTotalResults":1' || return 1
    as qf7 member GET '/beacon/v2/g_variants?filters=classification=Uncertain%20significance&requestedGranularity=count'
    expect_body qf7 '"numTotalResults":1' || return 1
    # any ALT (N) at a position
    as qf8 anonymous GET '/beacon/v2/g_variants?referenceName=17&start=43045711&alternateBases=N&requestedGranularity=count'
    expect_body qf8 '"numTotalResults":1'
}
check query_forms query_forms

pagination() {
    as pg1 member GET '/beacon/v2/g_variants?referenceName=17&start=43045000&end=43049000&requestedGranularity=record&limit=1&skip=1'
    node -e '
      const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const open = d.response.resultSets.find((s) => s.id === "v-open");
      if (!open || open.resultsCount !== 3 || open.results.length !== 1 || open.results[0].variation.location.interval.start.value !== 43045799 ||
          d.meta.receivedRequestSummary.pagination.skip !== 1) {
        console.log(JSON.stringify(open).slice(0, 300)); process.exit(1); }' "$TMP/pg1.body"
}
check skip_limit_per_result_set pagination

gene_query() {
    local genes=$DATA/variants/genes_GRCh38_Ensembl109_BRCA1region.tsv
    [ -f "$genes" ] || { echo "no $genes"; return 77; }
    cli gl variants genes load "$genes" || { cat "$TMP/gl.err"; return 1; }
    as gq1 member GET '/beacon/v2/g_variants?geneId=BRCA1&requestedGranularity=count'
    expect_body gq1 '"numTotalResults":5' || return 1
    as gq2 member GET '/beacon/v2/g_variants?geneId=NOSUCHGENE&requestedGranularity=count'
    expect_status gq2 200 && expect_body gq2 '"exists":false'
}
check gene_id_query gene_query

session() {
    # the web session of a consortium member (member-h) reads the restricted dataset too
    cli us user add websess --institution member-h --roles member --password 'correct horse 9' || return 1
    post_json lg /api/v1/login '{"user":"websess","password":"correct horse 9"}' -c "$TMP/jar"
    expect_status lg 200 || return 1
    http se1 GET '/beacon/v2/g_variants?referenceName=17&start=43046999&alternateBases=A&requestedGranularity=count' -b "$TMP/jar"
    expect_body se1 '"numTotalResults":1' || return 1
    # a state-changing request of a session needs its CSRF token, Beacon or not
    http se2 POST /beacon/v2/g_variants -b "$TMP/jar" -H 'Content-Type: application/json' --data-binary '{}'
    expect_status se2 403 && expect_body se2 '"errorCode":403'
}
check web_session_is_a_caller session

audited() {
    cli au audit show --limit 100000 || return 1
    grep -q 'beacon.read' "$TMP/au.out" || { echo "no beacon.read row: $(head -c 300 "$TMP/au.out")"; return 1; }
    grep 'beacon.read' "$TMP/au.out" | grep -q 'v-restr'
}
check non_open_reads_audited audited

# ---- real data, last (it adds 14,998 variants): counts per dataset against bcftools ----
real_clinvar() {
    local vcf=$DATA/variants/clinvar_20260226_GRCh38_BRCA1region.vcf.gz
    [ -f "$vcf" ] || { echo "no $vcf"; return 77; }
    command -v bcftools >/dev/null || { echo "no bcftools"; return 77; }
    cli rd dataset add clinvar-open --tier open --data-type variants --institution owner-h &&
        submit_batch_accept rs clinvar-open "$vcf" || return 1
    local want_path want_region
    want_path=$(bcftools query -f '%INFO/CLNSIG\n' "$vcf" | grep -cx 'Pathogenic')
    want_region=$(bcftools view -H -r 17:43050000-43060000 "$vcf" | wc -l)
    http rq1 GET '/beacon/v2/g_variants?referenceName=17&start=43044294&end=43125483&filters=classification=Pathogenic&requestedGranularity=record&limit=1'
    http rq2 GET '/beacon/v2/g_variants?referenceName=17&start=43049999&end=43060000&requestedGranularity=record&limit=1'
    node -e '
      const fs = require("fs");
      const count = (f) => JSON.parse(fs.readFileSync(f, "utf8")).response.resultSets.find((s) => s.id === "clinvar-open").resultsCount;
      const got = [count(process.argv[1]), count(process.argv[2])], want = [+process.argv[3], +process.argv[4]];
      if (want[0] < 1000 || want[1] < 100 || got.join() !== want.join()) { console.log(`got ${got}, bcftools ${want}`); process.exit(1); }
    ' "$TMP/rq1.body" "$TMP/rq2.body" "$want_path" "$want_region"
}
check real_clinvar_counts_match_bcftools real_clinvar

check sanitizers_clean sanitizers_clean
summary_and_exit
