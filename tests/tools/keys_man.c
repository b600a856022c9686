/* tests/tools/keys_man.c — prints the screen's key table as man-page
 * source, for the KEYS section of man/lsrmon.1 (test_keys checks that the
 * page holds exactly this). */
#include <stdio.h>

#include "keys.h"

int main(void)
{
	lsr_keys_write_man(stdout);
	return 0;
}
