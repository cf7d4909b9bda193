/* routes.c — the route tables the server searches, in order. A capability adds its
 * table here (and declares it in request.h). URLs under a table's prefix are API calls;
 * a table may give errors its protocol's own shape. */
#include "http/request.h"

const struct route_table api_route_tables[] = {
    {api_routes, &api_route_count, "/api/", NULL},
    {dmp_routes, &dmp_route_count, "/api/", NULL},
    {request_routes, &request_route_count, "/api/", NULL},
    {passport_routes, &passport_route_count, "/api/", NULL},
    {case_routes, &case_route_count, "/api/", NULL},
    {match_routes, &match_route_count, "/api/", NULL},
    {diagnose_routes, &diagnose_route_count, "/api/", NULL},
    {hpo_routes, &hpo_route_count, "/api/", NULL},
    {inbox_routes, &inbox_route_count, "/api/", NULL},
    {variant_routes, &variant_route_count, "/api/", NULL},
    {variant_search_routes, &variant_search_route_count, "/api/", NULL},
    {source_routes, &source_route_count, "/api/", NULL},
    {tb_routes, &tb_route_count, "/api/", NULL},
    {isolate_routes, &isolate_route_count, "/api/", NULL},
    {mme_routes, &mme_route_count, "/mme/", mme_error_body},
    {beacon_routes, &beacon_route_count, "/beacon/", beacon_error_body},
};
const size_t api_route_table_count = sizeof api_route_tables / sizeof api_route_tables[0];
