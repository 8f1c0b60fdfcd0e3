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

/* The same in steps. Where the file system can (O_TMPFILE), the bytes go
 * to a file with no name until the commit, so a crash before it leaves
 * nothing anyone can open; elsewhere to PATH.XXXXXX (see
 * file_is_atomic_temp), removed on failure but not after a crash. */
struct atomic_file;
/* NULL with *why (owned) when it cannot be made. */
struct atomic_file *atomic_file_open(const char *path, mode_t mode,
				     char **why);
bool atomic_file_write(struct atomic_file *f, const void *data, size_t len,
		       char **why);
/* fsync, then the file takes the name `path` (replacing what was there);
 * `f` is freed either way. */
bool atomic_file_commit(struct atomic_file *f, char **why);
/* Gives up: nothing is left behind. NULL is ignored. */
void atomic_file_abort(struct atomic_file *f);

/* Whether `name` (in the same folder) is a temporary file of `target`
 * (both without folder): TARGET.XXXXXX. */
bool file_is_atomic_temp(const char *name, const char *target);

/* mkdir -p with `mode` for the folders it makes. */
bool dir_make(const char *path, mode_t mode, char **why);

#endif
