#ifndef CMVXBENCHMARK_SHIMS_H
#define CMVXBENCHMARK_SHIMS_H

/// A hint to the processor that the caller is spinning (Swift cannot spell it).
static inline void mvx_bench_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#endif
