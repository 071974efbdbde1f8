/* SPDX-License-Identifier: Apache-2.0 */
#ifndef NETNS_H
#define NETNS_H

#include <linux/types.h>

#define NETNS_RUN_DIR "/run/netns" /* where `ip netns add` mounts its namespaces */

/*
 * The inode of a network namespace named by a path (/proc/PID/ns/net, /run/netns/NAME) or by
 * a name from `ip netns` (NETNS_RUN_DIR/NAME): 0, -EINVAL when it is not a network namespace,
 * else -errno from opening it.
 */
int netns_inode_of(const char *path_or_name, __u32 *inode);

#endif
