#ifndef DPSENROLL_FUZZ_H
#define DPSENROLL_FUZZ_H

/* What every fuzz target shares: the libFuzzer entry points, and helpers
 * that turn the fuzzer's bytes into what a parser reads (a C string, a
 * file in a private temporary folder). */

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* `data` as a NUL-terminated string (owned; free it). A NUL inside the
 * input stays there, so the parser sees the text up to it, as it would
 * from a C caller. */
char *fuzz_text(const uint8_t *data, size_t size);

/* A private folder made once per process (removed at exit), and the path
 * of `name` in it (owned). */
const char *fuzz_dir(void);
char *fuzz_path(const char *name);

/* Writes `data` to `path` with mode 0600, replacing it; aborts on error
 * (a harness problem, not a finding). */
void fuzz_write_file(const char *path, const uint8_t *data, size_t size);

#endif
