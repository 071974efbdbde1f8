/* SPDX-License-Identifier: Apache-2.0 */
#ifndef RENDER_JSON_H
#define RENDER_JSON_H

#include <stdbool.h>
#include <stdio.h>
#include "json_writer.h"
#include "record.h"

/* Bumped when a field is renamed, removed or changes type; new fields keep it. */
#define JSON_SCHEMA_VERSION 1

/*
 * One JSON object, one line: the event (README, "JSON output", lists the fields). The rule's
 * "matched" list is there when the record has matched steps (-v).
 */
int render_json(FILE *out, const struct trace_record *r);
/* A drop outside the tables: {"type":"drop",...} on one line (README lists the fields). */
int render_json_drop(FILE *out, const struct drop_record *r);
/* The rule object alone: {"status":"ok","chain":...}. */
void render_json_rule(struct json_writer *w, const struct attribution *a);
/* Starts an object {"schema_version":1,"type":TYPE, ...}: the caller adds fields and ends it. */
void render_json_begin(struct json_writer *w, FILE *out, const char *type);
/* {"schema_version":1,"type":"notice","message":TEXT} on its own line. */
int render_json_notice(FILE *out, const char *message);

#endif
