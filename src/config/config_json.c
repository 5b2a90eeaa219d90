/*
 * config_json.c - reader of Kafka Connect connector JSON.
 *
 * Accepts what users POST to Kafka Connect's REST API, {"name": ..., "config": {...}}, and the
 * bare config object that PUT /connectors/<name>/config takes. Values may be strings, numbers or
 * booleans (stored as their string form, as Connect's converters would see them); null means
 * "not set". Objects and arrays as values are errors, since no connector property takes one.
 */
#include "config_kv.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* jansson's messages quote the input around the error ("... near '\"s3cret'"): that could be a
 * password, so only the part before the quote is kept. */
static void json_clean_message(const char *text, char *out, size_t out_size)
{
    const char *near = strstr(text, " near '");
    size_t n = near ? (size_t)(near - text) : strlen(text);

    if (n >= out_size)
        n = out_size - 1;
    memcpy(out, text, n);
    out[n] = '\0';
}

static void json_real_string(double d, char *out, size_t out_size)
{
    /* Shortest form that reads back the same double: 0.1 stays "0.1". */
    snprintf(out, out_size, "%.15g", d);
    if (strtod(out, NULL) != d)
        snprintf(out, out_size, "%.17g", d);
}

static pgcdc_err_t json_store_object(json_t *obj, const char *name, pgcdc_config_kv_t *kv,
                                     char *errstr, size_t errstr_size)
{
    const char *key;
    json_t *v;
    char num[64];

    json_object_foreach(obj, key, v)
    {
        switch (json_typeof(v)) {
        case JSON_STRING:
            pgcdc_config_kv_set(kv, key, json_string_value(v), name);
            break;
        case JSON_INTEGER:
            snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
            pgcdc_config_kv_set(kv, key, num, name);
            break;
        case JSON_REAL:
            json_real_string(json_real_value(v), num, sizeof(num));
            pgcdc_config_kv_set(kv, key, num, name);
            break;
        case JSON_TRUE:
            pgcdc_config_kv_set(kv, key, "true", name);
            break;
        case JSON_FALSE:
            pgcdc_config_kv_set(kv, key, "false", name);
            break;
        case JSON_NULL:
            break;
        default:
            return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                                 "%s: value of %s must be a string, number or boolean", name, key);
        }
    }
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_config_json_parse(const char *text, size_t len, const char *name,
                                    pgcdc_config_kv_t *kv, char *errstr, size_t errstr_size)
{
    json_error_t jerr;
    json_t *root, *config, *jname;
    pgcdc_err_t err = PGCDC_OK;
    char msg[JSON_ERROR_TEXT_LENGTH];

    root = json_loadb(text, len, 0, &jerr);
    if (!root) {
        json_clean_message(jerr.text, msg, sizeof(msg));
        return pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size, "%s:%d:%d: invalid JSON: %s",
                             name, jerr.line, jerr.column, msg);
    }
    if (!json_is_object(root)) {
        err = pgcdc_err_set(PGCDC_ERR_USAGE, errstr, errstr_size,
                            "%s: expected a JSON object (a connector or its config)", name);
        goto out;
    }
    config = json_object_get(root, "config");
    if (config && json_is_object(config)) {
        /* The wrapped form: only name and config mean something at the top. */
        jname = json_object_get(root, "name");
        if (jname && json_is_string(jname))
            pgcdc_config_kv_set(kv, "name", json_string_value(jname), name);
        err = json_store_object(config, name, kv, errstr, errstr_size);
    } else {
        err = json_store_object(root, name, kv, errstr, errstr_size);
    }
out:
    json_decref(root);
    return err;
}
