/* SPDX-License-Identifier: MIT */
/*
 * Writes a newest-layout xe devcoredump with <MiB> of VMA contents (VMAs of VMA_MIB, 4 MiB by
 * default, of pseudo-random words, a fifth of them zero, like real GPU memory) for the decode
 * benchmark. VMA_MIB = MIB gives one big VMA (what the pipelined hashing is for).
 * usage: gen-bench OUTPUT MIB [VMA_MIB]
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>


static void a85(FILE *f, uint32_t w) {
        char g[5];
        if (w == 0) {
                fputc('z', f);
                return;
        }
        for (int i = 4; i >= 0; i--) {
                g[i] = (char)('!' + w % 85);
                w /= 85;
        }
        fwrite(g, 1, 5, f);
}

int main(int argc, char **argv) {
        FILE *f;
        unsigned long mib, vma_mib = 4;
        uint64_t x = 0x9e3779b97f4a7c15ull;

        if (argc < 3 || argc > 4 || (mib = strtoul(argv[2], NULL, 10)) == 0 ||
            (argc == 4 && ((vma_mib = strtoul(argv[3], NULL, 10)) == 0 || vma_mib > 4096))) {
                fprintf(stderr, "usage: %s OUTPUT MIB [VMA_MIB]\n", argv[0]);
                return 2;
        }
        const uint64_t vma_bytes = (uint64_t)vma_mib << 20;
        /* Dump contents are private: 0640, like every file we write. */
        int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
        f = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (!f) {
                perror(argv[1]);
                return 1;
        }
        setvbuf(f, NULL, _IOFBF, 1 << 20);
        fputs("**** Xe Device Coredump ****\n"
              "Reason: Timedout job - seqno=4242, lrc_seqno=4242, guc_id=17, flags=0x0\n"
              "kernel: 6.16.0-bench\nmodule: xe\nSnapshot time: 1760433512.418203551\n"
              "Uptime: 5234.771204883\nProcess: bench [4321]\nPCI ID: 0x64a0\nPCI revision: 0x04\n"
              "\n**** Contexts ****\nGuC ID: 17\n\tName: ccs17\n\tClass: 5\n\tLogical mask: 0x1\n"
              "\tWidth: 1\n\tHW Context Desc: 0x00fe4000\n\tStart seqno: (memory) 4242\n"
              "\tSeqno: (memory) 4241\n\tSchedule State: 0x201\n\tFlags: 0x0\n"
              "\tJob: seqno=4242, fence=0, finished=0\n"
              "\n**** Job ****\nbatch_addr[0]: 0x0000000100000000\n"
              "\n**** HW Engines ****\nccs0 (physical), logical instance=0\n\tRING_HEAD: 0x00000230\n"
              "\tACTHD: 0x0000000100000000\n\n\n**** VM state ****\n", f);
        for (uint64_t v = 0; v < ((uint64_t)mib << 20) / vma_bytes; v++) {
                uint64_t va = 0x100000000ull + v * vma_bytes;
                fprintf(f, "[%llx].length: 0x%llx\n[%llx].data: ", (unsigned long long)va,
                        (unsigned long long)vma_bytes, (unsigned long long)va);
                for (uint64_t i = 0; i < vma_bytes / 4; i++) {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        a85(f, (x % 5 == 0) ? 0 : (uint32_t)(x >> 32));
                }
                fputc('\n', f);
        }
        if (fclose(f) != 0) {
                perror(argv[1]);
                return 1;
        }
        return 0;
}
