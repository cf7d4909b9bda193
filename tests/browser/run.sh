#!/usr/bin/env bash
# Starts a genoshare server on a demo database and drives the web UI in Debian's
# Chromium with playwright-core: every tests/browser/*.test.mjs, one after another, against
# the same server (GENOSHARE_URL; GENOSHARE_BIN and GENOSHARE_DB let a test prepare data).
set -u
BIN=${1:-build/san/genoshare}
cd "$(dirname "$0")/../.."
if [ ! -x /usr/bin/chromium ]; then echo "SKIP browser: /usr/bin/chromium is not installed (run scripts/install-deps.sh)"; exit 0; fi
if [ ! -d tests/browser/node_modules/playwright-core ]; then echo "SKIP browser: playwright-core is not installed (run scripts/install-deps.sh)"; exit 0; fi
tmp=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
"$BIN" demo --db "$tmp/demo.db" --data "${GENOSHARE_DATA:-../shared/data}" >"$tmp/demo.out" 2>&1 || { echo "FAIL browser setup: genoshare demo failed: $(tail -1 "$tmp/demo.out")"; exit 1; }
"$BIN" serve --db "$tmp/demo.db" --listen 127.0.0.1:0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
server=$!
for _ in $(seq 50); do grep -q 'serving' "$tmp/serve.out" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$tmp/serve.out" | head -1)
[ -n "$url" ] || { echo "FAIL browser setup: server did not start: $(cat "$tmp/serve.err")"; exit 1; }
mkdir -p tests/out/screenshots
rc=0
for t in tests/browser/*.test.mjs; do
  GENOSHARE_URL=$url GENOSHARE_BIN=$BIN GENOSHARE_DB=$tmp/demo.db DEMO_USER=alice \
    DEMO_PASSWORD=genoshare-demo SCREENSHOT_DIR=tests/out/screenshots \
    timeout 120 node "$t" || rc=1
done
if grep -qE 'ERROR: AddressSanitizer|runtime error:' "$tmp/serve.err"; then
  echo "FAIL browser server: sanitizer report"; grep -A5 -E 'ERROR: AddressSanitizer|runtime error:' "$tmp/serve.err" | head -20; rc=1
fi
exit $rc
