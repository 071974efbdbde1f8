// SPDX-License-Identifier: Apache-2.0
/* A bounded FIFO of fixed-size records between two threads. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "event_queue.h"

struct event_queue {
	pthread_mutex_t lock;
	pthread_cond_t ready;
	size_t capacity, record_size;
	size_t head, count; /* the oldest record, how many */
	bool closed;
	size_t *sizes;
	unsigned char *records;
};

struct event_queue *event_queue_new(size_t capacity, size_t record_size)
{
	struct event_queue *q = calloc(1, sizeof(*q));

	if (!q)
		return NULL;
	q->capacity = capacity;
	q->record_size = record_size;
	q->sizes = calloc(capacity, sizeof(*q->sizes));
	q->records = calloc(capacity, record_size);
	if (!q->sizes || !q->records) {
		event_queue_free(q);
		return NULL;
	}
	pthread_mutex_init(&q->lock, NULL);
	pthread_cond_init(&q->ready, NULL);
	return q;
}

bool event_queue_push(struct event_queue *q, const void *data, size_t size)
{
	bool pushed = false;

	pthread_mutex_lock(&q->lock);
	if (q->count < q->capacity && !q->closed) {
		size_t slot = (q->head + q->count) % q->capacity;

		if (size > q->record_size)
			size = q->record_size;
		memcpy(q->records + slot * q->record_size, data, size);
		q->sizes[slot] = size;
		q->count++;
		pushed = true;
		pthread_cond_signal(&q->ready);
	}
	pthread_mutex_unlock(&q->lock);
	return pushed;
}

bool event_queue_pop(struct event_queue *q, void *data, size_t *size)
{
	bool popped = false;

	pthread_mutex_lock(&q->lock);
	while (!q->count && !q->closed)
		pthread_cond_wait(&q->ready, &q->lock);
	if (q->count) {
		*size = q->sizes[q->head];
		memcpy(data, q->records + q->head * q->record_size, *size);
		q->head = (q->head + 1) % q->capacity;
		q->count--;
		/* Empty: start again at the first slot, so unused pages are never touched. */
		if (!q->count)
			q->head = 0;
		popped = true;
	}
	pthread_mutex_unlock(&q->lock);
	return popped;
}

bool event_queue_empty(struct event_queue *q)
{
	bool empty;

	pthread_mutex_lock(&q->lock);
	empty = !q->count;
	pthread_mutex_unlock(&q->lock);
	return empty;
}

void event_queue_close(struct event_queue *q)
{
	pthread_mutex_lock(&q->lock);
	q->closed = true;
	pthread_cond_broadcast(&q->ready);
	pthread_mutex_unlock(&q->lock);
}

void event_queue_free(struct event_queue *q)
{
	if (!q)
		return;
	if (q->sizes && q->records) {
		pthread_mutex_destroy(&q->lock);
		pthread_cond_destroy(&q->ready);
	}
	free(q->sizes);
	free(q->records);
	free(q);
}
