/* src/repair.h — lsrmon --repair: a strictly valid copy of an EDF+/BDF+ file
 * whose writer died (the record count taken from the file size, a partial
 * last record completed), for readers as strict as EDFlib. */
#ifndef LSR_REPAIR_H
#define LSR_REPAIR_H

#include <stddef.h>

/* Reads path (never modifies it) and writes <stem>.repaired.<ext> beside it
 * (never replacing an existing file), mode 0600.  A partial last record is
 * completed: each signal's last value held, the Trigger/Status channel 0
 * on the missing instants, and the span marked by an annotation with its
 * duration, "BAD lsrmon crash padding <n> samples" (recnotes.h).
 * Returns 0 with the output's name in out_path and a one-line summary in
 * err; 2 when the input is not a usable EDF/BDF file (the message says
 * what is wrong) or the output exists; 1 on an I/O error. */
int lsr_repair(const char *path, char *out_path, size_t out_len, char *err, size_t errlen);

#endif
