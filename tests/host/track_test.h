/* SPDX-License-Identifier: Apache-2.0 */
/* What track_tests.c asks track_test.bpf.c to do in one BPF_PROG_TEST_RUN. */
#ifndef TRACK_TEST_H
#define TRACK_TEST_H

enum track_op { TRACK_START = 1, TRACK_LOOKUP, TRACK_FORGET, TRACK_COPY };

#endif
