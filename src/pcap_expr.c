// SPDX-License-Identifier: Apache-2.0
/* A tcpdump filter expression → classic BPF programs pcap_run() can run in the kernel. */
#include <stdio.h>
#include <string.h>
#include <pcap/pcap.h>
#include "pcap_expr.h"

#define SNAPLEN 262144 /* what a filter returns to accept: any non-zero value does */

static bool supported(__u16 code)
{
	static const __u16 codes[] = {
		PCAP_LD_W_ABS,	 PCAP_LD_H_ABS,	 PCAP_LD_B_ABS,	 PCAP_LD_W_IND,	 PCAP_LD_H_IND,
		PCAP_LD_B_IND,	 PCAP_LD_W_LEN,	 PCAP_LD_IMM,	 PCAP_LD_MEM,	 PCAP_LDX_IMM,
		PCAP_LDX_MEM,	 PCAP_LDX_LEN,	 PCAP_LDX_B_MSH, PCAP_ST,	 PCAP_STX,
		PCAP_ALU_ADD_K,	 PCAP_ALU_SUB_K, PCAP_ALU_MUL_K, PCAP_ALU_DIV_K, PCAP_ALU_OR_K,
		PCAP_ALU_AND_K,	 PCAP_ALU_LSH_K, PCAP_ALU_RSH_K, PCAP_ALU_NEG,	 PCAP_ALU_MOD_K,
		PCAP_ALU_XOR_K,	 PCAP_ALU_ADD_X, PCAP_ALU_SUB_X, PCAP_ALU_MUL_X, PCAP_ALU_DIV_X,
		PCAP_ALU_OR_X,	 PCAP_ALU_AND_X, PCAP_ALU_LSH_X, PCAP_ALU_RSH_X, PCAP_ALU_MOD_X,
		PCAP_ALU_XOR_X,	 PCAP_JMP_JA,	 PCAP_JMP_JEQ_K, PCAP_JMP_JGT_K, PCAP_JMP_JGE_K,
		PCAP_JMP_JSET_K, PCAP_JMP_JEQ_X, PCAP_JMP_JGT_X, PCAP_JMP_JGE_X, PCAP_JMP_JSET_X,
		PCAP_RET_K,	 PCAP_RET_A,	 PCAP_MISC_TAX,	 PCAP_MISC_TXA,
	};

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		if (codes[i] == code)
			return true;
	}
	return false;
}

bool pcap_program_check(const struct pcap_insn *insns, __u32 len, char *err, size_t err_len)
{
	if (!len || len > PCAP_MAX_INSNS) {
		snprintf(err, err_len,
			 "it compiles to %u instructions; at most %d run in the kernel", len,
			 PCAP_MAX_INSNS);
		return false;
	}
	for (__u32 pc = 0; pc < len; pc++) {
		const struct pcap_insn *in = &insns[pc];
		__u64 next = (__u64)pc + 1;
		bool jump = (in->code & 0x07) == 0x05;

		if (!supported(in->code)) {
			snprintf(err, err_len,
				 "instruction %u (opcode 0x%02x) cannot run in the kernel", pc,
				 in->code);
			return false;
		}
		if ((in->code == PCAP_JMP_JA && next + in->k >= len) ||
		    (jump && in->code != PCAP_JMP_JA && next + in->jt >= len) ||
		    (jump && in->code != PCAP_JMP_JA && next + in->jf >= len)) {
			/* libpcap's protochain loops backwards through IPv6 headers */
			snprintf(err, err_len,
				 "instruction %u jumps outside the program (backwards, as "
				 "'protochain' "
				 "does): the kernel runs forward jumps only",
				 pc);
			return false;
		}
		if ((in->code == PCAP_LD_MEM || in->code == PCAP_LDX_MEM || in->code == PCAP_ST ||
		     in->code == PCAP_STX) &&
		    in->k >= PCAP_MEM_WORDS) {
			snprintf(err, err_len, "instruction %u uses scratch word %u", pc, in->k);
			return false;
		}
		if (((in->code == PCAP_ALU_DIV_K || in->code == PCAP_ALU_MOD_K) && !in->k) ||
		    ((in->code == PCAP_ALU_LSH_K || in->code == PCAP_ALU_RSH_K) && in->k >= 32)) {
			snprintf(err, err_len, "instruction %u divides by 0 or shifts by %u", pc,
				 in->k);
			return false;
		}
	}
	if ((insns[len - 1].code & 0x07) != 0x06) {
		snprintf(err, err_len, "the program does not end with a return");
		return false;
	}
	return true;
}

/* Compiles expr for one link type into prog; false with pcap's message in err. */
static bool compile_for(const char *expr, int linktype, struct pcap_program *prog, char *err,
			size_t err_len)
{
	pcap_t *pcap = pcap_open_dead(linktype, SNAPLEN);
	struct bpf_program code;
	bool ok = false;

	if (!pcap) {
		snprintf(err, err_len, "libpcap is out of memory");
		return false;
	}
	if (pcap_compile(pcap, &code, expr, 1, PCAP_NETMASK_UNKNOWN)) {
		snprintf(err, err_len, "%s", pcap_geterr(pcap));
		pcap_close(pcap);
		return false;
	}
	if (pcap_program_check((const struct pcap_insn *)code.bf_insns, code.bf_len, err,
			       err_len)) {
		memcpy(prog->insns, code.bf_insns, code.bf_len * sizeof(prog->insns[0]));
		prog->len = code.bf_len;
		ok = true;
	}
	pcap_freecode(&code);
	pcap_close(pcap);
	return ok;
}

/* A program that rejects every packet: the expression does not apply to this link type. */
static void reject_all(struct pcap_program *prog)
{
	prog->insns[0] = (struct pcap_insn){ .code = PCAP_RET_K, .k = 0 };
	prog->len = 1;
}

_Static_assert(sizeof(struct pcap_insn) == sizeof(struct bpf_insn), "classic BPF layout");

bool pcap_filter_compile(const char *expr, struct pcap_filter *filter, char *err, size_t err_len)
{
	char l3_err[PCAP_MESSAGE_LEN], l2_err[PCAP_MESSAGE_LEN];
	bool l3 = compile_for(expr, DLT_RAW, &filter->l3, l3_err, sizeof(l3_err));
	bool l2 = compile_for(expr, DLT_EN10MB, &filter->l2, l2_err, sizeof(l2_err));

	filter->note[0] = '\0';
	if (!l3 && !l2) {
		snprintf(err, err_len, "%s", l2_err);
		return false;
	}
	if (!l3) {
		reject_all(&filter->l3);
		snprintf(filter->note, sizeof(filter->note),
			 "The filter expression matches at bridge, netdev and ARP hooks only (on "
			 "IP packets without their Ethernet header: %s)",
			 l3_err);
	} else if (!l2) {
		reject_all(&filter->l2);
		snprintf(filter->note, sizeof(filter->note),
			 "The filter expression matches at IP hooks only (on Ethernet frames: %s)",
			 l2_err);
	}
	filter->at_ip_hooks = l3;
	filter->enabled = true;
	return true;
}
