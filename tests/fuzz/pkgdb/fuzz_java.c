/* fuzz_java: Java archives. An input starting with the zip magic goes
 * through libarchive and the archive walk (pom.properties, MANIFEST.MF,
 * nested archives, the limits); any other input is read as a digest. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 4 && !memcmp(data, "PK\x03\x04", 4)) {
		char *exact = malloc(size);
		if (!exact)
			return 0;
		memcpy(exact, data, size);
		struct hull_buf d;
		hull_buf_init(&d, 1u << 20);
		struct hull_err err = {0};
		if (hull_java_digest(exact, size, &d, &err) > 0)
			fuzz_parse(hull_java_parse, (const uint8_t *)d.data, d.len, "app/app.jar");
		hull_buf_release(&d);
		free(exact);
		return 0;
	}
	fuzz_parse(hull_java_parse, data, size, "app/app.jar");
	return 0;
}
