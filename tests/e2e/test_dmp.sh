#!/usr/bin/env bash
# test_dmp.sh — end-to-end tests of Data Management Plans: `genoshare dmp` (add, update, link,
# show, list, history, report) and /api/v1/dmps and /api/v1/reports over a real server on
# loopback: computed deadlines and statuses, versions, who may write, CSV downloads, audit.
#
#   bash tests/e2e/test_dmp.sh [BINARY]     (default build/san/genoshare)
#
# One line per check (PASS/FAIL/SKIP), then a summary. Needs bash, curl, date (GNU).
set -u

BIN=${1:-build/san/genoshare}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/genoshare-dmp.XXXXXX")
DB=$TMP/dmp.db
export GENOSHARE_DB=$DB

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
trap cleanup_server_and_tmp EXIT
trap 'exit 130' INT TERM

day() { date -u -d "$1" +%Y-%m-%d; } # day "today - 3 days"
TODAY=$(day today)

send_json() { # TAG METHOD PATH BODY USER
    http "$1" "$2" "$3" -H 'Content-Type: application/json' --data-binary "$4" -H "$(bearer "$5")"
}
get_as() { http "$1" GET "$2" -H "$(bearer "$3")"; } # TAG PATH USER
# field TAG ID COLUMN: column (1-based) of plan ID's row in `dmp list` output TAG.
field() { awk -F'\t' -v id="$2" -v c="$3" '$1 == id { print $c }' "$TMP/$1.out"; }

if [ ! -x "$BIN" ]; then
    fail setup "no executable at $BIN"
    summary_and_exit
fi

# ---- fixture: hospA (sam: submitter, mo: member), hospB (bea: submitter), adm (admin) ----
fixture() {
    cli init init || return 1
    cli ia institution add hospA --country JP && cli ib institution add hospB --country JP || return 1
    local n user inst roles
    for n in sam:hospA:member,submitter mo:hospA:member bea:hospB:member,submitter adm:hospB:admin; do
        IFS=: read -r user inst roles <<<"$n"
        cli "u-$user" user add "$user" --institution "$inst" --roles "$roles" || return 1
        cli "t-$user" token create --user "$user" --name e2e || return 1
        tail -n 1 "$TMP/t-$user.out" >"$TMP/token.$user"
    done
    cli c consortium add cons && cli d1 dataset add var-a --tier controlled --data-type variants \
        --institution hospA && cli d2 dataset add seq-a --tier controlled --data-type sequence \
        --institution hospA && cli d3 dataset add pheno-b --tier restricted \
        --data-type phenotype_clinical --institution hospB --consortium cons
}
if ! why=$(fixture 2>&1); then
    fail fixture "$(oneline "$why") $(cat "$TMP"/*.err 2>/dev/null | head -c 300)"
    summary_and_exit
fi

# ---- the command line ----

ANALYSIS_OVERDUE=$(day "$TODAY - 2 years - 10 days")
cli_add_usage() {
    run a0 dmp add --programme hepatitis --pi x --institution hospA --data-type variants:open
    expect_rc a0 2 && expect_err a0 "--title" || return 1
    run a1 dmp add --programme hepatitis --title T --pi x --institution hospA \
        --data-type variants:open --analysis-done 2023-02-29
    expect_rc a1 2 && expect_err a1 "2023-02-29" || return 1
    run a2 dmp add --programme oncology --title T --pi x --institution hospA --data-type variants:open
    expect_rc a2 2 && expect_err a2 "genome_medicine" || return 1
    run a3 dmp add --programme hepatitis --title T --pi x --institution hospA --data-type variants
    expect_rc a3 2 && expect_err a3 "tier" || return 1
    run a4 dmp add --programme hepatitis --title T --pi x --institution nowhere --data-type variants:open
    expect_rc a4 1 && expect_err a4 "genoshare: dmp: no institution named 'nowhere'"
}
cli_add_overdue() {
    cli add1 dmp add --programme hepatitis --title "Plan, one" --pi sam --institution hospA \
        --data-type variants:controlled,sequence:controlled --target-db JGA --volume "1 TB" \
        --analysis-done "$ANALYSIS_OVERDUE" || { cat "$TMP/add1.err"; return 1; }
    expect_out add1 "plan 1 added (version 1): overdue" || return 1
    cli l1 dmp list || return 1
    expect_equal status overdue "$(field l1 1 8)" &&
        expect_equal deadline "$(day "$ANALYSIS_OVERDUE + 2 years")" "$(field l1 1 5)" &&
        expect_equal rule analysis_plus_2y "$(field l1 1 6)" &&
        expect_equal days_left -10 "$(field l1 1 7)"
}
cli_as_of_boundaries() {
    local deadline
    deadline=$(day "$ANALYSIS_OVERDUE + 2 years")
    cli b1 dmp list --as-of "$deadline" && expect_equal "on the deadline day" due_soon "$(field b1 1 8)" ||
        return 1
    cli b2 dmp list --as-of "$(day "$deadline + 1 day")" &&
        expect_equal "the day after" overdue "$(field b2 1 8)" || return 1
    cli b3 dmp list --as-of "$(day "$deadline - 90 days")" &&
        expect_equal "90 days before" due_soon "$(field b3 1 8)" || return 1
    cli b4 dmp list --as-of "$(day "$deadline - 91 days")" &&
        expect_equal "91 days before" on_track "$(field b4 1 8)"
}
cli_update_moves_deadline() {
    cli u1 dmp update 1 --paper-accepted "$(day "$TODAY + 30 days")" --analysis-done "$TODAY" || {
        cat "$TMP/u1.err"
        return 1
    }
    expect_out u1 "version 2): due_soon, deadline $(day "$TODAY + 30 days") (paper)" || return 1
    cli u2 dmp update 1 --paper-accepted "" && expect_out u2 "on_track" || return 1
    run u3 dmp update 1 --paper-accepted ""
    expect_rc u3 1 && expect_err u3 "nothing to change"
}
cli_link() {
    run k1 dmp link 1 --data-type variants --dataset seq-a
    expect_rc k1 1 && expect_err k1 "holds sequence data, not variants" || return 1
    run k2 dmp link 1 --data-type phenotype_clinical --dataset pheno-b
    expect_rc k2 1 && expect_err k2 "plans no phenotype_clinical" || return 1
    run k3 dmp link 1 --data-type variants
    expect_rc k3 2 || return 1
    cli k4 dmp link 1 --data-type variants --dataset var-a && expect_out k4 on_track || return 1
    cli k5 dmp link 1 --data-type sequence --dataset seq-a && expect_out k5 "fulfilled" || return 1
    cli k6 dmp show 1 --json && expect_out k6 '"status": "fulfilled"' &&
        expect_out k6 '"dataset": "seq-a"' && expect_out k6 '"version": 5'
}
cli_history() {
    cli h1 dmp history 1 || return 1
    expect_equal versions 5 "$(tail -n +2 "$TMP/h1.out" | wc -l)" || return 1
    expect_equal "version 2 changes" "analysis_done,paper_accepted" \
        "$(awk -F'\t' '$1 == 2 { print $4 }' "$TMP/h1.out")" || return 1
    expect_out h1 "link:sequence=seq-a" || return 1
    cli h2 dmp history 1 --json && expect_out h2 "\"analysis_done\": \"$ANALYSIS_OVERDUE\""
}
cli_show_missing() {
    run s1 dmp show 999
    expect_rc s1 1 && expect_err s1 "no plan with id 999" || return 1
    run s2 dmp list --status late
    expect_rc s2 2 && expect_err s2 "due_soon"
}
cli_report() {
    cli r1 dmp report --table status --format csv || return 1
    expect_equal "status csv" "$(printf 'status,plans\r\non_track,0\r\ndue_soon,0\r\noverdue,0\r\nfulfilled,1\r')" \
        "$(cat "$TMP/r1.out")" || return 1
    cli r2 dmp report --format tsv && expect_out r2 "# registrations" && expect_out r2 "# overdue" ||
        return 1
    cli r3 dmp report --programme hepatitis --table datasets --format json &&
        expect_out r3 '"controlled",' || return 1
    run r4 dmp report --format xml
    expect_rc r4 2
}
check cli_add_usage cli_add_usage
check cli_add_overdue cli_add_overdue
check cli_as_of_boundaries cli_as_of_boundaries
check cli_update_moves_deadline cli_update_moves_deadline
check cli_link cli_link
check cli_history cli_history
check cli_show_missing cli_show_missing
check cli_report cli_report

# ---- the API ----

start_server_or_exit serve
pass server_starts

PLAN='{"programme":"rare_intractable_disease","title":"API plan","pi":"Dr. X","data_types":[{"data_type":"variants","tier":"open"}],"paper_accepted":"'$(day "$TODAY + 90 days")'"}'
api_needs_sign_in() {
    http n1 GET /api/v1/dmps
    expect_status n1 401 || return 1
    http n2 GET /api/v1/reports/dashboard
    expect_status n2 401
}
api_create() {
    send_json c1 POST /api/v1/dmps "$PLAN" sam
    expect_status c1 201 && expect_body c1 '"institution":"hospA"' && expect_body c1 '"status":"due_soon"' &&
        expect_body c1 '"days_left":90' && expect_body c1 '"created_by":"sam"' || return 1
    json_num c1 id >"$TMP/plan.id"
    send_json c2 POST /api/v1/dmps "${PLAN%\}},\"institution\":\"hospB\"}" sam
    expect_status c2 403 || return 1
    send_json c3 POST /api/v1/dmps "$PLAN" mo
    expect_status c3 403 || return 1
    send_json c4 POST /api/v1/dmps '{"programme":"hiv_aids","title":"x","pi":"y","data_types":"variants:open,variants:open"}' sam
    expect_status c4 400 && expect_body c4 "planned twice" || return 1
    send_json c5 POST /api/v1/dmps '{"programme":"hiv_aids","title":"x","pi":"y","data_types":[]}' sam
    expect_status c5 400
}
api_read_by_any_member() {
    local id
    id=$(cat "$TMP/plan.id")
    get_as g1 "/api/v1/dmps/$id" mo
    expect_status g1 200 && expect_body g1 '"title":"API plan"' || return 1
    get_as g2 /api/v1/dmps/9999 mo
    expect_status g2 404 || return 1
    get_as g3 "/api/v1/dmps?status=due_soon" bea
    expect_status g3 200 && expect_body g3 '"API plan"' || return 1
    get_as g4 "/api/v1/dmps?status=fulfilled" bea
    expect_status g4 200 && ! grep -q 'API plan' "$TMP/g4.body" || { echo "status filter"; return 1; }
    get_as g5 "/api/v1/dmps?status=late" bea
    expect_status g5 400
}
api_update_and_link() {
    local id
    id=$(cat "$TMP/plan.id")
    send_json p1 PATCH "/api/v1/dmps/$id" '{"title":"Taken over"}' bea
    expect_status p1 403 || return 1
    send_json p2 PATCH "/api/v1/dmps/$id" "{\"paper_accepted\":\"$(day "$TODAY - 1 day")\"}" sam
    expect_status p2 200 && expect_body p2 '"status":"overdue"' && expect_body p2 '"days_left":-1' &&
        expect_body p2 '"version":2' || return 1
    send_json p3 PATCH "/api/v1/dmps/$id" '{"paper_accepted":null}' adm
    expect_status p3 200 && expect_body p3 '"deadline":null' && expect_body p3 '"status":"on_track"' ||
        return 1
    send_json p4 POST "/api/v1/dmps/$id/links" '{"data_type":"variants","dataset":"pheno-b"}' sam
    expect_status p4 400 || return 1
    send_json p5 POST "/api/v1/dmps/$id/links" '{"data_type":"variants","dataset":"var-a"}' sam
    expect_status p5 200 && expect_body p5 '"status":"fulfilled"' && expect_body p5 '"dataset":"var-a"'
}
api_history() {
    local id
    id=$(cat "$TMP/plan.id")
    get_as hi1 "/api/v1/dmps/$id/history" mo
    expect_status hi1 200 && expect_body hi1 '"version":4' && expect_body hi1 '"actor":"user:adm"' &&
        expect_body hi1 '"changes":"link:variants=var-a"' && expect_body hi1 '"actor":"user:sam"'
}
api_reports() {
    get_as rp1 /api/v1/reports/dashboard mo
    expect_status rp1 200 && expect_body rp1 '"tables":' && expect_body rp1 '"registrations":' &&
        expect_body rp1 "\"as_of\":\"$TODAY\"" || return 1
    get_as rp2 "/api/v1/reports/status?format=csv" mo
    expect_status rp2 200 && expect_header rp2 '^Content-Type: text/csv' &&
        expect_header rp2 "^Content-Disposition: attachment; filename=\"genoshare-dmp-status-$TODAY.csv\"" &&
        expect_body rp2 'fulfilled,2' || return 1
    get_as rp3 "/api/v1/reports/registrations?format=tsv&programme=rare_intractable_disease" mo
    expect_status rp3 200 && expect_header rp3 'filename="genoshare-dmp-registrations-rare_intractable_disease-' &&
        expect_body rp3 "$(date -u +%Y-%m)	1" || return 1
    get_as rp4 /api/v1/reports/nope mo
    expect_status rp4 404 || return 1
    get_as rp5 "/api/v1/reports/status?format=xml" mo
    expect_status rp5 400 || return 1
    get_as rp6 "/api/v1/reports/dashboard?format=csv" mo
    expect_status rp6 400 || return 1
    get_as rp7 "/api/v1/reports/overdue?programme=oncology" mo
    expect_status rp7 400
}
check api_needs_sign_in api_needs_sign_in
check api_create api_create
check api_read_by_any_member api_read_by_any_member
check api_update_and_link api_update_and_link
check api_history api_history
check api_reports api_reports

audit_has_plan_writes() {
    cli au audit show --limit 100000 || return 1
    local adds updates links
    adds=$(grep -c $'\tdmp.add\t' "$TMP/au.out")
    updates=$(grep -c $'\tdmp.update\t' "$TMP/au.out")
    links=$(grep -c $'\tdmp.link\t' "$TMP/au.out")
    expect_equal "audited adds/updates/links" "2/4/3" "$adds/$updates/$links" || return 1
    cli av audit verify
}
check audit_has_plan_writes audit_has_plan_writes
check sanitizers_clean sanitizers_clean

stop_server 15
if grep -qE "$SANITIZER_REPORT" "$TMP/serve.stderr"; then
    fail server_sanitizers "$(grep -m1 -E "$SANITIZER_REPORT" "$TMP/serve.stderr")"
else
    pass server_sanitizers
fi
summary_and_exit
