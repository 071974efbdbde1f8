// SPDX-License-Identifier: Apache-2.0
/* BTF probing on arbitrary bytes: parse, validate, classify every hooked function. */
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "fuzz.h"
#include "btf_probe.h"

static int quiet(enum libbpf_print_level level, const char *fmt, va_list args)
{
	(void)level;
	(void)fmt;
	(void)args;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "ipt_do_table",	  "ip6t_do_table",
					     "arpt_do_table",	  "ebt_do_table",
					     "nft_do_chain",	  "xt_replace_table",
					     "__nft_trace_packet" };
	enum prototype prototype;
	struct btf *btf;
	char err[256];

	libbpf_set_print(quiet);
	btf = btf__new(data, size);
	if (!btf)
		return 0;
	/* Classification must be safe on BTF that validation would refuse, too. */
	btf_validate(btf, err, sizeof(err));
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		btf_function_prototype(btf, names[i], &prototype);
	btf__free(btf);
	return 0;
}
