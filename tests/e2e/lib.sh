# shellcheck shell=bash
# lib.sh — the helpers shared by the end-to-end test scripts (test_cli.sh, test_http.sh,
# test_fetch.sh, test_hpo.sh, test_dmp.sh, test_passport.sh, test_requests.sh). Sourced,
# never run:
#
#   BIN=...   # the genoshare binary under test (an absolute path)
#   TMP=...   # the script's own temporary directory (mktemp -d), removed by the script
#   DB=...    # only for start_server: the database `serve --db` opens
#   source "$(dirname "$0")/lib.sh"
#
# The caller sets BIN and TMP before sourcing (and DB before start_server), and keeps its own
# cleanup trap (cleanup_server_and_tmp below suits a script with one server), fixtures and
# script-specific helpers. This file sets the counters NPASS, NFAIL and NSKIP to 0; pass,
# fail and skip (and so check) count into them, and summary reads them.
#
# Reporting: every check prints one line, "PASS <name>", "FAIL <name>: <reason>" or
# "SKIP <name>: <reason>"; summary prints "N passed, N failed, N skipped".
#   pass NAME / fail NAME WHY / skip NAME WHY   print the line and count it
#   oneline TEXT                                TEXT on one line, at most 300 characters
#   check NAME FUNCTION [ARGS...]               runs a check (see below) and reports it
#   summary                                     the summary line; status 0 when nothing failed
#   summary_and_exit                            summary, then exit with its status
#
# Running the binary: $TMP/TAG.out, TAG.err and TAG.rc hold stdout, stderr and exit status;
# the TAG of every run whose stderr has a sanitizer report is appended to $TMP/sanitizer.log.
#   run TAG ARGS...                 stdin is /dev/null; time limit 60 s
#   run_in TAG STDIN-TEXT ARGS...   as run, with STDIN-TEXT (and a newline) on stdin
#   rc_of TAG                       the exit status of run TAG
#   sanitizers_clean                a check: no run so far had a sanitizer report
#
# Expectations, for use inside check functions: each returns 0, or prints why and returns 1.
#   expect_rc TAG WANT      exit status of run TAG is WANT
#   expect_out TAG TEXT     stdout of run TAG contains TEXT (fixed string)
#   expect_err TAG TEXT     stderr of run TAG contains TEXT (fixed string)
#   expect_equal WHAT EXPECTED ACTUAL
#   cli TAG ARGS...         run TAG ARGS...; succeeds when the binary exited 0
#
# A server (`genoshare serve` on a free loopback port; at most one at a time): it sets
# SERVER_PID (empty when none runs), PORT and BASE (http://127.0.0.1:PORT).
#   start_server TAG [SERVE-ARGS...]   starts it on $DB; stdout/stderr in $TMP/TAG.stdout and
#                                      TAG.stderr. Call it in the main shell, not $(...)
#   stop_server SECONDS                SIGTERM, bounded wait; sets STOP_STATUS (or "hung")
#   remove_tmp                         removes $TMP, or keeps it when GS_E2E_KEEP is set
#   start_server_or_exit TAG [ARGS...] start_server, or "FAIL server_starts", summary, exit
#   cleanup_server_and_tmp             an EXIT trap: stop_server 15 if one runs, remove_tmp
#   require_tools TOOL...              "FAIL setup", summary and exit when a TOOL is missing
#
# HTTP against $BASE: each request TAG leaves $TMP/TAG.code (status, 000 when curl failed),
# TAG.hdr (response headers), TAG.body and TAG.curlerr; each is noted in $TMP/requests.log.
#   http TAG METHOD PATH [CURL-ARGS...]          one request
#   post_json TAG PATH BODY [CURL-ARGS...]       POST with a JSON body
#   bearer USER                                  "Authorization: Bearer <$TMP/token.USER>", for -H
#   status_of TAG / header_value TAG NAME        the status / a response header's value
#   json_str TAG KEY / json_num TAG KEY          the first "KEY" string / integer in the body
#   expect_status TAG STATUS / expect_body TAG TEXT / expect_header TAG REGEX
#   expect_error TAG STATUS CODE                 STATUS with the one JSON error shape

: "${BIN:?lib.sh: set BIN before sourcing}" "${TMP:?lib.sh: set TMP before sourcing}"

NPASS=0
NFAIL=0
NSKIP=0

# A sanitizer report on stderr (ASan, LSan, UBSan).
SANITIZER_REPORT='ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:'

# ---- reporting ----

pass() { echo "PASS $1"; NPASS=$((NPASS + 1)); }
fail() { echo "FAIL $1: $2"; NFAIL=$((NFAIL + 1)); }
skip() { echo "SKIP $1: $2"; NSKIP=$((NSKIP + 1)); }
oneline() { printf '%s' "${1:-failed}" | tr '\n' ' ' | cut -c1-300; }

# check NAME FUNCTION [ARGS...]: the function prints why and returns non-zero on failure;
# status 77 means "cannot run here" (SKIP). The function runs in a subshell, so it shares
# state with later checks only through files under $TMP.
check() {
    local name=$1 why st
    shift
    why=$("$@" 2>&1)
    st=$?
    if [ $st -eq 0 ]; then
        pass "$name"
    elif [ $st -eq 77 ]; then
        skip "$name" "$(oneline "$why")"
    else
        fail "$name" "$(oneline "$why")"
    fi
}

summary() {
    echo "$NPASS passed, $NFAIL failed, $NSKIP skipped"
    [ "$NFAIL" -eq 0 ]
}
summary_and_exit() {
    summary
    exit
}

# ---- running the binary ----

# note_sanitizer TAG: notes run TAG in $TMP/sanitizer.log if its stderr has a report.
note_sanitizer() {
    if grep -qE "$SANITIZER_REPORT" "$TMP/$1.err"; then
        echo "$1" >>"$TMP/sanitizer.log"
    fi
}

# run TAG ARGS...: runs the binary (time-limited, stdin /dev/null); stdout, stderr and exit
# status land in $TMP/TAG.out, TAG.err and TAG.rc. Sanitizer reports are noted.
run() {
    local tag=$1
    shift
    timeout 60 "$BIN" "$@" >"$TMP/$tag.out" 2>"$TMP/$tag.err" </dev/null
    echo $? >"$TMP/$tag.rc"
    note_sanitizer "$tag"
}
# run_in TAG STDIN-TEXT ARGS...: as run, with STDIN-TEXT on standard input.
run_in() {
    local tag=$1 input=$2
    shift 2
    printf '%s\n' "$input" | timeout 60 "$BIN" "$@" >"$TMP/$tag.out" 2>"$TMP/$tag.err"
    echo $? >"$TMP/$tag.rc"
    note_sanitizer "$tag"
}
rc_of() { cat "$TMP/$1.rc"; }

sanitizers_clean() {
    [ ! -s "$TMP/sanitizer.log" ] && return 0
    echo "sanitizer reports in runs: $(sort -u "$TMP/sanitizer.log" | tr '\n' ' ')"
    return 1
}

# ---- expectations ----

expect_rc() { # TAG WANT
    local got
    got=$(rc_of "$1")
    [ "$got" = "$2" ] && return 0
    echo "'$1': exit status $got, expected $2; stderr: $(head -c 300 "$TMP/$1.err")"
    return 1
}
expect_out() { # TAG TEXT
    grep -qF -- "$2" "$TMP/$1.out" && return 0
    echo "'$1': stdout lacks '$2': $(head -c 200 "$TMP/$1.out")"
    return 1
}
expect_err() { # TAG TEXT
    grep -qF -- "$2" "$TMP/$1.err" && return 0
    echo "'$1': stderr lacks '$2': $(head -c 300 "$TMP/$1.err")"
    return 1
}
expect_equal() { # WHAT EXPECTED ACTUAL
    [ "$2" = "$3" ] && return 0
    echo "$1: expected '$2', got '$3'"
    return 1
}

# cli TAG ARGS...: run TAG ARGS...; succeeds when the binary exited 0.
cli() {
    run "$@"
    [ "$(rc_of "$1")" = 0 ]
}

# ---- the server ----

SERVER_PID=
PORT=
BASE=
# shellcheck disable=SC2034 # read by the caller after stop_server
STOP_STATUS=

# start_server TAG [SERVE-ARGS...]: starts `serve` on a free loopback port; sets SERVER_PID,
# PORT and BASE. Its stdout and stderr are $TMP/TAG.stdout and TAG.stderr. Must run in the
# main shell (the server is its child, to be waited for and killed).
start_server() {
    local tag=$1 line
    shift
    timeout -k 5 600 "$BIN" serve --listen 127.0.0.1:0 --db "${DB:?lib.sh: set DB before start_server}" "$@" \
        >"$TMP/$tag.stdout" 2>"$TMP/$tag.stderr" &
    SERVER_PID=$!
    PORT=
    for _ in $(seq 1 150); do
        line=$(head -n 1 "$TMP/$tag.stdout" 2>/dev/null)
        PORT=$(printf '%s' "$line" | sed -n 's#^genoshare .* serving .* on http://127\.0\.0\.1:\([0-9][0-9]*\)/$#\1#p')
        [ -n "$PORT" ] && break
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    BASE=http://127.0.0.1:$PORT
    [ -n "$PORT" ] && return 0
    echo "server did not start: stdout '$(head -c 200 "$TMP/$tag.stdout")', stderr '$(head -c 300 "$TMP/$tag.stderr")'"
    return 1
}

# stop_server SECONDS: SIGTERM, then waits (bounded) for the exit; sets STOP_STATUS to the
# exit status, or to "hung" after killing a server that did not stop in time. Must run in
# the main shell (the server is its child).
# shellcheck disable=SC2034 # STOP_STATUS is read by the caller
stop_server() {
    local limit=$1
    kill -TERM "$SERVER_PID" 2>/dev/null
    for _ in $(seq 1 $((limit * 10))); do
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        # `timeout` leads the server's own process group: end that group.
        kill -KILL -- "-$SERVER_PID" 2>/dev/null || kill -KILL "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
        STOP_STATUS=hung
    else
        wait "$SERVER_PID"
        STOP_STATUS=$?
    fi
    SERVER_PID=
}

# start_server_or_exit TAG [SERVE-ARGS...]: start_server (its complaint in $TMP/TAG.setup);
# when the server does not start, fails the check server_starts and ends the script.
start_server_or_exit() {
    start_server "$@" >"$TMP/$1.setup" 2>&1 && return 0
    fail server_starts "$(oneline "$(cat "$TMP/$1.setup")")"
    summary_and_exit
}

remove_tmp() {
    if [ -n "${GS_E2E_KEEP:-}" ]; then echo "kept $TMP" >&2; else rm -rf "$TMP"; fi
}
cleanup_server_and_tmp() {
    [ -n "$SERVER_PID" ] && stop_server 15
    remove_tmp
}

require_tools() { # TOOL...
    local tool
    for tool in "$@"; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            fail setup "$tool is not installed"
            summary_and_exit
        fi
    done
}

# ---- HTTP ----

# http TAG METHOD PATH [CURL-ARGS...]: one request. Status in $TMP/TAG.code, response
# headers in TAG.hdr, body in TAG.body. Each request is noted in requests.log.
http() {
    local tag=$1 method=$2 path=$3
    shift 3
    echo "$method $path" >>"$TMP/requests.log"
    curl -sS --max-time 10 -X "$method" -o "$TMP/$tag.body" -D "$TMP/$tag.hdr" \
        -w '%{http_code}' "$@" "$BASE$path" >"$TMP/$tag.code" 2>"$TMP/$tag.curlerr"
    [ -s "$TMP/$tag.code" ] || echo 000 >"$TMP/$tag.code"
}
# post_json TAG PATH BODY [CURL-ARGS...]
post_json() {
    local tag=$1 path=$2 body=$3
    shift 3
    http "$tag" POST "$path" -H 'Content-Type: application/json' --data-binary "$body" "$@"
}
# bearer USER: the Authorization header for USER's token ($TMP/token.USER), for -H.
bearer() { printf 'Authorization: Bearer %s' "$(cat "$TMP/token.$1")"; }

status_of() { cat "$TMP/$1.code"; }
header_value() { # TAG NAME
    tr -d '\r' <"$TMP/$1.hdr" | grep -i "^$2:" | head -n 1 | sed 's/^[^:]*: *//'
}
# json_str TAG KEY / json_num TAG KEY: the value of the first "KEY" string / integer in the
# body (JSON as the server writes it; json_num takes a sign and a space after the colon).
json_str() { grep -oE "\"$2\":\"[^\"]*\"" "$TMP/$1.body" | head -n 1 | sed 's/^"[^"]*":"//; s/"$//'; }
json_num() { grep -oE "\"$2\": *-?[0-9]+" "$TMP/$1.body" | head -n 1 | sed 's/^"[^"]*": *//'; }

expect_status() { # TAG STATUS
    local got
    got=$(status_of "$1")
    [ "$got" = "$2" ] && return 0
    echo "'$1': HTTP $got, expected $2; body: $(head -c 300 "$TMP/$1.body" 2>/dev/null) $(head -c 100 "$TMP/$1.curlerr")"
    return 1
}
expect_body() { # TAG TEXT
    grep -qF -- "$2" "$TMP/$1.body" && return 0
    echo "'$1': body lacks '$2': $(head -c 300 "$TMP/$1.body")"
    return 1
}
expect_header() { # TAG REGEX (extended, case-insensitive, against "Name: value" lines)
    tr -d '\r' <"$TMP/$1.hdr" | grep -qiE -- "$2" && return 0
    echo "'$1': no header matching '$2' in: $(tr -d '\r' <"$TMP/$1.hdr" | tr '\n' '|' | head -c 400)"
    return 1
}
# expect_error TAG STATUS CODE: the one JSON error shape.
expect_error() {
    expect_status "$1" "$2" || return 1
    grep -qE "^\\{\"error\":\\{\"code\":\"$3\",\"message\":\"[^\"]+\"\\}\\}\$" "$TMP/$1.body" && return 0
    echo "'$1': not a {\"error\":{\"code\":\"$3\",\"message\":…}} body: $(head -c 250 "$TMP/$1.body")"
    return 1
}
