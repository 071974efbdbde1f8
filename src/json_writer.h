/* SPDX-License-Identifier: Apache-2.0 */
#ifndef JSON_WRITER_H
#define JSON_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * A small streaming JSON writer: objects, arrays, strings, integers. Strings are written as
 * valid JSON whatever their bytes: '"' and '\' escaped, every control character (0x00-0x1f and
 * 0x7f) as \u00XX, and each byte that is not part of a valid UTF-8 sequence (overlong forms,
 * surrogates and code points above U+10FFFF included) replaced by U+FFFD.
 */

#define JSON_MAX_DEPTH 16

struct json_writer {
	FILE *out;
	int depth;
	bool need_comma[JSON_MAX_DEPTH + 1];
	bool after_name;
};

void jw_init(struct json_writer *w, FILE *out);
void jw_object_begin(struct json_writer *w);
void jw_object_end(struct json_writer *w);
void jw_array_begin(struct json_writer *w);
void jw_array_end(struct json_writer *w);
/* The member name of the next value, inside an object. */
void jw_name(struct json_writer *w, const char *name);
/* At most max bytes of s, fewer if a NUL comes first. */
void jw_string_n(struct json_writer *w, const char *s, size_t max);
void jw_string(struct json_writer *w, const char *s);
void jw_uint(struct json_writer *w, unsigned long long value);
void jw_int(struct json_writer *w, long long value);
void jw_bool(struct json_writer *w, bool value);
/* Three decimals; a value that is not finite is written as null. */
void jw_double(struct json_writer *w, double value);
void jw_null(struct json_writer *w);
/* name: value shorthands; jw_string_field writes null for a NULL string. */
void jw_string_field(struct json_writer *w, const char *name, const char *s);
void jw_uint_field(struct json_writer *w, const char *name, unsigned long long value);
void jw_int_field(struct json_writer *w, const char *name, long long value);
void jw_bool_field(struct json_writer *w, const char *name, bool value);
void jw_double_field(struct json_writer *w, const char *name, double value);
/* Ends the line of a finished top-level value; < 0 when the stream has an error. */
int jw_end_line(struct json_writer *w);

#endif
