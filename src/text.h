/* src/text.h — copying text into a fixed-size field. */
#ifndef LSR_TEXT_H
#define LSR_TEXT_H

#include <stddef.h>

/* SRC (NULL: empty) into DST of CAP > 0 bytes, always terminated.  Text
 * that does not fit is cut before the UTF-8 character that would not fit
 * whole, so a cut label is still valid UTF-8 on screen and in files. */
void lsr_text_copy(char *dst, size_t cap, const char *src);

#endif
