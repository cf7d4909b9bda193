#!/usr/bin/env bash
# test_requests.sh — end-to-end tests of access requests: the `genoshare access` command
# line and the /api/v1/requests, /dac/queue and /me/access endpoints of a real server on
# loopback. A request goes draft → submitted → approved (a grant: the record becomes
# readable) → expired (unreadable again, exactly when the approved period ends); another is
# revoked from the command line while the server runs (unreadable at once).
#
#   bash tests/e2e/test_requests.sh [BINARY]     (default build/san/genoshare)
#
# One line per check ("PASS name" / "FAIL name: why" / "SKIP name: why"), then a summary.
# Needs bash, curl. GS_E2E_KEEP=1 keeps the temporary directory.
set -u

BIN=${1:-build/san/genoshare}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/genoshare-requests.XXXXXX")
DB=$TMP/requests.db
export GENOSHARE_DB=$DB

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
trap cleanup_server_and_tmp EXIT
trap 'exit 130' INT TERM

# api TAG METHOD PATH USER [JSON]: one request (lib.sh's http) with USER's bearer token (or
# none for "-") and, when given, a JSON body.
api() {
    local tag=$1 method=$2 path=$3 user=$4 body=${5:-} args=()
    [ "$user" != - ] && args+=(-H "$(bearer "$user")")
    [ -n "$body" ] && args+=(-H 'Content-Type: application/json' --data-binary "$body")
    http "$tag" "$method" "$path" "${args[@]}"
}
# req_state TAG: the request's own state (the first "state" key: datasets and history follow).
req_state() { grep -oE '"state": *"[a-z]+"' "$TMP/$1.body" | head -n 1 | sed 's/.*"\([a-z]*\)"$/\1/'; }
iso_in() { date -u -d "+$1 sec" +%Y-%m-%dT%H:%M:%SZ; }

if [ ! -x "$BIN" ]; then
    fail setup "no executable at $BIN"
    summary_and_exit
fi

# ---- fixture: hospA owns a controlled dataset; alice (hospB) asks; dave sits on its
# committee; erin has the dac role but sits on none; bob is a plain member ----
fixture() {
    cli init init || return 1
    cli ia institution add hospA --country JP && cli ib institution add hospB --country JP ||
        return 1
    local n
    for n in alice:hospB:member,submitter dave:hospA:dac erin:hospA:dac bob:hospB:member \
        admin:hospA:admin; do
        IFS=: read -r user inst roles <<<"$n"
        cli "user-$user" user add "$user" --institution "$inst" --roles "$roles" \
            --password pw-123456789 || return 1
        cli "tok-$user" token create --user "$user" --name e2e || return 1
        tail -n 1 "$TMP/tok-$user.out" >"$TMP/token.$user"
    done
    cli ds dataset add brca --tier controlled --data-type variants --institution hospA &&
        cli ds2 dataset add other --tier controlled --data-type variants --institution hospA &&
        cli rec record add --dataset brca --scope international --label v1 || return 1
    sed -n 's/^record \([0-9]*\) added.*/\1/p' "$TMP/rec.out" >"$TMP/rid"
    cli dac access dac add --dataset brca --user dave &&
        cli duo access duo set --dataset brca --terms 'DS:MONDO:0007254,IRB'
}
if ! why=$(fixture 2>&1); then
    fail fixture "$(oneline "$why")"
    summary_and_exit
fi
RID=$(cat "$TMP/rid")

# ---- the command line alone ----

cli_committee_and_terms() {
    cli dl access dac list --dataset brca || return 1
    expect_out dl "brca	dave	" || return 1
    run dac-bad access dac add --dataset brca --user bob
    expect_rc dac-bad 1 && expect_err dac-bad "does not hold the dac role" || return 1
    run dac-twice access dac add --dataset brca --user dave
    expect_rc dac-twice 1 || return 1
    cli duo-list access duo list && expect_out duo-list "brca	controlled	DS:MONDO:0007254,IRB" ||
        return 1
    run duo-bad access duo set --dataset brca --terms 'DS:HP:0001250'
    expect_rc duo-bad 1 && expect_err duo-bad "not a disease id"
}
check "cli: committees and DUO terms (list, refusals)" cli_committee_and_terms

cli_usage() {
    run u1 access review 1 --as dave
    expect_rc u1 2 && expect_err u1 "exactly one of --approve and --reject" || return 1
    run u2 access nonsense
    expect_rc u2 2 || return 1
    run u3 access request --dataset brca --user alice --duo HMB --until 2099-01-01
    expect_rc u3 2 && expect_err u3 "--purpose" || return 1
    run u4 access show abc
    expect_rc u4 2 || return 1
    cli u5 access --help && expect_out u5 "review"
}
check "cli: bad usage exits 2 with the reason" cli_usage

cli_refusals() {
    run r1 access request --dataset brca --user alice --purpose x --duo NRES --until 2099-01-01
    expect_rc r1 1 && expect_err r1 "not research" || return 1
    run r2 access request --dataset brca --user alice --purpose x --duo HMB,NPU --commercial \
        --until 2099-01-01
    expect_rc r2 1 && expect_err r2 "commercial" || return 1
    run r3 access request --dataset other --user alice --purpose x --duo HMB --until 2099-01-01 \
        --submit
    expect_rc r3 1 && expect_err r3 "no data-access committee" || return 1
    cli r4 access list --user alice && expect_equal "requests after refusals" 1 \
        "$(wc -l <"$TMP/r4.out" | tr -d ' ')"
}
check "cli: refused requests leave nothing behind" cli_refusals

# ---- the server ----
start_server_or_exit serve
pass server_starts

api_create_draft() {
    api c1 POST /api/v1/requests alice \
        "{\"datasets\":[\"brca\"],\"purpose\":\"BRCA1 founder variants\",\"duo\":\"DS:MONDO:0007254,IRB\",\"until\":\"$(iso_in 86400)\"}"
    expect_status c1 201 && expect_body c1 '"draft"' || return 1
    json_num c1 id >"$TMP/req1"
    api c2 POST /api/v1/requests alice '{"datasets":["brca"],"purpose":"x","duo":"GRU"}'
    expect_status c2 400 && expect_body c2 until || return 1
    api c3 POST /api/v1/requests alice '{"datasets":"brca","purpose":"x","duo":"GRU","until":"2099-01-01"}'
    expect_status c3 400 || return 1
    api c4 POST /api/v1/requests - '{"datasets":["brca"],"purpose":"x","duo":"GRU","until":"2099-01-01"}'
    expect_status c4 401
}
check "api: alice files a draft; malformed and anonymous requests refused" api_create_draft
R1=$(cat "$TMP/req1" 2>/dev/null)

api_visibility() {
    api v1 GET "/api/v1/requests/$R1" bob
    expect_status v1 404 || return 1
    api v2 GET "/api/v1/requests/$R1" erin
    expect_status v2 404 || return 1
    api v3 GET "/api/v1/requests/$R1" dave   # a draft is the requester's alone
    expect_status v3 404 || return 1
    api v4 POST "/api/v1/requests/$R1/submit" bob '{}'
    expect_status v4 404 || return 1
    api v5 GET /api/v1/requests alice
    expect_status v5 200 && expect_body v5 "\"id\":$R1," || return 1
    api v6 GET /api/v1/requests bob
    expect_status v6 200 && expect_body v6 '"requests":[]'
}
check "api: only the requester sees a draft (others, its committee too, 404)" api_visibility

api_submit_and_queue() {
    api s0 POST "/api/v1/requests/$R1/review" dave '{"decision":"approve"}'
    expect_status s0 404 || return 1
    api s1 POST "/api/v1/requests/$R1/submit" alice
    expect_status s1 200 && [ "$(req_state s1)" = submitted ] || { echo "state $(req_state s1)"; return 1; }
    api s2 POST "/api/v1/requests/$R1/submit" alice
    expect_status s2 409 || return 1
    api q1 GET /api/v1/dac/queue dave
    expect_status q1 200 && expect_body q1 "\"id\":$R1," || return 1
    api v7 GET "/api/v1/requests/$R1" dave   # submitted: its committee sees it now
    expect_status v7 200 || return 1
    api q2 GET /api/v1/dac/queue erin
    expect_status q2 200 && expect_body q2 '"requests":[]' || return 1
    api q3 GET /api/v1/dac/queue bob
    expect_status q3 403 || return 1
    api q4 POST "/api/v1/requests/$R1/review" bob '{"decision":"approve"}'
    expect_status q4 403 || return 1
    api q5 POST "/api/v1/requests/$R1/review" erin '{"decision":"approve"}'
    expect_status q5 404 || return 1
    api q6 POST "/api/v1/requests/$R1/review" dave '{"decision":"maybe"}'
    expect_status q6 400
}
check "api: submit; the committee queue; reviewers are dave only (403 / 404 others)" api_submit_and_queue

api_approve_then_expire() {
    api a0 GET "/api/v1/records/$RID" alice
    expect_status a0 404 || return 1
    api a1 POST "/api/v1/requests/$R1/review" dave \
        "{\"decision\":\"approve\",\"comment\":\"IRB ok\",\"until\":\"$(iso_in 3)\"}"
    expect_status a1 200 && [ "$(req_state a1)" = approved ] || { echo "state $(req_state a1)"; return 1; }
    api a2 GET "/api/v1/records/$RID" alice
    expect_status a2 200 || return 1
    api a3 GET /api/v1/me/access alice
    expect_body a3 '"active"' && expect_body a3 "\"request\":$R1," || return 1
    api a4 POST "/api/v1/requests/$R1/withdraw" alice '{}'
    expect_status a4 409 || return 1
    sleep 4
    api a5 GET "/api/v1/records/$RID" alice
    expect_status a5 404 || return 1
    api a6 GET "/api/v1/requests/$R1" alice
    [ "$(req_state a6)" = expired ] && expect_body a6 '"system:expiry"' && expect_body a6 'IRB ok' ||
        { echo "state $(req_state a6)"; return 1; }
    api a7 GET /api/v1/me/access alice
    expect_body a7 '"expired"' || return 1
    api a8 POST "/api/v1/requests/$R1/revoke" dave
    expect_status a8 409
}
check "api: approved → record readable; expired → 404 again, history shows who and why" api_approve_then_expire

revoke_stops_at_once() {
    cli w1 access request --dataset brca --user alice --purpose "Second study" \
        --duo DS:MONDO:0007254,IRB --until 2099-01-01 --submit || return 1
    local id
    id=$(sed -n 's/^request \([0-9]*\) filed.*/\1/p' "$TMP/w1.out")
    cli w2 access review "$id" --as dave --approve || return 1
    api w3 GET "/api/v1/records/$RID" alice
    expect_status w3 200 || return 1
    run w4 access review "$id" --as dave --approve
    expect_rc w4 1 || return 1
    cli w5 access revoke "$id" --comment "consent withdrawn" || return 1
    api w6 GET "/api/v1/records/$RID" alice
    expect_status w6 404 || return 1
    cli w7 access show "$id" --json && grep -q '"state": "revoked"' "$TMP/w7.out" ||
        { echo "show: $(head -c 300 "$TMP/w7.out")"; return 1; }
    run w8 access show "$id" --as bob
    expect_rc w8 1 && expect_err w8 "no access request with id $id"
}
check "cli revoke while serving: access stops at once; show --as a stranger is not found" revoke_stops_at_once

conflict_needs_comment() {
    api k1 POST /api/v1/requests alice \
        '{"datasets":["brca"],"purpose":"Ancestry","duo":"GRU","commercial":true,"until":"2099-01-01","submit":true}'
    expect_status k1 201 && expect_body k1 '"conflicts":2,' || return 1
    local id
    id=$(json_num k1 id)
    api k2 POST "/api/v1/requests/$id/review" dave '{"decision":"approve"}'
    expect_status k2 400 && expect_body k2 comment || return 1
    api k3 POST "/api/v1/requests/$id/review" dave '{"decision":"reject","comment":"outside consent"}'
    expect_status k3 200 && [ "$(req_state k3)" = rejected ]
}
check "api: DUO conflicts shown; approving them needs a comment; reject" conflict_needs_comment

audit_complete() {
    cli au audit verify || return 1
    cli al audit show --limit 1000 || return 1
    local a
    for a in dac.add duo.set request.draft request.submitted request.approved grant.add \
        request.expired request.revoked request.rejected; do
        cut -f5 "$TMP/al.out" | grep -qx "$a" || { echo "no audit row $a"; return 1; }
    done
}
check "audit: every step recorded and the chain verifies" audit_complete

stop_server 15
server_clean() {
    grep -qE "$SANITIZER_REPORT" "$TMP/serve.stderr" && { grep -E "$SANITIZER_REPORT" "$TMP/serve.stderr" | head -3; return 1; }
    return 0
}
check "server: no sanitizer report" server_clean
check "cli: no sanitizer report" sanitizers_clean
summary_and_exit
