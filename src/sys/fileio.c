/* O_TMPFILE, linkat with AT_SYMLINK_FOLLOW */
#define _GNU_SOURCE
#include "sys/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/strbuf.h"
#include "base/xalloc.h"

enum { READ_CHUNK = 4096 };

char *
fd_read_all(int fd, size_t max, size_t *len)
{
	struct strbuf b = STRBUF_SECRET;
	for (;;) {
		strbuf_reserve(&b, READ_CHUNK);
		ssize_t got = read(fd, b.s + b.len, b.cap - b.len - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 || (max && b.len + (size_t)got > max)) {
			int saved = got < 0 ? errno : EFBIG;
			strbuf_free(&b);
			errno = saved;
			return NULL;
		}
		if (got == 0)
			break;
		b.len += (size_t)got;
		b.s[b.len] = '\0';
	}
	if (len)
		*len = b.len;
	return strbuf_take(&b);
}

char *
file_read_all(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char *text = fd_read_all(fd, 0, len);
	int saved = errno;
	close(fd);
	errno = saved;
	return text;
}

static bool
write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		data += n;
		len -= (size_t)n;
	}
	return true;
}

/* The folder holding `path`, fsync'd so the rename itself is durable. */
static void
sync_parent(const char *path)
{
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* PATH.XXXXXX's six letters. */
enum { TEMP_SUFFIX = 6 };

struct atomic_file {
	char *path;
	char *tmp;	/* the named temporary file, or NULL with O_TMPFILE */
	int fd;
	bool failed;
	int error;
};

static const char temp_letters[] =
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

bool
file_is_atomic_temp(const char *name, const char *target)
{
	size_t n = strlen(target);
	if (strncmp(name, target, n) != 0 || name[n] != '.' ||
	    strlen(name + n + 1) != TEMP_SUFFIX)
		return false;
	return strspn(name + n + 1, temp_letters) == TEMP_SUFFIX;
}

static char *
parent_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* A file in the folder of `path` with no name, whose name can be given
 * later through /proc/self/fd (linkat). -1 where either is missing. */
static int
open_unnamed(const char *path, mode_t mode)
{
#ifdef O_TMPFILE
	char *dir = parent_of(path);
	int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode & 0600);
	free(dir);
	if (fd < 0)
		return -1;
	char link[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if (access(link, F_OK) != 0) {
		close(fd);
		return -1;
	}
	return fd;
#else
	(void)path;
	(void)mode;
	return -1;
#endif
}

struct atomic_file *
atomic_file_open(const char *path, mode_t mode, char **why)
{
	struct atomic_file *f = xcalloc(1, sizeof(*f));
	f->path = xstrdup(path);
	f->fd = open_unnamed(path, mode);
	if (f->fd < 0) {
		/* mkstemp: a fresh name made with O_EXCL and mode 0600, so
		 * nobody can plant a link under a name we would predict, nor
		 * read it early. */
		f->tmp = xasprintf("%s.XXXXXX", path);
		f->fd = mkstemp(f->tmp);
	}
	if (f->fd < 0 || fchmod(f->fd, mode) != 0) {
		*why = xasprintf(_("cannot write %s: %s"), path, strerror(errno));
		atomic_file_abort(f);
		return NULL;
	}
	return f;
}

bool
atomic_file_write(struct atomic_file *f, const void *data, size_t len,
		  char **why)
{
	if (!f->failed && !write_all(f->fd, data, len)) {
		f->failed = true;
		f->error = errno ? errno : EIO;
	}
	if (f->failed)
		*why = xasprintf(_("cannot write %s: %s"), f->path,
				 strerror(f->error));
	return !f->failed;
}

/* Gives the unnamed file a fresh name beside `path`, which rename then
 * moves over it: linkat cannot replace a file. */
static bool
name_unnamed(struct atomic_file *f)
{
	char link[64];
	snprintf(link, sizeof(link), "/proc/self/fd/%d", f->fd);
	for (int tries = 0; tries < 100; tries++) {
		unsigned char r[TEMP_SUFFIX];
		if (getentropy(r, sizeof(r)) != 0)
			return false;
		char suffix[TEMP_SUFFIX + 1];
		for (int i = 0; i < TEMP_SUFFIX; i++)
			suffix[i] = temp_letters[r[i] % (sizeof(temp_letters) - 1)];
		suffix[TEMP_SUFFIX] = '\0';
		free(f->tmp);
		f->tmp = xasprintf("%s.%s", f->path, suffix);
		if (linkat(AT_FDCWD, link, AT_FDCWD, f->tmp,
			   AT_SYMLINK_FOLLOW) == 0)
			return true;
		if (errno != EEXIST)
			break;
	}
	free(f->tmp);
	f->tmp = NULL;
	return false;
}

bool
atomic_file_commit(struct atomic_file *f, char **why)
{
	bool named = f->tmp != NULL;
	bool ok = !f->failed && fsync(f->fd) == 0;
	if (ok && !named)
		ok = name_unnamed(f);
	if (ok && rename(f->tmp, f->path) != 0)
		ok = false;
	int saved = f->failed ? f->error : errno;
	if (close(f->fd) != 0 && ok) {
		ok = false;
		saved = errno;
	}
	f->fd = -1;
	if (ok) {
		sync_parent(f->path);
		free(f->tmp);
		f->tmp = NULL;
	} else {
		*why = xasprintf(_("cannot write %s: %s"), f->path, strerror(saved));
	}
	atomic_file_abort(f);
	return ok;
}

void
atomic_file_abort(struct atomic_file *f)
{
	if (!f)
		return;
	if (f->fd >= 0)
		close(f->fd);
	if (f->tmp)
		unlink(f->tmp);
	free(f->tmp);
	free(f->path);
	free(f);
}

bool
file_write_atomic(const char *path, const void *data, size_t len,
		  mode_t mode, char **why)
{
	struct atomic_file *f = atomic_file_open(path, mode, why);
	if (!f)
		return false;
	if (!atomic_file_write(f, data, len, why)) {
		atomic_file_abort(f);
		return false;
	}
	return atomic_file_commit(f, why);
}

bool
dir_make(const char *path, mode_t mode, char **why)
{
	char *p = xstrdup(path);
	for (char *s = p + 1;; s++) {
		char c = *s;
		if (c != '/' && c != '\0')
			continue;
		*s = '\0';
		if (mkdir(p, mode) != 0 && errno != EEXIST) {
			*why = xasprintf(_("cannot create folder %s: %s"), p,
					 strerror(errno));
			free(p);
			return false;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		*why = xasprintf(_("%s is not a folder"), path);
		return false;
	}
	return true;
}
