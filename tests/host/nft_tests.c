// SPDX-License-Identifier: Apache-2.0
/*
 * Host tests (root): nftables tables read from another network namespace of the running kernel
 * (names that are commands to nft must stay names), the time limit and stop check of child
 * processes, and the --nft-trace table's lifetime (kernel table owners).
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "nft_fetch.h"
#include "nft_trace_switch.h"
#include "xt_fetch.h"
#include "host_test.h"

#define NETNS "skbtracer-nft-test"
#define EVIL "x; add table inet injected"

static double seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) + (now.tv_nsec - start->tv_nsec) / 1e9;
}

static int open_test_netns(void)
{
	struct stat st;

	return stat("/run/netns/" NETNS, &st) ? -1 : open_netns(st.st_ino);
}

/* The handle of table FAMILY NAME, read from nft's JSON output (names are plain there). */
static __u64 table_handle(const char *family)
{
	FILE *f = popen("ip netns exec " NETNS " nft -j list tables", "r");
	char buf[8192] = "", *at;
	unsigned long long handle = 0;
	char key[128];

	if (!f)
		return 0;
	fread(buf, 1, sizeof(buf) - 1, f);
	pclose(f);
	snprintf(key, sizeof(key), "\"family\": \"%s\", \"name\": \"%s\", \"handle\": ", family,
		 EVIL);
	at = strstr(buf, key);
	if (at)
		sscanf(at + strlen(key), "%llu", &handle);
	return handle;
}

static void test_injection(void)
{
	static const char json[] =
		"{\"nftables\":[{\"add\":{\"table\":{\"family\":\"inet\",\"name\":\"" EVIL "\"}}},"
		"{\"add\":{\"chain\":{\"family\":\"inet\",\"table\":\"" EVIL "\",\"name\":"
		"\"in \\\"put\\\"\",\"type\":\"filter\",\"hook\":\"input\",\"prio\":0,"
		"\"policy\":\"accept\"}}},"
		"{\"add\":{\"rule\":{\"family\":\"inet\",\"table\":\"" EVIL "\",\"chain\":"
		"\"in \\\"put\\\"\",\"expr\":[{\"drop\":null}],\"comment\":\"c # handle 9\"}}}]}";
	FILE *f = fopen("/tmp/skbtracer-nft-test.json", "w");
	struct nft_ruleset rs;
	const struct nft_rule_text *r;
	char err[256] = "";
	__u64 handle;
	int fd;

	if (!f || fputs(json, f) < 0 || fclose(f) ||
	    sh("ip netns exec " NETNS " nft add table inet x") ||
	    sh("ip netns exec " NETNS " nft -j -f /tmp/skbtracer-nft-test.json") ||
	    !(handle = table_handle("inet")) || (fd = open_test_netns()) < 0) {
		check(false, "nft table named with ';' and quotes", "cannot set it up");
		return;
	}
	if (!nft_fetch_table(fd, "inet", handle, &rs, err, sizeof(err))) {
		r = rs.nr_rules == 1 ? &rs.rules[0] : NULL;
		check(r && !strcmp(r->text, "drop comment \"c # handle 9\""),
		      "rule of a table named '" EVIL "'", r ? r->text : "no single rule");
		check(r && !strcmp(rs.chains[r->chain].name, "in \"put\""),
		      "chain named 'in \"put\"'", r ? rs.chains[r->chain].name : "-");
		nft_ruleset_free(&rs);
	} else {
		check(false, "rule of a table named '" EVIL "'", err);
	}
	check(sh("ip netns exec " NETNS " nft list table inet injected") != 0,
	      "nothing the name says was run (no table 'injected')", "table injected exists");
	close(fd);
	unlink("/tmp/skbtracer-nft-test.json");
}

static struct timespec stop_at;

/* True from stop_at on: a stop that comes while the child runs. */
static bool stop_later(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec > stop_at.tv_sec ||
	       (now.tv_sec == stop_at.tv_sec && now.tv_nsec >= stop_at.tv_nsec);
}

static void test_child_limits(void)
{
	char *sleep_argv[] = { "sleep", "30", NULL };
	struct timespec start;
	char why[256] = "";
	int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	char *out;
	double took;

	clock_gettime(CLOCK_MONOTONIC, &start);
	out = run_in_netns(fd, sleep_argv, why, sizeof(why));
	took = seconds_since(&start);
	check(!out && took < 7 && strstr(why, "within 5 s"), "a child gets 5 s", why);
	clock_gettime(CLOCK_MONOTONIC, &start);
	stop_at = start;
	stop_at.tv_sec += 1;
	run_in_netns_set_stop_check(stop_later);
	out = run_in_netns(fd, sleep_argv, why, sizeof(why));
	took = seconds_since(&start);
	check(!out && took < 1.5 && strstr(why, "stopped: the program is ending"),
	      "a stop 1 s in cuts a 30 s child short within 0.5 s", why);
	out = run_in_netns(fd, sleep_argv, why, sizeof(why));
	check(!out && strstr(why, "not run"), "no child once stopping", why);
	run_in_netns_set_stop_check(NULL);
	close(fd);
}

/* In a fresh namespace: only this process's table exists there. */
static void test_trace_switch(void)
{
	struct nft_trace_switch sw;
	char err[256] = "", cmd[256];
	pid_t child;
	int status;

	if (unshare(CLONE_NEWNET)) {
		check(false, "trace switch", "cannot unshare the network namespace");
		return;
	}
	sh("nft add table inet " NFT_TRACE_SWITCH_PREFIX "_999999999");
	sh("nft add table inet " NFT_TRACE_SWITCH_PREFIX);
	if (nft_trace_switch_on(&sw, err, sizeof(err))) {
		check(false, "trace switch on", err);
		return;
	}
	check(sh("nft list table inet " NFT_TRACE_SWITCH_PREFIX "_999999999") != 0 &&
		      sh("nft list table inet " NFT_TRACE_SWITCH_PREFIX) != 0,
	      "tables of dead instances deleted", "still there");
	snprintf(cmd, sizeof(cmd), "nft list table inet %s | grep -q 'meta nftrace set 1'",
		 sw.table);
	check(sh(cmd) == 0, "table with meta nftrace set 1", sw.table);
	if (!sw.owned) {
		printf("SKIP table owner tests: this kernel has no NFT_TABLE_F_OWNER\n");
		skipped++;
	} else {
		sh("nft flush ruleset");
		snprintf(cmd, sizeof(cmd), "nft delete table inet %s", sw.table);
		check(sh(cmd) != 0, "another process cannot delete it", cmd);
		check(nft_trace_switch_check(&sw, err, sizeof(err)) == 0,
		      "still there after nft flush ruleset", err);
	}
	check(nft_trace_switch_off(&sw), "deleted at the end", sw.table);
	snprintf(cmd, sizeof(cmd), "nft list table inet %s", sw.table);
	check(sh(cmd) != 0, "gone after off", sw.table);

	fflush(stdout);
	child = fork();
	if (child == 0) {
		if (nft_trace_switch_on(&sw, err, sizeof(err)))
			_exit(1);
		printf("%s\n", sw.owned ? "owned" : "not owned");
		fflush(stdout);
		for (;;)
			pause();
	}
	sleep(1);
	snprintf(cmd, sizeof(cmd), "nft list table inet %s_%d", NFT_TRACE_SWITCH_PREFIX,
		 (int)child);
	check(sh(cmd) == 0, "a second instance has its own table", cmd);
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	usleep(200000);
	if (sw.owned)
		check(sh(cmd) != 0, "kill -9 leaves no table (the kernel deletes it)", cmd);
}

int main(void)
{
	if (geteuid() != 0 || sh("command -v nft && command -v ip")) {
		printf("SKIP nft tests: they need root, nft and ip\n");
		printf("host-nft: 0 passed, 0 failed, 1 skipped\n");
		return 0;
	}
	sh("ip netns del " NETNS);
	if (sh("ip netns add " NETNS)) {
		printf("SKIP nft tests: cannot add a network namespace\n");
		printf("host-nft: 0 passed, 0 failed, 1 skipped\n");
		return 0;
	}
	test_injection();
	sh("ip netns del " NETNS);
	test_child_limits();
	test_trace_switch();
	printf("host-nft: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
