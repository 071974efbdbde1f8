// SPDX-License-Identifier: Apache-2.0
/* Which iptables the system has: the resolved path's name, and PATH as the user sets it. */
#include "fuzz.h"
#include "system_iptables.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);

	if (!text)
		return 0;
	describe_iptables_variant(iptables_variant_of(text));
	if (size < 512 && !setenv("PATH", text, 1))
		describe_iptables_variant(system_iptables_variant());
	free(text);
	return 0;
}
