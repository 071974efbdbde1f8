/* SPDX-License-Identifier: Apache-2.0 */
#ifndef PRINTABLE_H
#define PRINTABLE_H

#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (n bytes available), or 0 if it is not one. */
size_t utf8_sequence(const unsigned char *s, size_t n);

/*
 * Names and rule text come from whoever controls a namespace: text (at most max bytes, up to
 * its NUL) as it may reach a terminal. Control characters (C0, DEL, C1) and bytes that are not
 * UTF-8 become \xHH; what does not fit in buf ends in "...". Returns buf.
 */
const char *printable(const char *text, size_t max, char *buf, size_t len);

/* Room for a table or chain name (NAME_LEN) and an interface's (IFNAME_LEN) with some escapes. */
#define PRINTABLE_NAME_LEN 304
#define PRINTABLE_IFNAME_LEN 64

#endif
