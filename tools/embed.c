/* embed.c — build-time tool: turns the files of the web UI (web/) into a C source file that
 * defines the web_assets table of src/http/web_assets.h, so the server is one binary.
 * It embeds only regular files directly in DIR (no subfolders, no dotfiles, no *.md documentation) and never runs at
 * server time.
 *
 *   usage: embed DIR OUT.c
 *
 * OUT.c is written to OUT.c.tmp and renamed, so a failed run never leaves a half file behind.
 * Every error is printed once as "embed: <file>: <why>" and the exit status is 1. */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Larger files do not belong in the binary; the limit also bounds the generated source. */
#define EMBED_MAX_FILE_SIZE ((size_t)4 * 1024 * 1024)
/* A web/ with more files than this is a mistake, not a UI. */
#define EMBED_MAX_FILES 1024
#define EMBED_MAX_NAME 128

struct embed_file {
    char name[EMBED_MAX_NAME + 1];
};

static int embed_fail(const char *file, const char *why)
{
    fprintf(stderr, "embed: %s: %s\n", file, why);
    return -1;
}

/* Names become URL paths and C string literals, so only a safe alphabet is accepted; this
 * avoids escaping and keeps URLs predictable. */
static int embed_name_is_safe(const char *name)
{
    size_t length = strlen(name);
    if (length == 0 || length > EMBED_MAX_NAME)
        return 0;
    for (size_t i = 0; i < length; i++) {
        char c = name[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '-' || c == '_';
        if (!ok)
            return 0;
    }
    return 1;
}

static int embed_extension_is(const char *name, const char *extension)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return 0;
    dot++;
    size_t length = strlen(extension);
    if (strlen(dot) != length)
        return 0;
    for (size_t i = 0; i < length; i++) {
        char c = dot[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != extension[i])
            return 0;
    }
    return 1;
}

static const char *embed_content_type(const char *name)
{
    static const struct {
        const char *extension;
        const char *content_type;
    } types[] = {
        {"html", "text/html; charset=utf-8"},
        {"js", "text/javascript; charset=utf-8"},
        {"css", "text/css; charset=utf-8"},
        {"svg", "image/svg+xml"},
        {"png", "image/png"},
        {"json", "application/json"},
        {"ico", "image/x-icon"},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (embed_extension_is(name, types[i].extension))
            return types[i].content_type;
    return "application/octet-stream";
}

/* 64-bit FNV-1a: not cryptographic, only a cache validator that changes with the content. */
static uint64_t embed_fnv1a(const unsigned char *data, size_t size)
{
    uint64_t hash = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < size; i++) {
        hash ^= data[i];
        hash *= UINT64_C(0x100000001b3);
    }
    return hash;
}

static int embed_compare_names(const void *a, const void *b)
{
    const struct embed_file *left = a, *right = b;
    return strcmp(left->name, right->name);
}

/* Fills files (caller-provided, EMBED_MAX_FILES entries) with the regular, non-dot files in
 * dir, sorted by name; *count receives how many. */
static int embed_list_dir(const char *dir, struct embed_file *files, size_t *count)
{
    DIR *handle = opendir(dir);
    if (!handle)
        return embed_fail(dir, strerror(errno));

    int result = 0;
    size_t n = 0;
    for (;;) {
        errno = 0;
        struct dirent *entry = readdir(handle);
        if (!entry) {
            if (errno != 0)
                result = embed_fail(dir, strerror(errno));
            break;
        }
        /* Dotfiles and the folder's own documentation (*.md) are not served. */
        size_t name_len = strlen(entry->d_name);
        if (entry->d_name[0] == '.' ||
            (name_len > 3 && strcmp(entry->d_name + name_len - 3, ".md") == 0))
            continue;

        char path[4096];
        int written = snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
        if (written < 0 || (size_t)written >= sizeof path) {
            result = embed_fail(entry->d_name, "path too long");
            break;
        }
        struct stat info;
        if (stat(path, &info) != 0) {
            result = embed_fail(path, strerror(errno));
            break;
        }
        if (!S_ISREG(info.st_mode))
            continue;
        if (!embed_name_is_safe(entry->d_name)) {
            result = embed_fail(path, "file name must be 1-128 characters of [A-Za-z0-9._-]");
            break;
        }
        if (n == EMBED_MAX_FILES) {
            result = embed_fail(dir, "too many files");
            break;
        }
        memcpy(files[n].name, entry->d_name, strlen(entry->d_name) + 1);
        n++;
    }
    closedir(handle);
    if (result != 0)
        return result;

    qsort(files, n, sizeof files[0], embed_compare_names);
    *count = n;
    return 0;
}

/* Reads the whole file at path into a new buffer (the caller frees *data), refusing files over
 * EMBED_MAX_FILE_SIZE. Reads one byte past the limit rather than trusting stat, since the
 * file may change between the two. */
static int embed_read_file(const char *path, unsigned char **data, size_t *size)
{
    FILE *in = fopen(path, "rb");
    if (!in)
        return embed_fail(path, strerror(errno));

    unsigned char *buffer = malloc(EMBED_MAX_FILE_SIZE + 1);
    if (!buffer) {
        fclose(in);
        return embed_fail(path, "out of memory");
    }
    size_t length = fread(buffer, 1, EMBED_MAX_FILE_SIZE + 1, in);
    int read_error = ferror(in);
    fclose(in);
    if (read_error) {
        free(buffer);
        return embed_fail(path, "read error");
    }
    if (length > EMBED_MAX_FILE_SIZE) {
        free(buffer);
        return embed_fail(path, "file is larger than 4 MiB");
    }
    *data = buffer;
    *size = length;
    return 0;
}

static void embed_write_bytes(FILE *out, const unsigned char *data, size_t size)
{
    if (size == 0) {
        /* A C array cannot be empty; the size field says 0. */
        fputs("    0x00\n", out);
        return;
    }
    for (size_t i = 0; i < size; i++) {
        fprintf(out, "%s0x%02x,", i % 16 == 0 ? "    " : " ", data[i]);
        if (i % 16 == 15 || i + 1 == size)
            fputc('\n', out);
    }
}

/* Writes the generated source for files (in dir) to out. Write errors are detected by the
 * caller with ferror/fclose. */
static int embed_write_source(FILE *out, const char *dir, const struct embed_file *files,
                              size_t count, uint64_t *etags, size_t *sizes)
{
    fputs("/* Generated by tools/embed.c from the web UI files. Do not edit. */\n"
          "#include \"http/web_assets.h\"\n\n",
          out);

    for (size_t i = 0; i < count; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, files[i].name);
        unsigned char *data = NULL;
        size_t size = 0;
        if (embed_read_file(path, &data, &size) != 0)
            return -1;
        etags[i] = embed_fnv1a(data, size);
        sizes[i] = size;
        fprintf(out, "/* %s, %zu bytes */\nstatic const unsigned char asset_%zu[] = {\n",
                files[i].name, size, i);
        embed_write_bytes(out, data, size);
        fputs("};\n\n", out);
        free(data);
    }

    fputs("const struct web_asset web_assets[] = {\n", out);
    for (size_t i = 0; i < count; i++)
        fprintf(out,
                "    {\"/%s\", \"%s\", asset_%zu, %zu, \"\\\"%016llx\\\"\"},\n",
                files[i].name, embed_content_type(files[i].name), i, sizes[i],
                (unsigned long long)etags[i]);
    /* A C array cannot be empty; web_asset_count stays 0 for an empty folder. */
    if (count == 0)
        fputs("    {0, 0, 0, 0, 0},\n", out);
    fprintf(out, "};\nconst size_t web_asset_count = %zu;\n", count);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fputs("usage: embed DIR OUT.c\n", stderr);
        return 2;
    }
    const char *dir = argv[1], *out_path = argv[2];

    char tmp_path[4096];
    int written = snprintf(tmp_path, sizeof tmp_path, "%s.tmp", out_path);
    if (written < 0 || (size_t)written >= sizeof tmp_path) {
        embed_fail(out_path, "path too long");
        return 1;
    }

    static struct embed_file files[EMBED_MAX_FILES];
    static uint64_t etags[EMBED_MAX_FILES];
    static size_t sizes[EMBED_MAX_FILES];
    size_t count = 0;
    if (embed_list_dir(dir, files, &count) != 0)
        return 1;

    FILE *out = fopen(tmp_path, "w");
    if (!out) {
        embed_fail(tmp_path, strerror(errno));
        return 1;
    }
    int result = embed_write_source(out, dir, files, count, etags, sizes);
    if (result == 0 && ferror(out))
        result = embed_fail(tmp_path, "write error");
    if (fclose(out) != 0 && result == 0)
        result = embed_fail(tmp_path, strerror(errno));
    if (result == 0 && rename(tmp_path, out_path) != 0)
        result = embed_fail(out_path, strerror(errno));
    if (result != 0) {
        remove(tmp_path);
        return 1;
    }
    return 0;
}
