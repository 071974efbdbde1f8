// SPDX-License-Identifier: Apache-2.0
/* Command line → struct config. Pure: no kernel, nothing attached. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "options.h"
#include "version.h"

enum long_only_option {
	OPT_PROTO = 256,
	OPT_SPORT,
	OPT_DPORT,
	OPT_ICMPID,
	OPT_BACKEND,
	OPT_BTF,
	OPT_ENGINES,
	OPT_NO_RULES,
	OPT_NFT_TRACE,
};

static const struct option long_options[] = {
	{ "ipaddr", required_argument, NULL, 'H' },
	{ "proto", required_argument, NULL, OPT_PROTO },
	{ "port", required_argument, NULL, 'P' },
	{ "sport", required_argument, NULL, OPT_SPORT },
	{ "dport", required_argument, NULL, OPT_DPORT },
	{ "icmpid", required_argument, NULL, OPT_ICMPID },
	{ "pid", required_argument, NULL, 'p' },
	{ "netns", required_argument, NULL, 'N' },
	{ "iface", required_argument, NULL, 'i' },
	{ "catch-count", required_argument, NULL, 'c' },
	{ "timestamp", no_argument, NULL, 't' },
	{ "time", no_argument, NULL, 'T' },
	{ "backend", required_argument, NULL, OPT_BACKEND },
	{ "btf", required_argument, NULL, OPT_BTF },
	{ "engines", required_argument, NULL, OPT_ENGINES },
	{ "no-rules", no_argument, NULL, OPT_NO_RULES },
	{ "nft-trace", no_argument, NULL, OPT_NFT_TRACE },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{},
};

static const char short_options[] = ":H:P:p:N:i:c:tTvhV";

static const char usage_text[] =
	"Usage: skbtracer-iptables [OPTIONS]\n"
	"\n"
	"Trace packets through the kernel's packet filters (iptables, ip6tables, nftables,\n"
	"arptables, ebtables): one line per table or base chain a packet goes through, with\n"
	"its hook and verdict.\n"
	"\n"
	"Filters (applied in the kernel, on the packet as it enters the table):\n"
	"  -H, --ipaddr ADDR      IPv4 or IPv6 address, source or destination\n"
	"      --proto PROTO      tcp, udp, icmp, icmp6 or any (default: any)\n"
	"  -P, --port N           TCP/UDP port, source or destination\n"
	"      --sport N          TCP/UDP source port\n"
	"      --dport N          TCP/UDP destination port\n"
	"      --icmpid N         ICMP/ICMPv6 echo identifier\n"
	"  -p, --pid N            process id (tgid) the packet is handled in\n"
	"  -N, --netns INODE      network namespace inode (ls -L -i /proc/PID/ns/net)\n"
	"  -i, --iface NAME       interface the packet arrives on or leaves by\n"
	"\n"
	"Output:\n"
	"  -c, --catch-count N    exit after N events (default 0: until interrupted)\n"
	"  -T, --time             print wall-clock time HH:MM:SS (the default)\n"
	"  -t, --timestamp        print seconds since the first event instead\n"
	"      --no-rules         do not name the rule that decided (legacy tables)\n"
	"      --nft-trace        name nftables rules too: adds a table of the tool's own,\n"
	"                         hooked nowhere, that switches the kernel's nft tracing on;\n"
	"                         removed at exit\n"
	"  -v, --verbose          also list every rule matched on the way, and libbpf's log\n"
	"\n"
	"Engines and kernel:\n"
	"      --engines LIST     comma-separated: iptables, nftables, arptables, ebtables\n"
	"                         (default: every engine the kernel has)\n"
	"      --backend B        auto, fentry or kprobe (default: auto, fentry when possible)\n"
	"      --btf FILE|DIR     kernel BTF file, or a directory with vmlinux and module BTF\n"
	"                         files (scripts/make-module-btf.sh) for modules without BTF\n"
	"  -h, --help             print this help and exit\n"
	"  -V, --version          print the version and exit\n"
	"\n"
	"Examples:\n"
	"  skbtracer-iptables --proto icmp              every ICMP packet in every table\n"
	"  skbtracer-iptables -H 10.0.0.2 --dport 80    to or from 10.0.0.2, destination port 80\n"
	"  skbtracer-iptables -H 2001:db8::1 -c 10      ten events for that IPv6 address\n"
	"  skbtracer-iptables -N 4026532281 -i veth0    one namespace, one interface\n";

const char *engine_name(int engine)
{
	static const char *const names[ENGINE_MAX] = {
		[ENGINE_IPTABLES] = "iptables",
		[ENGINE_NFTABLES] = "nftables",
		[ENGINE_ARPTABLES] = "arptables",
		[ENGINE_EBTABLES] = "ebtables",
	};

	return engine >= 0 && engine < ENGINE_MAX ? names[engine] : "unknown";
}

/* "iptables,nftables" → bits (1 << ENGINE_*). */
static bool parse_engines(const char *text, unsigned int *engines)
{
	const char *start = text;

	*engines = 0;
	for (;;) {
		size_t len = strcspn(start, ",");
		int engine;

		for (engine = 0; engine < ENGINE_MAX; engine++) {
			const char *name = engine_name(engine);

			if (strlen(name) == len && !strncmp(start, name, len))
				break;
		}
		if (engine == ENGINE_MAX)
			return false;
		*engines |= 1u << engine;
		if (!start[len])
			return true;
		start += len + 1;
	}
}

const char *backend_name(enum backend backend)
{
	switch (backend) {
	case BACKEND_FENTRY:
		return "fentry";
	case BACKEND_KPROBE:
		return "kprobe";
	default:
		return "auto";
	}
}

static enum parse_result fail(char *err, size_t err_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, err_len, fmt, ap);
	va_end(ap);
	return PARSE_ERROR;
}

/* Parses a decimal number in [min, max]; the whole string must be the number. */
static bool parse_number(const char *text, unsigned long long min, unsigned long long max,
			 unsigned long long *value)
{
	char *end;

	if (!*text || *text == '-' || *text == '+' || *text == ' ')
		return false;
	errno = 0;
	*value = strtoull(text, &end, 10);
	return !errno && !*end && *value >= min && *value <= max;
}

static bool parse_proto(const char *text, __u8 *proto)
{
	static const struct {
		const char *name;
		__u8 number;
	} protos[] = {
		{ "tcp", IPPROTO_TCP },	     { "udp", IPPROTO_UDP }, { "icmp", IPPROTO_ICMP },
		{ "icmp6", IPPROTO_ICMPV6 }, { "any", 0 },
	};

	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
		if (!strcmp(text, protos[i].name)) {
			*proto = protos[i].number;
			return true;
		}
	}
	return false;
}

static bool parse_backend(const char *text, enum backend *backend)
{
	for (enum backend b = BACKEND_AUTO; b <= BACKEND_KPROBE; b++) {
		if (!strcmp(text, backend_name(b))) {
			*backend = b;
			return true;
		}
	}
	return false;
}

static bool parse_addr(const char *text, struct filter *filter)
{
	if (inet_pton(AF_INET, text, filter->addr) == 1) {
		filter->addr_family = PF_FAMILY_IPV4;
		return true;
	}
	if (inet_pton(AF_INET6, text, filter->addr) == 1) {
		filter->addr_family = PF_FAMILY_IPV6;
		return true;
	}
	return false;
}

/* Parses option `opt` with argument `arg` into cfg. */
static enum parse_result apply_option(int opt, const char *name, const char *arg,
				      struct config *cfg, char *err, size_t err_len)
{
	struct filter *f = &cfg->filter;
	unsigned long long n;

	switch (opt) {
	case 'H':
		if (!parse_addr(arg, f))
			return fail(err, err_len, "invalid %s '%s': not an IPv4 or IPv6 address",
				    name, arg);
		f->flags |= FILTER_ADDR;
		break;
	case OPT_PROTO:
		if (!parse_proto(arg, &f->l4proto))
			return fail(err, err_len,
				    "invalid %s '%s': expected tcp, udp, icmp, icmp6 or any", name,
				    arg);
		if (f->l4proto)
			f->flags |= FILTER_PROTO;
		else
			f->flags &= ~FILTER_PROTO;
		break;
	case 'P':
	case OPT_SPORT:
	case OPT_DPORT:
	case OPT_ICMPID:
		if (!parse_number(arg, opt == OPT_ICMPID ? 0 : 1, 65535, &n))
			return fail(err, err_len,
				    "invalid %s '%s': expected a number from %d to 65535", name,
				    arg, opt == OPT_ICMPID ? 0 : 1);
		if (opt == 'P') {
			f->port = n;
			f->flags |= FILTER_PORT;
		} else if (opt == OPT_SPORT) {
			f->sport = n;
			f->flags |= FILTER_SPORT;
		} else if (opt == OPT_DPORT) {
			f->dport = n;
			f->flags |= FILTER_DPORT;
		} else {
			f->icmpid = n;
			f->flags |= FILTER_ICMPID;
		}
		break;
	case 'p':
		if (!parse_number(arg, 1, INT_MAX, &n))
			return fail(err, err_len, "invalid %s '%s': expected a process id", name,
				    arg);
		f->pid = n;
		f->flags |= FILTER_PID;
		break;
	case 'N':
		if (!parse_number(arg, 1, UINT32_MAX, &n))
			return fail(err, err_len,
				    "invalid %s '%s': expected a network namespace inode number",
				    name, arg);
		f->netns = n;
		f->flags |= FILTER_NETNS;
		break;
	case 'i':
		if (!*arg || strlen(arg) >= IFNAME_LEN)
			return fail(err, err_len,
				    "invalid %s '%s': an interface name has 1 to %d characters",
				    name, arg, IFNAME_LEN - 1);
		strncpy(f->iface, arg, IFNAME_LEN - 1);
		f->flags |= FILTER_IFACE;
		break;
	case 'c':
		if (!parse_number(arg, 0, ULONG_MAX, &n))
			return fail(err, err_len, "invalid %s '%s': expected a number of events",
				    name, arg);
		cfg->catch_count = n;
		break;
	case 't':
		cfg->time_mode = TIME_RELATIVE;
		break;
	case 'T':
		cfg->time_mode = TIME_CLOCK;
		break;
	case OPT_BACKEND:
		if (!parse_backend(arg, &cfg->backend))
			return fail(err, err_len,
				    "invalid %s '%s': expected auto, fentry or kprobe", name, arg);
		break;
	case OPT_BTF:
		if (access(arg, R_OK))
			return fail(err, err_len, "cannot read %s file '%s': %s", name, arg,
				    strerror(errno));
		cfg->btf_path = arg;
		break;
	case OPT_ENGINES:
		if (!parse_engines(arg, &cfg->engines))
			return fail(err, err_len,
				    "invalid %s '%s': expected a comma-separated list of iptables, "
				    "nftables, arptables, ebtables",
				    name, arg);
		break;
	case OPT_NO_RULES:
		cfg->track_rules = false;
		break;
	case OPT_NFT_TRACE:
		cfg->nft_trace = true;
		break;
	case 'v':
		cfg->verbose = true;
		break;
	}
	return PARSE_OK;
}

/* The option as the user typed it, for messages: "--port" or "-P". */
static void option_name(int opt, int long_index, char *buf, size_t len)
{
	if (long_index >= 0) {
		snprintf(buf, len, "--%s", long_options[long_index].name);
		return;
	}
	for (const struct option *o = long_options; o->name; o++) {
		if (o->val == opt) {
			snprintf(buf, len, "-%c/--%s", opt, o->name);
			return;
		}
	}
	snprintf(buf, len, "-%c", opt);
}

enum parse_result parse_options(int argc, char **argv, struct config *cfg, FILE *out, char *err,
				size_t err_len)
{
	enum parse_result result = PARSE_OK;
	char name[32];
	int opt, long_index;

	memset(cfg, 0, sizeof(*cfg));
	cfg->engines = (1u << ENGINE_MAX) - 1;
	cfg->track_rules = true;
	optind = 0; /* glibc: restart scanning, so tests can parse many times */
	opterr = 0;
	for (;;) {
		long_index = -1;
		opt = getopt_long(argc, argv, short_options, long_options, &long_index);
		if (opt == -1)
			break;
		switch (opt) {
		case 'h':
			fputs(usage_text, out);
			return PARSE_EXIT;
		case 'V':
			fprintf(out, "skbtracer-iptables %s\n", SKBTRACER_VERSION);
			return PARSE_EXIT;
		case '?':
			if (optopt)
				return fail(err, err_len, "unknown option '-%c' (see --help)",
					    optopt);
			return fail(err, err_len, "unknown option '%s' (see --help)",
				    argv[optind - 1]);
		case ':':
			return fail(err, err_len, "option '%s' needs a value (see --help)",
				    argv[optind - 1]);
		default:
			option_name(opt, long_index, name, sizeof(name));
			result = apply_option(opt, name, optarg, cfg, err, err_len);
			if (result != PARSE_OK)
				return result;
		}
	}
	if (optind < argc)
		return fail(err, err_len, "unexpected argument '%s' (see --help)", argv[optind]);
	return PARSE_OK;
}
