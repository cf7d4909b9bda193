#!/usr/bin/env bash
# test_mme.sh — end-to-end tests of the Matchmaker Exchange API with TWO genoshare servers on
# loopback (node A and node B: different ports and databases), peers configured both ways with
# tokens, and a misbehaving fake peer (mme_fake_peer.mjs):
#   - `genoshare mme peer add|list|update|remove` (the token alone on the last line);
#   - inbound on B: heartbeat, metrics, match with the spec's example request, content
#     negotiation (v1.0, v1.1, JSON; 406, 415), 401, 400, 422; responses validated with ajv
#     against the MME JSON Schema; scope and tier of what a peer sees;
#   - outbound from A (API and CLI): peers asked in parallel, answers merged and labelled by
#     node; a case goes only to the peers its scope allows (checked on B's audit trail and
#     access log); a dead, a slow, a garbage, an invalid and an oversized peer do not fail
#     the search; what A sends is schema-valid;
#   - B asking A (the other direction) with `genoshare match --peers`.
#
#   bash tests/e2e/test_mme.sh [BINARY]     (default build/san/genoshare)
set -u

BIN=${1:-build/san/genoshare}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/genoshare-mme.XXXXXX")
FIX=$PWD/tests/fixtures
HERE=$PWD/tests/e2e
DATA=${GENOSHARE_DATA:-../shared/data}
case $DATA in /*) ;; *) DATA=$PWD/$DATA ;; esac
SCHEMA=$DATA/hpo/schemas/mme-api.reference-server.schema.json
EXAMPLE=$DATA/hpo/examples/mme-match-request.example.json
DB_A=$TMP/a.db
DB_B=$TMP/b.db

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

PID_A= PID_B= PID_FAKE=
cleanup() {
    local pid
    for pid in "$PID_A" "$PID_B"; do
        [ -n "$pid" ] && SERVER_PID=$pid && stop_server 15
    done
    [ -n "$PID_FAKE" ] && kill "$PID_FAKE" 2>/dev/null && wait "$PID_FAKE" 2>/dev/null
    remove_tmp
}
trap cleanup EXIT
trap 'exit 130' INT TERM

require_tools node curl

if [ ! -x "$BIN" ]; then
    fail setup "no executable at $BIN"
    summary_and_exit
fi

MT11=application/vnd.ga4gh.matchmaker.v1.1+json
MT10=application/vnd.ga4gh.matchmaker.v1.0+json
RE11='application/vnd\.ga4gh\.matchmaker\.v1\.1\+json' # for expect_header (a regex)
RE10='application/vnd\.ga4gh\.matchmaker\.v1\.0\+json'
TERMS='HP:0002121,HP:0000252,HP:0002119'
FEATURES='[{"id":"HP:0002121"},{"id":"HP:0000252"},{"id":"HP:0002119"}]'

# on A|B ARGS...: the CLI against node A's or B's database (run's TAG is the first ARG).
on() {
    local node=$1 tag=$2
    shift 2
    local db=$DB_A
    [ "$node" = B ] && db=$DB_B
    run "$tag" "$@" --db "$db"
}
on_ok() { on "$@" && [ "$(rc_of "$2")" = 0 ]; }
last_line() { tail -n 1 "$TMP/$1.out"; }

# mme_post TAG NODE-BASE TOKEN BODY-FILE [CURL-ARGS...]: POST /mme/match to a node.
mme_post() {
    local tag=$1 base=$2 token=$3 file=$4
    shift 4
    BASE=$base http "$tag" POST /mme/match -H "X-Auth-Token: $token" \
        -H "Content-Type: $MT11" --data-binary "@$file" "$@"
}
schema_valid() { # request|response FILE...
    local out
    out=$(node "$HERE/mme_validate.mjs" "$SCHEMA" "$@" 2>&1) && return 0
    echo "schema: $(oneline "$out")"
    return 1
}
# audit_count NODE ACTION OBJECT: rows of the node's audit trail with that action and object.
# The rows read last are in $TMP/audit-last.out.
audit_count() {
    on "$1" audit-last audit show --limit 100000 >/dev/null
    awk -F'\t' -v a="$2" -v o="$3" '$5 == a && $6 == o' "$TMP/audit-last.out" | wc -l
}

# ---- fixture: two nodes, each with an open and a restricted dataset and four cases ----
import_case() { # NODE NAME DATASET SCOPE: a case labelled NAME; its id in $TMP/id.NAME
    local node=$1 name=$2 ds=$3 scope=$4
    printf '{"label":"%s","features":%s,"genes":["FBN1"],"contact":{"name":"Dr %s","email":"%s@example.org"}}\n' \
        "$name" "$FEATURES" "$name" "$name" >"$TMP/$name.json"
    on_ok "$node" "imp-$name" case import "$TMP/$name.json" --dataset "$ds" --scope "$scope" \
        --format json || return 1
    sed -n 's/.*imported as case \([0-9]*\).*/\1/p' "$TMP/imp-$name.out" >"$TMP/id.$name"
}
node_fixture() { # NODE INSTITUTION PREFIX
    local n=$1 inst=$2 p=$3
    on_ok "$n" "init-$n" init && on_ok "$n" "inst-$n" institution add "$inst" --country JP &&
        on_ok "$n" "cons-$n" consortium add rare &&
        on_ok "$n" "join-$n" consortium join rare --institution "$inst" &&
        on_ok "$n" "ds1-$n" dataset add "open-$p" --tier open --data-type phenotype_clinical \
            --institution "$inst" &&
        on_ok "$n" "ds2-$n" dataset add "rare-$p" --tier restricted \
            --data-type phenotype_clinical --institution "$inst" --consortium rare &&
        on_ok "$n" "genes-$n" case genes load "$FIX/cases/genes.tsv" &&
        on_ok "$n" "hpo-$n" hpo load --ontology "$FIX/hpo/mini.json" \
            --annotations "$FIX/hpo/mini.hpoa" || return 1
    import_case "$n" "$p-INTL" "open-$p" international &&
        import_case "$n" "$p-DOM" "open-$p" domestic &&
        import_case "$n" "$p-PRIV" "open-$p" private &&
        import_case "$n" "$p-RESTR" "rare-$p" international
}
if ! why=$( (node_fixture A hospA A && node_fixture B hospB B) 2>&1); then
    fail fixture "$(oneline "$why") $(cat "$TMP"/*.err 2>/dev/null | head -c 300)"
    summary_and_exit
fi
on_ok A u-sam user add sam --institution hospA --roles member &&
    on_ok A t-sam token create --user sam --name e2e && last_line t-sam >"$TMP/token.sam"

# ---- the servers and the fake peer ----
DB=$DB_A start_server_or_exit srvA
PID_A=$SERVER_PID BASE_A=$BASE
DB=$DB_B start_server_or_exit srvB
PID_B=$SERVER_PID BASE_B=$BASE
SERVER_PID=
mkdir -p "$TMP/fake"
node "$HERE/mme_fake_peer.mjs" "$TMP/fake" >"$TMP/fake.out" 2>&1 &
PID_FAKE=$!
for _ in $(seq 1 50); do
    FAKE_PORT=$(sed -n 's/^port //p' "$TMP/fake.out")
    [ -n "$FAKE_PORT" ] && break
    sleep 0.1
done
FAKE=http://127.0.0.1:${FAKE_PORT:-1}

# ---- peers, both ways: B knows A as a-intl and a-dom; A knows B as b-intl and b-dom ----
peers_cli() {
    on_ok B p1 mme peer add a-intl --url "$BASE_A/mme" --scope international &&
        on_ok B p2 mme peer add a-dom --url "$BASE_A/mme" --scope domestic || return 1
    last_line p1 >"$TMP/tok.b.a-intl"
    last_line p2 >"$TMP/tok.b.a-dom"
    grep -qE '^gsm_[0-9a-f]{64}$' "$TMP/tok.b.a-intl" || {
        echo "the last line is not the token alone: '$(last_line p1)'"
        return 1
    }
    on_ok A p3 mme peer add b-intl --url "$BASE_B/mme/" --scope international \
        --token "$(cat "$TMP/tok.b.a-intl")" &&
        on_ok A p4 mme peer add b-dom --url "$BASE_B/mme" --scope domestic \
            --token "$(cat "$TMP/tok.b.a-dom")" || return 1
    last_line p3 >"$TMP/tok.a.b-intl"
    last_line p4 >"$TMP/tok.a.b-dom"
    on_ok B p5 mme peer update a-intl --token "$(cat "$TMP/tok.a.b-intl")" &&
        on_ok B p6 mme peer update a-dom --token "$(cat "$TMP/tok.a.b-dom")" || return 1
    on_ok B pl mme peer list && expect_out pl "$(printf 'a-dom\t%s/mme\tdomestic\tenabled\tyes' "$BASE_A")" &&
        expect_out pl "$(printf 'a-intl\t%s/mme\tinternational\tenabled\tyes' "$BASE_A")" || return 1
    on A dup mme peer add b-intl --url "$BASE_B/mme" --scope international
    expect_rc dup 1 && expect_err dup "already exists" || return 1
    on A badscope mme peer add x --url "$BASE_B/mme" --scope private
    expect_rc badscope 1 && expect_err badscope "domestic or international" || return 1
    on A badurl mme peer add x --url "file:///etc/passwd" --scope domestic
    expect_rc badurl 1 && expect_err badurl "http://" || return 1
    on A noscope mme peer add x --url "$BASE_B/mme"
    expect_rc noscope 2 || return 1
    on_ok A h1 mme peer add --help && expect_out h1 "usage: genoshare mme peer add" &&
        expect_out h1 "--db FILE" && on_ok A h2 mme peer --help && expect_out h2 "remove"
}
check mme_peer_add_prints_the_token_alone_and_peers_are_configured_both_ways peers_cli
TOK_INTL=$(cat "$TMP/tok.b.a-intl" 2>/dev/null) # what A sends B as an international peer
TOK_DOM=$(cat "$TMP/tok.b.a-dom" 2>/dev/null)   # …as a domestic peer

misbehaving_peers() {
    local p
    for p in garbage invalid big slow html; do
        on_ok A "pf-$p" mme peer add "fake-$p" --url "$FAKE/$p" --scope international \
            --token "to-$p" || return 1
    done
    on_ok A pdead mme peer add dead --url "http://127.0.0.1:1/mme" --scope international &&
        on_ok A pgone mme peer add gone --url "http://127.0.0.1:1/mme" --scope international &&
        on_ok A pdis mme peer update gone --disable &&
        on_ok A prm mme peer add temp --url "http://127.0.0.1:1/mme" --scope domestic &&
        on_ok A prm2 mme peer remove temp && on A prm3 mme peer remove temp &&
        expect_rc prm3 1 && expect_err prm3 "no MME peer named 'temp'"
}
check misbehaving_peers_are_added_a_disabled_one_and_remove misbehaving_peers

# ---- inbound on B ----
heartbeat() {
    BASE=$BASE_B http hb GET /mme/heartbeat -H "X-Auth-Token: $TOK_INTL"
    expect_status hb 200 && expect_header hb "^Content-Type: $RE11" &&
        expect_body hb '"version":"1.1"' || return 1
    BASE=$BASE_B http hb10 GET /mme/heartbeat -H "X-Auth-Token: $TOK_INTL" -H "Accept: $MT10"
    expect_status hb10 200 && expect_header hb10 "^Content-Type: $RE10" || return 1
    BASE=$BASE_B http hbj GET /mme/heartbeat -H "X-Auth-Token: $TOK_INTL" \
        -H "Accept: text/html;q=0.9, application/json;q=0.5"
    expect_status hbj 200 && expect_header hbj "^Content-Type: application/json" || return 1
    BASE=$BASE_B http hbq GET /mme/heartbeat -H "X-Auth-Token: $TOK_INTL" \
        -H "Accept: $MT11;q=0.2, $MT10;q=0.8"
    expect_header hbq "^Content-Type: $RE10"
}
check heartbeat_negotiates_v11_v10_and_json heartbeat

errors_inbound() {
    printf '%s' '{"patient":{"id":"p1","contact":{"name":"x","href":"mailto:x@example.org"},"features":[{"id":"HP:0002121"}]}}' >"$TMP/ok.json"
    mme_post e401 "$BASE_B" "" "$TMP/ok.json"
    expect_status e401 401 && expect_body e401 '{"message":"X-Auth-Token header is required"}' || return 1
    mme_post e401b "$BASE_B" "gsm_not-a-token" "$TMP/ok.json"
    expect_status e401b 401 && expect_body e401b '"message":"unknown or disabled X-Auth-Token"' || return 1
    mme_post e406 "$BASE_B" "$TOK_INTL" "$TMP/ok.json" -H "Accept: application/vnd.ga4gh.matchmaker.v2.0+json"
    expect_status e406 406 && expect_body e406 '"message":"cannot answer' || return 1
    BASE=$BASE_B http e415 POST /mme/match -H "X-Auth-Token: $TOK_INTL" \
        -H "Content-Type: text/plain" --data-binary "@$TMP/ok.json"
    expect_status e415 415 && expect_body e415 '"message":"Content-Type must be' || return 1
    printf '{"patient": {"id": "p1",' >"$TMP/broken.json"
    mme_post e400 "$BASE_B" "$TOK_INTL" "$TMP/broken.json"
    expect_status e400 400 && expect_body e400 '"message":"malformed JSON at line 1' &&
        expect_header e400 "^Content-Type: $RE11" || return 1
    printf '%s' '{"patient":{"id":"p1","features":[{"id":"HP:0002121"}]}}' >"$TMP/nocontact.json"
    mme_post e422a "$BASE_B" "$TOK_INTL" "$TMP/nocontact.json"
    expect_status e422a 422 && expect_body e422a '{"message":"patient.contact is required"}' || return 1
    printf '%s' '{"patient":{"id":"p1","contact":{"name":"x","href":"mailto:x@example.org"},"features":[{"id":"HP:2121"}]}}' >"$TMP/badhp.json"
    mme_post e422b "$BASE_B" "$TOK_INTL" "$TMP/badhp.json"
    expect_status e422b 422 && expect_body e422b 'patient.features[0].id must be an HPO id' || return 1
    printf '%s' '{"patient":{"id":"p1","contact":{"name":"x","href":"mailto:x@example.org"}}}' >"$TMP/empty.json"
    mme_post e422c "$BASE_B" "$TOK_INTL" "$TMP/empty.json"
    expect_status e422c 422 && expect_body e422c 'at least one of features and genomicFeatures' || return 1
    printf '%s' '[1,2]' >"$TMP/array.json"
    mme_post e422d "$BASE_B" "$TOK_INTL" "$TMP/array.json"
    expect_status e422d 422 || return 1
    BASE=$BASE_B http e404 GET /mme/nothing -H "X-Auth-Token: $TOK_INTL"
    expect_status e404 404 && expect_body e404 '{"message":"no such API endpoint"}' || return 1
    BASE=$BASE_B http e405 GET /mme/match -H "X-Auth-Token: $TOK_INTL"
    expect_status e405 405 && expect_body e405 '{"message":'
}
check inbound_errors_401_406_415_400_422_as_message_bodies errors_inbound

spec_example() {
    [ -f "$EXAMPLE" ] && [ -f "$SCHEMA" ] || { echo "no MME example or schema under $DATA"; return 77; }
    schema_valid request "$EXAMPLE" || return 1
    mme_post ex "$BASE_B" "$TOK_INTL" "$EXAMPLE"
    expect_status ex 200 && expect_header ex "^Content-Type: $RE11" || return 1
    schema_valid response "$TMP/ex.body" || return 1
    # the example's gene (ENSG00000166147 = FBN1) is shared by B's cases; its visible one is
    expect_body ex '"label":"B-INTL"' && expect_body ex '"_explanation"' &&
        expect_body ex '"shared_genes"' && expect_body ex '"_score"' || return 1
    # v1.0 form of the same request (observed yes/no, gender) in and out
    sed 's/"sex"/"gender"/' "$EXAMPLE" >"$TMP/ex10.json"
    mme_post ex10 "$BASE_B" "$TOK_INTL" "$TMP/ex10.json" -H "Accept: $MT10"
    expect_status ex10 200 && expect_header ex10 "^Content-Type: $RE10" &&
        schema_valid response "$TMP/ex10.body"
}
check spec_example_request_gets_a_schema_valid_response spec_example

inbound_scope() {
    printf '{"patient":{"id":"q1","contact":{"name":"A","href":"mailto:a@example.org"},"features":%s}}' "$FEATURES" >"$TMP/q.json"
    mme_post si "$BASE_B" "$TOK_INTL" "$TMP/q.json"
    expect_status si 200 && expect_body si '"label":"B-INTL"' || return 1
    if grep -qE 'B-DOM|B-PRIV|B-RESTR' "$TMP/si.body"; then
        echo "an international peer sees a domestic, private or restricted case: $(head -c 300 "$TMP/si.body")"
        return 1
    fi
    mme_post sd "$BASE_B" "$TOK_DOM" "$TMP/q.json"
    expect_status sd 200 && expect_body sd '"label":"B-INTL"' && expect_body sd '"label":"B-DOM"' || return 1
    if grep -qE 'B-PRIV|B-RESTR' "$TMP/sd.body"; then
        echo "a domestic peer sees a private or restricted case"
        return 1
    fi
    [ -f "$SCHEMA" ] && { schema_valid response "$TMP/si.body" "$TMP/sd.body" || return 1; }
    local n
    n=$(audit_count B mme.match peer:a-intl)
    [ "$n" -ge 1 ] || { echo "no mme.match audit row for peer:a-intl on B"; return 1; }
    grep -qE "$(printf 'mme\\.match\tpeer:a-intl\t')cases returned: $(cat "$TMP/id.B-INTL")\$" "$TMP/audit-last.out" || {
        echo "the audit row does not name the returned case"
        return 1
    }
}
check inbound_scope_intl_peer_sees_international_open_only inbound_scope

metrics() {
    BASE=$BASE_B http mi GET /mme/metrics -H "X-Auth-Token: $TOK_INTL"
    expect_status mi 200 && expect_body mi '"numberOfCases":1,' || return 1
    BASE=$BASE_B http md GET /mme/metrics -H "X-Auth-Token: $TOK_DOM"
    expect_status md 200 && expect_body md '"numberOfCases":2,' &&
        expect_body md '"numberOfUniqueGenes":1,' && expect_body md '"dateGenerated":"'
}
check metrics_count_only_what_the_peer_may_see metrics

# ---- outbound from A ----
outbound_query() {
    local t0 t1
    t0=$(date +%s%N)
    BASE=$BASE_A post_json oq /api/v1/match \
        "{\"hpo\":[\"HP:0002121\",\"HP:0000252\",\"HP:0002119\"],\"peers\":true,\"peer_timeout_ms\":3000}" \
        -H "$(bearer sam)" --max-time 20
    t1=$(date +%s%N)
    expect_status oq 200 || return 1
    local ms=$(((t1 - t0) / 1000000))
    [ "$ms" -lt 9000 ] || { echo "the search took $ms ms with a 3000 ms peer bound"; return 1; }
    node -e '
        const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        const st = Object.fromEntries(d.peers.map((p) => [p.node, p.status]));
        const want = { "b-intl": "ok", "b-dom": "ok", dead: "error", "fake-garbage": "error",
                       "fake-invalid": "error", "fake-big": "error", "fake-slow": "error",
                       "fake-html": "error" };
        for (const [k, v] of Object.entries(want))
            if (st[k] !== v) throw new Error(`peer ${k}: ${st[k]}, expected ${v}`);
        if ("gone" in st) throw new Error("a disabled peer was asked");
        const by = (n) => d.remote_results.filter((r) => r.node === n).map((r) => r.patient.label);
        if (JSON.stringify(by("b-intl")) !== JSON.stringify(["B-INTL"]))
            throw new Error(`b-intl gave ${by("b-intl")}`);
        if (JSON.stringify(by("b-dom").sort()) !== JSON.stringify(["B-DOM", "B-INTL"]))
            throw new Error(`b-dom gave ${by("b-dom")}`);
        if (!d.results.some((r) => r.label === "A-INTL")) throw new Error("local results missing");
        const err = Object.fromEntries(d.peers.map((p) => [p.node, p.error || ""]));
        if (!/larger than/.test(err["fake-big"])) throw new Error(`big: ${err["fake-big"]}`);
        if (!/no answer|timed out|Timeout/i.test(err["fake-slow"])) throw new Error(`slow: ${err["fake-slow"]}`);
        if (!/malformed JSON/.test(err["fake-garbage"])) throw new Error(`garbage: ${err["fake-garbage"]}`);
        if (!/invalid MME response/.test(err["fake-invalid"])) throw new Error(`invalid: ${err["fake-invalid"]}`);
        if (!/not MME JSON/.test(err["fake-html"])) throw new Error(`html: ${err["fake-html"]}`);
    ' "$TMP/oq.body" 2>&1 || return 1
}
check outbound_query_merges_peers_by_node_and_survives_bad_peers outbound_query

outbound_sent_valid() {
    [ -f "$SCHEMA" ] || { echo "no MME schema under $DATA"; return 77; }
    local files
    files=$(ls "$TMP"/fake/req-*.json 2>/dev/null)
    [ -n "$files" ] || { echo "the fake peer received nothing"; return 1; }
    # shellcheck disable=SC2086
    schema_valid request $files || return 1
    grep -q "/garbage/match to-garbage" "$TMP"/fake/req-*.hdr || {
        echo "the peer's token was not sent in X-Auth-Token"
        return 1
    }
}
check outbound_requests_are_schema_valid_and_carry_the_token outbound_sent_valid

anonymous_no_relay() {
    BASE=$BASE_A post_json an /api/v1/match '{"hpo":["HP:0002121"],"peers":true}'
    expect_error an 401 unauthorized
}
check anonymous_callers_cannot_ask_the_peers anonymous_no_relay

# case_to_peers NAME: asks the peers for case NAME as sam; B's audit counts before/after.
case_to_peers() {
    local id
    id=$(cat "$TMP/id.$1")
    BASE=$BASE_A http "c-$1" GET "/api/v1/cases/$id/matches?peers=1&peer_timeout_ms=2000" \
        -H "$(bearer sam)" --max-time 20
}
peer_status() { # TAG NODE
    node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
             const p = d.peers.find((x) => x.node === process.argv[2]);
             console.log(p ? p.status : "absent");' "$TMP/$1.body" "$2"
}
outbound_scope() {
    local i0 d0 i1 d1
    i0=$(audit_count B mme.match peer:a-intl)
    d0=$(audit_count B mme.match peer:a-dom)
    case_to_peers A-DOM && expect_status c-A-DOM 200 || return 1
    expect_equal "domestic case to b-intl" withheld "$(peer_status c-A-DOM b-intl)" &&
        expect_equal "domestic case to b-dom" ok "$(peer_status c-A-DOM b-dom)" &&
        expect_equal "domestic case to fake-garbage (international)" withheld "$(peer_status c-A-DOM fake-garbage)" || return 1
    i1=$(audit_count B mme.match peer:a-intl)
    d1=$(audit_count B mme.match peer:a-dom)
    expect_equal "B's mme.match rows from a-intl" "$i0" "$i1" &&
        expect_equal "B's mme.match rows from a-dom" "$((d0 + 1))" "$d1" || return 1
    for c in A-PRIV A-RESTR; do
        case_to_peers "$c" && expect_status "c-$c" 200 || return 1
        if grep -qE '"status":"(ok|error)"' "$TMP/c-$c.body"; then
            echo "$c was sent to a peer: $(head -c 300 "$TMP/c-$c.body")"
            return 1
        fi
    done
    expect_equal "B's mme.match rows from a-intl after private/restricted" "$i0" \
        "$(audit_count B mme.match peer:a-intl)" &&
        expect_equal "… from a-dom" "$d1" "$(audit_count B mme.match peer:a-dom)" || return 1
    case_to_peers A-INTL && expect_equal "international case to b-intl" ok "$(peer_status c-A-INTL b-intl)" &&
        expect_equal "international case to b-dom" ok "$(peer_status c-A-INTL b-dom)" || return 1
    # A's own audit names what was withheld
    on_ok A aud audit show --limit 100000 && grep -q "mme.send	case:$(cat "$TMP/id.A-PRIV")	sent to: none" "$TMP/aud.out"
}
check outbound_scope_private_and_domestic_never_reach_an_international_peer outbound_scope

access_log_of_b() {
    # B's access log shows who asked: the peers by name, never an anonymous /mme/match 200
    grep -q '"POST /mme/match" 200 .* peer:a-dom' "$TMP/srvB.stderr" &&
        grep -q '"POST /mme/match" 200 .* peer:a-intl' "$TMP/srvB.stderr" || {
        echo "B's access log lacks the peers' requests"
        return 1
    }
    if grep -q '"POST /mme/match" 200 .* anonymous' "$TMP/srvB.stderr"; then
        echo "an anonymous match was answered"
        return 1
    fi
}
check receiving_access_log_names_the_peer access_log_of_b

# ---- the other direction: B asks A from the command line ----
b_asks_a() {
    on_ok B ba match --hpo "$TERMS" --peers --peer-timeout 3000 || {
        echo "$(head -c 300 "$TMP/ba.err")"
        return 1
    }
    expect_err ba "peer a-intl: ok" && expect_err ba "peer a-dom: ok" &&
        expect_out ba "$(printf 'a-intl\t')" || return 1
    local labels
    labels=$(awk -F'\t' '$1 == "a-intl" {print $4}' "$TMP/ba.out" | sort | tr '\n' ' ')
    expect_equal "A's cases for its international peer" "A-INTL " "$labels" || return 1
    labels=$(awk -F'\t' '$1 == "a-dom" {print $4}' "$TMP/ba.out" | sort | tr '\n' ' ')
    expect_equal "A's cases for its domestic peer" "A-DOM A-INTL " "$labels" || return 1
    on_ok B baj match --case "$(cat "$TMP/id.B-PRIV")" --peers --json &&
        expect_out baj '"status": "withheld"' || return 1
    if grep -q '"status": "ok"' "$TMP/baj.out"; then echo "B's private case left B"; return 1; fi
}
check the_other_node_asks_back_from_the_cli b_asks_a

disabled_token_refused() {
    on_ok B dis mme peer update a-intl --disable || return 1
    mme_post dz "$BASE_B" "$TOK_INTL" "$TMP/q.json"
    expect_status dz 401 || return 1
    on_ok B en mme peer update a-intl --enable
}
check a_disabled_peer_is_refused disabled_token_refused

# stop_server runs in the main shell (the servers are its children)
SERVER_PID=$PID_A
stop_server 15
st_a=$STOP_STATUS
SERVER_PID=$PID_B
stop_server 15
st_b=$STOP_STATUS
PID_A= PID_B= SERVER_PID=
stopped_clean() {
    expect_equal "node A exit" 0 "$st_a" && expect_equal "node B exit" 0 "$st_b" || return 1
    if grep -qE "$SANITIZER_REPORT" "$TMP/srvA.stderr" "$TMP/srvB.stderr"; then
        echo "sanitizer report: $(grep -hE "$SANITIZER_REPORT" "$TMP"/srv?.stderr | head -n 2)"
        return 1
    fi
}
check servers_stop_cleanly_without_sanitizer_reports stopped_clean
check sanitizers_clean sanitizers_clean

summary_and_exit
