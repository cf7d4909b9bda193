# shellcheck shell=bash
# lib.sh — the helpers shared by the end-to-end test scripts (test_cli.sh, test_http.sh,
# test_fetch.sh). Sourced, never run:
#
#   BIN=...   # the genoshare binary under test
#   TMP=...   # the script's own temporary directory (mktemp -d), removed by the script
#   source "$(dirname "$0")/lib.sh"
#
# The caller sets BIN and TMP before sourcing, and keeps its own cleanup trap, fixtures and
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
