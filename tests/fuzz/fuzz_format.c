// SPDX-License-Identifier: Apache-2.0
/*
 * An event as the BPF side sends it, any bytes: decoded from its size on the wire
 * (event_decode) and copied as it is; the text line, the JSON object, the summary.
 */
#include "fuzz.h"
#include "format.h"
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
	return 0;
}
