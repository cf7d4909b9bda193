#!/usr/bin/env bash
# make demo: a fresh demo database (real public data when the data directory exists),
# then the server. GENOSHARE_LISTEN overrides the address (default 127.0.0.1:8080).
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${GENOSHARE_DEMO_DB:-demo.db}
LISTEN=${GENOSHARE_LISTEN:-127.0.0.1:8080}
rm -f "$DB" "$DB-wal" "$DB-shm"
build/genoshare demo --db "$DB"
echo "open the URL below and sign in as alice / genoshare-demo (Ctrl-C stops the server)"
exec build/genoshare serve --db "$DB" --listen "$LISTEN"
