// SPDX-License-Identifier: Apache-2.0
/* An event as the BPF side sends it, any bytes: format it into the line the user reads. */
#include "fuzz.h"
#include "format.h"

struct header {
	uint8_t relative;
	uint8_t pad[7];
	uint64_t first_ns;
	int64_t realtime_off_ns;
};

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
	return 0;
}
