/*
 * cmd.h - the subcommands of the pgcdc program.
 *
 * Each takes the arguments after its own name (argv[0] is the subcommand name) and returns the
 * process exit code: 0 success (or a clean stop on a signal), 1 runtime failure, 2 usage or
 * configuration error.
 */
#ifndef PGCDC_CMD_H
#define PGCDC_CMD_H

int pgcdc_cmd_run(int argc, char **argv);
int pgcdc_cmd_generate(int argc, char **argv);
int pgcdc_cmd_watch(int argc, char **argv);
int pgcdc_cmd_verify(int argc, char **argv);

#endif
