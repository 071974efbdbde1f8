// SPDX-License-Identifier: Apache-2.0
/* --netns-names on fake /proc, /run/netns and /var/log/pods trees: no root, no namespaces. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include "test.h"
#include "netns_names.h"
#include "record.h"
#include "render_json.h"
#include "render_text.h"

#define ID_A "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define ID_B "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
#define POD_UID "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9"
#define POD_UID_SLICE "1b2c3d4e_5f60_4718_8293_a4b5c6d7e8f9"
#define EVIL_UID "99999999-8888-7777-6666-555555555555"
/* A pod namespace and name from whoever runs pods: a quote, a newline, ESC, a byte not UTF-8. */
#define EVIL_POD "ev\"il_n\\a\nme\x1b[31m\xff"
#define EVIL_NETNS "x\"y\\z\n\x01\xfe"

TEST(netns_cgroup_container_patterns)
{
	static const struct {
		const char *path, *runtime, *id;
	} cases[] = {
		{ "/system.slice/docker-" ID_A ".scope", "docker", ID_A },
		{ "/docker/" ID_A, "docker", ID_A },
		{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" POD_UID_SLICE
		  ".slice/cri-containerd-" ID_B ".scope",
		  "containerd", ID_B },
		{ "/kubepods.slice/kubepods-pod" POD_UID_SLICE ".slice/crio-" ID_A ".scope",
		  "cri-o", ID_A },
		{ "/machine.slice/libpod-" ID_B ".scope/container", "podman", ID_B },
		{ "/docker/" ID_A "/docker/" ID_B, "docker", ID_B }, /* nested: the innermost */
		{ "/machine.slice/libpod-conmon-" ID_B ".scope", NULL, NULL },
		{ "/system.slice/crio-conmon-" ID_A ".scope", NULL, NULL },
		{ "/system.slice/docker.service", NULL, NULL },
		{ "/user.slice/docker-0123.scope", NULL, NULL },	/* short */
		{ "/system.slice/docker-" ID_A "0.scope", NULL, NULL }, /* long */
		{ "/other/" ID_A, NULL, NULL },				/* not docker's */
		{ "/system.slice/docker-0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789"
		  "abcdef.scope",
		  NULL, NULL },
		{ "/", NULL, NULL },
		{ "", NULL, NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct netns_label l = { .kind = NETNS_UNNAMED };
		bool found = cgroup_container(cases[i].path, &l);

		if (!ASSERT_EQ(found, cases[i].runtime != NULL, cases[i].path) || !found)
			continue;
		ASSERT_EQ(l.kind, NETNS_CONTAINER, cases[i].path);
		ASSERT_STREQ(l.runtime, cases[i].runtime, cases[i].path);
		ASSERT_STREQ(l.name, cases[i].id, cases[i].path);
	}
}

TEST(netns_cgroup_pod_uid)
{
	static const struct {
		const char *path, *uid;
	} cases[] = {
		{ "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" POD_UID_SLICE
		  ".slice/cri-containerd-" ID_A ".scope",
		  POD_UID },
		{ "/kubepods.slice/kubepods-pod" POD_UID_SLICE ".slice/crio-" ID_A ".scope",
		  POD_UID },
		{ "/kubepods/burstable/pod" POD_UID "/" ID_A, POD_UID }, /* cgroupfs driver */
		{ "/kubepods/burstable/pod" POD_UID, POD_UID },
		{ "/kubepods/burstable/pod" POD_UID "x/" ID_A, NULL },
		{ "/kubepods/burstable/pod1234/" ID_A, NULL },
		{ "/system.slice/ipod" POD_UID ".slice", NULL },
		{ "/system.slice/docker-" ID_A ".scope", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char uid[37] = "";
		bool found = cgroup_pod_uid(cases[i].path, uid);

		if (ASSERT_EQ(found, cases[i].uid != NULL, cases[i].path) && found)
			ASSERT_STREQ(uid, cases[i].uid, cases[i].path);
	}
}

/* A fake tree under a temporary directory, removed by `rm -rf` (a constant command). */
struct tree {
	char root[64];
	char proc[128], run_netns[128], pod_logs[128];
	struct netns_roots roots;
};

static bool write_file(const char *dir, const char *name, const char *text)
{
	char path[1024];
	int fd;
	bool ok;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return false;
	ok = write(fd, text, strlen(text)) == (ssize_t)strlen(text);
	close(fd);
	return ok;
}

static bool make_dir(const char *dir, const char *name)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return !mkdir(path, 0755);
}

/* proc/PID/ns/net: a new namespace file, or a hard link to `same` (one namespace shared). */
static __u32 add_process(struct tree *t, const char *pid, const char *same, const char *cgroup)
{
	char dir[256], net[512], other[512];
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/%s", t->proc, pid);
	make_dir(t->proc, pid);
	make_dir(dir, "ns");
	snprintf(net, sizeof(net), "%s/ns/net", dir);
	if (same) {
		snprintf(other, sizeof(other), "%s/%s/ns/net", t->proc, same);
		if (link(other, net))
			return 0;
	} else if (!write_file(dir, "ns/net", "")) {
		return 0;
	}
	if (cgroup && !write_file(dir, "cgroup", cgroup))
		return 0;
	return stat(net, &st) ? 0 : st.st_ino;
}

static __u32 inode_of(const char *dir, const char *name)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) ? 0 : st.st_ino;
}

static bool tree_new(struct tree *t)
{
	snprintf(t->root, sizeof(t->root), "/tmp/netns-names-XXXXXX");
	if (!mkdtemp(t->root))
		return false;
	snprintf(t->proc, sizeof(t->proc), "%s/proc", t->root);
	snprintf(t->run_netns, sizeof(t->run_netns), "%s/netns", t->root);
	snprintf(t->pod_logs, sizeof(t->pod_logs), "%s/pods", t->root);
	t->roots = (struct netns_roots){ t->proc, t->run_netns, t->pod_logs };
	return make_dir(t->root, "proc") && make_dir(t->root, "netns") &&
	       make_dir(t->root, "pods") && add_process(t, "self", NULL, NULL) &&
	       add_process(t, "1", NULL, "0::/init.scope\n");
}

static void tree_free(struct tree *t)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->root); /* mkdtemp's name: no quote */
	if (system(cmd))
		test_fail(__FILE__, __LINE__, "rm -rf the fake tree", t->root);
}

enum {
	NS_DOCKER,
	NS_DOCKER_V1,
	NS_CONTAINERD,
	NS_CRIO,
	NS_PODMAN,
	NS_POD,
	NS_EVIL_POD,
	NS_IP_NETNS,
	NS_EVIL_NETNS,
	NS_HOST,
	NS_PLAIN,
	NS_UNKNOWN,
	NR_NS
};

/* One namespace of each kind; inodes[] in the enum's order. */
static bool tree_fill(struct tree *t, __u32 inodes[NR_NS])
{
	char from[256], to[256];

	inodes[NS_DOCKER] = add_process(t, "100", NULL, "0::/system.slice/docker-" ID_A ".scope\n");
	inodes[NS_DOCKER_V1] = add_process(t, "101", NULL,
					   "12:pids:/docker/" ID_B "\n11:cpu,cpuacct:/docker/" ID_B
					   "\n1:name=systemd:/docker/" ID_B "\n0::/\n");
	/* a pod without a log directory here: its container names it */
	inodes[NS_CONTAINERD] = add_process(
		t, "102", NULL,
		"0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod"
		"00000000_0000_0000_0000_000000000000.slice/cri-containerd-" ID_A ".scope\n");
	inodes[NS_CRIO] = add_process(t, "103", NULL, "0::/machine.slice/crio-" ID_B ".scope\n");
	inodes[NS_PODMAN] =
		add_process(t, "104", NULL, "0::/machine.slice/libpod-" ID_A ".scope/container\n");
	/* the pod's first process is in a container; the second one's path names the pod */
	inodes[NS_POD] = add_process(t, "105", NULL, "0::/system.slice/docker-" ID_B ".scope\n");
	add_process(
		t, "106", "105",
		"0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" POD_UID_SLICE
		".slice/cri-containerd-" ID_A ".scope\n");
	make_dir(t->pod_logs, "default_web-0_" POD_UID);
	make_dir(t->pod_logs, "default_web-0_" POD_UID "-other");
	inodes[NS_EVIL_POD] =
		add_process(t, "107", NULL, "0::/kubepods/pod" EVIL_UID "/" ID_B "\n");
	make_dir(t->pod_logs, EVIL_POD "_" EVIL_UID);
	/* an `ip netns` name beats the container of a process in it */
	write_file(t->run_netns, "blue", "");
	inodes[NS_IP_NETNS] = inode_of(t->run_netns, "blue");
	snprintf(from, sizeof(from), "%s/blue", t->run_netns);
	make_dir(t->proc, "108");
	make_dir(t->proc, "108/ns");
	snprintf(to, sizeof(to), "%s/108/ns/net", t->proc);
	if (link(from, to) || !write_file(t->proc, "108/cgroup", "0::/docker/" ID_A "\n"))
		return false;
	write_file(t->run_netns, EVIL_NETNS, "");
	inodes[NS_EVIL_NETNS] = inode_of(t->run_netns, EVIL_NETNS);
	/* the host's namespace: a container with the host's network does not name it */
	inodes[NS_HOST] = inode_of(t->proc, "1/ns/net");
	add_process(t, "109", "1", "0::/system.slice/docker-" ID_A ".scope\n");
	inodes[NS_PLAIN] = add_process(t, "110", NULL, "0::/user.slice/session-1.scope\n");
	inodes[NS_UNKNOWN] = 1; /* no process, no name */
	for (int i = 0; i < NR_NS; i++) {
		if (!inodes[i])
			return false;
	}
	return true;
}

static void expect_label(const struct netns_label *l, enum netns_kind kind, const char *runtime,
			 const char *name, const char *what)
{
	ASSERT_EQ(l->kind, kind, what);
	if (runtime)
		ASSERT_STREQ(l->runtime ? l->runtime : "(null)", runtime, what);
	ASSERT_STREQ(l->name, name, what);
}

static void expect_all(const struct netns_label *labels)
{
	expect_label(&labels[NS_DOCKER], NETNS_CONTAINER, "docker", ID_A, "docker systemd");
	expect_label(&labels[NS_DOCKER_V1], NETNS_CONTAINER, "docker", ID_B, "docker cgroup v1");
	expect_label(&labels[NS_CONTAINERD], NETNS_CONTAINER, "containerd", ID_A, "containerd");
	expect_label(&labels[NS_CRIO], NETNS_CONTAINER, "cri-o", ID_B, "cri-o");
	expect_label(&labels[NS_PODMAN], NETNS_CONTAINER, "podman", ID_A, "podman");
	expect_label(&labels[NS_POD], NETNS_POD, NULL, "default/web-0", "pod");
	expect_label(&labels[NS_EVIL_POD], NETNS_POD, NULL, "ev\"il/n\\a\nme\x1b[31m\xff",
		     "hostile pod");
	expect_label(&labels[NS_IP_NETNS], NETNS_IP_NETNS, NULL, "blue", "ip netns");
	expect_label(&labels[NS_EVIL_NETNS], NETNS_IP_NETNS, NULL, EVIL_NETNS, "hostile ip netns");
	expect_label(&labels[NS_HOST], NETNS_UNNAMED, NULL, "", "host");
	expect_label(&labels[NS_PLAIN], NETNS_UNNAMED, NULL, "", "no container");
	expect_label(&labels[NS_UNKNOWN], NETNS_UNNAMED, NULL, "", "no process");
}

TEST(netns_scan_fake_tree)
{
	struct netns_label labels[NR_NS];
	__u32 inodes[NR_NS];
	struct tree t;

	if (!ASSERT_TRUE(tree_new(&t), "fake tree"))
		return;
	if (ASSERT_TRUE(tree_fill(&t, inodes), "fake processes")) {
		netns_names_scan(&t.roots, inodes, labels, NR_NS);
		expect_all(labels);
	}
	tree_free(&t);
}

/* An entry of /run/netns on another file system than the namespaces is not a namespace. */
TEST(netns_scan_other_device)
{
	struct netns_roots roots = { "/proc", NULL, "/nonexistent" };
	struct netns_label label;
	struct tree t;
	__u32 inode;

	if (!ASSERT_TRUE(tree_new(&t), "fake tree"))
		return;
	write_file(t.run_netns, "red", "");
	inode = inode_of(t.run_netns, "red");
	roots.run_netns = t.run_netns; /* the real /proc: nsfs, not the tree's file system */
	netns_names_scan(&roots, &inode, &label, 1);
	ASSERT_EQ(label.kind, NETNS_UNNAMED, "a plain file's inode");
	tree_free(&t);
}

TEST(netns_cache_lookup)
{
	struct netns_names *names;
	struct netns_label labels[NR_NS];
	__u32 inodes[NR_NS];
	struct tree t;

	if (!ASSERT_TRUE(tree_new(&t), "fake tree"))
		return;
	if (!ASSERT_TRUE(tree_fill(&t, inodes), "fake processes"))
		goto out;
	names = netns_names_new(&t.roots, 5000);
	if (!ASSERT_TRUE(names != NULL, "resolver started"))
		goto out;
	for (int i = 0; i < NR_NS; i++)
		netns_names_lookup(names, inodes[i], &labels[i]);
	expect_all(labels);
	/* cached: the tree is gone, the names stay */
	tree_free(&t);
	netns_names_lookup(names, inodes[NS_POD], &labels[0]);
	expect_label(&labels[0], NETNS_POD, NULL, "default/web-0", "cached");
	netns_names_free(names);
	return;
out:
	tree_free(&t);
}

/* A namespace named after it was first seen: unnamed until the retry, then named. */
TEST(netns_cache_retry)
{
	struct netns_names *names;
	struct netns_label label;
	struct tree t;
	__u32 inode;

	if (!ASSERT_TRUE(tree_new(&t), "fake tree"))
		return;
	inode = add_process(&t, "200", NULL, "0::/user.slice/session-1.scope\n");
	names = netns_names_new(&t.roots, 5000);
	if (!ASSERT_TRUE(names != NULL && inode, "resolver started"))
		goto out;
	netns_names_lookup(names, inode, &label);
	ASSERT_EQ(label.kind, NETNS_UNNAMED, "not a container yet");
	write_file(t.proc, "200/cgroup", "0::/system.slice/docker-" ID_A ".scope\n");
	netns_names_lookup(names, inode, &label);
	ASSERT_EQ(label.kind, NETNS_UNNAMED, "looked for again only after the retry delay");
	usleep((NETNS_RETRY_MS + 100) * 1000);
	netns_names_lookup(names, inode, &label); /* asks; answers what is known at once */
	for (int i = 0; i < 50 && label.kind == NETNS_UNNAMED; i++) {
		usleep(20000);
		netns_names_lookup(names, inode, &label);
	}
	expect_label(&label, NETNS_CONTAINER, "docker", ID_A, "named at the retry");
	netns_names_free(names);
out:
	tree_free(&t);
}

/* One line: no control byte but the final newline; with ascii, no byte above 0x7e either. */
static bool one_clean_line(const char *s, bool ascii, const char *what)
{
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		if ((*c < 0x20 && !(*c == '\n' && !c[1])) || *c == 0x7f || (ascii && *c > 0x7f))
			return ASSERT_TRUE(false, what);
	}
	return true;
}

TEST(netns_label_text_column)
{
	struct netns_label l = { NETNS_CONTAINER, "docker", ID_A };
	char buf[400];

	netns_label_text(&l, buf, sizeof(buf));
	ASSERT_STREQ(buf, "docker:0123456789ab", "short id");
	l = (struct netns_label){ NETNS_POD, NULL, "ev\"il/n\\a\nme\x1b[31m\xff" };
	netns_label_text(&l, buf, sizeof(buf));
	ASSERT_STREQ(buf, "pod:ev\"il/n\\\\a\\nme\\x1b[31m\\xff", "hostile pod escaped");
	l = (struct netns_label){ NETNS_IP_NETNS, NULL, EVIL_NETNS };
	netns_label_text(&l, buf, sizeof(buf));
	ASSERT_STREQ(buf, "x\"y\\\\z\\n\\x01\\xfe", "hostile ip netns escaped");
	l = (struct netns_label){ NETNS_UNNAMED, NULL, "" };
	netns_label_text(&l, buf, sizeof(buf));
	ASSERT_STREQ(buf, "-", "unnamed");
}

static struct event named_event(void)
{
	struct event e = {
		.kind = EVENT_TABLE_CALL,
		.version = EVENT_TABLE_CALL_VERSION,
		.netns = 4026532281U,
		.engine = ENGINE_IPTABLES,
		.family = PF_FAMILY_IPV4,
		.hook = 1,
		.table = "filter",
	};
	return e;
}

/* The column sits after NETWORK_NS, as the header says; hostile bytes are escaped. */
TEST(netns_render_text)
{
	static struct trace_record r;
	struct netns_label l = { NETNS_POD, NULL, "ev\"il/n\\a\nme\x1b[31m\xff" };
	struct event e = named_event();
	struct time_format tf = { .relative = true, .first_ns = 0 };
	const struct text_options o = { 0 };
	char *buf = NULL, *plain = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&buf, &size);

	record_build(&r, &e, 0);
	r.netns_label = &l;
	ASSERT_TRUE(render_text(out, &r, &tf, &o) > 0, "rendered");
	fclose(out);
	ASSERT_CONTAINS(buf, "[4026532281] pod:ev\"il/n\\\\a\\nme\\x1b[31m\\xff 0 ", "the column");
	one_clean_line(buf, true, "one line, no control or non-ASCII byte");
	ASSERT_EQ(strstr(format_header_netns_names(), "NETNS_NAME") -
			  strstr(format_header_netns_names(), "NETWORK_NS"),
		  13, "header: NETNS_NAME after NETWORK_NS");
	l = (struct netns_label){ NETNS_IP_NETNS, NULL, "ns2" };
	out = open_memstream(&plain, &size);
	render_text(out, &r, &tf, &o);
	fclose(out);
	ASSERT_EQ(strstr(plain, "nil") - plain,
		  strstr(format_header_netns_names(), "INTERFACE") - format_header_netns_names(),
		  "a short name: INTERFACE where the header has it");
	ASSERT_CONTAINS(plain, "[4026532281] ns2                  0", "padded to 20");
	free(buf);
	free(plain);
}

static char *json_of(const struct trace_record *r)
{
	return CAPTURE(f, render_json(f, r));
}

TEST(netns_render_json)
{
	static struct trace_record r;
	struct netns_label l = { NETNS_POD, NULL, "ev\"il/n\\a\nme\x1b[31m\xff" };
	struct event e = named_event();
	char *json;

	record_build(&r, &e, 0);
	json = json_of(&r);
	ASSERT_TRUE(strstr(json, "netns_name") == NULL, "no name without --netns-names");
	free(json);
	r.netns_label = &l;
	json = json_of(&r);
	ASSERT_CONTAINS(json,
			"\"netns\":4026532281,\"netns_name\":\"ev\\\"il/n\\\\a\\u000ame\\u001b[31m"
			"\xef\xbf\xbd\",\"netns_kind\":\"pod\",\"pid\"",
			"hostile pod name escaped");
	one_clean_line(json, false, "one line, no raw control byte");
	free(json);
	l = (struct netns_label){ NETNS_CONTAINER, "cri-o", ID_B };
	json = json_of(&r);
	ASSERT_CONTAINS(json,
			"\"netns_name\":\"" ID_B "\",\"netns_kind\":\"container\","
			"\"container_runtime\":\"cri-o\"",
			"container: the full id and its runtime");
	free(json);
	l = (struct netns_label){ NETNS_UNNAMED, NULL, "" };
	json = json_of(&r);
	ASSERT_CONTAINS(json, "\"netns_name\":null,\"netns_kind\":null,\"pid\"", "unnamed: null");
	free(json);
}
