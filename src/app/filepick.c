#include "app/filepick.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/state.h"
#include "base/array.h"
#include "base/i18n.h"
#include "base/str.h"
#include "base/xalloc.h"
#include "sys/fileio.h"

/* ---- what a field takes ---- */

static const char *const cert_exts[] = { ".pem", ".crt", ".cer", ".der",
					 NULL };
/* tpm2_readpublic writes .pub or .tss (TPM2B_PUBLIC), a PEM key is .pem,
 * and raw dumps are often .bin. */
static const char *const tpm_exts[] = { ".pub", ".tss", ".pem", ".bin",
					NULL };

const char *
file_kind_text(enum file_kind k)
{
	switch (k) {
	case FILES_CERTIFICATE:
		return _("certificates (.pem .crt .cer .der)");
	case FILES_TPM_KEY:
		return _("TPM keys (.pub .tss .pem .bin)");
	case FILES_ANY:
		break;
	}
	return _("all files");
}

bool
file_kind_takes(enum file_kind k, const char *name)
{
	const char *const *exts = k == FILES_CERTIFICATE ? cert_exts
				: k == FILES_TPM_KEY ? tpm_exts : NULL;
	if (!exts)
		return true;
	for (; *exts; exts++)
		if (name_has_extension(name, *exts, true))
			return true;
	return false;
}

/* ---- typed paths ---- */

/* Appends `part` (not NUL-terminated, `n` bytes) as the next component
 * of the absolute path in `out`, applying "." and "..". */
static void
push_component(char *out, size_t *len, const char *part, size_t n)
{
	if (n == 0 || (n == 1 && part[0] == '.'))
		return;
	if (n == 2 && part[0] == '.' && part[1] == '.') {
		while (*len > 0 && out[*len - 1] != '/')
			(*len)--;
		if (*len > 0)
			(*len)--;	/* the '/' before the dropped name */
		out[*len] = '\0';
		return;
	}
	out[(*len)++] = '/';
	memcpy(out + *len, part, n);
	*len += n;
	out[*len] = '\0';
}

static char *
normalise(const char *path)
{
	char *out = xmalloc(strlen(path) + 2);
	size_t len = 0;
	out[0] = '\0';
	for (const char *p = path; *p;) {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		push_component(out, &len, p, n);
		p += n;
		while (*p == '/')
			p++;
	}
	if (len == 0)
		strcpy(out, "/");
	return out;
}

static bool
is_home_form(const char *typed)
{
	return typed[0] == '~' && (typed[1] == '\0' || typed[1] == '/');
}

char *
path_resolve(const char *typed, const char *base)
{
	char *joined;
	if (is_home_form(typed)) {
		const char *home = getenv("HOME");
		joined = xasprintf("%s/%s", home && *home ? home : "/", typed + 1);
	} else if (typed[0] == '/') {
		joined = xstrdup(typed);
	} else {
		joined = xasprintf("%s/%s", base, typed);
	}
	char *path = normalise(joined);
	free(joined);
	return path;
}

void
path_split(const char *typed, const char *base, char **dir,
	   const char **prefix)
{
	const char *slash = strrchr(typed, '/');
	if (!slash && is_home_form(typed)) {
		*dir = path_resolve(typed, base);
		*prefix = typed + strlen(typed);
		return;
	}
	if (!slash) {
		*dir = xstrdup(base);
		*prefix = typed;
		return;
	}
	char *folder = xstrndup(typed, (size_t)(slash - typed) + 1);
	*dir = path_resolve(folder, base);
	free(folder);
	*prefix = slash + 1;
}

/* ---- listing a folder ---- */

static void
add_item(struct dir_list *l, const char *name, bool dir)
{
	l->items = array_grow(l->items, l->count, &l->cap, sizeof(*l->items));
	l->items[l->count++] = (struct dir_entry){ xstrdup(name), dir };
}

static int
compare_items(const void *x, const void *y)
{
	const struct dir_entry *a = x, *b = y;
	bool a_up = strcmp(a->name, "..") == 0, b_up = strcmp(b->name, "..") == 0;
	if (a_up != b_up)
		return a_up ? -1 : 1;
	if (a->dir != b->dir)
		return a->dir ? -1 : 1;
	return strcmp(a->name, b->name);
}

static bool
is_folder(const char *dir, const char *name)
{
	char *path = xasprintf("%s/%s", dir, name);
	struct stat st;
	bool d = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	free(path);
	return d;
}

/* Hidden names wait until a '.' is typed; ".." is always there. */
static bool
listed(const char *name, const char *prefix)
{
	if (strcmp(name, ".") == 0)
		return false;
	if (name[0] == '.' && prefix[0] != '.' && strcmp(name, "..") != 0)
		return false;
	return strncmp(name, prefix, strlen(prefix)) == 0;
}

bool
dir_list_read(const char *dir, const char *prefix, enum file_kind k,
	      bool all, struct dir_list *out, char **why)
{
	memset(out, 0, sizeof(*out));
	DIR *d = opendir(dir);
	if (!d) {
		*why = xasprintf("cannot open %s: %s", dir, strerror(errno));
		return false;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!listed(e->d_name, prefix))
			continue;
		bool folder = is_folder(dir, e->d_name);
		if (!folder && !all && !file_kind_takes(k, e->d_name)) {
			out->others++;
			continue;
		}
		add_item(out, e->d_name, folder);
	}
	closedir(d);
	if (out->count)
		qsort(out->items, out->count, sizeof(*out->items), compare_items);
	return true;
}

void
dir_list_clear(struct dir_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i].name);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* ---- completion ---- */

/* Bytes that `a` and `b` share at their start, cut back to a whole
 * UTF-8 character. */
static size_t
shared_start(const char *a, const char *b)
{
	size_t n = 0;
	while (a[n] && a[n] == b[n])
		n++;
	while (n > 0 && ((unsigned char)a[n] & 0xC0) == 0x80)
		n--;
	return n;
}

char *
path_complete(const char *typed, const char *base, enum file_kind k,
	      bool all)
{
	char *dir, *why = NULL;
	const char *prefix;
	path_split(typed, base, &dir, &prefix);
	struct dir_list l;
	bool ok = dir_list_read(dir, prefix, k, all, &l, &why);
	free(dir);
	free(why);
	const struct dir_entry *first = NULL;
	size_t common = 0, matches = 0;
	for (size_t i = 0; ok && i < l.count; i++) {
		if (strcmp(l.items[i].name, "..") == 0)
			continue;
		if (!first) {
			first = &l.items[i];
			common = strlen(first->name);
		} else {
			size_t n = shared_start(first->name, l.items[i].name);
			common = n < common ? n : common;
		}
		matches++;
	}
	char *out = first
		? xasprintf("%.*s%.*s%s", (int)(prefix - typed), typed,
			    (int)common, first->name,
			    matches == 1 && first->dir ? "/" : "")
		: xstrdup(typed);
	dir_list_clear(&l);
	return out;
}

/* ---- the last folder ---- */

static char *
last_folder_path(void)
{
	char *dir = state_dir();
	char *path = xasprintf("%s/last-folder", dir);
	free(dir);
	return path;
}

char *
last_folder_load(void)
{
	char *path = last_folder_path();
	char *text = file_read_all(path, NULL);
	free(path);
	if (!text)
		return NULL;
	text[strcspn(text, "\n")] = '\0';
	struct stat st;
	if (text[0] != '/' || stat(text, &st) != 0 || !S_ISDIR(st.st_mode)) {
		free(text);
		return NULL;
	}
	return text;
}

bool
last_folder_save(const char *dir, char **why)
{
	char *state = state_dir_make(why);
	if (!state)
		return false;
	free(state);
	char *path = last_folder_path();
	char *text = xasprintf("%s\n", dir);
	bool ok = file_write_atomic(path, text, strlen(text), 0600, why);
	free(text);
	free(path);
	return ok;
}
