// SPDX-License-Identifier: Apache-2.0
/* Do we hold CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN on kernels before 5.8)? What else? */
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "privileges.h"

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

static bool has_cap(const struct __user_cap_data_struct data[2], int cap)
{
	return data[cap / 32].effective & (1u << (cap % 32));
}

static bool read_caps(struct __user_cap_data_struct data[2])
{
	struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };

	return !syscall(SYS_capget, &header, data);
}

bool have_tracing_privileges(char *buf, size_t len)
{
	struct __user_cap_data_struct data[2] = {};

	if (!read_caps(data)) {
		snprintf(buf, len, "cannot read this process's capabilities");
		return false;
	}
	if (has_cap(data, CAP_SYS_ADMIN) || (has_cap(data, CAP_BPF) && has_cap(data, CAP_PERFMON)))
		return true;
	snprintf(buf, len,
		 "tracing needs root, or the capabilities CAP_BPF and CAP_PERFMON "
		 "(for example: sudo skbtracer-iptables ...)");
	return false;
}

void describe_attribution_limits(bool sys_admin, bool net_admin, bool kallsyms_addresses, char *buf,
				 size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	if (sys_admin && net_admin && kallsyms_addresses)
		return;
	used = snprintf(buf, len, "Rule attribution is limited by this process's privileges:");
	if (!sys_admin && used < len)
		used += snprintf(buf + used, len - used,
				 " without CAP_SYS_ADMIN it cannot enter other network namespaces "
				 "to read their tables;");
	if (!net_admin && used < len)
		used += snprintf(buf + used, len - used,
				 " without CAP_NET_ADMIN it cannot read tables "
				 "(IPT_SO_GET_ENTRIES);");
	if (!kallsyms_addresses && used < len)
		used += snprintf(buf + used, len - used,
				 " /proc/kallsyms shows it no addresses (kernel.kptr_restrict; "
				 "CAP_SYSLOG), so the counter walk cannot run;");
	if (used < len)
		snprintf(buf + used, len - used, " such events say rule=?(reason)");
}

/* Does /proc/kallsyms show this process real addresses (kptr_restrict, CAP_SYSLOG)? */
static bool kallsyms_shows_addresses(void)
{
	FILE *f = fopen("/proc/kallsyms", "re");
	char address[32] = "";
	bool shown;

	if (!f)
		return false;
	shown = fscanf(f, "%31s", address) == 1 && strspn(address, "0") != strlen(address);
	fclose(f);
	return shown;
}

void attribution_limits(char *buf, size_t len)
{
	struct __user_cap_data_struct data[2] = {};
	bool known = read_caps(data);

	describe_attribution_limits(known && has_cap(data, CAP_SYS_ADMIN),
				    known && has_cap(data, CAP_NET_ADMIN),
				    kallsyms_shows_addresses(), buf, len);
}
