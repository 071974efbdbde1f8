// SPDX-License-Identifier: Apache-2.0
/* Finds x_tables' xt_recseq through sysfs and the module's BTF. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include "xt_recseq.h"

__u64 section_address(const char *path)
{
	unsigned long long address = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	if (fscanf(f, "%llx", &address) != 1)
		address = 0;
	fclose(f);
	return address;
}

int percpu_var_offset(const struct btf *btf, const char *name, __u32 *offset)
{
	__u32 types = btf__type_cnt(btf);

	for (__u32 id = 1; id < types; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_var_secinfo *var;

		if (!btf_is_datasec(t) ||
		    strcmp(btf__name_by_offset(btf, t->name_off), ".data..percpu"))
			continue;
		var = btf_var_secinfos(t);
		for (__u16 i = 0; i < btf_vlen(t); i++, var++) {
			const struct btf_type *v = btf__type_by_id(btf, var->type);

			if (v && !strcmp(btf__name_by_offset(btf, v->name_off), name)) {
				*offset = var->offset;
				return 0;
			}
		}
	}
	return -ENOENT;
}

int xt_recseq_locate(const char *sysfs, struct xt_recseq_place *place, char *why, size_t why_len)
{
	struct btf *vmlinux = NULL, *module = NULL;
	char path[256];
	int ret = -ENOENT;

	place->module = 0;
	place->offset = 0;
	snprintf(path, sizeof(path), "%s/module/x_tables/sections/.gnu.linkonce.this_module",
		 sysfs);
	place->module = section_address(path);
	if (!place->module) {
		snprintf(why, why_len, "%s is not readable or hidden (x_tables built in?)", path);
		return -ENOENT;
	}
	snprintf(path, sizeof(path), "%s/kernel/btf/x_tables", sysfs);
	vmlinux = btf__load_vmlinux_btf();
	if (vmlinux)
		module = btf__parse_split(path, vmlinux);
	if (!vmlinux || !module)
		snprintf(why, why_len, "x_tables has no BTF (%s)", path);
	else if (percpu_var_offset(module, "xt_recseq", &place->offset))
		snprintf(why, why_len, "x_tables' BTF has no per-CPU variable xt_recseq");
	else
		ret = 0;
	btf__free(module);
	btf__free(vmlinux);
	if (ret)
		place->module = 0;
	return ret;
}
