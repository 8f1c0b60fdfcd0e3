/* A manufacturing file for `dpsenroll import`: CSV records, the first as
 * the header of field paths, the others as cells over an empty template,
 * as the import reads them. */

#include <stdlib.h>

#include "base/csv.h"
#include "model/import_row.h"
#include "tests/fuzz/fuzz.h"

static void
cells(const struct import_columns *cols, const struct csv_record *rec)
{
	struct doc *d = doc_new();
	struct findings fs;
	findings_init(&fs);
	for (size_t i = 0; i < rec->count && i < cols->count; i++)
		import_cell_set(d, &cols->items[i], rec->fields[i], &fs);
	for (size_t i = 0; i < fs.count; i++)
		(void)import_column_of(cols, fs.items[i].path);
	findings_clear(&fs);
	doc_free(d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv_reader r;
	struct csv_record rec = { 0 };
	struct import_columns cols = { 0 };
	struct findings fs;
	findings_init(&fs);
	char *why = NULL;
	csv_reader_init(&r, (const char *)data, size);
	bool header = true;
	while (csv_next(&r, &rec, &why) == CSV_RECORD) {
		if (header)
			import_columns_read(rec.fields, rec.count, &cols, &fs);
		else
			cells(&cols, &rec);
		header = false;
	}
	free(why);
	csv_record_clear(&rec);
	import_columns_clear(&cols);
	findings_clear(&fs);
	return 0;
}
