/* tests/unit/source_pump.h — pumping a replay source as the loop does. */
#ifndef LSR_TEST_SOURCE_PUMP_H
#define LSR_TEST_SOURCE_PUMP_H

#include <check.h>
#include <poll.h>

#include "source.h"

/* One pump at time now: when the pump asks to wait for its fd (the
 * decoding thread has not caught up), wait for it, then pump again. */
static inline int pump_at(struct lsr_source *src, double now, const struct lsr_source_env *env)
{
	for (;;) {
		int ret = src->ops->pump(src->st, now, env);
		int fd = src->ops->poll_fd(src->st);
		if (ret != -1 || fd < 0)
			return ret;
		struct pollfd p = { fd, POLLIN, 0 };
		ck_assert_int_eq(poll(&p, 1, 10000), 1);
	}
}

#endif
