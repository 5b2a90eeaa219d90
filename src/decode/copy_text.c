/* copy_text.c - see copy_text.h. */
#include "copy_text.h"
#include "hex.h"

pgcdc_err_t pgcdc_copy_text_split(char *row, size_t len, pgcdc_pgoutput_value_t *values, int ncols,
                                  char *errstr, size_t errstr_size)
{
    size_t i = 0, w;
    int col = 0;

    if (len > 0 && row[len - 1] == '\n')
        len--;
    for (;;) {
        size_t start = i;

        if (col >= ncols)
            return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                                 "COPY row has more than %d columns", ncols);
        /* \N alone is NULL; anything else is a value with escapes. */
        if (i + 2 <= len && row[i] == '\\' && row[i + 1] == 'N' &&
            (i + 2 == len || row[i + 2] == '\t')) {
            values[col].kind = 'n';
            values[col].data = NULL;
            values[col].len = 0;
            i += 2;
        } else {
            w = i;
            while (i < len && row[i] != '\t') {
                char c = row[i++];

                if (c == '\\') {
                    if (i >= len)
                        return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                                             "COPY row column %d ends in a lone backslash",
                                             col + 1);
                    c = row[i++];
                    switch (c) {
                    case 'b':
                        c = '\b';
                        break;
                    case 'f':
                        c = '\f';
                        break;
                    case 'n':
                        c = '\n';
                        break;
                    case 'r':
                        c = '\r';
                        break;
                    case 't':
                        c = '\t';
                        break;
                    case 'v':
                        c = '\v';
                        break;
                    case 'x': {
                        int h = i < len ? pgcdc_hexdigit(row[i]) : -1, v = 0;

                        if (h < 0)
                            break; /* "\x" not followed by hex is a plain x */
                        v = h;
                        i++;
                        if (i < len && (h = pgcdc_hexdigit(row[i])) >= 0) {
                            v = v * 16 + h;
                            i++;
                        }
                        c = (char)v;
                        break;
                    }
                    default:
                        if (c >= '0' && c <= '7') {
                            int v = c - '0', k;

                            for (k = 0; k < 2 && i < len && row[i] >= '0' && row[i] <= '7'; k++)
                                v = v * 8 + (row[i++] - '0');
                            c = (char)v;
                        }
                        break;
                    }
                }
                row[w++] = c;
            }
            values[col].kind = 't';
            values[col].data = row + start;
            values[col].len = (uint32_t)(w - start);
        }
        col++;
        if (i >= len)
            break;
        if (row[i] != '\t')
            return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                                 "COPY row column %d: unexpected data after \\N", col);
        i++;
    }
    if (col != ncols)
        return pgcdc_err_set(PGCDC_ERR_PROTO, errstr, errstr_size,
                             "COPY row has %d columns, expected %d", col, ncols);
    return PGCDC_OK;
}
