/* tests/tools/alloc_count.h — counts heap allocations in a test tool, to
 * prove a module allocates nothing in its hot path: glibc's documented
 * "Replacing malloc" (delegating to __libc_*), or under ASan, whose
 * allocator cannot be replaced, the sanitizer's own malloc hook.  Include
 * it in exactly one .c file; call count_allocations() first, set
 * `counting` to 1 around what must not allocate, then ask
 * allocation_verdict().
 *
 * Every thread's allocations count (the modules' crews allocate on their
 * helper threads too).  In the plain build each allocation is told apart
 * by its caller: lsrmon's own code is linked into the tool, so a return
 * address inside the tool's text is lsrmon's (or the tool's) allocation;
 * any other is the C library's, made inside a function lsrmon called.
 * The verdict: none of lsrmon's, and of the library's no more than a
 * one-time setup (LIBRARY_SETUP) — a library call that allocated per
 * trial or per block would make thousands.  The callers are printed, so
 * that an allocation seen only on another machine says where it came
 * from.  Under ASan the caller is not known and the total must stay
 * within LIBRARY_SETUP; the plain build is the strict one. */
#ifndef LSR_ALLOC_COUNT_H
#define LSR_ALLOC_COUNT_H

#include <dlfcn.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

/* At most this many allocations by the C library over a whole counted
 * run: a lazily made per-thread or per-process structure, which does not
 * grow with the run. */
#define LIBRARY_SETUP 16

static atomic_int counting;
static atomic_ulong allocations;     /* all counted */
static atomic_ulong own_allocations; /* of them, made by the tool's code */

#if defined(__SANITIZE_ADDRESS__)
/* from sanitizer/allocator_interface.h, which Debian's gcc does not ship */
int __sanitizer_install_malloc_and_free_hooks(void (*on_malloc)(const volatile void *, size_t),
                                              void (*on_free)(const volatile void *));

static void on_malloc(const volatile void *p, size_t n)
{
	(void)p;
	(void)n;
	if (atomic_load_explicit(&counting, memory_order_relaxed))
		atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
}

static void on_free(const volatile void *p)
{
	(void)p;
}

static void count_allocations(void)
{
	__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
}

static void print_callers(const char *tool)
{
	(void)tool;
}

static unsigned long library_allocations(void)
{
	return atomic_load(&allocations);
}

/* what the others are, as the verdict says it */
static const char library_words[] = "whose caller ASan does not tell";
#else
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
/* the tool's text, from the GNU linker's default script */
extern char __executable_start[], etext[];

#define CALLERS 16
static struct {
	_Atomic uintptr_t at;
	atomic_ulong n;
	atomic_bool main_thread, other_thread;
} callers[CALLERS];

static void note(void *caller)
{
	if (!atomic_load_explicit(&counting, memory_order_relaxed))
		return;
	atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
	uintptr_t at = (uintptr_t)caller;
	if (at >= (uintptr_t)__executable_start && at < (uintptr_t)etext)
		atomic_fetch_add_explicit(&own_allocations, 1, memory_order_relaxed);
	bool main_thread = gettid() == getpid();
	for (int i = 0; i < CALLERS; i++) {
		uintptr_t none = 0;
		if (atomic_load(&callers[i].at) == at ||
		    atomic_compare_exchange_strong(&callers[i].at, &none, at) ||
		    none == at) {
			atomic_fetch_add(&callers[i].n, 1);
			atomic_store(main_thread ? &callers[i].main_thread : &callers[i].other_thread, true);
			return;
		}
	}
}

void *malloc(size_t n)
{
	note(__builtin_extract_return_addr(__builtin_return_address(0)));
	return __libc_malloc(n);
}

void *calloc(size_t a, size_t b)
{
	note(__builtin_extract_return_addr(__builtin_return_address(0)));
	return __libc_calloc(a, b);
}

void *realloc(void *p, size_t n)
{
	note(__builtin_extract_return_addr(__builtin_return_address(0)));
	return __libc_realloc(p, n);
}

void free(void *p)
{
	__libc_free(p);
}

static void count_allocations(void)
{
}

/* Each caller as file+offset (for addr2line) and its nearest symbol. */
static void print_callers(const char *tool)
{
	for (int i = 0; i < CALLERS && callers[i].at; i++) {
		uintptr_t at = callers[i].at;
		Dl_info d = { 0 };
		bool named = dladdr((void *)at, &d) != 0;
		fprintf(stderr, "%s: %lu allocation(s) from %s+0x%lx (%s) on %s%s%s\n", tool,
		        (unsigned long)callers[i].n, named && d.dli_fname ? d.dli_fname : "?",
		        (unsigned long)(at - (named ? (uintptr_t)d.dli_fbase : 0)),
		        named && d.dli_sname ? d.dli_sname : "no symbol",
		        callers[i].main_thread ? "the main thread" : "",
		        callers[i].main_thread && callers[i].other_thread ? " and " : "",
		        callers[i].other_thread ? "a helper thread" : "");
	}
}

static unsigned long library_allocations(void)
{
	return atomic_load(&allocations) - atomic_load(&own_allocations);
}

static const char library_words[] = "inside C library calls";
#endif

/* 0 when nothing of the tool's own allocated while counting and the C
 * library no more than LIBRARY_SETUP; otherwise says what and where. */
static int allocation_verdict(const char *tool)
{
	unsigned long own = atomic_load(&own_allocations), lib = library_allocations();
	if (own || lib)
		print_callers(tool);
	if (own) {
		fprintf(stderr, "%s: %lu allocation(s) by lsrmon's code after its constructor\n", tool,
		        own);
		return 1;
	}
	if (lib > LIBRARY_SETUP) {
		fprintf(stderr, "%s: %lu allocation(s) %s: more than a one-time setup (%d)\n", tool,
		        lib, library_words, LIBRARY_SETUP);
		return 1;
	}
	if (lib)
		fprintf(stderr, "%s: %lu allocation(s) %s, a one-time setup (at most %d allowed)\n",
		        tool, lib, library_words, LIBRARY_SETUP);
	return 0;
}

#endif
