/* libcurl, loaded when it is first needed instead of when dpsenroll
 * starts. Linking it pulls in some 30 libraries (its TLS, LDAP, RTMP and
 * Kerberos dependencies) whose loading would delay the form's first frame
 * by milliseconds and double its memory; the form needs none of it until
 * the worker thread opens a connection. These definitions stand in for
 * the libcurl functions dpsenroll calls and forward to the real ones.
 * dpsemu uses them too, for its one use of libcurl (the URL parser of the
 * webhook URL check); the tests link libcurl as usual. */

#define _GNU_SOURCE	/* program_invocation_short_name */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/i18n.h"

/* ret, name, parameters, arguments */
#define CURL_FUNCTIONS(_) \
	_(CURLcode, curl_global_init, (long flags), (flags)) \
	_(CURL *, curl_easy_init, (void), ()) \
	_(const char *, curl_easy_strerror, (CURLcode c), (c)) \
	_(char *, curl_easy_escape, (CURL *h, const char *s, int n), (h, s, n)) \
	_(char *, curl_easy_unescape, (CURL *h, const char *s, int n, int *out), \
	  (h, s, n, out)) \
	_(struct curl_slist *, curl_slist_append, \
	  (struct curl_slist *l, const char *s), (l, s)) \
	_(CURLM *, curl_multi_init, (void), ()) \
	_(CURLMcode, curl_multi_cleanup, (CURLM *m), (m)) \
	_(CURLMcode, curl_multi_add_handle, (CURLM *m, CURL *h), (m, h)) \
	_(CURLMcode, curl_multi_remove_handle, (CURLM *m, CURL *h), (m, h)) \
	_(CURLMcode, curl_multi_perform, (CURLM *m, int *running), (m, running)) \
	_(CURLMcode, curl_multi_poll, (CURLM *m, struct curl_waitfd *fds, \
	  unsigned n, int ms, int *ret), (m, fds, n, ms, ret)) \
	_(CURLMsg *, curl_multi_info_read, (CURLM *m, int *left), (m, left)) \
	_(CURLU *, curl_url, (void), ()) \
	_(CURLUcode, curl_url_get, (CURLU *u, CURLUPart what, char **part, \
	  unsigned int flags), (u, what, part, flags)) \
	_(CURLUcode, curl_url_set, (CURLU *u, CURLUPart what, const char *part, \
	  unsigned int flags), (u, what, part, flags)) \
	_(const char *, curl_url_strerror, (CURLUcode c), (c))

/* name, parameters, arguments */
#define CURL_VOID_FUNCTIONS(_) \
	_(curl_easy_cleanup, (CURL *h), (h)) \
	_(curl_easy_reset, (CURL *h), (h)) \
	_(curl_free, (void *p), (p)) \
	_(curl_slist_free_all, (struct curl_slist *l), (l)) \
	_(curl_url_cleanup, (CURLU *u), (u))

#define POINTER_MEMBER(ret, name, params, args) ret (*name) params;
#define VOID_POINTER_MEMBER(name, params, args) void (*name) params;
static struct {
	CURL_FUNCTIONS(POINTER_MEMBER)
	CURL_VOID_FUNCTIONS(VOID_POINTER_MEMBER)
	CURLcode (*curl_easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*curl_easy_getinfo)(CURL *, CURLINFO, ...);
} real;
#undef POINTER_MEMBER
#undef VOID_POINTER_MEMBER

static pthread_once_t loaded = PTHREAD_ONCE_INIT;

static void *
need(void *lib, const char *name)
{
	void *p = dlsym(lib, name);
	if (!p) {
		/* TRANSLATORS: %1$s is the program; %2$s, a function of
		 * libcurl. */
		fprintf(stderr, _("%1$s: libcurl has no %2$s; install a current "
				  "libcurl4 package\n"),
			program_invocation_short_name, name);
		exit(3);
	}
	return p;
}

static void
load(void)
{
	void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		/* TRANSLATORS: %1$s is the program; %2$s, the system's
		 * reason. */
		fprintf(stderr, _("%1$s: cannot load libcurl (%2$s); install "
				  "the libcurl4 package\n"),
			program_invocation_short_name, dlerror());
		exit(3);
	}
#define LOAD(ret, name, params, args) *(void **)&real.name = need(lib, #name);
#define LOAD_VOID(name, params, args) *(void **)&real.name = need(lib, #name);
	CURL_FUNCTIONS(LOAD)
	CURL_VOID_FUNCTIONS(LOAD_VOID)
#undef LOAD
#undef LOAD_VOID
	*(void **)&real.curl_easy_setopt = need(lib, "curl_easy_setopt");
	*(void **)&real.curl_easy_getinfo = need(lib, "curl_easy_getinfo");
}

#define FORWARD(ret, name, params, args) \
	ret name params \
	{ \
		pthread_once(&loaded, load); \
		return real.name args; \
	}
#define FORWARD_VOID(name, params, args) \
	void name params \
	{ \
		pthread_once(&loaded, load); \
		real.name args; \
	}
CURL_FUNCTIONS(FORWARD)
CURL_VOID_FUNCTIONS(FORWARD_VOID)
#undef FORWARD
#undef FORWARD_VOID

/* The one argument's type follows from the option's number range, which is
 * how libcurl itself reads it. */
CURLcode
curl_easy_setopt(CURL *h, CURLoption opt, ...)
{
	pthread_once(&loaded, load);
	va_list ap;
	va_start(ap, opt);
	CURLcode rc;
	if (opt < CURLOPTTYPE_OBJECTPOINT)
		rc = real.curl_easy_setopt(h, opt, va_arg(ap, long));
	else if (opt >= CURLOPTTYPE_OFF_T && opt < CURLOPTTYPE_BLOB)
		rc = real.curl_easy_setopt(h, opt, va_arg(ap, curl_off_t));
	else
		rc = real.curl_easy_setopt(h, opt, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

/* Every CURLINFO takes a pointer to where the answer goes. */
CURLcode
curl_easy_getinfo(CURL *h, CURLINFO info, ...)
{
	pthread_once(&loaded, load);
	va_list ap;
	va_start(ap, info);
	CURLcode rc = real.curl_easy_getinfo(h, info, va_arg(ap, void *));
	va_end(ap);
	return rc;
}
