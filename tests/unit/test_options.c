// SPDX-License-Identifier: Apache-2.0
#include <netinet/in.h>
#include <stdarg.h>
#include <sys/stat.h>
#include "test.h"
#include "options.h"

/* Parses a NULL-terminated argument list; the program name is added. */
static enum parse_result parse(struct config *cfg, char *err, size_t err_len, ...)
{
	char *argv[32] = { "skbtracer-iptables" };
	int argc = 1;
	va_list ap;
	char *arg;
	FILE *out = fopen("/dev/null", "w");
	enum parse_result result;

	va_start(ap, err_len);
	while ((arg = va_arg(ap, char *)) && argc < 31)
		argv[argc++] = arg;
	va_end(ap);
	err[0] = '\0';
	result = parse_options(argc, argv, cfg, out, err, err_len);
	fclose(out);
	return result;
}

TEST(options_defaults)
{
	struct config cfg;
	char err[256];

	ASSERT_EQ(parse(&cfg, err, sizeof(err), NULL), PARSE_OK, "no options");
	ASSERT_EQ(cfg.filter.flags, 0, "no filter");
	ASSERT_EQ(cfg.backend, BACKEND_AUTO, "backend");
	ASSERT_EQ(cfg.time_mode, TIME_CLOCK, "time");
	ASSERT_EQ(cfg.catch_count, 0, "catch count");
	ASSERT_TRUE(cfg.btf_path == NULL, "btf");
	ASSERT_EQ(cfg.engines, (1u << ENGINE_MAX) - 1, "every engine");
	ASSERT_TRUE(cfg.drops, "drops outside the tables are shown");
	ASSERT_TRUE(!cfg.stack, "no stacks");
}

TEST(options_engines)
{
	struct config cfg;
	char err[256];

	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--engines", "nftables", NULL), PARSE_OK, "one");
	ASSERT_EQ(cfg.engines, 1u << ENGINE_NFTABLES, "nftables only");
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--engines", "iptables,arptables,ebtables", NULL),
		  PARSE_OK, "three");
	ASSERT_EQ(cfg.engines,
		  1u << ENGINE_IPTABLES | 1u << ENGINE_ARPTABLES | 1u << ENGINE_EBTABLES,
		  "three engines");
}

TEST(options_filters)
{
	struct config cfg;
	char err[256];

	ASSERT_EQ(parse(&cfg, err, sizeof(err), "-H", "10.1.2.3", "-P", "80", "--sport", "1234",
			"--dport", "443", "-p", "42", "-N", "4026531840", "-i", "veth0", NULL),
		  PARSE_OK, "all filters");
	ASSERT_EQ(cfg.filter.flags,
		  FILTER_ADDR | FILTER_PORT | FILTER_SPORT | FILTER_DPORT | FILTER_PID |
			  FILTER_NETNS | FILTER_IFACE,
		  "flags");
	ASSERT_EQ(cfg.filter.addr_family, PF_FAMILY_IPV4, "family");
	ASSERT_TRUE(!memcmp(cfg.filter.addr, "\x0a\x01\x02\x03", 4), "address bytes");
	ASSERT_EQ(cfg.filter.port, 80, "port");
	ASSERT_EQ(cfg.filter.sport, 1234, "sport");
	ASSERT_EQ(cfg.filter.dport, 443, "dport");
	ASSERT_EQ(cfg.filter.pid, 42, "pid");
	ASSERT_EQ(cfg.filter.netns, 4026531840u, "netns");
	ASSERT_STREQ(cfg.filter.iface, "veth0", "iface");
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--icmpid", "0", NULL), PARSE_OK, "--icmpid 0");
	ASSERT_TRUE(cfg.filter.flags & FILTER_ICMPID, "icmpid flag");
	ASSERT_EQ(cfg.filter.icmpid, 0, "icmpid");

	ASSERT_EQ(
		parse(&cfg, err, sizeof(err), "--ipaddr", "2001:db8::1", "--proto", "icmp6", NULL),
		PARSE_OK, "ipv6");
	ASSERT_EQ(cfg.filter.addr_family, PF_FAMILY_IPV6, "family v6");
	ASSERT_EQ(cfg.filter.addr[0], 0x20, "v6 first byte");
	ASSERT_EQ(cfg.filter.addr[15], 1, "v6 last byte");
	ASSERT_EQ(cfg.filter.l4proto, IPPROTO_ICMPV6, "icmp6");

	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--proto", "tcp", "-P", "80", NULL), PARSE_OK,
		  "tcp port");
	ASSERT_EQ(cfg.filter.l4proto, IPPROTO_TCP, "proto");
	ASSERT_EQ(cfg.filter.flags, FILTER_PROTO | FILTER_PORT, "tcp port flags");
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--proto", "udp", "--proto", "any", NULL), PARSE_OK,
		  "any");
	ASSERT_EQ(cfg.filter.flags & FILTER_PROTO, 0, "any clears the protocol filter");
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--proto", "icmp", NULL), PARSE_OK, "icmp");
	ASSERT_EQ(cfg.filter.l4proto, IPPROTO_ICMP, "icmp number");
}

TEST(options_output_and_kernel)
{
	struct config cfg;
	char err[256];

	ASSERT_EQ(parse(&cfg, err, sizeof(err), "-c", "5", "-t", "--backend", "kprobe", "-v",
			"--btf", "/etc/passwd", NULL),
		  PARSE_OK, "valid");
	ASSERT_EQ(cfg.catch_count, 5, "catch count");
	ASSERT_EQ(cfg.time_mode, TIME_RELATIVE, "timestamp");
	ASSERT_EQ(cfg.backend, BACKEND_KPROBE, "backend");
	ASSERT_TRUE(cfg.verbose, "verbose");
	ASSERT_STREQ(cfg.btf_path, "/etc/passwd", "btf");
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "-t", "-T", "--catch-count", "0", "--backend",
			"fentry", NULL),
		  PARSE_OK, "time");
	ASSERT_EQ(cfg.time_mode, TIME_CLOCK, "-T after -t");
	ASSERT_EQ(cfg.backend, BACKEND_FENTRY, "fentry");
	ASSERT_TRUE(!cfg.netns_names, "no --netns-names");
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--netns-names", "-o", "json", NULL), PARSE_OK,
		  "--netns-names");
	ASSERT_TRUE(cfg.netns_names, "--netns-names");
}

TEST(options_help_and_version)
{
	struct config cfg;
	char err[256];

	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--help", NULL), PARSE_EXIT, "--help");
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "-h", NULL), PARSE_EXIT, "-h");
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "-V", NULL), PARSE_EXIT, "-V");
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--version", NULL), PARSE_EXIT, "--version");
}

static void expect_error(const char *message_part, ...)
{
	char *argv[8] = { "skbtracer-iptables" };
	int argc = 1;
	struct config cfg;
	char err[256] = "";
	va_list ap;
	char *arg;

	va_start(ap, message_part);
	while ((arg = va_arg(ap, char *)) && argc < 7)
		argv[argc++] = arg;
	va_end(ap);
	ASSERT_EQ(parse_options(argc, argv, &cfg, stdout, err, sizeof(err)), PARSE_ERROR,
		  message_part);
	ASSERT_CONTAINS(err, message_part, "error message");
	ASSERT_TRUE(!strchr(err, '\n'), "one line");
}

TEST(options_bad_values)
{
	expect_error("invalid --proto 'sctp'", "--proto", "sctp", NULL);
	expect_error("invalid -P/--port '70000'", "-P", "70000", NULL);
	expect_error("invalid --port '0'", "--port", "0", NULL);
	expect_error("invalid --port 'abc'", "--port", "abc", NULL);
	expect_error("invalid --port '-1'", "--port", "-1", NULL);
	expect_error("invalid --port '80x'", "--port", "80x", NULL);
	expect_error("invalid --sport '65536'", "--sport", "65536", NULL);
	expect_error("invalid --dport ''", "--dport", "", NULL);
	expect_error("invalid --icmpid '65536'", "--icmpid", "65536", NULL);
	expect_error("invalid -H/--ipaddr '300.1.1.1'", "-H", "300.1.1.1", NULL);
	expect_error("invalid --ipaddr '10.0.0.0/8'", "--ipaddr", "10.0.0.0/8", NULL);
	expect_error("invalid --ipaddr '::zz'", "--ipaddr", "::zz", NULL);
	expect_error("invalid -p/--pid '0'", "-p", "0", NULL);
	expect_error("invalid --pid 'x'", "--pid", "x", NULL);
	expect_error("invalid -N/--netns '0'", "-N", "0", NULL);
	expect_error("invalid --netns '4294967296'", "--netns", "4294967296", NULL);
	expect_error("invalid --iface ''", "--iface", "", NULL);
	expect_error("invalid -i/--iface 'a-name-far-too-long'", "-i", "a-name-far-too-long", NULL);
	expect_error("invalid -c/--catch-count '-3'", "-c", "-3", NULL);
	expect_error("invalid --backend 'ebpf'", "--backend", "ebpf", NULL);
	expect_error("invalid --engines 'pf'", "--engines", "pf", NULL);
	expect_error("invalid --engines 'iptables,'", "--engines", "iptables,", NULL);
	expect_error("invalid --engines ''", "--engines", "", NULL);
	expect_error("cannot read --btf file '/nonexistent'", "--btf", "/nonexistent", NULL);
}

TEST(options_bad_syntax)
{
	expect_error("--btf '/dev/null' is not a regular file or a directory", "--btf", "/dev/null",
		     NULL);
	expect_error("unknown option '--bogus'", "--bogus", NULL);
	expect_error("unknown option '-x'", "-x", NULL);
	expect_error("option '--port' needs a value", "--port", NULL);
	expect_error("option '-H/--ipaddr' needs a value", "-H", NULL);
	expect_error(
		"bad filter expression 'icmp prot 1': can't parse filter expression: syntax error",
		"icmp", "prot", "1", NULL);
}

/* Regression (issue 9): the command-line contract on hostile input. */
TEST(options_hostile_numbers)
{
	expect_error("invalid -c/--catch-count '\\t-1'", "-c", "\t-1", NULL);
	expect_error("invalid -c/--catch-count '\\n5'", "-c", "\n5", NULL);
	expect_error("invalid --port ' 80'", "--port", " 80", NULL);
	expect_error("invalid --port '80 '", "--port", "80 ", NULL);
	expect_error("invalid --port '+80'", "--port", "+80", NULL);
	expect_error("invalid --pid '0x10'", "--pid", "0x10", NULL);
	expect_error("invalid -c/--catch-count '18446744073709551616'", "-c",
		     "18446744073709551616", NULL);
}

TEST(options_hostile_syntax)
{
	struct config cfg;
	char err[256];

	expect_error("option '--no-rules' takes no value", "--no-rules=1", NULL);
	expect_error("option '--help' takes no value", "--help=1", NULL);
	expect_error("option '--timestamp' takes no value", "--timestamp=", NULL);
	expect_error("ambiguous option '--p': could be --proto, --port, --pid", "--p", "1", NULL);
	expect_error("ambiguous option '--ti': could be --timestamp, --time", "--ti", NULL);
	expect_error("unknown option '--\\x1b[31m'", "--\x1b[31m", NULL);
	expect_error("unknown option '-\\x07'", "-\a", NULL);
	expect_error("unknown option '-x'", "-tx", NULL);
	expect_error("unknown option '--=1' (see --help)", "--=1", NULL);
	expect_error("unknown option '-t-': '-' cannot follow short options", "-t-", NULL);
	expect_error("option '-c/--catch-count' needs a value", "-tc", NULL);
	expect_error("bad filter expression '-': can't parse", "-", NULL);
	expect_error("bad filter expression 'a\\nb': can't parse", "--", "a\nb", NULL);

	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--dp=80", "--prot=udp", "-tvc5", NULL), PARSE_OK,
		  err);
	ASSERT_EQ(cfg.filter.dport, 80, "unique prefix with =value");
	ASSERT_EQ(cfg.filter.l4proto, IPPROTO_UDP, "--prot");
	ASSERT_EQ(cfg.catch_count, 5, "-c5 in a cluster");
	ASSERT_TRUE(cfg.verbose && cfg.time_mode == TIME_RELATIVE, "-tv");
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--port", "-1", NULL), PARSE_ERROR,
		  "a value that looks like an option is still the value");
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--time", "--", NULL), PARSE_OK, "--time exact");
}

TEST(options_hostile_values_echoed_safely)
{
	static char huge[100 * 1024 + 1];
	char *argv[] = { "skbtracer-iptables", "--proto", huge, NULL };
	struct config cfg;
	char err[512] = "";

	expect_error("invalid --proto 'tcp\\nudp'", "--proto", "tcp\nudp", NULL);
	expect_error("invalid --backend '\\x1b]0;owned\\x07'", "--backend", "\x1b]0;owned\a", NULL);
	expect_error("invalid --engines 'caf\\xc3\\xa9'", "--engines", "caf\xc3\xa9", NULL);
	expect_error("invalid --ipaddr 'a\\\\b'", "--ipaddr", "a\\b", NULL);
	memset(huge, 'A', sizeof(huge) - 1);
	ASSERT_EQ(parse_options(3, argv, &cfg, stdout, err, sizeof(err)), PARSE_ERROR, "100 KB");
	ASSERT_CONTAINS(err, "AAAA...'", "cut with ...");
	ASSERT_TRUE(strlen(err) < 200, "short");
	for (const char *c = err; *c; c++)
		ASSERT_TRUE(*c >= 0x20 && *c < 0x7f, "printable");
}

TEST(options_hostile_interfaces)
{
	struct config cfg;
	char err[256];

	expect_error("invalid -i/--iface '1 2'", "-i", "1 2", NULL);
	expect_error("invalid --iface 'eth0:1'", "--iface", "eth0:1", NULL);
	expect_error("invalid --iface 'a/b'", "--iface", "a/b", NULL);
	expect_error("invalid --iface '.'", "--iface", ".", NULL);
	expect_error("invalid --iface '..'", "--iface", "..", NULL);
	expect_error("invalid --iface 'eth\\t0'", "--iface", "eth\t0", NULL);
	expect_error("invalid --iface '0123456789abcdef'", "--iface", "0123456789abcdef", NULL);
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--iface", "0123456789abcde", NULL), PARSE_OK,
		  "15 characters");
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--iface", "...", NULL), PARSE_OK, "'...'");
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--iface", "veth-1.100", NULL), PARSE_OK, "vlan");
}

TEST(options_contradictions)
{
	struct config cfg;
	char err[256];

	expect_error(
		"--port, --sport and --dport match TCP/UDP ports: they contradict --proto icmp",
		"--proto", "icmp", "--port", "80", NULL);
	expect_error("contradict --proto icmp6", "--dport", "80", "--proto", "icmp6", NULL);
	expect_error("contradict --proto icmp", "--proto", "icmp", "--sport", "1", NULL);
	expect_error("--icmpid matches ICMP echo: it contradicts --proto tcp", "--proto", "tcp",
		     "--icmpid", "1", NULL);
	expect_error("it contradicts --proto udp", "--icmpid", "1", "--proto", "udp", NULL);
	expect_error("--nft-trace names nftables rules: it needs nftables in --engines",
		     "--engines", "iptables", "--nft-trace", NULL);
	expect_error("--nft-trace names rules and --no-rules names none", "--no-rules",
		     "--nft-trace", NULL);
	expect_error("--netns-names adds a column to each event's line and --summary prints none",
		     "--summary", "--netns-names", NULL);
	expect_error("--icmpid matches ICMP echo and --port, --sport, --dport TCP/UDP ports",
		     "--dport", "80", "--icmpid", "5", NULL);
	expect_error("--proto icmp6 is IPv6 only: it contradicts an IPv4 -H", "--proto", "icmp6",
		     "-H", "10.0.0.1", NULL);
	expect_error("--proto icmp is IPv4 only: it contradicts an IPv6 -H", "-H", "2001:db8::1",
		     "--proto", "icmp", NULL);
	expect_error("-v adds to each event's line and --summary prints none", "-v", "--summary",
		     NULL);
	expect_error("--show-ct adds to each event's line and --summary prints none", "--summary",
		     "--show-ct", NULL);
	expect_error("-v lists the rules matched on the way and --no-rules names none", "-v",
		     "--no-rules", NULL);
	expect_error("the filter expression matches at bridge, netdev and ARP hooks only and "
		     "--engines has none of them",
		     "--engines", "iptables", "vlan", "10", NULL);
	expect_error("matches at bridge, netdev and ARP hooks only", "--engines", "iptables",
		     "ether", "host", "1:2:3:4:5:6", NULL);
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--engines", "nftables", "vlan", "10", NULL),
		  PARSE_OK, "nftables hooks at bridge and netdev too");
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--proto", "icmp6", "-H", "2001:db8::1", NULL),
		  PARSE_OK, "icmp6 with an IPv6 address");
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--proto", "icmp", "--proto", "any", "--port", "80",
			NULL),
		  PARSE_OK, "the last --proto counts");
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--proto", "icmp", "--icmpid", "7", NULL), PARSE_OK,
		  "icmp id");
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--engines", "nftables,iptables", "--nft-trace",
			NULL),
		  PARSE_OK, "nft trace");
}

TEST(options_drops_and_stack)
{
	struct config cfg;
	char err[256];

	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--no-drops", "--stack", NULL), PARSE_OK, "valid");
	ASSERT_TRUE(!cfg.drops, "--no-drops");
	ASSERT_TRUE(cfg.stack, "--stack: for DROP verdicts, even without drop lines");
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--st", NULL), PARSE_OK, "--st: only --stack");
	ASSERT_TRUE(cfg.stack, "--st");
	expect_error("ambiguous option '--no': could be --no-rules, --no-track, --no-drops", "--no",
		     NULL);
	expect_error("option '--stack' takes no value", "--stack=1", NULL);
	expect_error("option '--no-drops' takes no value", "--no-drops=", NULL);
	expect_error("--stack prints stacks under events and --summary prints no events",
		     "--summary", "--stack", NULL);
}

TEST(options_help_to_a_full_device)
{
	FILE *full = fopen("/dev/full", "w");
	char *argv[] = { "skbtracer-iptables", "--help", NULL };
	struct config cfg;
	char err[256] = "";

	if (!ASSERT_TRUE(full != NULL, "/dev/full"))
		return;
	ASSERT_EQ(parse_options(2, argv, &cfg, full, err, sizeof(err)), PARSE_WRITE_ERROR,
		  "--help to /dev/full");
	ASSERT_CONTAINS(err, "cannot write to standard output", "message");
	fclose(full);
}

/* -N by path or `ip netns` name: the inode of a network namespace file, nothing else. */
TEST(options_netns_by_path)
{
	static struct config cfg;
	struct stat st;
	char err[512];

	if (!ASSERT_EQ(stat("/proc/self/ns/net", &st), 0, "stat /proc/self/ns/net"))
		return;
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "-N", "/proc/self/ns/net", NULL), PARSE_OK, err);
	ASSERT_EQ(cfg.filter.netns, st.st_ino, "inode of /proc/self/ns/net");
	ASSERT_TRUE(cfg.filter.flags & FILTER_NETNS, "netns filter on");
	expect_error("invalid -N/--netns '/proc/self/ns/mnt': not a network namespace", "-N",
		     "/proc/self/ns/mnt", NULL);
	expect_error("invalid --netns '/dev/null': not a network namespace", "--netns", "/dev/null",
		     NULL);
	expect_error("invalid --netns 'no-such-ns-h11a': No such file or directory in /run/netns",
		     "--netns", "no-such-ns-h11a", NULL);
	expect_error("invalid --netns '..': not a network namespace", "--netns", "..", NULL);
	expect_error("invalid --netns '': not a network namespace", "--netns", "", NULL);
	expect_error("expected a network namespace inode number", "--netns", "4294967296", NULL);
}

TEST(options_tracking)
{
	struct config cfg;
	char err[256];

	ASSERT_EQ(parse(&cfg, err, sizeof(err), NULL), PARSE_OK, "defaults");
	ASSERT_TRUE(cfg.track_packets, "tracking on by default");
	ASSERT_EQ(cfg.track_entries, TRACK_ENTRIES_DEFAULT, "default map size");
	ASSERT_TRUE(!cfg.show_id && !cfg.show_ct, "the seed's columns by default");
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--track-entries", "16", "--show-ct", NULL),
		  PARSE_OK, "--track-entries, --show-ct");
	ASSERT_TRUE(cfg.track_packets && cfg.show_ct, "on, ct shown");
	ASSERT_EQ(cfg.track_entries, 16, "the smallest map");
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--no-track", "--show-ct", NULL), PARSE_OK,
		  "--no-track, --show-ct");
	ASSERT_TRUE(!cfg.track_packets && cfg.show_ct, "off, ct shown");
	expect_error("--track-entries sizes tracking's table and --no-track tracks none",
		     "--no-track", "--track-entries", "16", NULL);
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--show-id", NULL), PARSE_OK, "--show-id");
	ASSERT_TRUE(cfg.show_id, "ids shown");
	expect_error("invalid --track-entries '15': expected 16 to 16777216 packets",
		     "--track-entries", "15", NULL);
	expect_error("invalid --track-entries '16777217'", "--track-entries", "16777217", NULL);
	expect_error("--show-id shows tracking's packet ids and --no-track tracks none",
		     "--no-track", "--show-id", NULL);
	expect_error("--group gathers a packet's calls by tracking and --no-track tracks none",
		     "--group", "--no-track", NULL);
	expect_error("--group is a text output: not with -o json or --summary", "--group", "-o",
		     "json", NULL);
	expect_error("--group is a text output: not with -o json or --summary", "--summary",
		     "--group", NULL);
	ASSERT_EQ(cfg.rules_budget_pct, RULES_BUDGET_DEFAULT, "the default budget");
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--rules-budget", "100", NULL), PARSE_OK,
		  "--rules-budget 100");
	ASSERT_EQ(cfg.rules_budget_pct, 100, "no limit");
	expect_error(
		"invalid --rules-budget '0': expected a share of each CPU in percent, 1 to 100",
		"--rules-budget", "0", NULL);
	expect_error("invalid --rules-budget '101'", "--rules-budget", "101", NULL);
	expect_error("invalid --rules-budget '5%'", "--rules-budget", "5%", NULL);
	expect_error("--rules-budget limits naming rules and --no-rules names none", "--no-rules",
		     "--rules-budget", "10", NULL);
	ASSERT_EQ(parse(&cfg, err, sizeof(err), "--group", NULL), PARSE_OK, "--group");
	ASSERT_TRUE(cfg.group, "grouped");
}
