/* test_core.c — the error table, bounded buffers, number/date/name parsing, the model's
 * names and the option parser: the checks every input edge relies on. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/model.h"
#include "core/parse.h"

static void test_errors(struct check_state *st)
{
    CHECK(st, gs_error_http_status(GS_ENOTFOUND) == 404, "error: not found is 404");
    CHECK(st, gs_error_http_status(GS_ETOOBIG) == 413, "error: too big is 413");
    CHECK(st, gs_error_http_status(GS_EMEDIA) == 415, "error: media type is 415");
    CHECK(st, gs_error_exit_code(GS_EUSAGE) == 2 && gs_error_exit_code(GS_EIO) == 1,
          "error: exit codes 2 for usage, 1 for failures");
    CHECK(st, strcmp(gs_error_name(12345), "internal_error") == 0, "error: unknown code maps");
    struct gs_err e = {0};
    gs_err_set(&e, GS_EINVAL, "first %d", 1);
    gs_err_set(&e, GS_EIO, "second");
    CHECK(st, e.code == GS_EINVAL && strcmp(e.msg, "first 1") == 0,
          "error: the first message recorded wins");
}

static void test_buf(struct check_state *st)
{
    struct gs_buf b;
    buf_init(&b, 8);
    CHECK(st, buf_append(&b, "12345678", 8) == GS_OK && b.len == 8, "buf: fills to its max");
    CHECK(st, buf_append(&b, "9", 1) == GS_ETOOBIG && b.len == 8, "buf: refuses past max");
    CHECK(st, strcmp(b.data, "12345678") == 0, "buf: content kept after refusal");
    buf_reset(&b);
    CHECK(st, buf_printf(&b, "%d-%s", 42, "x") == GS_OK && strcmp(b.data, "42-x") == 0,
          "buf: printf");
    CHECK(st, buf_printf(&b, "%s", "too long text") == GS_ETOOBIG, "buf: printf bounded");
    buf_free(&b);
    buf_init(&b, 16);
    CHECK(st, buf_append(&b, "x", (size_t)-1) == GS_ETOOBIG, "buf: huge length refused");
    buf_free(&b);
}

static void test_write_temp(struct check_state *st)
{
    static const char data[] = "##fileformat=VCFv4.2\n\0binary tail";
    char path[512], back[sizeof data];
    struct gs_err err = {0};
    int rc = buf_write_temp(data, sizeof data, "test", path, sizeof path, &err);
    CHECK(st, rc == GS_OK && strstr(path, "genoshare-test.") != NULL, "write_temp: created (%s)",
          err.msg);
    if (rc != GS_OK)
        return;
    struct stat sb;
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(back, 1, sizeof back, f) : 0;
    if (f)
        fclose(f);
    CHECK(st, n == sizeof data && memcmp(back, data, n) == 0, "write_temp: the same bytes back");
    CHECK(st, stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600, "write_temp: private (0600)");
    unlink(path);
}

static void test_parse(struct check_state *st)
{
    int64_t v = 0;
    struct gs_err e = {0};
    CHECK(st, parse_int64("42", 0, 100, &v, &e) == GS_OK && v == 42, "parse: 42");
    CHECK(st, parse_int64("101", 0, 100, &v, &e) == GS_EINVAL, "parse: above range");
    CHECK(st, parse_int64("-1", 0, 100, &v, &e) == GS_EINVAL, "parse: below range");
    CHECK(st, parse_int64("12abc", 0, 100, &v, &e) == GS_EINVAL, "parse: trailing junk");
    CHECK(st, parse_int64("", 0, 100, &v, &e) == GS_EINVAL, "parse: empty");
    CHECK(st, parse_int64(" 5", 0, 100, &v, &e) == GS_EINVAL, "parse: leading space");
    CHECK(st, parse_int64("99999999999999999999", 0, INT64_MAX, &v, &e) == GS_EINVAL,
          "parse: overflow");
    time_t t;
    CHECK(st, parse_utc_time("2026-02-28", &t, &e) == GS_OK && t == 1772236800,
          "parse: date is UTC midnight");
    CHECK(st, parse_utc_time("2026-02-30", &t, &e) == GS_EINVAL, "parse: Feb 30 refused");
    CHECK(st, parse_utc_time("2026-13-01", &t, &e) == GS_EINVAL, "parse: month 13 refused");
    CHECK(st, parse_utc_time("2026-01-01T10:00:00Z", &t, &e) == GS_OK && t == 1767261600,
          "parse: full timestamp");
    CHECK(st, parse_utc_time("2026-01-01 10:00", &t, &e) == GS_EINVAL, "parse: other forms");
    char text[21];
    format_utc_time(1767261600, text);
    CHECK(st, strcmp(text, "2026-01-01T10:00:00Z") == 0, "parse: format round trip");
    CHECK(st, parse_is_name("kyoto-u.lab_1"), "parse: name ok");
    CHECK(st, !parse_is_name("-x") && !parse_is_name("") && !parse_is_name("a b") &&
                  !parse_is_name("a/b") && !parse_is_name("日本"),
          "parse: bad names refused");
    char long_name[70];
    memset(long_name, 'a', 65);
    long_name[65] = '\0';
    CHECK(st, !parse_is_name(long_name), "parse: 65-character name refused");
}

static void test_model(struct check_state *st)
{
    enum tier t;
    enum scope s;
    enum data_type d;
    struct gs_err e = {0};
    CHECK(st, tier_parse("controlled", &t, &e) == GS_OK && t == TIER_CONTROLLED, "model: tier");
    CHECK(st, tier_parse("secret", &t, &e) == GS_EINVAL && strstr(e.msg, "restricted"),
          "model: unknown tier lists the accepted ones");
    CHECK(st, scope_parse("domestic", &s, &e) == GS_OK && s == SCOPE_DOMESTIC, "model: scope");
    CHECK(st, data_type_parse("microbial_genomes", &d, &e) == GS_OK && d == DATA_MICROBIAL,
          "model: data type");
    for (int i = 0; i < DATA_TYPE_COUNT; i++)
        CHECK(st, data_type_parse(data_type_name((enum data_type)i), &d, &e) == GS_OK &&
                      (int)d == i, "model: data type %d round trip", i);
    unsigned roles;
    CHECK(st, roles_parse("member,dac", &roles, &e) == GS_OK && roles == (ROLE_MEMBER | ROLE_DAC),
          "model: roles");
    gs_err_clear(&e);
    CHECK(st, roles_parse("member,,dac", &roles, &e) == GS_EINVAL, "model: empty role refused");
    gs_err_clear(&e);
    CHECK(st, roles_parse("member,king", &roles, &e) == GS_EINVAL && strstr(e.msg, "king"),
          "model: unknown role named");
    char text[64];
    roles_format(ROLE_ALL, text, sizeof text);
    CHECK(st, strcmp(text, "member,submitter,curator,dac,admin") == 0, "model: roles format");
}

static void test_cli(struct check_state *st)
{
    struct cli_option o[] = {
        {"db", "FILE", "", NULL, 0, NULL, 0, 0},
        {"flag", NULL, "", NULL, 0, NULL, 0, 0},
    };
    struct cli_args a;
    struct gs_err e = {0};
    char *argv1[] = {"pos", "--db", "x.db", "--flag", "--", "--not-an-option"};
    CHECK(st, cli_parse(6, argv1, o, 2, &a, &e) == GS_OK && strcmp(o[0].value, "x.db") == 0 &&
                  o[1].value != NULL && a.npositional == 2 &&
                  strcmp(a.positional[1], "--not-an-option") == 0,
          "cli: options, flag, positional and --");
    o[0].value = o[1].value = NULL;
    char *argv2[] = {"--db=y.db"};
    CHECK(st, cli_parse(1, argv2, o, 2, &a, &e) == GS_OK && strcmp(o[0].value, "y.db") == 0,
          "cli: --name=value");
    char *argv3[] = {"--db"};
    gs_err_clear(&e);
    CHECK(st, cli_parse(1, argv3, o, 2, &a, &e) == GS_EUSAGE && strstr(e.msg, "--db"),
          "cli: missing value names the option");
    char *argv4[] = {"--nope"};
    gs_err_clear(&e);
    CHECK(st, cli_parse(1, argv4, o, 2, &a, &e) == GS_EUSAGE && strstr(e.msg, "--nope"),
          "cli: unknown option named");
    char *argv5[] = {"--flag=1"};
    gs_err_clear(&e);
    CHECK(st, cli_parse(1, argv5, o, 2, &a, &e) == GS_EUSAGE, "cli: flag takes no value");
    char *argv6[] = {"--help"};
    CHECK(st, cli_parse(1, argv6, o, 2, &a, &e) == CLI_HELP, "cli: --help");
}

int main(void)
{
    struct check_state st = {0};
    test_errors(&st);
    test_buf(&st);
    test_write_temp(&st);
    test_parse(&st);
    test_model(&st);
    test_cli(&st);
    return check_finish(&st);
}
