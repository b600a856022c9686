/* drivers/table.c — the explicit table of drivers (no linker tricks) and
 * the helpers every source shares to pick one. */
#include <string.h>

#include "driver.h"
#include "sim.h"

extern const struct lsr_driver lsr_driver_lsrb;
extern const struct lsr_driver lsr_driver_ascii;
extern const struct lsr_driver lsr_driver_openbci;

const struct lsr_driver *const lsr_drivers[] = {
	&lsr_driver_lsrb,
	&lsr_driver_ascii,
	&lsr_driver_openbci,
	&lsr_driver_sim,
	NULL,
};

const struct lsr_driver *lsr_driver_find(const char *name)
{
	for (int i = 0; lsr_drivers[i]; i++)
		if (strcmp(lsr_drivers[i]->name, name) == 0)
			return lsr_drivers[i];
	return NULL;
}

const struct lsr_driver *lsr_driver_for_capture(const char *path)
{
	size_t plen = strlen(path);
	for (int i = 0; lsr_drivers[i]; i++) {
		const char *ext = lsr_drivers[i]->capture_ext;
		size_t elen = ext ? strlen(ext) : 0;
		if (elen && plen > elen && strcmp(path + plen - elen, ext) == 0)
			return lsr_drivers[i];
	}
	return NULL;
}

bool lsr_stream_config_same(const struct lsr_stream_config *a,
                            const struct lsr_stream_config *b)
{
	if (a->rate != b->rate || a->channels != b->channels ||
	    a->format_bits != b->format_bits || a->uv_per_lsb != b->uv_per_lsb)
		return false;
	for (int c = 0; c < a->channels; c++)
		if (strcmp(a->labels[c], b->labels[c]) != 0)
			return false;
	return true;
}

bool lsr_stream_config_simulated(const struct lsr_stream_config *cfg)
{
	return strstr(cfg->device, LSR_SIMULATION_WORD) != NULL;
}
