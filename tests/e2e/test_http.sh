#!/usr/bin/env bash
# test_http.sh — end-to-end tests of `genoshare serve`: the JSON API, sessions, tokens, the
# access rules as seen over HTTP, the audit trail, the web UI's static files and a clean stop
# under load. Everything stays on loopback.
#
#   bash tests/e2e/test_http.sh [BINARY]     (default build/san/genoshare)
#
# Every check prints one line, "PASS <name>", "FAIL <name>: <reason>" or "SKIP <name>: <reason>";
# then a summary line. Exit status 0 when no check failed. Needs bash, curl and sqlite3.
# GS_E2E_KEEP=1 keeps the temporary directory for a post-mortem.
set -u

BIN=${1:-build/san/genoshare}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/genoshare-http.XXXXXX")
DB=$TMP/http.db
export GENOSHARE_DB=$DB
MAX_BODY=2048
LOAD_PID=

# ---- helpers: reporting, running the binary, expectations, the server, HTTP (lib.sh) ----

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

cleanup() {
    [ -n "$LOAD_PID" ] && kill "$LOAD_PID" 2>/dev/null
    [ -n "$SERVER_PID" ] && stop_server 15
    [ -n "$LOAD_PID" ] && wait "$LOAD_PID" 2>/dev/null
    remove_tmp
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- helpers: the command line and the database ----

sql() { sqlite3 -batch -cmd '.timeout 5000' "$DB" "$1"; }
# audit_actions: the action column of every audit row, one per line.
audit_actions() {
    cli audit-all audit show --limit 1000000 || return 1
    cut -f5 "$TMP/audit-all.out"
}

# ---- helpers: HTTP ----

# A session: login USER PASSWORD JAR → cookie jar file; the CSRF token in JAR.csrf.
login() {
    local tag=login-$1-$RANDOM
    post_json "$tag" /api/v1/login "{\"user\":\"$1\",\"password\":\"$2\"}" -c "$3" || true
    json_str "$tag" csrf_token >"$3.csrf"
    [ "$(status_of "$tag")" = 200 ]
}

# ---- preconditions ----

if [ ! -x "$BIN" ]; then
    fail setup "no executable at $BIN"
    summary_and_exit
fi
require_tools curl sqlite3

# ---- fixture (command line, before the server starts) ----
#   hospA (JP) owns every dataset; hospB (JP) is in consortium cons1; hospC is in DE;
#   hospD (JP) is in no consortium. alice: submitter+dac at hospA; erin: plain member at hospA.
PW=good-password-1
fixture() {
    cli init init || return 1
    local n
    for n in hospA:JP hospB:JP hospC:DE hospD:JP; do
        cli "inst-${n%:*}" institution add "${n%:*}" --country "${n#*:}" || return 1
    done
    cli cons consortium add cons1 && cli join consortium join cons1 --institution hospB || return 1
    for n in alice:hospA:submitter,dac bob:hospB:member carol:hospC:member dave:hospD:member \
        erin:hospA:member rl:hospB:member; do
        IFS=: read -r user inst roles <<<"$n"
        cli "user-$user" user add "$user" --institution "$inst" --roles "$roles" \
            --password "$PW" || return 1
        cli "tok-$user" token create --user "$user" --name e2e || return 1
        tail -n 1 "$TMP/tok-$user.out" >"$TMP/token.$user"
        head -n 1 "$TMP/tok-$user.out" | sed -n 's/^token \([0-9]*\) .*/\1/p' >"$TMP/token.$user.id"
    done
    cli ds1 dataset add open1 --tier open --data-type variants --institution hospA &&
        cli ds2 dataset add restr --tier restricted --data-type variants --institution hospA \
            --consortium cons1 &&
        cli ds3 dataset add ctrl --tier controlled --data-type sequence --institution hospA ||
        return 1
    for n in open_int:open1:international open_dom:open1:domestic open_priv:open1:private \
        restr:restr:international ctrl:ctrl:international; do
        IFS=: read -r key ds scope <<<"$n"
        cli "rec-$key" record add --dataset "$ds" --scope "$scope" --label "label $key" || return 1
        sed -n 's/^record \([0-9]*\) added.*/\1/p' "$TMP/rec-$key.out" >"$TMP/rid.$key"
    done
}
if ! why=$(fixture 2>&1); then
    fail fixture "$(oneline "$why") $(cat "$TMP"/*.err 2>/dev/null | head -c 300)"
    summary_and_exit
fi
rid() { cat "$TMP/rid.$1"; }
sqlite3 -batch "$DB" ".backup '$TMP/fresh.db'" # for the extra servers, before any login

# (not in a subshell: the server must be this shell's child, to be waited for and killed)
start_server_or_exit main --max-body "$MAX_BODY"
pass server_starts
MAIN_PORT=$PORT

# ---- basics ----

health_ok() {
    http health GET /api/v1/health
    expect_status health 200 || return 1
    expect_equal "status" ok "$(json_str health status)" || return 1
    local want
    want=$("$BIN" --version | sed 's/^genoshare //')
    expect_equal "version" "$want" "$(json_str health version)" || return 1
    expect_header health '^Content-Type: application/json'
}

unknown_route_404() {
    http nf GET /api/v1/no-such-thing
    expect_error nf 404 not_found || return 1
    http nf2 GET /api/v1/records/1/extra
    expect_error nf2 404 not_found
}

wrong_method_405() {
    http m1 PUT /api/v1/health
    expect_error m1 405 method_not_allowed && expect_header m1 '^Allow: GET$' || return 1
    http m2 GET /api/v1/login
    expect_error m2 405 method_not_allowed && expect_header m2 '^Allow: POST$' || return 1
    http m3 PATCH /api/v1/tokens/1
    expect_error m3 405 method_not_allowed && expect_header m3 '^Allow: DELETE$'
}

malformed_json_400() {
    post_json bad /api/v1/login '{"user": "alice", "password": '
    expect_error bad 400 invalid_input && expect_body bad line && expect_body bad column
}

missing_field_400() {
    post_json nofield /api/v1/login '{"user":"alice"}'
    expect_error nofield 400 invalid_input && expect_body nofield password || return 1
    post_json notobj /api/v1/login '[1,2]'
    expect_error notobj 400 invalid_input
}

wrong_content_type_415() {
    http ct POST /api/v1/login -H 'Content-Type: text/plain' \
        --data-binary "{\"user\":\"alice\",\"password\":\"$PW\"}"
    expect_error ct 415 unsupported_media_type || return 1
    http ct2 POST /api/v1/login --data-binary "{\"user\":\"alice\",\"password\":\"$PW\"}"
    expect_error ct2 415 unsupported_media_type
}

big_body() { # a JSON object of N bytes
    local n=$1
    printf '{"user":"alice","password":"%s"}' "$(head -c $((n - 30)) /dev/zero | tr '\0' x)"
}

body_too_big_413() {
    big_body $((MAX_BODY + 500)) >"$TMP/big.json"
    http big POST /api/v1/login -H 'Content-Type: application/json' --data-binary @"$TMP/big.json"
    expect_error big 413 payload_too_large
}

body_too_big_chunked_413() {
    big_body $((MAX_BODY * 3)) >"$TMP/bigc.json"
    http bigc POST /api/v1/login -H 'Content-Type: application/json' \
        -H 'Transfer-Encoding: chunked' --data-binary @"$TMP/bigc.json"
    expect_error bigc 413 payload_too_large
}

body_under_limit_accepted() {
    # Just under the limit, with a wrong password: decided on its merits (401), not refused.
    big_body $((MAX_BODY - 100)) >"$TMP/small.json"
    sed -i 's/"user":"alice"/"user":"nobody-at-all"/' "$TMP/small.json"
    http small POST /api/v1/login -H 'Content-Type: application/json' \
        -H 'Transfer-Encoding: chunked' --data-binary @"$TMP/small.json"
    expect_error small 401 unauthorized
}

# ---- sessions ----

login_wrong_password_401() {
    post_json lw /api/v1/login '{"user":"alice","password":"not-the-password"}'
    expect_error lw 401 unauthorized || return 1
    if grep -q 'Set-Cookie' "$TMP/lw.hdr"; then
        echo "a failed login set a cookie"
        return 1
    fi
}

login_rate_limited_429() {
    local i
    for i in 1 2 3 4 5; do
        post_json "rl$i" /api/v1/login '{"user":"rl","password":"wrong-password"}'
        expect_error "rl$i" 401 unauthorized || return 1
    done
    post_json rl6 /api/v1/login '{"user":"rl","password":"wrong-password"}'
    expect_error rl6 429 rate_limited && expect_header rl6 '^Retry-After: [0-9]+' || return 1
    post_json rl7 /api/v1/login "{\"user\":\"rl\",\"password\":\"$PW\"}"
    expect_error rl7 429 rate_limited || return 1
    if grep -q 'Set-Cookie' "$TMP/rl7.hdr"; then
        echo "a rate-limited login set a cookie"
        return 1
    fi
    # Another user from the same address is not locked out by rl's failures.
    post_json rl8 /api/v1/login "{\"user\":\"bob\",\"password\":\"$PW\"}"
    expect_status rl8 200
}

login_sets_secure_cookie() {
    post_json lok /api/v1/login "{\"user\":\"alice\",\"password\":\"$PW\"}" -c "$TMP/alice.jar"
    expect_status lok 200 || return 1
    local cookie
    cookie=$(header_value lok Set-Cookie)
    case $cookie in
    gs_session=?*) ;;
    *)
        echo "no gs_session cookie: '$cookie'"
        return 1
        ;;
    esac
    printf '%s' "$cookie" | grep -qi '; *HttpOnly' || {
        echo "cookie lacks HttpOnly: $cookie"
        return 1
    }
    printf '%s' "$cookie" | grep -qi '; *SameSite=Strict' || {
        echo "cookie lacks SameSite=Strict: $cookie"
        return 1
    }
    local csrf
    csrf=$(json_str lok csrf_token)
    [ ${#csrf} -ge 16 ] || {
        echo "no csrf_token in the body: $(head -c 200 "$TMP/lok.body")"
        return 1
    }
    printf '%s' "$csrf" >"$TMP/alice.jar.csrf"
    expect_body lok '"name":"alice"'
}

me_without_credentials_401() {
    http me0 GET /api/v1/me
    expect_error me0 401 unauthorized
}

me_with_cookie() {
    http me1 GET /api/v1/me -b "$TMP/alice.jar"
    expect_status me1 200 && expect_body me1 '"name":"alice"' && expect_body me1 '"country":"JP"' ||
        return 1
    expect_equal "csrf_token from /me" "$(cat "$TMP/alice.jar.csrf")" "$(json_str me1 csrf_token)"
}

logout_needs_csrf() {
    http lo1 POST /api/v1/logout -b "$TMP/alice.jar"
    expect_error lo1 403 forbidden || return 1
    http lo2 POST /api/v1/logout -b "$TMP/alice.jar" -H 'X-CSRF-Token: wrong-token'
    expect_error lo2 403 forbidden || return 1
    http me2 GET /api/v1/me -b "$TMP/alice.jar"
    expect_status me2 200
}

login_again_with_live_cookie() {
    # Signing in again while a session cookie is present needs no CSRF token: the old
    # session may be stale in the browser, and login requires application/json anyway.
    http lag POST /api/v1/login -b "$TMP/alice.jar" -H 'Content-Type: application/json' \
        -d '{"user":"alice","password":"'"$PW"'"}'
    expect_status lag 200
}

logout_with_csrf() {
    http lo3 POST /api/v1/logout -b "$TMP/alice.jar" -H "X-CSRF-Token: $(cat "$TMP/alice.jar.csrf")"
    expect_status lo3 200 || return 1
    http me3 GET /api/v1/me -b "$TMP/alice.jar"
    expect_error me3 401 unauthorized
}

# ---- API tokens ----

bearer_token_works() {
    http tk1 GET /api/v1/me -H "$(bearer bob)"
    expect_status tk1 200 && expect_body tk1 '"name":"bob"' || return 1
    if grep -q csrf_token "$TMP/tk1.body"; then
        echo "a bearer caller was given a CSRF token"
        return 1
    fi
}

garbage_token_401() {
    http tk2 GET /api/v1/me -H 'Authorization: Bearer gst_0000000000000000000000000000000000000000000000000000000000000000'
    expect_error tk2 401 unauthorized && expect_header tk2 '^WWW-Authenticate: Bearer' || return 1
    http tk3 GET /api/v1/me -H 'Authorization: Basic YWxpY2U6eA=='
    expect_error tk3 401 unauthorized || return 1
    # A dead token is an error even on a public endpoint, not a silent downgrade.
    http tk4 GET /api/v1/datasets -H 'Authorization: Bearer nonsense'
    expect_error tk4 401 unauthorized
}

cli_revoked_token_401() {
    cli tokx token create --user carol --name revoke-me || return 1
    local secret id
    secret=$(tail -n 1 "$TMP/tokx.out")
    id=$(head -n 1 "$TMP/tokx.out" | sed -n 's/^token \([0-9]*\) .*/\1/p')
    http tk5 GET /api/v1/me -H "Authorization: Bearer $secret"
    expect_status tk5 200 || return 1
    cli tokxr token revoke "$id" || {
        echo "token revoke failed: $(cat "$TMP/tokxr.err")"
        return 1
    }
    http tk6 GET /api/v1/me -H "Authorization: Bearer $secret"
    expect_error tk6 401 unauthorized
}

api_token_create_and_delete() {
    post_json tc /api/v1/tokens '{"name":"from-api","days":2}' -H "$(bearer dave)"
    expect_status tc 201 || return 1
    local secret id
    secret=$(json_str tc token)
    id=$(json_num tc id)
    [ -n "$secret" ] && [ -n "$id" ] || {
        echo "no token or id in $(head -c 200 "$TMP/tc.body")"
        return 1
    }
    http tc2 GET /api/v1/me -H "Authorization: Bearer $secret"
    expect_status tc2 200 && expect_body tc2 '"name":"dave"' || return 1
    # Somebody else cannot revoke it (reported as absent).
    http tc3 DELETE "/api/v1/tokens/$id" -H "$(bearer erin)"
    expect_error tc3 404 not_found || return 1
    http tc4 DELETE "/api/v1/tokens/$id" -H "$(bearer dave)"
    expect_status tc4 200 || return 1
    http tc5 GET /api/v1/me -H "Authorization: Bearer $secret"
    expect_error tc5 401 unauthorized || return 1
    http tc6 GET /api/v1/me -H "$(bearer dave)" # dave's other token still works
    expect_status tc6 200
}

# ---- records and the access rules ----

# same_shape TAG-A ID-A TAG-B ID-B: the two bodies are equal once their ids are masked.
same_shape() {
    local a b
    a=$(sed "s/\\b$2\\b/N/g" "$TMP/$1.body")
    b=$(sed "s/\\b$4\\b/N/g" "$TMP/$3.body")
    expect_equal "refused vs nonexistent body" "$b" "$a"
}

anonymous_reads_open_international() {
    http ra1 GET "/api/v1/records/$(rid open_int)"
    expect_status ra1 200 && expect_body ra1 '"label":"label open_int"' &&
        expect_body ra1 '"tier":"open"' && expect_body ra1 '"scope":"international"'
}

anonymous_restricted_404() {
    http ra2 GET "/api/v1/records/$(rid restr)"
    expect_error ra2 404 not_found || return 1
    http ra3 GET /api/v1/records/987654
    expect_error ra3 404 not_found || return 1
    same_shape ra2 "$(rid restr)" ra3 987654 || return 1
    http ra4 GET "/api/v1/records/$(rid open_dom)"
    expect_error ra4 404 not_found
}

consortium_member_reads_restricted() {
    http rb1 GET "/api/v1/records/$(rid restr)" -H "$(bearer bob)"
    expect_status rb1 200 && expect_body rb1 '"label":"label restr"' || return 1
    http rb2 GET "/api/v1/records/$(rid restr)" -H "$(bearer dave)"
    expect_error rb2 404 not_found && same_shape rb2 "$(rid restr)" ra3 987654
}

domestic_scope_same_country() {
    http rd1 GET "/api/v1/records/$(rid open_dom)" -H "$(bearer dave)"
    expect_status rd1 200 && expect_body rd1 '"scope":"domestic"'
}

private_scope_other_institution() {
    http rd2 GET "/api/v1/records/$(rid open_priv)" -H "$(bearer dave)"
    expect_error rd2 404 not_found && same_shape rd2 "$(rid open_priv)" ra3 987654 || return 1
    http rd3 GET "/api/v1/records/$(rid open_priv)" -H "$(bearer erin)" # erin is at hospA
    expect_status rd3 200
}

domestic_scope_other_country() {
    http rd4 GET "/api/v1/records/$(rid open_dom)" -H "$(bearer carol)"
    expect_error rd4 404 not_found && same_shape rd4 "$(rid open_dom)" ra3 987654
}

controlled_grant_lifecycle() {
    local rec
    rec=$(rid ctrl)
    http rc1 GET "/api/v1/records/$rec" -H "$(bearer dave)"
    expect_error rc1 404 not_found || return 1
    login alice "$PW" "$TMP/alice2.jar" || {
        echo "alice cannot log in again"
        return 1
    }
    local csrf until gid
    csrf=$(cat "$TMP/alice2.jar.csrf")
    until=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
    # Without the CSRF header a cookie-authenticated write is refused.
    post_json rc2 /api/v1/grants "{\"dataset\":\"ctrl\",\"user\":\"dave\",\"until\":\"$until\"}" \
        -b "$TMP/alice2.jar"
    expect_error rc2 403 forbidden || return 1
    post_json rc3 /api/v1/grants "{\"dataset\":\"ctrl\",\"user\":\"dave\",\"until\":\"$until\"}" \
        -b "$TMP/alice2.jar" -H "X-CSRF-Token: $csrf"
    expect_status rc3 201 || return 1
    gid=$(json_num rc3 id)
    echo "$gid" >"$TMP/grant.id"
    http rc4 GET "/api/v1/records/$rec" -H "$(bearer dave)"
    expect_status rc4 200 && expect_body rc4 '"tier":"controlled"' || return 1
    http rc5 DELETE "/api/v1/grants/$gid" -b "$TMP/alice2.jar" -H "X-CSRF-Token: $csrf"
    expect_status rc5 200 || return 1
    http rc6 GET "/api/v1/records/$rec" -H "$(bearer dave)"
    expect_error rc6 404 not_found || return 1
    http rc7 DELETE "/api/v1/grants/$gid" -H "$(bearer alice)" # already revoked
    expect_error rc7 409 conflict
}

grant_in_past_refused() {
    post_json gp /api/v1/grants '{"dataset":"ctrl","user":"dave","until":"2020-01-01"}' -H "$(bearer alice)"
    expect_error gp 400 invalid_input
}

non_dac_grant_403() {
    local until
    until=$(date -u -d '+30 days' +%Y-%m-%d)
    post_json nd /api/v1/grants "{\"dataset\":\"ctrl\",\"user\":\"erin\",\"until\":\"$until\"}" -H "$(bearer erin)"
    expect_error nd 403 forbidden || return 1
    http nd2 DELETE "/api/v1/grants/$(cat "$TMP/grant.id" 2>/dev/null || echo 1)" -H "$(bearer bob)"
    expect_error nd2 403 forbidden || return 1
    post_json nd3 /api/v1/grants "{\"dataset\":\"ctrl\",\"user\":\"erin\",\"until\":\"$until\"}"
    expect_error nd3 401 unauthorized
}

submitter_adds_record_201() {
    post_json ps1 /api/v1/records \
        '{"dataset":"open1","label":"via api","scope":"domestic","content":{"gene":"BRCA2"}}' -H "$(bearer alice)"
    expect_status ps1 201 && expect_body ps1 '"dataset":"open1"' && expect_body ps1 '"scope":"domestic"' ||
        return 1
    local id
    id=$(json_num ps1 id)
    http ps2 GET "/api/v1/records/$id" -H "$(bearer bob)" # domestic, same country
    expect_status ps2 200 && expect_body ps2 '"gene":"BRCA2"' || return 1
    expect_equal "record $id in the database" "via api|domestic" \
        "$(sql "SELECT label || '|' || scope FROM record WHERE id = $id")"
}

non_submitter_record_403() {
    local before
    before=$(sql 'SELECT count(*) FROM record')
    post_json ps3 /api/v1/records '{"dataset":"open1","label":"not allowed"}' -H "$(bearer erin)"
    expect_error ps3 403 forbidden || return 1
    post_json ps4 /api/v1/records '{"dataset":"open1","label":"anonymous"}'
    expect_error ps4 401 unauthorized || return 1
    # bob may read restr (consortium member) but lacks the submitter role.
    post_json ps5 /api/v1/records '{"dataset":"restr","label":"x"}' -H "$(bearer bob)"
    expect_error ps5 403 forbidden || return 1
    expect_equal "records" "$before" "$(sql 'SELECT count(*) FROM record')"
}

datasets_catalogue_public() {
    http dl GET /api/v1/datasets
    expect_status dl 200 && expect_body dl '"name":"restr"' && expect_body dl '"name":"ctrl"' ||
        return 1
    http dr GET /api/v1/datasets/restr
    expect_status dr 200 && expect_body dr '"readable":false' || return 1
    http dr2 GET /api/v1/datasets/restr -H "$(bearer bob)"
    expect_status dr2 200 && expect_body dr2 '"readable":true'
}

login_rate_limited_per_address() {
    # Failures for many different names from one address: after AUTH_FAIL_MAX_ORIGIN (20)
    # of them, every login from that address is refused, even a right password.
    local i limited=
    for i in $(seq 1 25); do
        post_json "ra$i" /api/v1/login "{\"user\":\"nobody$i\",\"password\":\"wrong-password\"}"
        case $(status_of "ra$i") in
        429)
            limited=$i
            break
            ;;
        401) ;;
        *)
            expect_status "ra$i" 401
            return 1
            ;;
        esac
    done
    [ -n "$limited" ] || {
        echo "25 failed logins for different users from one address were never limited"
        return 1
    }
    post_json ra-ok /api/v1/login "{\"user\":\"erin\",\"password\":\"$PW\"}"
    expect_error ra-ok 429 rate_limited
}

# ---- audit ----

audit_has_rows() {
    local actions want missing=
    actions=$(audit_actions) || {
        echo "audit show failed: $(cat "$TMP/audit-all.err")"
        return 1
    }
    for want in login.success login.failure login.limited logout record.read record.read.denied \
        grant.add grant.revoke token.create token.revoke record.add; do
        printf '%s\n' "$actions" | grep -qx "$want" || missing="$missing $want"
    done
    [ -z "$missing" ] && return 0
    echo "no audit rows for:$missing"
    return 1
}

audit_denied_read_details() {
    cli audit-all2 audit show --limit 1000000 || return 1
    local T=$'\t' restr open
    restr=$(rid restr)
    open=$(rid open_int)
    grep -qE "${T}anonymous${T}127\\.0\\.0\\.1${T}record\\.read\\.denied${T}record:${restr}${T}" \
        "$TMP/audit-all2.out" || {
        echo "no record.read.denied row for the anonymous read of record $restr"
        return 1
    }
    grep -qE "${T}user:bob${T}127\\.0\\.0\\.1${T}record\\.read${T}record:${restr}${T}" \
        "$TMP/audit-all2.out" || {
        echo "no record.read row for bob's read of record $restr"
        return 1
    }
    if grep -qE "${T}record\\.read${T}record:${open}${T}" "$TMP/audit-all2.out"; then
        echo "reads of open, international record $open are audited (expected only non-open reads)"
        return 1
    fi
}

audit_verify_passes() {
    cli av audit verify || {
        echo "audit verify: $(cat "$TMP/av.out" "$TMP/av.err" | head -c 300)"
        return 1
    }
    grep -q 'audit trail intact' "$TMP/av.out"
}

# ---- the web UI's static files ----

static_index() {
    http ui1 GET /
    expect_status ui1 200 && expect_header ui1 '^Content-Type: text/html' &&
        expect_header ui1 '^Content-Security-Policy: .+' &&
        expect_header ui1 '^X-Content-Type-Options: nosniff' || return 1
    grep -qi '<html' "$TMP/ui1.body" || {
        echo "GET / is not HTML: $(head -c 100 "$TMP/ui1.body")"
        return 1
    }
}

static_js_and_etag() {
    http ui2 GET /app.js
    expect_status ui2 200 && expect_header ui2 '^Content-Type: text/javascript' || return 1
    local etag
    etag=$(header_value ui2 ETag)
    [ -n "$etag" ] || {
        echo "no ETag on /app.js"
        return 1
    }
    http ui3 GET /app.js -H "If-None-Match: $etag"
    expect_status ui3 304 || return 1
    [ ! -s "$TMP/ui3.body" ] || {
        echo "304 response has a body"
        return 1
    }
    http ui4 GET /app.js -H 'If-None-Match: "something-else"'
    expect_status ui4 200
}

static_unknown_404() {
    http ui5 GET /no-such-page.html
    expect_status ui5 404 || return 1
    http ui6 GET /../../etc/passwd --path-as-is
    expect_status ui6 404 || return 1
    http ui7 POST /index.html -d x
    expect_status ui7 405
}

serve_refuses_busy_port_and_bad_address() {
    timeout 20 "$BIN" serve --listen "127.0.0.1:$MAIN_PORT" --db "$TMP/fresh.db" \
        >"$TMP/busy.out" 2>"$TMP/busy.stderr"
    local rc=$?
    expect_equal "exit status on a busy port" 1 "$rc" || return 1
    grep -q "^genoshare: serve: cannot listen on 127.0.0.1:$MAIN_PORT" "$TMP/busy.stderr" || {
        echo "stderr: $(head -c 200 "$TMP/busy.stderr")"
        return 1
    }
    timeout 20 "$BIN" serve --listen 999.1.1.1:0 --db "$TMP/fresh.db" >"$TMP/badaddr.out" \
        2>"$TMP/badaddr.stderr"
    rc=$?
    expect_equal "exit status for a bad address" 2 "$rc"
}

# ---- after the main server: log, shutdown, sanitizers ----

access_log_one_line_per_request() {
    local want got
    want=$(wc -l <"$TMP/requests.log")
    got=$(grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z [^ ]+ "[A-Z]+ [^"]*" [0-9]{3} ' "$TMP/main.stderr")
    expect_equal "access log lines vs requests made" "$want" "$got" || return 1
    grep -qE '"GET /api/v1/me" 200 [0-9]+ [0-9.]+ms user:bob' "$TMP/main.stderr" || {
        echo "no access log line naming user:bob for GET /api/v1/me"
        return 1
    }
}

main_server_stops_cleanly() {
    expect_equal "serve exit status after SIGTERM" 0 "$MAIN_STATUS" || return 1
    grep -q 'stopped cleanly' "$TMP/main.stderr" || {
        echo "no 'stopped cleanly' on stderr: $(tail -n 3 "$TMP/main.stderr")"
        return 1
    }
}

# servers_and_runs_sanitizers_clean: no server's stderr has a sanitizer report, nor any
# command-line run (lib.sh's sanitizers_clean).
servers_and_runs_sanitizers_clean() {
    local f
    for f in "$TMP"/*.stderr; do
        if grep -qE "$SANITIZER_REPORT" "$f"; then
            echo "$(basename "$f"): $(grep -m1 -E "$SANITIZER_REPORT" "$f")"
            return 1
        fi
    done
    sanitizers_clean
}

# ---- SIGTERM while records are being written ----

LOAD_N=200
# run_load: (main shell) starts a second server, fires LOAD_N record writes from 8 clients,
# sends SIGTERM once some are through, and waits for everything to end. Results in
# $TMP/load.codes (one HTTP status per write), load.status and load.setup.
run_load() {
    start_server load --threads 4 >"$TMP/load.setup" 2>&1 || return 1
    local token base=$BASE i seen=0
    token=$(cat "$TMP/token.alice")
    : >"$TMP/load.codes"
    (seq 1 "$LOAD_N" | xargs -P 8 -I{} curl -s --max-time 10 -o /dev/null -w '%{http_code}\n' \
        -X POST -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
        --data-binary '{"dataset":"open1","label":"load {}","scope":"international"}' \
        "$base/api/v1/records" >>"$TMP/load.codes" 2>/dev/null) &
    LOAD_PID=$!
    for i in $(seq 1 200); do # until some writes are through (at most 10 s)
        seen=$(grep -c '"POST /api/v1/records" 201' "$TMP/load.stderr")
        [ "$seen" -ge 20 ] && break
        sleep 0.05
    done
    stop_server 30
    echo "$STOP_STATUS" >"$TMP/load.status"
    for i in $(seq 1 600); do # the clients give up quickly once nobody listens
        kill -0 "$LOAD_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill "$LOAD_PID" 2>/dev/null
    wait "$LOAD_PID" 2>/dev/null
    LOAD_PID=
}

sigterm_during_writes() {
    [ -s "$TMP/load.status" ] || {
        echo "the load server did not start: $(head -c 300 "$TMP/load.setup")"
        return 1
    }
    local status
    status=$(cat "$TMP/load.status")
    [ "$status" != hung ] || {
        echo "the server did not exit within 30 s of SIGTERM"
        return 1
    }
    expect_equal "serve exit status after SIGTERM" 0 "$status" || return 1
    grep -q 'stopped cleanly' "$TMP/load.stderr" || {
        echo "no 'stopped cleanly' on stderr: $(tail -n 2 "$TMP/load.stderr")"
        return 1
    }
}

after_sigterm_integrity_ok() {
    expect_equal "PRAGMA integrity_check" ok "$(sql 'PRAGMA integrity_check')"
}

after_sigterm_audit_verify() {
    audit_verify_passes
}

after_sigterm_nothing_half_written() {
    local records audited acked stored
    records=$(sql 'SELECT count(*) FROM record')
    audited=$(sql "SELECT count(*) FROM audit WHERE action = 'record.add'")
    expect_equal "records vs record.add audit rows" "$records" "$audited" || return 1
    acked=$(grep -c '^201$' "$TMP/load.codes")
    stored=$(sql "SELECT count(*) FROM record WHERE label LIKE 'load %'")
    [ "$stored" -ge "$acked" ] || {
        echo "$acked writes were acknowledged (201) but only $stored are stored"
        return 1
    }
    local bad
    bad=$(grep -vE '^(201|000)$' "$TMP/load.codes" | sort | uniq -c | tr '\n' ' ')
    [ -z "$bad" ] || {
        echo "unexpected statuses during the load: $bad"
        return 1
    }
}

sigterm_interrupted_load() {
    local acked
    acked=$(grep -c '^201$' "$TMP/load.codes")
    if [ "$acked" -ge "$LOAD_N" ]; then
        echo "all $LOAD_N writes finished before SIGTERM arrived; shutdown was not tested mid-load"
        return 77
    fi
    [ "$acked" -gt 0 ] && return 0
    echo "no write succeeded before SIGTERM"
    return 1
}

# ---- run ----

check health_ok health_ok
check unknown_route_404 unknown_route_404
check wrong_method_405 wrong_method_405
check malformed_json_400 malformed_json_400
check missing_field_400 missing_field_400
check wrong_content_type_415 wrong_content_type_415
check body_too_big_413 body_too_big_413
check body_too_big_chunked_413 body_too_big_chunked_413
check body_under_limit_accepted body_under_limit_accepted
check login_wrong_password_401 login_wrong_password_401
check login_rate_limited_429 login_rate_limited_429
check login_sets_secure_cookie login_sets_secure_cookie
check me_without_credentials_401 me_without_credentials_401
check me_with_cookie me_with_cookie
check logout_needs_csrf logout_needs_csrf
check login_again_with_live_cookie login_again_with_live_cookie
check logout_with_csrf logout_with_csrf
check bearer_token_works bearer_token_works
check garbage_token_401 garbage_token_401
check cli_revoked_token_401 cli_revoked_token_401
check api_token_create_and_delete api_token_create_and_delete
check anonymous_reads_open_international anonymous_reads_open_international
check anonymous_restricted_404 anonymous_restricted_404
check consortium_member_reads_restricted consortium_member_reads_restricted
check domestic_scope_same_country domestic_scope_same_country
check private_scope_other_institution private_scope_other_institution
check domestic_scope_other_country domestic_scope_other_country
check controlled_grant_lifecycle controlled_grant_lifecycle
check grant_in_past_refused grant_in_past_refused
check non_dac_grant_403 non_dac_grant_403
check submitter_adds_record_201 submitter_adds_record_201
check non_submitter_record_403 non_submitter_record_403
check datasets_catalogue_public datasets_catalogue_public
check static_index static_index
check static_js_and_etag static_js_and_etag
check static_unknown_404 static_unknown_404
check serve_refuses_busy_port_and_bad_address serve_refuses_busy_port_and_bad_address
check login_rate_limited_per_address login_rate_limited_per_address
check audit_has_rows audit_has_rows
check audit_denied_read_details audit_denied_read_details
check audit_verify_passes audit_verify_passes

sleep 0.2 # let the last access-log lines land
stop_server 30
MAIN_STATUS=$STOP_STATUS
check main_server_stops_cleanly main_server_stops_cleanly
check access_log_one_line_per_request access_log_one_line_per_request

# A third server, on the copy made before any login: --secure-cookies and --quiet.
SECURE_UP=
if start_server sec --db "$TMP/fresh.db" --secure-cookies --quiet >"$TMP/sec.setup" 2>&1; then
    SECURE_UP=1
    post_json sec-login /api/v1/login "{\"user\":\"alice\",\"password\":\"$PW\"}"
    http sec-health GET /api/v1/health
    sleep 0.2
    stop_server 30
    echo "$STOP_STATUS" >"$TMP/sec.status"
fi
secure_cookies_flag() {
    [ -n "$SECURE_UP" ] || {
        echo "server did not start: $(head -c 300 "$TMP/sec.setup")"
        return 1
    }
    expect_status sec-login 200 || return 1
    header_value sec-login Set-Cookie | grep -qi '; *Secure' || {
        echo "no Secure flag: $(header_value sec-login Set-Cookie)"
        return 1
    }
}
quiet_has_no_access_log() {
    [ -n "$SECURE_UP" ] || return 77
    if grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T' "$TMP/sec.stderr"; then
        echo "--quiet server logged: $(grep -m1 -E '^[0-9]{4}-' "$TMP/sec.stderr")"
        return 1
    fi
    expect_equal "exit status after SIGTERM" 0 "$(cat "$TMP/sec.status")"
}
check secure_cookies_flag secure_cookies_flag
check quiet_has_no_access_log quiet_has_no_access_log

run_load
check sigterm_during_writes sigterm_during_writes
check after_sigterm_integrity_ok after_sigterm_integrity_ok
check after_sigterm_audit_verify after_sigterm_audit_verify
check after_sigterm_nothing_half_written after_sigterm_nothing_half_written
check sigterm_interrupted_load sigterm_interrupted_load
check sanitizers_clean servers_and_runs_sanitizers_clean

summary_and_exit
