#!/usr/bin/env bash
# bench/beacon.sh — Beacon v2 g_variants allele queries per second on loopback, against nginx
# (the peer) serving a static JSON file of the same size, in the same run, with wrk (2
# threads). The real ClinVar BRCA1-region release (14,998 records) is submitted into an open
# dataset and accepted; each request is a sequence query (referenceName, start, referenceBases,
# alternateBases) for one of its variants, picked at random by a wrk Lua script, 9 in 10
# present and 1 in 10 absent (a changed ALT). Reports requests/s, p50 and p99 latency for:
#   boolean   requestedGranularity=boolean (anonymous)
#   count     requestedGranularity=count   (anonymous)
#   record    requestedGranularity=record  (anonymous: a record with its interpretation)
# Target (issue 6): at least 10,000 requests/s with p99 under 20 ms.
#   bash bench/beacon.sh [SECONDS] [CONNECTIONS]     (needs: wrk, nginx-light, bcftools)
set -euo pipefail
cd "$(dirname "$0")/.."
DUR=${1:-10}
CONN=${2:-32}
DATA=${GENOSHARE_DATA:-../shared/data}
VCF=$DATA/variants/clinvar_20260226_GRCh38_BRCA1region.vcf.gz
command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)"; exit 2; }
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "bench: nginx is not installed (apt-get install nginx-light)"; exit 2; }
command -v bcftools >/dev/null || { echo "bench: bcftools is not installed"; exit 2; }
[ -f "$VCF" ] || { echo "bench: $VCF is missing"; exit 2; }
make -s build/genoshare
B=$PWD/build/genoshare
T=$(mktemp -d)
SRV=""; NGX=""
cleanup() { [ -n "$SRV" ] && kill "$SRV" 2>/dev/null; [ -n "$NGX" ] && kill "$NGX" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
export GENOSHARE_DB=$T/bench.db
$B init >/dev/null
$B institution add kyoto-u --country JP >/dev/null
$B dataset add clinvar-open --tier open --data-type variants --institution kyoto-u >/dev/null
echo "submitting $(basename "$VCF") …" >&2
$B variants submit --dataset clinvar-open --disease-area cancer "$VCF" >"$T/submit.out"
batch=$(grep -o 'batch [0-9]*' "$T/submit.out" | head -1 | grep -o '[0-9]*')
$B variants curate accept "$batch" --batch --comment bench >/dev/null

# the queries: every ClinVar record as a Beacon sequence query (0-based start); one in ten
# with an ALT that is not there
bcftools query -f '%CHROM\t%POS\t%REF\t%ALT\n' "$VCF" | awk -F'\t' '
  length($3) < 50 && length($4) < 50 && $4 ~ /^[ACGT]+$/ {
    alt = $4; if (NR % 10 == 0) alt = (alt == "A" ? "C" : "A")
    printf "/beacon/v2/g_variants?referenceName=%s&start=%d&referenceBases=%s&alternateBases=%s\n", $1, $2 - 1, $3, alt
  }' >"$T/paths.txt"
cat >"$T/random.lua" <<LUA
local paths = {}
for line in io.lines("$T/paths.txt") do paths[#paths + 1] = line end
local granularity = os.getenv("GRANULARITY") or "boolean"
math.randomseed(42)
request = function()
  return wrk.format("GET", paths[math.random(#paths)] .. "&requestedGranularity=" .. granularity)
end
LUA

$B serve --listen 127.0.0.1:0 --threads 4 --quiet >"$T/serve.out" 2>"$T/serve.err" &
SRV=$!
for _ in $(seq 50); do grep -q serving "$T/serve.out" 2>/dev/null && break; sleep 0.1; done
GS=$(grep -o 'http://[0-9.:]*' "$T/serve.out")

# the peer: nginx serving a boolean answer of the same size as ours
mkdir -p "$T/www"
curl -s "$GS$(head -1 "$T/paths.txt")&requestedGranularity=boolean" >"$T/www/answer.json"
chmod 755 "$T" "$T/www" && chmod 644 "$T/www/answer.json" # nginx workers run as another user
grep -q '"exists":true' "$T/www/answer.json" || { echo "bench: the first query did not hit: $(head -c 300 "$T/www/answer.json")"; exit 1; }
cat >"$T/nginx.conf" <<NGINX
worker_processes 2;
pid $T/nginx.pid;
error_log $T/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  server { listen 127.0.0.1:18766; root $T/www; location / { default_type application/json; } }
}
NGINX
/usr/sbin/nginx -c "$T/nginx.conf" -g 'daemon off;' &
NGX=$!
sleep 0.5

# measure LABEL URL [WRK-ARGS...]: "LABEL requests/s p50 p99"
measure() {
  local label=$1 url=$2
  shift 2
  wrk -t2 -c"$CONN" -d"${DUR}s" --latency "$@" "$url" >"$T/wrk.$label"
  awk -v l="$label" '
    /Requests\/sec/ {rps = $2}
    $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2}
    /Non-2xx/ {bad = $NF}
    END {printf "%-9s %12.0f %10s %10s %8.2f %s\n", l, rps, p50, p99, peer ? rps / peer : 1, bad ? "non-2xx: " bad : ""}' peer="${PEER:-0}" "$T/wrk.$label"
}
printf '%-9s %12s %10s %10s %8s\n' case "requests/s" p50 p99 "vs nginx"
measure nginx "http://127.0.0.1:18766/answer.json"
PEER=$(awk '/Requests\/sec/ {print $2}' "$T/wrk.nginx")
for g in boolean count record; do
  GRANULARITY=$g measure "$g" "$GS" -s "$T/random.lua"
done
hits=$(curl -s "$GS$(sed -n 5p "$T/paths.txt")&requestedGranularity=count" | grep -o '"numTotalResults":[0-9]*')
echo "variants served: $($B variants search --region 17:1-83257441 --format tsv 2>/dev/null | tail -n +2 | wc -l); a sample count answer: $hits"
echo "(${DUR}s per case, $CONN connections, 2 wrk threads, genoshare --threads 4, $(nproc) cores; peer: nginx, $(wc -c <"$T/www/answer.json") bytes static)"
