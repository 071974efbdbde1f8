// SPDX-License-Identifier: Apache-2.0
/* Reads a legacy table from the kernel, in the packet's network namespace, as iptables does. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>
#include <linux/netfilter_arp/arp_tables.h>
#include "xt_fetch.h"

#define CHILD_OUTPUT_MAX (64u << 20)
#define CHILD_TIMEOUT_MS 5000
#define POLL_SLICE_MS 200
#define CHILD_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

static int open_if_inode(const char *path, unsigned int inode)
{
	struct stat st;

	if (stat(path, &st) || st.st_ino != inode)
		return -1;
	return open(path, O_RDONLY | O_CLOEXEC);
}

int open_netns(unsigned int inode)
{
	const char *dirs[] = { "/run/netns", "/proc" };
	char path[300];
	int fd = -1;

	for (int d = 0; d < 2 && fd < 0; d++) {
		DIR *dir = opendir(dirs[d]);
		struct dirent *de;

		while (dir && fd < 0 && (de = readdir(dir))) {
			if (de->d_name[0] == '.')
				continue;
			if (d == 0)
				snprintf(path, sizeof(path), "/run/netns/%s", de->d_name);
			else if (de->d_name[0] >= '1' && de->d_name[0] <= '9')
				snprintf(path, sizeof(path), "/proc/%s/ns/net", de->d_name);
			else
				continue;
			fd = open_if_inode(path, inode);
		}
		if (dir)
			closedir(dir);
	}
	return fd;
}

/* A raw socket created inside the namespace; the caller's namespace is restored. */
static int socket_in_netns(int netns_fd, int domain)
{
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), sock = -1, saved;

	if (self < 0)
		return -1;
	if (!setns(netns_fd, CLONE_NEWNET)) {
		sock = socket(domain, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
		saved = errno;
		if (setns(self, CLONE_NEWNET)) {
			perror("skbtracer-iptables: cannot return to its network namespace");
			exit(1);
		}
		errno = saved;
	}
	close(self);
	return sock;
}

struct family_abi {
	int domain, level, get_info, get_entries;
	unsigned int nr_hooks;
	size_t entries_at; /* offset of the entry table in the get_entries reply */
};

static struct family_abi family_abi(enum xt_family family)
{
	switch (family) {
	case XT_IPV6:
		return (struct family_abi){ AF_INET6,
					    IPPROTO_IPV6,
					    IP6T_SO_GET_INFO,
					    IP6T_SO_GET_ENTRIES,
					    5,
					    offsetof(struct ip6t_get_entries, entrytable) };
	case XT_ARP:
		return (struct family_abi){ AF_INET,
					    IPPROTO_IP,
					    ARPT_SO_GET_INFO,
					    ARPT_SO_GET_ENTRIES,
					    3,
					    offsetof(struct arpt_get_entries, entrytable) };
	default:
		return (struct family_abi){ AF_INET,
					    IPPROTO_IP,
					    IPT_SO_GET_INFO,
					    IPT_SO_GET_ENTRIES,
					    5,
					    offsetof(struct ipt_get_entries, entrytable) };
	}
}

/* The three getinfo structs share this layout up to their hook arrays' length. */
struct getinfo {
	char name[XT_TABLE_MAXNAMELEN];
	unsigned int valid_hooks;
	unsigned int hooks[2 * XT_MAX_HOOKS + 2]; /* hook_entry, underflow, num_entries, size */
};

int xt_fetch_blob(int netns_fd, enum xt_family family, const char *table, struct xt_blob *blob,
		  char *err, size_t err_len)
{
	struct family_abi abi = family_abi(family);
	struct getinfo info = {};
	socklen_t len = offsetof(struct getinfo, hooks) + (2 * abi.nr_hooks + 2) * sizeof(int);
	unsigned char *reply = NULL;
	unsigned int size;
	int sock = socket_in_netns(netns_fd, abi.domain);

	memset(blob, 0, sizeof(*blob));
	if (sock < 0) {
		snprintf(err, err_len, "cannot open a socket in the namespace: %s",
			 strerror(errno));
		return -1;
	}
	snprintf(info.name, sizeof(info.name), "%s", table);
	if (getsockopt(sock, abi.level, abi.get_info, &info, &len)) {
		snprintf(err, err_len, "cannot read table %s: %s", table, strerror(errno));
		goto fail;
	}
	size = info.hooks[2 * abi.nr_hooks + 1];
	len = abi.entries_at + size;
	reply = calloc(1, len);
	if (!reply) {
		snprintf(err, err_len, "out of memory");
		goto fail;
	}
	snprintf((char *)reply, XT_TABLE_MAXNAMELEN, "%s", table);
	memcpy(reply + XT_TABLE_MAXNAMELEN, &size, sizeof(size));
	if (getsockopt(sock, abi.level, abi.get_entries, reply, &len)) {
		snprintf(err, err_len, "cannot read the entries of table %s: %s", table,
			 strerror(errno));
		goto fail;
	}
	blob->family = family;
	blob->valid_hooks = info.valid_hooks;
	blob->nr_hooks = abi.nr_hooks;
	memcpy(blob->hook_entry, info.hooks, abi.nr_hooks * sizeof(int));
	memcpy(blob->underflow, info.hooks + abi.nr_hooks, abi.nr_hooks * sizeof(int));
	memmove(reply, reply + abi.entries_at, size);
	blob->entries = reply;
	blob->size = size;
	close(sock);
	return 0;
fail:
	free(reply);
	close(sock);
	return -1;
}

void xt_blob_free(struct xt_blob *blob)
{
	free((void *)blob->entries);
	blob->entries = NULL;
}

static bool (*stop_requested)(void);

void run_in_netns_set_stop_check(bool (*fn)(void))
{
	stop_requested = fn;
}

static __u64 now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

static bool grow(char **buf, size_t *capacity)
{
	char *bigger = *capacity < CHILD_OUTPUT_MAX ? realloc(*buf, *capacity * 2) : NULL;

	if (!bigger)
		return false;
	*buf = bigger;
	*capacity *= 2;
	return true;
}

/* Reads the child's output until it closes it; why is set when it is cut short. */
static char *read_child(int fd, const char *name, char *why, size_t why_len)
{
	size_t used = 0, capacity = 1 << 16;
	char *out = malloc(capacity);
	__u64 deadline = now_ms() + CHILD_TIMEOUT_MS;
	struct pollfd pfd = { fd, POLLIN, 0 };
	ssize_t n = 1;

	while (out && n > 0) {
		if (stop_requested && stop_requested()) {
			snprintf(why, why_len, "`%s` stopped: the program is ending", name);
			break;
		}
		if (now_ms() >= deadline) {
			snprintf(why, why_len, "`%s` stopped: no answer within %d s", name,
				 CHILD_TIMEOUT_MS / 1000);
			break;
		}
		if (poll(&pfd, 1, POLL_SLICE_MS) <= 0)
			continue; /* EINTR: the stop check runs next */
		n = read(fd, out + used, capacity - used - 1);
		if (n < 0 && errno == EINTR) {
			n = 1;
			continue;
		}
		used += n > 0 ? n : 0;
		if (used + 1 == capacity && !grow(&out, &capacity)) {
			snprintf(why, why_len, "`%s` stopped: more than %u MiB of output", name,
				 CHILD_OUTPUT_MAX >> 20);
			break;
		}
	}
	if (!out || n != 0) {
		if (!why[0])
			snprintf(why, why_len, "`%s`: cannot read its output", name);
		free(out);
		return NULL;
	}
	out[used] = '\0';
	return out;
}

/* The program in the fixed PATH, found before fork (the child only calls what is safe there). */
static bool find_program(const char *name, char *path, size_t len)
{
	static const char *const dirs[] = { "/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
					    "/usr/bin",	       "/sbin",		 "/bin" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, len, "%s/%s", dirs[i], name);
		if (!access(path, X_OK))
			return true;
	}
	return false;
}

char *run_in_netns(int netns_fd, char *const argv[], char *why, size_t why_len)
{
	char *const envp[] = { "PATH=" CHILD_PATH, "LC_ALL=C", NULL };
	int pipefd[2], status;
	char path[256], *out;
	pid_t pid;

	why[0] = '\0';
	if (stop_requested && stop_requested()) {
		snprintf(why, why_len, "`%s` not run: the program is ending", argv[0]);
		return NULL;
	}
	if (!find_program(argv[0], path, sizeof(path))) {
		snprintf(why, why_len, "`%s` not found in " CHILD_PATH, argv[0]);
		return NULL;
	}
	if (pipe2(pipefd, O_CLOEXEC)) {
		snprintf(why, why_len, "`%s`: %s", argv[0], strerror(errno));
		return NULL;
	}
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(pipefd[1], STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		if (!setns(netns_fd, CLONE_NEWNET))
			execve(path, argv, envp);
		_exit(127);
	}
	close(pipefd[1]);
	out = pid > 0 ? read_child(pipefd[0], argv[0], why, why_len) : NULL;
	close(pipefd[0]);
	if (pid < 0) {
		snprintf(why, why_len, "`%s`: %s", argv[0], strerror(errno));
		return NULL;
	}
	if (!out)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (out && (!WIFEXITED(status) || WEXITSTATUS(status))) {
		snprintf(why, why_len, "`%s` failed%s", argv[0],
			 WIFEXITED(status) && WEXITSTATUS(status) == 127 ? " (cannot run it)" : "");
		free(out);
		out = NULL;
	}
	return out;
}

int xt_fetch_rule_text(int netns_fd, enum xt_family family, const char *table,
		       struct saved_rules *rules, char *err, size_t err_len)
{
	char *t = (char *)table;
	char *ipv4[][6] = { { "iptables-legacy-save", "-t", t, NULL },
			    { "xtables-legacy-multi", "iptables-save", "-t", t, NULL } };
	char *ipv6[][6] = { { "ip6tables-legacy-save", "-t", t, NULL },
			    { "xtables-legacy-multi", "ip6tables-save", "-t", t, NULL } };
	char *arp[][6] = { { "arptables-legacy", "-t", t, "-L", "-n", NULL },
			   { "arptables", "-t", t, "-L", "-n", NULL } };
	char *(*commands)[6] = family == XT_IPV6 ? ipv6 : family == XT_ARP ? arp : ipv4;
	char *text = NULL;

	memset(rules, 0, sizeof(*rules));
	for (int i = 0; i < 2 && !text; i++)
		text = run_in_netns(netns_fd, commands[i], err, err_len);
	if (!text)
		return -1;
	parse_saved_rules(family, text, rules);
	free(text);
	return 0;
}

static int append(char ***lines, int *nr, const char *text, size_t len)
{
	char **grown = realloc(*lines, (*nr + 1) * sizeof(**lines));

	if (!grown)
		return -1;
	*lines = grown;
	grown[*nr] = strndup(text, len);
	return grown[*nr] ? (*nr)++, 0 : -1;
}

/* A line of iptables-save that is no line of its own: the rest of a rule whose comment holds a newline. */
static bool rest_of_rule(const char *line, size_t len)
{
	return line[0] != ':' && line[0] != '#' && line[0] != '*' && strncmp(line, "-A ", 3) &&
	       !(len == 6 && !strncmp(line, "COMMIT", 6));
}

/* Adds "\n" and text[0..len) to the last line: a rule whose comment holds a newline. */
static int extend_last(char **lines, int nr, const char *text, size_t len)
{
	size_t had = strlen(lines[nr - 1]);
	char *grown = realloc(lines[nr - 1], had + 1 + len + 1);

	if (!grown)
		return -1;
	grown[had] = '\n';
	memcpy(grown + had + 1, text, len);
	grown[had + 1 + len] = '\0';
	lines[nr - 1] = grown;
	return 0;
}

/* arptables -L: "Chain INPUT (policy ACCEPT)" then one rule per line. */
static int parse_arptables_listing(const char *text, struct saved_rules *rules)
{
	char chain[XT_NAME_LEN] = "", policy[32], line[4096];

	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		int n;

		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		while (len > 0 && line[len - 1] == ' ')
			line[--len] = '\0';
		p += strcspn(p, "\n");
		p += *p == '\n';
		if (sscanf(line, "Chain %31s (policy %31[A-Z])", chain, policy) == 2) {
			n = snprintf(line, sizeof(line), ":%s %s", chain, policy);
			if (append(&rules->policies, &rules->nr_policies, line, n))
				return -1;
		} else if (sscanf(line, "Chain %31s", chain) == 1) {
			continue;
		} else if (line[0] && chain[0]) {
			char rule[4200];

			n = snprintf(rule, sizeof(rule), "-A %s %s", chain, line);
			if (append(&rules->lines, &rules->nr_lines, rule, n))
				return -1;
		}
	}
	return 0;
}

int parse_saved_rules(enum xt_family family, const char *text, struct saved_rules *rules)
{
	memset(rules, 0, sizeof(*rules));
	if (family == XT_ARP)
		return parse_arptables_listing(text, rules);
	bool in_rule = false; /* the line before was a rule's (or the rest of one) */

	for (const char *p = text; *p;) {
		size_t len = strcspn(p, "\n");
		int ret = 0;

		if (!strncmp(p, "-A ", 3))
			ret = append(&rules->lines, &rules->nr_lines, p, len);
		else if (p[0] == ':')
			ret = append(&rules->policies, &rules->nr_policies, p,
				     strcspn(p, "[\n") - (p[strcspn(p, "[\n")] == '['));
		else if (in_rule && rest_of_rule(p, len))
			ret = extend_last(rules->lines, rules->nr_lines, p, len);
		if (ret)
			return -1;
		in_rule = !strncmp(p, "-A ", 3) || (in_rule && rest_of_rule(p, len));
		p += len;
		p += *p == '\n';
	}
	return 0;
}

void saved_rules_free(struct saved_rules *rules)
{
	for (int i = 0; i < rules->nr_lines; i++)
		free(rules->lines[i]);
	for (int i = 0; i < rules->nr_policies; i++)
		free(rules->policies[i]);
	free(rules->lines);
	free(rules->policies);
	memset(rules, 0, sizeof(*rules));
}

/* Does line start with "<prefix><chain> "? */
static bool names_chain(const char *line, const char *prefix, const char *chain)
{
	size_t plen = strlen(prefix), clen = strlen(chain);

	return !strncmp(line, prefix, plen) && !strncmp(line + plen, chain, clen) &&
	       line[plen + clen] == ' ';
}

const char *saved_rule(const struct saved_rules *rules, const char *chain, int number)
{
	for (int i = 0; i < rules->nr_lines; i++) {
		if (names_chain(rules->lines[i], "-A ", chain) && --number == 0)
			return rules->lines[i];
	}
	return NULL;
}

const char *saved_policy(const struct saved_rules *rules, const char *chain)
{
	for (int i = 0; i < rules->nr_policies; i++) {
		if (names_chain(rules->policies[i], ":", chain))
			return rules->policies[i] + 1 + strlen(chain) + 1;
	}
	return NULL;
}
