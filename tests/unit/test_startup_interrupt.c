// SPDX-License-Identifier: Apache-2.0
/* A signal during start-up (issue 9): tracer_start gives up between steps, nothing attached. */
#include <errno.h>
#include <signal.h>
#include "test.h"
#include "tracer.h"

static int no_event(void *ctx, void *data, size_t size)
{
	(void)ctx;
	(void)data;
	(void)size;
	return 0;
}

TEST(startup_interrupted_before_probing)
{
	static volatile sig_atomic_t stop = SIGTERM;
	struct tracer t = { .stop = &stop };
	struct config cfg = { .engines = (1u << ENGINE_MAX) - 1, .track_rules = true };
	char err[256] = "";

	ASSERT_EQ(tracer_start(&t, &cfg, no_event, NULL, err, sizeof(err)), -EINTR, err);
	ASSERT_STREQ(err, "Interrupted during start-up", "message");
	ASSERT_TRUE(t.skel == NULL && t.nr_links == 0, "nothing loaded or attached");
}
