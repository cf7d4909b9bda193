#!/usr/bin/env bash
# bench/mme.sh — Matchmaker Exchange inbound throughput: wrk on loopback POSTs one MME match
# request (a real published case as the patient) to /mme/match with a peer token, against a
# node holding N real cases (cases-dev.tsv.gz, open dataset, international scope). The peer
# in the same run is genoshare's own search API (POST /api/v1/match, same terms and gene,
# same search, JSON reply without the MME work): the ratio is the cost of the protocol layer
# (token check, negotiation, validation, patient conversion, per-result case read, audit row
# and exchange row committed per request).
#   bash bench/mme.sh [CASES] [SECONDS] [CONNECTIONS]     (needs: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
DUR=${2:-10}
CONN=${3:-8}
DATA=${GENOSHARE_DATA:-../shared/data}
command -v wrk >/dev/null || { echo "bench: wrk is not installed (apt-get install wrk)"; exit 2; }
[ -f "$DATA/hpo/hp.v2025-05-06.json.gz" ] || { echo "bench: no HPO release under $DATA/hpo"; exit 2; }
make -s build/genoshare
B=build/genoshare
T=$(mktemp -d)
SRV=""
cleanup() { [ -n "$SRV" ] && kill "$SRV" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
export GENOSHARE_DB=$T/bench.db
$B init >/dev/null
$B institution add hosp --country JP >/dev/null
$B user add alice --institution hosp >/dev/null
$B dataset add cases --tier open --data-type phenotype_clinical --institution hosp >/dev/null
$B hpo load --ontology "$DATA/hpo/hp.v2025-05-06.json.gz" \
    --annotations "$DATA/hpo/phenotype.v2025-05-06.hpoa.gz" >/dev/null

# N cases as genoshare case JSON, keeping the HPO ids this release knows (current or alt ids)
mkdir "$T/cases"
zcat "$DATA/hpo/hp-terms.v2025-05-06.tsv.gz" | awk -F'\t' 'NR > 2 && $3 == 0 {
        print $1; n = split($5, a, "|"); for (i = 1; i <= n; i++) if (a[i] != "") print a[i] }' >"$T/known"
{ zcat "$DATA/hpo/cases-dev.tsv.gz" || true; } | awk -F'\t' -v n="$N" -v dir="$T/cases" '
    FILENAME == ARGV[1] { known[$1] = 1; next }
    FNR <= 2 { next }
    FNR > n + 2 { exit }
    function feats(list, excl,    a, k, i, out) {
        k = split(list, a, ","); out = ""
        for (i = 1; i <= k; i++) if (a[i] in known && !(a[i] in seen)) {
            seen[a[i]] = 1
            out = out (out == "" ? "" : ",") "{\"id\":\"" a[i] "\"" (excl ? ",\"excluded\":true" : "") "}"
        }
        return out
    }
    {
        delete seen
        o = feats($11, 0); e = feats($12, 1)
        f = o; if (e != "") f = f (f == "" ? "" : ",") e
        if (o == "") next
        g = $7 == "" ? "" : ",\"genes\":[\"" $7 "\"]"
        printf "{\"label\":\"%s\",\"features\":[%s]%s,\"contact\":{\"name\":\"Dr %s\",\"email\":\"lab@example.org\"}}\n",
            $1, f, g, $3 > (dir "/" FNR ".json")
        close(dir "/" FNR ".json")
    }' "$T/known" -
$B case import "$T/cases" --dataset cases --scope international --format json >/dev/null
CASES=$(ls "$T/cases" | wc -l)

# the query: the first imported case, as an MME request and as our own API's body
FIRST=$(ls "$T/cases" | sort -n | head -n 1)
node -e '
    const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const obs = c.features.filter((f) => !f.excluded).map((f) => f.id);
    const exc = c.features.filter((f) => f.excluded).map((f) => f.id);
    const mme = { patient: { id: "bench-1", contact: { name: "bench", href: "mailto:b@example.org" },
        features: obs.map((id) => ({ id, observed: "yes" })).concat(exc.map((id) => ({ id, observed: "no" }))),
        genomicFeatures: (c.genes || []).map((g) => ({ gene: { id: g } })) } };
    const own = { hpo: obs, excluded: exc, genes: c.genes || [], top: 20 };
    require("fs").writeFileSync(process.argv[2], JSON.stringify(mme));
    require("fs").writeFileSync(process.argv[3], JSON.stringify(own));
' "$T/cases/$FIRST" "$T/mme.json" "$T/own.json"

TOKEN=$($B mme peer add bench-peer --url http://127.0.0.1:1/mme --scope international | tail -n 1)
USER_TOKEN=$($B token create --user alice | tail -n 1)
$B serve --listen 127.0.0.1:0 --threads 4 --quiet >"$T/serve.out" 2>"$T/serve.err" &
SRV=$!
for _ in $(seq 100); do grep -q serving "$T/serve.out" 2>/dev/null && break; sleep 0.1; done
GS=$(grep -o 'http://[0-9.:]*' "$T/serve.out")

lua() { # FILE BODY-FILE HEADER-LINES...: a wrk script POSTing the body with the headers
    local out=$1 body=$2
    shift 2
    {
        printf 'wrk.method = "POST"\n'
        printf 'local f = io.open("%s", "rb")\nwrk.body = f:read("*a")\nf:close()\n' "$body"
        for h in "$@"; do
            printf 'wrk.headers["%s"] = "%s"\n' "${h%%: *}" "${h#*: }"
        done
    } >"$out"
}
lua "$T/mme.lua" "$T/mme.json" "X-Auth-Token: $TOKEN" \
    "Content-Type: application/vnd.ga4gh.matchmaker.v1.1+json" \
    "Accept: application/vnd.ga4gh.matchmaker.v1.1+json"
lua "$T/own.lua" "$T/own.json" "Authorization: Bearer $USER_TOKEN" "Content-Type: application/json"

check() { # PATH BODY-FILE HEADERS...: one request first, so a broken setup is not measured
    local path=$1 body=$2
    shift 2
    local args=()
    for h in "$@"; do args+=(-H "$h"); done
    local code
    code=$(curl -s -o "$T/check.json" -w '%{http_code}' "${args[@]}" --data-binary "@$body" "$GS$path")
    [ "$code" = 200 ] || { echo "bench: $path answered $code: $(head -c 300 "$T/check.json")"; exit 1; }
}
check /mme/match "$T/mme.json" "X-Auth-Token: $TOKEN" "Content-Type: application/vnd.ga4gh.matchmaker.v1.1+json"
RESULTS=$(grep -o '"score":{"patient"' "$T/check.json" | wc -l)
check /api/v1/match "$T/own.json" "Authorization: Bearer $USER_TOKEN" "Content-Type: application/json"

rps() { wrk -t2 -c"$CONN" -d"${DUR}s" -s "$1" "$GS$2" | awk '/Requests\/sec/ {print $2}'; }
OWN=$(rps "$T/own.lua" /api/v1/match)
MME=$(rps "$T/mme.lua" /mme/match)
echo "cases=$CASES results_per_request=$RESULTS seconds=$DUR connections=$CONN"
printf 'POST /api/v1/match (peer: own API)   %10.1f req/s  1.00\n' "$OWN"
printf 'POST /mme/match                      %10.1f req/s  %.2f\n' "$MME" "$(echo "$MME / $OWN" | bc -l)"
