// SPDX-License-Identifier: Apache-2.0
/* Finding xt_recseq without kallsyms: sysfs section addresses and per-CPU variables in BTF. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/btf.h>
#include "test.h"
#include "xt_recseq.h"

/* A BTF with xt_recseq at offset 8 of .data..percpu, and a same-named variable in .data. */
static struct btf *percpu_btf(void)
{
	struct btf *btf = btf__new_empty();
	int uint, first, recseq, decoy, sec;

	ASSERT_TRUE(btf != NULL, "empty BTF");
	uint = btf__add_int(btf, "unsigned int", 4, 0);
	first = btf__add_var(btf, "other_counter", BTF_VAR_GLOBAL_ALLOCATED, uint);
	recseq = btf__add_var(btf, "xt_recseq", BTF_VAR_GLOBAL_ALLOCATED, uint);
	sec = btf__add_datasec(btf, ".data..percpu", 12);
	ASSERT_TRUE(uint > 0 && first > 0 && recseq > 0 && sec > 0, "types added");
	ASSERT_EQ(btf__add_datasec_var_info(btf, first, 0, 4), 0, "first variable");
	ASSERT_EQ(btf__add_datasec_var_info(btf, recseq, 8, 4), 0, "xt_recseq");
	decoy = btf__add_var(btf, "in_data", BTF_VAR_GLOBAL_ALLOCATED, uint);
	sec = btf__add_datasec(btf, ".data", 4);
	ASSERT_TRUE(decoy > 0 && sec > 0, "the .data section");
	ASSERT_EQ(btf__add_datasec_var_info(btf, decoy, 0, 4), 0, "a variable outside per-CPU");
	return btf;
}

TEST(percpu_var_offset_in_datasec)
{
	struct btf *btf = percpu_btf();
	__u32 offset = 99;

	ASSERT_EQ(percpu_var_offset(btf, "xt_recseq", &offset), 0, "xt_recseq found");
	ASSERT_EQ(offset, 8, "its offset in .data..percpu");
	ASSERT_EQ(percpu_var_offset(btf, "other_counter", &offset), 0, "first variable");
	ASSERT_EQ(offset, 0, "offset 0");
	ASSERT_EQ(percpu_var_offset(btf, "in_data", &offset), -ENOENT, "only per-CPU variables");
	ASSERT_EQ(percpu_var_offset(btf, "xt_recseq_x", &offset), -ENOENT, "exact name");
	btf__free(btf);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ASSERT_TRUE(f != NULL, path);
	fputs(text, f);
	fclose(f);
}

TEST(section_address_parses_sysfs)
{
	char dir[] = "/tmp/section-XXXXXX", path[64];

	ASSERT_TRUE(mkdtemp(dir) != NULL, "temporary directory");
	snprintf(path, sizeof(path), "%s/s", dir);
	write_file(path, "0xffff80000a1b2c00\n");
	ASSERT_EQ(section_address(path), 0xffff80000a1b2c00ull, "an address");
	write_file(path, "0x0000000000000000\n");
	ASSERT_EQ(section_address(path), 0, "hidden (kptr_restrict)");
	write_file(path, "");
	ASSERT_EQ(section_address(path), 0, "empty");
	unlink(path);
	ASSERT_EQ(section_address(path), 0, "missing");
	rmdir(dir);
}

TEST(xt_recseq_locate_says_why)
{
	char dir[] = "/tmp/sysfs-XXXXXX", path[160], why[300] = "";
	struct xt_recseq_place place = { 1, 1 };

	ASSERT_TRUE(mkdtemp(dir) != NULL, "temporary directory");
	ASSERT_EQ(xt_recseq_locate(dir, &place, why, sizeof(why)), -ENOENT, "no x_tables");
	ASSERT_TRUE(strstr(why, "/module/x_tables/sections/.gnu.linkonce.this_module is not "
				"readable") != NULL,
		    why);
	ASSERT_EQ(place.module, 0, "no module");
	snprintf(path, sizeof(path), "%s/module", dir);
	mkdir(path, 0700);
	strcat(path, "/x_tables");
	mkdir(path, 0700);
	strcat(path, "/sections");
	mkdir(path, 0700);
	strcat(path, "/.gnu.linkonce.this_module");
	write_file(path, "0xffff80000a1b2c00\n");
	ASSERT_EQ(xt_recseq_locate(dir, &place, why, sizeof(why)), -ENOENT, "no module BTF");
	ASSERT_TRUE(strstr(why, "x_tables has no BTF") != NULL, why);
	ASSERT_EQ(place.module, 0, "nothing half found");
	unlink(path);
	for (int i = 0; i < 3; i++) {
		*strrchr(path, '/') = '\0';
		rmdir(path);
	}
	rmdir(dir);
}
