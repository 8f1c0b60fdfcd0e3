#ifndef DPSENROLL_CLI_KEYMAT_H
#define DPSENROLL_CLI_KEYMAT_H

/* The commands that send enrollments refuse any that holds private key
 * material, whatever the options (--no-validate included): a private key
 * stays on the device. */

#include <stdbool.h>

#include <cjson/cJSON.h>

#include "cli/cli.h"

/* True when nothing in `what` (an enrollment, or a list of them) holds a
 * private key. Otherwise each place is named on stderr, with a line
 * saying nothing was sent. */
bool cli_free_of_keys(const struct cli_command *cmd, const cJSON *what);

#endif
