/* tb_profile_speed.c — profiles per second from a VCF (issue 4, item 9): the reference and
 * catalogue are loaded once (as the server holds them), then the same sample VCF is profiled
 * RUNS times in one thread: read + name every allele + resistance + lineage. Prints the
 * per-profile time and profiles/s, and the result of the last profile so a wrong run shows.
 *   build/bench/tb_profile_speed DB VCF [RUNS]      (bench/tb-profile-speed makes DB) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/parse.h"
#include "store/store_tb.h"
#include "tb/profile.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: tb_profile_speed DB VCF [RUNS]\n");
        return 2;
    }
    int64_t runs = 50;
    struct gs_err err = {0};
    if (argc > 3 && parse_int64(argv[3], 1, 1000000, &runs, &err) != GS_OK) {
        fprintf(stderr, "tb_profile_speed: RUNS: %s\n", err.msg);
        return 2;
    }
    struct store *s = NULL;
    struct tb_ref *ref = NULL;
    struct tb_catalogue *c = NULL;
    double t0 = now();
    if (store_open_existing(argv[1], &s, &err) != GS_OK ||
        store_tb_reference_load(s, &ref, &err) != GS_OK ||
        tb_catalogue_open(s, NULL, &c, &err) != GS_OK) {
        fprintf(stderr, "tb_profile_speed: %s\n", err.msg);
        return 1;
    }
    double t1 = now();
    struct tb_profile_options opt;
    tb_profile_options_default(&opt);
    struct tb_profile_report p = {0};
    double t2 = now();
    for (int64_t i = 0; i < runs; i++) {
        tb_profile_report_clear(&p);
        if (tb_profile_vcf(ref, c, argv[2], NULL, &opt, &p, &err) != GS_OK) {
            fprintf(stderr, "tb_profile_speed: %s\n", err.msg);
            return 1;
        }
    }
    double t3 = now();
    printf("load_reference_and_catalogue_seconds\t%.3f\n", t1 - t0);
    printf("records_per_vcf\t%zu\nnamed_alleles\t%zu\n", p.records, p.nvariants);
    printf("runs\t%lld\nseconds_per_profile\t%.4f\nprofiles_per_second\t%.1f\n", (long long)runs,
           (t3 - t2) / (double)runs, (double)runs / (t3 - t2));
    printf("result\t%s %s %s\n", p.lineage.sub_lineage,
           tb_resistance_type_name(p.resistance.type), p.catalogue);
    tb_profile_report_clear(&p);
    tb_catalogue_free(c);
    tb_ref_free(ref);
    store_close(s);
    return 0;
}
