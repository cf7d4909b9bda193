/* hpo_obo.c — a small OBO 1.2/1.4 reader for hp.obo: the header's data-version and the
 * [Term] stanzas' id, name, is_a, alt_id, is_obsolete, replaced_by, consider and synonym.
 * Other tags and other stanzas ([Typedef], [Instance]) are skipped; terms whose id is not
 * an HP id are not ours and are skipped whole. Errors name the file and line. */
#include <stdlib.h>
#include <string.h>

#include "pheno/hpo_internal.h"

struct obo_link {
    enum hpo__link_kind kind;
    uint32_t to;
    int line;
};

/* The [Term] being read: emitted when the next stanza starts or the file ends, because
 * OBO does not require id to come first. */
struct stanza {
    int line; /* of the "[Term]" header; 0 when no term is open */
    bool has_id, is_hp, obsolete;
    uint32_t number;
    const char *name;
    struct obo_link *links;
    size_t nlinks, cap;
    const char **synonyms;
    size_t nsynonyms, capsyn;
};

static int stanza_emit(struct hpo *h, const char *path, struct stanza *s, struct gs_err *err)
{
    int rc = GS_OK;
    if (s->line == 0)
        return GS_OK;
    if (!s->has_id)
        rc = gs_err_set(err, GS_EINVAL, "%s:%d: [Term] without an id", path, s->line);
    else if (s->is_hp)
        rc = hpo__add_term(h, s->number, s->name ? s->name : "", s->obsolete, s->line, err);
    for (size_t i = 0; rc == GS_OK && s->is_hp && i < s->nlinks; i++)
        rc = hpo__add_link(h, s->links[i].kind, s->number, s->links[i].to, s->links[i].line, err);
    for (size_t i = 0; rc == GS_OK && s->is_hp && i < s->nsynonyms; i++)
        rc = hpo__add_synonym(h, s->number, s->synonyms[i], err);
    s->line = 0;
    s->has_id = s->is_hp = s->obsolete = false;
    s->name = NULL;
    s->nlinks = s->nsynonyms = 0;
    return rc;
}

/* Undoes OBO's backslash escapes in place (\" \\ \n \t; others keep the character). */
static void unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r == '\\' && r[1] != '\0') {
            r++;
            *w++ = *r == 'n' ? '\n' : *r == 't' ? '\t' : *r;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

/* The first word of value (ids: "HP:0000118 ! Phenotypic abnormality" → "HP:0000118"). */
static char *first_word(char *value)
{
    value[strcspn(value, " \t")] = '\0';
    return value;
}

/* synonym: "text" SCOPE [TYPE] [xrefs] — the quoted text, unescaped in place. */
static char *synonym_text(char *value)
{
    if (*value != '"')
        return NULL;
    char *p = value + 1;
    for (; *p && *p != '"'; p++)
        if (*p == '\\' && p[1] != '\0')
            p++;
    if (*p != '"')
        return NULL;
    *p = '\0';
    unescape(value + 1);
    return value + 1;
}

static int add_link(struct stanza *s, enum hpo__link_kind kind, uint32_t to, int line,
                    struct gs_err *err)
{
    if (s->nlinks == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        struct obo_link *p = realloc(s->links, cap * sizeof *p);
        if (p == NULL)
            return gs_err_set(err, GS_ENOMEM, "hpo: out of memory");
        s->links = p;
        s->cap = cap;
    }
    s->links[s->nlinks++] = (struct obo_link){kind, to, line};
    return GS_OK;
}

static int add_synonym(struct stanza *s, const char *text, struct gs_err *err)
{
    if (s->nsynonyms == s->capsyn) {
        size_t cap = s->capsyn ? s->capsyn * 2 : 16;
        const char **p = realloc(s->synonyms, cap * sizeof *p);
        if (p == NULL)
            return gs_err_set(err, GS_ENOMEM, "hpo: out of memory");
        s->synonyms = p;
        s->capsyn = cap;
    }
    s->synonyms[s->nsynonyms++] = text;
    return GS_OK;
}

/* One "tag: value" line inside a [Term]. */
static int term_tag(struct stanza *s, const char *path, int line, const char *tag, char *value,
                    struct gs_err *err)
{
    static const struct {
        const char *tag;
        enum hpo__link_kind kind;
    } links[] = {{"is_a", HPO_LINK_IS_A},
                 {"alt_id", HPO_LINK_ALT_ID},
                 {"replaced_by", HPO_LINK_REPLACED_BY},
                 {"consider", HPO_LINK_CONSIDER}};
    if (strcmp(tag, "id") == 0) {
        if (s->has_id)
            return gs_err_set(err, GS_EINVAL, "%s:%d: a second id in one [Term]", path, line);
        s->has_id = true;
        s->is_hp = hpo_id_parse(first_word(value), &s->number);
        return GS_OK;
    }
    if (strcmp(tag, "name") == 0) {
        unescape(value);
        s->name = value;
        return GS_OK;
    }
    if (strcmp(tag, "is_obsolete") == 0) {
        first_word(value);
        if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0)
            return gs_err_set(err, GS_EINVAL, "%s:%d: is_obsolete must be true or false, not "
                              "'%.40s'", path, line, value);
        s->obsolete = value[0] == 't';
        return GS_OK;
    }
    if (strcmp(tag, "synonym") == 0) {
        const char *text = synonym_text(value);
        if (text == NULL)
            return gs_err_set(err, GS_EINVAL, "%s:%d: synonym without a quoted text", path, line);
        return text[0] ? add_synonym(s, text, err) : GS_OK;
    }
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        if (strcmp(tag, links[i].tag) != 0)
            continue;
        uint32_t to;
        const char *id = first_word(value);
        /* a link to another ontology's term (is_a BFO:…) is not ours */
        if (strncmp(id, "HP:", 3) != 0)
            return GS_OK;
        if (!hpo_id_parse(id, &to))
            return gs_err_set(err, GS_EINVAL, "%s:%d: %s '%.40s' is not an HP id", path, line,
                              tag, id);
        return add_link(s, links[i].kind, to, line, err);
    }
    return GS_OK; /* def, xref, comment, subset, property_value…: not needed */
}

static int parse_lines(struct hpo *h, const char *path, char *text, struct stanza *s,
                       struct gs_err *err)
{
    bool in_term = false, in_header = true;
    int line = 0;
    char *p = text;
    while (*p) {
        char *eol = strchr(p, '\n');
        char *next = eol ? eol + 1 : p + strlen(p);
        if (eol)
            *eol = '\0';
        line++;
        size_t n = strlen(p);
        while (n > 0 && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
            p[--n] = '\0';
        char *l = p;
        p = next;
        while (*l == ' ' || *l == '\t')
            l++;
        if (*l == '\0' || *l == '!')
            continue;
        if (*l == '[') {
            int rc = stanza_emit(h, path, s, err);
            if (rc != GS_OK)
                return rc;
            if (strchr(l, ']') == NULL)
                return gs_err_set(err, GS_EINVAL, "%s:%d: stanza header without ']'", path, line);
            in_header = false;
            in_term = strncmp(l, "[Term]", 6) == 0;
            if (in_term)
                s->line = line;
            continue;
        }
        char *colon = strchr(l, ':');
        if (colon == NULL)
            return gs_err_set(err, GS_EINVAL, "%s:%d: expected 'tag: value', got '%.40s'", path,
                              line, l);
        *colon = '\0';
        char *value = colon + 1;
        while (*value == ' ' || *value == '\t')
            value++;
        if (in_header && strcmp(l, "data-version") == 0) {
            int rc = hpo__set_version(h, value, err);
            if (rc != GS_OK)
                return rc;
        } else if (in_term) {
            int rc = term_tag(s, path, line, l, value, err);
            if (rc != GS_OK)
                return rc;
        }
    }
    return stanza_emit(h, path, s, err);
}

int hpo__parse_obo(const char *path, char *text, struct hpo **out, struct gs_err *err)
{
    struct hpo *h = NULL;
    struct stanza s = {0};
    int rc = hpo__begin(&h, err);
    if (rc == GS_OK)
        rc = parse_lines(h, path, text, &s, err);
    if (rc == GS_OK)
        rc = hpo__finish(h, path, err);
    free(s.links);
    free(s.synonyms);
    if (rc != GS_OK) {
        hpo_free(h);
        return rc;
    }
    *out = h;
    return GS_OK;
}
