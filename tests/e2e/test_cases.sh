#!/usr/bin/env bash
# test_cases.sh — end-to-end tests of matchmaking cases: `genoshare case` (genes load, import of
# a file and of a folder — all or nothing with a per-file report —, show in three formats, --as,
# list, export, withdraw) and /api/v1/cases over a real server on loopback (register in own
# JSON, Phenopacket and MME form, read with ?format=, 404 for cases the caller may not see,
# update, withdraw, list with pagination).
#
#   bash tests/e2e/test_cases.sh [BINARY]     (default build/san/genoshare)
set -u

BIN=${1:-build/san/genoshare}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/genoshare-cases.XXXXXX")
DB=$TMP/cases.db
export GENOSHARE_DB=$DB
FIX=$PWD/tests/fixtures/cases
DATA=${GENOSHARE_DATA:-../shared/data}

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
trap cleanup_server_and_tmp EXIT
trap 'exit 130' INT TERM

send_json() { # TAG METHOD PATH BODY USER
    http "$1" "$2" "$3" -H 'Content-Type: application/json' --data-binary "$4" -H "$(bearer "$5")"
}
get_as() { http "$1" GET "$2" -H "$(bearer "$3")"; } # TAG PATH USER

if [ ! -x "$BIN" ]; then
    fail setup "no executable at $BIN"
    summary_and_exit
fi

# ---- fixture: hospA (sam: submitter), hospB JP (bea: submitter, consortium), hospK KR (kim) ----
fixture() {
    cli init init || return 1
    cli ia institution add hospA --country JP && cli ib institution add hospB --country JP &&
        cli ik institution add hospK --country KR || return 1
    local n user inst roles
    for n in sam:hospA:member,submitter bea:hospB:member,submitter kim:hospK:member; do
        IFS=: read -r user inst roles <<<"$n"
        cli "u-$user" user add "$user" --institution "$inst" --roles "$roles" || return 1
        cli "t-$user" token create --user "$user" --name e2e || return 1
        tail -n 1 "$TMP/t-$user.out" >"$TMP/token.$user"
    done
    cli c consortium add rare && cli j1 consortium join rare --institution hospA &&
        cli j2 consortium join rare --institution hospB &&
        cli d1 dataset add rare-a --tier restricted --data-type phenotype_clinical \
            --institution hospA --consortium rare
}
if ! why=$(fixture 2>&1); then
    fail fixture "$(oneline "$why") $(cat "$TMP"/*.err 2>/dev/null | head -c 300)"
    summary_and_exit
fi

# ---- the command line ----

genes_load() {
    cli gl case genes load "$FIX/genes.tsv" || { expect_rc gl 0; return 1; }
    expect_out gl "3 genes"
}
check cli_genes_load genes_load

import_file() {
    cli imp1 case import "$FIX/pp-basic.json" --dataset rare-a --scope domestic || {
        expect_rc imp1 0
        return 1
    }
    expect_out imp1 "imported as case 1" && expect_out imp1 "Proband 1"
}
check cli_import_phenopacket import_file

import_folder_bad() {
    mkdir -p "$TMP/folder"
    cp "$FIX/mme-v10.json" "$FIX/mme-v11.json" "$TMP/folder/"
    printf '{"id":"M3","features":[{"id":"HP:0001250","observed":"maybe"}]}' >"$TMP/folder/z-bad.json"
    run impf case import "$TMP/folder" --format mme --dataset rare-a --scope international
    expect_rc impf 1 && expect_err impf "1 of 3 files has problems: nothing imported" &&
        expect_out impf "z-bad.json" && expect_out impf "features[0].observed" &&
        expect_out impf "not imported" || return 1
    cli l0 case list && [ "$(wc -l <"$TMP/l0.out")" = 1 ] ||
        { echo "a refused folder import left cases: $(cat "$TMP/l0.out")"; return 1; }
}
check cli_import_folder_all_or_nothing import_folder_bad

import_folder_ok() {
    rm -f "$TMP/folder/z-bad.json"
    cli impg case import "$TMP/folder" --format mme --dataset rare-a --scope international ||
        { expect_rc impg 0; return 1; }
    expect_out impg "imported as case 2" && expect_out impg "imported as case 3" &&
        expect_out impg "observed \"unknown\": not kept"
}
check cli_import_folder import_folder_ok

import_unknown_gene() {
    printf '{"patient":{"id":"G1","contact":{"name":"x","href":"mailto:x@y"},"genomicFeatures":[{"gene":{"id":"NOPE1"}}]}}' >"$TMP/g.json"
    run ig case import "$TMP/g.json" --format mme --dataset rare-a --scope private
    expect_rc ig 1 && expect_out ig "patient.genomicFeatures[0].gene" && expect_out ig "NOPE1"
}
check cli_import_unknown_gene_named import_unknown_gene

show_formats() {
    cli s1 case show 2 --format mme && expect_out s1 '"start": 48425492' &&
        expect_out s1 '"observed": "no"' || return 1
    cli s2 case show 1 --format phenopacket && expect_out s2 '"excluded": true' &&
        expect_out s2 '"pos": 166000000' || return 1
    cli s3 case show 2 && expect_out s3 '"pos": 48425493' && expect_out s3 '"HGNC:3603"'
}
check cli_show_formats show_formats

show_as() {
    run sk case show 1 --as kim
    expect_rc sk 1 && expect_err sk "no case with id 1" || return 1
    cli sb case show 1 --as bea
}
check cli_show_as_decided show_as

export_cases() {
    cli ex case export --dataset rare-a --format phenopacket --out "$TMP/out" || return 1
    [ "$(find "$TMP/out" -name 'case-*.json' | wc -l)" = 3 ] || { echo "expected 3 files"; return 1; }
    cli rei case import "$TMP/out/case-1.json" --dataset rare-a --scope private ||
        { expect_err rei "already holds"; return 0; }
    echo "re-importing the same phenopacket id into the same dataset should conflict"
    return 1
}
check cli_export export_cases

withdraw() {
    cli w case withdraw 3 && expect_out w "withdrawn" || return 1
    run w2 case withdraw 3
    expect_rc w2 1 && cli lw case list && ! grep -q $'^3\t' "$TMP/lw.out" || return 1
    cli la case list --all && grep -q $'withdrawn' "$TMP/la.out"
}
check cli_withdraw withdraw

real_example() {
    local f=$DATA/hpo/examples/phenopacket.FBN1.PMID_10756346_Patient_B55.json
    [ -f "$f" ] || { echo "no $f"; return 77; }
    cli re case import "$f" --dataset rare-a --scope domestic && expect_out re "Patient B55"
}
check cli_import_real_example real_example

usage() {
    run u1 case import
    expect_rc u1 2 || return 1
    run u2 case import "$FIX/pp-basic.json" --dataset rare-a --scope everywhere
    expect_rc u2 2 && cli u3 case --help
}
check cli_usage usage

# ---- the API ----
start_server_or_exit srv

api_post_own() {
    send_json p1 POST /api/v1/cases '{"dataset":"rare-a","scope":"private","label":"api one","features":[{"id":"HP:0001250"}],"genes":["scn1a"]}' sam
    expect_status p1 201 && expect_body p1 '"label":"api one"'
}
check api_post_own_json api_post_own

api_post_formats() {
    http p2 POST "/api/v1/cases?format=phenopacket&dataset=rare-a&scope=domestic" \
        -H 'Content-Type: application/json' --data-binary "@$FIX/pp-unknown-hpo.json" -H "$(bearer sam)"
    expect_status p2 201 || return 1
    http p3 POST "/api/v1/cases?format=mme&dataset=rare-a&scope=international" \
        -H 'Content-Type: application/json' --data-binary '{"patient":{"id":"API-M","contact":{"name":"a","href":"mailto:a@b"},"features":[{"id":"HP:0001250","observed":"yes"}]}}' \
        -H "$(bearer sam)"
    expect_status p3 201
}
check api_post_phenopacket_and_mme api_post_formats

api_errors() {
    http e1 POST "/api/v1/cases?format=phenopacket&dataset=rare-a&scope=domestic" \
        -H 'Content-Type: application/json' --data-binary "@$FIX/pp-bad-type.json" -H "$(bearer sam)"
    expect_error e1 400 invalid_input && expect_body e1 'phenotypicFeatures[1].type.id' || return 1
    send_json e2 POST /api/v1/cases '{"dataset":"rare-a","scope":"private","label":"x","genes":["FBN1"]}' kim
    expect_error e2 404 not_found || return 1
    http e3 POST /api/v1/cases -H 'Content-Type: application/json' --data-binary '{"dataset":"rare-a","scope":"private","genes":["FBN1"]}'
    expect_status e3 401
}
check api_errors_named api_errors

api_get() {
    local id
    id=$(json_num p1 id)
    get_as g1 "/api/v1/cases/$id" sam && expect_status g1 200 && expect_body g1 '"HGNC:10585"' || return 1
    get_as g2 "/api/v1/cases/$id" bea && expect_error g2 404 not_found || return 1
    get_as g3 "/api/v1/cases/$id?format=phenopacket" sam && expect_body g3 '"phenotypicFeatures"' || return 1
    get_as g4 /api/v1/cases/999999 sam && expect_error g4 404 not_found || return 1
    http g5 GET "/api/v1/cases/$id" && expect_error g5 404 not_found
}
check api_get_decided api_get

api_patch() {
    local id
    id=$(json_num p1 id)
    send_json pa1 PATCH "/api/v1/cases/$id" '{"label":"api one v2","scope":"domestic"}' sam
    expect_status pa1 200 && expect_body pa1 '"version":2' || return 1
    get_as pa2 "/api/v1/cases/$id" bea && expect_status pa2 200 || return 1
    send_json pa3 PATCH "/api/v1/cases/$id" '{"label":"taken over"}' bea
    expect_error pa3 403 forbidden || return 1
    send_json pa4 PATCH "/api/v1/cases/$id" '{"features":[{"id":"HP:12"}]}' sam
    expect_error pa4 400 invalid_input && expect_body pa4 'features[0].id'
}
check api_patch api_patch

api_withdraw_and_list() {
    local id
    id=$(json_num p1 id)
    send_json w1 POST "/api/v1/cases/$id/withdraw" '{}' sam && expect_status w1 200 || return 1
    send_json w2 POST "/api/v1/cases/$id/withdraw" '{}' sam && expect_error w2 409 conflict || return 1
    get_as l1 "/api/v1/cases?dataset=rare-a&limit=2" sam && expect_status l1 200 &&
        expect_body l1 '"limit":2' || return 1
    [ "$(grep -o '"label"' "$TMP/l1.body" | wc -l)" = 2 ] || { echo "limit 2 not applied"; return 1; }
    get_as l2 "/api/v1/cases?dataset=rare-a" kim && expect_body l2 '"total":' || return 1
    get_as l3 "/api/v1/cases?limit=abc" sam && expect_error l3 400 invalid_input
}
check api_withdraw_and_list api_withdraw_and_list

audit_trail() {
    cli au audit show --limit 200 && expect_out au case.add && expect_out au case.update &&
        expect_out au case.withdraw && expect_out au case.read
}
check audit_rows audit_trail

check sanitizers_clean sanitizers_clean
summary_and_exit
