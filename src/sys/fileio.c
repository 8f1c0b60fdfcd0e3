#include "sys/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

bool
file_write_atomic(const char *path, const void *data, size_t len,
		  mode_t mode, char **why)
{
	/* mkstemp: a fresh name made with O_EXCL and mode 0600, so nobody can
	 * plant a link under a name we would predict, nor read it early. */
	char *tmp = xasprintf("%s.XXXXXX", path);
	int fd = mkstemp(tmp);
	bool ok = fd >= 0 && fchmod(fd, mode) == 0 && write_all(fd, data, len) &&
		  fsync(fd) == 0;
	int saved = errno;
	if (fd >= 0 && close(fd) != 0 && ok) {
		ok = false;
		saved = errno;
	}
	if (ok && rename(tmp, path) != 0) {
		ok = false;
		saved = errno;
	}
	if (!ok) {
		if (fd >= 0)
			unlink(tmp);
		*why = xasprintf("cannot write %s: %s", path, strerror(saved));
	} else {
		sync_parent(path);
	}
	free(tmp);
	return ok;
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
			*why = xasprintf("cannot create folder %s: %s", p,
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
		*why = xasprintf("%s is not a folder", path);
		return false;
	}
	return true;
}
