/* tests/tools/alloc_count.h — counts heap allocations in a test tool, to
 * prove a module allocates nothing in its hot path: glibc's documented
 * "Replacing malloc" (delegating to __libc_*), or under ASan, whose
 * allocator cannot be replaced, the sanitizer's own malloc hook.  Include
 * it in exactly one .c file; set `counting` to 1 around what must not
 * allocate and read `allocations`; call count_allocations() first. */
#ifndef LSR_ALLOC_COUNT_H
#define LSR_ALLOC_COUNT_H

#include <stddef.h>

static int counting;
static unsigned long allocations;

#if defined(__SANITIZE_ADDRESS__)
/* from sanitizer/allocator_interface.h, which Debian's gcc does not ship */
int __sanitizer_install_malloc_and_free_hooks(void (*on_malloc)(const volatile void *, size_t),
                                              void (*on_free)(const volatile void *));

static void on_malloc(const volatile void *p, size_t n)
{
	(void)p;
	(void)n;
	allocations += counting;
}

static void on_free(const volatile void *p)
{
	(void)p;
}

static void count_allocations(void)
{
	__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
}
#else
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

void *malloc(size_t n)
{
	allocations += counting;
	return __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
	allocations += counting;
	return __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
	allocations += counting;
	return __libc_realloc(p, n);
}

void free(void *p)
{
	__libc_free(p);
}

static void count_allocations(void)
{
}
#endif

#endif
