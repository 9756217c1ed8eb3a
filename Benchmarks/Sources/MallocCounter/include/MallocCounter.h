#ifndef PHAROS_MALLOC_COUNTER_H
#define PHAROS_MALLOC_COUNTER_H
#include <stdint.h>
/// Heap allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign) made by
/// the process since it started; counted by interposing glibc's allocator.
uint64_t pharos_malloc_count(void);
/// Heap bytes in use (glibc mallinfo2: arena plus mmapped blocks).
uint64_t pharos_heap_in_use(void);
#endif
