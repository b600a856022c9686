/* src/source/source_gen.h — a generator driver (the simulated patient) as a source. */
#ifndef LSR_SOURCE_GEN_H
#define LSR_SOURCE_GEN_H

#include <stddef.h>

#include "source.h"

/* speed: 0 = as fast as possible.  NULL with a message on bad options. */
struct lsr_source *lsr_source_gen_new(const struct lsr_driver *drv,
                                      const struct lsr_driver_opts *opts,
                                      double speed, double now,
                                      char *err, size_t errlen);

#endif
