/*
 * config_dsn.c - the two renderings of the connection settings: the libpq conninfo string,
 * which holds the password and goes only to libpq, and the one-line description for logs, in
 * which every secret is "***".
 */
#include "config.h"
#include "buf.h"
#include "secret.h"

#include <stdio.h>

/* libpq conninfo quoting: single quotes, with ' and \ escaped by a backslash. */
static void config_dsn_put(pgcdc_buf_t *out, const char *key, const char *value)
{
    const char *s;

    if (!value || !*value)
        return;
    if (out->len && out->data[out->len - 1] != ' ')
        pgcdc_buf_putc(out, ' ');
    pgcdc_buf_puts(out, key);
    pgcdc_buf_puts(out, "='");
    for (s = value; *s; s++) {
        if (*s == '\'' || *s == '\\')
            pgcdc_buf_putc(out, '\\');
        pgcdc_buf_putc(out, *s);
    }
    pgcdc_buf_putc(out, '\'');
}

void pgcdc_config_dsn(const pgcdc_config_t *cfg, int replication, pgcdc_buf_t *out)
{
    char port[16];

    snprintf(port, sizeof(port), "%d", cfg->database_port);
    config_dsn_put(out, "host", cfg->database_hostname);
    config_dsn_put(out, "port", port);
    config_dsn_put(out, "dbname", cfg->database_dbname);
    config_dsn_put(out, "user", cfg->database_user);
    config_dsn_put(out, "password", cfg->database_password);
    config_dsn_put(out, "sslmode", cfg->database_sslmode_name);
    config_dsn_put(out, "application_name", "pgcdc");
    if (replication)
        config_dsn_put(out, "replication", "database");
}

void pgcdc_config_describe(const pgcdc_config_t *cfg, pgcdc_buf_t *out)
{
    static const char *const snapshot_names[] = {"initial", "no_data", "initial_only", "always",
                                                 "when_needed"};
    static const char *const publication_names[] = {"all_tables", "disabled", "filtered",
                                                    "no_tables"};
    const char *name, *value;
    size_t i;

    pgcdc_buf_printf(out, "postgres host=%s port=%d dbname=%s user=%s",
                     cfg->database_hostname ? cfg->database_hostname : "(default)",
                     cfg->database_port, cfg->database_dbname ? cfg->database_dbname : "(default)",
                     cfg->database_user ? cfg->database_user : "(default)");
    if (cfg->database_password)
        pgcdc_buf_puts(out, " password=***");
    pgcdc_buf_printf(out,
                     " sslmode=%s slot=%s publication=%s (%s) snapshot.mode=%s topic.prefix=%s",
                     cfg->database_sslmode_name, cfg->slot_name, cfg->publication_name,
                     publication_names[cfg->publication_autocreate_mode],
                     snapshot_names[cfg->snapshot_mode], cfg->topic_prefix);
    if (cfg->table_include_list)
        pgcdc_buf_printf(out, " table.include.list=%s", cfg->table_include_list);
    if (cfg->table_exclude_list)
        pgcdc_buf_printf(out, " table.exclude.list=%s", cfg->table_exclude_list);
    pgcdc_buf_printf(out, " sink=%s", cfg->sink_type == PGCDC_SINK_KAFKA ? "kafka" : "stdout");
    for (i = 0; i < pgcdc_config_kafka_count(cfg); i++) {
        pgcdc_config_kafka_at(cfg, i, &name, &value);
        pgcdc_buf_printf(out, " kafka.%s=%s", name, pgcdc_secret_key(name) ? "***" : value);
    }
}
