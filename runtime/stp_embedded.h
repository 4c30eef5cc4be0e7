/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stp_embedded.h - the names guru-mode embedded C uses, as SystemTap
 * documents them.  Each embedded-C function is a static C function whose
 * context is `c` and whose caller's location is `where`; the translator
 * #defines STAP_ARG_x, STAP_RETVALUE and STAP_RETURN around each body.
 * Embedded C runs in probe context like any handler: it must not sleep.
 */
#ifndef STP_EMBEDDED_H
#define STP_EMBEDDED_H

#define CONTEXT c

/* Raise a script error (catchable by try/catch) and leave the function. */
#define STAP_ERROR(...) do { stp_errorf(c, where, __VA_ARGS__); goto out; } while (0)

/* Output from embedded C, into the same buffer as print(). */
#define STAP_PRINTF(...) stp_printf(c, __VA_ARGS__)

#endif
