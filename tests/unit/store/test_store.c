/* The store's pieces that need no server: COPY escaping, UTF-8 repair,
 * lock keys; and errors before any connection. The store against a real
 * PostgreSQL: tests/integration/store/store.sh. */
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"
#include "tap.h"

static const struct {
	const char *in, *want;
} copy_cases[] = {
    {"plain", "plain\t"},
    {"tab\there", "tab\\there\t"},
    {"new\nline\r", "new\\nline\\r\t"},
    {"back\\slash", "back\\\\slash\t"},
    {"", "\t"},
    {"caf\xc3\xa9", "caf\xc3\xa9\t"},
    {"bad \xff byte", "bad \xef\xbf\xbd byte\t"},
    {"cut \xe2\x82", "cut \xef\xbf\xbd\t"}, /* one truncated sequence, one U+FFFD */
    {NULL, "\\N\t"},
};

int main(void)
{
	for (size_t i = 0; i < sizeof(copy_cases) / sizeof(*copy_cases); i++) {
		struct hull_buf b;
		struct hull_err err = {0};
		hull_buf_init(&b, 1024);
		st_copy_field(&b, copy_cases[i].in, false, &err);
		TAP_OK(!err.kind && b.len == strlen(copy_cases[i].want) &&
		           !memcmp(b.data, copy_cases[i].want, b.len),
		       "copy field %zu: %s", i, copy_cases[i].in ? "escaped" : "NULL");
		hull_buf_release(&b);
	}
	struct hull_buf b;
	struct hull_err err = {0};
	hull_buf_init(&b, 1024);
	st_copy_int(&b, -42, true, &err);
	TAP_OK(b.len == 4 && !memcmp(b.data, "-42\n", 4), "an integer ends the row");
	hull_buf_release(&b);
	hull_buf_init(&b, 8);
	st_copy_field(&b, "longer than the cap", false, &err);
	TAP_OK(err.kind == HULL_ERR_LIMIT, "a capped buffer fails, never overflows");
	hull_buf_release(&b);

	char *u = st_utf8("ok \xc0\xaf");
	TAP_OK(u && !strcmp(u, "ok \xef\xbf\xbd\xef\xbf\xbd"), "overlong encoding replaced");
	free(u);
	TAP_OK(st_utf8(NULL) == NULL, "NULL stays NULL");

	char k1[32], k2[32], k3[32];
	st_lock_key("image:", "sha256:aa", k1, sizeof(k1));
	st_lock_key("image:", "sha256:aa", k2, sizeof(k2));
	st_lock_key("layer:", "sha256:aa", k3, sizeof(k3));
	TAP_OK(!strcmp(k1, k2) && strcmp(k1, k3), "lock keys: stable, per kind");
	char *end;
	strtoll(k1, &end, 10);
	TAP_OK(*end == '\0', "a lock key is a bigint literal (%s)", k1);

	struct hull_store *s = (struct hull_store *)1;
	TAP_OK(hull_store_open("", &s, &err) < 0 && err.kind == HULL_ERR_USAGE && !s,
	       "empty URL: usage error");
	char big[HULL_STORE_URL_MAX + 2];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	TAP_OK(hull_store_open(big, &s, &err) < 0 && err.kind == HULL_ERR_USAGE,
	       "URL over the cap: usage error");
	TAP_OK(hull_store_open("postgresql:///x?host=/nonexistent-dir-hull&connect_timeout=2", &s,
	                       &err) < 0 &&
	           err.kind == HULL_ERR_IO && strstr(err.msg, "cannot connect"),
	       "no server: an I/O error naming the connection (%s)", err.msg);
	TAP_OK(hull_store_migrate("postgresql:///x", 99, NULL, NULL, &err) < 0 &&
	           err.kind == HULL_ERR_USAGE,
	       "migrate --to past the latest: usage error");
	return tap_done();
}
