#!/usr/bin/env bash
# test_match.sh — end-to-end tests of similar-case search: `genoshare match` (TSV with
# explanations, --json, --as USER, --case ID, unused ids, usage errors, no HPO release) and
# POST /api/v1/match, GET /api/v1/cases/{id}/matches over a real server on loopback
# (visibility by scope before ranking, 404 for a case the caller cannot see, no HPO release).
#
#   bash tests/e2e/test_match.sh [BINARY]     (default build/san/genoshare)
set -u

BIN=${1:-build/san/genoshare}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/genoshare-match.XXXXXX")
DB=$TMP/match.db
export GENOSHARE_DB=$DB
FIX=$PWD/tests/fixtures

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
trap cleanup_server_and_tmp EXIT
trap 'exit 130' INT TERM

post_as() { # TAG PATH BODY USER
    http "$1" POST "$2" -H 'Content-Type: application/json' --data-binary "$3" -H "$(bearer "$4")"
}
get_as() { http "$1" GET "$2" -H "$(bearer "$3")"; } # TAG PATH USER

if [ ! -x "$BIN" ]; then
    fail setup "no executable at $BIN"
    summary_and_exit
fi

QUERY=HP:0002121,HP:0000252,HP:0002119

# ---- fixture: hospA JP (sam), hospB JP (bea), hospK KR (kim); one open dataset of hospA ----
import_case() { # NAME SCOPE JSON: imports and stores the id in $TMP/id.NAME
    printf '%s\n' "$3" >"$TMP/$1.json"
    cli "imp-$1" case import "$TMP/$1.json" --dataset open-a --scope "$2" --format json || return 1
    sed -n 's/.*imported as case \([0-9]*\).*/\1/p' "$TMP/imp-$1.out" >"$TMP/id.$1"
}
fixture() {
    cli init init || return 1
    cli ia institution add hospA --country JP && cli ib institution add hospB --country JP &&
        cli ik institution add hospK --country KR || return 1
    local n user inst
    for n in sam:hospA bea:hospB kim:hospK; do
        IFS=: read -r user inst <<<"$n"
        cli "u-$user" user add "$user" --institution "$inst" --roles member || return 1
        cli "t-$user" token create --user "$user" --name e2e || return 1
        tail -n 1 "$TMP/t-$user.out" >"$TMP/token.$user"
    done
    cli d1 dataset add open-a --tier open --data-type phenotype_clinical --institution hospA &&
        cli gl case genes load "$FIX/cases/genes.tsv" || return 1
    # before the HPO release: the no-release answers are checked below
    import_case intl international '{"label":"INTL","features":[{"id":"HP:0002121"},{"id":"HP:0000252"}],"genes":["SCN1A"]}' &&
        import_case priv private '{"label":"PRIV","features":[{"id":"HP:0002121"},{"id":"HP:0000252"},{"id":"HP:0002119"}]}' &&
        import_case dom domestic '{"label":"DOM","features":[{"id":"HP:0001250"},{"id":"HP:0002119"}]}'
}
if ! why=$(fixture 2>&1); then
    fail fixture "$(oneline "$why") $(cat "$TMP"/*.err 2>/dev/null | head -c 300)"
    summary_and_exit
fi
PRIV=$(cat "$TMP/id.priv")
INTL=$(cat "$TMP/id.intl")

# ---- no HPO release yet ----
no_release_cli() {
    run nr match --hpo "$QUERY"
    expect_rc nr 1 && expect_err nr "no HPO release loaded"
}
check cli_without_hpo_release_says_how_to_load_one no_release_cli

start_server_or_exit srv0
no_release_api() {
    post_as nra /api/v1/match "{\"hpo\":[\"HP:0002121\"]}" sam
    expect_error nra 404 not_found && expect_body nra "hpo load"
}
check api_without_hpo_release_says_how_to_load_one no_release_api
stop_server 15

if ! cli hl hpo load --ontology "$FIX/hpo/mini.json" --annotations "$FIX/hpo/mini.hpoa"; then
    fail hpo_load "$(head -c 300 "$TMP/hl.err")"
    summary_and_exit
fi

# ---- the command line ----
help_works() { run mh match --help && expect_rc mh 0 && expect_out mh "usage: genoshare match"; }
check match_help_exits_0 help_works

usage_errors() {
    run u1 match && expect_rc u1 2 || return 1
    run u2 match --hpo "$QUERY" --top 0 && expect_rc u2 2 || return 1
    run u3 match --hpo "HP:0002121,,HP:0000252" && expect_rc u3 2 || return 1
    run u4 match --hpo "$QUERY" --case 1 && expect_rc u4 2
}
check match_usage_errors_exit_2 usage_errors

operator_tsv() {
    run op match --hpo "$QUERY"
    expect_rc op 0 && expect_out op "$(printf 'rank\tcase\tlabel\tscore\tphenotype\tgene\tdataset')" || return 1
    local first
    first=$(sed -n 2p "$TMP/op.out" | cut -f2,3)
    expect_equal "first result" "$(printf '%s\tPRIV' "$PRIV")" "$first" || return 1
    expect_out op "# 1. case $PRIV (PRIV)" && expect_out op "HP:0002119 Ventriculomegaly ~ HP:0002119"
}
check operator_sees_all_and_the_perfect_match_ranks_first operator_tsv

as_kim() {
    run kim match --hpo "$QUERY" --as kim
    expect_rc kim 0 || return 1
    if grep -qE "PRIV|DOM" "$TMP/kim.out"; then echo "kim (KR) sees a private/domestic case"; return 1; fi
    expect_out kim "INTL"
}
check as_a_foreign_user_hidden_scopes_are_absent as_kim

as_bea() {
    run bea match --hpo "$QUERY" --as bea
    expect_rc bea 0 && expect_out bea "DOM" && expect_out bea "INTL" || return 1
    if grep -q "PRIV" "$TMP/bea.out"; then echo "bea (other JP hospital) sees a private case"; return 1; fi
}
check as_a_domestic_user_domestic_shows_private_does_not as_bea

json_and_unused() {
    run js match --hpo "$QUERY,HP:9999999" --gene scn1a --json --top 2
    expect_rc js 0 && expect_out js '"matched_terms"' && expect_out js '"gene_score": 1' &&
        expect_out js '"HGNC:10585"' && expect_err js "HP:9999999 not used: unknown" || return 1
    local n
    n=$(grep -c '"rank"' "$TMP/js.out")
    expect_equal "results with --top 2" 2 "$n"
}
check json_output_gene_subscore_and_unknown_id_reported json_and_unused

uninformative() {
    run ui match --hpo HP:0001250
    expect_rc ui 0 && expect_err ui "not informative enough" || return 1
    local n
    n=$(wc -l <"$TMP/ui.out")
    expect_equal "lines (header only)" 1 "$n"
}
check an_uninformative_query_returns_no_phenotype_only_match uninformative

own_matches_cli() {
    run cm match --case "$PRIV"
    expect_rc cm 0 && expect_out cm "INTL" || return 1
    if cut -f2 "$TMP/cm.out" | grep -qx "$PRIV"; then echo "the case matches itself"; return 1; fi
    run cmk match --case "$PRIV" --as kim
    expect_rc cmk 1 && expect_err cmk "no case with id $PRIV"
}
check case_matches_exclude_itself_and_hide_invisible_cases own_matches_cli

# ---- the API ----
start_server_or_exit srv

api_visibility() {
    post_as ak /api/v1/match "{\"hpo\":[\"HP:0002121\",\"HP:0000252\",\"HP:0002119\"],\"top\":5}" kim
    expect_status ak 200 && expect_body ak '"label":"INTL"' || return 1
    if grep -qE '"label":"(PRIV|DOM)"' "$TMP/ak.body"; then echo "kim sees hidden cases over the API"; return 1; fi
    post_as as /api/v1/match "{\"hpo\":[\"HP:0002121\",\"HP:0000252\",\"HP:0002119\"]}" sam
    expect_status as 200 || return 1
    local first
    first=$(grep -oE '"case_id":[0-9]+' "$TMP/as.body" | head -n 1)
    expect_equal "sam's first result" "\"case_id\":$PRIV" "$first" || return 1
    # a shared gene lifts INTL above the perfect phenotype match
    post_as ag /api/v1/match "{\"hpo\":[\"HP:0002121\",\"HP:0000252\",\"HP:0002119\"],\"genes\":[\"SCN1A\"]}" sam
    first=$(grep -oE '"case_id":[0-9]+' "$TMP/ag.body" | head -n 1)
    expect_equal "first result with the gene" "\"case_id\":$INTL" "$first"
}
check api_match_applies_visibility api_visibility

api_case_matches() {
    get_as cmk "/api/v1/cases/$PRIV/matches" kim
    expect_error cmk 404 not_found || return 1
    get_as cms "/api/v1/cases/$PRIV/matches?top=3" sam
    expect_status cms 200 && expect_body cms "\"case_id\":$INTL" || return 1
    if grep -q "\"case_id\":$PRIV," "$TMP/cms.body"; then echo "the case matches itself"; return 1; fi
    get_as cmx "/api/v1/cases/$PRIV/matches?top=0" sam
    expect_error cmx 400 invalid_input
}
check api_case_matches_404_for_hidden_and_excludes_itself api_case_matches

api_bad_input() {
    post_as b1 /api/v1/match '{"hpo":"HP:0002121"}' sam
    expect_error b1 400 invalid_input || return 1
    post_as b2 /api/v1/match '{}' sam
    expect_error b2 400 invalid_input || return 1
    post_as b3 /api/v1/match '{"hpo":["HP:0002121"],"genes":["NOTAGENE"]}' sam
    expect_error b3 400 invalid_input && expect_body b3 NOTAGENE
}
check api_refuses_bad_queries api_bad_input

stop_server 15
check no_sanitizer_reports sanitizers_clean
summary
