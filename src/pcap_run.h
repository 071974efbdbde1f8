/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Classic BPF (what libpcap compiles a filter expression to) and its interpreter, shared by
 * the BPF side (pcap_filter.bpf.h) and the unit tests. Classic BPF only jumps forward, so a
 * run takes at most one step per instruction: the BPF verifier accepts the loop.
 */
#ifndef PCAP_RUN_H
#define PCAP_RUN_H

#ifndef __bpf__
#include <stdbool.h>
#include <linux/types.h>
#endif
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

#define PCAP_MAX_INSNS 512 /* instructions of a compiled expression */
#define PCAP_SNAP_LEN 256  /* bytes of the packet a filter sees */
#define PCAP_MEM_WORDS 16  /* scratch memory M[] */

/* One instruction, as struct sock_filter and libpcap's struct bpf_insn. */
struct pcap_insn {
	__u16 code;
	__u8 jt;
	__u8 jf;
	__u32 k;
};

/* Opcodes: class | size | mode for loads, class | op | source for the others. */
enum pcap_opcode {
	PCAP_LD_W_ABS = 0x20,
	PCAP_LD_H_ABS = 0x28,
	PCAP_LD_B_ABS = 0x30,
	PCAP_LD_W_IND = 0x40,
	PCAP_LD_H_IND = 0x48,
	PCAP_LD_B_IND = 0x50,
	PCAP_LD_W_LEN = 0x80,
	PCAP_LD_IMM = 0x00,
	PCAP_LD_MEM = 0x60,
	PCAP_LDX_IMM = 0x01,
	PCAP_LDX_MEM = 0x61,
	PCAP_LDX_LEN = 0x81,
	PCAP_LDX_B_MSH = 0xb1,
	PCAP_ST = 0x02,
	PCAP_STX = 0x03,
	PCAP_ALU_ADD_K = 0x04,
	PCAP_ALU_SUB_K = 0x14,
	PCAP_ALU_MUL_K = 0x24,
	PCAP_ALU_DIV_K = 0x34,
	PCAP_ALU_OR_K = 0x44,
	PCAP_ALU_AND_K = 0x54,
	PCAP_ALU_LSH_K = 0x64,
	PCAP_ALU_RSH_K = 0x74,
	PCAP_ALU_NEG = 0x84,
	PCAP_ALU_MOD_K = 0x94,
	PCAP_ALU_XOR_K = 0xa4,
	PCAP_ALU_ADD_X = 0x0c,
	PCAP_ALU_SUB_X = 0x1c,
	PCAP_ALU_MUL_X = 0x2c,
	PCAP_ALU_DIV_X = 0x3c,
	PCAP_ALU_OR_X = 0x4c,
	PCAP_ALU_AND_X = 0x5c,
	PCAP_ALU_LSH_X = 0x6c,
	PCAP_ALU_RSH_X = 0x7c,
	PCAP_ALU_MOD_X = 0x9c,
	PCAP_ALU_XOR_X = 0xac,
	PCAP_JMP_JA = 0x05,
	PCAP_JMP_JEQ_K = 0x15,
	PCAP_JMP_JGT_K = 0x25,
	PCAP_JMP_JGE_K = 0x35,
	PCAP_JMP_JSET_K = 0x45,
	PCAP_JMP_JEQ_X = 0x1d,
	PCAP_JMP_JGT_X = 0x2d,
	PCAP_JMP_JGE_X = 0x3d,
	PCAP_JMP_JSET_X = 0x4d,
	PCAP_RET_K = 0x06,
	PCAP_RET_A = 0x16,
	PCAP_MISC_TAX = 0x07,
	PCAP_MISC_TXA = 0x87,
};

/* Bytes [off, off + size) of the packet, big-endian; false when they are not all captured. */
static __always_inline bool pcap_load(const __u8 *data, __u32 cap_len, __u64 off, __u32 size,
				      __u32 *value)
{
	if (off > PCAP_SNAP_LEN - size || off + size > cap_len)
		return false;
	if (size == 1)
		*value = data[off];
	else if (size == 2)
		*value = (__u32)data[off] << 8 | data[off + 1];
	else
		*value = (__u32)data[off] << 24 | (__u32)data[off + 1] << 16 |
			 (__u32)data[off + 2] << 8 | data[off + 3];
	return true;
}

static __always_inline bool pcap_jump_taken(__u16 code, __u32 a, __u32 operand)
{
	switch (code & 0xf0) {
	case 0x10:
		return a == operand;
	case 0x20:
		return a > operand;
	case 0x30:
		return a >= operand;
	default:
		return a & operand;
	}
}

/*
 * Runs the program on data[0..cap_len) of a packet of wire_len bytes: does it accept?
 * As libpcap's bpf_filter(): a load past the captured bytes or a division by zero rejects.
 */
static __always_inline bool pcap_run(const volatile struct pcap_insn *insns, __u32 nr_insns,
				     const __u8 *data, __u32 cap_len, __u32 wire_len)
{
	__u32 mem[PCAP_MEM_WORDS] = {};
	__u32 a = 0, x = 0, pc = 0, v;

	while (pc < nr_insns && pc < PCAP_MAX_INSNS) {
		__u16 code = insns[pc].code;
		__u32 k = insns[pc].k;
		__u8 jt = insns[pc].jt, jf = insns[pc].jf;

		pc++;
		switch (code) {
		case PCAP_LD_W_ABS:
		case PCAP_LD_H_ABS:
		case PCAP_LD_B_ABS:
		case PCAP_LD_W_IND:
		case PCAP_LD_H_IND:
		case PCAP_LD_B_IND:
			if (!pcap_load(data, cap_len, (code & 0x40 ? (__u64)x : 0) + k,
				       code & 0x10   ? 1
				       : code & 0x08 ? 2
						     : 4,
				       &a))
				return false;
			break;
		case PCAP_LD_W_LEN:
			a = wire_len;
			break;
		case PCAP_LD_IMM:
			a = k;
			break;
		case PCAP_LD_MEM:
			a = mem[k & (PCAP_MEM_WORDS - 1)];
			break;
		case PCAP_LDX_IMM:
			x = k;
			break;
		case PCAP_LDX_MEM:
			x = mem[k & (PCAP_MEM_WORDS - 1)];
			break;
		case PCAP_LDX_LEN:
			x = wire_len;
			break;
		case PCAP_LDX_B_MSH:
			if (!pcap_load(data, cap_len, k, 1, &v))
				return false;
			x = (v & 0xf) << 2;
			break;
		case PCAP_ST:
			mem[k & (PCAP_MEM_WORDS - 1)] = a;
			break;
		case PCAP_STX:
			mem[k & (PCAP_MEM_WORDS - 1)] = x;
			break;
		case PCAP_ALU_ADD_K:
		case PCAP_ALU_ADD_X:
			a += code & 0x08 ? x : k;
			break;
		case PCAP_ALU_SUB_K:
		case PCAP_ALU_SUB_X:
			a -= code & 0x08 ? x : k;
			break;
		case PCAP_ALU_MUL_K:
		case PCAP_ALU_MUL_X:
			a *= code & 0x08 ? x : k;
			break;
		case PCAP_ALU_DIV_K:
		case PCAP_ALU_DIV_X:
		case PCAP_ALU_MOD_K:
		case PCAP_ALU_MOD_X:
			v = code & 0x08 ? x : k;
			if (!v)
				return false;
			a = (code & 0xf0) == 0x30 ? a / v : a % v;
			break;
		case PCAP_ALU_OR_K:
		case PCAP_ALU_OR_X:
			a |= code & 0x08 ? x : k;
			break;
		case PCAP_ALU_AND_K:
		case PCAP_ALU_AND_X:
			a &= code & 0x08 ? x : k;
			break;
		case PCAP_ALU_XOR_K:
		case PCAP_ALU_XOR_X:
			a ^= code & 0x08 ? x : k;
			break;
		case PCAP_ALU_LSH_K:
		case PCAP_ALU_LSH_X:
			v = code & 0x08 ? x : k;
			a = v < 32 ? a << v : 0;
			break;
		case PCAP_ALU_RSH_K:
		case PCAP_ALU_RSH_X:
			v = code & 0x08 ? x : k;
			a = v < 32 ? a >> v : 0;
			break;
		case PCAP_ALU_NEG:
			a = -a;
			break;
		case PCAP_JMP_JA:
			pc += k;
			break;
		case PCAP_JMP_JEQ_K:
		case PCAP_JMP_JGT_K:
		case PCAP_JMP_JGE_K:
		case PCAP_JMP_JSET_K:
		case PCAP_JMP_JEQ_X:
		case PCAP_JMP_JGT_X:
		case PCAP_JMP_JGE_X:
		case PCAP_JMP_JSET_X:
			pc += pcap_jump_taken(code, a, code & 0x08 ? x : k) ? jt : jf;
			break;
		case PCAP_RET_K:
			return k != 0;
		case PCAP_RET_A:
			return a != 0;
		case PCAP_MISC_TAX:
			x = a;
			break;
		case PCAP_MISC_TXA:
			a = x;
			break;
		default:
			return false;
		}
	}
	return false;
}

#endif
