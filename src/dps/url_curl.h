#ifndef DPSENROLL_DPS_URL_CURL_H
#define DPSENROLL_DPS_URL_CURL_H

/* libcurl's URL API as the URL splitter of base/url.h. Programs install it
 * at start; libcurl itself is loaded on first use (curl_lazy.c). */

void url_curl_install(void);

#endif
