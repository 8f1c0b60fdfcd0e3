#ifndef DPSENROLL_EMU_DISPATCH_H
#define DPSENROLL_EMU_DISPATCH_H

#include "emu/emu.h"

/* Answers one parsed request: finds its route, applies what the route's
 * kind needs, and runs the handler under emu->lock. */
void emu_dispatch(struct emu *emu, struct emu_request *req,
		  struct emu_response *resp);

#endif
