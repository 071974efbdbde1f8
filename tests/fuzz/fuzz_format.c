// SPDX-License-Identifier: Apache-2.0
/*
 * An event as the BPF side sends it, any bytes: decoded from its size on the wire
 * (event_decode) and copied as it is; the text line, the JSON object, the summary.
 */
#include "fuzz.h"
#include "format.h"
#include "json_writer.h"
#include "render_json.h"
#include "render_text.h"
#include "summary.h"

struct header {
	uint8_t relative;
	uint8_t pad[7];
	uint64_t first_ns;
	int64_t realtime_off_ns;
};

static void render_and_count(const struct event *e, const struct time_format *tf)
{
	static FILE *null_out;
	static struct trace_record r;
	struct text_options all = { .verbose = true, .show_id = true, .show_ct = true };
	struct lost_counts lost = {};
	struct summary s;

	if (!null_out)
		null_out = fopen("/dev/null", "w");
	record_build(&r, e, tf->realtime_off_ns);
	render_json(null_out, &r);
	render_text(null_out, &r, tf, &all);
	summary_init(&s);
	summary_add(&s, &r);
	summary_add(&s, &r);
	summary_sort(&s);
	summary_render_text(null_out, &s, 1.0, &lost, false);
	summary_render_json(null_out, &s, 1.0, &lost);
	summary_free(&s);
}

/* A control byte (but the line ends in -v's matched lines) that would reach a terminal. */
static void assert_printable(const char *text, bool lines)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if ((*p < 0x20 && !(lines && *p == '\n')) || *p == 0x7f)
			abort();
	}
}

/* A rule named with any bytes as its chain and text (another namespace's ruleset), text and JSON. */
static void render_rule(const uint8_t *data, size_t size, bool nft)
{
	static FILE *null_out;
	static struct attribution a;
	char *text = fuzz_string(data, size), rule[8192], matched[16384];
	struct json_writer w;

	if (!null_out)
		null_out = fopen("/dev/null", "w");
	if (!text)
		return;
	memset(&a, 0, sizeof(a));
	a.status = size & 1 ? ATTRIBUTION_OK : ATTRIBUTION_UNKNOWN;
	a.nft = nft;
	snprintf(a.reason, sizeof(a.reason), "%s", text);
	snprintf(a.base_chain, sizeof(a.base_chain), "%s", text);
	a.decider =
		(struct rule_step){ .kind = size % 3, .chain = text, .number = 3, .text = text };
	a.path[0] = (struct rule_step){ .kind = RULE_STEP_RULE, .chain = text, .number = 1 };
	a.nr_path = 1;
	a.matched[0] = a.decider;
	a.nr_matched = 1;
	render_text_rule(&a, rule, sizeof(rule), matched, sizeof(matched));
	assert_printable(rule, false);
	assert_printable(matched, true);
	jw_init(&w, null_out);
	jw_object_begin(&w);
	render_json_rule(&w, &a);
	jw_object_end(&w);
	jw_end_line(&w);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t wire_size = size > sizeof(struct header) ? size - sizeof(struct header) : 0;
	const uint8_t *wire = data + sizeof(struct header);
	struct time_format tf = {};
	struct event e = {}, decoded;
	struct header h = {};
	char line[1280], small[40];

	memcpy(&h, data, size < sizeof(h) ? size : sizeof(h));
	memcpy(&e, wire, wire_size < sizeof(e) ? wire_size : sizeof(e));
	tf.relative = h.relative & 1;
	tf.first_ns = h.first_ns;
	tf.realtime_off_ns = h.realtime_off_ns;
	format_event(&e, &tf, line, sizeof(line));
	format_event(&e, &tf, small, sizeof(small)); /* truncation */
	render_and_count(&e, &tf);
	if (event_decode(wire, wire_size, &decoded))
		render_and_count(&decoded, &tf);
	render_rule(wire, wire_size, h.relative & 2);
	return 0;
}
