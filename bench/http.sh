#!/usr/bin/env bash
# bench/http.sh — HTTP throughput of genoshare against nginx (the peer) in the same run,
# with wrk on loopback. Reports requests/s and the ratio genoshare / nginx for:
#   health      GET /api/v1/health               (no store access)
#   open-read   GET /api/v1/records/ID           (open, international: access decided, not audited)
#   audited     GET /api/v1/records/ID by token  (restricted: access decided and an audit row written)
# nginx serves a static JSON file of the same size as genoshare's health reply.
#   bash bench/http.sh [SECONDS] [CONNECTIONS]     (needs: apt-get install wrk nginx-light sqlite3 bc)
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-10}
CONN=${2:-32}
command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)"; exit 2; }
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "bench: nginx is not installed (apt-get install nginx-light)"; exit 2; }
make -s build/genoshare
B=build/genoshare
T=$(mktemp -d)
SRV=""; NGX=""
cleanup() { [ -n "$SRV" ] && kill "$SRV" 2>/dev/null; [ -n "$NGX" ] && kill "$NGX" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
export GENOSHARE_DB=$T/bench.db
$B init >/dev/null
$B institution add kyoto-u --country JP >/dev/null
$B user add alice --institution kyoto-u >/dev/null
$B consortium add rare >/dev/null
$B dataset add open-ds --tier open --data-type variants --institution kyoto-u >/dev/null
$B dataset add rare-ds --tier restricted --data-type phenotype_clinical --institution kyoto-u --consortium rare >/dev/null
echo '{"gene":"BRCA1"}' | $B record add --dataset open-ds --label open --scope international --file - >/dev/null
echo '{"gene":"BRCA1"}' | $B record add --dataset rare-ds --label rare --scope domestic --file - >/dev/null
TOKEN=$($B token create --user alice | tail -1)
$B serve --listen 127.0.0.1:0 --threads 4 --quiet >"$T/serve.out" 2>"$T/serve.err" &
SRV=$!
for _ in $(seq 50); do grep -q serving "$T/serve.out" 2>/dev/null && break; sleep 0.1; done
GS=$(grep -o 'http://[0-9.:]*' "$T/serve.out")

mkdir -p "$T/www"
curl -s "$GS/api/v1/health" >"$T/www/health.json"
cat >"$T/nginx.conf" <<NGINX
worker_processes 2;
pid $T/nginx.pid;
error_log $T/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  server { listen 127.0.0.1:18765; root $T/www; location / { default_type application/json; } }
}
NGINX
/usr/sbin/nginx -c "$T/nginx.conf" -g 'daemon off;' &
NGX=$!
sleep 0.5

rate() { wrk -t2 -c"$CONN" -d"${DUR}s" "$@" | awk '/Requests\/sec/ {print $2}'; }
peer=$(rate "http://127.0.0.1:18765/health.json")
health=$(rate "$GS/api/v1/health")
openread=$(rate "$GS/api/v1/records/1")
audited=$(rate -H "Authorization: Bearer $TOKEN" "$GS/api/v1/records/2")
rows=$(sqlite3 "$GENOSHARE_DB" "SELECT count(*) FROM audit WHERE action = 'record.read'")
printf '%-10s %12s %10s\n' case "requests/s" "vs nginx"
printf '%-10s %12.0f %10s\n' nginx "$peer" 1.00
for c in health:$health open-read:$openread audited:$audited; do
  printf '%-10s %12.0f %10.2f\n' "${c%%:*}" "${c#*:}" "$(echo "${c#*:} / $peer" | bc -l)"
done
echo "audit rows written by the audited run: $rows; $B audit verify: $($B audit verify)"
echo "(${DUR}s per case, $CONN connections, 2 wrk threads, genoshare --threads 4, $(nproc) cores)"
