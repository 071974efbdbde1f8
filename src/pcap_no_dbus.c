// SPDX-License-Identifier: Apache-2.0
/*
 * libpcap.a's list of capture sources names D-Bus's, which would pull libdbus (and libsystemd,
 * which has no static library) into the static binary. This tool only compiles filters and
 * never opens a capture device, so it offers no D-Bus source: these are what libpcap built
 * without D-Bus support does. Being linked before libpcap.a, they keep pcap-dbus.o out.
 */
#include <stddef.h>

struct pcap;
struct pcap_if_list;

int dbus_findalldevs(struct pcap_if_list *devlistp, char *err_str);
struct pcap *dbus_create(const char *device, char *ebuf, int *is_ours);

int dbus_findalldevs(struct pcap_if_list *devlistp, char *err_str)
{
	(void)devlistp;
	(void)err_str;
	return 0;
}

struct pcap *dbus_create(const char *device, char *ebuf, int *is_ours)
{
	(void)device;
	(void)ebuf;
	*is_ours = 0;
	return NULL;
}
