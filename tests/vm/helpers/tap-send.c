// SPDX-License-Identifier: Apache-2.0
/*
 * tap-send TAP SRC DST frag|plain COUNT: writes COUNT UDP datagrams from SRC to DST (port 9)
 * into the tap device TAP (it must exist), as if they arrived on it. frag: each datagram in
 * three IPv4 fragments of about 1,200 bytes; plain: one small unfragmented datagram.
 *
 * Written non-blocking, so that the kernel builds each skb around a page fragment
 * (tun_build_skb): reassembly then steals the fragments' heads (kfree_skb_partial).
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define ETH_LEN 14
#define IP_LEN 20
#define UDP_LEN 8
#define FRAGMENT_DATA 1208 /* a multiple of 8 */
#define FRAGMENTS 3

static uint16_t ip_checksum(const uint8_t *h)
{
	uint32_t sum = 0;

	for (int i = 0; i < IP_LEN; i += 2)
		sum += (h[i] << 8) | h[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

/* One frame: Ethernet to the tap's address, IPv4 header, then len bytes of IP payload. */
static size_t frame(uint8_t *f, const uint8_t mac[6], struct in_addr src, struct in_addr dst,
		    uint16_t id, uint16_t frag_field, size_t len)
{
	uint8_t *ip = f + ETH_LEN;
	uint16_t total = IP_LEN + len, sum;

	memcpy(f, mac, 6);
	memcpy(f + 6, "\x02\x00\x00\x00\x00\x02", 6);
	f[12] = 0x08;
	f[13] = 0x00;
	memset(ip, 0, IP_LEN);
	ip[0] = 0x45;
	ip[2] = total >> 8;
	ip[3] = total & 0xff;
	ip[4] = id >> 8;
	ip[5] = id & 0xff;
	ip[6] = frag_field >> 8;
	ip[7] = frag_field & 0xff;
	ip[8] = 64;
	ip[9] = IPPROTO_UDP;
	memcpy(ip + 12, &src, 4);
	memcpy(ip + 16, &dst, 4);
	sum = ip_checksum(ip);
	ip[10] = sum >> 8;
	ip[11] = sum & 0xff;
	return ETH_LEN + total;
}

/* A UDP header (checksum 0: none) for a datagram of payload bytes, at p. */
static void udp_header(uint8_t *p, size_t payload)
{
	uint16_t len = UDP_LEN + payload;

	memset(p, 0, UDP_LEN);
	p[0] = 0x30; /* source port 12345 */
	p[1] = 0x39;
	p[3] = 9; /* discard */
	p[4] = len >> 8;
	p[5] = len & 0xff;
}

static int write_frame(int fd, const uint8_t *f, size_t len)
{
	for (int tries = 0; tries < 1000; tries++) {
		if (write(fd, f, len) == (ssize_t)len)
			return 0;
		usleep(1000);
	}
	perror("tap-send: write");
	return -1;
}

int main(int argc, char **argv)
{
	struct ifreq ifr = { 0 };
	struct in_addr src, dst;
	uint8_t f[ETH_LEN + IP_LEN + FRAGMENT_DATA], mac[6];
	int fd, sock, count, fragmented;

	if (argc != 6 || inet_pton(AF_INET, argv[2], &src) != 1 ||
	    inet_pton(AF_INET, argv[3], &dst) != 1 ||
	    (strcmp(argv[4], "frag") && strcmp(argv[4], "plain"))) {
		fprintf(stderr, "usage: tap-send TAP SRC DST frag|plain COUNT\n");
		return 2;
	}
	fragmented = !strcmp(argv[4], "frag");
	count = atoi(argv[5]);
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
	strncpy(ifr.ifr_name, argv[1], IFNAMSIZ - 1);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0) {
		perror("tap-send: /dev/net/tun");
		return 1;
	}
	sock = socket(AF_INET, SOCK_DGRAM, 0);
	if (sock < 0 || ioctl(sock, SIOCGIFHWADDR, &ifr) < 0) {
		perror("tap-send: the tap's address");
		return 1;
	}
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	for (int i = 0; i < count; i++) {
		uint16_t id = 1000 + i;
		uint8_t *payload = f + ETH_LEN + IP_LEN;
		size_t len;

		if (!fragmented) {
			udp_header(payload, 16);
			memset(payload + UDP_LEN, 'p', 16);
			len = frame(f, mac, src, dst, id, 0, UDP_LEN + 16);
			if (write_frame(fd, f, len))
				return 1;
			continue;
		}
		for (int k = 0; k < FRAGMENTS; k++) {
			uint16_t more = k < FRAGMENTS - 1 ? 0x2000 : 0;

			memset(payload, 'f', FRAGMENT_DATA);
			if (k == 0)
				udp_header(payload, FRAGMENTS * FRAGMENT_DATA - UDP_LEN);
			len = frame(f, mac, src, dst, id, more | (k * FRAGMENT_DATA / 8),
				    FRAGMENT_DATA);
			if (write_frame(fd, f, len))
				return 1;
		}
	}
	close(fd);
	return 0;
}
