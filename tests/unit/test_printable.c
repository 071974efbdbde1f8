// SPDX-License-Identifier: Apache-2.0
/* Names and rule text from another namespace reach the terminal without control characters. */
#include <stdlib.h>
#include "test.h"
#include "format.h"
#include "printable.h"
#include "render_text.h"

/* No byte below 0x20 (but the line's own newlines), no DEL, no C1 control, no lone 0x80-0xff. */
static bool terminal_safe(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; p[i];) {
		size_t len = utf8_sequence(p + i, strlen(s) - i);

		if ((p[i] < 0x20 && p[i] != '\n') || p[i] == 0x7f || !len ||
		    (p[i] == 0xc2 && p[i + 1] < 0xa0))
			return false;
		i += len;
	}
	return true;
}

TEST(printable_escapes_controls_keeps_utf8)
{
	char buf[64];

	ASSERT_STREQ(printable("filter", 256, buf, sizeof(buf)), "filter", "plain");
	ASSERT_STREQ(printable("\x1b[31mred", 256, buf, sizeof(buf)), "\\x1b[31mred", "ESC");
	ASSERT_STREQ(printable("a\nb\tc\x7f", 256, buf, sizeof(buf)), "a\\x0ab\\x09c\\x7f",
		     "C0, DEL");
	ASSERT_STREQ(printable("\xc2\x9b"
			       "2J",
			       256, buf, sizeof(buf)),
		     "\\xc2\\x9b2J", "C1 CSI");
	ASSERT_STREQ(printable("\x9b"
			       "2J\xff",
			       256, buf, sizeof(buf)),
		     "\\x9b2J\\xff", "not UTF-8");
	ASSERT_STREQ(printable("\xc3\xbc"
			       "ber \xc2\xa0",
			       256, buf, sizeof(buf)),
		     "\xc3\xbc"
		     "ber \xc2\xa0",
		     "UTF-8 kept (U+00A0 is not C1)");
	ASSERT_STREQ(printable("abcdef", 3, buf, sizeof(buf)), "abc", "at most max bytes");
	ASSERT_STREQ(printable("abcdefghij", 256, buf, 8), "abcd...", "cut where it does not fit");
	ASSERT_STREQ(printable("\x1b\x1b\x1b", 256, buf, 10), "\\x1b...", "escapes are not split");
	ASSERT_STREQ(printable("ab\xc3\xbc", 256, buf, 8), "ab\xc3\xbc", "a sequence fits whole");
	ASSERT_STREQ(printable("abc\xc3\xbc", 256, buf, 8), "abc...", "or not at all");
}

TEST(hostile_names_in_text_lines)
{
	static const char hostile[] = "\x1b]0;owned\x07\x1b[2J\xc2\x9b"
				      "31m\n";
	struct event e = { .engine = ENGINE_NFTABLES, .family = PF_FAMILY_INET, .hook = 1 };
	struct rule_step step = { .kind = RULE_STEP_RULE,
				  .chain = hostile,
				  .handle = 4,
				  .text = "meta mark 1 comment \"\x1b[31mred\" drop" };
	char line[2048], buf[4400];

	snprintf(e.table, sizeof(e.table), "t%s", hostile);
	snprintf(e.chain, sizeof(e.chain), "c%s", hostile);
	snprintf(e.in_ifname, sizeof(e.in_ifname), "\x1b[31meth0");
	format_event(&e, &(struct time_format){}, line, sizeof(line));
	ASSERT_TRUE(terminal_safe(line), "event line");
	ASSERT_TRUE(
		strstr(line, "table=t\\x1b]0;owned\\x07\\x1b[2J\\xc2\\x9b31m\\x0a chain=c\\x1b]") !=
			NULL,
		"names escaped");
	ASSERT_TRUE(strstr(line, "\\x1b[31meth0") != NULL, "interface escaped");
	render_text_step(true, &step, true, buf, sizeof(buf));
	ASSERT_TRUE(terminal_safe(buf), "rule step");
	ASSERT_TRUE(strstr(buf, "[handle 4]: meta mark 1 comment \"\\x1b[31mred\" drop") != NULL,
		    "rule text");
}
