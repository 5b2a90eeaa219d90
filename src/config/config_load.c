/*
 * config_load.c - from a file to a typed config: read the file, pick the reader by the first
 * character that is not blank, apply the --set overrides in order, then validate
 * (pgcdc_config_from_kv).
 */
#include "config.h"
#include "buf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

pgcdc_err_t pgcdc_config_load_string(const char *text, size_t len, const char *name,
                                     const char *const *sets, int nsets, pgcdc_config_t **out,
                                     char *errstr, size_t errstr_size)
{
    pgcdc_config_kv_t *kv = pgcdc_config_kv_new();
    pgcdc_err_t err;
    size_t i = 0;
    int k;

    *out = NULL;
    /* A UTF-8 byte order mark is not content. */
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        text += 3;
        len -= 3;
    }
    while (i < len && pgcdc_config_kv_is_space(text[i]))
        i++;
    if (i < len && text[i] == '{')
        err = pgcdc_config_json_parse(text, len, name, kv, errstr, errstr_size);
    else
        err = pgcdc_config_props_parse(text, len, name, kv, errstr, errstr_size);
    for (k = 0; err == PGCDC_OK && k < nsets; k++)
        err = pgcdc_config_kv_apply_set(kv, sets[k], errstr, errstr_size);
    if (err != PGCDC_OK) {
        pgcdc_config_kv_free(kv);
        return err;
    }
    return pgcdc_config_from_kv(kv, out, errstr, errstr_size);
}

pgcdc_err_t pgcdc_config_load(const char *path, const char *const *sets, int nsets,
                              pgcdc_config_t **out, char *errstr, size_t errstr_size)
{
    pgcdc_buf_t text = PGCDC_BUF_INIT;
    pgcdc_err_t err;
    char chunk[8192];
    FILE *f;
    size_t n;

    *out = NULL;
    f = fopen(path, "rb");
    if (!f)
        return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                             "cannot open configuration file %s: %s", path, strerror(errno));
    while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
        pgcdc_buf_append(&text, chunk, n);
    if (ferror(f)) {
        err = pgcdc_err_set(PGCDC_ERR_RUNTIME, errstr, errstr_size,
                            "cannot read configuration file %s: %s", path, strerror(errno));
        goto out;
    }
    err = pgcdc_config_load_string(text.data ? text.data : "", text.len, path, sets, nsets, out,
                                   errstr, errstr_size);
out:
    fclose(f);
    pgcdc_buf_free(&text);
    return err;
}
