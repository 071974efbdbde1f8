/* SPDX-License-Identifier: Apache-2.0 */
#ifndef NETNS_NAMES_H
#define NETNS_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

/*
 * --netns-names: what a network namespace is called, found without asking any daemon:
 *  1. its `ip netns` name: an entry of /run/netns whose inode is the namespace's;
 *  2. else a Kubernetes pod: a process in it whose cgroup path holds the pod's uid
 *     (kubepods-besteffort-pod<uid>.slice, kubepods-pod<uid>.slice, /kubepods/.../pod<uid>/)
 *     and the kubelet's log directory /var/log/pods/<namespace>_<name>_<uid>; a pod's
 *     containers share its namespace, so the pod names it;
 *  3. else a container: a process in it whose cgroup path ends in docker-<id>.scope,
 *     /docker/<id>, cri-containerd-<id>.scope, crio-<id>.scope or libpod-<id>.scope
 *     (<id>: 64 hex digits).
 * The namespace of PID 1 (the host's) is never named after a container or pod: a container
 * with the host's network (docker --net=host) does not own it. Names come from whoever controls
 * a namespace: they are data, to be escaped when shown, never passed to a command.
 */

enum netns_kind { NETNS_UNNAMED, NETNS_IP_NETNS, NETNS_CONTAINER, NETNS_POD };

#define NETNS_NAME_LEN 320 /* "namespace/name": 63 + 1 + 253 bytes, and a NUL */

struct netns_label {
	enum netns_kind kind;
	const char *runtime;	   /* NETNS_CONTAINER: "docker", "containerd", "cri-o", "podman" */
	char name[NETNS_NAME_LEN]; /* ip netns name, container id, or pod "namespace/name" */
};

/* Where the names are read: the system's directories, or a test's fake tree. */
struct netns_roots {
	const char *proc;      /* /proc */
	const char *run_netns; /* /run/netns */
	const char *pod_logs;  /* /var/log/pods */
};

extern const struct netns_roots netns_system_roots;

/* The container named by one cgroup path (the third field of /proc/PID/cgroup). */
bool cgroup_container(const char *path, struct netns_label *label);
/* The pod uid (dashed, as in /var/log/pods) in a cgroup path. */
bool cgroup_pod_uid(const char *path, char uid[37]);
/* "namespace/name" from the entry <namespace>_<name>_<uid> of the kubelet's log directory. */
bool pod_logs_name(const char *pod_logs, const char *uid, char *name, size_t len);

/* One scan of the roots: labels[i] for inodes[i] (NETNS_UNNAMED when nothing names it). */
void netns_names_scan(const struct netns_roots *roots, const __u32 *inodes,
		      struct netns_label *labels, int count);

/*
 * A cache by inode filled by a resolver thread, so that slow /proc scans stay off the event
 * path: a lookup that misses waits at most wait_ms for the scan, and an unnamed namespace is
 * looked for again at most every NETNS_RETRY_MS. NULL when out of memory or threads.
 */
#define NETNS_RETRY_MS 2000
struct netns_names;
struct netns_names *netns_names_new(const struct netns_roots *roots, int wait_ms);
void netns_names_lookup(struct netns_names *names, __u32 inode, struct netns_label *label);
void netns_names_free(struct netns_names *names);

/* "ip-netns", "container", "pod", or NULL when unnamed. */
const char *netns_kind_name(enum netns_kind kind);
/* The text column: "ns2", "docker:0123456789ab" (short id), "pod:default/web", "-"; escaped. */
void netns_label_text(const struct netns_label *label, char *buf, size_t len);

#endif
