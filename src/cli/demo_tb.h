/* demo_tb.h — the tuberculosis part of `genoshare demo` (issue 4): with the public data
 * directory, the H37Rv reference (genes, barcode, mask), the WHO 2023 catalogue with its
 * rules, WHO's 800 dev isolates with their lab phenotypes (for the marker search), and a
 * small set of genome isolates for the isolate pages and the transmission clusters.
 *
 * Decisions:
 *   - Everything goes through the calls the CLI makes (tb_ref_load_files,
 *     store_tb_reference_replace, tb_catalogue_save, isolates_set_mask, isolates_import),
 *     as the operator, so the audit trail shows the same rows.
 *   - The genome isolates are the real por5A1 isolate (TB-Profiler's test data) and
 *     isolates derived from it here: copies with a few extra SNPs at unmasked, covered
 *     positions (the reference base as REF), drawn by a fixed-seed generator, so that the
 *     clusters at 5 and 12 SNPs and the tree are the same on every run. They are labelled
 *     "derived for the demo" in their source field: they are not real patients.
 *   - Both datasets are restricted to the tb-asia consortium (snuh, carol; alice).
 *   - Without the data directory nothing is loaded. */
#ifndef GS_CLI_DEMO_TB_H
#define GS_CLI_DEMO_TB_H

#include "audit/audit.h"
#include "store/store.h"

/* Loads the TB demo data from data_dir (NULL or missing files: nothing, GS_OK) and prints
 * one summary line. */
int tb_demo_fill(struct store *s, const struct actor *by, const char *data_dir,
                 struct gs_err *err) GS_MUST_USE;

#endif
