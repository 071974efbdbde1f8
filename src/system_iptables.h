/* SPDX-License-Identifier: Apache-2.0 */
#ifndef SYSTEM_IPTABLES_H
#define SYSTEM_IPTABLES_H

#include <stddef.h>

enum iptables_variant { IPTABLES_UNKNOWN, IPTABLES_LEGACY, IPTABLES_NFT };

/* The variant a resolved iptables path names: .../xtables-nft-multi, .../iptables-legacy. */
enum iptables_variant iptables_variant_of(const char *resolved_path);
/* Finds `iptables` in PATH (and the sbin directories) and resolves its symlinks. */
enum iptables_variant system_iptables_variant(void);
/* One line for the user: where the rules of the system's iptables command are traced. */
const char *describe_iptables_variant(enum iptables_variant variant);

#endif
