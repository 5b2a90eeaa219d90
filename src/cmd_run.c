/* cmd_run.c - `pgcdc run`: the change-data-capture engine's command line. */
#include "cmd.h"

#include <stdio.h>

int pgcdc_cmd_run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "pgcdc run: the engine is not built yet\n");
    return 1;
}
