/* src/main.c — entry point: parse the command line, run the session. */
#include <stdio.h>

int main(void)
{
	return 0;
}
