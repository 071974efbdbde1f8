// SPDX-License-Identifier: Apache-2.0
#include <pthread.h>
#include "test.h"
#include "event_queue.h"

TEST(event_queue_keeps_order_and_refuses_when_full)
{
	struct event_queue *q = event_queue_new(3, sizeof(int));
	int value, values[] = { 1, 2, 3, 4 };
	size_t size;

	if (!ASSERT_TRUE(q != NULL, "queue"))
		return;
	ASSERT_TRUE(event_queue_empty(q), "new: empty");
	for (int i = 0; i < 3; i++)
		ASSERT_TRUE(event_queue_push(q, &values[i], sizeof(int)), "room for 3");
	ASSERT_TRUE(!event_queue_empty(q), "3 waiting: not empty");
	ASSERT_TRUE(!event_queue_push(q, &values[3], sizeof(int)), "no room for a 4th");
	ASSERT_TRUE(event_queue_pop(q, &value, &size) && value == 1, "oldest first");
	ASSERT_TRUE(event_queue_push(q, &values[3], sizeof(int)), "room again");
	event_queue_close(q);
	ASSERT_TRUE(!event_queue_push(q, &values[0], sizeof(int)), "closed: no more");
	for (int expected = 2; expected <= 4; expected++) {
		ASSERT_TRUE(event_queue_pop(q, &value, &size), "what is left after close");
		ASSERT_EQ(value, expected, "in order across the wrap");
		ASSERT_EQ(size, sizeof(int), "size");
	}
	ASSERT_TRUE(event_queue_empty(q), "all popped: empty");
	ASSERT_TRUE(!event_queue_pop(q, &value, &size), "closed and empty");
	event_queue_free(q);
}

static void *consume(void *arg)
{
	static long sum;
	int value;
	size_t size;

	while (event_queue_pop(arg, &value, &size))
		sum += value;
	return &sum;
}

TEST(event_queue_between_threads)
{
	struct event_queue *q = event_queue_new(16, sizeof(int));
	pthread_t consumer;
	long expected = 0, *sum;

	if (!ASSERT_TRUE(q && !pthread_create(&consumer, NULL, consume, q), "start"))
		return;
	for (int i = 1; i <= 10000; i++) {
		while (!event_queue_push(q, &i, sizeof(i)))
			;
		expected += i;
	}
	event_queue_close(q);
	pthread_join(consumer, (void **)&sum);
	ASSERT_EQ(*sum, expected, "every record popped once");
	event_queue_free(q);
}
