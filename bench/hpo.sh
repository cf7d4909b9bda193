#!/usr/bin/env bash
# bench/hpo.sh — time `genoshare hpo load` on the real HPO 2025-05-06 release (ontology,
# disease annotations, Japanese labels) and `genoshare hpo mica`, which rebuilds the
# in-memory ontology from the store (what the server does at start). hyperfine when
# installed, else a loop of /usr/bin/time.
#   bash bench/hpo.sh [RUNS]      (data: $GENOSHARE_DATA/hpo, default ../shared/data/hpo)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-10}
D=${GENOSHARE_DATA:-../shared/data}/hpo
[ -f "$D/hp.v2025-05-06.json.gz" ] || { echo "bench: no HPO data at $D"; exit 2; }
make -s build/genoshare
B=$PWD/build/genoshare
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export GENOSHARE_DB=$T/bench.db
$B init >/dev/null
LOAD="$B hpo load --ontology $D/hp.v2025-05-06.json.gz --annotations $D/phenotype.v2025-05-06.hpoa.gz --labels-ja $D/hp-ja.babelon.tsv.gz"
MICA="$B hpo mica HP:0001250 HP:0001263"
$LOAD | grep -E '^(terms|annotated_diseases|memory_bytes|read_seconds|store_seconds|elapsed_seconds)'
if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 1 --runs "$RUNS" "$LOAD" "$MICA"
else
    for cmd in "$LOAD" "$MICA"; do
        total=0
        for _ in $(seq "$RUNS"); do
            s=$( { /usr/bin/time -f %e $cmd >/dev/null; } 2>&1 | tail -1)
            total=$(echo "$total + $s" | bc -l)
        done
        printf '%-6s mean %.3f s over %d runs\n' "${cmd#"$B" hpo }" "$(echo "$total / $RUNS" | bc -l)" "$RUNS" | cut -c1-200
    done
fi
echo "($(nproc) cores; SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1))"
