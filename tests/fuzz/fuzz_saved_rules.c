// SPDX-License-Identifier: Apache-2.0
/* iptables-save and arptables -L text (from any namespace): parse, then look rules up. */
#include "fuzz.h"
#include "xt_fetch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const chains[] = { "INPUT", "FORWARD", "OUTPUT", "MYCHAIN", "" };
	enum xt_family family;
	struct saved_rules rules;
	char *text;

	if (size < 1)
		return 0;
	family = data[0] % 2 ? XT_ARP : XT_IPV4;
	text = fuzz_string(data + 1, size - 1);
	if (!text)
		return 0;
	if (!parse_saved_rules(family, text, &rules)) {
		for (size_t i = 0; i < sizeof(chains) / sizeof(chains[0]); i++) {
			saved_policy(&rules, chains[i]);
			for (int n = 0; n <= 3; n++)
				saved_rule(&rules, chains[i], n);
		}
	}
	saved_rules_free(&rules);
	free(text);
	return 0;
}
