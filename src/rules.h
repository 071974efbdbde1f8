/* SPDX-License-Identifier: Apache-2.0 */
#ifndef RULES_H
#define RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "record.h"
#include "skbtracer.h"

struct tracer;
struct rules_cache;

/* A table's current ruleset generation; false while a replacement is under way. */
typedef bool (*generation_lookup_fn)(void *ctx, __u64 table_ptr, __u64 *generation);

struct rules_cache *rules_cache_new(generation_lookup_fn lookup, void *ctx);
void rules_cache_free(struct rules_cache *cache);
/*
 * Which rule decided the event's verdict, the jumps that led there and (want_matched) every
 * entry the packet matched. The strings it points to stay valid until the cache's next use.
 */
void rules_attribute(struct rules_cache *cache, const struct event *e, struct attribution *a,
		     bool want_matched);
/*
 * rules_attribute() rendered as text: " rule=INPUT#3: -A INPUT ... -j DROP" for an event with
 * attribution, "" otherwise. With matched, every entry the packet matched, one "    matched ..."
 * line each.
 */
void describe_rules(struct rules_cache *cache, const struct event *e, char *rule, size_t rule_len,
		    char *matched, size_t matched_len);
const char *rule_status_reason(__u32 status);

#endif
