#!/usr/bin/env bash
# test_fetch.sh — end-to-end test of "genoshare data fetch" against a local static server.
#
#   bash tests/e2e/test_fetch.sh [BINARY]     (default build/san/genoshare)
#
# Every check prints one line, "PASS <name>", "FAIL <name>: <reason>" or "SKIP <name>: <reason>";
# then a summary line. Exit status 0 when no check failed. Nothing leaves loopback.
set -u

BIN=${1:-build/san/genoshare}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/genoshare-fetch.XXXXXX")
SERVER_PID=

cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
    fi
    rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- helpers (pass, fail, check, run, expect_rc/out/err, sanitizers_clean: lib.sh) ----

# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

expect_absent() { # PATH...
    local p
    for p in "$@"; do
        if [ -e "$p" ]; then
            echo "$p was left behind"
            return 1
        fi
    done
}
expect_same() { # EXPECTED ACTUAL
    cmp -s "$1" "$2" && return 0
    echo "$2 differs from $1"
    return 1
}

if [ ! -x "$BIN" ]; then
    fail setup "no executable at $BIN"
    summary_and_exit
fi

# ---- fixtures: every file every source names, written here ----
WWW=$TMP/www
mkdir -p "$WWW/good" "$WWW/bad" "$WWW/nofile"
for i in $(seq 1 400); do
    printf 'chr1\t%d\t.\tA\tG\t.\t.\tCLNSIG=Benign;NOTE=fixture-line-%d\n' $((i * 1000)) "$i"
done >"$WWW/good/clinvar.vcf.gz"
head -c 70000 /dev/urandom >"$WWW/good/clinvar.vcf.gz.tbi" # binary, to catch text handling
(cd "$WWW/good" && md5sum clinvar.vcf.gz >clinvar.vcf.gz.md5) # "<md5>  clinvar.vcf.gz"
printf '{"graphs":[]}\n' >"$WWW/good/hp.json"
printf '#description: fixture\nOMIM:1\tX\t\tHP:0000001\n' >"$WWW/good/phenotype.hpoa"
printf 'source_value\ttranslation_value\nAll\tすべて\n' >"$WWW/good/hp-ja.babelon.tsv"
printf 'fixture vcf\n' >"$WWW/good/Genomic_coordinates_7May2024.vcf.gz"

cp "$WWW/good/clinvar.vcf.gz" "$WWW/good/clinvar.vcf.gz.tbi" "$WWW/bad/"
printf '%s  clinvar.vcf.gz\n' 0123456789abcdef0123456789abcdef >"$WWW/bad/clinvar.vcf.gz.md5"
cp "$WWW/good/clinvar.vcf.gz.md5" "$WWW/nofile/" # checksum present, data file missing

# ---- server ----
if ! command -v node >/dev/null 2>&1; then
    fail setup "node is not installed"
    summary_and_exit
fi
timeout 600 node "$HERE/static-server.mjs" "$WWW" 0 >"$TMP/server.port" 2>"$TMP/server.err" &
SERVER_PID=$!
PORT=
for _ in $(seq 1 100); do
    PORT=$(head -n 1 "$TMP/server.port" 2>/dev/null)
    [ -n "$PORT" ] && break
    sleep 0.1
done
if [ -z "$PORT" ]; then
    fail setup "static server did not start: $(head -c 300 "$TMP/server.err")"
    summary_and_exit
fi
BASE=http://127.0.0.1:$PORT

# ---- checks ----
list_prints_sources() {
    GENOSHARE_DATA=$TMP/envdata run list data fetch --list
    expect_rc list 0 || return 1
    local name
    for name in hpo: hpo-ja: tb-catalogue: clinvar:; do
        expect_out list "$name" || return 1
    done
    expect_out list "https://ftp.ncbi.nlm.nih.gov/pub/clinvar/vcf_GRCh38/clinvar.vcf.gz.md5" &&
        expect_out list "destination: $TMP/envdata/variants/" || return 1
    expect_absent "$TMP/envdata"
}

list_with_mirror() {
    run listm data fetch clinvar --list --mirror "$BASE/good/"
    expect_rc listm 0 && expect_out listm "$BASE/good/clinvar.vcf.gz.tbi" &&
        expect_out listm "md5: $BASE/good/clinvar.vcf.gz.md5" || return 1
    if grep -q '^hpo' "$TMP/listm.out"; then
        echo "listed sources that were not asked for"
        return 1
    fi
}

unknown_source_exits_2() {
    run unknown data fetch clinvar no-such-source --dir "$TMP/d-unknown"
    expect_rc unknown 2 && expect_err unknown "no-such-source" &&
        expect_err unknown "hpo, hpo-ja, tb-catalogue, clinvar" || return 1
    expect_absent "$TMP/d-unknown"
}

unknown_verb_exits_2() {
    run verb data fletch
    expect_rc verb 2 && expect_err verb "fletch"
}

help_exits_0() {
    run help data fetch --help
    expect_rc help 0 && expect_out help "usage: genoshare data fetch" && expect_out help "clinvar"
}

D=$TMP/d-ok
download_via_mirror() {
    run ok data fetch clinvar --dir "$D" --mirror "$BASE/good"
    expect_rc ok 0 || return 1
    expect_same "$WWW/good/clinvar.vcf.gz" "$D/variants/clinvar.vcf.gz" &&
        expect_same "$WWW/good/clinvar.vcf.gz.tbi" "$D/variants/clinvar.vcf.gz.tbi" || return 1
    expect_absent "$D/variants/clinvar.vcf.gz.part" "$D/variants/clinvar.vcf.gz.tbi.part" \
        "$D/variants/clinvar.vcf.gz.md5" || return 1
    expect_err ok "fetch: clinvar.vcf.gz done (" && expect_err ok "md5 ok)" &&
        expect_err ok "fetch: clinvar.vcf.gz.tbi done ("
}

second_run_skips() {
    local before after
    before=$(stat -c '%Y.%i' "$D/variants/clinvar.vcf.gz" "$D/variants/clinvar.vcf.gz.tbi")
    sleep 1.1 # so that a rewrite would show in the modification time
    run skip data fetch clinvar --dir "$D" --mirror "$BASE/good"
    expect_rc skip 0 && expect_err skip "clinvar.vcf.gz present, skipped" || return 1
    after=$(stat -c '%Y.%i' "$D/variants/clinvar.vcf.gz" "$D/variants/clinvar.vcf.gz.tbi")
    [ "$before" = "$after" ] && return 0
    echo "files were rewritten"
    return 1
}

force_downloads_again() {
    run force data fetch clinvar --force --dir "$D" --mirror "$BASE/good"
    expect_rc force 0 && expect_err force "fetch: clinvar.vcf.gz done (" &&
        expect_same "$WWW/good/clinvar.vcf.gz" "$D/variants/clinvar.vcf.gz"
}

wrong_md5_fails() {
    local d=$TMP/d-bad
    run bad data fetch clinvar --dir "$d" --mirror "$BASE/bad"
    expect_rc bad 1 && expect_err bad "clinvar.vcf.gz: md5 mismatch" || return 1
    expect_absent "$d/variants/clinvar.vcf.gz" "$d/variants/clinvar.vcf.gz.part" \
        "$d/variants/clinvar.vcf.gz.tbi"
}

not_found_names_url_and_status() {
    local d=$TMP/d-404
    run nf data fetch clinvar --dir "$d" --mirror "$BASE/nofile"
    expect_rc nf 1 && expect_err nf "$BASE/nofile/clinvar.vcf.gz: HTTP 404" || return 1
    expect_absent "$d/variants/clinvar.vcf.gz" "$d/variants/clinvar.vcf.gz.part"
}

missing_checksum_is_404() {
    local d=$TMP/d-404md5
    run nfmd5 data fetch clinvar --dir "$d" --mirror "$BASE/nowhere"
    expect_rc nfmd5 1 && expect_err nfmd5 "$BASE/nowhere/clinvar.vcf.gz.md5: HTTP 404" || return 1
    expect_absent "$d/variants/clinvar.vcf.gz" "$d/variants/clinvar.vcf.gz.part"
}

server_error_fails() {
    local d=$TMP/d-500
    run e500 data fetch hpo-ja --dir "$d" --mirror "$BASE/__status/500"
    expect_rc e500 1 && expect_err e500 "$BASE/__status/500/hp-ja.babelon.tsv: HTTP 500" || return 1
    expect_absent "$d/hpo/hp-ja.babelon.tsv" "$d/hpo/hp-ja.babelon.tsv.part"
}

follows_redirects() {
    local d=$TMP/d-redirect
    run redir data fetch clinvar --dir "$d" --mirror "$BASE/__redirect/good"
    expect_rc redir 0 && expect_same "$WWW/good/clinvar.vcf.gz" "$d/variants/clinvar.vcf.gz"
}

no_name_fetches_all() {
    local d=$TMP/d-all f
    run all data fetch --dir "$d" --mirror "$BASE/good"
    expect_rc all 0 || return 1
    for f in hpo/hp.json hpo/phenotype.hpoa hpo/hp-ja.babelon.tsv \
        tb/Genomic_coordinates_7May2024.vcf.gz variants/clinvar.vcf.gz \
        variants/clinvar.vcf.gz.tbi; do
        expect_same "$WWW/good/$(basename "$f")" "$d/$f" || return 1
    done
}

refused_protocol() {
    local d=$TMP/d-file
    run proto data fetch hpo-ja --dir "$d" --mirror "file://$WWW/good"
    expect_rc proto 1 && expect_absent "$d/hpo/hp-ja.babelon.tsv"
}

check list_prints_sources list_prints_sources
check list_with_mirror list_with_mirror
check unknown_source_exits_2 unknown_source_exits_2
check unknown_verb_exits_2 unknown_verb_exits_2
check help_exits_0 help_exits_0
check download_via_mirror download_via_mirror
check second_run_skips second_run_skips
check force_downloads_again force_downloads_again
check wrong_md5_fails wrong_md5_fails
check not_found_names_url_and_status not_found_names_url_and_status
check missing_checksum_is_404 missing_checksum_is_404
check server_error_fails server_error_fails
check follows_redirects follows_redirects
check no_name_fetches_all no_name_fetches_all
check refused_protocol refused_protocol
check sanitizers_clean sanitizers_clean

summary
