/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What update.c lends update_sweep.c: one run of the engine, its
 * outcomes, and the number of sites the registry's chunks hold.  Not
 * part of the core's contract (internal.h): only the registry's files
 * use it.  Every call needs r->lock (ftrace_lock).
 */
#ifndef _FTRACE_CORE_UPDATE_H
#define _FTRACE_CORE_UPDATE_H

#include "internal.h"

int ftrace_reg_run(struct ftrace_registry *r, struct ftrace_site_change *ch,
		   unsigned int nr);
void ftrace_reg_outcomes(struct ftrace_registry *r,
			 const struct ftrace_site_change *ch, unsigned int nr);
unsigned int ftrace_reg_total(struct ftrace_registry *r);

#endif /* _FTRACE_CORE_UPDATE_H */
