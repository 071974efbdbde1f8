// SPDX-License-Identifier: Apache-2.0
/* Where a hooked function lives and which prototype it has, read from BTF. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "btf_probe.h"
#include "options.h" /* shown() */

const char *prototype_name(enum prototype prototype)
{
	switch (prototype) {
	case PROTO_SKB_STATE_TABLE:
		return "(skb, state, table)";
	case PROTO_PRIV_SKB_STATE:
		return "(priv, skb, state)";
	case PROTO_PKTINFO_PRIV:
		return "(pkt, priv)";
	default:
		return "unknown";
	}
}

/* Modifier chains longer than this are corrupt (two typedefs naming each other loop). */
#define MAX_MODIFIERS 32

/* type_id past const/volatile/typedef (btf__resolve_type refuses forward declarations). */
static __u32 skip_modifiers(const struct btf *btf, __u32 type_id)
{
	const struct btf_type *t = btf__type_by_id(btf, type_id);

	for (int steps = 0; t && (btf_is_mod(t) || btf_is_typedef(t)); steps++) {
		if (steps == MAX_MODIFIERS)
			return ~0u; /* no such type */
		type_id = t->type;
		t = btf__type_by_id(btf, type_id);
	}
	return type_id;
}

/* The type a pointer parameter points to, past modifiers; NULL (and id 0) for void. */
static const struct btf_type *pointee(const struct btf *btf, __u32 type_id, __u32 *pointee_id)
{
	const struct btf_type *t = btf__type_by_id(btf, skip_modifiers(btf, type_id));

	*pointee_id = 1;
	if (!t || !btf_is_ptr(t))
		return NULL;
	*pointee_id = skip_modifiers(btf, t->type);
	return *pointee_id ? btf__type_by_id(btf, *pointee_id) : NULL;
}

/* libbpf takes a type section at any offset; its types are read as 32-bit words. */
static bool aligned(const struct btf_type *t)
{
	return (uintptr_t)t % __alignof__(struct btf_type) == 0;
}

static bool is_struct_named(const struct btf *btf, const struct btf_type *t, const char *name)
{
	const char *type_name = t ? btf__name_by_offset(btf, t->name_off) : NULL;

	return type_name && (btf_is_struct(t) || btf_is_fwd(t)) && !strcmp(type_name, name);
}

int btf_function_prototype(const struct btf *btf, const char *name, enum prototype *prototype)
{
	const struct btf_type *func, *proto, *first, *second;
	const struct btf_param *params;
	__s32 id = btf__find_by_name_kind(btf, name, BTF_KIND_FUNC);
	__u32 first_id, second_id;

	*prototype = PROTO_UNKNOWN;
	if (id < 0)
		return -ENOENT;
	func = btf__type_by_id(btf, id);
	if (!aligned(func))
		return -EINVAL; /* all types are: their sizes are multiples of 4 */
	proto = func ? btf__type_by_id(btf, func->type) : NULL;
	if (!proto || !btf_is_func_proto(proto) || btf_vlen(proto) < 2)
		return -EINVAL;
	params = btf_params(proto);
	first = pointee(btf, params[0].type, &first_id);
	second = pointee(btf, params[1].type, &second_id);
	if (btf_vlen(proto) == 2) {
		if (is_struct_named(btf, first, "nft_pktinfo") && second_id == 0)
			*prototype = PROTO_PKTINFO_PRIV;
	} else if (btf_vlen(proto) == 3) {
		if (is_struct_named(btf, first, "sk_buff"))
			*prototype = PROTO_SKB_STATE_TABLE;
		else if (is_struct_named(btf, second, "sk_buff") && first_id == 0)
			*prototype = PROTO_PRIV_SKB_STATE;
	}
	return *prototype == PROTO_UNKNOWN ? -EINVAL : 0;
}

static int classify(const struct btf *btf, struct hook_function *f, char *err, size_t err_len)
{
	int ret = btf_function_prototype(btf, f->name, &f->prototype);
	__s32 id = btf__find_by_name_kind(btf, f->name, BTF_KIND_FUNC);
	const struct btf_type *func = id > 0 ? btf__type_by_id(btf, id) : NULL;
	const struct btf_type *proto = func ? btf__type_by_id(btf, func->type) : NULL;

	if (proto)
		f->nr_params = btf_vlen(proto);
	if (f->engine < 0 && ret == -EINVAL)
		return 0; /* its prototype does not matter */
	if (ret == -EINVAL)
		snprintf(err, err_len, "%s has a prototype this tool does not know", f->name);
	return ret;
}

static bool valid_name(const struct btf *btf, __u32 name_off)
{
	return btf__name_by_offset(btf, name_off) != NULL;
}

/* Why type t (id) is malformed, or NULL: names and referenced ids must resolve. */
static const char *type_problem(const struct btf *btf, const struct btf_type *t, __u32 nr_types)
{
	__u16 vlen = btf_vlen(t);

	if (!valid_name(btf, t->name_off))
		return "name offset outside the string section";
	if (btf_is_ptr(t) || btf_is_mod(t) || btf_is_typedef(t) || btf_is_var(t) ||
	    btf_is_decl_tag(t) || btf_is_type_tag(t) || btf_is_func(t) || btf_is_func_proto(t)) {
		if (t->type >= nr_types)
			return "refers to a type that does not exist";
	}
	if (btf_is_func(t) && !btf_is_func_proto(btf__type_by_id(btf, t->type)))
		return "function whose type is not a prototype";
	if ((btf_is_mod(t) || btf_is_typedef(t)) && skip_modifiers(btf, t->type) == ~0u)
		return "typedefs or modifiers that loop";
	if (btf_is_array(t)) {
		if (btf_array(t)->type >= nr_types || btf_array(t)->index_type >= nr_types)
			return "array of a type that does not exist";
	} else if (btf_is_composite(t)) {
		for (__u16 i = 0; i < vlen; i++) {
			if (!valid_name(btf, btf_members(t)[i].name_off) ||
			    btf_members(t)[i].type >= nr_types)
				return "member with a bad name or type";
		}
	} else if (btf_is_func_proto(t)) {
		for (__u16 i = 0; i < vlen; i++) {
			if (!valid_name(btf, btf_params(t)[i].name_off) ||
			    btf_params(t)[i].type >= nr_types)
				return "parameter with a bad name or type";
		}
	} else if (btf_is_enum(t)) {
		for (__u16 i = 0; i < vlen; i++) {
			if (!valid_name(btf, btf_enum(t)[i].name_off))
				return "enumerator with a bad name";
		}
	} else if (btf_is_enum64(t)) {
		const __u32 *values = (const __u32 *)(t + 1); /* name_off, lo32, hi32 */

		for (__u16 i = 0; i < vlen; i++) {
			if (!valid_name(btf, values[3 * i]))
				return "enumerator with a bad name";
		}
	} else if (btf_is_datasec(t)) {
		for (__u16 i = 0; i < vlen; i++) {
			if (btf_var_secinfos(t)[i].type >= nr_types)
				return "section variable of a type that does not exist";
		}
	}
	return NULL;
}

int btf_validate(const struct btf *btf, char *err, size_t err_len)
{
	const struct btf *base = btf__base_btf(btf);
	__u32 nr_types = btf__type_cnt(btf), first = base ? btf__type_cnt(base) : 1;

	if (first < nr_types && !aligned(btf__type_by_id(btf, first))) {
		snprintf(err, err_len, "type section not aligned to 4 bytes");
		return -EBADMSG;
	}
	for (__u32 id = first; id < nr_types; id++) {
		const char *problem = type_problem(btf, btf__type_by_id(btf, id), nr_types);

		if (problem) {
			snprintf(err, err_len, "type %u: %s", id, problem);
			return -EBADMSG;
		}
	}
	return 0;
}

void kernel_btf_release(struct kernel_btf *kb)
{
	btf__free(kb->vmlinux);
	kb->vmlinux = NULL;
}

/*
 * Why libbpf could not read BTF from a file that exists: it says ENOENT for an ELF file
 * without .BTF and its own codes (or EINVAL) for other contents.
 */
static const char *btf_read_error(int error)
{
	if (error == EACCES || error == ENOMEM || error == EISDIR)
		return strerror(error);
	return "not a BTF file or an ELF file with a .BTF section";
}

/* A --btf directory's entry that is not a regular file (a FIFO would block its reader). */
static bool not_regular(const char *path, char *err, size_t err_len)
{
	struct stat st;

	if (!stat(path, &st) && S_ISREG(st.st_mode))
		return false;
	snprintf(err, err_len, "'%s' in the --btf directory is not a regular file", path);
	return true;
}

/* vmlinux BTF, parsed once: it is megabytes. */
static struct btf *vmlinux_btf(struct kernel_btf *kb, char *err, size_t err_len)
{
	char why[128], path[SHOWN_MAX];

	if (kb->vmlinux)
		return kb->vmlinux;
	shown(kb->path ? kb->path : "/sys/kernel/btf/vmlinux", path, sizeof(path));
	kb->vmlinux = kb->path ? btf__parse(kb->path, NULL) : btf__load_vmlinux_btf();
	if (kb->vmlinux && btf_validate(kb->vmlinux, why, sizeof(why))) {
		snprintf(err, err_len, "malformed BTF in '%s': %s", path, why);
		kernel_btf_release(kb);
		return NULL;
	}
	if (kb->vmlinux)
		return kb->vmlinux;
	if (kb->path)
		snprintf(err, err_len, "cannot read BTF from '%s': %s", path,
			 btf_read_error(errno));
	else
		snprintf(err, err_len,
			 "this kernel has no BTF (/sys/kernel/btf/vmlinux): it needs "
			 "CONFIG_DEBUG_INFO_BTF=y, or pass --btf FILE");
	return NULL;
}

struct btf *kernel_btf_vmlinux(struct kernel_btf *kb, char *err, size_t err_len)
{
	return vmlinux_btf(kb, err, err_len);
}

enum prototype xt_prototype_by_release(const char *release)
{
	unsigned int major, minor;
	char dot;

	if (sscanf(release, "%u%c%u", &major, &dot, &minor) != 3 || dot != '.' || major < 2)
		return PROTO_UNKNOWN;
	if (major > 5 || (major == 5 && minor >= 16))
		return PROTO_PRIV_SKB_STATE;
	return PROTO_SKB_STATE_TABLE;
}

/* Does the kallsyms file list a symbol of one of the NULL-terminated names (functions only if
 * text_only)? One pass over the file. */
static bool kallsyms_lists(const char *kallsyms, const char *const *names, bool text_only)
{
	char line[512], type, symbol[256];
	FILE *f = fopen(kallsyms, "r");
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %c %255s", &type, symbol) != 2 ||
		    (text_only && type != 't' && type != 'T'))
			continue;
		for (const char *const *name = names; *name && !found; name++)
			found = !strcmp(symbol, *name);
	}
	fclose(f);
	return found;
}

bool kallsyms_has_any(const char *kallsyms, const char *const *names)
{
	return kallsyms_lists(kallsyms, names, true);
}

static bool kallsyms_has(const char *kallsyms, const char *name)
{
	return kallsyms_has_any(kallsyms, (const char *const[]){ name, NULL });
}

const char *kallsyms_missing(const char *kallsyms, const char *const *names)
{
	for (; *names; names++) {
		if (!kallsyms_lists(kallsyms, (const char *const[]){ *names, NULL }, false))
			return *names;
	}
	return NULL;
}

void probe_without_btf(struct hook_function *f, const char *kallsyms, const char *release)
{
	static const char *const xt_functions[] = { "ipt_do_table", "ip6t_do_table",
						    "arpt_do_table" };
	bool xt = false;

	f->why_missing[0] = '\0';
	for (size_t i = 0; i < sizeof(xt_functions) / sizeof(xt_functions[0]); i++)
		xt = xt || !strcmp(f->name, xt_functions[i]);
	if (!kallsyms_has(kallsyms, f->name)) {
		snprintf(f->why_missing, sizeof(f->why_missing),
			 "%s is neither in the kernel's BTF nor in %s", f->name, kallsyms);
		return;
	}
	/* Prototypes unchanged since x_tables began (2.6.16): no types needed. */
	if (!strcmp(f->name, "xt_replace_table") || !strcmp(f->name, "xt_unregister_table")) {
		f->found = f->no_btf = f->in_module = true;
		return;
	}
	if (!xt) {
		snprintf(
			f->why_missing, sizeof(f->why_missing),
			"module %s has no BTF here (module BTF came in Linux 5.11) and this engine "
			"needs its types: pass them with --btf DIR (scripts/make-module-btf.sh)",
			f->module);
		return;
	}
	f->prototype = xt_prototype_by_release(release);
	if (f->prototype == PROTO_UNKNOWN) {
		snprintf(f->why_missing, sizeof(f->why_missing),
			 "module %s has no BTF and the kernel release '%.40s' does not tell %s's "
			 "prototype",
			 f->module, release, f->name);
		return;
	}
	f->found = f->no_btf = f->in_module = true;
	snprintf(f->assumption, sizeof(f->assumption),
		 "%s: module %s has no BTF; assumed prototype %s because kernel release %.40s is "
		 "%s 5.16",
		 f->name, f->module, prototype_name(f->prototype), release,
		 f->prototype == PROTO_PRIV_SKB_STATE ? "at least" : "before");
}

/* The module is loaded but has no BTF (/sys/kernel/btf/<module>): kernels before 5.11. */
static bool module_without_btf(const char *module)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/kernel/btf/%s", module);
	if (!access(path, F_OK))
		return false;
	snprintf(path, sizeof(path), "/sys/module/%s", module);
	return !access(path, F_OK);
}

int probe_hook_function(struct kernel_btf *kb, struct hook_function *f, char *err, size_t err_len)
{
	struct btf *vmlinux, *module = NULL;
	char path[128], why[128];
	int ret;

	f->found = f->in_module = f->no_btf = false;
	f->why_missing[0] = f->assumption[0] = '\0';
	vmlinux = vmlinux_btf(kb, err, err_len);
	if (!vmlinux)
		return -EBADMSG;
	ret = classify(vmlinux, f, err, err_len);
	if (ret == -ENOENT && !f->module) { /* a vmlinux function */
		snprintf(f->why_missing, sizeof(f->why_missing),
			 kb->path ? "not in the BTF given with --btf" : "not in this kernel's BTF");
		return 0;
	}
	if (ret == -ENOENT) {
		snprintf(path, sizeof(path), "/sys/kernel/btf/%s", f->module);
		if (!access(path, R_OK)) {
			module = btf__parse_split(path, vmlinux);
			if (module && btf_validate(module, why, sizeof(why))) {
				snprintf(err, err_len, "malformed BTF in '%s': %s", path, why);
				btf__free(module);
				return -EBADMSG;
			}
			if (module) {
				ret = classify(module, f, err, err_len);
				f->in_module = ret == 0;
			}
		}
	}
	if (ret == 0) {
		f->found = true;
	} else if (ret == -ENOENT) {
		snprintf(path, sizeof(path), "/sys/module/%s", f->module);
		if (kb->path) /* the --btf file's kernel, not this one */
			snprintf(f->why_missing, sizeof(f->why_missing),
				 "not in the BTF given with --btf");
		else if (access(path, F_OK))
			snprintf(f->why_missing, sizeof(f->why_missing), "%s module not loaded",
				 f->module);
		else
			snprintf(f->why_missing, sizeof(f->why_missing),
				 "%s is not in the kernel's BTF", f->name);
		ret = 0;
	}
	btf__free(module);
	if (!f->found && !ret && module_without_btf(f->module)) {
		struct utsname u;

		probe_without_btf(f, "/proc/kallsyms", uname(&u) ? "" : u.release);
	}
	return ret;
}

/* A type id of a module's split BTF, once its types follow the base's at `first` in dst. */
static __u32 remap_id(__u32 id, __u32 base_cnt, __u32 first)
{
	return id < base_cnt ? id : id - base_cnt + first;
}

/* btf__add_type copies a type with its strings but not its references: remap them. */
static void remap_type_ids(struct btf_type *t, __u32 base_cnt, __u32 first)
{
	struct btf_var_secinfo *var = btf_var_secinfos(t);
	struct btf_member *member = btf_members(t);
	struct btf_param *param = btf_params(t);
	struct btf_array *array = btf_array(t);
	__u16 n = btf_vlen(t);

	switch (btf_kind(t)) {
	case BTF_KIND_PTR:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_VAR:
	case BTF_KIND_DECL_TAG:
	case BTF_KIND_TYPE_TAG:
		t->type = remap_id(t->type, base_cnt, first);
		break;
	case BTF_KIND_ARRAY:
		array->type = remap_id(array->type, base_cnt, first);
		array->index_type = remap_id(array->index_type, base_cnt, first);
		break;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		for (__u16 i = 0; i < n; i++)
			member[i].type = remap_id(member[i].type, base_cnt, first);
		break;
	case BTF_KIND_FUNC_PROTO:
		t->type = remap_id(t->type, base_cnt, first);
		for (__u16 i = 0; i < n; i++)
			param[i].type = remap_id(param[i].type, base_cnt, first);
		break;
	case BTF_KIND_DATASEC:
		for (__u16 i = 0; i < n; i++)
			var[i].type = remap_id(var[i].type, base_cnt, first);
		break;
	default:
		break;
	}
}

/* Appends the types of a module's split BTF (on base, whose ids dst repeats) to dst. */
static int append_split_btf(struct btf *dst, const struct btf *module, __u32 base_cnt)
{
	__u32 first = btf__type_cnt(dst), n = btf__type_cnt(module);

	for (__u32 id = base_cnt; id < n; id++) {
		int new_id = btf__add_type(dst, module, btf__type_by_id(module, id));

		if (new_id < 0)
			return new_id;
		remap_type_ids((struct btf_type *)btf__type_by_id(dst, new_id), base_cnt, first);
	}
	return 0;
}

struct btf *btf_merge_dir(const char *dir, char *err, size_t err_len)
{
	struct btf *base, *merged = NULL, *module;
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = NULL;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/vmlinux", dir);
	if (not_regular(path, err, err_len))
		return NULL;
	base = btf__parse(path, NULL);
	if (!base) {
		snprintf(err, err_len, "cannot read BTF from '%s': %s", path,
			 btf_read_error(errno));
		return NULL;
	}
	merged = btf__new_empty();
	d = opendir(dir);
	if (!merged || !d || btf__add_btf(merged, base) < 0) {
		snprintf(err, err_len, "cannot merge the BTF of '%s': %s", dir, strerror(errno));
		goto fail;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "vmlinux"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (not_regular(path, err, err_len))
			goto fail;
		module = btf__parse_split(path, base);
		if (!module) {
			snprintf(err, err_len, "cannot read module BTF '%s': %s", path,
				 btf_read_error(errno));
			goto fail;
		}
		ret = append_split_btf(merged, module, btf__type_cnt(base));
		btf__free(module);
		if (ret) {
			char why[128];

			libbpf_strerror(ret, why, sizeof(why));
			snprintf(err, err_len, "cannot merge module BTF '%s': %s", path, why);
			goto fail;
		}
	}
	if (btf__dedup(merged, NULL)) {
		snprintf(err, err_len, "cannot merge the BTF of '%s': %s", dir, strerror(errno));
		goto fail;
	}
	closedir(d);
	btf__free(base);
	return merged;
fail:
	if (d)
		closedir(d);
	btf__free(merged);
	btf__free(base);
	return NULL;
}
