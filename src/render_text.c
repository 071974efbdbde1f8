// SPDX-License-Identifier: Apache-2.0
/* The seed's columns and the rule that decided, from the decoded record. */
#include <stdlib.h>
#include <string.h>
#include "printable.h"
#include "render_text.h"

/* "INPUT#3: -A INPUT ... -j DROP", "sub[handle 4]: ... drop", "INPUT:policy DROP", "s:return" */
void render_text_step(bool nft, const struct rule_step *s, bool with_text, char *buf, size_t len)
{
	char chain_shown[PRINTABLE_NAME_LEN], text_shown[4096];
	const char *chain =
		s->chain ? printable(s->chain, NAME_LEN, chain_shown, sizeof(chain_shown)) : "?";
	bool with = with_text && s->text;
	const char *text =
		with ? printable(s->text, (size_t)-1, text_shown, sizeof(text_shown)) : "";

	if (s->kind == RULE_STEP_POLICY)
		snprintf(buf, len, "%s:policy%s%s", chain, with ? " " : "", text);
	else if (s->kind == RULE_STEP_RETURN)
		snprintf(buf, len, "%s:return", chain);
	else if (nft && !s->chain)
		snprintf(buf, len, "?[handle %llu]", (unsigned long long)s->handle);
	else if (nft)
		snprintf(buf, len, "%s[handle %llu]%s%s", chain, (unsigned long long)s->handle,
			 with ? ": " : "", text);
	else
		snprintf(buf, len, "%s#%d%s%s", chain, s->number, with ? ": " : "", text);
}

void render_text_rule(const struct attribution *a, char *rule, size_t rule_len, char *matched,
		      size_t matched_len)
{
	size_t used, mused = 0;
	char step[4400];

	rule[0] = '\0';
	if (matched)
		matched[0] = '\0';
	if (a->status == ATTRIBUTION_NOT_TRACKED)
		return;
	for (int i = 0; matched && i < a->nr_matched && mused < matched_len; i++) {
		render_text_step(a->nft, &a->matched[i], true, step, sizeof(step));
		mused += snprintf(matched + mused, matched_len - mused, "    matched %s\n", step);
	}
	if (a->status == ATTRIBUTION_UNKNOWN) { /* a reason may name a table or chain */
		snprintf(rule, rule_len, " rule=?(%s)",
			 printable(a->reason, sizeof(a->reason), step, sizeof(step)));
		return;
	}
	used = snprintf(rule, rule_len, " rule=");
	for (int i = 0; i < a->nr_path && used < rule_len; i++) {
		render_text_step(a->nft, &a->path[i], false, step, sizeof(step));
		used += snprintf(rule + used, rule_len - used, "%s > ", step);
	}
	render_text_step(a->nft, &a->decider, true, step, sizeof(step));
	if (used < rule_len)
		snprintf(rule + used, rule_len - used, "%s", step);
}

void render_text_extras(const struct trace_record *r, const struct text_options *o, char *buf,
			size_t len)
{
	const struct event *e = r->ev;
	size_t used = 0;

	buf[0] = '\0';
	if (o->show_id && used < len)
		used += snprintf(buf + used, len - used, " id=%llu",
				 (unsigned long long)e->packet_id);
	if (o->show_id && e->cause_id && used < len)
		used += snprintf(buf + used, len - used, " caused_by=%llu",
				 (unsigned long long)e->cause_id);
	if (o->show_ct && r->ct_state && used < len) {
		used += snprintf(buf + used, len - used, " ct=%s%s", r->ct_state,
				 r->ct_reply ? "(reply)" : "");
		if (r->ct_state_after && strcmp(r->ct_state_after, r->ct_state) && used < len)
			used += snprintf(buf + used, len - used, "->%s", r->ct_state_after);
		if (used < len)
			used += snprintf(buf + used, len - used, " mark=0x%x", e->mark);
		if ((e->flags & EVENT_HAS_AFTER) && e->mark_after != e->mark && used < len)
			used += snprintf(buf + used, len - used, "->0x%x", e->mark_after);
	}
	if (r->nat.kind && used < len)
		snprintf(buf + used, len - used, " nat=[%s %s -> %s]", r->nat.kind, r->nat.from,
			 r->nat.to);
}

/* --stack: one frame per line under the event. */
static int render_text_stack(FILE *out, const struct stack_record *s)
{
	for (int i = 0; s && i < s->count; i++) {
		if (fprintf(out, "    %s\n", s->frames[i]) < 0)
			return -1;
	}
	return 0;
}

int render_text(FILE *out, const struct trace_record *r, const struct time_format *tf,
		const struct text_options *o)
{
	static char line[1664], extras[256], rule[8192], matched[16384]; /* one printer thread */
	char name[NETNS_NAME_LEN + 16];
	int written;

	if (r->netns_label)
		netns_label_text(r->netns_label, name, sizeof(name));
	format_event_named(r->ev, tf, r->netns_label ? name : NULL, line, sizeof(line));
	render_text_extras(r, o, extras, sizeof(extras));
	render_text_rule(&r->rule, rule, sizeof(rule), o->verbose ? matched : NULL,
			 sizeof(matched));
	written = fprintf(out, "%s%s%s\n%s", line, extras, rule, o->verbose ? matched : "");
	if (written < 0 || render_text_stack(out, r->stack) < 0)
		return -1;
	return written;
}

/* "filter INPUT" (legacy), "nftables inet filter input": the call a drop belongs to. */
static void render_text_call(const struct drop_record *r, char *buf, size_t len)
{
	const struct drop_tie_info *t = &r->ev->tie;
	char table[PRINTABLE_NAME_LEN], chain[PRINTABLE_NAME_LEN];

	printable(t->table, DROP_NAME_LEN, table, sizeof(table));
	printable(t->chain, DROP_NAME_LEN, chain, sizeof(chain));
	if (t->engine == ENGINE_NFTABLES) /* a name cut short ends in "..." */
		snprintf(buf, len, "nftables %s %s%s %s%s", r->tie_family, table,
			 t->cut & DROP_CUT_TABLE ? "..." : "", chain,
			 t->cut & DROP_CUT_CHAIN ? "..." : "");
	else
		snprintf(buf, len, "%s %s", table, r->tie_hook);
}

void render_text_drop_info(const struct drop_record *r, char *buf, size_t len)
{
	const struct drop_event *d = r->ev;
	char reason[96] = "", call[2 * PRINTABLE_NAME_LEN + 32];
	size_t used;

	if (r->reason)
		snprintf(reason, sizeof(reason), " reason=%s", r->reason);
	else if (d->has_reason)
		snprintf(reason, sizeof(reason), " reason=%u", d->reason);
	used = snprintf(buf, len, "pkt_type=%s dropped%s at %s", r->pkt_type, reason, r->location);
	if (used >= len || d->tie.tie == DROP_TIE_NONE)
		return;
	render_text_call(r, call, sizeof(call));
	if (d->tie.tie == DROP_TIE_AFTER)
		snprintf(buf + used, len - used, " after %s %s", call, r->tie_verdict);
	else
		snprintf(buf + used, len - used, " in %s", call);
}

int render_text_drop(FILE *out, const struct drop_record *r, const struct time_format *tf,
		     const struct text_options *o)
{
	static char line[2048], info[1024]; /* one printer thread */
	char name[NETNS_NAME_LEN + 16];
	size_t used;

	render_text_drop_info(r, info, sizeof(info));
	used = strlen(info);
	if (o->show_id && r->ev->packet_id && used < sizeof(info))
		snprintf(info + used, sizeof(info) - used, " id=%llu",
			 (unsigned long long)r->ev->packet_id);
	if (r->netns_label)
		netns_label_text(r->netns_label, name, sizeof(name));
	format_columns(&r->packet, tf, r->netns_label ? name : NULL, info, line, sizeof(line));
	if (fprintf(out, "%s\n", line) < 0)
		return -1;
	return render_text_stack(out, r->stack);
}
