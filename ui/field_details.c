#include "ui/field_details.h"

#include <stdlib.h>
#include <string.h>

#include "ui/theme.h"
#include "base/i18n.h"
#include "base/json_pretty.h"
#include "base/xalloc.h"

static const struct form_field *
focused_row(const struct app *a)
{
	const struct form *f = a->form;
	return f->on_section ? NULL : &f->fields[f->focus];
}

bool
field_details_applies(const struct app *a)
{
	const struct form_field *ff = focused_row(a);
	return ff && field_is_readonly(ff->def);
}

void
field_readonly_said(struct app *a)
{
	/* short enough for the status line of an 80-column terminal */
	app_status(a, true, _("Read-only, set by the service; i or Enter shows "
		   "it whole"));
}

/* JSON (a webhook's payload) one member a line; other text as it is. */
static void
add_value_lines(struct text_view *v, const char *text)
{
	cJSON *j = cJSON_Parse(text);
	char *pretty = cJSON_IsObject(j) || cJSON_IsArray(j) ? json_pretty_spaced(j)
							     : NULL;
	cJSON_Delete(j);
	if (!pretty) {
		text_view_add(v, ROLE_POPUP, "%s", text);
		return;
	}
	char *save = NULL;
	for (char *line = strtok_r(pretty, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		text_view_add(v, ROLE_POPUP, "%s", line);
	free(pretty);
}

/* An enum the service set says what its value means. */
static void
add_meaning(struct text_view *v, const struct field_def *d, const char *text)
{
	int k = d->enumdef ? enum_index(d->enumdef, text) : -1;
	if (k >= 0)
		text_view_add(v, ROLE_HELP_TEXT, _("%s: %s"), text,
			      enum_value_help(&d->enumdef->values[k]));
}

static void
add_group_rows(struct text_view *v, const struct app *a, size_t group)
{
	const struct form *f = a->form;
	const char *path = f->fields[group].def->path;
	size_t len = strlen(path);
	for (size_t i = group + 1; i < f->count; i++) {
		const struct form_field *ff = &f->fields[i];
		if (strncmp(ff->def->path, path, len) != 0 ||
		    ff->def->path[len] != '.')
			break;
		if (ff->def->kind == FK_GROUP || !ff->text || !*ff->text)
			continue;
		text_view_add(v, ROLE_POPUP_TITLE, "%s", field_label(ff->def));
		add_value_lines(v, ff->text);
		add_meaning(v, ff->def, ff->text);
	}
}

void
field_details(struct app *a)
{
	const struct form_field *ff = focused_row(a);
	if (!ff)
		return;
	struct text_view *v = text_view_new(field_label(ff->def));
	if (ff->def->kind == FK_GROUP) {
		add_group_rows(v, a, a->form->focus);
	} else {
		add_value_lines(v, ff->text && *ff->text ? ff->text : _("(not set)"));
		add_meaning(v, ff->def, ff->text ? ff->text : "");
	}
	text_view_add(v, ROLE_HELP_TEXT, " ");
	text_view_add(v, ROLE_HELP_TEXT, "%s.", field_help(ff->def));
	text_view_add(v, ROLE_HELP_TEXT, "%s", _("Set by the service: it cannot "
						  "be edited here."));
	text_view_add(v, ROLE_HELP_TEXT, "%s", _("Enter or Esc: close"));
	app_open_modal(a, text_view_modal(v, NULL));
}
