#ifndef DPSENROLL_SYS_SIGNALS_H
#define DPSENROLL_SYS_SIGNALS_H

/* Sends sig to handler, which only notes it (a flag the loop reads): no
 * other signal is held back while it runs, and a system call it
 * interrupts returns EINTR rather than going on, so a wait ends. */
void signal_catch(int sig, void (*handler)(int));

#endif
