// SPDX-License-Identifier: Apache-2.0
/*
 * Host tests (root): read real legacy tables from another network namespace of the running
 * kernel, as the tracer does for rule attribution: blob, chains, rule numbers and rule text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "rules.h"
#include "xt_blob.h"
#include "xt_fetch.h"
#include "host_test.h"

#define NETNS "skbtracer-fetch-test"

/* Reads and decodes table `name`; checks that rule `chain`#`number` has text `expected`. */
static void check_table(enum xt_family family, const char *name, const char *what,
			const char *chain, int number, const char *expected,
			const char *policy_chain, const char *policy)
{
	struct stat st;
	struct xt_blob blob;
	struct xt_table_model model = {};
	struct saved_rules text = {};
	char err[256] = "", where[64];
	const char *got;
	int fd;

	if (stat("/run/netns/" NETNS, &st) || (fd = open_netns(st.st_ino)) < 0) {
		check(false, what, "cannot open the test namespace");
		return;
	}
	if (xt_fetch_blob(fd, family, name, &blob, err, sizeof(err)) ||
	    xt_decode(&blob, &model, err, sizeof(err))) {
		check(false, what, err);
		goto out;
	}
	if (xt_fetch_rule_text(fd, family, name, &text, err, sizeof(err))) {
		check(false, what, err);
		goto out;
	}
	got = saved_rule(&text, chain, number);
	check(got && !strcmp(got, expected), what, got ? got : "(no such rule)");
	for (unsigned int i = 0; i < model.nr_entries; i++) {
		const struct xt_entry_info *e = &model.entries[i];

		if (e->kind == XT_ENTRY_RULE && e->number == number &&
		    !strcmp(model.chains[e->chain].name, chain)) {
			xt_format_entry(&model, i, where, sizeof(where));
			check(true, "blob names the same rule", where);
			goto policy;
		}
	}
	check(false, "blob names the same rule", chain);
policy:
	got = saved_policy(&text, policy_chain);
	check(got && !strcmp(got, policy), "policy text", got ? got : "(none)");
out:
	saved_rules_free(&text);
	xt_model_free(&model);
	xt_blob_free(&blob);
	close(fd);
}

static bool same_generation(void *ctx, __u64 table_ptr, __u64 *generation)
{
	(void)ctx;
	(void)table_ptr;
	*generation = 0;
	return true;
}

/*
 * An event claiming 2^32-1 hits (issue 9): only hits[] (MAX_RULE_HITS) may be read. Under
 * make test-asan a read past the event fails the suite.
 */
static void check_hits_clamped(void)
{
	struct rules_cache *cache = rules_cache_new(same_generation, NULL);
	struct event *e = calloc(1, sizeof(*e));
	struct xt_blob blob;
	struct stat st;
	char err[256] = "", rule[8192] = "", matched[8192];
	int fd = -1;

	if (!cache || !e || stat("/run/netns/" NETNS, &st) || (fd = open_netns(st.st_ino)) < 0 ||
	    xt_fetch_blob(fd, XT_IPV4, "filter", &blob, err, sizeof(err))) {
		check(false, "nr_hits clamped", err);
		goto out;
	}
	e->engine = ENGINE_IPTABLES;
	e->l3proto = ETHERTYPE_IPV4;
	e->rule_status = RULES_OK;
	e->netns = st.st_ino;
	e->hook = 2; /* FORWARD */
	snprintf(e->table, sizeof(e->table), "filter");
	/* INPUT's first rule, off the FORWARD path: every hits[] entry is compared. */
	for (int i = 0; i < MAX_RULE_HITS; i++)
		e->hits[i] = (struct rule_hit){ blob.hook_entry[1], 1 };
	e->nr_hits = ~0u;
	describe_rules(cache, e, rule, sizeof(rule), matched, sizeof(matched));
	check(strstr(rule, "rule=?(no rule decided") != NULL, "nr_hits clamped", rule);
	e->hits[0] = (struct rule_hit){ blob.underflow[2], 1 };
	e->nr_hits = 1;
	xt_blob_free(&blob);
	describe_rules(cache, e, rule, sizeof(rule), matched, sizeof(matched));
	check(strstr(rule, "rule=FORWARD:policy DROP") != NULL, "one hit: the policy", rule);
out:
	if (fd >= 0)
		close(fd);
	free(e);
	rules_cache_free(cache);
}

int main(void)
{
	if (geteuid() != 0 || sh("command -v iptables-legacy && command -v ip")) {
		printf("SKIP fetch tests: they need root, iptables-legacy and ip\n");
		printf("host-fetch: 0 passed, 0 failed, 1 skipped\n");
		return 0;
	}
	sh("ip netns del " NETNS);
	if (sh("ip netns add " NETNS) ||
	    sh("ip netns exec " NETNS " iptables-legacy -N MY-CHAIN") ||
	    sh("ip netns exec " NETNS " iptables-legacy -A INPUT -p tcp -j ACCEPT") ||
	    sh("ip netns exec " NETNS
	       " iptables-legacy -A INPUT -s 10.0.0.1 -p icmp -j MY-CHAIN") ||
	    sh("ip netns exec " NETNS
	       " iptables-legacy -A MY-CHAIN -p icmp --icmp-type 8 -j DROP") ||
	    sh("ip netns exec " NETNS " iptables-legacy -P FORWARD DROP")) {
		printf("SKIP fetch tests: this kernel has no legacy iptables in namespaces\n");
		printf("host-fetch: 0 passed, 0 failed, 1 skipped\n");
		sh("ip netns del " NETNS);
		return 0;
	}
	check_table(XT_IPV4, "filter", "iptables rule text", "MY-CHAIN", 1,
		    "-A MY-CHAIN -p icmp -m icmp --icmp-type 8 -j DROP", "FORWARD", "DROP");
	check_hits_clamped();
	if (!sh("ip netns exec " NETNS " ip6tables-legacy -A OUTPUT -d 2001:db8::1 -j REJECT"))
		check_table(XT_IPV6, "filter", "ip6tables rule text", "OUTPUT", 1,
			    "-A OUTPUT -d 2001:db8::1/128 -j REJECT --reject-with "
			    "icmp6-port-unreachable",
			    "INPUT", "ACCEPT");
	else
		printf("SKIP ip6tables: no ip6tables-legacy\n"), skipped++;
	if (!sh("ip netns exec " NETNS " arptables-legacy -A INPUT -s 10.0.0.9 -j DROP"))
		check_table(XT_ARP, "filter", "arptables rule text", "INPUT", 1,
			    "-A INPUT -j DROP -s 10.0.0.9", "OUTPUT", "ACCEPT");
	else
		printf("SKIP arptables: no arptables-legacy\n"), skipped++;
	sh("ip netns del " NETNS);
	printf("host-fetch: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
	return failed ? 1 : 0;
}
