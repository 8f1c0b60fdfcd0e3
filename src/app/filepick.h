#ifndef DPSENROLL_APP_FILEPICK_H
#define DPSENROLL_APP_FILEPICK_H

/* What the file browser needs besides drawing: which files a field takes,
 * what a typed name or path means, completing it, the listing of a folder,
 * and the folder it was last in (kept across runs in the state folder). */

#include <stdbool.h>
#include <stddef.h>

enum file_kind {
	FILES_ANY,
	FILES_CERTIFICATE,	/* .pem .crt .cer .der */
	FILES_TPM_KEY,		/* .pub .tss .pem .bin */
};

/* "certificates (.pem .crt .cer .der)"; static text. */
const char *file_kind_text(enum file_kind k);
/* Whether a file called `name` is one the kind takes (by its extension,
 * in any case); FILES_ANY takes every file. */
bool file_kind_takes(enum file_kind k, const char *name);

/* `typed` as an absolute path: "~" and "~/..." start at $HOME, a relative
 * path is taken from `base` (absolute), and ".", ".." and repeated '/'
 * are resolved in the text, so it is the path that will be used whether
 * or not it exists yet. The caller frees. */
char *path_resolve(const char *typed, const char *base);

/* The folder typed text points into and the start of a name in it:
 * "certs/de" from /bench gives /bench/certs and "de"; text without '/'
 * (and not "~") gives `base` and the text. *dir is owned by the caller;
 * *prefix points into `typed`. */
void path_split(const char *typed, const char *base, char **dir,
		const char **prefix);

struct dir_entry {
	char *name;
	bool dir;
};

/* A folder's names that start with a prefix: ".." first, then folders,
 * then files, each sorted. Names starting with '.' only when the prefix
 * does; files only of the kind unless `all`. */
struct dir_list {
	struct dir_entry *items;	/* owned */
	size_t count;
	size_t cap;
	size_t others;		/* files left out because of their kind */
};

/* False with *why (owned) when the folder cannot be read. */
bool dir_list_read(const char *dir, const char *prefix, enum file_kind k,
		   bool all, struct dir_list *out, char **why);
void dir_list_clear(struct dir_list *l);

/* Tab on typed text: extended by what every listed name that matches it
 * shares; one folder gets its '/'. The caller frees; the text is returned
 * unchanged when there is nothing to add. */
char *path_complete(const char *typed, const char *base, enum file_kind k,
		    bool all);

/* The folder the browser was last in: NULL when none was kept or it is
 * no longer a folder. The caller frees. */
char *last_folder_load(void);
/* Keeps `dir` for the next run (mode 0600 in the private state folder).
 * False with *why (owned) when it cannot be written. */
bool last_folder_save(const char *dir, char **why);

#endif
