/*
 * config_check_database.c - the validation steps of the connection (database.*) and of
 * replication: the decoding plugin, the slot, the publication and the snapshot.
 */
#include "config_int.h"
#include "log.h"

#include <limits.h>
#include <string.h>
#include <strings.h>

static const config_enum_t config_sslmodes[] = {
    {"disable", PGCDC_SSLMODE_DISABLE},
    {"allow", PGCDC_SSLMODE_ALLOW},
    {"prefer", PGCDC_SSLMODE_PREFER},
    {"require", PGCDC_SSLMODE_REQUIRE},
    {"verify-ca", PGCDC_SSLMODE_VERIFY_CA},
    {"verify-full", PGCDC_SSLMODE_VERIFY_FULL},
    {NULL, 0},
};

static const char *const config_sslmode_names[] = {
    "disable", "allow", "prefer", "require", "verify-ca", "verify-full",
};

static const config_enum_t config_snapshot_modes[] = {
    {"initial", PGCDC_SNAPSHOT_INITIAL},
    {"no_data", PGCDC_SNAPSHOT_NO_DATA},
    {"never", PGCDC_SNAPSHOT_NO_DATA},
    {"initial_only", PGCDC_SNAPSHOT_INITIAL_ONLY},
    {"always", PGCDC_SNAPSHOT_ALWAYS},
    {"when_needed", PGCDC_SNAPSHOT_WHEN_NEEDED},
    {NULL, 0},
};

static const config_enum_t config_publication_modes[] = {
    {"all_tables", PGCDC_PUBLICATION_ALL_TABLES},
    {"disabled", PGCDC_PUBLICATION_DISABLED},
    {"filtered", PGCDC_PUBLICATION_FILTERED},
    {"no_tables", PGCDC_PUBLICATION_NO_TABLES},
    {NULL, 0},
};

pgcdc_err_t pgcdc_config_check_database(config_ctx_t *c)
{
    pgcdc_config_t *cfg = c->cfg;
    pgcdc_err_t err;
    int mode;

    pgcdc_config_value_string(c, "database.hostname", NULL, &cfg->database_hostname);
    pgcdc_config_value_string(c, "database.user", NULL, &cfg->database_user);
    pgcdc_config_value_string(c, "database.dbname", NULL, &cfg->database_dbname);
    /* A password may legitimately start or end with blanks: taken as written. */
    cfg->database_password = pgcdc_config_kv_get(c->p->kv, "database.password");
    if ((err = pgcdc_config_value_int(c, "database.port", 5432, 1, 65535, &cfg->database_port)))
        return err;
    if ((err = pgcdc_config_value_enum(c, "database.sslmode", config_sslmodes, PGCDC_SSLMODE_PREFER,
                                       "disable, allow, prefer, require, verify-ca or verify-full",
                                       &mode)))
        return err;
    cfg->database_sslmode = (pgcdc_sslmode_t)mode;
    cfg->database_sslmode_name = config_sslmode_names[mode];
    return PGCDC_OK;
}

pgcdc_err_t pgcdc_config_check_replication(config_ctx_t *c)
{
    pgcdc_config_t *cfg = c->cfg;
    const char *v, *s;
    pgcdc_err_t err;
    int mode;

    v = pgcdc_config_value_get(c, "plugin.name");
    if (v && !strcasecmp(v, "decoderbufs"))
        return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                             "%s: plugin.name 'decoderbufs' is not supported by pgcdc "
                             "(only pgoutput)",
                             pgcdc_config_value_source(c, "plugin.name"));
    if (v && strcasecmp(v, "pgoutput"))
        return pgcdc_config_value_invalid(c, "plugin.name", v, "pgoutput");
    cfg->plugin_name = "pgoutput";

    pgcdc_config_value_string(c, "slot.name", "debezium", &cfg->slot_name);
    /* Postgres' own rule for slot names. */
    for (s = cfg->slot_name; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            break;
    if (*s || strlen(cfg->slot_name) > 63)
        return pgcdc_config_value_invalid(c, "slot.name", cfg->slot_name,
                                          "1 to 63 lower-case letters, digits or underscores");
    if ((err = pgcdc_config_value_bool(c, "slot.drop.on.stop", 0, &cfg->slot_drop_on_stop)))
        return err;

    pgcdc_config_value_string(c, "publication.name", "dbz_publication", &cfg->publication_name);
    if (strlen(cfg->publication_name) > 63)
        return pgcdc_config_value_invalid(c, "publication.name", cfg->publication_name,
                                          "a name of at most 63 bytes");
    if ((err = pgcdc_config_value_enum(c, "publication.autocreate.mode", config_publication_modes,
                                       PGCDC_PUBLICATION_ALL_TABLES,
                                       "all_tables, disabled, filtered or no_tables", &mode)))
        return err;
    cfg->publication_autocreate_mode = (pgcdc_publication_mode_t)mode;

    v = pgcdc_config_value_get(c, "snapshot.mode");
    if (v && (!strcasecmp(v, "configuration_based") || !strcasecmp(v, "custom")))
        return pgcdc_err_set(PGCDC_ERR_USAGE, c->errstr, c->errstr_size,
                             "%s: snapshot.mode '%s' is not supported by pgcdc (supported: "
                             "initial, no_data, initial_only, always, when_needed)",
                             pgcdc_config_value_source(c, "snapshot.mode"), v);
    if ((err = pgcdc_config_value_enum(
             c, "snapshot.mode", config_snapshot_modes, PGCDC_SNAPSHOT_INITIAL,
             "initial, no_data, initial_only, always or when_needed", &mode)))
        return err;
    cfg->snapshot_mode = (pgcdc_snapshot_mode_t)mode;
    if (v && !strcasecmp(v, "never"))
        pgcdc_log_warn("snapshot.mode 'never' is the old name of 'no_data'; using no_data");
    if ((err = pgcdc_config_value_int(c, "snapshot.fetch.size", 10240, 1, INT_MAX,
                                      &cfg->snapshot_fetch_size)))
        return err;
    if ((err = pgcdc_config_value_int(c, "status.update.interval.ms", 10000, 1, INT_MAX,
                                      &cfg->status_update_interval_ms)))
        return err;
    return PGCDC_OK;
}
