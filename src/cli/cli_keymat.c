#include "cli/cli_keymat.h"

#include <stdio.h>

#include "base/i18n.h"
#include "model/findings.h"
#include "model/keymat.h"

bool
cli_free_of_keys(const struct cli_command *cmd, const cJSON *what)
{
	struct findings fs;
	findings_init(&fs);
	keymat_check_json("", what, &fs);
	for (size_t i = 0; i < fs.count; i++)
		fprintf(stderr, "%s: %s: %s\n",
			*fs.items[i].path ? fs.items[i].path : _("(enrollment)"),
			cli_severity(fs.items[i].severity), fs.items[i].message);
	bool ok = fs.count == 0;
	if (!ok)
		fprintf(stderr, _("dpsenroll %s: not sent: a private key never "
			"leaves the device; take it out of the file\n"),
			cmd->name);
	findings_clear(&fs);
	return ok;
}
