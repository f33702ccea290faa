/* libFuzzer harness: one document of hull serve's --image-reports
 * directory (a `hull image --format json` report), as the image check
 * indexes it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/images.h"
#include "util/digest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char digest[HULL_IMAGES_DIGEST_MAX];
	struct hull_image_result r;
	struct hull_err err = {0};
	int rc =
	    hull_images_parse_report((const char *)data, size, "report.json", digest, &r, &err);
	char hex[65];
	/* a digest only with a result, always terminated, in bounds and a
	 * valid digest; a refusal names the file */
	if ((rc == 1) != (digest[0] != '\0') || strnlen(digest, sizeof(digest)) == sizeof(digest) ||
	    strnlen(r.created, sizeof(r.created)) == sizeof(r.created) ||
	    (rc == 1 && hull_digest_parse(digest, hex, NULL) < 0) ||
	    (rc < 0 && !strstr(err.msg, "report.json")))
		abort();
	for (int s = 0; s < HULL_SEV_COUNT; s++)
		if (r.by_severity[s] > 1000000000u)
			abort();
	return 0;
}
