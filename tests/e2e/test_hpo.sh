#!/usr/bin/env bash
# test_hpo.sh — end-to-end tests of `genoshare hpo` (load, show, search, mica) on the
# fixture ontology (tests/fixtures/hpo/) and, when the data directory is there, the real
# 2025-05-06 release.
#
#   bash tests/e2e/test_hpo.sh [BINARY]     (default build/san/genoshare)
set -u

BIN=${1:-build/san/genoshare}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
FIX=$(cd "$(dirname "$0")/../fixtures/hpo" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/genoshare-hpo.XXXXXX")
DB=$TMP/main.db
export GENOSHARE_DB=$DB
DATA=${GENOSHARE_DATA:-../shared/data}

cleanup() {
    if [ -n "${GS_E2E_KEEP:-}" ]; then echo "kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

T=$'\t'
value_of() { awk -F'\t' -v k="$2" '$1 == k { print $2; exit }' "$TMP/$1.out"; } # TAG KEY

if [ ! -x "$BIN" ]; then
    fail setup "no executable at $BIN"
    summary_and_exit
fi
run init init

run load_before hpo show HP:0001250
check "show before any load fails, naming the fix" eval 'expect_rc load_before 1 && expect_err load_before "genoshare: hpo: no HPO release loaded"'

run load hpo load --ontology "$FIX/mini.obo" --annotations "$FIX/mini.hpoa" --labels-ja "$FIX/mini-ja.babelon.tsv"
check "load: exit 0" expect_rc load 0
check "load: version, counts and disease count printed" eval 'expect_out load "version${T}http://purl.obolibrary.org/obo/hp/releases/2099-01-01/hp.json" && expect_out load "terms${T}17" && expect_out load "obsolete${T}2" && expect_out load "alt_ids${T}1" && expect_out load "annotated_diseases${T}4"'
check "load: IC range printed" eval 'expect_out load "ic_min${T}0.000000" && expect_out load "ic_max${T}1.386294"'
check "load: unknown and obsolete ids reported with lines" eval 'expect_out load "annotations_unknown_ids${T}1" && expect_out load "annotations_obsolete_skipped${T}1" && expect_out load "annotations_problem${T}line 12: HP:0009999 is unknown" && expect_out load "labels_ja_unknown_ids${T}1"'
check "load: elapsed time printed" eval '[ -n "$(value_of load elapsed_seconds)" ] || { echo "no elapsed_seconds"; false; }'
check "load: audited as hpo.load" eval 'sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = '"'hpo.load'"'" | grep -qx 1'

run show hpo show HP:0001250
check "show: labels, IC, parent" eval 'expect_out show "label${T}Seizure" && expect_out show "label_ja${T}発作" && expect_out show "ic${T}0.287682" && expect_out show "parent${T}HP:0012638${T}Abnormal nervous system physiology"'
run show_alt hpo show HP:0001275
check "show: an alt id says what it resolved from" eval 'expect_out show_alt "id${T}HP:0001250" && expect_out show_alt "queried${T}HP:0001275${T}alt_id"'
run show_obs hpo show HP:0000058
check "show: an obsolete id resolves by replaced_by" eval 'expect_out show_obs "id${T}HP:0000252" && expect_out show_obs "queried${T}HP:0000058${T}replaced"'
run show_unknown hpo show HP:0009999
check "show: unknown id exits 1" eval 'expect_rc show_unknown 1 && expect_err show_unknown "no HPO term HP:0009999"'
run show_bad hpo show seizure
check "show: a non-id is bad usage (exit 2)" expect_rc show_bad 2

run search hpo search seiz --limit 2
check "search: TSV, best first, limit kept" eval 'expect_out search "HP:0001250${T}Seizure${T}発作${T}Seizure" && [ "$(wc -l <"$TMP/search.out")" -eq 3 ] || { echo "lines: $(wc -l <"$TMP/search.out")"; false; }'
run search_ja hpo search 発作 --lang ja
check "search: Japanese" expect_out search_ja "HP:0001250${T}Seizure${T}発作${T}発作"
run search_lang hpo search seiz --lang fr
check "search: bad --lang is bad usage" expect_rc search_lang 2
run search_limit hpo search seiz --limit 0
check "search: bad --limit is bad usage" expect_rc search_limit 2

run mica hpo mica HP:0020219 HP:0002121
check "mica: siblings meet at Seizure" expect_out mica "HP:0001250${T}0.287682${T}Seizure"
run mica_obs hpo mica HP:0000489 HP:0002121
check "mica: an obsolete id without replacement is refused" eval 'expect_rc mica_obs 1 && expect_err mica_obs "obsolete without replacement"'
run mica_one hpo mica HP:0000489
check "mica: one id is bad usage" expect_rc mica_one 2

printf '{"graphs": [{"nodes": [' >"$TMP/bad.json"
run load_bad hpo load --ontology "$TMP/bad.json"
check "load: truncated JSON exits 1 with file, line and column" eval 'expect_rc load_bad 1 && expect_err load_bad "bad.json: line 1 column"'
run load_noarg hpo load
check "load: --ontology is required" expect_rc load_noarg 2
run show_still hpo show HP:0001250
check "a failed load leaves the stored release intact" expect_out show_still "label${T}Seizure"

real=$DATA/hpo
if [ -f "$real/hp.v2025-05-06.json.gz" ]; then
    run real hpo load --ontology "$real/hp.v2025-05-06.json.gz" --annotations "$real/phenotype.v2025-05-06.hpoa.gz" --labels-ja "$real/hp-ja.babelon.tsv.gz"
    check "real: loads 19,650 terms from 12,683 diseases" eval 'expect_rc real 0 && expect_out real "terms${T}19650" && expect_out real "annotated_diseases${T}12683"'
    run real_show hpo show HP:0001250
    check "real: Seizure is 発作 with its parent" eval 'expect_out real_show "label_ja${T}発作" && expect_out real_show "parent${T}HP:0012638"'
    run real_mica hpo mica HP:0001250 HP:0001263
    check "real: MICA of Seizure and GDD" expect_out real_mica "HP:0012638"
else
    skip "real HPO release" "no data directory at $DATA"
fi

check "no sanitizer reports" sanitizers_clean
summary_and_exit
