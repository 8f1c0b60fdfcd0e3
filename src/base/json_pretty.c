#include "base/json_pretty.h"

#include <stdbool.h>
#include <stdlib.h>

#include "base/strbuf.h"

static void
add_compact(struct strbuf *b, const cJSON *v)
{
	char *s = cJSON_PrintUnformatted(v);
	strbuf_add(b, s ? s : "null");
	cJSON_free(s);
}

static void
add_newline(struct strbuf *b, int level)
{
	strbuf_add(b, "\n");
	for (int i = 0; i < level; i++)
		strbuf_add(b, "  ");
}

static void
add_key(struct strbuf *b, const char *key)
{
	cJSON *k = cJSON_CreateString(key);
	add_compact(b, k);
	cJSON_Delete(k);
	strbuf_add(b, ": ");
}

static void
add_pretty(struct strbuf *b, const cJSON *v, int level)
{
	bool obj = cJSON_IsObject(v);
	if ((!obj && !cJSON_IsArray(v)) || !v->child) {
		add_compact(b, v);
		return;
	}
	strbuf_add(b, obj ? "{" : "[");
	for (const cJSON *c = v->child; c; c = c->next) {
		add_newline(b, level + 1);
		if (obj)
			add_key(b, c->string ? c->string : "");
		add_pretty(b, c, level + 1);
		if (c->next)
			strbuf_add(b, ",");
	}
	add_newline(b, level);
	strbuf_add(b, obj ? "}" : "]");
}

char *
json_pretty(const cJSON *v)
{
	struct strbuf b = STRBUF_INIT;
	add_pretty(&b, v, 0);
	return strbuf_take(&b);
}

char *
json_pretty_spaced(const cJSON *v)
{
	char *text = cJSON_Print(v);
	for (char *p = text; p && *p; p++)
		if (*p == '\t')
			*p = ' ';
	return text;
}
