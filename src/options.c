// SPDX-License-Identifier: Apache-2.0
/* Command line → struct config. Nothing attached; reads only the files -N and --btf name. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "netns.h"
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
	OPT_SUMMARY,
	OPT_DEBUG,
	OPT_NETNS_NAMES,
	OPT_NO_TRACK,
	OPT_TRACK_ENTRIES,
	OPT_SHOW_ID,
	OPT_SHOW_CT,
	OPT_GROUP,
	OPT_NO_DROPS,
	OPT_STACK,
	OPT_RULES_BUDGET,
};

/* Every option: its long name, its short letter (0: none) and whether it takes a value. */
static const struct option_spec {
	const char *name;
	int id; /* the short letter, or enum long_only_option */
	bool has_value;
} options[] = {
	{ "ipaddr", 'H', true },
	{ "proto", OPT_PROTO, true },
	{ "port", 'P', true },
	{ "sport", OPT_SPORT, true },
	{ "dport", OPT_DPORT, true },
	{ "icmpid", OPT_ICMPID, true },
	{ "pid", 'p', true },
	{ "netns", 'N', true },
	{ "iface", 'i', true },
	{ "catch-count", 'c', true },
	{ "timestamp", 't', false },
	{ "time", 'T', false },
	{ "backend", OPT_BACKEND, true },
	{ "btf", OPT_BTF, true },
	{ "engines", OPT_ENGINES, true },
	{ "no-rules", OPT_NO_RULES, false },
	{ "rules-budget", OPT_RULES_BUDGET, true },
	{ "nft-trace", OPT_NFT_TRACE, false },
	{ "no-track", OPT_NO_TRACK, false },
	{ "track-entries", OPT_TRACK_ENTRIES, true },
	{ "show-id", OPT_SHOW_ID, false },
	{ "show-ct", OPT_SHOW_CT, false },
	{ "group", OPT_GROUP, false },
	{ "no-drops", OPT_NO_DROPS, false },
	{ "stack", OPT_STACK, false },
	{ "verbose", 'v', false },
	{ "output", 'o', true },
	{ "summary", OPT_SUMMARY, false }, /* its SECONDS are optional: see take_option */
	{ "debug", OPT_DEBUG, false },
	{ "netns-names", OPT_NETNS_NAMES, false },
	{ "help", 'h', false },
	{ "version", 'V', false },
};

#define NR_OPTIONS (sizeof(options) / sizeof(options[0]))

static const char usage_text[] =
	"Usage: skbtracer-iptables [OPTIONS] [EXPRESSION]\n"
	"\n"
	"Trace packets through the kernel's packet filters (iptables, ip6tables, nftables,\n"
	"arptables, ebtables): one line per table or base chain a packet goes through, with\n"
	"its hook and verdict.\n"
	"\n"
	"Options given twice: the last one counts.\n"
	"\n"
	"Filters (applied in the kernel, on the packet as it enters the table; all must hold):\n"
	"  EXPRESSION             a tcpdump filter expression (pcap-filter(7)); several\n"
	"                         arguments are joined by blanks. It sees the first 256\n"
	"                         bytes from the network header at IP hooks, from the\n"
	"                         Ethernet header at bridge, netdev and ARP hooks\n"
	"  -H, --ipaddr ADDR      IPv4 or IPv6 address, source or destination\n"
	"      --proto PROTO      tcp, udp, icmp, icmp6 or any (default: any)\n"
	"  -P, --port N           TCP/UDP port, source or destination\n"
	"      --sport N          TCP/UDP source port\n"
	"      --dport N          TCP/UDP destination port (ports: not with --proto icmp/icmp6)\n"
	"      --icmpid N         ICMP/ICMPv6 echo identifier (not with ports, --proto tcp/udp)\n"
	"  -p, --pid N            process id (tgid) the packet is handled in\n"
	"  -N, --netns NS         network namespace: inode (ls -L -i /proc/PID/ns/net),\n"
	"                         path (/proc/PID/ns/net, /run/netns/NAME) or `ip netns` name\n"
	"  -i, --iface NAME       interface the packet arrives on or leaves by\n"
	"\n"
	"Output:\n"
	"  -c, --catch-count N    exit after N events (default 0: until interrupted)\n"
	"  -T, --time             print wall-clock time HH:MM:SS (the default)\n"
	"  -t, --timestamp        print seconds since the first event instead\n"
	"      --no-rules         do not name the rule that decided (legacy tables)\n"
	"      --rules-budget PCT naming rules may use PCT% of each CPU (1 to 100, default\n"
	"                         5); past it, until the second ends, rule=?(budget: ...)\n"
	"      --nft-trace        name nftables rules too: adds a table of the tool's own,\n"
	"                         hooked nowhere, that switches the kernel's nft tracing on;\n"
	"                         deleted when the program ends (not with --no-rules)\n"
	"      --no-track         show only the calls the filter matches: do not follow a\n"
	"                         matched packet through NAT, clones and later tables\n"
	"      --track-entries N  slots of the tracking table (default 65536): a packet\n"
	"                         may take one of two; when both are taken, the older\n"
	"                         packet is dropped from tracking and counted\n"
	"      --show-id          add the packet id (id=N: same id, same packet; caused_by=M:\n"
	"                         a REJECT's reply names the packet that caused it)\n"
	"      --show-ct          add conntrack state and mark (ct=NEW mark=0x10)\n"
	"      --group            one block per packet instead of a line per table call:\n"
	"                         its journey, printed 1 s after its last call (and at exit)\n"
	"      --no-drops         no lines for traced packets the kernel drops outside the\n"
	"                         tables (skb:kfree_skb: reason and place of the drop)\n"
	"      --stack            the kernel stack under each drop and DROP verdict\n"
	"  -v, --verbose          also list every rule matched on the way\n"
	"      --netns-names      a NETNS_NAME column (JSON: netns_name): the namespace's\n"
	"                         `ip netns` name, Kubernetes pod or container id\n"
	"      --debug            libbpf's log on stderr (loading, the verifier's statistics\n"
	"                         per program, its output on a failure), how long each\n"
	"                         step of the start took (debug: ... in N s), the build of\n"
	"                         the programs loaded (debug: object: ...), and at the end\n"
	"                         the rule walks' count and cost (debug: rule walks: ...)\n"
	"  -o, --output FORMAT    text (the default: one line per event) or json (JSON Lines:\n"
	"                         one object per event on stdout, messages as objects on stderr)\n"
	"      --summary [SECS]   counts per table, chain, hook, verdict and deciding rule\n"
	"                         instead of one line per event, refreshed every SECS (1 to\n"
	"                         86400, default 1) and printed once more at exit; as JSON\n"
	"                         objects with -o json\n"
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
	"Exit status: 0 done, 1 cannot trace, 2 bad command line or --btf file,\n"
	"128+N signal N during start-up.\n"
	"\n"
	"Examples:\n"
	"  skbtracer-iptables --proto icmp              every ICMP packet in every table\n"
	"  skbtracer-iptables -H 10.0.0.2 --dport 80    to or from 10.0.0.2, destination port 80\n"
	"  skbtracer-iptables -H 2001:db8::1 -c 10      ten events for that IPv6 address\n"
	"  skbtracer-iptables -N 4026532281 -i veth0    one namespace, one interface\n"
	"  skbtracer-iptables -N ns2 'tcp port 443 and net 10.0.0.0/8'\n"
	"                                               an expression in `ip netns` ns2\n"
	"  skbtracer-iptables 'tcp[tcpflags] & tcp-syn != 0 and portrange 8000-8100'\n"
	"                                               connection attempts to those ports\n"
	"  skbtracer-iptables 'icmp6 or icmp[icmptype] == icmp-echo'\n"
	"                                               all ICMPv6, IPv4 echo requests\n"
	"  skbtracer-iptables --engines ebtables 'vlan 10 and icmp'\n"
	"                                               ICMP on VLAN 10 in a bridge\n";

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

/* text[0..len), at most max bytes of it, for a one-line message: \n, \t, \xHH escapes. */
static void shown_limited(const char *text, size_t len, size_t max, char *buf, size_t buf_len)
{
	size_t used = 0, i;

	for (i = 0; i < len && i < max && used + 8 < buf_len; i++) {
		unsigned char c = text[i];

		if (c == '\n')
			used += snprintf(buf + used, buf_len - used, "\\n");
		else if (c == '\t')
			used += snprintf(buf + used, buf_len - used, "\\t");
		else if (c == '\\')
			used += snprintf(buf + used, buf_len - used, "\\\\");
		else if (c < 0x20 || c >= 0x7f)
			used += snprintf(buf + used, buf_len - used, "\\x%02x", c);
		else
			buf[used++] = c;
	}
	buf[used] = '\0';
	if (i < len)
		snprintf(buf + used, buf_len - used, "...");
}

static void shown_n(const char *text, size_t len, char *buf, size_t buf_len)
{
	shown_limited(text, len, SHOWN_BYTES, buf, buf_len);
}

void shown(const char *text, char *buf, size_t buf_len)
{
	shown_n(text, strnlen(text, SHOWN_BYTES + 1), buf, buf_len);
}

void shown_max(const char *text, size_t max_bytes, char *buf, size_t buf_len)
{
	shown_limited(text, strnlen(text, max_bytes + 1), max_bytes, buf, buf_len);
}

/* Parses a decimal number in [min, max]; the whole string must be digits, nothing else. */
static bool parse_number(const char *text, unsigned long long min, unsigned long long max,
			 unsigned long long *value)
{
	char *end;

	if (!*text || text[strspn(text, "0123456789")])
		return false;
	errno = 0;
	*value = strtoull(text, &end, 10);
	return !errno && !*end && *value >= min && *value <= max;
}

/* A name the kernel accepts for a network device (dev_valid_name() in net/core/dev.c). */
static bool valid_ifname(const char *name)
{
	if (!*name || strnlen(name, IFNAME_LEN) == IFNAME_LEN || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return false;
	for (; *name; name++) {
		if (*name == '/' || *name == ':' || isspace((unsigned char)*name))
			return false;
	}
	return true;
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

/* For --btf DIR: a directory must hold the kernel's BTF as DIR/vmlinux. */
static bool is_directory(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

static bool is_regular_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

static bool directory_has(const char *dir, const char *file)
{
	char path[PATH_MAX];

	return snprintf(path, sizeof(path), "%s/%s", dir, file) < (int)sizeof(path) &&
	       !access(path, R_OK) && is_regular_file(path);
}

/* Parses option `opt` with its value (NULL for flags) into cfg. */
static enum parse_result apply_option(int opt, const char *name, const char *value,
				      struct config *cfg, char *err, size_t err_len)
{
	struct filter *f = &cfg->filter;
	char arg[SHOWN_MAX];
	unsigned long long n;
	int ret;

	if (value)
		shown(value, arg, sizeof(arg));
	switch (opt) {
	case 'H':
		if (!parse_addr(value, f))
			return fail(err, err_len, "invalid %s '%s': not an IPv4 or IPv6 address",
				    name, arg);
		f->flags |= FILTER_ADDR;
		break;
	case OPT_PROTO:
		if (!parse_proto(value, &f->l4proto))
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
		if (!parse_number(value, opt == OPT_ICMPID ? 0 : 1, 65535, &n))
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
		if (!parse_number(value, 1, INT_MAX, &n))
			return fail(err, err_len, "invalid %s '%s': expected a process id", name,
				    arg);
		f->pid = n;
		f->flags |= FILTER_PID;
		break;
	case 'N':
		if (*value && !value[strspn(value, "0123456789")]) {
			if (!parse_number(value, 1, UINT32_MAX, &n))
				return fail(err, err_len,
					    "invalid %s '%s': expected a network namespace inode "
					    "number",
					    name, arg);
			f->netns = n;
		} else if ((ret = netns_inode_of(value, &f->netns))) {
			return fail(
				err, err_len,
				"invalid %s '%s': %s%s (expected an inode number, a path such as "
				"/proc/PID/ns/net or a name from `ip netns`)",
				name, arg,
				ret == -EINVAL ? "not a network namespace" : strerror(-ret),
				strchr(value, '/') ? "" : " in " NETNS_RUN_DIR);
		}
		f->flags |= FILTER_NETNS;
		break;
	case 'i':
		if (!valid_ifname(value))
			return fail(err, err_len,
				    "invalid %s '%s': an interface name has 1 to %d characters, "
				    "none of them '/', ':' or blank, and is not '.' or '..'",
				    name, arg, IFNAME_LEN - 1);
		strncpy(f->iface, value, IFNAME_LEN - 1);
		f->flags |= FILTER_IFACE;
		break;
	case 'c':
		if (!parse_number(value, 0, ULONG_MAX, &n))
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
		if (!parse_backend(value, &cfg->backend))
			return fail(err, err_len,
				    "invalid %s '%s': expected auto, fentry or kprobe", name, arg);
		break;
	case OPT_BTF:
		if (access(value, R_OK))
			return fail(err, err_len, "cannot read %s file '%s': %s", name, arg,
				    strerror(errno));
		if (is_directory(value) && !directory_has(value, "vmlinux"))
			return fail(err, err_len,
				    "%s directory '%s' has no readable vmlinux file (see --help)",
				    name, arg);
		/* a FIFO or a device would block or feed the reader forever */
		if (!is_directory(value) && !is_regular_file(value))
			return fail(err, err_len,
				    "%s '%s' is not a regular file or a directory (see --help)",
				    name, arg);
		cfg->btf_path = value;
		break;
	case OPT_ENGINES:
		if (!parse_engines(value, &cfg->engines))
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
	case OPT_NO_DROPS:
		cfg->drops = false;
		break;
	case OPT_STACK:
		cfg->stack = true;
		break;
	case 'v':
		cfg->verbose = true;
		break;
	case 'o':
		if (strcmp(value, "text") && strcmp(value, "json"))
			return fail(err, err_len, "invalid %s '%s': expected text or json", name,
				    arg);
		cfg->output = strcmp(value, "json") ? OUTPUT_TEXT : OUTPUT_JSON;
		break;
	case OPT_SUMMARY:
		if (!value) {
			cfg->summary_sec = 1;
		} else if (!parse_number(value, 1, 86400, &n)) {
			return fail(
				err, err_len,
				"invalid %s '%s': expected seconds between refreshes, 1 to 86400",
				name, arg);
		} else {
			cfg->summary_sec = n;
		}
		break;
	case OPT_DEBUG:
		cfg->debug = true;
		break;
	case OPT_NETNS_NAMES:
		cfg->netns_names = true;
		break;
	case OPT_NO_TRACK:
		cfg->track_packets = false;
		break;
	case OPT_RULES_BUDGET:
		if (!parse_number(value, 1, 100, &n))
			return fail(err, err_len,
				    "invalid %s '%s': expected a share of each CPU in percent, 1 "
				    "to 100",
				    name, arg);
		cfg->rules_budget_pct = n;
		break;
	case OPT_TRACK_ENTRIES:
		if (!parse_number(value, 16, 1u << 24, &n))
			return fail(err, err_len,
				    "invalid %s '%s': expected 16 to 16777216 packets", name, arg);
		cfg->track_entries = n;
		break;
	case OPT_SHOW_ID:
		cfg->show_id = true;
		break;
	case OPT_SHOW_CT:
		cfg->show_ct = true;
		break;
	case OPT_GROUP:
		cfg->group = true;
		break;
	}
	return PARSE_OK;
}

/* The option for messages: "--port", or "-P/--port" when typed as a letter. */
static void option_name(const struct option_spec *o, bool typed_short, char *buf, size_t len)
{
	if (typed_short)
		snprintf(buf, len, "-%c/--%s", o->id, o->name);
	else
		snprintf(buf, len, "--%s", o->name);
}

static const struct option_spec *short_option(char letter)
{
	for (size_t i = 0; i < NR_OPTIONS; i++) {
		if (options[i].id == letter && letter != 0 && options[i].id < 256)
			return &options[i];
	}
	return NULL;
}

/* The option `--word` names: exact, or the only one it is a prefix of; else the error. */
static const struct option_spec *long_option(const char *word, size_t len, char *err,
					     size_t err_len)
{
	const struct option_spec *match = NULL;
	char typed[SHOWN_MAX], candidates[256] = "";
	size_t used = 0;
	int nr_matches = 0;

	for (size_t i = 0; i < NR_OPTIONS; i++) {
		if (strlen(options[i].name) == len && !strncmp(options[i].name, word, len))
			return &options[i];
		if (strlen(options[i].name) > len && !strncmp(options[i].name, word, len)) {
			match = &options[i];
			nr_matches++;
			if (used < sizeof(candidates))
				used += snprintf(candidates + used, sizeof(candidates) - used,
						 "%s--%s", used ? ", " : "", options[i].name);
		}
	}
	if (nr_matches == 1 && len > 0)
		return match;
	shown_n(word, len ? len : strlen(word), typed, sizeof(typed)); /* --=x: all of it */
	if (nr_matches > 1 && len > 0)
		fail(err, err_len, "ambiguous option '--%s': could be %s (see --help)", typed,
		     candidates);
	else
		fail(err, err_len, "unknown option '--%s' (see --help)", typed);
	return NULL;
}

/* Prints --help or --version; PARSE_WRITE_ERROR when the output cannot be written. */
static enum parse_result print_and_exit(int id, FILE *out, char *err, size_t err_len)
{
	if (id == 'h')
		fputs(usage_text, out);
	else
		fprintf(out, "skbtracer-iptables %s\n", SKBTRACER_VERSION);
	if (fflush(out) == EOF || ferror(out)) {
		fail(err, err_len, "cannot write to standard output: %s", strerror(errno));
		return PARSE_WRITE_ERROR;
	}
	return PARSE_EXIT;
}

/* Options that cannot all hold: the filter would match nothing, or one undoes the other. */
static enum parse_result check_contradictions(const struct config *cfg, char *err, size_t err_len)
{
	const struct filter *f = &cfg->filter;
	bool icmp = (f->flags & FILTER_PROTO) &&
		    (f->l4proto == IPPROTO_ICMP || f->l4proto == IPPROTO_ICMPV6);
	bool ports = (f->flags & FILTER_PROTO) &&
		     (f->l4proto == IPPROTO_TCP || f->l4proto == IPPROTO_UDP);

	if (icmp && (f->flags & (FILTER_PORT | FILTER_SPORT | FILTER_DPORT)))
		return fail(err, err_len,
			    "--port, --sport and --dport match TCP/UDP ports: they contradict "
			    "--proto %s",
			    f->l4proto == IPPROTO_ICMP ? "icmp" : "icmp6");
	if (ports && (f->flags & FILTER_ICMPID))
		return fail(err, err_len, "--icmpid matches ICMP echo: it contradicts --proto %s",
			    f->l4proto == IPPROTO_TCP ? "tcp" : "udp");
	if ((f->flags & (FILTER_PORT | FILTER_SPORT | FILTER_DPORT)) && (f->flags & FILTER_ICMPID))
		return fail(
			err, err_len,
			"--icmpid matches ICMP echo and --port, --sport, --dport TCP/UDP ports: a "
			"packet has one or the other");
	if (icmp && (f->flags & FILTER_ADDR) &&
	    (f->l4proto == IPPROTO_ICMP) != (f->addr_family == PF_FAMILY_IPV4))
		return fail(err, err_len, "--proto %s is IPv%s only: it contradicts an IPv%s -H",
			    f->l4proto == IPPROTO_ICMP ? "icmp" : "icmp6",
			    f->l4proto == IPPROTO_ICMP ? "4" : "6",
			    f->l4proto == IPPROTO_ICMP ? "6" : "4");
	if (cfg->nft_trace && !(cfg->engines & (1u << ENGINE_NFTABLES)))
		return fail(err, err_len,
			    "--nft-trace names nftables rules: it needs nftables in --engines");
	if (cfg->netns_names && cfg->summary_sec)
		return fail(err, err_len,
			    "--netns-names adds a column to each event's line and --summary prints "
			    "none: use one of them");
	if (cfg->nft_trace && !cfg->track_rules)
		return fail(err, err_len,
			    "--nft-trace names rules and --no-rules names none: use one of them");
	if (cfg->rules_budget_pct && !cfg->track_rules)
		return fail(err, err_len,
			    "--rules-budget limits naming rules and --no-rules names none: use one "
			    "of them");
	if (cfg->group && !cfg->track_packets)
		return fail(
			err, err_len,
			"--group gathers a packet's calls by tracking and --no-track tracks none: "
			"use one of them");
	if (cfg->group && (cfg->output == OUTPUT_JSON || cfg->summary_sec))
		return fail(err, err_len,
			    "--group is a text output: not with -o json or --summary (JSON events "
			    "carry packet_id)");
	if (cfg->show_id && !cfg->track_packets)
		return fail(err, err_len,
			    "--show-id shows tracking's packet ids and --no-track tracks none: use "
			    "one of them");
	if (cfg->stack && cfg->summary_sec)
		return fail(
			err, err_len,
			"--stack prints stacks under events and --summary prints no events: use "
			"one of them");
	if ((cfg->verbose || cfg->show_id || cfg->show_ct) && cfg->summary_sec)
		return fail(err, err_len,
			    "%s adds to each event's line and --summary prints none: use one of "
			    "them",
			    cfg->verbose   ? "-v"
			    : cfg->show_id ? "--show-id"
					   : "--show-ct");
	if (cfg->verbose && !cfg->track_rules)
		return fail(err, err_len,
			    "-v lists the rules matched on the way and --no-rules names none: use "
			    "one of them");
	if (cfg->track_entries && !cfg->track_packets)
		return fail(
			err, err_len,
			"--track-entries sizes tracking's table and --no-track tracks none: use "
			"one of them");
	return PARSE_OK;
}

/*
 * An expression only for Ethernet frames ('vlan 10', 'ether host ...') with only iptables in
 * --engines: it would show nothing. (nftables hooks at bridge, netdev and ARP too.)
 */
static enum parse_result check_expression_reach(const struct config *cfg, char *err, size_t err_len)
{
	unsigned int link_engines =
		1u << ENGINE_EBTABLES | 1u << ENGINE_ARPTABLES | 1u << ENGINE_NFTABLES;

	if (cfg->pcap.enabled && !cfg->pcap.at_ip_hooks && !(cfg->engines & link_engines))
		return fail(err, err_len,
			    "the filter expression matches at bridge, netdev and ARP hooks only "
			    "and --engines has none of them (ebtables, arptables, nftables)");
	return PARSE_OK;
}

/* Applies option o; its value is `attached` (--name=V, -cV) or the next argument. */
static enum parse_result take_option(const struct option_spec *o, bool typed_short,
				     const char *attached, int argc, char **argv, int *next,
				     struct config *cfg, FILE *out, char *err, size_t err_len)
{
	const char *value = attached;
	char name[32];

	option_name(o, typed_short, name, sizeof(name));
	/* --summary, --summary=N, --summary N (only a number is taken as its value) */
	if (o->id == OPT_SUMMARY && !attached && *next < argc && isdigit(argv[*next][0]))
		value = argv[(*next)++];
	if (!o->has_value && attached && o->id != OPT_SUMMARY)
		return fail(err, err_len, "option '%s' takes no value (see --help)", name);
	if (o->has_value && !value) {
		if (*next >= argc)
			return fail(err, err_len, "option '%s' needs a value (see --help)", name);
		value = argv[(*next)++];
	}
	if (o->id == 'h' || o->id == 'V')
		return print_and_exit(o->id, out, err, err_len);
	return apply_option(o->id, name, value, cfg, err, err_len);
}

/* Appends word to the expression *expr (NULL: none yet), separated by a blank. */
static bool append_word(char **expr, const char *word)
{
	size_t used = *expr ? strlen(*expr) : 0, len = strlen(word);
	char *grown = realloc(*expr, used + len + 2);

	if (!grown)
		return false;
	if (used)
		grown[used++] = ' ';
	memcpy(grown + used, word, len + 1);
	*expr = grown;
	return true;
}

/* The options into cfg; the other arguments, joined by blanks, into *expr (as tcpdump). */
static enum parse_result parse_arguments(int argc, char **argv, struct config *cfg, char **expr,
					 FILE *out, char *err, size_t err_len)
{
	enum parse_result result = PARSE_OK;
	char typed[SHOWN_MAX];
	bool options_ended = false;
	int next = 1;

	while (result == PARSE_OK && next < argc) {
		const char *arg = argv[next++];
		const struct option_spec *o;

		if (!options_ended && !strcmp(arg, "--")) {
			options_ended = true;
			continue;
		}
		if (options_ended || arg[0] != '-' || !arg[1]) {
			if (!append_word(expr, arg))
				return fail(err, err_len, "out of memory");
			continue;
		}
		if (!strncmp(arg, "--", 2)) {
			const char *equals = strchr(arg + 2, '=');
			size_t len = equals ? (size_t)(equals - arg - 2) : strlen(arg + 2);

			o = long_option(arg + 2, len, err, err_len);
			if (!o)
				return PARSE_ERROR;
			result = take_option(o, false, equals ? equals + 1 : NULL, argc, argv,
					     &next, cfg, out, err, err_len);
			continue;
		}
		/* -tv, -c5, -c 5 */
		for (const char *c = arg + 1; *c && result == PARSE_OK; c++) {
			o = short_option(*c);
			if (!o && *c == '-') { /* -t- */
				shown(arg, typed, sizeof(typed));
				return fail(err, err_len,
					    "unknown option '%s': '-' cannot follow short options "
					    "(see --help)",
					    typed);
			}
			if (!o) {
				shown_n(c, 1, typed, sizeof(typed));
				return fail(err, err_len, "unknown option '-%s' (see --help)",
					    typed);
			}
			if (o->has_value) {
				result = take_option(o, true, c[1] ? c + 1 : NULL, argc, argv,
						     &next, cfg, out, err, err_len);
				break;
			}
			result = take_option(o, true, NULL, argc, argv, &next, cfg, out, err,
					     err_len);
		}
	}
	return result;
}

/* Compiles the filter expression with libpcap; its message, escaped, when it cannot. */
static enum parse_result compile_expression(const char *expr, struct config *cfg, char *err,
					    size_t err_len)
{
	char why[PCAP_MESSAGE_LEN], typed[SHOWN_MAX], message[256];
	char note[sizeof(cfg->pcap.note)];

	if (!expr[strspn(expr, " \t\n")])
		return PARSE_OK; /* blank: no filter, as tcpdump */
	if (!pcap_filter_compile(expr, &cfg->pcap, why, sizeof(why))) {
		shown(expr, typed, sizeof(typed));
		shown_max(why, sizeof(why) - 1, message, sizeof(message));
		return fail(err, err_len, "bad filter expression '%s': %s", typed, message);
	}
	shown_max(cfg->pcap.note, sizeof(note) - 1, note, sizeof(note));
	memcpy(cfg->pcap.note, note, sizeof(note));
	return PARSE_OK;
}

enum parse_result parse_options(int argc, char **argv, struct config *cfg, FILE *out, char *err,
				size_t err_len)
{
	enum parse_result result;
	char *expr = NULL;

	memset(cfg, 0, sizeof(*cfg));
	cfg->engines = (1u << ENGINE_MAX) - 1;
	cfg->track_rules = true;
	cfg->track_packets = true;
	cfg->drops = true;
	result = parse_arguments(argc, argv, cfg, &expr, out, err, err_len);
	if (result == PARSE_OK)
		result = check_contradictions(cfg, err, err_len);
	if (result == PARSE_OK && expr)
		result = compile_expression(expr, cfg, err, err_len);
	if (result == PARSE_OK)
		result = check_expression_reach(cfg, err, err_len);
	if (!cfg->rules_budget_pct)
		cfg->rules_budget_pct = RULES_BUDGET_DEFAULT;
	if (!cfg->track_entries)
		cfg->track_entries = TRACK_ENTRIES_DEFAULT;
	free(expr);
	return result;
}
