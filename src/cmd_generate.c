/* cmd_generate.c - `pgcdc generate`: the fake financial transaction generator. */
#include "cmd.h"

#include <stdio.h>

int pgcdc_cmd_generate(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "pgcdc generate: the generator is not built yet\n");
    return 1;
}
