// SPDX-License-Identifier: Apache-2.0
/*
 * x_tables blob decoding and path replay. Input: struct header, then the entries blob.
 * Hooks are taken as offsets; when the table refuses them, as entry indexes (to reach
 * xt_explain more often). Hits are entry indexes; verdict and per-hit packet counts (1 or 2)
 * come from the header's last bytes.
 */
#include "fuzz.h"
#include "xt_blob.h"

struct header {
	uint8_t family; /* enum xt_family, modulo 3 */
	uint8_t valid_hooks;
	uint8_t nr_hooks;
	uint8_t hook; /* the hook xt_explain replays */
	uint16_t hook_entry[XT_MAX_HOOKS];
	uint16_t underflow[XT_MAX_HOOKS];
	uint8_t nr_hits;
	uint8_t hits[16];
	uint8_t verdict; /* the call's return value */
	uint16_t twice;	 /* bit i: hit i counted 2 packets */
	uint8_t pad[4];
};

static void explain(const struct xt_table_model *m, const struct header *h)
{
	struct xt_hit hits[sizeof(h->hits)];
	unsigned int nr_hits = h->nr_hits % (sizeof(h->hits) + 1);
	struct xt_path path;
	char err[128], where[64];

	for (unsigned int i = 0; i < nr_hits; i++)
		hits[i] = (struct xt_hit){ m->entries[h->hits[i] % m->nr_entries].offset,
					   1 + ((h->twice >> i) & 1) };
	if (xt_explain(m, h->hook, hits, nr_hits, h->verdict, &path, err, sizeof(err)))
		return;
	for (int i = 0; i < path.nr_steps; i++)
		xt_format_entry(m, path.steps[i], where, sizeof(where));
	for (int i = 0; i < path.nr_calls; i++)
		xt_format_entry(m, path.calls[i], where, sizeof(where));
	xt_format_entry(m, path.decider, where, sizeof(where));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xt_table_model model;
	struct header h;
	struct xt_blob blob = {};
	unsigned char *entries;
	char err[160];

	if (size < sizeof(h))
		return 0;
	memcpy(&h, data, sizeof(h));
	blob.size = size - sizeof(h);
	entries = malloc(blob.size ? blob.size : 1); /* malloc'd: aligned like the kernel's copy */
	if (!entries)
		return 0;
	memcpy(entries, data + sizeof(h), blob.size);
	blob.entries = entries;
	blob.family = h.family % 3;
	blob.valid_hooks = h.valid_hooks;
	blob.nr_hooks = h.nr_hooks;
	for (int i = 0; i < XT_MAX_HOOKS; i++) {
		blob.hook_entry[i] = h.hook_entry[i];
		blob.underflow[i] = h.underflow[i];
	}
	if (!xt_decode(&blob, &model, err, sizeof(err))) {
		explain(&model, &h);
		xt_model_free(&model);
	} else {
		blob.valid_hooks = blob.nr_hooks = 0;
		if (!xt_decode(&blob, &model, err, sizeof(err))) {
			unsigned int n = model.nr_entries;

			blob.valid_hooks = h.valid_hooks & 0x1f;
			blob.nr_hooks = XT_MAX_HOOKS;
			for (int i = 0; i < XT_MAX_HOOKS; i++) {
				blob.hook_entry[i] = model.entries[h.hook_entry[i] % n].offset;
				blob.underflow[i] = model.entries[h.underflow[i] % n].offset;
			}
			xt_model_free(&model);
			if (!xt_decode(&blob, &model, err, sizeof(err))) {
				explain(&model, &h);
				xt_model_free(&model);
			}
		}
	}
	free(entries);
	return 0;
}
