// SPDX-License-Identifier: Apache-2.0
/* The command line: the input split on NUL into arguments. Errors must be one safe line. */
#include <stdio.h>
#include "fuzz.h"
#include "options.h"

#define MAX_ARGS 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS + 2] = { "skbtracer-iptables" };
	char *text = fuzz_string(data, size), err[512] = "";
	int argc = 1;
	struct config cfg;
	FILE *out;

	if (!text)
		return 0;
	for (size_t start = 0; start <= size && argc <= MAX_ARGS;) {
		argv[argc++] = text + start;
		start += strlen(text + start) + 1;
	}
	out = fopen("/dev/null", "w");
	if (out && parse_options(argc, argv, &cfg, out, err, sizeof(err)) == PARSE_ERROR) {
		for (const char *c = err; *c; c++) {
			if (*c < 0x20 || *c == 0x7f)
				abort(); /* a raw control character reached the message */
		}
	}
	if (out)
		fclose(out);
	free(text);
	return 0;
}
