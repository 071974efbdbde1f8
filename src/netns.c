// SPDX-License-Identifier: Apache-2.0
/* Network namespaces by path or `ip netns` name → their inode, the NETWORK_NS column. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/nsfs.h>
#include "netns.h"

int netns_inode_of(const char *path_or_name, __u32 *inode)
{
	char path[PATH_MAX];
	struct stat st;
	int fd, type, ret = 0;

	if (strchr(path_or_name, '/'))
		snprintf(path, sizeof(path), "%s", path_or_name);
	else if (!*path_or_name || !strcmp(path_or_name, ".") || !strcmp(path_or_name, "..") ||
		 snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", path_or_name) >=
			 (int)sizeof(path))
		return -EINVAL;
	/* Namespace files are regular; never open a FIFO or a device someone named. */
	if (stat(path, &st))
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	type = ioctl(fd, NS_GET_NSTYPE); /* not a namespace file: ENOTTY */
	if (type != CLONE_NEWNET)
		ret = -EINVAL;
	else if (fstat(fd, &st))
		ret = -errno;
	else
		*inode = st.st_ino;
	close(fd);
	return ret;
}
