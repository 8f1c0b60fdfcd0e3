#ifndef DPSENROLL_CLI_JOURNAL_H
#define DPSENROLL_CLI_JOURNAL_H

/* The network commands' submissions, recorded in the journal. */

#include "cli/cli.h"
#include "dps/client.h"

/* Appends the entry for `operation` on `id` with the answer's outcome.
 * A journal that cannot be written is reported on stderr; the command's
 * result and exit code stay what the service made them. */
void cli_journal_record(const struct cli_command *cmd, const char *operation,
			const char *id, const struct dps_response *r);

#endif
