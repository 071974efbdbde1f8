// SPDX-License-Identifier: Apache-2.0
/* Valid JSON from any bytes: see json_writer.h for the escaping rules. */
#include <math.h>
#include <string.h>
#include "json_writer.h"
#include "printable.h"

void jw_init(struct json_writer *w, FILE *out)
{
	w->out = out;
	w->depth = 0;
	w->need_comma[0] = false;
	w->after_name = false;
}

/* The comma before a value or name that is not its container's first. */
static void separate(struct json_writer *w)
{
	if (w->after_name) {
		w->after_name = false;
		return;
	}
	if (w->need_comma[w->depth])
		fputc(',', w->out);
	w->need_comma[w->depth] = true;
}

static void open_container(struct json_writer *w, char c)
{
	separate(w);
	fputc(c, w->out);
	if (w->depth < JSON_MAX_DEPTH)
		w->depth++;
	w->need_comma[w->depth] = false;
}

static void close_container(struct json_writer *w, char c)
{
	fputc(c, w->out);
	if (w->depth > 0)
		w->depth--;
}

void jw_object_begin(struct json_writer *w)
{
	open_container(w, '{');
}

void jw_object_end(struct json_writer *w)
{
	close_container(w, '}');
}

void jw_array_begin(struct json_writer *w)
{
	open_container(w, '[');
}

void jw_array_end(struct json_writer *w)
{
	close_container(w, ']');
}

/* How many bytes from s (n available) are valid UTF-8 written as they are. */
static size_t plain_run(const unsigned char *s, size_t n)
{
	size_t i = 0, len;

	while (i < n) {
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '"' && s[i] != '\\')
			len = 1;
		else if (s[i] < 0x80 || !(len = utf8_sequence(s + i, n - i)))
			break;
		i += len;
	}
	return i;
}

void jw_string_n(struct json_writer *w, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = s ? strnlen(s, max) : 0;

	separate(w);
	fputc('"', w->out);
	for (size_t i = 0; i < n;) {
		size_t run = plain_run(p + i, n - i);

		if (run) { /* one write for the bytes that need no escaping: the common case */
			fwrite(p + i, 1, run, w->out);
			i += run;
		} else if (!utf8_sequence(p + i, n - i)) {
			fputs("\xef\xbf\xbd", w->out); /* U+FFFD */
			i++;
		} else if (p[i] == '"' || p[i] == '\\') {
			fputc('\\', w->out);
			fputc(p[i++], w->out);
		} else {
			fprintf(w->out, "\\u%04x", p[i++]);
		}
	}
	fputc('"', w->out);
}

void jw_string(struct json_writer *w, const char *s)
{
	jw_string_n(w, s, (size_t)-1);
}

void jw_name(struct json_writer *w, const char *name)
{
	jw_string(w, name);
	fputc(':', w->out);
	w->after_name = true;
}

void jw_uint(struct json_writer *w, unsigned long long value)
{
	separate(w);
	fprintf(w->out, "%llu", value);
}

void jw_int(struct json_writer *w, long long value)
{
	separate(w);
	fprintf(w->out, "%lld", value);
}

void jw_bool(struct json_writer *w, bool value)
{
	separate(w);
	fputs(value ? "true" : "false", w->out);
}

void jw_double(struct json_writer *w, double value)
{
	separate(w);
	if (isfinite(value))
		fprintf(w->out, "%.3f", value);
	else
		fputs("null", w->out);
}

void jw_null(struct json_writer *w)
{
	separate(w);
	fputs("null", w->out);
}

void jw_string_field(struct json_writer *w, const char *name, const char *s)
{
	jw_name(w, name);
	if (s)
		jw_string(w, s);
	else
		jw_null(w);
}

void jw_uint_field(struct json_writer *w, const char *name, unsigned long long value)
{
	jw_name(w, name);
	jw_uint(w, value);
}

void jw_int_field(struct json_writer *w, const char *name, long long value)
{
	jw_name(w, name);
	jw_int(w, value);
}

void jw_bool_field(struct json_writer *w, const char *name, bool value)
{
	jw_name(w, name);
	jw_bool(w, value);
}

int jw_end_line(struct json_writer *w)
{
	fputc('\n', w->out);
	w->need_comma[0] = false;
	return ferror(w->out) ? -1 : 0;
}

void jw_double_field(struct json_writer *w, const char *name, double value)
{
	jw_name(w, name);
	jw_double(w, value);
}
