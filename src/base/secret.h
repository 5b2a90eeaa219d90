/*
 * secret.h - which configuration keys hold credentials, so that their values never reach a log
 * line, an error message or a configuration summary. One test for every place that prints
 * settings: the connector's own keys and the producer's kafka.* properties alike.
 */
#ifndef PGCDC_SECRET_H
#define PGCDC_SECRET_H

/* 1 when the value of key name (any prefix, e.g. "database.password", "sasl.password",
 * "ssl.key.pem", "sasl.jaas.config") must be hidden. Errs on the side of hiding: any name
 * containing password, secret, key, jaas or oauthbearer.config. */
int pgcdc_secret_key(const char *name);

#endif
