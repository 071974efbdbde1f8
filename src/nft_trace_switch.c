// SPDX-License-Identifier: Apache-2.0
/* The --nft-trace switch: a table of our own with `meta nftrace set 1` in an unhooked chain. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "nft_trace_switch.h"
#include "xt_fetch.h"

static bool run_nft(char *command)
{
	char *argv[] = { "nft", command, NULL };
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	char *out;

	if (self < 0)
		return false;
	out = run_in_netns(self, argv);
	close(self);
	free(out);
	return out != NULL;
}

bool nft_trace_switch_on(char *err, size_t err_len)
{
	if (run_nft("add table inet " NFT_TRACE_SWITCH_TABLE
		    " { chain trace_switch { meta nftrace set 1; }; }"))
		return true;
	snprintf(err, err_len,
		 "--nft-trace: cannot add table inet " NFT_TRACE_SWITCH_TABLE
		 " (is the nft command installed?)");
	return false;
}

bool nft_trace_switch_off(void)
{
	return run_nft("delete table inet " NFT_TRACE_SWITCH_TABLE);
}
