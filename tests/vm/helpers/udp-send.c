// SPDX-License-Identifier: Apache-2.0
/* udp-send ADDR PORT COUNT: sends COUNT small UDP datagrams to ADDR:PORT from one socket. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	int fd, count;

	if (argc != 4 || inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) {
		fprintf(stderr, "usage: udp-send ADDR PORT COUNT\n");
		return 2;
	}
	addr.sin_port = htons(atoi(argv[2]));
	count = atoi(argv[3]);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("udp-send");
		return 1;
	}
	for (int i = 0; i < count; i++) {
		if (sendto(fd, &i, sizeof(i), 0, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
			perror("udp-send: sendto");
			return 1;
		}
	}
	return 0;
}
