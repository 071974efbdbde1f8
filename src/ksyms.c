// SPDX-License-Identifier: Apache-2.0
/* Names kernel code addresses from a /proc/kallsyms file. */
#include <errno.h>
#include <sys/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ksyms.h"

/* An offset beyond this is past the last symbol's code, not inside it. */
#define MAX_FUNCTION_SIZE (1 << 20)

struct ksym {
	__u64 addr;
	const char *name;   /* in names */
	const char *module; /* in names, NULL for vmlinux */
};

struct ksyms {
	struct ksym *syms;
	size_t count;
	char *names; /* every name and module, NUL-terminated, one after another */
	size_t names_len, names_cap;
	bool hidden;
};

static bool is_text(char type)
{
	return type == 't' || type == 'T' || type == 'w' || type == 'W';
}

/*
 * Offsets into names while loading (the buffer moves), pointers once done; a module's offset
 * is never 0 (its symbol's name comes first), so NULL still means vmlinux.
 */
static ssize_t store(struct ksyms *ks, const char *text)
{
	size_t len = strlen(text) + 1, at = ks->names_len;

	if (ks->names_len + len > ks->names_cap) {
		size_t cap = ks->names_cap ? 2 * ks->names_cap : 1 << 20;
		char *names;

		while (cap < ks->names_len + len)
			cap *= 2;
		names = realloc(ks->names, cap);
		if (!names)
			return -1;
		ks->names = names;
		ks->names_cap = cap;
	}
	memcpy(ks->names + at, text, len);
	ks->names_len += len;
	return at;
}

static int by_address(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int add_line(struct ksyms *ks, const char *line, size_t *cap)
{
	char type, name[256], module[64] = "";
	unsigned long long addr;
	ssize_t name_at, module_at = -1;
	int fields = sscanf(line, "%llx %c %255s [%63[^]]]", &addr, &type, name, module);

	if (fields < 3 || !is_text(type))
		return 0;
	if (!addr)
		return 0;
	if (ks->count == *cap) {
		size_t n = *cap ? 2 * *cap : 4096;
		struct ksym *syms = realloc(ks->syms, n * sizeof(*syms));

		if (!syms)
			return -ENOMEM;
		ks->syms = syms;
		*cap = n;
	}
	name_at = store(ks, name);
	if (fields == 4)
		module_at = store(ks, module);
	if (name_at < 0 || (fields == 4 && module_at < 0))
		return -ENOMEM;
	ks->syms[ks->count].addr = addr;
	ks->syms[ks->count].name = (const char *)(size_t)name_at;
	ks->syms[ks->count].module = module_at < 0 ? NULL : (const char *)(size_t)module_at;
	ks->count++;
	return 0;
}

struct ksyms *ksyms_load(const char *path, char *err, size_t err_len)
{
	struct ksyms *ks = calloc(1, sizeof(*ks));
	size_t cap = 0, lines = 0;
	char line[512];
	FILE *f;
	int ret = 0;

	if (!ks) {
		snprintf(err, err_len, "out of memory");
		return NULL;
	}
	f = fopen(path, "re");
	if (!f) {
		snprintf(err, err_len, "cannot read %s: %s", path, strerror(errno));
		free(ks);
		return NULL;
	}
	while (!ret && fgets(line, sizeof(line), f)) {
		lines++;
		ret = add_line(ks, line, &cap);
	}
	fclose(f);
	if (ret) {
		snprintf(err, err_len, "out of memory reading %s", path);
		ksyms_free(ks);
		return NULL;
	}
	ks->hidden = lines && !ks->count;
	for (size_t i = 0; i < ks->count; i++) {
		ks->syms[i].name = ks->names + (size_t)ks->syms[i].name;
		if (ks->syms[i].module)
			ks->syms[i].module = ks->names + (size_t)ks->syms[i].module;
	}
	if (ks->count)
		qsort(ks->syms, ks->count, sizeof(*ks->syms), by_address);
	return ks;
}

void ksyms_free(struct ksyms *ks)
{
	if (!ks)
		return;
	free(ks->syms);
	free(ks->names);
	free(ks);
}

bool ksyms_hidden(const struct ksyms *ks)
{
	return ks && ks->hidden;
}

void ksyms_name(const struct ksyms *ks, __u64 addr, char *buf, size_t len)
{
	size_t lo = 0, hi = ks ? ks->count : 0;
	const struct ksym *s;

	/* the last symbol at or below addr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ks->syms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo || addr - ks->syms[lo - 1].addr > MAX_FUNCTION_SIZE) {
		snprintf(buf, len, "0x%llx", (unsigned long long)addr);
		return;
	}
	s = &ks->syms[lo - 1];
	if (s->module)
		snprintf(buf, len, "%s+0x%llx [%s]", s->name, (unsigned long long)(addr - s->addr),
			 s->module);
	else
		snprintf(buf, len, "%s+0x%llx", s->name, (unsigned long long)(addr - s->addr));
}
