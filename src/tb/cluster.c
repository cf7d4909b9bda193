/* cluster.c — single-linkage transmission clusters (union–find) and the neighbour-joining
 * tree in Newick (see cluster.h). */
#include "tb/cluster.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

static uint32_t find_root(uint32_t *parent, uint32_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

int tb_clusters_single_linkage(size_t n, const struct tb_pair *pairs, size_t npairs,
                               uint32_t threshold, uint32_t *cluster, size_t *nclusters,
                               struct gs_err *err)
{
    uint32_t *parent = malloc((n ? n : 1) * sizeof *parent);
    uint32_t *size = calloc(n ? n : 1, sizeof *size);
    if (parent == NULL || size == NULL) {
        free(parent), free(size);
        return gs_err_set(err, GS_ENOMEM, "out of memory for clusters");
    }
    for (size_t i = 0; i < n; i++)
        parent[i] = (uint32_t)i;
    for (size_t k = 0; k < npairs; k++) {
        if (pairs[k].snps > threshold || pairs[k].i >= n || pairs[k].j >= n)
            continue;
        uint32_t a = find_root(parent, pairs[k].i), b = find_root(parent, pairs[k].j);
        if (a != b) /* the smaller index stays the root: numbering by smallest member */
            parent[a > b ? a : b] = a < b ? a : b;
    }
    for (size_t i = 0; i < n; i++)
        size[find_root(parent, (uint32_t)i)]++;
    /* number clusters by their smallest member, which is the root and comes first */
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = find_root(parent, (uint32_t)i);
        if (size[r] < 2)
            cluster[i] = 0;
        else if (r == i)
            cluster[i] = (uint32_t)++count;
        else
            cluster[i] = cluster[r];
    }
    *nclusters = count;
    free(parent);
    free(size);
    return GS_OK;
}

/* ---- neighbour joining ---- */

struct node {
    int left, right;   /* children (-1 for a leaf) */
    double lleft, lright;
};

static int write_name(struct gs_buf *b, const char *name)
{
    if (strpbrk(name, " ()[]':;,\t\n") == NULL && name[0] != '\0')
        return buf_printf(b, "%s", name);
    int rc = buf_append(b, "'", 1);
    for (const char *p = name; rc == GS_OK && *p; p++)
        rc = *p == '\'' ? buf_append(b, "''", 2) : buf_append(b, p, 1);
    return rc == GS_OK ? buf_append(b, "'", 1) : rc;
}

static int write_node(struct gs_buf *b, const struct node *nodes, size_t n, int id,
                      const char *const *names)
{
    if ((size_t)id < n)
        return write_name(b, names[id]);
    const struct node *x = &nodes[id];
    int rc = buf_append(b, "(", 1);
    if (rc == GS_OK)
        rc = write_node(b, nodes, n, x->left, names);
    if (rc == GS_OK)
        rc = buf_printf(b, ":%.4g,", x->lleft);
    if (rc == GS_OK)
        rc = write_node(b, nodes, n, x->right, names);
    if (rc == GS_OK)
        rc = buf_printf(b, ":%.4g)", x->lright);
    return rc;
}

int tb_tree_newick(size_t n, const double *dist, const char *const *names, char **out,
                   struct gs_err *err)
{
    if (n < 1 || n > TB_TREE_MAX)
        return gs_err_set(err, GS_EINVAL, "a tree needs 1 to %d isolates (got %zu)", TB_TREE_MAX,
                          n);
    size_t total = 2 * n;
    struct node *nodes = calloc(total, sizeof *nodes);
    double *D = malloc(n * n * sizeof *D), *r = calloc(n, sizeof *r);
    int *id = malloc(n * sizeof *id);
    struct gs_buf b;
    buf_init(&b, (size_t)64 << 20);
    int rc = GS_OK;
    if (nodes == NULL || D == NULL || r == NULL || id == NULL)
        rc = gs_err_set(err, GS_ENOMEM, "out of memory for the tree");
    if (rc == GS_OK) {
        memcpy(D, dist, n * n * sizeof *D);
        for (size_t i = 0; i < n; i++)
            id[i] = (int)i, nodes[i].left = nodes[i].right = -1;
    }
    size_t m = n, next = n;
    while (rc == GS_OK && m > 2) {
        for (size_t i = 0; i < m; i++) {
            r[i] = 0;
            for (size_t k = 0; k < m; k++)
                r[i] += D[i * n + k];
        }
        size_t bi = 0, bj = 1;
        double best = INFINITY;
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < i; j++) {
                double q = (double)(m - 2) * D[i * n + j] - r[i] - r[j];
                if (q < best)
                    best = q, bi = j, bj = i;
            }
        double dij = D[bi * n + bj];
        double li = dij / 2 + (r[bi] - r[bj]) / (2.0 * (double)(m - 2));
        double lj = dij - li;
        struct node *u = &nodes[next];
        u->left = id[bi], u->right = id[bj];
        u->lleft = li > 0 ? li : 0, u->lright = lj > 0 ? lj : 0;
        for (size_t k = 0; k < m; k++) { /* row bi becomes the new node */
            double x = (D[bi * n + k] + D[bj * n + k] - dij) / 2;
            D[bi * n + k] = D[k * n + bi] = x;
        }
        D[bi * n + bi] = 0;
        id[bi] = (int)next++;
        size_t last = m - 1; /* row bj is dropped: the last row moves into it */
        if (bj != last) {
            for (size_t k = 0; k < m; k++)
                D[bj * n + k] = D[last * n + k];
            for (size_t k = 0; k < m; k++)
                D[k * n + bj] = D[k * n + last];
            D[bj * n + bj] = 0;
            id[bj] = id[last];
        }
        m--;
    }
    if (rc == GS_OK && n == 1)
        rc = write_name(&b, names[0]);
    else if (rc == GS_OK) {
        /* the last two nodes: an unrooted tree is written with a three-way top node (the
         * internal one's two children and the other node), as NJ programs do */
        double dij = D[0 * n + 1] > 0 ? D[0 * n + 1] : 0;
        int in = id[0] >= (int)n ? id[0] : id[1], other = in == id[0] ? id[1] : id[0];
        if (in < (int)n) { /* two leaves: n == 2 */
            struct node *root = &nodes[next];
            root->left = id[0], root->right = id[1];
            root->lleft = root->lright = dij / 2;
            rc = write_node(&b, nodes, n, (int)next, names);
        } else {
            const struct node *u = &nodes[in];
            rc = buf_append(&b, "(", 1);
            if (rc == GS_OK)
                rc = write_node(&b, nodes, n, u->left, names);
            if (rc == GS_OK)
                rc = buf_printf(&b, ":%.4g,", u->lleft);
            if (rc == GS_OK)
                rc = write_node(&b, nodes, n, u->right, names);
            if (rc == GS_OK)
                rc = buf_printf(&b, ":%.4g,", u->lright);
            if (rc == GS_OK)
                rc = write_node(&b, nodes, n, other, names);
            if (rc == GS_OK)
                rc = buf_printf(&b, ":%.4g)", dij);
        }
    }
    if (rc == GS_OK)
        rc = buf_append(&b, ";", 1);
    if (rc == GS_OK)
        *out = buf_steal(&b);
    else
        gs_err_set(err, rc, "cannot write the tree");
    buf_free(&b);
    free(nodes), free(D), free(r), free(id);
    return rc;
}
