/* tests/tools/oscrecv.c — a liblo TCP receiver for end-to-end scripts:
 * prints its port on the first line, then "B <sec>.<frac>" (hex, as
 * oscdump) for each bundle and "M <path> <types>" for each message, and
 * exits after /lsrmon/end or when nothing arrives for the timeout (s). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lo/lo.h>

static int done;

static int on_msg(const char *path, const char *types, lo_arg **argv, int argc,
                  lo_message m, void *user)
{
	(void)argv;
	(void)argc;
	(void)m;
	(void)user;
	printf("M %s %s\n", path, types);
	if (strcmp(path, "/lsrmon/end") == 0)
		done = 1;
	return 0;
}

static int on_bundle(lo_timetag tt, void *user)
{
	(void)user;
	printf("B %08x.%08x\n", tt.sec, tt.frac);
	return 0;
}

static int on_end(void *user)
{
	(void)user;
	return 0;
}

static void on_error(int num, const char *msg, const char *where)
{
	fprintf(stderr, "oscrecv: liblo error %d: %s (%s)\n", num, msg, where ? where : "");
}

int main(int argc, char **argv)
{
	int timeout_s = argc > 1 ? atoi(argv[1]) : 20;
	lo_server s = lo_server_new_with_proto(NULL, LO_TCP, on_error);
	if (!s)
		return 1;
	lo_server_add_method(s, NULL, NULL, on_msg, NULL);
	lo_server_add_bundle_handlers(s, on_bundle, on_end, NULL);
	printf("%d\n", lo_server_get_port(s));
	fflush(stdout);
	int idle_ms = 0;
	while (!done && idle_ms < timeout_s * 1000) {
		idle_ms = lo_server_recv_noblock(s, 100) > 0 ? 0 : idle_ms + 100;
		fflush(stdout);
	}
	lo_server_free(s);
	return done ? 0 : 2;
}
