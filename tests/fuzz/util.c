/* nftw() is XSI. */
#define _XOPEN_SOURCE 700

#include "tests/fuzz/fuzz.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/xalloc.h"

char *
fuzz_text(const uint8_t *data, size_t size)
{
	char *s = xmalloc(size + 1);
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static char dir_buf[64];

static int
remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	if (remove(path) != 0)
		fprintf(stderr, "fuzz: could not remove %s\n", path);
	return 0;
}

static void
remove_dir(void)
{
	nftw(dir_buf, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *
fuzz_dir(void)
{
	if (!dir_buf[0]) {
		const char *tmp = getenv("TMPDIR");
		snprintf(dir_buf, sizeof(dir_buf), "%s/dpsfuzz.XXXXXX",
			 tmp && *tmp == '/' && strlen(tmp) < 40 ? tmp : "/tmp");
		if (!mkdtemp(dir_buf)) {
			perror("fuzz: mkdtemp");
			abort();
		}
		atexit(remove_dir);
	}
	return dir_buf;
}

char *
fuzz_path(const char *name)
{
	return xasprintf("%s/%s", fuzz_dir(), name);
}

void
fuzz_write_file(const char *path, const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		perror(path);
		abort();
	}
	size_t done = 0;
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);
		if (n <= 0) {
			perror(path);
			abort();
		}
		done += (size_t)n;
	}
	close(fd);
}
