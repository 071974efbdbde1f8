/* SPDX-License-Identifier: Apache-2.0 */
#ifndef EVENT_QUEUE_H
#define EVENT_QUEUE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Events handed from the reader (ring-buffer callback) to the one thread that names rules and
 * prints, in order: the reader never waits for rule text (which may run nft for seconds).
 */
struct event_queue;

/* Up to `capacity` records of at most `record_size` bytes each. */
struct event_queue *event_queue_new(size_t capacity, size_t record_size);
/* Copies the record in (cut to record_size); false when the queue is full. */
bool event_queue_push(struct event_queue *q, const void *data, size_t size);
/* Waits for the oldest record; false once the queue is closed and empty. */
bool event_queue_pop(struct event_queue *q, void *data, size_t *size);
/* Nothing is waiting to be popped (a pop may still be in progress). */
bool event_queue_empty(struct event_queue *q);
/* No more records will come: pop returns what is left, then false. */
void event_queue_close(struct event_queue *q);
void event_queue_free(struct event_queue *q);

#endif
