// SPDX-License-Identifier: Apache-2.0
/* What rule attribution lacks with fewer privileges (issue 8: say it, do not blame the kernel). */
#include "privileges.h"
#include "test.h"

TEST(attribution_limits_named_by_capability)
{
	char buf[512];

	describe_attribution_limits(true, true, true, buf, sizeof(buf));
	ASSERT_STREQ(buf, "", "everything held: nothing said");
	describe_attribution_limits(false, true, true, buf, sizeof(buf));
	ASSERT_CONTAINS(buf, "without CAP_SYS_ADMIN it cannot enter other network namespaces",
			"setns");
	ASSERT_TRUE(!strstr(buf, "CAP_NET_ADMIN") && !strstr(buf, "kallsyms"), "only what lacks");
	describe_attribution_limits(true, false, false, buf, sizeof(buf));
	ASSERT_CONTAINS(buf, "without CAP_NET_ADMIN it cannot read tables", "socket options");
	ASSERT_CONTAINS(buf, "/proc/kallsyms shows it no addresses", "kallsyms");
	ASSERT_CONTAINS(buf, "such events say rule=?(reason)", "what the user will see");
	describe_attribution_limits(false, false, false, buf, 40);
	ASSERT_EQ(strlen(buf), 39, "cut to the buffer");
}
