#!/usr/bin/env bash
# test_passport.sh — GA4GH Passports end to end: the `passport` command (issuers, links, the
# value prefix, check and --apply) and POST /api/v1/passports on a real server, on a demo
# database. The tokens come from the unit test (build/san/tests/test_passport), which
# writes a JWKS, a good passport (one acceptable visa, one for a restricted dataset) and
# an alg=none passport into $GENOSHARE_PASSPORT_FIXTURES before its own checks; the crypto
# edge cases themselves are that unit test's job, this script checks the plumbing.
#
#   bash tests/e2e/test_passport.sh [BINARY]     (default build/san/genoshare)
#
# One line per check ("PASS …", "FAIL …: why", "SKIP …: why"), then a summary line.
set -u

BIN=${1:-build/san/genoshare}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MAKER=${GENOSHARE_PASSPORT_MAKER:-$ROOT/build/san/tests/test_passport}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/genoshare-passport.XXXXXX")
DB=$TMP/passport.db
export GENOSHARE_DB=$DB
BROKER=https://broker.example/

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
trap cleanup_server_and_tmp EXIT
trap 'exit 130' INT TERM

sql() { sqlite3 -batch -cmd '.timeout 5000' "$DB" "$1"; }
# present USER FILE TAG: POSTs {"passport": <contents of FILE>} with USER's token.
present() {
    printf '{"passport":"%s"}' "$(tr -d '\n' <"$2")" >"$TMP/$3.json"
    http "$3" POST /api/v1/passports -H "$(bearer "$1")" -H 'Content-Type: application/json' \
        --data-binary "@$TMP/$3.json"
}

# ---- preconditions and fixture ----

if [ ! -x "$BIN" ]; then
    fail setup "no executable at $BIN"
    summary_and_exit
fi
if [ ! -x "$MAKER" ]; then
    skip passport_e2e "no token maker at $MAKER (make build/san/tests/test_passport)"
    summary_and_exit
fi
require_tools curl sqlite3

fixture() {
    mkdir -p "$TMP/fx"
    GENOSHARE_PASSPORT_FIXTURES=$TMP/fx "$MAKER" >"$TMP/maker.log" 2>&1 ||
        { echo "token maker failed: $(grep -m1 FAIL "$TMP/maker.log")"; return 1; }
    cli demo demo --db "$DB" --data "$TMP/no-data" || return 1
    local u
    for u in alice bob; do
        cli "tok-$u" token create --user "$u" --name e2e || return 1
        tail -n 1 "$TMP/tok-$u.out" >"$TMP/token.$u"
    done
    sql "SELECT r.id FROM record r JOIN dataset d ON d.id = r.dataset_id
         WHERE d.name = 'hereditary-cancer-variants' LIMIT 1" >"$TMP/hcv.rid"
    [ -s "$TMP/hcv.rid" ] || { echo "no record in hereditary-cancer-variants"; return 1; }
}
if ! why=$(fixture 2>&1); then
    fail fixture "$(oneline "$why") $(cat "$TMP"/*.err 2>/dev/null | head -c 300)"
    summary_and_exit
fi

# ---- the command line ----

issuer_add_refuses_bad_jwks() {
    run bad-jwks passport issuer add rogue --iss https://rogue.example/ --jwks "$TMP/fx/good.jwt"
    expect_rc bad-jwks 1 && expect_err bad-jwks "genoshare: passport: not a JWKS"
}
issuer_add_usage() {
    run use1 passport issuer add broker --jwks "$TMP/fx/jwks.json"
    run use2 passport issuer frobnicate
    run use3 passport check "$TMP/fx/good.jwt" --apply
    expect_rc use1 2 && expect_err use1 "--iss URL is required" && expect_rc use2 2 &&
        expect_rc use3 2 && expect_err use3 "--apply needs --user"
}
issuer_add_and_list() {
    cli add passport issuer add broker --iss "$BROKER" --jwks "$TMP/fx/jwks.json" \
        --sources https://dac.example/ --by dac || { cat "$TMP/add.err"; return 1; }
    cli list passport issuer list || return 1
    expect_out list "broker	$BROKER	dac	https://dac.example/" &&
        expect_equal "issuer audit rows" 1 \
            "$(sql "SELECT count(*) FROM audit WHERE action = 'passport.issuer.add'")"
}
issuer_add_twice_conflicts() {
    run again passport issuer add broker --iss "$BROKER" --jwks "$TMP/fx/jwks.json"
    expect_rc again 1 && expect_err again "already exists"
}
check_dry_run() {
    cli dry passport check "$TMP/fx/good.jwt" || { cat "$TMP/dry.err"; return 1; }
    expect_out dry "0	accepted	ControlledAccessGrants	hereditary-cancer-variants" &&
        expect_out dry "1	refused	ControlledAccessGrants	-	-	dataset 'rare-disease-cases' is restricted" &&
        expect_equal "grants after a dry run" 0 \
            "$(sql "SELECT count(*) FROM access_grant WHERE source = 'passport'")"
}
check_from_stdin_json() {
    run_in stdin "$(cat "$TMP/fx/good.jwt")" passport check - --json
    expect_rc stdin 0 && expect_out stdin '"accepted": 1' && expect_out stdin '"refused": 1'
}
check_alg_none_refused() {
    run none passport check "$TMP/fx/none.jwt"
    expect_rc none 1 && expect_err none "alg 'none' is not accepted"
}
check_unlinked_user_refused() {
    run unlinked passport check "$TMP/fx/good.jwt" --user bob
    expect_rc unlinked 1 && expect_err unlinked "not linked to this user"
}
link_alice() {
    cli link passport link --user alice --iss "$BROKER" --sub ext-alice || { cat "$TMP/link.err"; return 1; }
    run link-again passport link --user bob --iss "$BROKER" --sub ext-alice
    run link-untrusted passport link --user bob --iss https://nobody.example/ --sub x
    expect_rc link-again 1 && expect_rc link-untrusted 1
}
value_prefix() {
    cli p1 passport value-prefix show && expect_out p1 "https://genoshare.example/" || return 1
    run p2 passport value-prefix set ftp://nope/
    expect_rc p2 1 && expect_err p2 "http(s) URL ending in /"
}

check issuer_add_refuses_bad_jwks issuer_add_refuses_bad_jwks
check issuer_add_usage issuer_add_usage
check issuer_add_and_list issuer_add_and_list
check issuer_add_twice_conflicts issuer_add_twice_conflicts
check check_dry_run check_dry_run
check check_from_stdin_json check_from_stdin_json
check check_alg_none_refused check_alg_none_refused
check check_unlinked_user_refused check_unlinked_user_refused
check link_alice link_alice
check value_prefix value_prefix

# ---- the API (this shell starts the server, so that cleanup can stop it) ----

start_server_or_exit serve
RID=$(cat "$TMP/hcv.rid")

api_needs_login() {
    printf '{"passport":"x"}' >"$TMP/anon.json"
    http anon POST /api/v1/passports -H 'Content-Type: application/json' --data-binary "@$TMP/anon.json"
    expect_status anon 401
}
api_before_presenting() {
    http before GET "/api/v1/records/$RID" -H "$(bearer alice)"
    expect_status before 404
}
api_refuses_alg_none() {
    present alice "$TMP/fx/none.jwt" none-api
    expect_status none-api 400 && expect_body none-api "alg 'none' is not accepted" &&
        expect_equal "passport.refused rows" 1 \
            "$(sql "SELECT count(*) FROM audit WHERE action = 'passport.refused'")"
}
api_refuses_someone_elses_passport() {
    present bob "$TMP/fx/good.jwt" bob-api
    expect_status bob-api 400 && expect_body bob-api "not linked to this user"
}
api_presents() {
    present alice "$TMP/fx/good.jwt" good-api
    expect_status good-api 200 && expect_body good-api '"verdict":"accepted"' &&
        expect_body good-api '"dataset":"hereditary-cancer-variants"' &&
        expect_body good-api '"accepted":1' && expect_body good-api '"refused":1' &&
        expect_equal "passport grants" 1 \
            "$(sql "SELECT count(*) FROM access_grant WHERE source = 'passport'")" &&
        expect_equal "refusal audited" 1 \
            "$(sql "SELECT count(*) FROM audit WHERE action = 'passport.visa.refused' AND detail LIKE '%rare-disease-cases%restricted%'")"
}
api_grant_opens_record() {
    http after GET "/api/v1/records/$RID" -H "$(bearer alice)"
    expect_status after 200 && expect_body after '"dataset":"hereditary-cancer-variants"'
}
api_grant_expires_with_visa() {
    local exp
    exp=$(sql "SELECT expires_at - strftime('%s','now') FROM access_grant WHERE source = 'passport'")
    [ "$exp" -gt 3000 ] && [ "$exp" -le 3600 ] && return 0
    echo "grant expires in $exp s, expected the visa's hour"
    return 1
}
api_presenting_again_is_idempotent() {
    present alice "$TMP/fx/good.jwt" again-api
    expect_status again-api 200 &&
        expect_equal "passport grants" 1 \
            "$(sql "SELECT count(*) FROM access_grant WHERE source = 'passport'")"
}
api_revocation_stops_access() {
    local gid
    gid=$(sql "SELECT id FROM access_grant WHERE source = 'passport'")
    cli revoke grant revoke "$gid" || return 1
    present alice "$TMP/fx/good.jwt" after-revoke
    http revoked GET "/api/v1/records/$RID" -H "$(bearer alice)"
    expect_status after-revoke 200 && expect_status revoked 404
}

check api_needs_login api_needs_login
check api_before_presenting api_before_presenting
check api_refuses_alg_none api_refuses_alg_none
check api_refuses_someone_elses_passport api_refuses_someone_elses_passport
check api_presents api_presents
check api_grant_opens_record api_grant_opens_record
check api_grant_expires_with_visa api_grant_expires_with_visa
check api_presenting_again_is_idempotent api_presenting_again_is_idempotent
check api_revocation_stops_access api_revocation_stops_access
check audit_chain_intact cli verify audit verify
check sanitizers_clean sanitizers_clean
summary_and_exit
