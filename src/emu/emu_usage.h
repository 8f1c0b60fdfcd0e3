#ifndef DPSENROLL_EMU_USAGE_H
#define DPSENROLL_EMU_USAGE_H

/* What `dpsemu --help` prints: the synopsis, a paragraph, the options
 * (two spaces, the option, two or more spaces, what it does) and a last
 * paragraph. tools/docgen.c reads the options from it for dpsemu.1. */
extern const char emu_usage[];

#endif
