// SPDX-License-Identifier: Apache-2.0
/*
 * send-truncated-tcp SRC DST: sends one IPv4 packet whose TCP header is cut after 8 bytes
 * (ports and sequence number), from a raw socket. A tcp match in ipt_do_table cannot read the
 * header and drops the packet itself (hotdrop), without counting any rule.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned char packet[sizeof(struct iphdr) + 8] = {};
	struct iphdr *ip = (struct iphdr *)packet;
	struct sockaddr_in dst = { .sin_family = AF_INET };
	int one = 1, fd;

	if (argc != 3 || inet_pton(AF_INET, argv[1], &ip->saddr) != 1 ||
	    inet_pton(AF_INET, argv[2], &dst.sin_addr) != 1) {
		fprintf(stderr, "usage: send-truncated-tcp SRC DST\n");
		return 2;
	}
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_TCP;
	ip->tot_len = htons(sizeof(packet));
	ip->daddr = dst.sin_addr.s_addr;
	packet[sizeof(*ip) + 1] = 80; /* source port 80 */
	packet[sizeof(*ip) + 3] = 81; /* destination port 81 */
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0 || setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)) ||
	    sendto(fd, packet, sizeof(packet), 0, (struct sockaddr *)&dst, sizeof(dst)) < 0) {
		perror("send-truncated-tcp");
		return 1;
	}
	close(fd);
	return 0;
}
