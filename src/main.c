/* main.c - dispatches `pgcdc <subcommand>`. */
#include "cmd.h"
#include "err.h"
#include "log.h"

#include <stdio.h>
#include <string.h>

typedef struct main_cmd {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} main_cmd_t;

static const main_cmd_t main_cmds[] = {
    {"run", pgcdc_cmd_run, "stream PostgreSQL changes to Kafka as Debezium events"},
    {"generate", pgcdc_cmd_generate, "create the demo schema and write fake transactions"},
    {"watch", pgcdc_cmd_watch, "show change events arriving in Kafka, readably"},
    {"verify", pgcdc_cmd_verify, "check that a topic's events reproduce a table"},
};

static void main_usage(FILE *out)
{
    size_t i;

    fprintf(out, "usage: pgcdc <command> [options]\n\ncommands:\n");
    for (i = 0; i < sizeof(main_cmds) / sizeof(main_cmds[0]); i++)
        fprintf(out, "  %-10s %s\n", main_cmds[i].name, main_cmds[i].summary);
    fprintf(out, "\n`pgcdc <command> --help` describes a command's options; `pgcdc --version`\n"
                 "(-V) prints the version. PGCDC_LOG_LEVEL=debug|info|warn|error in the\n"
                 "environment sets how much is logged on stderr (default info).\n");
}

int main(int argc, char **argv)
{
    char errstr[PGCDC_ERRSTR_SIZE];
    size_t i;

    if (pgcdc_log_level_init(errstr, sizeof(errstr)) != PGCDC_OK) {
        fprintf(stderr, "pgcdc: %s\n", errstr);
        return 2;
    }
    if (argc < 2) {
        main_usage(stderr);
        return 2;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        main_usage(stdout);
        return 0;
    }
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V") || !strcmp(argv[1], "version")) {
        printf("pgcdc %s\n", PGCDC_VERSION);
        return 0;
    }
    for (i = 0; i < sizeof(main_cmds) / sizeof(main_cmds[0]); i++)
        if (!strcmp(argv[1], main_cmds[i].name))
            return main_cmds[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "pgcdc: unknown command '%s' (try 'pgcdc --help')\n", argv[1]);
    return 2;
}
