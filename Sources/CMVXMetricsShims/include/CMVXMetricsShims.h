#ifndef CMVXMETRICS_SHIMS_H
#define CMVXMETRICS_SHIMS_H

// Small C helpers the queued recorder's hot path needs and Swift cannot spell:
// a thread-local pointer read without a function call, the Linux membarrier
// system call (variadic syscall() is not callable from Swift), and a spin hint.

/// The calling thread's producer context, or NULL.
extern __thread void *mvx_thread_context_storage;

static inline void *mvx_thread_context(void) {
    return mvx_thread_context_storage;
}

static inline void mvx_set_thread_context(void *context) {
    mvx_thread_context_storage = context;
}

/// The processing loop running on the calling thread, or NULL.
extern __thread void *mvx_processing_loop_storage;

static inline void *mvx_processing_loop(void) {
    return mvx_processing_loop_storage;
}

static inline void mvx_set_processing_loop(void *loop) {
    mvx_processing_loop_storage = loop;
}

/// Registers the process for expedited private membarrier. Returns 0 when
/// mvx_membarrier() is available, -1 otherwise.
int mvx_membarrier_register(void);

/// Issues a full memory barrier on every running thread of the process.
/// Returns 0 on success.
int mvx_membarrier(void);

/// Stops the compiler from moving memory accesses across this point; costs
/// no instruction.
static inline void mvx_compiler_barrier(void) {
    __asm__ __volatile__("" ::: "memory");
}

/// Names the calling thread (Linux keeps 15 bytes).
void mvx_set_thread_name(const char *name);

/// A hint to the processor that the caller is spinning.
static inline void mvx_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#endif
