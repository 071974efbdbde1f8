/* SPDX-License-Identifier: Apache-2.0 */
#ifndef FORMAT_H
#define FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "skbtracer.h"

/* How the TIME column is shown. */
struct time_format {
	bool relative;	       /* seconds since first_ns instead of the wall clock */
	__u64 first_ns;	       /* monotonic time of the first event (relative mode) */
	__s64 realtime_off_ns; /* CLOCK_REALTIME - CLOCK_MONOTONIC */
};

const char *hook_name(__u8 hook);
const char *pkt_type_name(__u8 pkt_type);
const char *pf_name(__u8 pf);
void format_verdict(__u32 verdict, char *buf, size_t len);
void format_tcp_flags(__u8 flags, char *buf, size_t len);
void format_cost(__u64 ns, char *buf, size_t len);
void format_mac(const __u8 mac[6], char *buf, size_t len);
void format_pkt_info(const struct event *e, char *buf, size_t len);
void format_engine_info(const struct event *e, char *buf, size_t len);
const char *family_name(__u8 family);
const char *family_hook_name(__u8 family, __u8 hook);
void format_time(const struct event *e, const struct time_format *tf, char *buf, size_t len);
void format_interface(const struct event *e, char *buf, size_t len);
const char *format_header(void);
void format_event(const struct event *e, const struct time_format *tf, char *buf, size_t len);
/* --netns-names: a NETNS_NAME column after NETWORK_NS (netns_name: already escaped). */
const char *format_header_netns_names(void);
void format_event_named(const struct event *e, const struct time_format *tf, const char *netns_name,
			char *buf, size_t len);
/* The seed's columns with info as the last (IPTABLES_INFO) column; netns_name NULL: none. */
void format_columns(const struct event *e, const struct time_format *tf, const char *netns_name,
		    const char *info, char *buf, size_t len);

#endif
