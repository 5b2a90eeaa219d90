/* Unit tests of the configuration: readers, overrides, validation, filters, DSN, redaction. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "config.h"
#include "config_keys.h"
#include "config_suggest.h"
#include "testutil.h"
#include "transform_unwrap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Every key a valid config needs, as properties. */
#define BASE                                                                                       \
    "database.hostname=localhost\n"                                                                \
    "database.user=postgres\n"                                                                     \
    "database.dbname=financial_db\n"                                                               \
    "topic.prefix=cdc\n"                                                                           \
    "kafka.bootstrap.servers=localhost:9092\n"

static pgcdc_err_t load(const char *text, const char *const *sets, int nsets, pgcdc_config_t **cfg,
                        char *errstr)
{
    errstr[0] = '\0';
    return pgcdc_config_load_string(text, strlen(text), "t.properties", sets, nsets, cfg, errstr,
                                    PGCDC_ERRSTR_SIZE);
}

/* Loads BASE with one override and expects success. */
static pgcdc_config_t *load_with(const char *set)
{
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_config_t *cfg = NULL;
    const char *sets[1] = {set};

    if (load(BASE, sets, set ? 1 : 0, &cfg, errstr) != PGCDC_OK)
        fail_msg("unexpected error for %s: %s", set ? set : "(base)", errstr);
    assert_non_null(cfg);
    return cfg;
}

/* Loads BASE with one override and expects a usage error; returns errstr in buf. */
static void expect_usage(const char *set, char *errstr)
{
    pgcdc_config_t *cfg = (pgcdc_config_t *)1;
    const char *sets[1] = {set};

    assert_int_equal(load(BASE, sets, 1, &cfg, errstr), PGCDC_ERR_USAGE);
    assert_null(cfg);
}

static void expect_error_text(const char *set, const char *text)
{
    char errstr[PGCDC_ERRSTR_SIZE];

    expect_usage(set, errstr);
    assert_string_equal(errstr, text);
}

/* ---- stderr capture, to count warnings ---- */

typedef struct capture {
    FILE *tmp;
    int saved;
} capture_t;

static void capture_begin(capture_t *c)
{
    fflush(stderr);
    c->tmp = tmpfile();
    assert_non_null(c->tmp);
    c->saved = dup(2);
    assert_true(c->saved >= 0);
    assert_true(dup2(fileno(c->tmp), 2) >= 0);
}

static char *capture_end(capture_t *c)
{
    char *text;
    long n;

    fflush(stderr);
    dup2(c->saved, 2);
    close(c->saved);
    fseek(c->tmp, 0, SEEK_END);
    n = ftell(c->tmp);
    rewind(c->tmp);
    text = calloc(1, (size_t)n + 1);
    assert_int_equal(fread(text, 1, (size_t)n, c->tmp), (size_t)n);
    fclose(c->tmp);
    return text;
}

static int count_substr(const char *hay, const char *needle)
{
    int n = 0;

    for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
        n++;
    return n;
}

/* ---- samples ---- */

static void check_financial(const pgcdc_config_t *cfg)
{
    assert_string_equal(cfg->database_hostname, "localhost");
    assert_int_equal(cfg->database_port, 5432);
    assert_string_equal(cfg->database_user, "postgres");
    assert_string_equal(cfg->database_password, "postgres");
    assert_string_equal(cfg->database_dbname, "financial_db");
    assert_string_equal(cfg->topic_prefix, "cdc");
    assert_string_equal(cfg->plugin_name, "pgoutput");
    assert_int_equal(cfg->decimal_handling_mode, PGCDC_DECIMAL_STRING);
    assert_string_equal(cfg->table_include_list, "public.transactions");
    assert_string_equal(pgcdc_config_get(cfg, "name"), "postgres-fin-connector");
    assert_true(pgcdc_config_table_included(cfg, "public", "transactions"));
    assert_false(pgcdc_config_table_included(cfg, "public", "transactions_audit"));
    assert_false(pgcdc_config_table_included(cfg, "public", "accounts"));
    assert_string_equal(cfg->kafka_bootstrap_servers, "localhost:9092");
}

static void test_sample_properties(void **state)
{
    char path[4096], errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_config_t *cfg = NULL;
    const char *name, *value;

    (void)state;
    snprintf(path, sizeof(path), "%s/config/financial_db.properties",
             pgcdc_test_env("PGCDC_SOURCE_DIR"));
    assert_int_equal(pgcdc_config_load(path, NULL, 0, &cfg, errstr, sizeof(errstr)), PGCDC_OK);
    check_financial(cfg);
    assert_int_equal(pgcdc_config_kafka_count(cfg), 1);
    pgcdc_config_kafka_at(cfg, 0, &name, &value);
    assert_string_equal(name, "bootstrap.servers");
    assert_string_equal(value, "localhost:9092");
    pgcdc_config_free(cfg);
}

static void test_sample_json(void **state)
{
    char path[4096], errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_config_t *cfg = NULL;
    const char *sets[] = {"kafka.bootstrap.servers=localhost:9092"};

    (void)state;
    snprintf(path, sizeof(path), "%s/config/financial_db.json", pgcdc_test_env("PGCDC_SOURCE_DIR"));
    /* The connector JSON says nothing about Kafka: the sink needs it from --set. */
    assert_int_equal(pgcdc_config_load(path, NULL, 0, &cfg, errstr, sizeof(errstr)),
                     PGCDC_ERR_USAGE);
    assert_null(cfg);
    assert_string_equal(errstr, "missing required key kafka.bootstrap.servers");
    assert_int_equal(pgcdc_config_load(path, sets, 1, &cfg, errstr, sizeof(errstr)), PGCDC_OK);
    check_financial(cfg);
    assert_string_equal(pgcdc_config_get(cfg, "connector.class"),
                        "io.debezium.connector.postgresql.PostgresConnector");
    pgcdc_config_free(cfg);
}

static void test_missing_file(void **state)
{
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_config_t *cfg = (pgcdc_config_t *)1;

    (void)state;
    assert_int_equal(
        pgcdc_config_load("/nonexistent/pgcdc.properties", NULL, 0, &cfg, errstr, sizeof(errstr)),
        PGCDC_ERR_USAGE);
    assert_null(cfg);
    assert_non_null(strstr(errstr, "/nonexistent/pgcdc.properties"));
    pgcdc_config_free(NULL);
}

/* ---- properties reader ---- */

static void expect_kv(const pgcdc_config_kv_t *kv, const char *key, const char *value,
                      const char *source)
{
    size_t i;
    const char *k, *v, *s;

    for (i = 0; i < pgcdc_config_kv_count(kv); i++) {
        pgcdc_config_kv_at(kv, i, &k, &v, &s);
        if (!strcmp(k, key)) {
            assert_string_equal(v, value);
            if (source)
                assert_string_equal(s, source);
            return;
        }
    }
    fail_msg("key '%s' not found", key);
}

static void test_props_edge_cases(void **state)
{
    static const char text[] = "# comment = not a key\n"
                               "   ! bang comment\n"
                               "\n"
                               "  key1 = value with trailing  \n"
                               "key2:colon\n"
                               "key3 spaced value\n"
                               "key4=line one \\\n"
                               "     continued\\\n"
                               "\tend\n"
                               "key5=a\\\\\n"
                               "key\\=6\\:x=eq\n"
                               "key7=\\u00e9\\t|\\u20AC\\uD83D\\uDE00\\n\n"
                               "key8\n"
                               "key9 = = x\n"
                               "key10=\\#not a comment\n"
                               "# comment ending in backslash \\\n"
                               "key11=after\r\n"
                               "key12=cr\r"
                               "key13 :\tv13\n"
                               "key\\ 14 = sp\n"
                               "key15=\\q\\z\n"
                               "key1=again\n"
                               "key16=last\\";
    pgcdc_config_kv_t *kv = pgcdc_config_kv_new();
    char errstr[PGCDC_ERRSTR_SIZE];

    (void)state;
    assert_int_equal(
        pgcdc_config_props_parse(text, strlen(text), "t.properties", kv, errstr, sizeof(errstr)),
        PGCDC_OK);
    /* Later wins, position of the first setting kept. */
    expect_kv(kv, "key1", "again", "t.properties:22");
    expect_kv(kv, "key2", "colon", "t.properties:5");
    expect_kv(kv, "key3", "spaced value", NULL);
    expect_kv(kv, "key4", "line one continuedend", "t.properties:7");
    expect_kv(kv, "key5", "a\\", "t.properties:10");
    expect_kv(kv, "key=6:x", "eq", NULL);
    expect_kv(kv, "key7", "\xc3\xa9\t|\xe2\x82\xac\xf0\x9f\x98\x80\n", NULL);
    expect_kv(kv, "key8", "", NULL);
    expect_kv(kv, "key9", "= x", NULL);
    expect_kv(kv, "key10", "#not a comment", NULL);
    expect_kv(kv, "key11", "after", "t.properties:17");
    expect_kv(kv, "key12", "cr", "t.properties:18");
    expect_kv(kv, "key13", "v13", "t.properties:19");
    expect_kv(kv, "key 14", "sp", NULL);
    expect_kv(kv, "key15", "qz", NULL);
    expect_kv(kv, "key16", "last", NULL);
    assert_null(pgcdc_config_kv_get(kv, "comment"));
    assert_null(pgcdc_config_kv_get(kv, "#"));
    assert_int_equal(pgcdc_config_kv_count(kv), 16);
    pgcdc_config_kv_free(kv);
    pgcdc_config_kv_free(NULL);
}

static void test_props_first_key_value(void **state)
{
    pgcdc_config_kv_t *kv = pgcdc_config_kv_new();
    char errstr[PGCDC_ERRSTR_SIZE];
    const char *text = "a=1\nb=2\na=3";
    const char *k;

    (void)state;
    assert_int_equal(pgcdc_config_props_parse(text, strlen(text), "x", kv, errstr, sizeof(errstr)),
                     PGCDC_OK);
    assert_int_equal(pgcdc_config_kv_count(kv), 2);
    pgcdc_config_kv_at(kv, 0, &k, NULL, NULL);
    assert_string_equal(k, "a");
    assert_string_equal(pgcdc_config_kv_get(kv, "a"), "3");
    pgcdc_config_kv_free(kv);
}

static void test_props_bad_unicode(void **state)
{
    pgcdc_config_kv_t *kv = pgcdc_config_kv_new();
    char errstr[PGCDC_ERRSTR_SIZE];
    const char *text = "a=1\ndatabase.password=\\u12G4secret\n";

    (void)state;
    assert_int_equal(
        pgcdc_config_props_parse(text, strlen(text), "t.properties", kv, errstr, sizeof(errstr)),
        PGCDC_ERR_USAGE);
    assert_string_equal(errstr, "t.properties:2: malformed \\uXXXX escape");
    pgcdc_config_kv_free(kv);
}

/* ---- JSON reader ---- */

static void test_json_wrapped_and_bare(void **state)
{
    static const char wrapped[] =
        "{\"name\": \"conn\", \"config\": {\"database.hostname\": \"h\", \"database.user\": "
        "\"u\", \"database.dbname\": \"d\", \"topic.prefix\": \"p\", \"database.port\": 5433, "
        "\"tombstones.on.delete\": false, \"slot.drop.on.stop\": true, \"sink.type\": "
        "\"stdout\", \"x.real\": 0.1, \"x.null\": null}}";
    static const char bare[] =
        "\n  {\"database.hostname\": \"h\", \"database.user\": \"u\", \"database.dbname\": \"d\","
        " \"topic.prefix\": \"p\", \"max.batch.size\": 100, \"sink.type\": \"stdout\"}";
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_config_t *cfg = NULL;
    capture_t cap;
    char *log;

    (void)state;
    capture_begin(&cap);
    assert_int_equal(pgcdc_config_load_string(wrapped, strlen(wrapped), "w.json", NULL, 0, &cfg,
                                              errstr, sizeof(errstr)),
                     PGCDC_OK);
    log = capture_end(&cap);
    assert_string_equal(pgcdc_config_get(cfg, "name"), "conn");
    assert_int_equal(cfg->database_port, 5433);
    assert_string_equal(pgcdc_config_get(cfg, "database.port"), "5433");
    assert_int_equal(cfg->tombstones_on_delete, 0);
    assert_int_equal(cfg->slot_drop_on_stop, 1);
    assert_int_equal(cfg->sink_type, PGCDC_SINK_STDOUT);
    assert_string_equal(pgcdc_config_get(cfg, "x.real"), "0.1");
    assert_null(pgcdc_config_get(cfg, "x.null"));
    assert_null(cfg->kafka_bootstrap_servers);
    assert_int_equal(count_substr(log, "'x.real' (w.json)"), 1);
    free(log);
    pgcdc_config_free(cfg);

    capture_begin(&cap);
    assert_int_equal(pgcdc_config_load_string(bare, strlen(bare), "b.json", NULL, 0, &cfg, errstr,
                                              sizeof(errstr)),
                     PGCDC_OK);
    free(capture_end(&cap));
    assert_string_equal(cfg->topic_prefix, "p");
    assert_int_equal(cfg->max_batch_size, 100);
    assert_null(pgcdc_config_get(cfg, "name"));
    pgcdc_config_free(cfg);
}

static void test_json_errors(void **state)
{
    static const char syntax[] = "{\n  \"topic.prefix\": \"cdc\",\n  \"database.port\": 54 32\n}";
    static const char secret[] = "{\"database.password\": \"s3cr3tpw";
    static const char object[] = "{\"config\": {\"topic.prefix\": {\"a\": 1}}}";
    static const char array[] = "[1, 2]";
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_config_t *cfg = (pgcdc_config_t *)1;

    (void)state;
    assert_int_equal(pgcdc_config_load_string(syntax, strlen(syntax), "c.json", NULL, 0, &cfg,
                                              errstr, sizeof(errstr)),
                     PGCDC_ERR_USAGE);
    assert_null(cfg);
    assert_non_null(strstr(errstr, "c.json:3:"));
    assert_non_null(strstr(errstr, "invalid JSON"));

    assert_int_equal(pgcdc_config_load_string(secret, strlen(secret), "c.json", NULL, 0, &cfg,
                                              errstr, sizeof(errstr)),
                     PGCDC_ERR_USAGE);
    assert_non_null(strstr(errstr, "c.json:1:"));
    assert_null(strstr(errstr, "s3cr3t"));

    assert_int_equal(pgcdc_config_load_string(object, strlen(object), "c.json", NULL, 0, &cfg,
                                              errstr, sizeof(errstr)),
                     PGCDC_ERR_USAGE);
    assert_string_equal(errstr,
                        "c.json: value of topic.prefix must be a string, number or boolean");

    /* Not starting with '{': read as properties, where "[1," is a key without a value; then
     * the required keys are missing. */
    assert_int_equal(pgcdc_config_load_string(array, strlen(array), "c.json", NULL, 0, &cfg, errstr,
                                              sizeof(errstr)),
                     PGCDC_ERR_USAGE);
    assert_null(cfg);
}

/* ---- overrides ---- */

static void test_overrides(void **state)
{
    const char *sets[] = {"topic.prefix=first", "  topic.prefix  =second", "slot.name=s1",
                          "kafka.client.id=a=b"};
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_config_t *cfg = NULL;
    const char *bad[] = {"database.password"};
    const char *empty[] = {"=x"};
    const char *name, *value;

    (void)state;
    assert_int_equal(load(BASE, sets, 4, &cfg, errstr), PGCDC_OK);
    assert_string_equal(cfg->topic_prefix, "second");
    assert_string_equal(cfg->slot_name, "s1");
    assert_string_equal(pgcdc_config_get(cfg, "kafka.client.id"), "a=b");
    assert_int_equal(pgcdc_config_kafka_count(cfg), 2);
    pgcdc_config_kafka_at(cfg, 1, &name, &value);
    assert_string_equal(name, "client.id");
    assert_string_equal(value, "a=b");
    pgcdc_config_free(cfg);

    assert_int_equal(load(BASE, bad, 1, &cfg, errstr), PGCDC_ERR_USAGE);
    assert_string_equal(errstr, "--set argument has no '=' (expected key=value)");
    assert_int_equal(load(BASE, empty, 1, &cfg, errstr), PGCDC_ERR_USAGE);
    assert_string_equal(errstr, "--set argument has an empty key (expected key=value)");
}

/* ---- defaults and enums ---- */

static void test_defaults(void **state)
{
    pgcdc_config_t *cfg = load_with(NULL);

    (void)state;
    assert_int_equal(cfg->database_port, 5432);
    assert_int_equal(cfg->database_sslmode, PGCDC_SSLMODE_PREFER);
    assert_string_equal(cfg->database_sslmode_name, "prefer");
    assert_null(cfg->database_password);
    assert_string_equal(cfg->plugin_name, "pgoutput");
    assert_string_equal(cfg->slot_name, "debezium");
    assert_int_equal(cfg->slot_drop_on_stop, 0);
    assert_string_equal(cfg->publication_name, "dbz_publication");
    assert_int_equal(cfg->publication_autocreate_mode, PGCDC_PUBLICATION_ALL_TABLES);
    assert_int_equal(cfg->snapshot_mode, PGCDC_SNAPSHOT_INITIAL);
    assert_int_equal(cfg->snapshot_fetch_size, 10240);
    assert_int_equal(cfg->decimal_handling_mode, PGCDC_DECIMAL_PRECISE);
    assert_int_equal(cfg->time_precision_mode, PGCDC_TIME_ADAPTIVE);
    assert_int_equal(cfg->binary_handling_mode, PGCDC_BINARY_BYTES);
    assert_int_equal(cfg->interval_handling_mode, PGCDC_INTERVAL_NUMERIC);
    assert_int_equal(cfg->hstore_handling_mode, PGCDC_HSTORE_JSON);
    assert_int_equal(cfg->include_unknown_datatypes, 0);
    assert_int_equal(cfg->tombstones_on_delete, 1);
    assert_int_equal(cfg->skipped_operations, PGCDC_SKIP_TRUNCATE);
    assert_int_equal(cfg->provide_transaction_metadata, 0);
    assert_int_equal(cfg->key_converter_schemas_enable, 1);
    assert_int_equal(cfg->value_converter_schemas_enable, 1);
    assert_int_equal(cfg->max_queue_size, 8192);
    assert_int_equal(cfg->max_batch_size, 2048);
    assert_int_equal(cfg->max_queue_size_in_bytes, PGCDC_CONFIG_DEFAULT_QUEUE_BYTES);
    assert_int_equal(cfg->poll_interval_ms, 500);
    assert_int_equal(cfg->status_update_interval_ms, 10000);
    assert_int_equal(cfg->heartbeat_interval_ms, 0);
    assert_int_equal(cfg->sink_type, PGCDC_SINK_KAFKA);
    assert_string_equal(cfg->topic_heartbeat_prefix, "__debezium-heartbeat");
    assert_string_equal(cfg->topic_transaction, "transaction");
    assert_null(cfg->table_include_list);
    assert_null(cfg->message_key_columns);
    assert_true(pgcdc_config_op_skipped(cfg, PGCDC_OP_TRUNCATE));
    assert_false(pgcdc_config_op_skipped(cfg, PGCDC_OP_CREATE));
    pgcdc_config_free(cfg);
}

typedef struct enum_case {
    const char *key;
    const char *value;
    int expected;
} enum_case_t;

static int enum_field(const pgcdc_config_t *cfg, const char *key)
{
    if (!strcmp(key, "decimal.handling.mode"))
        return (int)cfg->decimal_handling_mode;
    if (!strcmp(key, "time.precision.mode"))
        return (int)cfg->time_precision_mode;
    if (!strcmp(key, "binary.handling.mode"))
        return (int)cfg->binary_handling_mode;
    if (!strcmp(key, "interval.handling.mode"))
        return (int)cfg->interval_handling_mode;
    if (!strcmp(key, "hstore.handling.mode"))
        return (int)cfg->hstore_handling_mode;
    if (!strcmp(key, "snapshot.mode"))
        return (int)cfg->snapshot_mode;
    if (!strcmp(key, "publication.autocreate.mode"))
        return (int)cfg->publication_autocreate_mode;
    if (!strcmp(key, "database.sslmode"))
        return (int)cfg->database_sslmode;
    if (!strcmp(key, "sink.type"))
        return (int)cfg->sink_type;
    fail_msg("no field for %s", key);
    return -1;
}

static void test_enums_valid(void **state)
{
    static const enum_case_t cases[] = {
        {"decimal.handling.mode", "precise", PGCDC_DECIMAL_PRECISE},
        {"decimal.handling.mode", "double", PGCDC_DECIMAL_DOUBLE},
        {"decimal.handling.mode", " STRING ", PGCDC_DECIMAL_STRING},
        {"time.precision.mode", "adaptive", PGCDC_TIME_ADAPTIVE},
        {"time.precision.mode", "adaptive_time_microseconds",
         PGCDC_TIME_ADAPTIVE_TIME_MICROSECONDS},
        {"time.precision.mode", "connect", PGCDC_TIME_CONNECT},
        {"time.precision.mode", "isostring", PGCDC_TIME_ISOSTRING},
        {"time.precision.mode", "microseconds", PGCDC_TIME_MICROSECONDS},
        {"time.precision.mode", "nanoseconds", PGCDC_TIME_NANOSECONDS},
        {"binary.handling.mode", "bytes", PGCDC_BINARY_BYTES},
        {"binary.handling.mode", "base64", PGCDC_BINARY_BASE64},
        {"binary.handling.mode", "base64-url-safe", PGCDC_BINARY_BASE64_URL_SAFE},
        {"binary.handling.mode", "hex", PGCDC_BINARY_HEX},
        {"interval.handling.mode", "numeric", PGCDC_INTERVAL_NUMERIC},
        {"interval.handling.mode", "string", PGCDC_INTERVAL_STRING},
        {"hstore.handling.mode", "json", PGCDC_HSTORE_JSON},
        {"hstore.handling.mode", "map", PGCDC_HSTORE_MAP},
        {"snapshot.mode", "initial", PGCDC_SNAPSHOT_INITIAL},
        {"snapshot.mode", "no_data", PGCDC_SNAPSHOT_NO_DATA},
        {"snapshot.mode", "never", PGCDC_SNAPSHOT_NO_DATA},
        {"snapshot.mode", "initial_only", PGCDC_SNAPSHOT_INITIAL_ONLY},
        {"snapshot.mode", "always", PGCDC_SNAPSHOT_ALWAYS},
        {"snapshot.mode", "when_needed", PGCDC_SNAPSHOT_WHEN_NEEDED},
        {"publication.autocreate.mode", "all_tables", PGCDC_PUBLICATION_ALL_TABLES},
        {"publication.autocreate.mode", "disabled", PGCDC_PUBLICATION_DISABLED},
        {"publication.autocreate.mode", "filtered", PGCDC_PUBLICATION_FILTERED},
        {"publication.autocreate.mode", "no_tables", PGCDC_PUBLICATION_NO_TABLES},
        {"database.sslmode", "disable", PGCDC_SSLMODE_DISABLE},
        {"database.sslmode", "allow", PGCDC_SSLMODE_ALLOW},
        {"database.sslmode", "prefer", PGCDC_SSLMODE_PREFER},
        {"database.sslmode", "require", PGCDC_SSLMODE_REQUIRE},
        {"database.sslmode", "verify-ca", PGCDC_SSLMODE_VERIFY_CA},
        {"database.sslmode", "verify-full", PGCDC_SSLMODE_VERIFY_FULL},
        {"sink.type", "kafka", PGCDC_SINK_KAFKA},
        {"sink.type", "stdout", PGCDC_SINK_STDOUT},
    };
    char set[256];
    pgcdc_config_t *cfg;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(set, sizeof(set), "%s=%s", cases[i].key, cases[i].value);
        cfg = load_with(set);
        if (enum_field(cfg, cases[i].key) != cases[i].expected)
            fail_msg("%s: got %d", set, enum_field(cfg, cases[i].key));
        pgcdc_config_free(cfg);
    }
    cfg = load_with("database.sslmode=VERIFY-FULL");
    assert_string_equal(cfg->database_sslmode_name, "verify-full");
    pgcdc_config_free(cfg);
}

static void test_enums_invalid(void **state)
{
    (void)state;
    expect_error_text("decimal.handling.mode=bogus", "--set: invalid value 'bogus' for "
                                                     "decimal.handling.mode (expected precise, "
                                                     "double or string)");
    expect_error_text("time.precision.mode=seconds",
                      "--set: invalid value 'seconds' for time.precision.mode (expected adaptive, "
                      "adaptive_time_microseconds, connect, isostring, microseconds or "
                      "nanoseconds)");
    expect_error_text("binary.handling.mode=base32",
                      "--set: invalid value 'base32' for binary.handling.mode (expected bytes, "
                      "base64, base64-url-safe or hex)");
    expect_error_text("interval.handling.mode=iso", "--set: invalid value 'iso' for "
                                                    "interval.handling.mode (expected numeric or "
                                                    "string)");
    expect_error_text(
        "hstore.handling.mode=text",
        "--set: invalid value 'text' for hstore.handling.mode (expected json or map)");
    expect_error_text("snapshot.mode=sometimes",
                      "--set: invalid value 'sometimes' for snapshot.mode (expected initial, "
                      "no_data, initial_only, always or when_needed)");
    expect_error_text("snapshot.mode=custom",
                      "--set: snapshot.mode 'custom' is not supported by pgcdc (supported: "
                      "initial, no_data, initial_only, always, when_needed)");
    expect_error_text("publication.autocreate.mode=some",
                      "--set: invalid value 'some' for publication.autocreate.mode (expected "
                      "all_tables, disabled, filtered or no_tables)");
    expect_error_text("database.sslmode=required",
                      "--set: invalid value 'required' for database.sslmode (expected disable, "
                      "allow, prefer, require, verify-ca or verify-full)");
    expect_error_text("sink.type=file",
                      "--set: invalid value 'file' for sink.type (expected kafka or stdout)");
    expect_error_text("plugin.name=decoderbufs",
                      "--set: plugin.name 'decoderbufs' is not supported by pgcdc (only pgoutput)");
    expect_error_text("plugin.name=wal2json",
                      "--set: invalid value 'wal2json' for plugin.name (expected pgoutput)");
    expect_error_text("tombstones.on.delete=yes",
                      "--set: invalid value 'yes' for tombstones.on.delete (expected true or "
                      "false)");
    expect_error_text("key.converter=io.confluent.connect.avro.AvroConverter",
                      "--set: invalid value 'io.confluent.connect.avro.AvroConverter' for "
                      "key.converter (expected org.apache.kafka.connect.json.JsonConverter)");
    expect_error_text("connector.class=io.debezium.connector.mysql.MySqlConnector",
                      "--set: invalid value 'io.debezium.connector.mysql.MySqlConnector' for "
                      "connector.class (expected "
                      "io.debezium.connector.postgresql.PostgresConnector)");
    expect_error_text("slot.name=Bad-Slot",
                      "--set: invalid value 'Bad-Slot' for slot.name (expected 1 to 63 lower-case "
                      "letters, digits or underscores)");
    expect_error_text("topic.prefix=cdc/x", "--set: invalid value 'cdc/x' for topic.prefix "
                                            "(expected letters, digits, '.', '_' or '-' only)");
}

static void test_converters(void **state)
{
    pgcdc_config_t *cfg;
    pgcdc_event_opts_t opts;

    (void)state;
    cfg = load_with("value.converter.schemas.enable=false");
    assert_int_equal(cfg->value_converter_schemas_enable, 0);
    assert_int_equal(cfg->key_converter_schemas_enable, 1);
    pgcdc_config_event_opts(cfg, &opts);
    assert_int_equal(opts.value_schemas, 0);
    assert_int_equal(opts.key_schemas, 1);
    assert_string_equal(opts.topic_prefix, "cdc");
    assert_string_equal(opts.database, "financial_db");
    assert_int_equal(opts.decimal_mode, PGCDC_DECIMAL_PRECISE);
    pgcdc_config_free(cfg);

    cfg = load_with("value.converter=org.apache.kafka.connect.json.JsonConverter");
    pgcdc_config_free(cfg);
}

static void test_event_opts(void **state)
{
    const char *sets[] = {"decimal.handling.mode=double", "time.precision.mode=connect",
                          "binary.handling.mode=hex",     "interval.handling.mode=string",
                          "hstore.handling.mode=map",     "key.converter.schemas.enable=FALSE"};
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_config_t *cfg = NULL;
    pgcdc_event_opts_t opts;

    (void)state;
    assert_int_equal(load(BASE, sets, 6, &cfg, errstr), PGCDC_OK);
    pgcdc_config_event_opts(cfg, &opts);
    assert_int_equal(opts.decimal_mode, PGCDC_DECIMAL_DOUBLE);
    assert_int_equal(opts.time_mode, PGCDC_TIME_CONNECT);
    assert_int_equal(opts.binary_mode, PGCDC_BINARY_HEX);
    assert_int_equal(opts.interval_mode, PGCDC_INTERVAL_STRING);
    assert_int_equal(opts.hstore_mode, PGCDC_HSTORE_MAP);
    assert_int_equal(opts.key_schemas, 0);
    assert_int_equal(opts.value_schemas, 1);
    pgcdc_config_free(cfg);
}

/* ---- integers ---- */

static void test_int_ranges(void **state)
{
    pgcdc_config_t *cfg;

    (void)state;
    cfg = load_with("database.port= 5433 ");
    assert_int_equal(cfg->database_port, 5433);
    pgcdc_config_free(cfg);
    cfg = load_with("database.port=65535");
    assert_int_equal(cfg->database_port, 65535);
    pgcdc_config_free(cfg);
    cfg = load_with("max.queue.size.in.bytes=1048576");
    assert_int_equal(cfg->max_queue_size_in_bytes, 1048576);
    pgcdc_config_free(cfg);
    cfg = load_with("max.queue.size.in.bytes=0");
    assert_int_equal(cfg->max_queue_size_in_bytes, PGCDC_CONFIG_DEFAULT_QUEUE_BYTES);
    pgcdc_config_free(cfg);
    cfg = load_with("heartbeat.interval.ms=5000");
    assert_int_equal(cfg->heartbeat_interval_ms, 5000);
    pgcdc_config_free(cfg);

    expect_error_text("database.port=0", "--set: invalid value '0' for database.port (expected an "
                                         "integer between 1 and 65535)");
    expect_error_text("database.port=65536", "--set: invalid value '65536' for database.port "
                                             "(expected an integer between 1 and 65535)");
    expect_error_text("database.port=abc", "--set: invalid value 'abc' for database.port (expected "
                                           "an integer between 1 and 65535)");
    expect_error_text("database.port=54 32", "--set: invalid value '54 32' for database.port "
                                             "(expected an integer between 1 and 65535)");
    expect_error_text("max.batch.size=0",
                      "--set: invalid value '0' for max.batch.size (expected an integer >= 1)");
    expect_error_text("max.queue.size=99999999999", "--set: invalid value '99999999999' for "
                                                    "max.queue.size (expected an integer >= 1)");
    expect_error_text("heartbeat.interval.ms=-1", "--set: invalid value '-1' for "
                                                  "heartbeat.interval.ms (expected an integer >= "
                                                  "0)");
    expect_error_text("max.queue.size=2048",
                      "--set: max.queue.size (2048) must be larger than max.batch.size (2048)");
}

/* ---- required keys ---- */

/* Exactly-once: off by default; Kafka Connect's connector and worker keys turn it on, with a
 * transactional.id from the connector's name (or kafka.transactional.id) handed to the
 * producer; what it needs around it is refused clearly. */
static void test_exactly_once(void **state)
{
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_config_t *cfg = NULL;
    const char *name, *value, *id = NULL;
    const char *sets[3];
    size_t i;

    (void)state;
    cfg = load_with(NULL);
    assert_int_equal(cfg->exactly_once, 0);
    assert_null(cfg->transactional_id);
    pgcdc_config_free(cfg);

    sets[0] = "exactly.once.support=required";
    sets[1] = "name=postgres-fin-connector";
    assert_int_equal(load(BASE, sets, 2, &cfg, errstr), PGCDC_OK);
    assert_int_equal(cfg->exactly_once, 1);
    assert_string_equal(cfg->transactional_id, "pgcdc-postgres-fin-connector");
    assert_int_equal(cfg->txn_boundary, PGCDC_TXN_POLL);
    assert_int_equal(cfg->txn_boundary_interval_ms, cfg->offset_flush_interval_ms);
    assert_int_equal(cfg->txn_timeout_ms, 60000);
    for (i = 0; i < pgcdc_config_kafka_count(cfg); i++) {
        pgcdc_config_kafka_at(cfg, i, &name, &value);
        if (!strcmp(name, "transactional.id"))
            id = value;
    }
    assert_non_null(id);
    assert_string_equal(id, "pgcdc-postgres-fin-connector");
    pgcdc_config_free(cfg);

    sets[0] = "exactly.once.source.support=enabled";
    sets[1] = "kafka.transactional.id=fin-eos";
    sets[2] = "transaction.boundary=interval";
    assert_int_equal(load(BASE, sets, 3, &cfg, errstr), PGCDC_OK);
    assert_int_equal(cfg->exactly_once, 1);
    assert_string_equal(cfg->transactional_id, "fin-eos");
    assert_int_equal(cfg->txn_boundary, PGCDC_TXN_INTERVAL);
    pgcdc_config_free(cfg);

    sets[0] = "exactly.once.support=required";
    sets[1] = "kafka.transaction.timeout.ms=120000";
    sets[2] = "transaction.boundary.interval.ms=250";
    assert_int_equal(load(BASE, sets, 3, &cfg, errstr), PGCDC_OK);
    assert_int_equal(cfg->txn_timeout_ms, 120000);
    assert_int_equal(cfg->txn_boundary_interval_ms, 250);
    pgcdc_config_free(cfg);

    expect_usage("exactly.once.support=always", errstr);
    assert_non_null(strstr(errstr, "exactly.once.support"));
    expect_usage("transaction.boundary=never", errstr);
    assert_non_null(strstr(errstr, "transaction.boundary"));
    expect_usage("kafka.transactional.id=x", errstr);
    assert_non_null(strstr(errstr, "kafka.transactional.id needs exactly.once.support=required"));
    sets[0] = "exactly.once.support=required";
    sets[1] = "offset.storage.topic=";
    cfg = (pgcdc_config_t *)1;
    assert_int_equal(load(BASE, sets, 2, &cfg, errstr), PGCDC_ERR_USAGE);
    assert_null(cfg);
    assert_non_null(strstr(errstr, "exactly-once delivery needs sink.type=kafka and an "
                                   "offset.storage.topic"));
}

static void test_missing_required(void **state)
{
    static const char no_prefix[] = "database.hostname=localhost\n"
                                    "database.user=postgres\n"
                                    "database.dbname=financial_db\n"
                                    "kafka.bootstrap.servers=k:9092\n";
    static const char blank_prefix[] = BASE "topic.prefix=   \n";
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_config_t *cfg = NULL;
    const char *stdout_sink[] = {"sink.type=stdout"};

    (void)state;
    assert_int_equal(load(no_prefix, NULL, 0, &cfg, errstr), PGCDC_ERR_USAGE);
    assert_null(cfg);
    assert_string_equal(errstr, "missing required key topic.prefix");
    assert_int_equal(load(blank_prefix, NULL, 0, &cfg, errstr), PGCDC_ERR_USAGE);
    assert_string_equal(errstr, "missing required key topic.prefix");
    assert_int_equal(load("topic.prefix=x\n", stdout_sink, 1, &cfg, errstr), PGCDC_ERR_USAGE);
    assert_string_equal(errstr,
                        "missing required keys database.hostname, database.user, database.dbname");
    /* kafka.bootstrap.servers is only needed by the Kafka sink. */
    assert_int_equal(load("database.hostname=h\ndatabase.user=u\ndatabase.dbname=d\n"
                          "topic.prefix=x\n",
                          stdout_sink, 1, &cfg, errstr),
                     PGCDC_OK);
    pgcdc_config_free(cfg);
}

/* ---- filters ---- */

static void test_malformed_regex(void **state)
{
    (void)state;
    expect_error_text("table.include.list=public.ok,public.(bad",
                      "--set: invalid regular expression 'public.(bad' in table.include.list: "
                      "Unmatched ( or \\(");
    expect_error_text("schema.exclude.list=[z-a]",
                      "--set: invalid regular expression '[z-a]' in schema.exclude.list: Invalid "
                      "range end");
}

static void test_column_masks(void **state)
{
    static const char *const sets[] = {
        "column.mask.with.3.chars=public.m.both, public.m.a",
        "column.truncate.to.4.chars=public.m.both,public.m.t.*",
        "column.mask.hash.v2.MD5.with.salt.pepper=public.m.h2,public.m.h",
        "column.mask.hash.sha-256.with.salt.CzQMA0cB5K=public.m.h",
        "column.mask.with.0.chars=public.m.z",
    };
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_config_t *cfg = NULL;
    const pgcdc_mask_rule_t *r;

    (void)state;
    assert_int_equal(load(BASE, sets, 5, &cfg, errstr), PGCDC_OK);
    /* Truncate rules come first, then mask, then hash v1, then hash v2. */
    r = pgcdc_config_column_mask(cfg, "public", "m", "both");
    assert_non_null(r);
    assert_int_equal(r->kind, PGCDC_MASK_TRUNCATE);
    assert_int_equal(r->n, 4);
    r = pgcdc_config_column_mask(cfg, "PUBLIC", "M", "A");
    assert_non_null(r);
    assert_int_equal(r->kind, PGCDC_MASK_CHARS);
    assert_int_equal(r->n, 3);
    r = pgcdc_config_column_mask(cfg, "public", "m", "h");
    assert_non_null(r);
    assert_int_equal(r->kind, PGCDC_MASK_HASH_V1);
    assert_int_equal(r->salt_len, 10);
    assert_memory_equal(r->salt, "CzQMA0cB5K", 10);
    r = pgcdc_config_column_mask(cfg, "public", "m", "h2");
    assert_non_null(r);
    assert_int_equal(r->kind, PGCDC_MASK_HASH_V2);
    assert_string_equal(r->salt, "pepper");
    r = pgcdc_config_column_mask(cfg, "public", "m", "tail");
    assert_non_null(r);
    assert_int_equal(r->kind, PGCDC_MASK_TRUNCATE);
    r = pgcdc_config_column_mask(cfg, "public", "m", "z");
    assert_non_null(r);
    assert_int_equal(r->n, 0);
    /* Anchored: the whole name must match. */
    assert_null(pgcdc_config_column_mask(cfg, "public", "m", "ab"));
    assert_null(pgcdc_config_column_mask(cfg, "x", "public", "m"));
    pgcdc_config_free(cfg);

    cfg = load_with(NULL);
    assert_null(pgcdc_config_column_mask(cfg, "public", "m", "a"));
    pgcdc_config_free(cfg);
}

static void test_column_mask_errors(void **state)
{
    (void)state;
    expect_error_text("column.mask.hash.SHA-999.with.salt.x=public.m.a",
                      "--set: unknown hash algorithm 'SHA-999' in "
                      "column.mask.hash.SHA-999.with.salt.x (value 'public.m.a'; expected a Java "
                      "MessageDigest name such as SHA-256, SHA-512, SHA-1, MD5)");
    expect_error_text("column.mask.hash.v2.nope.with.salt.x=public.m.a",
                      "--set: unknown hash algorithm 'nope' in "
                      "column.mask.hash.v2.nope.with.salt.x (value 'public.m.a'; expected a Java "
                      "MessageDigest name such as SHA-256, SHA-512, SHA-1, MD5)");
    expect_error_text("column.mask.with.x.chars=public.m.a",
                      "--set: invalid key 'column.mask.with.x.chars' (value 'public.m.a'): "
                      "expected column.truncate.to.<N>.chars, column.mask.with.<N>.chars or "
                      "column.mask.hash[.v2].<algorithm>.with.salt.<salt> with N a non-negative "
                      "integer");
    expect_error_text("column.truncate.to.-1.chars=public.m.a",
                      "--set: invalid key 'column.truncate.to.-1.chars' (value 'public.m.a'): "
                      "expected column.truncate.to.<N>.chars, column.mask.with.<N>.chars or "
                      "column.mask.hash[.v2].<algorithm>.with.salt.<salt> with N a non-negative "
                      "integer");
    expect_error_text("column.truncate.to.99999999999.chars=public.m.a",
                      "--set: invalid key 'column.truncate.to.99999999999.chars' (value "
                      "'public.m.a'): expected column.truncate.to.<N>.chars, "
                      "column.mask.with.<N>.chars or "
                      "column.mask.hash[.v2].<algorithm>.with.salt.<salt> with N a non-negative "
                      "integer");
    expect_error_text("column.mask.hash.SHA-256=public.m.a",
                      "--set: invalid key 'column.mask.hash.SHA-256' (value 'public.m.a'): "
                      "expected column.truncate.to.<N>.chars, column.mask.with.<N>.chars or "
                      "column.mask.hash[.v2].<algorithm>.with.salt.<salt> with N a non-negative "
                      "integer");
    expect_error_text("column.truncate.to.4.chars=public.m.a,public.(bad",
                      "--set: invalid regular expression 'public.(bad' in "
                      "column.truncate.to.4.chars: Unmatched ( or \\(");
}

static void test_table_filter_default(void **state)
{
    pgcdc_config_t *cfg = load_with(NULL);

    (void)state;
    assert_true(pgcdc_config_table_included(cfg, "public", "transactions"));
    assert_true(pgcdc_config_table_included(cfg, "audit", "log"));
    assert_false(pgcdc_config_table_included(cfg, "pg_catalog", "pg_class"));
    assert_false(pgcdc_config_table_included(cfg, "information_schema", "tables"));
    assert_false(pgcdc_config_table_included(cfg, "pg_temp_3", "scratch"));
    assert_false(pgcdc_config_table_included(cfg, "public", "spatial_ref_sys"));
    pgcdc_config_free(cfg);
}

static void test_table_filter_lists(void **state)
{
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_config_t *cfg = NULL;
    const char *both[] = {"table.include.list=public.a", "table.exclude.list=public.b"};
    const char *combo[] = {"schema.include.list=public,audit", "table.exclude.list=audit\\.tmp.*"};

    (void)state;
    cfg = load_with("table.include.list= public\\.trans.* , audit\\..* ");
    assert_true(pgcdc_config_table_included(cfg, "public", "transactions"));
    assert_true(pgcdc_config_table_included(cfg, "PUBLIC", "Transactions"));
    assert_true(pgcdc_config_table_included(cfg, "audit", "log"));
    assert_false(pgcdc_config_table_included(cfg, "public", "accounts"));
    assert_false(pgcdc_config_table_included(cfg, "other", "transactions"));
    pgcdc_config_free(cfg);

    /* Anchored: a regex must match the whole name. */
    cfg = load_with("table.include.list=public.trans");
    assert_false(pgcdc_config_table_included(cfg, "public", "transactions"));
    assert_false(pgcdc_config_table_included(cfg, "xpublic", "trans"));
    assert_true(pgcdc_config_table_included(cfg, "public", "trans"));
    pgcdc_config_free(cfg);

    /* Java's \d works. */
    cfg = load_with("table.include.list=public\\.t\\d+");
    assert_true(pgcdc_config_table_included(cfg, "public", "t12"));
    assert_false(pgcdc_config_table_included(cfg, "public", "tx"));
    pgcdc_config_free(cfg);

    cfg = load_with("table.exclude.list=public\\.transactions_audit");
    assert_true(pgcdc_config_table_included(cfg, "public", "transactions"));
    assert_false(pgcdc_config_table_included(cfg, "public", "transactions_audit"));
    assert_false(pgcdc_config_table_included(cfg, "pg_catalog", "pg_class"));
    pgcdc_config_free(cfg);

    cfg = load_with("schema.include.list=audit");
    assert_true(pgcdc_config_table_included(cfg, "audit", "log"));
    assert_false(pgcdc_config_table_included(cfg, "public", "transactions"));
    assert_false(pgcdc_config_table_included(cfg, "audit2", "log"));
    pgcdc_config_free(cfg);

    cfg = load_with("schema.exclude.list=audit");
    assert_false(pgcdc_config_table_included(cfg, "audit", "log"));
    assert_true(pgcdc_config_table_included(cfg, "public", "transactions"));
    pgcdc_config_free(cfg);

    /* Schema lists first, then table lists. */
    assert_int_equal(load(BASE, combo, 2, &cfg, errstr), PGCDC_OK);
    assert_true(pgcdc_config_table_included(cfg, "public", "transactions"));
    assert_true(pgcdc_config_table_included(cfg, "audit", "log"));
    assert_false(pgcdc_config_table_included(cfg, "audit", "tmp_1"));
    assert_false(pgcdc_config_table_included(cfg, "other", "x"));
    pgcdc_config_free(cfg);

    assert_int_equal(load(BASE, both, 2, &cfg, errstr), PGCDC_ERR_USAGE);
    assert_string_equal(
        errstr, "--set: table.exclude.list cannot be used together with table.include.list");
}

static void test_column_filter(void **state)
{
    pgcdc_config_t *cfg;

    (void)state;
    cfg = load_with("column.exclude.list=public\\.transactions\\.(card_number|cvv)");
    assert_false(pgcdc_config_column_included(cfg, "public", "transactions", "card_number"));
    assert_false(pgcdc_config_column_included(cfg, "public", "transactions", "CVV"));
    assert_true(pgcdc_config_column_included(cfg, "public", "transactions", "amount"));
    assert_true(pgcdc_config_column_included(cfg, "public", "other", "cvv"));
    pgcdc_config_free(cfg);

    cfg = load_with("column.include.list=public\\.transactions\\.(id|amount)");
    assert_true(pgcdc_config_column_included(cfg, "public", "transactions", "id"));
    assert_false(pgcdc_config_column_included(cfg, "public", "transactions", "note"));
    pgcdc_config_free(cfg);
}

static void test_skipped_operations(void **state)
{
    pgcdc_config_t *cfg;

    (void)state;
    cfg = load_with("skipped.operations= c, U ");
    assert_int_equal(cfg->skipped_operations, PGCDC_SKIP_CREATE | PGCDC_SKIP_UPDATE);
    assert_true(pgcdc_config_op_skipped(cfg, PGCDC_OP_CREATE));
    assert_true(pgcdc_config_op_skipped(cfg, PGCDC_OP_UPDATE));
    assert_false(pgcdc_config_op_skipped(cfg, PGCDC_OP_DELETE));
    assert_false(pgcdc_config_op_skipped(cfg, PGCDC_OP_TRUNCATE));
    assert_false(pgcdc_config_op_skipped(cfg, PGCDC_OP_READ));
    pgcdc_config_free(cfg);
    cfg = load_with("skipped.operations=none");
    assert_int_equal(cfg->skipped_operations, 0);
    pgcdc_config_free(cfg);
    cfg = load_with("skipped.operations=d,t");
    assert_int_equal(cfg->skipped_operations, PGCDC_SKIP_DELETE | PGCDC_SKIP_TRUNCATE);
    pgcdc_config_free(cfg);
    expect_error_text("skipped.operations=c,x",
                      "--set: invalid value 'c,x' for skipped.operations (expected none or a "
                      "comma-separated list of c, u, d and t)");
}

static void test_message_key_columns(void **state)
{
    pgcdc_config_t *cfg;

    (void)state;
    cfg = load_with("message.key.columns=public.transactions: id , account_id ;audit\\..*:seq");
    assert_string_equal(pgcdc_config_message_key_columns(cfg, "public", "transactions"),
                        "id,account_id");
    assert_string_equal(pgcdc_config_message_key_columns(cfg, "audit", "log"), "seq");
    assert_null(pgcdc_config_message_key_columns(cfg, "public", "accounts"));
    pgcdc_config_free(cfg);
    expect_error_text("message.key.columns=public.transactions",
                      "--set: invalid value 'public.transactions' for message.key.columns "
                      "(expected <table regex>:<column>[,<column>...] entries separated by ';')");
}

/* ---- secrets ---- */

#define SECRET "Sup3r's\\ecr3t pw"

static void test_password_never_leaks(void **state)
{
    const char *sets[] = {"database.password=" SECRET, "kafka.sasl.password=kafkaS3cret",
                          "kafka.acks=all", "decimal.handling.mode=bogus"};
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_config_t *cfg = NULL;
    pgcdc_buf_t b = PGCDC_BUF_INIT;
    capture_t cap;
    char *log;

    (void)state;
    capture_begin(&cap);
    assert_int_equal(load(BASE, sets, 4, &cfg, errstr), PGCDC_ERR_USAGE);
    assert_null(strstr(errstr, "Sup3r"));
    assert_int_equal(load(BASE "predicates=p\n", sets, 3, &cfg, errstr), PGCDC_OK);
    log = capture_end(&cap);
    assert_null(strstr(log, "Sup3r"));
    assert_null(strstr(log, "kafkaS3cret"));
    free(log);
    assert_string_equal(cfg->database_password, SECRET);

    pgcdc_config_describe(cfg, &b);
    assert_null(strstr(b.data, "Sup3r"));
    assert_null(strstr(b.data, "kafkaS3cret"));
    assert_non_null(strstr(b.data, "password=***"));
    assert_non_null(strstr(b.data, "kafka.sasl.password=***"));
    assert_non_null(strstr(b.data, "kafka.acks=all"));
    assert_non_null(strstr(b.data, "host=localhost"));
    assert_non_null(strstr(b.data, "topic.prefix=cdc"));

    pgcdc_buf_reset(&b);
    pgcdc_config_dsn(cfg, 0, &b);
    assert_string_equal(b.data, "host='localhost' port='5432' dbname='financial_db' "
                                "user='postgres' password='Sup3r\\'s\\\\ecr3t pw' "
                                "sslmode='prefer' application_name='pgcdc'");
    pgcdc_buf_free(&b);
    pgcdc_config_free(cfg);
}

static void test_dsn_quoting(void **state)
{
    static const char text[] = "database.hostname=db host\n"
                               "database.port=6543\n"
                               "database.user=o'brien\n"
                               "database.dbname=fin\\\\db\n"
                               "database.sslmode=require\n"
                               "topic.prefix=cdc\n"
                               "sink.type=stdout\n";
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_config_t *cfg = NULL;
    pgcdc_buf_t b = PGCDC_BUF_INIT;

    (void)state;
    assert_int_equal(load(text, NULL, 0, &cfg, errstr), PGCDC_OK);
    pgcdc_config_dsn(cfg, 1, &b);
    assert_string_equal(b.data, "host='db host' port='6543' dbname='fin\\\\db' user='o\\'brien' "
                                "sslmode='require' application_name='pgcdc' "
                                "replication='database'");
    pgcdc_buf_free(&b);
    pgcdc_config_free(cfg);
}

/* ---- warnings ---- */

static void test_warnings_once_per_key(void **state)
{
    static const char text[] = BASE "name=my-connector\n"
                                    "tasks.max=1\n"
                                    "connector.class=io.debezium.connector.postgresql."
                                    "PostgresConnector\n"
                                    "predicates=p\n"
                                    "predicates.p.type=org.apache.kafka.connect.transforms."
                                    "predicates.TopicNameMatches\n"
                                    "signal.data.collection=public.signals\n"
                                    "errors.log.enable=true\n"
                                    "foo.bar=1\n"
                                    "kafka.acks=all\n"
                                    "snapshot.isolation.mode=serializable\n";
    const char *sets[] = {"foo.bar=2", "another.unknown=x"};
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_config_t *cfg = NULL;
    capture_t cap;
    char *log;

    (void)state;
    capture_begin(&cap);
    assert_int_equal(load(text, sets, 2, &cfg, errstr), PGCDC_OK);
    log = capture_end(&cap);
    assert_int_equal(count_substr(log, "'predicates'"), 1);
    assert_int_equal(count_substr(log, "'predicates.p.type'"), 1);
    assert_int_equal(count_substr(log, "'signal.data.collection'"), 1);
    assert_int_equal(count_substr(log, "'errors.log.enable'"), 1);
    assert_int_equal(count_substr(log, "'snapshot.isolation.mode'"), 1);
    assert_int_equal(count_substr(log, "not supported by pgcdc yet"), 5);
    assert_int_equal(count_substr(log, "unknown configuration key 'foo.bar' (--set)"), 1);
    assert_int_equal(count_substr(log, "unknown configuration key 'another.unknown' (--set)"), 1);
    assert_int_equal(count_substr(log, "unknown configuration key"), 2);
    assert_null(strstr(log, "'name'"));
    assert_null(strstr(log, "tasks.max"));
    assert_null(strstr(log, "connector.class"));
    assert_null(strstr(log, "kafka.acks"));
    assert_int_equal(count_substr(log, "\n"), 7);
    free(log);
    assert_int_equal(pgcdc_config_kafka_count(cfg), 2);
    pgcdc_config_free(cfg);
}

/* ---- unknown keys: suggestion, classification, refusal ---- */

/* Loads BASE plus extra (properties) with sets; returns the error, the log in *log. */
static pgcdc_err_t load_logged(const char *extra, const char *const *sets, int nsets,
                               pgcdc_config_t **cfg, char *errstr, char **log)
{
    char text[2048];
    capture_t cap;
    pgcdc_err_t err;

    snprintf(text, sizeof(text), "%s%s", BASE, extra);
    capture_begin(&cap);
    err = load(text, sets, nsets, cfg, errstr);
    *log = capture_end(&cap);
    return err;
}

static int dist(const char *a, const char *b, int max)
{
    return pgcdc_config_suggest_distance(a, strlen(a), b, strlen(b), max);
}

static void test_suggest_distance(void **state)
{
    (void)state;
    assert_int_equal(dist("", "", 3), 0);
    assert_int_equal(dist("abc", "abc", 3), 0);
    assert_int_equal(dist("", "abc", 3), 3);
    assert_int_equal(dist("abc", "", 3), 3);
    assert_int_equal(dist("kitten", "sitting", 5), 3);
    /* A transposition is one slip (plain Levenshtein counts two). */
    assert_int_equal(dist("kafak.", "kafka.", 3), 1);
    assert_int_equal(dist("slot.nmae", "slot.name", 3), 1);
    assert_int_equal(dist("table.inclde.list", "table.include.list", 3), 1);
    assert_int_equal(dist("ca", "abc", 3), 3); /* optimal string alignment, not full Damerau */
    /* Bounded: anything above max is max + 1, whether by length or by content. */
    assert_int_equal(dist("a", "abcdef", 2), 3);
    assert_int_equal(dist("abcdef", "uvwxyz", 2), 3);
    assert_int_equal(dist("abcdef", "uvwxyz", 6), 6);
    assert_int_equal(dist("Topic.Prefix", "topic.prefix", 3), 2); /* case counts */
    assert_int_equal(pgcdc_config_suggest_limit(6), 1);
    assert_int_equal(pgcdc_config_suggest_limit(7), 1);
    assert_int_equal(pgcdc_config_suggest_limit(8), 2);
    assert_int_equal(pgcdc_config_suggest_limit(15), 2);
    assert_int_equal(pgcdc_config_suggest_limit(16), 3);
}

static void expect_suggest(const char *key, const char *want, int want_capture)
{
    char out[128];
    int capture = -1;

    if (!want) {
        if (pgcdc_config_keys_suggest(key, out, sizeof(out), &capture))
            fail_msg("unexpected suggestion %s for %s", out, key);
        assert_string_equal(out, "");
        return;
    }
    if (!pgcdc_config_keys_suggest(key, out, sizeof(out), &capture))
        fail_msg("no suggestion for %s (want %s)", key, want);
    assert_string_equal(out, want);
    assert_int_equal(capture, want_capture);
}

static void test_keys_suggest(void **state)
{
    (void)state;
    expect_suggest("table.inclde.list", "table.include.list", 1);
    expect_suggest("Table.Include.List", "table.include.list", 1); /* keys are case-sensitive */
    expect_suggest("table_include_list", "table.include.list", 1);
    expect_suggest("schema.exlude.list", "schema.exclude.list", 1);
    expect_suggest("column.include.lst", "column.include.list", 1);
    expect_suggest("publication.autocreate", NULL, 0);
    expect_suggest("publication.autocreate.mod", "publication.autocreate.mode", 1);
    expect_suggest("snapshot.mdoe", "snapshot.mode", 1);
    expect_suggest("database.dbnam", "database.dbname", 1);
    expect_suggest("topic.prefx", "topic.prefix", 1);
    expect_suggest("slot.names", "slot.name", 1);
    expect_suggest("message.key.column", "message.key.columns", 1);
    expect_suggest("skiped.operations", "skipped.operations", 1);
    /* Keys that do not change what is captured. */
    expect_suggest("tombstones.on.delte", "tombstones.on.delete", 0);
    expect_suggest("decimal.handling.mdoe", "decimal.handling.mode", 0);
    expect_suggest("sink.typ", "sink.type", 0);
    expect_suggest("config.unknown.key", "config.unknown.keys", 0);
    expect_suggest("task.max", "tasks.max", 0);
    expect_suggest("snapshot.lock.timeout", "snapshot.lock.timeout.ms", 0);
    expect_suggest("snapshot.lock", NULL, 0); /* three slips from snapshot.mode: another word */
    expect_suggest("snapshot.mod", "snapshot.mode", 1);
    /* Families: the prefix is corrected, the rest kept. */
    expect_suggest("kafak.bootstrap.servers", "kafka.bootstrap.servers", 0);
    expect_suggest("kafka-bootstrap.servers", NULL, 0);
    expect_suggest("column.mask.wth.5.chars", "column.mask.with.5.chars", 1);
    expect_suggest("column.truncate.too.10.chars", "column.truncate.to.10.chars", 1);
    expect_suggest("column.mask.hahs.v2.SHA-256.with.salt.x",
                   "column.mask.hash.v2.SHA-256.with.salt.x", 1);
    expect_suggest("transfroms.unwrap.type", "transforms.unwrap.type", 0);
    expect_suggest("column.mask.with.x", NULL, 0); /* not column.mask.hash.x */
    expect_suggest("foo.bar", NULL, 0);
    expect_suggest("x", NULL, 0);
}

static void test_keys_classify(void **state)
{
    static const char *const unsupported[] = {
        "snapshot.lock.timeout.ms",
        "slot.failover",
        "database.sslrootcert",
        "include.schema.comments",
        "skip.messages.without.change",
        "snapshot.mode.configuration.based.start.stream",
        "openlineage.integration.enabled",
        "errors.max.retries",
        "header.converter",
        "key.converter.replace.null.with.default",
        "transforms",
        "transforms.route.type",
        "predicates.p.pattern",
        "topic.creation.default.partitions",
        "producer.override.acks",
        "errors.log.include.messages",
        "offsets.storage.topic",
        "signal.kafka.topic",
        "driver.foobar",
        "internal.slot.seek.to.known.offset.on.start",
        "snapshot.select.statement.overrides.public.t",
        NULL,
    };
    const char *const *k;

    (void)state;
    assert_int_equal(pgcdc_config_keys_classify("table.include.list"), PGCDC_CONFIG_KEY_READ);
    assert_int_equal(pgcdc_config_keys_classify("config.unknown.keys"), PGCDC_CONFIG_KEY_READ);
    assert_int_equal(pgcdc_config_keys_classify("connector.class"), PGCDC_CONFIG_KEY_READ);
    assert_int_equal(pgcdc_config_keys_classify("key.converter"), PGCDC_CONFIG_KEY_READ);
    assert_int_equal(pgcdc_config_keys_classify("value.converter.schemas.enable"),
                     PGCDC_CONFIG_KEY_READ);
    assert_int_equal(pgcdc_config_keys_classify("kafka.acks"), PGCDC_CONFIG_KEY_READ);
    assert_int_equal(pgcdc_config_keys_classify("column.mask.with.3.chars"), PGCDC_CONFIG_KEY_READ);
    assert_int_equal(pgcdc_config_keys_classify("kafka."), PGCDC_CONFIG_KEY_UNKNOWN);
    assert_int_equal(pgcdc_config_keys_classify("name"), PGCDC_CONFIG_KEY_READ);
    assert_int_equal(pgcdc_config_keys_classify("tasks.max"), PGCDC_CONFIG_KEY_FRAMEWORK);
    assert_int_equal(pgcdc_config_keys_classify("config.action.reload"),
                     PGCDC_CONFIG_KEY_FRAMEWORK);
    for (k = unsupported; *k; k++)
        if (pgcdc_config_keys_classify(*k) != PGCDC_CONFIG_KEY_UNSUPPORTED)
            fail_msg("%s is not classified as unsupported", *k);
    assert_int_equal(pgcdc_config_keys_classify("table.inclde.list"), PGCDC_CONFIG_KEY_UNKNOWN);
    assert_int_equal(pgcdc_config_keys_classify("transformsx"), PGCDC_CONFIG_KEY_UNKNOWN);
    assert_int_equal(pgcdc_config_keys_classify("errors.tolerence"), PGCDC_CONFIG_KEY_UNKNOWN);
    assert_int_equal(pgcdc_config_keys_classify("database.sslmod"), PGCDC_CONFIG_KEY_UNKNOWN);
    assert_int_equal(pgcdc_config_keys_classify("tombstones.on.delete.skip"),
                     PGCDC_CONFIG_KEY_UNKNOWN);
}

static void test_unknown_key_refused(void **state)
{
    static const char json[] =
        "{\"name\": \"c\", \"config\": {\"database.hostname\": \"h\", \"database.user\": \"u\", "
        "\"database.dbname\": \"d\", \"topic.prefix\": \"p\", \"sink.type\": \"stdout\", "
        "\"table.inclde.list\": \"public.t\"}}";
    static const char *const warn[] = {"config.unknown.keys=warn"};
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_config_t *cfg = (pgcdc_config_t *)1;
    char *log;

    (void)state;
    /* A near miss of a key that decides what is captured stops pgcdc, in either format. */
    assert_int_equal(load_logged("table.inclde.list=public.t\n", NULL, 0, &cfg, errstr, &log),
                     PGCDC_ERR_USAGE);
    assert_null(cfg);
    assert_string_equal(errstr, "t.properties:6: unknown key 'table.inclde.list' — did you mean "
                                "'table.include.list'? It would change what is captured: not "
                                "starting (config.unknown.keys=warn starts anyway)");
    free(log);
    cfg = (pgcdc_config_t *)1;
    assert_int_equal(pgcdc_config_load_string(json, strlen(json), "c.json", NULL, 0, &cfg, errstr,
                                              sizeof(errstr)),
                     PGCDC_ERR_USAGE);
    assert_null(cfg);
    assert_non_null(strstr(errstr, "c.json: unknown key 'table.inclde.list' — did you mean "
                                   "'table.include.list'?"));
    cfg = (pgcdc_config_t *)1;
    assert_int_equal(load_logged("", (const char *const[]){"slot.nmae=s"}, 1, &cfg, errstr, &log),
                     PGCDC_ERR_USAGE);
    assert_non_null(strstr(errstr, "--set: unknown key 'slot.nmae' — did you mean 'slot.name'?"));
    free(log);
    /* A misspelt required key is reported as the misspelling. */
    cfg = (pgcdc_config_t *)1;
    assert_int_equal(load("database.hostname=h\ndatabase.user=u\ndatabase.dbname=d\n"
                          "topic.prefx=cdc\nsink.type=stdout\n",
                          NULL, 0, &cfg, errstr),
                     PGCDC_ERR_USAGE);
    assert_string_equal(errstr, "t.properties:4: unknown key 'topic.prefx' — did you mean "
                                "'topic.prefix'? It would change what is captured: not "
                                "starting (config.unknown.keys=warn starts anyway)");
    /* A mask that does not apply would publish the column unmasked. */
    cfg = (pgcdc_config_t *)1;
    assert_int_equal(
        load_logged("column.mask.wth.5.chars=public.t.c\n", NULL, 0, &cfg, errstr, &log),
        PGCDC_ERR_USAGE);
    assert_non_null(strstr(errstr, "did you mean 'column.mask.with.5.chars'?"));
    free(log);

    /* Told otherwise: a warning with the suggestion, and the config loads. */
    cfg = NULL;
    assert_int_equal(load_logged("table.inclde.list=public.t\n", warn, 1, &cfg, errstr, &log),
                     PGCDC_OK);
    assert_int_equal(count_substr(log, "unknown configuration key 'table.inclde.list' "
                                       "(t.properties:6) — did you mean 'table.include.list'?"),
                     1);
    assert_null(cfg->table_include_list);
    free(log);
    pgcdc_config_free(cfg);

    /* config.unknown.keys=fail refuses every unknown key; a bad value is a usage error. */
    cfg = (pgcdc_config_t *)1;
    assert_int_equal(load_logged("foo.bar=1\n", (const char *const[]){"config.unknown.keys=fail"},
                                 1, &cfg, errstr, &log),
                     PGCDC_ERR_USAGE);
    assert_string_equal(errstr, "t.properties:6: unknown key 'foo.bar' (config.unknown.keys=fail)");
    free(log);
    expect_error_text("config.unknown.keys=maybe",
                      "--set: invalid value 'maybe' for config.unknown.keys (expected "
                      "fail_on_capture, warn or fail)");
}

static void test_unknown_key_warned(void **state)
{
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_config_t *cfg = NULL;
    char *log;

    (void)state;
    /* Other near misses warn with the suggestion; keys like nothing known warn without one. */
    assert_int_equal(load_logged("tombstones.on.delte=false\nkafak.acks=all\nzzz.qqq=1\n"
                                 "errors.tolerence=all\n",
                                 NULL, 0, &cfg, errstr, &log),
                     PGCDC_OK);
    assert_int_equal(count_substr(log, "unknown configuration key 'tombstones.on.delte' "
                                       "(t.properties:6) — did you mean 'tombstones.on.delete'?"),
                     1);
    assert_int_equal(count_substr(log, "'kafak.acks' (t.properties:7) — did you mean "
                                       "'kafka.acks'?"),
                     1);
    assert_int_equal(count_substr(log, "unknown configuration key 'zzz.qqq' (t.properties:8); "
                                       "ignored"),
                     1);
    assert_int_equal(count_substr(log, "'errors.tolerence' (t.properties:9) — did you mean "
                                       "'errors.tolerance'?"),
                     1);
    assert_int_equal(cfg->tombstones_on_delete, 1);
    free(log);
    pgcdc_config_free(cfg);

    /* Real Debezium and Kafka Connect keys pgcdc does not implement are not "unknown". */
    cfg = NULL;
    assert_int_equal(load_logged("snapshot.lock.timeout.ms=10000\n"
                                 "snapshot.tables.order.by.row.count=descending\n"
                                 "errors.max.retries=3\n"
                                 "tasks.max.enforce=true\n"
                                 "converters=isbn\n"
                                 "isbn.type=com.example.IsbnConverter\n"
                                 "driver.foobar=false\n"
                                 "snapshot.select.statement.overrides.public.t=SELECT 1\n",
                                 NULL, 0, &cfg, errstr, &log),
                     PGCDC_OK);
    assert_int_equal(count_substr(log, "'snapshot.lock.timeout.ms' (t.properties:6) is not "
                                       "supported by pgcdc"),
                     1);
    assert_int_equal(count_substr(log, "not supported by pgcdc"), 7);
    assert_null(strstr(log, "unknown"));
    assert_null(strstr(log, "tasks.max.enforce"));
    free(log);
    pgcdc_config_free(cfg);
}

/* ---- transforms ---- */

#define UNWRAP_TYPE "io.debezium.transforms.ExtractNewRecordState"

static pgcdc_err_t load_text(const char *extra, pgcdc_config_t **cfg, char *errstr)
{
    char text[2048];

    snprintf(text, sizeof(text), "%s%s", BASE, extra);
    return load(text, NULL, 0, cfg, errstr);
}

static void expect_text_error(const char *extra, const char *want)
{
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_config_t *cfg = (pgcdc_config_t *)1;

    assert_int_equal(load_text(extra, &cfg, errstr), PGCDC_ERR_USAGE);
    assert_null(cfg);
    assert_string_equal(errstr, want);
}

static void test_transforms(void **state)
{
    char errstr[PGCDC_ERRSTR_SIZE];
    pgcdc_config_t *cfg = NULL;
    pgcdc_event_opts_t opts;
    capture_t cap;
    char *log;

    (void)state;
    /* None configured: no transform. */
    cfg = load_with(NULL);
    assert_null(cfg->unwrap);
    pgcdc_config_free(cfg);

    /* Debezium's defaults. */
    assert_int_equal(
        load_text("transforms=unwrap\ntransforms.unwrap.type=" UNWRAP_TYPE "\n", &cfg, errstr),
        PGCDC_OK);
    assert_non_null(cfg->unwrap);
    assert_int_equal(cfg->unwrap->mode, PGCDC_UNWRAP_TOMBSTONE);
    assert_int_equal(cfg->unwrap->nfields, 0);
    assert_int_equal(cfg->unwrap->nheaders, 0);
    pgcdc_config_event_opts(cfg, &opts);
    assert_ptr_equal(opts.unwrap, cfg->unwrap);
    pgcdc_config_free(cfg);

    /* Options, the class's simple name, and a blank second alias. */
    capture_begin(&cap);
    assert_int_equal(
        load_text("transforms= flat , \n"
                  "transforms.flat.type=ExtractNewRecordState\n"
                  "transforms.flat.delete.tombstone.handling.mode=Rewrite-With-Tombstone\n"
                  "transforms.flat.add.fields=op,source.ts_ms:ts\n"
                  "transforms.flat.add.fields.prefix=\n"
                  "transforms.flat.add.headers=db\n"
                  "transforms.flat.add.headers.prefix=h.\n"
                  "transforms.flat.replace.null.with.default=false\n"
                  "transforms.flat.drop.tombstones=false\n"
                  "transforms.flat.delete.handling.mode=rewrite\n"
                  "transforms.flat.route.by.field=name\n"
                  "transforms.flat.predicate=p\n"
                  "transforms.flat.bogus=1\n"
                  "transforms.other.type=x\n",
                  &cfg, errstr),
        PGCDC_OK);
    log = capture_end(&cap);
    assert_int_equal(cfg->unwrap->mode, PGCDC_UNWRAP_REWRITE_WITH_TOMBSTONE);
    assert_int_equal(cfg->unwrap->nfields, 2);
    assert_string_equal(cfg->unwrap->fields[0].name, "op");
    assert_string_equal(cfg->unwrap->fields[1].name, "ts");
    assert_int_equal(cfg->unwrap->nheaders, 1);
    assert_string_equal(cfg->unwrap->headers[0].name, "h.db");
    assert_int_equal(count_substr(log, "'transforms.flat.drop.tombstones'"), 1);
    assert_int_equal(count_substr(log, "'transforms.flat.delete.handling.mode'"), 1);
    assert_int_equal(count_substr(log, "removed in Debezium 3"), 2);
    assert_int_equal(count_substr(log, "'transforms.flat.route.by.field'"), 1);
    assert_int_equal(count_substr(log, "'transforms.flat.predicate'"), 1);
    assert_int_equal(count_substr(log, "unknown configuration key 'transforms.flat.bogus'"), 1);
    assert_int_equal(count_substr(log, "'transforms.other.type'"), 1);
    assert_null(strstr(log, "'transforms'"));
    assert_null(strstr(log, "add.fields"));
    assert_null(strstr(log, "replace.null"));
    free(log);
    pgcdc_config_free(cfg);

    /* Configuration errors: one line naming the key and the value. */
    expect_text_error("transforms=a,b\ntransforms.a.type=" UNWRAP_TYPE "\n",
                      "t.properties:6: invalid value 'a,b' for transforms (expected a single "
                      "transform: pgcdc applies only ExtractNewRecordState)");
    expect_text_error("transforms=unwrap\n",
                      "t.properties:6: missing required key transforms.unwrap.type (transform "
                      "'unwrap' is named in transforms)");
    expect_text_error("transforms=r\ntransforms.r.type=org.apache.kafka.connect.transforms."
                      "RegexRouter\n",
                      "t.properties:7: invalid value 'org.apache.kafka.connect.transforms."
                      "RegexRouter' for transforms.r.type (expected "
                      "io.debezium.transforms.ExtractNewRecordState, the only transform pgcdc "
                      "applies)");
    expect_text_error("transforms=u\ntransforms.u.type=" UNWRAP_TYPE
                      "\ntransforms.u.delete.tombstone.handling.mode=none\n",
                      "t.properties:8: invalid value 'none' for "
                      "transforms.u.delete.tombstone.handling.mode (expected drop, tombstone, "
                      "rewrite, rewrite-with-tombstone or delete-to-tombstone)");
    expect_text_error("transforms=u\ntransforms.u.type=" UNWRAP_TYPE
                      "\ntransforms.u.add.fields=op,a:b:c\n",
                      "t.properties:8: invalid value for transforms.u.add.fields: 'a:b:c': "
                      "unexpected field name");
    expect_text_error("transforms=u\ntransforms.u.type=" UNWRAP_TYPE
                      "\ntransforms.u.add.headers=nope.x\n",
                      "t.properties:8: invalid value for transforms.u.add.headers: 'nope.x': the "
                      "change event has no struct 'nope'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_properties),
        cmocka_unit_test(test_sample_json),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_props_edge_cases),
        cmocka_unit_test(test_props_first_key_value),
        cmocka_unit_test(test_props_bad_unicode),
        cmocka_unit_test(test_json_wrapped_and_bare),
        cmocka_unit_test(test_json_errors),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_enums_valid),
        cmocka_unit_test(test_enums_invalid),
        cmocka_unit_test(test_converters),
        cmocka_unit_test(test_event_opts),
        cmocka_unit_test(test_int_ranges),
        cmocka_unit_test(test_exactly_once),
        cmocka_unit_test(test_missing_required),
        cmocka_unit_test(test_malformed_regex),
        cmocka_unit_test(test_table_filter_default),
        cmocka_unit_test(test_table_filter_lists),
        cmocka_unit_test(test_column_filter),
        cmocka_unit_test(test_column_masks),
        cmocka_unit_test(test_column_mask_errors),
        cmocka_unit_test(test_skipped_operations),
        cmocka_unit_test(test_message_key_columns),
        cmocka_unit_test(test_password_never_leaks),
        cmocka_unit_test(test_dsn_quoting),
        cmocka_unit_test(test_warnings_once_per_key),
        cmocka_unit_test(test_suggest_distance),
        cmocka_unit_test(test_keys_suggest),
        cmocka_unit_test(test_keys_classify),
        cmocka_unit_test(test_unknown_key_refused),
        cmocka_unit_test(test_unknown_key_warned),
        cmocka_unit_test(test_transforms),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
