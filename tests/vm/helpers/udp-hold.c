// SPDX-License-Identifier: Apache-2.0
/*
 * udp-hold PORT SECONDS: binds a UDP socket on PORT and sleeps without reading, so the
 * datagrams sent to it stay queued (their skbs alive) until it exits.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	int fd, size = 4 << 20;

	if (argc != 3) {
		fprintf(stderr, "usage: udp-hold PORT SECONDS\n");
		return 2;
	}
	addr.sin_port = htons(atoi(argv[1]));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size)) ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		perror("udp-hold");
		return 1;
	}
	printf("holding\n");
	fflush(stdout);
	sleep(atoi(argv[2]));
	return 0;
}
