// SPDX-License-Identifier: Apache-2.0
/* --summary: counts per table call and per deciding rule, rendered as text or JSON. */
#include <stdlib.h>
#include <string.h>
#include "printable.h"
#include "render_json.h"
#include "render_text.h"
#include "summary.h"

void summary_init(struct summary *s)
{
	memset(s, 0, sizeof(*s));
}

void summary_free(struct summary *s)
{
	for (int i = 0; i < s->nr_rules; i++) {
		free((char *)s->rules[i].rule.chain);
		free((char *)s->rules[i].rule.text);
	}
	free(s->tables);
	free(s->rules);
	memset(s, 0, sizeof(*s));
}

/* Grows *array (of size elements) to hold one more; false when out of memory. */
static bool make_room(void **array, int used, int *cap, size_t size)
{
	int new_cap = *cap ? *cap * 2 : 16;
	void *grown;

	if (used < *cap)
		return true;
	grown = realloc(*array, new_cap * size);
	if (!grown)
		return false;
	*array = grown;
	*cap = new_cap;
	return true;
}

static void copy_name(char *dst, size_t len, const char *src, size_t max)
{
	snprintf(dst, len, "%.*s", (int)max, src ? src : "");
}

static int add_table(struct summary *s, const struct trace_record *r)
{
	const struct event *e = r->ev;
	struct summary_table_row key = { .count = 1 };

	copy_name(key.engine, sizeof(key.engine), r->engine, 15);
	copy_name(key.family, sizeof(key.family), r->family, 15);
	copy_name(key.table, sizeof(key.table), e->table, NAME_LEN);
	if (e->engine == ENGINE_NFTABLES)
		copy_name(key.chain, sizeof(key.chain), e->chain, NAME_LEN);
	copy_name(key.hook, sizeof(key.hook), r->hook, 15);
	copy_name(key.verdict, sizeof(key.verdict), r->verdict_code, 15);
	for (int i = 0; i < s->nr_tables; i++) {
		struct summary_table_row *t = &s->tables[i];

		if (!strcmp(t->engine, key.engine) && !strcmp(t->family, key.family) &&
		    !strcmp(t->table, key.table) && !strcmp(t->chain, key.chain) &&
		    !strcmp(t->hook, key.hook) && !strcmp(t->verdict, key.verdict)) {
			t->count++;
			return 0;
		}
	}
	if (!make_room((void **)&s->tables, s->nr_tables, &s->cap_tables, sizeof(key)))
		return -1;
	s->tables[s->nr_tables++] = key;
	return 0;
}

static bool same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool same_rule(const struct summary_rule_row *row, const struct trace_record *r)
{
	const struct rule_step *a = &row->rule, *b = &r->rule.decider;

	return row->nft == r->rule.nft && !strcmp(row->engine, r->engine) &&
	       !strcmp(row->family, r->family) && !strncmp(row->table, r->ev->table, NAME_LEN) &&
	       !strcmp(row->verdict, r->verdict_code) && a->kind == b->kind &&
	       a->number == b->number && a->handle == b->handle && same_text(a->chain, b->chain) &&
	       same_text(a->text, b->text);
}

static int add_rule(struct summary *s, const struct trace_record *r)
{
	const struct rule_step *d = &r->rule.decider;
	struct summary_rule_row *row;

	for (int i = 0; i < s->nr_rules; i++) {
		if (same_rule(&s->rules[i], r)) {
			s->rules[i].count++;
			return 0;
		}
	}
	if (!make_room((void **)&s->rules, s->nr_rules, &s->cap_rules, sizeof(*row)))
		return -1;
	row = &s->rules[s->nr_rules];
	memset(row, 0, sizeof(*row));
	row->rule = *d;
	row->rule.chain = d->chain ? strndup(d->chain, NAME_LEN) : NULL;
	row->rule.text = d->text ? strdup(d->text) : NULL;
	if ((d->chain && !row->rule.chain) || (d->text && !row->rule.text)) {
		free((char *)row->rule.chain);
		free((char *)row->rule.text);
		return -1;
	}
	copy_name(row->engine, sizeof(row->engine), r->engine, 15);
	copy_name(row->family, sizeof(row->family), r->family, 15);
	copy_name(row->table, sizeof(row->table), r->ev->table, NAME_LEN);
	copy_name(row->verdict, sizeof(row->verdict), r->verdict_code, 15);
	row->nft = r->rule.nft;
	row->count = 1;
	s->nr_rules++;
	return 0;
}

int summary_add(struct summary *s, const struct trace_record *r)
{
	int ret;

	if (!s->events || r->mono_ns < s->first_ns)
		s->first_ns = r->mono_ns;
	if (r->mono_ns > s->last_ns)
		s->last_ns = r->mono_ns;
	s->events++;
	ret = add_table(s, r);
	if (r->rule.status == ATTRIBUTION_UNKNOWN)
		s->rule_unknown++;
	if (r->rule.status == ATTRIBUTION_OK && add_rule(s, r))
		ret = -1;
	return ret;
}

static int by_count(__u64 a, __u64 b)
{
	return a < b ? 1 : a > b ? -1 : 0;
}

static int compare_tables(const void *a, const void *b)
{
	const struct summary_table_row *x = a, *y = b;

	return by_count(x->count, y->count);
}

static int compare_rules(const void *a, const void *b)
{
	const struct summary_rule_row *x = a, *y = b;
	bool x_drop = !strcmp(x->verdict, "DROP"), y_drop = !strcmp(y->verdict, "DROP");

	if (x_drop != y_drop)
		return x_drop ? -1 : 1;
	return by_count(x->count, y->count);
}

void summary_sort(struct summary *s)
{
	if (s->nr_tables)
		qsort(s->tables, s->nr_tables, sizeof(s->tables[0]), compare_tables);
	if (s->nr_rules)
		qsort(s->rules, s->nr_rules, sizeof(s->rules[0]), compare_rules);
}

static double rate(__u64 count, double elapsed_sec)
{
	return count / (elapsed_sec > 0.001 ? elapsed_sec : 0.001);
}

void summary_render_text(FILE *out, const struct summary *s, double elapsed_sec,
			 const struct lost_counts *lost, bool terminal)
{
	char a[PRINTABLE_NAME_LEN], b[PRINTABLE_NAME_LEN], step[4400];

	if (terminal)
		fputs("\033[H\033[2J", out);
	fprintf(out, "%llu events in %.1f s, %llu lost, %llu without a named rule\n",
		(unsigned long long)s->events, elapsed_sec, (unsigned long long)lost_total(lost),
		(unsigned long long)s->rule_unknown);
	fprintf(out, "%10s %9s  %-9s %-6s %-16s %-16s %-11s %s\n", "COUNT", "RATE/s", "ENGINE",
		"FAMILY", "TABLE", "CHAIN", "HOOK", "VERDICT");
	for (int i = 0; i < s->nr_tables; i++) {
		const struct summary_table_row *t = &s->tables[i];

		fprintf(out, "%10llu %9.1f  %-9s %-6s %-16s %-16s %-11s %s\n",
			(unsigned long long)t->count, rate(t->count, elapsed_sec), t->engine,
			t->family, printable(t->table, NAME_LEN, a, sizeof(a)),
			t->chain[0] ? printable(t->chain, NAME_LEN, b, sizeof(b)) : "-", t->hook,
			t->verdict);
	}
	if (s->nr_rules) {
		fprintf(out, "%10s %9s  %-9s %-16s %-8s %s\n", "COUNT", "RATE/s", "ENGINE", "TABLE",
			"VERDICT", "DECIDING RULE");
		for (int i = 0; i < s->nr_rules; i++) {
			const struct summary_rule_row *r = &s->rules[i];

			render_text_step(r->nft, &r->rule, true, step, sizeof(step));
			fprintf(out, "%10llu %9.1f  %-9s %-16s %-8s %s\n",
				(unsigned long long)r->count, rate(r->count, elapsed_sec),
				r->engine, printable(r->table, NAME_LEN, a, sizeof(a)), r->verdict,
				step); /* render_text_step makes it printable */
		}
	}
	if (!terminal)
		fputc('\n', out);
}

int summary_render_json(FILE *out, const struct summary *s, double elapsed_sec,
			const struct lost_counts *lost)
{
	struct json_writer w;

	render_json_begin(&w, out, "summary");
	jw_uint_field(&w, "events", s->events);
	jw_double_field(&w, "elapsed_sec", elapsed_sec);
	jw_uint_field(&w, "rule_unknown", s->rule_unknown);
	jw_name(&w, "lost");
	jw_object_begin(&w);
	lost_write_json(&w, lost);
	jw_object_end(&w);
	jw_name(&w, "tables");
	jw_array_begin(&w);
	for (int i = 0; i < s->nr_tables; i++) {
		const struct summary_table_row *t = &s->tables[i];

		jw_object_begin(&w);
		jw_string_field(&w, "engine", t->engine);
		jw_string_field(&w, "family", t->family);
		jw_string_field(&w, "table", t->table);
		jw_string_field(&w, "chain", t->chain[0] ? t->chain : NULL);
		jw_string_field(&w, "hook", t->hook);
		jw_string_field(&w, "verdict", t->verdict);
		jw_uint_field(&w, "count", t->count);
		jw_double_field(&w, "rate", rate(t->count, elapsed_sec));
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_name(&w, "rules");
	jw_array_begin(&w);
	for (int i = 0; i < s->nr_rules; i++) {
		const struct summary_rule_row *r = &s->rules[i];
		struct attribution a = { .status = ATTRIBUTION_OK,
					 .nft = r->nft,
					 .decider = r->rule };

		jw_object_begin(&w);
		jw_string_field(&w, "engine", r->engine);
		jw_string_field(&w, "family", r->family);
		jw_string_field(&w, "table", r->table);
		jw_string_field(&w, "verdict", r->verdict);
		jw_uint_field(&w, "count", r->count);
		jw_double_field(&w, "rate", rate(r->count, elapsed_sec));
		jw_name(&w, "rule");
		render_json_rule(&w, &a);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_object_end(&w);
	return jw_end_line(&w);
}
