/* fuzz_report: every SBOM writer over package data taken from the input.
 *
 * Input: newline-separated fields; the first byte picks the package type,
 * the image format and the distribution's presence, the rest are name,
 * version, arch, source name, source version, licence, file, os id, os
 * version, image name and a warning. Two packages are built (the second a
 * near-copy, to exercise reference de-duplication). Checked properties,
 * which abort on failure:
 *   - every writer succeeds (the inputs are small: no cap is reached);
 *   - every document is valid UTF-8, the JSON ones parse strictly;
 *   - the table holds no control byte but '\n' (and SGR codes with colour);
 *   - a purl holds only the characters the spec allows;
 *   - licence classification is idempotent on its canonical form. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/license.h"
#include "pkgdb/purl.h"
#include "report/report.h"
#include "util/utf8.h"
#include "util/json.h"

#define NFIELDS 12

static void check(int cond)
{
	if (!cond)
		abort();
}

static void check_license(const char *s)
{
	char *canon = NULL;
	int k = hull_license_classify(s, &canon, NULL);
	if (k == HULL_LICENSE_ID || k == HULL_LICENSE_EXPRESSION) {
		char *again = NULL;
		check(hull_license_classify(canon, &again, NULL) == k && !strcmp(again, canon));
		free(again);
	}
	free(canon);
}

static void check_purl(const char *p)
{
	if (!p)
		return;
	check(!strncmp(p, "pkg:", 4));
	for (const char *c = p; *c; c++)
		check(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.-_~%:/"
		             "@?=&#",
		             *c) != NULL);
}

/* Control bytes in a table: none but '\n', and with colour our own SGR
 * sequences (ESC [ digits m). */
static void check_table(const char *t, size_t len, bool color)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)t[i];
		if (ch == 0x1b) {
			check(color && i + 1 < len && t[i + 1] == '[');
			for (i += 2; i < len && ((t[i] >= '0' && t[i] <= '9') || t[i] == ';'); i++)
				;
			check(i < len && t[i] == 'm');
			continue;
		}
		check(ch == '\n' || (ch >= 0x20 && ch != 0x7f));
	}
}

static void render(const struct hull_sbom_input *in, enum hull_sbom_format f)
{
	struct hull_buf out;
	struct hull_err err = {0};
	hull_buf_init(&out, 16u << 20);
	check(hull_report_sbom(f, in, &out, &err) == 0);
	check(hull_utf8_valid(out.data, out.len));
	if (f == HULL_SBOM_TABLE) {
		check_table(out.data, out.len, in->color);
	} else {
		struct json_object *o = NULL;
		check(hull_json_parse(out.data, out.len, "sbom", &o, &err) == 0);
		json_object_put(o);
	}
	hull_buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 1 << 16)
		return 0;
	unsigned sel = data[0];
	char *f[NFIELDS] = {0};
	const char *p = (const char *)data + 1, *end = (const char *)data + size;
	for (int i = 0; i < NFIELDS; i++) {
		const char *nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
		const char *stop = nl ? nl : end;
		f[i] = p <= end ? strndup(p, (size_t)(stop - p)) : strdup("");
		p = nl ? nl + 1 : end;
	}

	struct hull_layer layers[2] = {
	    {.digest = "sha256:"
	               "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	     .diff_id = f[10]},
	    {.digest = NULL, .diff_id = f[11]},
	};
	struct hull_image img = {
	    .format = (enum hull_image_format)((sel >> 3) % 4),
	    .target = f[9],
	    .name = (sel & 0x20) ? f[10] : NULL,
	    .manifest_digest = (sel & 0x40) ? f[11] : NULL,
	    .layers = layers,
	    .nlayers = (sel >> 3) % 4 ? 2 : 0,
	};
	struct hull_pkg pkgs[2];
	for (int k = 0; k < 2; k++) {
		pkgs[k] = (struct hull_pkg){
		    .type = (enum hull_pkg_type)(sel % 5),
		    .name = f[0],
		    .version = f[1],
		    .arch = *f[2] ? f[2] : NULL,
		    .src_name = f[3],
		    .src_version = f[4],
		    .license = f[5],
		    .epoch = (long)(sel % 3) - 1,
		    .rpm_version = f[1],
		    .release = f[4],
		    .file = f[6],
		    .layer = k ? 1 : (int)(sel % 4) - 1,
		};
	}
	struct hull_inventory inv = {.pkgs = pkgs, .npkgs = 2, .cap = 2};
	if (sel & 0x80) {
		inv.os.id = f[7];
		inv.os.version_id = f[8];
		inv.os.codename = f[4];
		inv.os.pretty_name = f[9];
	}
	char *msgs[1] = {f[11]};
	struct hull_diag diag = {.msgs = msgs, .n = 1, .cap = 1, .dropped = sel & 1};
	struct hull_sbom_input in = {
	    .image = &img, .inv = &inv, .diag = &diag, .now = 86400 * 365, .color = sel & 2};

	check_license(f[5]);
	char *purl = hull_purl_of_pkg(&pkgs[0], inv.os.id ? &inv.os : NULL, NULL);
	check_purl(purl);
	free(purl);
	for (int fm = HULL_SBOM_TABLE; fm <= HULL_SBOM_SPDX; fm++)
		render(&in, (enum hull_sbom_format)fm);

	for (int i = 0; i < NFIELDS; i++)
		free(f[i]);
	return 0;
}
