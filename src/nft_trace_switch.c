// SPDX-License-Identifier: Apache-2.0
/* The --nft-trace switch: a table of our own with `meta nftrace set 1` in an unhooked chain. */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include "nft_trace_switch.h"

#define CHAIN "trace_switch"
#define REPLY_TIMEOUT_MS 1000

/* Netlink messages built in place: a header, struct nfgenmsg, attributes. */
struct nl_buf {
	char data[4096] __attribute__((aligned(NLMSG_ALIGNTO)));
	size_t len;
};

/* Messages are a few hundred bytes (names are at most 63): a longer one is a bug. */
static void *put(struct nl_buf *b, size_t len)
{
	void *at = b->data + b->len;

	if (b->len + NLMSG_ALIGN(len) > sizeof(b->data))
		abort();
	memset(at, 0, NLMSG_ALIGN(len));
	b->len += NLMSG_ALIGN(len);
	return at;
}

static struct nlmsghdr *msg_start(struct nl_buf *b, __u16 type, __u16 flags, __u8 family, __u32 seq,
				  __u16 res_id)
{
	struct nlmsghdr *h = put(b, NLMSG_HDRLEN);
	struct nfgenmsg *g = put(b, sizeof(*g));

	*h = (struct nlmsghdr){ .nlmsg_type = type,
				.nlmsg_flags = NLM_F_REQUEST | flags,
				.nlmsg_seq = seq };
	*g = (struct nfgenmsg){ .nfgen_family = family,
				.version = NFNETLINK_V0,
				.res_id = htons(res_id) };
	return h;
}

static void msg_end(struct nl_buf *b, struct nlmsghdr *h)
{
	h->nlmsg_len = b->data + b->len - (char *)h;
}

static struct nlattr *attr(struct nl_buf *b, __u16 type, const void *data, size_t len)
{
	struct nlattr *a = put(b, NLA_HDRLEN + len);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	return a;
}

static void attr_str(struct nl_buf *b, __u16 type, const char *s)
{
	attr(b, type, s, strlen(s) + 1);
}

static void attr_be32(struct nl_buf *b, __u16 type, __u32 v)
{
	v = htonl(v);
	attr(b, type, &v, sizeof(v));
}

static struct nlattr *nest(struct nl_buf *b, __u16 type)
{
	return attr(b, type | NLA_F_NESTED, NULL, 0);
}

static void nest_end(struct nl_buf *b, struct nlattr *a)
{
	a->nla_len = b->data + b->len - (char *)a;
}

static __u16 nft_type(int msg)
{
	return NFNL_SUBSYS_NFTABLES << 8 | msg;
}

/* One rule: immediate 1 into a register, then meta nftrace set from that register. */
static void trace_rule(struct nl_buf *b)
{
	struct nlattr *list = nest(b, NFTA_RULE_EXPRESSIONS), *elem, *data, *value;
	__u8 one = 1;

	elem = nest(b, NFTA_LIST_ELEM);
	attr_str(b, NFTA_EXPR_NAME, "immediate");
	data = nest(b, NFTA_EXPR_DATA);
	attr_be32(b, NFTA_IMMEDIATE_DREG, NFT_REG32_00);
	value = nest(b, NFTA_IMMEDIATE_DATA);
	attr(b, NFTA_DATA_VALUE, &one, sizeof(one));
	nest_end(b, value);
	nest_end(b, data);
	nest_end(b, elem);
	elem = nest(b, NFTA_LIST_ELEM);
	attr_str(b, NFTA_EXPR_NAME, "meta");
	data = nest(b, NFTA_EXPR_DATA);
	attr_be32(b, NFTA_META_KEY, NFT_META_NFTRACE);
	attr_be32(b, NFTA_META_SREG, NFT_REG32_00);
	nest_end(b, data);
	nest_end(b, elem);
	nest_end(b, list);
}

/* A transaction: BATCH_BEGIN, the messages add() puts, BATCH_END. Returns how many it put. */
static int batch(struct nft_trace_switch *sw, struct nl_buf *b,
		 int (*add)(struct nft_trace_switch *sw, struct nl_buf *b, const void *arg),
		 const void *arg)
{
	struct nlmsghdr *h;
	int n;

	b->len = 0;
	h = msg_start(b, NFNL_MSG_BATCH_BEGIN, 0, AF_UNSPEC, ++sw->seq, NFNL_SUBSYS_NFTABLES);
	msg_end(b, h);
	n = add(sw, b, arg);
	h = msg_start(b, NFNL_MSG_BATCH_END, 0, AF_UNSPEC, ++sw->seq, NFNL_SUBSYS_NFTABLES);
	msg_end(b, h);
	return n;
}

static int add_switch(struct nft_trace_switch *sw, struct nl_buf *b, const void *arg)
{
	struct nlmsghdr *h;
	(void)arg;

	h = msg_start(b, nft_type(NFT_MSG_NEWTABLE), NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK,
		      NFPROTO_INET, ++sw->seq, 0);
	attr_str(b, NFTA_TABLE_NAME, sw->table);
	if (sw->owned)
		attr_be32(b, NFTA_TABLE_FLAGS, NFT_TABLE_F_OWNER);
	msg_end(b, h);
	h = msg_start(b, nft_type(NFT_MSG_NEWCHAIN), NLM_F_CREATE | NLM_F_ACK, NFPROTO_INET,
		      ++sw->seq, 0);
	attr_str(b, NFTA_CHAIN_TABLE, sw->table);
	attr_str(b, NFTA_CHAIN_NAME, CHAIN);
	msg_end(b, h);
	h = msg_start(b, nft_type(NFT_MSG_NEWRULE), NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK,
		      NFPROTO_INET, ++sw->seq, 0);
	attr_str(b, NFTA_RULE_TABLE, sw->table);
	attr_str(b, NFTA_RULE_CHAIN, CHAIN);
	trace_rule(b);
	msg_end(b, h);
	return 3;
}

static int delete_table(struct nft_trace_switch *sw, struct nl_buf *b, const void *name)
{
	struct nlmsghdr *h =
		msg_start(b, nft_type(NFT_MSG_DELTABLE), NLM_F_ACK, NFPROTO_INET, ++sw->seq, 0);

	attr_str(b, NFTA_TABLE_NAME, name);
	msg_end(b, h);
	return 1;
}

/*
 * Sends b and reads the replies: 0 once `acks` acknowledgements came, a negative errno at the
 * first error. With on_msg, a dump: every message goes to it until NLMSG_DONE.
 */
static int talk(struct nft_trace_switch *sw, struct nl_buf *b, int acks,
		void (*on_msg)(const struct nlmsghdr *h, void *ctx), void *ctx)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	static char reply[65536] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct pollfd pfd = { sw->sock, POLLIN, 0 };
	__u32 first_seq = ((struct nlmsghdr *)b->data)->nlmsg_seq;

	/* Replies an earlier request left (after its first error) are not this one's. */
	while (recv(sw->sock, reply, sizeof(reply), MSG_DONTWAIT) > 0)
		;
	if (sendto(sw->sock, b->data, b->len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -errno;
	for (;;) {
		ssize_t n;
		int ready = poll(&pfd, 1, REPLY_TIMEOUT_MS);

		if (ready < 0 && errno == EINTR)
			continue;
		if (ready <= 0)
			return -ETIMEDOUT;
		n = recv(sw->sock, reply, sizeof(reply), 0);
		if (n < 0)
			return errno == EINTR ? 0 : -errno;
		for (struct nlmsghdr *h = (void *)reply; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq < first_seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE)
				return 0;
			if (h->nlmsg_type == NLMSG_ERROR) {
				int error = ((struct nlmsgerr *)NLMSG_DATA(h))->error;

				if (error)
					return error;
				if (--acks <= 0 && !on_msg)
					return 0;
			} else if (on_msg) {
				on_msg(h, ctx);
			}
		}
	}
}

/* The value of a string attribute of an nftables message, or NULL. */
static const char *string_attr(const struct nlmsghdr *h, __u16 type)
{
	int len = h->nlmsg_len - NLMSG_SPACE(sizeof(struct nfgenmsg));
	const struct nlattr *a =
		(const void *)((const char *)NLMSG_DATA(h) + NLMSG_ALIGN(sizeof(struct nfgenmsg)));

	for (; len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= len;
	     len -= NLA_ALIGN(a->nla_len),
	     a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len))) {
		const char *value = (const char *)a + NLA_HDRLEN;

		if ((a->nla_type & NLA_TYPE_MASK) == type && a->nla_len > NLA_HDRLEN &&
		    value[a->nla_len - NLA_HDRLEN - 1] == '\0')
			return value;
	}
	return NULL;
}

struct table_names {
	char names[64][64];
	int nr;
};

/* Tables named PREFIX (earlier versions) or PREFIX_PID whose process is gone. */
static void collect_leftover(const struct nlmsghdr *h, void *ctx)
{
	struct table_names *found = ctx;
	const char *name = string_attr(h, NFTA_TABLE_NAME);
	size_t plen = strlen(NFT_TRACE_SWITCH_PREFIX);
	char *end;
	long pid;

	if (!name || strncmp(name, NFT_TRACE_SWITCH_PREFIX, plen) || found->nr == 64 ||
	    strlen(name) >= sizeof(found->names[0]))
		return;
	if (name[plen]) {
		if (name[plen] != '_' || !isdigit((unsigned char)name[plen + 1]))
			return; /* strtol would take blanks and a sign */
		pid = strtol(name + plen + 1, &end, 10);
		if (*end || pid <= 0 || kill(pid, 0) == 0 || errno != ESRCH)
			return;
	}
	snprintf(found->names[found->nr++], sizeof(found->names[0]), "%s", name);
}

static void remove_leftovers(struct nft_trace_switch *sw)
{
	static struct table_names found;
	struct nl_buf b = {};
	struct nlmsghdr *h;

	found.nr = 0;
	h = msg_start(&b, nft_type(NFT_MSG_GETTABLE), NLM_F_DUMP, NFPROTO_INET, ++sw->seq, 0);
	msg_end(&b, h);
	if (talk(sw, &b, 0, collect_leftover, &found))
		return;
	for (int i = 0; i < found.nr; i++) {
		int acks = batch(sw, &b, delete_table, found.names[i]);

		char text[128];

		if (talk(sw, &b, acks, NULL, NULL))
			continue;
		snprintf(text, sizeof(text), "Deleted table inet %s left by an earlier run",
			 found.names[i]);
		if (sw->say)
			sw->say(text);
		else
			fprintf(stderr, "%s\n", text);
	}
}

static int add_table(struct nft_trace_switch *sw)
{
	struct nl_buf b;
	int ret;

	sw->owned = true;
	ret = talk(sw, &b, batch(sw, &b, add_switch, NULL), NULL, NULL);
	if (ret == -EOPNOTSUPP || ret == -EINVAL) {
		sw->owned = false; /* before 5.12: no table owners */
		ret = talk(sw, &b, batch(sw, &b, add_switch, NULL), NULL, NULL);
	}
	return ret;
}

int nft_trace_switch_on(struct nft_trace_switch *sw, char *err, size_t err_len)
{
	int ret;

	memset(sw, 0, sizeof(*sw));
	snprintf(sw->table, sizeof(sw->table), "%s_%d", NFT_TRACE_SWITCH_PREFIX, (int)getpid());
	sw->sock = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (sw->sock < 0) {
		snprintf(err, err_len, "--nft-trace: cannot open a netfilter netlink socket: %s",
			 strerror(errno));
		return -1;
	}
	remove_leftovers(sw);
	ret = add_table(sw);
	if (ret) {
		snprintf(err, err_len, "--nft-trace: cannot add table inet %s: %s", sw->table,
			 strerror(-ret));
		close(sw->sock);
		sw->sock = -1;
		return -1;
	}
	return 0;
}

int nft_trace_switch_check(struct nft_trace_switch *sw, char *err, size_t err_len)
{
	struct nl_buf b = {};
	struct nlmsghdr *h;
	int ret;

	h = msg_start(&b, nft_type(NFT_MSG_GETTABLE), NLM_F_ACK, NFPROTO_INET, ++sw->seq, 0);
	attr_str(&b, NFTA_TABLE_NAME, sw->table);
	msg_end(&b, h);
	ret = talk(sw, &b, 1, NULL, NULL);
	if (ret != -ENOENT)
		return 0; /* there (or no answer: not a reason to add a second one) */
	ret = add_table(sw);
	if (!ret)
		return 1;
	snprintf(err, err_len, "cannot add table inet %s again: %s", sw->table, strerror(-ret));
	return -1;
}

bool nft_trace_switch_off(struct nft_trace_switch *sw)
{
	struct nl_buf b;
	int ret;

	if (sw->sock < 0)
		return true;
	ret = talk(sw, &b, batch(sw, &b, delete_table, sw->table), NULL, NULL);
	close(sw->sock);
	sw->sock = -1;
	return !ret || ret == -ENOENT;
}
