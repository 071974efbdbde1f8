// SPDX-License-Identifier: Apache-2.0
/* Text from other namespaces made safe to print: see printable.h. */
#include <stdio.h>
#include <string.h>
#include "printable.h"

size_t utf8_sequence(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0; /* continuation byte, overlong lead (0xc0, 0xc1) or beyond U+10FFFF */
	if (s[0] == 0xe0)
		lo = 0xa0; /* overlong */
	else if (s[0] == 0xed)
		hi = 0x9f; /* surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90; /* overlong */
	else if (s[0] == 0xf4)
		hi = 0x8f; /* above U+10FFFF */
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++) {
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	}
	return len;
}

/* How many bytes at s (n available) are printed as they are: 0 for one to escape. */
static size_t plain(const unsigned char *s, size_t n)
{
	if (s[0] < 0x20 || s[0] == 0x7f)
		return 0;
	if (s[0] == 0xc2 && n > 1 && s[1] < 0xa0) /* C1: U+0080 to U+009F */
		return 0;
	return utf8_sequence(s, n);
}

const char *printable(const char *text, size_t max, char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t n = strnlen(text, max), used = 0, i = 0;

	if (!len)
		return buf;
	while (i < n) {
		size_t run = plain(s + i, n - i), need = run ? run : 4;

		if (used + need + 4 > len) /* room for "..." and the NUL */
			break;
		if (run)
			memcpy(buf + used, s + i, run);
		else
			snprintf(buf + used, len - used, "\\x%02x", s[i]);
		used += need;
		i += run ? run : 1;
	}
	buf[used] = '\0';
	if (i < n && used + 4 <= len)
		memcpy(buf + used, "...", 4);
	return buf;
}
