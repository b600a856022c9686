/* src/ui/term.c — everything curses: start/stop, colour pairs per role (or
 * attributes when monochrome / NO_COLOR), UTF-8, key decoding, and the
 * terminal restored if the process dies on a fatal signal. */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keys.h"
#include "term.h"

/* setupterm, last: its capability macros (lines, columns, …) would
 * rename our headers' words; the path keeps it apart from our term.h. */
#include <ncursesw/term.h>

struct lsr_term {
	SCREEN *scr;
	bool utf8, color, can_flash;
	int saved_stderr;
};

/* The one terminal in use, for the fatal-signal handler. */
static struct lsr_term *active;
/* SIGWINCH seen but KEY_RESIZE not read yet: ncurses only queues it for
 * the next getch, which the loop makes only when stdin is readable. */
static volatile sig_atomic_t winch_seen;
static struct sigaction curses_winch;

static void on_winch(int sig)
{
	winch_seen = 1;
	if (curses_winch.sa_handler != SIG_DFL && curses_winch.sa_handler != SIG_IGN &&
	    !(curses_winch.sa_flags & SA_SIGINFO))
		curses_winch.sa_handler(sig);
}

bool lsr_term_resize_pending(void) { return winch_seen != 0; }
static const int fatal_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };

static void restore(void)
{
	if (!active)
		return;
	endwin();
	if (active->saved_stderr >= 0)
		dup2(active->saved_stderr, STDERR_FILENO);
}

/* Not async-signal-safe in theory, but the alternative is a dead
 * terminal in raw mode in front of the surgeon; htop does the same. */
static void on_fatal(int sig)
{
	restore();
	active = NULL;
	signal(sig, SIG_DFL);
	raise(sig);
}

static int pair_of(int color) { return 1 + color; }
/* Reverse video (banners, tags) of a role: its colour behind text of a
 * fixed contrasting colour.  Reversing a foreground-only pair would put the
 * terminal's own background colour on the role's: white on yellow, which
 * nobody reads, on a terminal with a white background. */
static int pair_of_reverse(int color) { return 1 + LSR_COLOR_COUNT + color; }

/* The nearest of the 8 basic colours to a colour number (a layout may give
 * an xterm 256-colour one, 0-255): what a terminal with fewer colours shows
 * instead, and what the reverse pair's contrast is judged on.  A cube
 * component counts from its third level (135 of 255), so the amber the
 * layouts use for yellow stays yellow, not red. */
static short basic_of(short c)
{
	if (c < 16)
		return c % 8;
	if (c >= 232)
		return c < 244 ? COLOR_BLACK : COLOR_WHITE;
	int i = c - 16, r = i / 36, g = i / 6 % 6, b = i % 6;
	return (short)((r >= 2 ? COLOR_RED : 0) | (g >= 2 ? COLOR_GREEN : 0) | (b >= 2 ? COLOR_BLUE : 0));
}

static short contrast(short fg)
{
	short b = basic_of(fg);
	return b == COLOR_YELLOW || b == COLOR_GREEN || b == COLOR_CYAN || b == COLOR_WHITE
	       ? COLOR_BLACK : COLOR_WHITE;
}

static void init_colors(struct lsr_term *t, const short *fg)
{
	if (!t->color || start_color() == ERR) {
		t->color = false;
		return;
	}
	use_default_colors();
	/* Foreground only: every role on the terminal's own background. */
	for (int c = 0; c < LSR_COLOR_COUNT; c++) {
		short f = fg[c] < 0 ? -1 : fg[c] < COLORS ? fg[c] : basic_of(fg[c]);
		init_pair((short)pair_of(c), f, -1);
		init_pair((short)pair_of_reverse(c), f, f >= 0 ? contrast(f) : -1);
	}
}

int lsr_term_check(char *err, size_t errlen)
{
	const char *name = getenv("TERM");
	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC), e = 0;
	if (fd < 0) {
		snprintf(err, errlen, "/dev/null: %s", strerror(errno));
		return -1;
	}
	/* setupterm on /dev/null: terminfo is read, nothing is sent. */
	int rc = setupterm(NULL, fd, &e);
	const char *cup = rc == OK ? tigetstr("cup") : NULL;
	bool ok = cup && cup != (char *)-1;
	if (rc == OK)
		del_curterm(cur_term);
	close(fd);
	if (ok)
		return 0;
	snprintf(err, errlen, "TERM=%s: %s; the screen needs one that can move the "
	         "cursor (or run with --headless for JSON Lines)", name ? name : "",
	         rc == OK ? "this terminal cannot address the cursor" : "a terminal terminfo does not know");
	return -1;
}

struct lsr_term *lsr_term_open(const short *fg, bool no_color, const char *log_path,
                               char *err, size_t errlen)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen, "the screen needs a terminal (use --headless otherwise)");
		return NULL;
	}
	struct lsr_term *t = calloc(1, sizeof *t);
	if (!t) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	t->saved_stderr = -1;
	/* Only the character type: numbers in files, reports and prompts stay
	 * in the C locale's format whatever LC_NUMERIC says. */
	setlocale(LC_CTYPE, "");
	const char *cs = nl_langinfo(CODESET);
	t->utf8 = cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
	/* Library messages must never land on the screen. */
	int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", log_path, strerror(errno));
		free(t);
		return NULL;
	}
	t->saved_stderr = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	dup2(fd, STDERR_FILENO);
	close(fd);
	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	t->scr = newterm(NULL, stdout, stdin);
	if (!t->scr) {
		if (t->saved_stderr >= 0) {
			dup2(t->saved_stderr, STDERR_FILENO);
			close(t->saved_stderr);
		}
		snprintf(err, errlen, "cannot start the screen (TERM=%s)", getenv("TERM") ? getenv("TERM") : "");
		free(t);
		return NULL;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	leaveok(stdscr, TRUE);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL);
	mouseinterval(0);
	t->color = !no_color && has_colors();
	init_colors(t, fg);
	char *fl = tigetstr("flash");
	t->can_flash = fl && fl != (char *)-1;
	active = t;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_winch;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGWINCH, &sa, &curses_winch);
	for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
		signal(fatal_signals[i], on_fatal);
	return t;
}

void lsr_term_size(const struct lsr_term *t, int *w, int *h)
{
	(void)t;
	*w = COLS;
	*h = LINES;
}

bool lsr_term_utf8(const struct lsr_term *t) { return t->utf8; }

static attr_t attrs_of(const struct lsr_term *t, const struct lsr_cell *cell)
{
	attr_t a = 0;
	if (cell->attr & LSR_A_BOLD)
		a |= A_BOLD;
	if (cell->attr & LSR_A_DIM)
		a |= A_DIM;
	if (cell->attr & LSR_A_REVERSE)
		a |= A_REVERSE;
	/* The latest trace bright, earlier sweeps and the graticule faint,
	 * in colour and in monochrome alike. */
	if (cell->color == LSR_COLOR_STACK || cell->color == LSR_COLOR_GRID)
		a |= A_DIM;
	if (cell->color == LSR_COLOR_TRACE || (!t->color && cell->color == LSR_COLOR_ONSET))
		a |= A_BOLD;
	if (!t->color && cell->color == LSR_COLOR_BURST)
		a |= A_REVERSE; /* bursts stand out without colour too */
	return a;
}

void lsr_term_blit(struct lsr_term *t, const struct lsr_canvas *c, struct lsr_rect r)
{
	for (int y = r.y; y < r.y + r.h && y < c->h && y < LINES; y++)
		for (int x = r.x; x < r.x + r.w && x < c->w && x < COLS; x++) {
			const struct lsr_cell *cell = &c->cells[y * c->w + x];
			attr_t a = attrs_of(t, cell);
			short pair = !t->color ? 0 : (short)(cell->attr & LSR_A_REVERSE ? pair_of_reverse(cell->color)
			                                                                 : pair_of(cell->color));
			if (t->utf8) {
				wchar_t wc[2] = { (wchar_t)cell->ch, 0 };
				cchar_t cc;
				setcchar(&cc, wc, a, pair, NULL);
				mvadd_wch(y, x, &cc);
			} else {
				mvaddch(y, x, (chtype)(cell->ch < 0x80 ? cell->ch : '?') | a | COLOR_PAIR(pair));
			}
		}
	wnoutrefresh(stdscr);
}

void lsr_term_flush(struct lsr_term *t)
{
	(void)t;
	doupdate();
}

void lsr_term_bell(struct lsr_term *t)
{
	beep();
	if (t->can_flash)
		flash();
}

static int map_fn(int k)
{
	switch (k) {
	case KEY_LEFT: return LSR_KEY_LEFT;
	case KEY_RIGHT: return LSR_KEY_RIGHT;
	case KEY_UP: return LSR_KEY_UP;
	case KEY_DOWN: return LSR_KEY_DOWN;
	case KEY_PPAGE: return LSR_KEY_PGUP;
	case KEY_NPAGE: return LSR_KEY_PGDN;
	case KEY_ENTER: return LSR_KEY_ENTER;
	case KEY_BACKSPACE: return LSR_KEY_BACKSPACE;
	case KEY_RESIZE: winch_seen = 0; return LSR_TERM_RESIZE;
	default: return LSR_TERM_NONE - 1; /* ignored */
	}
}

int lsr_term_key(struct lsr_term *t, int *x, int *y)
{
	(void)t;
	for (;;) {
		wint_t wc;
		int r = get_wch(&wc);
		if (r == ERR)
			return LSR_TERM_NONE;
		if (r == KEY_CODE_YES) {
			if (wc == KEY_MOUSE) {
				MEVENT ev;
				if (getmouse(&ev) == OK && (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED))) {
					*x = ev.x;
					*y = ev.y;
					return LSR_TERM_CLICK;
				}
				continue;
			}
			int k = map_fn((int)wc);
			if (k != LSR_TERM_NONE - 1)
				return k;
			continue;
		}
		switch (wc) {
		case 27: return LSR_KEY_ESC;
		case '\t': return LSR_KEY_TAB;
		case '\r': case '\n': return LSR_KEY_ENTER;
		case 127: case 8: return LSR_KEY_BACKSPACE;
		default: return (int)wc;
		}
	}
}

void lsr_term_close(struct lsr_term *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < sizeof fatal_signals / sizeof fatal_signals[0]; i++)
		signal(fatal_signals[i], SIG_DFL);
	sigaction(SIGWINCH, &curses_winch, NULL);
	restore();
	active = NULL;
	delscreen(t->scr);
	if (t->saved_stderr >= 0)
		close(t->saved_stderr);
	free(t);
}
