#!/usr/bin/env bash
# test_cli.sh — end-to-end tests of the genoshare command line, run against the real binary.
#
#   bash tests/e2e/test_cli.sh [BINARY]     (default build/san/genoshare)
#
# Every check prints one line, "PASS <name>", "FAIL <name>: <reason>" or "SKIP <name>: <reason>";
# then a summary line. Exit status 0 when no check failed. Needs bash, sqlite3 and coreutils.
# GS_E2E_KEEP=1 keeps the temporary directory for a post-mortem.
set -u

BIN=${1:-build/san/genoshare}
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
TMP=$(mktemp -d "${TMPDIR:-/tmp}/genoshare-cli.XXXXXX")
DB=$TMP/main.db
export GENOSHARE_DB=$DB

cleanup() {
    if [ -n "${GS_E2E_KEEP:-}" ]; then echo "kept $TMP" >&2; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- helpers (pass, fail, skip, check, run, run_in, expect_rc/out/err/equal: lib.sh) ----

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

# The one-line error report of main.c: exactly one stderr line, starting with PREFIX.
expect_one_error_line() { # TAG PREFIX
    local n first
    n=$(wc -l <"$TMP/$1.err")
    first=$(head -n 1 "$TMP/$1.err")
    if [ "$n" -ne 1 ]; then
        echo "'$1': stderr has $n lines, expected 1: $(head -c 300 "$TMP/$1.err")"
        return 1
    fi
    case $first in
    "$2"*) return 0 ;;
    esac
    echo "'$1': stderr line does not start with '$2': $first"
    return 1
}
expect_empty_out() { # TAG
    [ ! -s "$TMP/$1.out" ] && return 0
    echo "'$1': printed on stdout: $(head -c 200 "$TMP/$1.out")"
    return 1
}

sql() { sqlite3 -batch "${2:-$DB}" "$1"; } # sql QUERY [DB]
# The id printed by "... added (id N)" / "record N added" / "grant N:" / "token N for".
id_of() { grep -oE '(id [0-9]+|^record [0-9]+|^grant [0-9]+|^token [0-9]+)' "$TMP/$1.out" 2>/dev/null | head -n 1 | grep -oE '[0-9]+'; }
T=$'\t'
audit_rows() { sql 'SELECT count(*) FROM audit' "${1:-$DB}"; }

if [ ! -x "$BIN" ]; then
    fail setup "no executable at $BIN"
    summary_and_exit
fi
if ! command -v sqlite3 >/dev/null 2>&1; then
    fail setup "the sqlite3 command-line tool is not installed"
    summary_and_exit
fi

COMMANDS="init serve institution user consortium dataset record token grant audit demo data"

# ---- usage and help ----

help_lists_commands() {
    run help --help
    expect_rc help 0 && expect_out help "usage: genoshare COMMAND" || return 1
    local c
    for c in $COMMANDS; do
        grep -qE "^  $c " "$TMP/help.out" || {
            echo "--help does not list '$c'"
            return 1
        }
    done
}

# main.c's command summaries promise "list" for some commands: the verb must exist.
help_promises_list_verbs() {
    local c missing=
    for c in $(grep -E '^  [a-z]+ .*\blist\b' "$TMP/help.out" | awk '{print $1}'); do
        run "list-$c" "$c" list --help
        [ "$(cat "$TMP/list-$c.rc")" = 0 ] || missing="$missing '$c list'"
    done
    [ -z "$missing" ] && return 0
    echo "genoshare --help promises verbs that do not exist:$missing (unknown verb, exit 2)"
    return 1
}

no_command_exits_2() {
    run nocmd
    expect_rc nocmd 2 && expect_err nocmd "usage: genoshare COMMAND" && expect_empty_out nocmd
}

version_prints_version() {
    run version --version
    expect_rc version 0 || return 1
    grep -qE '^genoshare [0-9]+\.[0-9]+\.[0-9]+' "$TMP/version.out" || {
        echo "unexpected --version output: $(head -c 100 "$TMP/version.out")"
        return 1
    }
}

# command_help CMD VERB...: "CMD --help" and "CMD VERB --help" exit 0 and print usage.
command_help() {
    local cmd=$1 verb
    shift
    run "help-$cmd" "$cmd" --help
    if grep -q 'not built yet' "$TMP/help-$cmd.err"; then
        echo "'$cmd' is still a stub ($(head -n 1 "$TMP/help-$cmd.err"))"
        return 77
    fi
    expect_rc "help-$cmd" 0 && expect_out "help-$cmd" "usage: genoshare $cmd" || return 1
    for verb in "$@"; do
        run "help-$cmd-$verb" "$cmd" "$verb" --help
        expect_rc "help-$cmd-$verb" 0 && expect_out "help-$cmd-$verb" "usage: genoshare $cmd $verb" ||
            return 1
        expect_out "help-$cmd-$verb" "--db FILE" || return 1
    done
}

# every_verb_help CMD: walks "CMD --help" and, where it lists verbs, each "CMD VERB… --help"
# down to the leaves; every level exits 0 with its usage line, every leaf names --db FILE,
# and no verb is a stub.
every_verb_help() {
    local path="$*" verbs v tag
    tag="walk-${path// /-}"
    # shellcheck disable=SC2086
    run "$tag" $path --help
    if grep -q 'not built yet' "$TMP/$tag.err"; then
        echo "'$path' is still a stub"
        return 1
    fi
    expect_rc "$tag" 0 && expect_out "$tag" "usage: genoshare $path" || return 1
    verbs=$(awk '/^verbs:/ {on = 1; next} on && /^  [a-z]/ {print $1}' "$TMP/$tag.out")
    if [ -z "$verbs" ]; then
        expect_out "$tag" "--db FILE" || return 1
        return 0
    fi
    for v in $verbs; do
        # shellcheck disable=SC2086
        every_verb_help $path "$v" || return 1
    done
}

unknown_command_exits_2() {
    run unkcmd frobnicate
    expect_rc unkcmd 2 && expect_one_error_line unkcmd "genoshare: " &&
        expect_err unkcmd "frobnicate" && expect_empty_out unkcmd
}

unknown_option_exits_2() {
    run unkopt init --frobnicate
    expect_rc unkopt 2 && expect_one_error_line unkopt "genoshare: init: " &&
        expect_err unkopt "--frobnicate" || return 1
    run unkopt2 dataset list --frobnicate=1
    expect_rc unkopt2 2 && expect_one_error_line unkopt2 "genoshare: dataset: " &&
        expect_err unkopt2 "--frobnicate"
}

unknown_verb_exits_2() {
    run unkverb user frobnicate
    expect_rc unkverb 2 && expect_err unkverb "genoshare: user: unknown verb 'frobnicate'"
}

missing_required_option_exits_2() {
    run req1 institution add hospX
    expect_rc req1 2 && expect_one_error_line req1 "genoshare: institution: " &&
        expect_err req1 "--country" || return 1
    run req2 token create
    expect_rc req2 2 && expect_one_error_line req2 "genoshare: token: " && expect_err req2 "--user" ||
        return 1
    run req3 dataset add dsX --tier open --institution hospA
    expect_rc req3 2 && expect_one_error_line req3 "genoshare: dataset: " &&
        expect_err req3 "--data-type" || return 1
    run req4 grant add --dataset ctrl
    expect_rc req4 2 && expect_err req4 "--user"
}

bad_option_value_exits_2() {
    run badtier dataset add dsY --tier secret --data-type variants --institution hospA
    expect_rc badtier 2 && expect_one_error_line badtier "genoshare: dataset: " &&
        expect_err badtier "secret" || return 1
    run badid record show abc
    expect_rc badid 2 && expect_one_error_line badid "genoshare: record: "
}

failure_exits_1() {
    run fail1 user add nobody --institution no-such-hospital
    expect_rc fail1 1 && expect_one_error_line fail1 "genoshare: user: " &&
        expect_err fail1 "no-such-hospital" && expect_empty_out fail1
}

missing_database_exits_1() {
    run nodb dataset list --db "$TMP/none.db"
    expect_rc nodb 1 && expect_one_error_line nodb "genoshare: dataset: " &&
        expect_err nodb "genoshare init" || return 1
    [ ! -e "$TMP/none.db" ] || {
        echo "dataset list created $TMP/none.db"
        return 1
    }
}

# ---- databases ----

db_option_and_env() {
    local envdb=$TMP/env.db optdb=$TMP/opt.db cwd=$TMP/cwd
    GENOSHARE_DB=$envdb run dbenv init
    expect_rc dbenv 0 && expect_out dbenv "$envdb" || return 1
    [ -s "$envdb" ] || {
        echo "init with \$GENOSHARE_DB did not create $envdb"
        return 1
    }
    GENOSHARE_DB=$envdb run dbopt init --db "$optdb"
    expect_rc dbopt 0 && expect_out dbopt "$optdb" || return 1
    GENOSHARE_DB=$envdb run dbopt2 institution add optonly --country FR --db "$optdb"
    expect_rc dbopt2 0 || return 1
    expect_equal "institutions in the --db database" 1 \
        "$(sql "SELECT count(*) FROM institution WHERE name='optonly'" "$optdb")" || return 1
    expect_equal "institutions in the \$GENOSHARE_DB database" 0 \
        "$(sql 'SELECT count(*) FROM institution' "$envdb")" || return 1
    # Neither: ./genoshare.db in the working directory.
    mkdir -p "$cwd"
    (cd "$cwd" && env -u GENOSHARE_DB timeout 60 "$BIN" init >"$TMP/dbcwd.out" 2>"$TMP/dbcwd.err")
    [ $? -eq 0 ] || {
        echo "init without --db or \$GENOSHARE_DB failed: $(head -c 200 "$TMP/dbcwd.err")"
        return 1
    }
    [ -s "$cwd/genoshare.db" ] || {
        echo "init without --db or \$GENOSHARE_DB did not create ./genoshare.db"
        return 1
    }
    # An empty --db falls back to the environment.
    GENOSHARE_DB=$envdb run dbempty institution add envonly --country FR --db ""
    expect_rc dbempty 0 || return 1
    expect_equal "institutions in \$GENOSHARE_DB after --db ''" 1 \
        "$(sql "SELECT count(*) FROM institution WHERE name='envonly'" "$envdb")"
}

init_creates_database() {
    run init1 init
    expect_rc init1 0 && expect_out init1 "initialised $DB" || return 1
    grep -qE 'schema version [0-9]+' "$TMP/init1.out" || {
        echo "init does not report the schema version: $(cat "$TMP/init1.out")"
        return 1
    }
}

init_twice_is_idempotent() {
    run inst0 institution add keepme --country NL
    expect_rc inst0 0 || return 1
    local before v1 v2
    before=$(audit_rows)
    run init2 init
    expect_rc init2 0 || return 1
    v1=$(grep -oE 'schema version [0-9]+' "$TMP/init1.out")
    v2=$(grep -oE 'schema version [0-9]+' "$TMP/init2.out")
    expect_equal "schema version reported by the second init" "$v1" "$v2" || return 1
    expect_equal "institution kept across init" 1 \
        "$(sql "SELECT count(*) FROM institution WHERE name='keepme'")" || return 1
    expect_equal "audit rows across init" "$before" "$(audit_rows)"
}

# ---- happy paths: the fixture the access checks use ----
#   hospA (JP) owns the datasets; hospB (JP) is in consortium cons1; carol (hospC, DE) joined
#   cons1 herself; dave (hospD, JP) is in no consortium.

institution_add() {
    local n c
    for n in hospA:JP hospB:JP hospC:DE hospD:JP; do
        c=${n#*:}
        n=${n%:*}
        run "inst-$n" institution add "$n" --country "$c" --title "Hospital $n"
        expect_rc "inst-$n" 0 && expect_out "inst-$n" "institution $n added (id " || return 1
    done
    expect_equal "country of hospC" DE "$(sql "SELECT country FROM institution WHERE name='hospC'")"
}

institution_add_rejects_bad_input() {
    local before
    before=$(audit_rows)
    run inst-dup institution add hospA --country JP
    expect_rc inst-dup 1 && expect_one_error_line inst-dup "genoshare: institution: " || return 1
    run inst-cc institution add hospE --country jp
    expect_rc inst-cc 1 && expect_err inst-cc "ISO 3166" || return 1
    run inst-name institution add "bad name" --country JP
    expect_rc inst-name 1 || return 1
    expect_equal "audit rows after refused adds" "$before" "$(audit_rows)"
}

user_add() {
    run user-alice user add alice --institution hospA --roles submitter,dac --title "Alice A"
    expect_rc user-alice 0 && expect_out user-alice "user alice added (id " || return 1
    run_in user-bob "correct horse battery" user add bob --institution hospB --password-stdin
    expect_rc user-bob 0 || return 1
    run user-carol user add carol --institution hospC
    run user-dave user add dave --institution hospD
    expect_rc user-carol 0 && expect_rc user-dave 0 || return 1
    local hash
    hash=$(sql "SELECT password_hash FROM user WHERE name='bob'")
    case $hash in
    '$argon2id$'*) ;;
    *)
        echo "bob's password is not stored as an argon2id hash: '${hash:0:20}'"
        return 1
        ;;
    esac
    expect_equal "alice's password hash (none given)" "" \
        "$(sql "SELECT password_hash FROM user WHERE name='alice'")"
}

user_add_rejects_bad_input() {
    run user-short user add eve --institution hospA --password short
    expect_rc user-short 1 && expect_err user-short "too short" || return 1
    run user-role user add eve --institution hospA --roles wizard
    expect_rc user-role 2 && expect_err user-role "wizard" || return 1
    expect_equal "users named eve" 0 "$(sql "SELECT count(*) FROM user WHERE name='eve'")"
}

user_passwd_and_roles() {
    run_in pw "another good password" user passwd alice --password-stdin
    expect_rc pw 0 && expect_out pw "password set for alice" || return 1
    run roles user roles dave --roles member,curator
    expect_rc roles 0 && expect_out roles "roles of dave: member,curator" || return 1
    run roles2 user roles dave --roles member
    expect_rc roles2 0 || return 1
    run roles3 user roles nobody --roles member
    expect_rc roles3 1 && expect_one_error_line roles3 "genoshare: user: "
}

consortium_add_and_join() {
    run cons consortium add cons1 --title "Consortium One"
    expect_rc cons 0 && expect_out cons "consortium cons1 added (id " || return 1
    run join1 consortium join cons1 --institution hospB
    expect_rc join1 0 && expect_out join1 "institution hospB joined cons1" || return 1
    run join2 consortium join cons1 --user carol
    expect_rc join2 0 && expect_out join2 "user carol joined cons1" || return 1
    run join3 consortium join cons1 --user carol --institution hospB
    expect_rc join3 2 || return 1
    run join4 consortium join nosuch --user carol
    expect_rc join4 1 && expect_one_error_line join4 "genoshare: consortium: "
}

restricted_without_consortium_refused() {
    local ds_before audit_before
    ds_before=$(sql 'SELECT count(*) FROM dataset')
    audit_before=$(audit_rows)
    run nocons dataset add lonely --tier restricted --data-type variants --institution hospA
    expect_rc nocons 1 && expect_one_error_line nocons "genoshare: dataset: " &&
        expect_err nocons "consortium" && expect_empty_out nocons || return 1
    expect_equal "datasets" "$ds_before" "$(sql 'SELECT count(*) FROM dataset')" &&
        expect_equal "audit rows" "$audit_before" "$(audit_rows)" || return 1
    run nocons-show audit show --after "$audit_before"
    expect_rc nocons-show 0 && expect_empty_out nocons-show
}

dataset_add() {
    run ds-restr dataset add restr --tier restricted --data-type variants --institution hospA \
        --consortium cons1
    expect_rc ds-restr 0 && expect_out ds-restr "dataset restr added (id " &&
        expect_out ds-restr "restricted, variants" || return 1
    run ds-ctrl dataset add ctrl --tier controlled --data-type sequence --institution hospA
    expect_rc ds-ctrl 0 && expect_out ds-ctrl "controlled, sequence" || return 1
    run ds-open dataset add open1 --tier open --data-type phenotype_clinical --institution hospA
    expect_rc ds-open 0 || return 1
    run ds-list dataset list
    expect_rc ds-list 0 || return 1
    grep -q "^restr${T}restricted${T}variants${T}hospA${T}cons1${T}0${T}" "$TMP/ds-list.out" &&
        grep -q "^ctrl${T}controlled${T}sequence${T}hospA${T}-${T}" "$TMP/ds-list.out" || {
        echo "dataset list: $(cat "$TMP/ds-list.out")"
        return 1
    }
}

R_RESTR=
R_CTRL=
R_OPEN=
record_add() {
    printf '{"variant":"chr1:12345A>G","zygosity":"het"}' >"$TMP/rec.json"
    run rec-restr record add --dataset restr --label "case 1" --scope international \
        --file "$TMP/rec.json"
    expect_rc rec-restr 0 && expect_out rec-restr "added to restr (international)" || return 1
    run rec-ctrl record add --dataset ctrl --label "case 2" --scope international
    run rec-open record add --dataset open1 --label "case 3" --scope international
    expect_rc rec-ctrl 0 && expect_rc rec-open 0 || return 1
    run rec-bad record add --dataset open1 --label "bad" --file /dev/null
    expect_rc rec-bad 1 || return 1
    printf '[1,2]' >"$TMP/arr.json"
    run rec-arr record add --dataset open1 --label "array" --file "$TMP/arr.json"
    expect_rc rec-arr 1 && expect_err rec-arr "JSON object" || return 1
    expect_equal "records" 3 "$(sql 'SELECT count(*) FROM record')"
}

record_show_as_operator() {
    run show-op record show "$R_RESTR"
    expect_rc show-op 0 && expect_out show-op '"label": "case 1"' &&
        expect_out show-op '"tier": "restricted"' && expect_out show-op '"zygosity": "het"'
}

restricted_member_sees_record() {
    run show-bob record show "$R_RESTR" --as bob # hospB is a member institution
    expect_rc show-bob 0 && expect_out show-bob '"label": "case 1"' || return 1
    run show-carol record show "$R_RESTR" --as carol # carol joined herself
    expect_rc show-carol 0 && expect_out show-carol '"label": "case 1"'
}

restricted_non_member_gets_not_found() {
    run show-dave record show "$R_RESTR" --as dave
    expect_rc show-dave 1 && expect_one_error_line show-dave "genoshare: record: " &&
        expect_empty_out show-dave || return 1
    run show-none record show 987654 --as dave
    expect_rc show-none 1 || return 1
    local refused absent
    refused=$(sed "s/$R_RESTR/N/g" "$TMP/show-dave.err")
    absent=$(sed "s/987654/N/g" "$TMP/show-none.err")
    expect_equal "refusal vs absence message" "$absent" "$refused" || return 1
    expect_err show-dave "no record with id $R_RESTR"
}

record_reads_are_audited() {
    local last
    last=$(sql "SELECT action || ' ' || actor || ' ' || origin FROM audit WHERE object='record:$R_RESTR' ORDER BY seq DESC LIMIT 1")
    expect_equal "last audit row for the refused read" "record.read.denied user:dave cli --as" "$last" ||
        return 1
    expect_equal "allowed reads by bob" 1 \
        "$(sql "SELECT count(*) FROM audit WHERE action='record.read' AND actor='user:bob'")"
}

unknown_user_as_fails() {
    run show-ghost record show "$R_OPEN" --as ghost
    expect_rc show-ghost 1 && expect_one_error_line show-ghost "genoshare: record: "
}

token_create_and_revoke() {
    run tok token create --user dave --name ci --days 7
    expect_rc tok 0 && expect_out tok "token " && expect_out tok " for dave" || return 1
    local secret id hash
    secret=$(tail -n 1 "$TMP/tok.out")
    id=$(id_of tok)
    case $secret in
    gst_*) ;;
    *)
        echo "the last line is not a token secret: $secret"
        return 1
        ;;
    esac
    hash=$(sql "SELECT secret_hash FROM api_token WHERE id=$id")
    [ -n "$hash" ] && [ "$hash" != "$secret" ] || {
        echo "token $id not stored as a hash (stored '$hash')"
        return 1
    }
    if sql "SELECT count(*) FROM api_token WHERE secret_hash LIKE '%$secret%' OR name LIKE '%$secret%'" |
        grep -qv '^0$'; then
        echo "the token secret is stored in clear"
        return 1
    fi
    run tokrev token revoke "$id"
    expect_rc tokrev 0 && expect_out tokrev "token $id revoked" || return 1
    [ "$(sql "SELECT revoked_at > 0 FROM api_token WHERE id=$id")" = 1 ] || {
        echo "token $id is not marked revoked"
        return 1
    }
    run toknever token create --user dave --days 0
    expect_rc toknever 0 && expect_out toknever "(never expires)" || return 1
    run tokbad token create --user nobody
    expect_rc tokbad 1 && expect_one_error_line tokbad "genoshare: token: "
}

controlled_grant_then_revoke() {
    run g-before record show "$R_CTRL" --as dave
    expect_rc g-before 1 && expect_err g-before "no record with id $R_CTRL" || return 1
    run g-add grant add --dataset ctrl --user dave --days 30
    expect_rc g-add 0 && expect_out g-add "dave may read ctrl until " || return 1
    local gid
    gid=$(id_of g-add)
    run g-read record show "$R_CTRL" --as dave
    expect_rc g-read 0 && expect_out g-read '"label": "case 2"' || return 1
    run g-rev grant revoke "$gid"
    expect_rc g-rev 0 && expect_out g-rev "grant $gid revoked" || return 1
    run g-after record show "$R_CTRL" --as dave
    expect_rc g-after 1 && expect_err g-after "no record with id $R_CTRL" || return 1
    run g-rev2 grant revoke "$gid"
    expect_rc g-rev2 1 && expect_one_error_line g-rev2 "genoshare: grant: "
}

grant_until_date() {
    local future
    future=$(date -u -d '+2 years' +%Y-%m-%d)
    run g-until grant add --dataset ctrl --user carol --until "$future"
    expect_rc g-until 0 && expect_out g-until "until ${future}T00:00:00Z" || return 1
    run g-until-read record show "$R_CTRL" --as carol
    expect_rc g-until-read 0
}

grant_in_past_refused() {
    local before audit_before
    before=$(sql 'SELECT count(*) FROM access_grant')
    audit_before=$(audit_rows)
    run g-past grant add --dataset ctrl --user dave --until 2020-01-01
    expect_rc g-past 1 && expect_one_error_line g-past "genoshare: grant: " &&
        expect_err g-past "future" || return 1
    run g-past2 grant add --dataset ctrl --user dave --until "$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)"
    expect_rc g-past2 1 || return 1
    expect_equal "grants" "$before" "$(sql 'SELECT count(*) FROM access_grant')" &&
        expect_equal "audit rows" "$audit_before" "$(audit_rows)" || return 1
    run g-past-read record show "$R_CTRL" --as dave
    expect_rc g-past-read 1
}

grant_bad_input_refused() {
    run g-open grant add --dataset open1 --user dave
    expect_rc g-open 1 && expect_err g-open "controlled" || return 1
    run g-both grant add --dataset ctrl --user dave --days 3 --until 2099-01-01
    expect_rc g-both 2 || return 1
    run g-date grant add --dataset ctrl --user dave --until 2099-02-30
    expect_rc g-date 2 && expect_err g-date "2099-02-30"
}

# ---- audit trail ----

audit_show_lists_rows() {
    run ashow audit show --limit 3
    expect_rc ashow 0 || return 1
    expect_equal "rows printed with --limit 3" 3 "$(wc -l <"$TMP/ashow.out")" || return 1
    grep -qE "^1${T}[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z${T}operator:[^${T}]+${T}cli${T}" \
        "$TMP/ashow.out" || {
        echo "unexpected first row: $(head -n 1 "$TMP/ashow.out")"
        return 1
    }
    run ashow2 audit show --after 2 --limit 1
    expect_rc ashow2 0 && grep -q "^3${T}" "$TMP/ashow2.out" || {
        echo "--after 2 --limit 1 printed: $(cat "$TMP/ashow2.out")"
        return 1
    }
}

audit_verify_fresh() {
    local n
    n=$(audit_rows)
    run verify audit verify
    expect_rc verify 0 && expect_out verify "audit trail intact: $n rows"
}

# tamper_copy NAME: a consistent copy of the database to break.
tamper_copy() {
    sqlite3 -batch "$DB" ".backup '$TMP/$1.db'" && echo "$TMP/$1.db"
}

audit_edit_detected() {
    local db
    db=$(tamper_copy edit)
    sql "DROP TRIGGER audit_no_update; UPDATE audit SET detail = detail || ' (edited)' WHERE seq = 3;" "$db" ||
        return 1
    run t-edit audit verify --db "$db"
    expect_rc t-edit 1 && expect_err t-edit "genoshare: audit: " || return 1
    grep -qE '^row 3: ' "$TMP/t-edit.out" || {
        echo "verify does not name row 3: $(head -c 300 "$TMP/t-edit.out")"
        return 1
    }
    if grep -qE '^row (1|2|4): ' "$TMP/t-edit.out"; then
        echo "verify blames untouched rows: $(head -c 300 "$TMP/t-edit.out")"
        return 1
    fi
}

audit_middle_delete_detected() {
    local db
    db=$(tamper_copy del)
    sql "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 4;" "$db" || return 1
    run t-del audit verify --db "$db"
    expect_rc t-del 1 && expect_err t-del "genoshare: audit: " || return 1
    grep -E '^row [0-9]+: ' "$TMP/t-del.out" | grep -E 'missing|deleted' | grep -qE '\b4\b' || {
        echo "verify does not name the missing row 4: $(head -c 300 "$TMP/t-del.out")"
        return 1
    }
}

audit_tail_delete_detected() {
    local db last
    db=$(tamper_copy tail)
    last=$(audit_rows "$db")
    sql "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = $last;" "$db" || return 1
    run t-tail audit verify --db "$db"
    expect_rc t-tail 1 && expect_err t-tail "genoshare: audit: " || return 1
    grep -E '^row [0-9]+: ' "$TMP/t-tail.out" | grep -E 'tail|gone' | grep -qE "\b$last\b" || {
        echo "verify does not report the deleted tail row $last: $(head -c 300 "$TMP/t-tail.out")"
        return 1
    }
}

audit_foreign_append_detected() {
    local db last
    db=$(tamper_copy append)
    last=$(audit_rows "$db")
    sql "INSERT INTO audit(seq, at, actor, action, object, detail, origin, prev_hash, hash)
         SELECT seq + 1, at, 'intruder', 'user.add', 'user:mallory', '', 'sqlite3', hash, hash
         FROM audit WHERE seq = $last;" "$db" || return 1
    run t-append audit verify --db "$db"
    expect_rc t-append 1 && expect_err t-append "genoshare: audit: " || return 1
    grep -qE "^row $((last + 1)): " "$TMP/t-append.out" || {
        echo "verify does not name the foreign row $((last + 1)): $(head -c 300 "$TMP/t-append.out")"
        return 1
    }
}

audit_is_append_only() {
    local db before after
    db=$(tamper_copy plain)
    before=$(sql 'SELECT detail FROM audit WHERE seq = 2' "$db")
    if sql "UPDATE audit SET detail = 'edited' WHERE seq = 2;" "$db" 2>"$TMP/plain-upd.err"; then
        echo "a plain UPDATE of the audit table succeeded"
        return 1
    fi
    grep -q 'append-only' "$TMP/plain-upd.err" || {
        echo "UPDATE refused for another reason: $(cat "$TMP/plain-upd.err")"
        return 1
    }
    if sql "DELETE FROM audit WHERE seq = 2;" "$db" 2>"$TMP/plain-del.err"; then
        echo "a plain DELETE from the audit table succeeded"
        return 1
    fi
    after=$(sql 'SELECT detail FROM audit WHERE seq = 2' "$db")
    expect_equal "row 2 detail" "$before" "$after" || return 1
    run t-plain audit verify --db "$db"
    expect_rc t-plain 0
}

# ---- run ----

check help_lists_commands help_lists_commands
check help_promises_list_verbs help_promises_list_verbs
check no_command_exits_2 no_command_exits_2
check version_prints_version version_prints_version
check help_init command_help init
check help_serve command_help serve
check help_institution command_help institution add
check help_user command_help user add passwd roles
check help_consortium command_help consortium add join
check help_dataset command_help dataset add list
check help_record command_help record add show
check help_token command_help token create revoke
check help_grant command_help grant add revoke
check help_audit command_help audit verify show
check help_demo command_help demo
check help_data command_help data
for c in hpo case match diagnose mme variants source tb; do
    check "help_every_verb_$c" every_verb_help "$c"
done
check unknown_command_exits_2 unknown_command_exits_2
check unknown_option_exits_2 unknown_option_exits_2
check unknown_verb_exits_2 unknown_verb_exits_2
check missing_database_exits_1 missing_database_exits_1
check db_option_and_env db_option_and_env

check init_creates_database init_creates_database
check init_twice_is_idempotent init_twice_is_idempotent
check missing_required_option_exits_2 missing_required_option_exits_2
check failure_exits_1 failure_exits_1
check institution_add institution_add
check institution_add_rejects_bad_input institution_add_rejects_bad_input
check user_add user_add
check user_add_rejects_bad_input user_add_rejects_bad_input
check user_passwd_and_roles user_passwd_and_roles
check consortium_add_and_join consortium_add_and_join
check restricted_without_consortium_refused restricted_without_consortium_refused
check dataset_add dataset_add
check bad_option_value_exits_2 bad_option_value_exits_2
check record_add record_add
R_RESTR=$(id_of rec-restr)
R_CTRL=$(id_of rec-ctrl)
R_OPEN=$(id_of rec-open)
if [ -z "$R_RESTR" ] || [ -z "$R_CTRL" ] || [ -z "$R_OPEN" ]; then
    fail fixture "records were not added; the access checks cannot run"
    summary_and_exit
fi
check record_show_as_operator record_show_as_operator
check restricted_member_sees_record restricted_member_sees_record
check restricted_non_member_gets_not_found restricted_non_member_gets_not_found
check record_reads_are_audited record_reads_are_audited
check unknown_user_as_fails unknown_user_as_fails
check token_create_and_revoke token_create_and_revoke
check controlled_grant_then_revoke controlled_grant_then_revoke
check grant_until_date grant_until_date
check grant_in_past_refused grant_in_past_refused
check grant_bad_input_refused grant_bad_input_refused
check audit_show_lists_rows audit_show_lists_rows
check audit_verify_fresh audit_verify_fresh
check audit_edit_detected audit_edit_detected
check audit_middle_delete_detected audit_middle_delete_detected
check audit_tail_delete_detected audit_tail_delete_detected
check audit_foreign_append_detected audit_foreign_append_detected
check audit_is_append_only audit_is_append_only
check sanitizers_clean sanitizers_clean

summary
