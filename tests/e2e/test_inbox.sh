#!/usr/bin/env bash
# test_inbox.sh — end-to-end tests of match notifications over a real server on loopback:
# a case registered by API that matches another puts a notification in both owners' inboxes
# (GET /api/v1/inbox, unread first, with the explanation summary), a case its recipient may
# not see is never named, POST /api/v1/inbox/{id}/read (404 for someone else's), 401 for
# anonymous callers, bad pagination, withdrawal, a CLI import while the server runs, and
# `genoshare case inbox-threshold`.
#
#   bash tests/e2e/test_inbox.sh [BINARY]     (default build/san/genoshare)
set -u

BIN=${1:-build/san/genoshare}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/genoshare-inbox.XXXXXX")
DB=$TMP/inbox.db
export GENOSHARE_DB=$DB
FIX=$PWD/tests/fixtures

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

STRONG='"features":[{"id":"HP:0002121"},{"id":"HP:0000252"},{"id":"HP:0002119"}]'

# ---- fixture: hospA JP (sam), hospB JP (bea), hospK KR (kim), one open dataset each ----
fixture() {
    cli init init || return 1
    cli ia institution add hospA --country JP && cli ib institution add hospB --country JP &&
        cli ik institution add hospK --country KR || return 1
    local n user inst
    for n in sam:hospA bea:hospB kim:hospK; do
        IFS=: read -r user inst <<<"$n"
        cli "u-$user" user add "$user" --institution "$inst" --roles member,submitter || return 1
        cli "t-$user" token create --user "$user" --name e2e || return 1
        tail -n 1 "$TMP/t-$user.out" >"$TMP/token.$user"
    done
    cli da dataset add open-a --tier open --data-type phenotype_clinical --institution hospA &&
        cli db dataset add open-b --tier open --data-type phenotype_clinical --institution hospB &&
        cli dk dataset add open-k --tier open --data-type phenotype_clinical --institution hospK &&
        cli hl hpo load --ontology "$FIX/hpo/mini.json" --annotations "$FIX/hpo/mini.hpoa" &&
        cli th case inbox-threshold 0.5
}
if ! why=$(fixture 2>&1); then
    fail fixture "$(oneline "$why") $(cat "$TMP"/*.err 2>/dev/null | head -c 300)"
    summary_and_exit
fi

# ---- the command line ----
threshold_cli() {
    run tg case inbox-threshold
    expect_rc tg 0 && expect_out tg "0.5" || return 1
    run tb case inbox-threshold abc
    expect_rc tb 2 || return 1
    run t0 case inbox-threshold 0
    expect_rc t0 1 && expect_err t0 "threshold must be above 0" || return 1
    run th case inbox-threshold --help
    expect_rc th 0 && expect_out th "usage: genoshare case inbox-threshold"
}
check case_inbox_threshold_prints_sets_and_refuses threshold_cli

start_server_or_exit srv

id_of() { json_num "$1" id; }

register() { # TAG USER DATASET SCOPE LABEL
    send_json "$1" POST /api/v1/cases "{\"dataset\":\"$3\",\"scope\":\"$4\",\"label\":\"$5\",$STRONG}" "$2"
    expect_status "$1" 201 || return 1
    id_of "$1" >"$TMP/id.$5"
}

both_owners() {
    register ra sam open-a international A || return 1
    get_as i0 /api/v1/inbox sam
    expect_status i0 200 && expect_body i0 '"total":0' || return 1
    register rb bea open-b international B || return 1
    get_as ia /api/v1/inbox sam
    expect_status ia 200 && expect_body ia '"total":1' && expect_body ia '"unread":1' &&
        expect_body ia '"label":"B"' && expect_body ia '"matched_terms"' &&
        expect_body ia '"mica"' && expect_body ia '"read":false' || return 1
    get_as ib /api/v1/inbox bea
    expect_status ib 200 && expect_body ib '"total":1' && expect_body ib '"label":"A"'
}
check a_matching_case_notifies_both_owners both_owners

hidden_never_named() {
    register rk kim open-k domestic K || return 1
    get_as ia2 /api/v1/inbox sam
    expect_body ia2 '"total":1' || return 1
    if grep -q '"label":"K"' "$TMP/ia2.body"; then echo "sam (JP) is told about a KR domestic case"; return 1; fi
    get_as ik /api/v1/inbox kim
    expect_body ik '"total":2' && expect_body ik '"label":"A"' && expect_body ik '"label":"B"'
}
check a_case_the_recipient_may_not_see_is_never_named hidden_never_named

mark_read() {
    get_as ia3 /api/v1/inbox sam
    local id
    id=$(grep -oE '"items":\[\{"[^]]*' "$TMP/ia3.body" | grep -oE '"id":[0-9]+' | head -n 1 | cut -d: -f2)
    [ -n "$id" ] || { echo "no notification id in $(head -c 200 "$TMP/ia3.body")"; return 1; }
    send_json r1 POST "/api/v1/inbox/$id/read" '{}' bea
    expect_error r1 404 not_found || return 1
    send_json r2 POST "/api/v1/inbox/999999/read" '{}' sam
    expect_error r2 404 not_found || return 1
    send_json r3 POST "/api/v1/inbox/$id/read" '{}' sam
    expect_status r3 200 && expect_body r3 '"read":true' || return 1
    get_as ia4 /api/v1/inbox sam
    expect_body ia4 '"unread":0' && expect_body ia4 '"read":true'
}
check mark_read_is_the_owners_only mark_read

refusals() {
    http an GET /api/v1/inbox
    expect_status an 401 || return 1
    get_as l0 "/api/v1/inbox?limit=0" sam
    expect_error l0 400 invalid_input || return 1
    get_as l1 "/api/v1/inbox?offset=-1" sam
    expect_error l1 400 invalid_input
}
check anonymous_401_and_bad_pagination_400 refusals

cli_import_while_serving() {
    printf '{"label":"OPS",%s}\n' "$STRONG" >"$TMP/ops.json"
    cli ops case import "$TMP/ops.json" --dataset open-a --scope international --format json || return 1
    get_as ia5 /api/v1/inbox sam
    expect_body ia5 '"label":"OPS"' && expect_body ia5 '"unread":1'
}
check a_cli_import_while_serving_notifies cli_import_while_serving

withdrawal() {
    local b
    b=$(cat "$TMP/id.B")
    send_json wb POST "/api/v1/cases/$b/withdraw" '{}' bea
    expect_status wb 200 || return 1
    get_as ia6 /api/v1/inbox sam
    expect_status ia6 200 || return 1
    if grep -q '"label":"B"' "$TMP/ia6.body"; then echo "a withdrawn case is still announced"; return 1; fi
    get_as ik2 /api/v1/inbox kim
    expect_body ik2 '"label":"A"' && ! grep -q '"label":"B"' "$TMP/ik2.body"
}
check a_withdrawn_case_leaves_the_inboxes withdrawal

stop_server 15
check no_sanitizer_reports sanitizers_clean
summary
