// SPDX-License-Identifier: Apache-2.0
/* Network namespace inodes → `ip netns` names, pods and containers (see netns_names.h). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "netns.h"
#include "netns_names.h"
#include "options.h"

#define CONTAINER_ID_LEN 64
#define SHORT_ID_LEN 12 /* as `docker ps` shows an id */
#define POD_UID_LEN 36
#define CGROUP_FILE_MAX 8192
#define CACHE_ENTRIES 1024
#define SCAN_BATCH 64
#define SCAN_INTERVAL_MS 200 /* at most five scans a second, whatever misses */

const struct netns_roots netns_system_roots = {
	.proc = "/proc",
	.run_netns = NETNS_RUN_DIR,
	.pod_logs = "/var/log/pods",
};

static bool all_hex(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return false;
	}
	return true;
}

/* component is prefix + 64 hex digits + suffix; *id: the digits. */
static bool id_between(const char *component, size_t len, const char *prefix, const char *suffix,
		       const char **id)
{
	size_t plen = strlen(prefix), slen = strlen(suffix);

	if (len != plen + CONTAINER_ID_LEN + slen || strncmp(component, prefix, plen) ||
	    strncmp(component + plen + CONTAINER_ID_LEN, suffix, slen) ||
	    !all_hex(component + plen, CONTAINER_ID_LEN))
		return false;
	*id = component + plen;
	return true;
}

bool cgroup_container(const char *path, struct netns_label *label)
{
	static const struct {
		const char *prefix, *suffix, *runtime;
	} scopes[] = {
		{ "docker-", ".scope", "docker" },	       /* docker, systemd cgroup driver */
		{ "cri-containerd-", ".scope", "containerd" }, /* containerd's CRI plugin */
		{ "crio-", ".scope", "cri-o" },
		{ "libpod-", ".scope", "podman" },
		{ "", "", "docker" }, /* /docker/<id>: docker, cgroupfs driver */
	};
	const char *c = path, *previous = NULL, *id = NULL, *runtime = NULL;
	size_t previous_len = 0;

	/* The last component that names a container: nested ones name the innermost. */
	while (*c) {
		size_t len = strcspn(c, "/");

		for (size_t i = 0; len && i < sizeof(scopes) / sizeof(scopes[0]); i++) {
			bool bare = !scopes[i].prefix[0];

			if (bare && !(previous_len == 6 && !strncmp(previous, "docker", 6)))
				continue;
			if (id_between(c, len, scopes[i].prefix, scopes[i].suffix, &id)) {
				runtime = scopes[i].runtime;
				snprintf(label->name, sizeof(label->name), "%.*s", CONTAINER_ID_LEN,
					 id);
				break;
			}
		}
		previous = c;
		previous_len = len;
		c += len;
		c += *c == '/';
	}
	if (!runtime)
		return false;
	label->kind = NETNS_CONTAINER;
	label->runtime = runtime;
	return true;
}

/* "pod" + 36 characters of a uid (hex and '-', or '_' with systemd's slices), at uid. */
static bool pod_uid_at(const char *uid, char out[POD_UID_LEN + 1])
{
	for (int i = 0; i < POD_UID_LEN; i++) {
		char ch = uid[i];

		if (ch == '_')
			ch = '-';
		if (!ch || (ch != '-' && !(isxdigit((unsigned char)ch) && !isupper(ch))))
			return false;
		out[i] = ch;
	}
	out[POD_UID_LEN] = '\0';
	/* the uid ends there: kubepods-pod<uid>.slice, /pod<uid>/, /pod<uid> */
	return !uid[POD_UID_LEN] || uid[POD_UID_LEN] == '/' ||
	       !strncmp(uid + POD_UID_LEN, ".slice", 6);
}

bool cgroup_pod_uid(const char *path, char uid[POD_UID_LEN + 1])
{
	for (const char *p = strstr(path, "pod"); p; p = strstr(p + 1, "pod")) {
		bool starts = p > path && (p[-1] == '/' || p[-1] == '-');

		if (starts && pod_uid_at(p + 3, uid))
			return true;
	}
	return false;
}

bool pod_logs_name(const char *pod_logs, const char *uid, char *name, size_t len)
{
	DIR *dir = opendir(pod_logs);
	size_t uid_len = strlen(uid);
	struct dirent *d;
	bool found = false;

	if (!dir)
		return false;
	while (!found && (d = readdir(dir))) {
		size_t n = strlen(d->d_name);
		const char *sep;

		/* <namespace>_<name>_<uid>: a namespace (a DNS label) has no '_' */
		if (n <= uid_len + 1 || strcmp(d->d_name + n - uid_len, uid) ||
		    d->d_name[n - uid_len - 1] != '_')
			continue;
		sep = strchr(d->d_name, '_');
		if (sep == d->d_name + n - uid_len - 1)
			continue; /* no name between */
		snprintf(name, len, "%.*s/%.*s", (int)(sep - d->d_name), d->d_name,
			 (int)(n - uid_len - 1 - (sep - d->d_name) - 1), sep + 1);
		found = true;
	}
	closedir(dir);
	return found;
}

/* The inode and device of a namespace file (following /proc's links and /run/netns' mounts). */
static bool ns_file(int dirfd, const char *path, struct stat *st)
{
	return !fstatat(dirfd, path, st, 0) && S_ISREG(st->st_mode);
}

static int find_label(const __u32 *inodes, int count, __u32 inode)
{
	for (int i = 0; i < count; i++) {
		if (inodes[i] == inode)
			return i;
	}
	return -1;
}

/* Entries of the `ip netns` directory that are mounts of the namespaces wanted. */
static void scan_run_netns(const char *run_netns, dev_t nsfs, const __u32 *inodes,
			   struct netns_label *labels, int count)
{
	DIR *dir = opendir(run_netns);
	struct dirent *d;
	struct stat st;
	int i;

	if (!dir)
		return;
	while ((d = readdir(dir))) {
		if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, "..") ||
		    !ns_file(dirfd(dir), d->d_name, &st) || st.st_dev != nsfs)
			continue;
		i = find_label(inodes, count, st.st_ino);
		if (i >= 0 && labels[i].kind == NETNS_UNNAMED) {
			labels[i].kind = NETNS_IP_NETNS;
			snprintf(labels[i].name, sizeof(labels[i].name), "%s", d->d_name);
		}
	}
	closedir(dir);
}

/* What one process's cgroup file says: a pod (with a log directory) beats a container. */
static void label_from_cgroup(const struct netns_roots *roots, int procfd, const char *pid,
			      struct netns_label *label)
{
	char file[CGROUP_FILE_MAX], path[NAME_MAX + 8], uid[POD_UID_LEN + 1];
	struct netns_label found = { .kind = NETNS_UNNAMED };
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "%s/cgroup", pid);
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	len = read(fd, file, sizeof(file) - 1);
	close(fd);
	if (len <= 0)
		return;
	file[len] = '\0';
	/* Lines "ID:CONTROLLERS:PATH" (cgroup v1: one per hierarchy; v2: "0::PATH"). */
	for (char *line = file, *end; line && *line; line = end ? end + 1 : NULL) {
		char *cgroup = strchr(line, ':');

		end = strchr(line, '\n');
		if (end)
			*end = '\0';
		cgroup = cgroup ? strchr(cgroup + 1, ':') : NULL;
		if (!cgroup)
			continue;
		cgroup++;
		if (cgroup_pod_uid(cgroup, uid) &&
		    pod_logs_name(roots->pod_logs, uid, found.name, sizeof(found.name))) {
			found.kind = NETNS_POD;
			found.runtime = NULL;
			break;
		}
		if (found.kind == NETNS_UNNAMED)
			cgroup_container(cgroup, &found);
	}
	if (found.kind == NETNS_POD || (found.kind == NETNS_CONTAINER && !label->kind))
		*label = found;
}

/* Processes in the namespaces still unnamed (or named after a container only). */
static void scan_processes(const struct netns_roots *roots, dev_t nsfs, const __u32 *inodes,
			   struct netns_label *labels, int count)
{
	DIR *dir = opendir(roots->proc);
	struct stat st, host;
	char path[NAME_MAX + 8];
	struct dirent *d;
	int i;

	if (!dir)
		return;
	if (!ns_file(dirfd(dir), "1/ns/net", &host))
		host.st_ino = 0;
	while ((d = readdir(dir))) {
		if (!isdigit((unsigned char)d->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "%s/ns/net", d->d_name);
		if (!ns_file(dirfd(dir), path, &st) || st.st_dev != nsfs ||
		    st.st_ino == host.st_ino)
			continue;
		i = find_label(inodes, count, st.st_ino);
		if (i >= 0 && labels[i].kind != NETNS_IP_NETNS && labels[i].kind != NETNS_POD)
			label_from_cgroup(roots, dirfd(dir), d->d_name, &labels[i]);
	}
	closedir(dir);
}

void netns_names_scan(const struct netns_roots *roots, const __u32 *inodes,
		      struct netns_label *labels, int count)
{
	char self[PATH_MAX];
	struct stat st;
	int unnamed = 0;

	for (int i = 0; i < count; i++)
		labels[i] = (struct netns_label){ .kind = NETNS_UNNAMED };
	/* Namespace files live on nsfs: an inode elsewhere is not a namespace's. */
	snprintf(self, sizeof(self), "%s/self/ns/net", roots->proc);
	if (stat(self, &st))
		return;
	scan_run_netns(roots->run_netns, st.st_dev, inodes, labels, count);
	for (int i = 0; i < count; i++)
		unnamed += labels[i].kind == NETNS_UNNAMED;
	if (unnamed)
		scan_processes(roots, st.st_dev, inodes, labels, count);
}

const char *netns_kind_name(enum netns_kind kind)
{
	switch (kind) {
	case NETNS_IP_NETNS:
		return "ip-netns";
	case NETNS_CONTAINER:
		return "container";
	case NETNS_POD:
		return "pod";
	default:
		return NULL;
	}
}

void netns_label_text(const struct netns_label *label, char *buf, size_t len)
{
	char name[SHOWN_MAX];

	shown(label->name, name, sizeof(name));
	switch (label->kind) {
	case NETNS_IP_NETNS:
		snprintf(buf, len, "%s", name);
		break;
	case NETNS_CONTAINER:
		snprintf(buf, len, "%s:%.*s", label->runtime, SHORT_ID_LEN, name);
		break;
	case NETNS_POD:
		snprintf(buf, len, "pod:%s", name);
		break;
	default:
		snprintf(buf, len, "-");
	}
}

/* The cache and its resolver thread. */

struct netns_entry {
	__u32 inode;
	bool pending;	  /* the resolver is to look for it */
	__u64 checked_ns; /* monotonic: when it was last looked for */
	struct netns_label label;
};

struct netns_names {
	struct netns_roots roots;
	int wait_ms;
	pthread_mutex_t lock;
	pthread_cond_t wanted;	 /* lookups → resolver: something is pending */
	pthread_cond_t resolved; /* resolver → lookups: a scan ended */
	pthread_t thread;
	bool stop;
	struct netns_entry entries[CACHE_ENTRIES];
	int nr_entries;
};

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static struct timespec deadline_after(int ms)
{
	__u64 at = now_ns() + ms * 1000000ULL;

	return (struct timespec){ .tv_sec = at / 1000000000ULL, .tv_nsec = at % 1000000000ULL };
}

static struct netns_entry *find_entry(struct netns_names *n, __u32 inode)
{
	for (int i = 0; i < n->nr_entries; i++) {
		if (n->entries[i].inode == inode)
			return &n->entries[i];
	}
	return NULL;
}

/* Scans for what is pending, SCAN_INTERVAL_MS apart at least; the lock is held but in scans. */
static void *resolver_thread(void *ctx)
{
	struct netns_names *n = ctx;
	struct netns_label labels[SCAN_BATCH];
	__u32 inodes[SCAN_BATCH];
	__u64 last_scan = 0;
	int count;

	pthread_mutex_lock(&n->lock);
	while (!n->stop) {
		count = 0;
		for (int i = 0; i < n->nr_entries && count < SCAN_BATCH; i++) {
			if (n->entries[i].pending)
				inodes[count++] = n->entries[i].inode;
		}
		if (!count) {
			pthread_cond_wait(&n->wanted, &n->lock);
			continue;
		}
		if (last_scan && now_ns() - last_scan < SCAN_INTERVAL_MS * 1000000ULL) {
			__u64 at = last_scan + SCAN_INTERVAL_MS * 1000000ULL;
			struct timespec until = { .tv_sec = at / 1000000000ULL,
						  .tv_nsec = at % 1000000000ULL };

			pthread_cond_timedwait(&n->wanted, &n->lock, &until);
			continue;
		}
		pthread_mutex_unlock(&n->lock);
		netns_names_scan(&n->roots, inodes, labels, count);
		last_scan = now_ns();
		pthread_mutex_lock(&n->lock);
		for (int i = 0; i < count; i++) {
			struct netns_entry *e = find_entry(n, inodes[i]);

			if (!e)
				continue; /* the cache was emptied meanwhile */
			e->label = labels[i];
			e->pending = false;
			e->checked_ns = last_scan;
		}
		pthread_cond_broadcast(&n->resolved);
	}
	pthread_mutex_unlock(&n->lock);
	return NULL;
}

struct netns_names *netns_names_new(const struct netns_roots *roots, int wait_ms)
{
	struct netns_names *n = calloc(1, sizeof(*n));
	pthread_condattr_t attr;

	if (!n)
		return NULL;
	n->roots = *roots;
	n->wait_ms = wait_ms;
	pthread_mutex_init(&n->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&n->wanted, &attr);
	pthread_cond_init(&n->resolved, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&n->thread, NULL, resolver_thread, n)) {
		free(n);
		return NULL;
	}
	return n;
}

void netns_names_lookup(struct netns_names *n, __u32 inode, struct netns_label *label)
{
	struct timespec until = deadline_after(n->wait_ms);
	struct netns_entry *e;

	*label = (struct netns_label){ .kind = NETNS_UNNAMED };
	pthread_mutex_lock(&n->lock);
	e = find_entry(n, inode);
	if (e) {
		/* Unnamed a while ago: named since? Say what is known without waiting. */
		if (!e->pending && e->label.kind == NETNS_UNNAMED &&
		    now_ns() - e->checked_ns >= NETNS_RETRY_MS * 1000000ULL) {
			e->pending = true;
			pthread_cond_signal(&n->wanted);
		}
		*label = e->label;
		pthread_mutex_unlock(&n->lock);
		return;
	}
	if (n->nr_entries == CACHE_ENTRIES)
		n->nr_entries = 0; /* a churn of namespaces: start again */
	e = &n->entries[n->nr_entries++];
	*e = (struct netns_entry){ .inode = inode, .pending = true };
	pthread_cond_signal(&n->wanted);
	while ((e = find_entry(n, inode)) && e->pending) {
		if (pthread_cond_timedwait(&n->resolved, &n->lock, &until) == ETIMEDOUT)
			break;
	}
	if (e && !e->pending)
		*label = e->label;
	pthread_mutex_unlock(&n->lock);
}

void netns_names_free(struct netns_names *n)
{
	if (!n)
		return;
	pthread_mutex_lock(&n->lock);
	n->stop = true;
	pthread_cond_signal(&n->wanted);
	pthread_mutex_unlock(&n->lock);
	pthread_join(n->thread, NULL);
	pthread_cond_destroy(&n->wanted);
	pthread_cond_destroy(&n->resolved);
	pthread_mutex_destroy(&n->lock);
	free(n);
}
