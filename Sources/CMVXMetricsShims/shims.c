#define _GNU_SOURCE
#include "CMVXMetricsShims.h"
#include <pthread.h>

#if defined(__linux__)
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

__thread void *mvx_thread_context_storage = 0;
__thread void *mvx_processing_loop_storage = 0;

int mvx_membarrier_register(void) {
#if defined(__linux__) && defined(SYS_membarrier)
    long supported = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
    if (supported < 0 || !(supported & MEMBARRIER_CMD_PRIVATE_EXPEDITED)) {
        return -1;
    }
    if (syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) != 0) {
        return -1;
    }
    return 0;
#else
    return -1;
#endif
}

int mvx_membarrier(void) {
#if defined(__linux__) && defined(SYS_membarrier)
    return (int)syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
#else
    return -1;
#endif
}

void mvx_set_thread_name(const char *name) {
#if defined(__APPLE__)
    pthread_setname_np(name);
#elif defined(__linux__)
    pthread_setname_np(pthread_self(), name);
#endif
}
