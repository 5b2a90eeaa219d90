/* secret.c - see secret.h. */
#include "secret.h"

#include <string.h>

int pgcdc_secret_key(const char *name)
{
    static const char *const words[] = {"password", "secret", "key", "jaas", "oauthbearer.config"};
    size_t i;

    for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strstr(name, words[i]))
            return 1;
    return 0;
}
