// SPDX-License-Identifier: Apache-2.0
/* Do we hold CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN on kernels before 5.8)? */
#include <linux/capability.h>
#include <stdio.h>
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

bool have_tracing_privileges(char *buf, size_t len)
{
	struct __user_cap_header_struct header = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {};

	if (syscall(SYS_capget, &header, data)) {
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
