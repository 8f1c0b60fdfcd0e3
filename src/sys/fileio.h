#ifndef DPSENROLL_SYS_FILEIO_H
#define DPSENROLL_SYS_FILEIO_H

/* Small file operations the programs share: whole-file reads, and writes
 * that either land complete or not at all (temp file, fsync, rename), with
 * the mode set before any byte is written so secrets are never readable by
 * others, not even for a moment. */

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* The whole file, NUL-terminated (*len without the NUL, may be NULL).
 * NULL with errno set when it cannot be read. The caller frees. */
char *file_read_all(const char *path, size_t *len);

/* The same for what `fd` holds from where it stands to its end (a pipe,
 * standard input); `fd` stays open. With `max` not 0, NULL with errno
 * EFBIG as soon as more than `max` bytes came. What was read may be a key:
 * no copy of it is left behind in freed memory. */
char *fd_read_all(int fd, size_t max, size_t *len);

/* Writes `len` bytes to `path` atomically with `mode`. False with *why
 * (owned) naming the file and the reason. */
bool file_write_atomic(const char *path, const void *data, size_t len,
		       mode_t mode, char **why);

/* mkdir -p with `mode` for the folders it makes. */
bool dir_make(const char *path, mode_t mode, char **why);

#endif
