#!/usr/bin/env bash
# Runs every test of genoshare and ends with one summary line "N passed, N failed, N skipped".
# Each test program prints "PASS name", "FAIL name: why" or "SKIP name: why" per check;
# a program that exits non-zero without printing a FAIL counts as one failure (a crash).
set -u
cd "$(dirname "$0")/.."
BIN=${GENOSHARE_TEST_BIN:-build/san/genoshare}
OUT=tests/out
mkdir -p "$OUT"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export GENOSHARE_DATA=${GENOSHARE_DATA:-../shared/data}

passed=0; failed=0; skipped=0
run() { # run NAME COMMAND...
  local name=$1; shift
  local log="$OUT/$name.log"
  mkdir -p "$(dirname "$log")"
  local start=$SECONDS
  timeout 600 "$@" >"$log" 2>&1
  local rc=$?
  local p f s
  p=$(grep -c '^PASS ' "$log"); f=$(grep -c '^FAIL ' "$log"); s=$(grep -c '^SKIP ' "$log")
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1; echo "FAIL $name: exited with status $rc without naming a failed check" >>"$log"
  fi
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  printf '%-28s %4d passed %3d failed %3d skipped  (%ds)\n' "$name" "$p" "$f" "$s" $((SECONDS - start))
  grep -E '^(FAIL|SKIP) ' "$log" | head -20 | sed 's/^/    /'
  if [ "$f" -gt 0 ]; then
    grep -E 'ERROR: AddressSanitizer|runtime error:' "$log" | head -5 | sed 's/^/    /'
  fi
}

for t in build/san/tests/test_*; do
  [ -x "$t" ] && run "unit/$(basename "$t")" "$t"
done
for t in tests/e2e/test_*.sh; do
  [ -f "$t" ] && run "e2e/$(basename "$t" .sh)" bash "$t" "$BIN"
done
run "browser/shell" bash tests/browser/run.sh "$BIN"

echo "logs in $OUT/"
if [ "$passed" -eq 0 ]; then
  echo "FAIL run: no check passed (did the build produce the test programs?)"
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
