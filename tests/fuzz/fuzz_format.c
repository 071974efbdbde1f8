// SPDX-License-Identifier: Apache-2.0
/* An event as the BPF side sends it, any bytes: the text line, the JSON object, the summary. */
#include "fuzz.h"
#include "format.h"
#include "render_json.h"
#include "summary.h"

struct header {
	uint8_t relative;
	uint8_t pad[7];
	uint64_t first_ns;
	int64_t realtime_off_ns;
};

static void render_and_count(const struct event *e, int64_t realtime_off_ns)
{
	static FILE *null_out;
	static struct trace_record r;
	struct lost_counts lost = {};
	struct summary s;

	if (!null_out)
		null_out = fopen("/dev/null", "w");
	record_build(&r, e, realtime_off_ns);
	render_json(null_out, &r);
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
	struct time_format tf = {};
	struct event e = {};
	struct header h = {};
	char line[1280], small[40];

	memcpy(&h, data, size < sizeof(h) ? size : sizeof(h));
	if (size > sizeof(h)) {
		size -= sizeof(h);
		memcpy(&e, data + sizeof(h), size < sizeof(e) ? size : sizeof(e));
	}
	tf.relative = h.relative & 1;
	tf.first_ns = h.first_ns;
	tf.realtime_off_ns = h.realtime_off_ns;
	format_event(&e, &tf, line, sizeof(line));
	format_event(&e, &tf, small, sizeof(small)); /* truncation */
	render_and_count(&e, h.realtime_off_ns);
	return 0;
}
