/* cluster.h — transmission clusters and trees from SNP distances.
 *
 * Clusters are single-linkage: two isolates share a cluster when a chain of pairs, each at
 * most the threshold apart, joins them (so membership is transitive, and a cluster is the
 * connected component of the graph of close pairs). Isolates with no close partner are
 * singletons, not clusters. The tree is Saitou & Nei's neighbour joining over the full
 * distance matrix, written as Newick with branch lengths in SNPs (negative lengths clamped
 * to 0, as is usual); it is O(n³), hence limited to TB_TREE_MAX isolates. */
#ifndef GS_TB_CLUSTER_H
#define GS_TB_CLUSTER_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "tb/distance.h"

#define TB_TREE_MAX 2000

/* Labels n isolates from the pairs (indexes < n) with snps <= threshold: cluster[i] is a
 * cluster number 1.. (numbered by their smallest member) or 0 for a singleton. *nclusters
 * counts clusters of two or more. */
int tb_clusters_single_linkage(size_t n, const struct tb_pair *pairs, size_t npairs,
                               uint32_t threshold, uint32_t *cluster, size_t *nclusters,
                               struct gs_err *err) GS_MUST_USE;

/* The neighbour-joining tree of n >= 1 isolates over dist (n*n, symmetric) with leaf names
 * (Newick-quoted when they hold special characters), as a malloc'd string ending in ";". */
int tb_tree_newick(size_t n, const double *dist, const char *const *names, char **out,
                   struct gs_err *err) GS_MUST_USE;

#endif
