#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <string.h>

#include "tap.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/digest.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/json.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/term.h"
#include "util/walk.h"
#include "util/yaml.h"

/* Callers decide on kind and errnum, never on the text: a missing file is
 * HULL_ERR_NOTFOUND with its errno whatever strerror says. */
static void test_err(void)
{
	struct hull_err err = {0};
	hull_err_errno(&err, ENOENT, "a/b");
	TAP_OK(err.kind == HULL_ERR_NOTFOUND && err.errnum == ENOENT,
	       "err: ENOENT is not-found and keeps its errno (%s)", err.msg);
	hull_err_wrap(&err, "layer %d", 3);
	TAP_OK(err.kind == HULL_ERR_NOTFOUND && err.errnum == ENOENT &&
	           !strncmp(err.msg, "layer 3: a/b: ", 14),
	       "err: wrapping keeps kind and errno (%s)", err.msg);
	hull_err_errno(&err, EACCES, "c");
	TAP_OK(err.kind == HULL_ERR_IO && err.errnum == EACCES, "err: EACCES is I/O");
	hull_err_errno(&err, ENOMEM, "d");
	TAP_OK(err.kind == HULL_ERR_NOMEM && err.errnum == ENOMEM, "err: ENOMEM is out of memory");
	hull_err_set(&err, HULL_ERR_INPUT, "e");
	TAP_OK(err.kind == HULL_ERR_INPUT && err.errnum == 0, "err: a set error has no errno");
	hull_err_errno(&err, ENOENT, "f");
	hull_err_clear(&err);
	TAP_OK(err.kind == HULL_ERR_NONE && err.errnum == 0 && !err.msg[0],
	       "err: clear resets all");
	char data_path[] = "/nonexistent-hull-test/x";
	char *data = NULL;
	size_t len = 0;
	TAP_OK(hull_fs_read_file(data_path, 16, &data, &len, &err) < 0 &&
	           err.kind == HULL_ERR_NOTFOUND && err.errnum == ENOENT,
	       "err: fs reports a missing file as not-found (%s)", err.msg);
}

/* The arena holds at most its cap, counting every chunk, small or big. */
static void test_arena(void)
{
	struct hull_arena a;
	struct hull_err err = {0};
	hull_arena_init(&a, 64 << 10);
	size_t got = 0;
	char *first = hull_arena_alloc(&a, 10, &err);
	bool zero = first && !first[0] && !first[9] && ((uintptr_t)first & 15) == 0;
	for (char *p = first; p; p = hull_arena_alloc(&a, 100, &err))
		got++;
	TAP_OK(zero && err.kind == HULL_ERR_LIMIT && a.total <= a.max && got > 400,
	       "arena: zeroed, aligned, small allocations stop at the cap (%zu, %s)", got, err.msg);
	hull_err_clear(&err);
	hull_arena_release(&a);
	TAP_OK(a.total == 0 && hull_arena_alloc(&a, 32 << 10, &err) && a.total <= a.max &&
	           !hull_arena_alloc(&a, 40 << 10, &err) && err.kind == HULL_ERR_LIMIT,
	       "arena: a big block counts too; released, it can be used again (%s)", err.msg);
	hull_err_clear(&err);
	TAP_OK(!hull_arena_alloc(&a, SIZE_MAX - 3, &err) && err.kind == HULL_ERR_LIMIT,
	       "arena: a size that would overflow is a limit");
	const char *s1 = hull_arena_strdup(&a, "abc", &err),
	           *s2 = hull_arena_strndup(&a, "defgh", 2, &err);
	TAP_OK(s1 && s2 && !strcmp(s1, "abc") && !strcmp(s2, "de") && s2 == s1 + 4,
	       "arena: strings are copied, NUL-terminated and packed");
	hull_arena_release(&a);
}

static bool str_eq(const void *val, const void *key, const void *ctx)
{
	(void)ctx;
	return !strcmp(val, key);
}

static bool keep_even(void *val, void *ctx)
{
	(void)ctx;
	return atoi((const char *)val + 1) % 2 == 0;
}

/* The hash holds at most its cap, finds what it holds, and filters. */
static void test_hash(void)
{
	static char keys[1000][8];
	struct hull_hash h;
	struct hull_err err = {0};
	hull_hash_init(&h, 600);
	size_t added = 0;
	for (size_t i = 0; i < 1000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%zu", i);
		if (hull_hash_add(&h, hull_hash_bytes(keys[i], strlen(keys[i])), keys[i], &err) < 0)
			break;
		added++;
	}
	TAP_OK(added == 600 && h.n == 600 && err.kind == HULL_ERR_LIMIT && h.n * 4 <= h.cap * 3,
	       "hash: stops at its cap (%zu added, %zu slots, %s)", added, h.cap, err.msg);
	size_t found = 0;
	for (size_t i = 0; i < 1000; i++)
		found += hull_hash_get(&h, hull_hash_bytes(keys[i], strlen(keys[i])), str_eq,
		                       keys[i], NULL) == keys[i];
	TAP_OK(found == 600, "hash: finds every value it holds, nothing else (%zu)", found);
	/* every key under one hash: probing still tells them apart */
	struct hull_hash c;
	hull_hash_init(&c, 100);
	for (size_t i = 0; i < 50; i++)
		hull_hash_add(&c, 42, keys[i], &err);
	TAP_OK(hull_hash_get(&c, 42, str_eq, "k49", NULL) == keys[49] &&
	           !hull_hash_get(&c, 42, str_eq, "k50", NULL),
	       "hash: colliding hashes are told apart by eq");
	hull_hash_release(&c);
	hull_hash_filter(&h, keep_even, NULL);
	TAP_OK(h.n == 300 && hull_hash_get(&h, hull_hash_bytes("k2", 2), str_eq, "k2", NULL) &&
	           !hull_hash_get(&h, hull_hash_bytes("k3", 2), str_eq, "k3", NULL),
	       "hash: filter keeps what keep accepts (%zu)", h.n);
	hull_hash_release(&h);
}

/* JSON and YAML share one depth limit and say so the same way. */
static void test_depth(void)
{
	char doc[2 * (HULL_MAX_DEPTH + 1) + 1];
	struct hull_err je = {0}, ye = {0}, ok = {0};
	struct json_object *obj = NULL;
	struct hull_yaml *y = NULL;
	for (int levels = HULL_MAX_DEPTH; levels <= HULL_MAX_DEPTH + 1; levels++) {
		memset(doc, '[', (size_t)levels);
		memset(doc + levels, ']', (size_t)levels);
		size_t n = 2 * (size_t)levels;
		doc[n] = '\0';
		if (levels == HULL_MAX_DEPTH) {
			bool j = hull_json_parse(doc, n, "d.json", &obj, &ok) == 0;
			json_object_put(obj);
			bool ya = hull_yaml_parse(doc, n, "d.yaml", &y, &ok) == 0;
			hull_yaml_free(y);
			TAP_OK(j && ya, "depth: JSON and YAML read %d levels (%s)", levels, ok.msg);
			continue;
		}
		int jr = hull_json_parse(doc, n, "d", &obj, &je);
		int yr = hull_yaml_parse(doc, n, "d", &y, &ye);
		/* the same shape: "d: line 1, column C: nested deeper than 64 levels" */
		char want[128];
		snprintf(want, sizeof(want), "nested deeper than %d levels", HULL_MAX_DEPTH);
		const char *jt = strstr(je.msg, want), *yt = strstr(ye.msg, want);
		TAP_OK(jr < 0 && yr < 0 && je.kind == HULL_ERR_INPUT && ye.kind == HULL_ERR_LIMIT &&
		           !strncmp(je.msg, "d: line 1, column ", 18) &&
		           !strncmp(ye.msg, "d: line 1, column ", 18) && jt && yt &&
		           !jt[strlen(want)] && !yt[strlen(want)],
		       "depth: %d levels refused alike (JSON: %s / YAML: %s)", levels, je.msg,
		       ye.msg);
	}
}

static void test_buf_cap(void)
{
	struct hull_buf b;
	struct hull_err err = {0};
	hull_buf_init(&b, 8);
	TAP_OK(hull_buf_append_str(&b, "12345678", &err) == 0, "buf: fills up to its cap");
	TAP_OK(hull_buf_putc(&b, 'x', &err) < 0 && err.kind == HULL_ERR_LIMIT,
	       "buf: refuses past its cap (%s)", err.msg);
	TAP_OK(b.len == 8 && strcmp(b.data, "12345678") == 0, "buf: unchanged after refusal");
	hull_buf_release(&b);
}

static void test_buf_printf(void)
{
	struct hull_buf b;
	struct hull_err err = {0};
	hull_buf_init(&b, 12);
	int ok = hull_buf_printf(&b, &err, "%s-%d", "abc", 42) == 0; /* grows */
	ok &= hull_buf_printf(&b, &err, "%c", 'x') == 0;             /* fits in place */
	TAP_OK(ok && !strcmp(b.data, "abc-42x"), "buf: printf grows and appends in place");
	TAP_OK(hull_buf_printf(&b, &err, "%s", "123456") < 0 && err.kind == HULL_ERR_LIMIT &&
	           !strcmp(b.data, "abc-42x") && b.len == 7,
	       "buf: printf past the cap fails and leaves the text as it was (%s)", b.data);
	hull_buf_release(&b);
}

static void test_str_lines(void)
{
	struct hull_str rest = HULL_STR_LIT("a\r\nbb\n\nccc"), line;
	const char *want[] = {"a", "bb", "", "ccc"};
	int i = 0, ok = 1;
	while (hull_str_next_line(&rest, &line)) {
		ok &= i < 4 && hull_str_eq_c(line, want[i]);
		i++;
	}
	TAP_OK(ok && i == 4, "str: next_line splits CRLF, LF and a last line without newline");
	struct hull_str l, r;
	TAP_OK(hull_str_split(HULL_STR_LIT("k: v"), ':', &l, &r) && hull_str_eq_c(l, "k") &&
	           hull_str_eq_c(hull_str_trim(r), "v"),
	       "str: split and trim");
	/* every byte: the digits and both cases of a-f, nothing else */
	int good = 1;
	for (int c = -128; c < 128; c++) {
		const char *digits = "0123456789abcdef", *p;
		int value = -1;
		if (c > 0 && (p = strchr(digits, c >= 'A' && c <= 'F' ? c + 32 : c)))
			value = (int)(p - digits);
		good &= hull_hex_digit((char)c) == value;
	}
	TAP_OK(good, "str: hex_digit of every byte");
}

/* the one name-by-extension test (cli walks, rootfs probe, Java archives) */
static void test_str_name_ext(void)
{
	static const char *const exts[] = {".yaml", ".yml", ".json"};
	static const struct {
		const char *name;
		bool want;
	} v[] = {
	    {"a.yaml", true},      {"A.YML", true},     {"x.Json", true}, {".json", false},
	    {"yaml", false},       {"a.yaml~", false},  {"a.yam", false}, {"", false},
	    {"b.json.bak", false}, {"c.tar.yml", true},
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		TAP_OK(hull_str_name_has_ext(v[i].name, exts, 3) == v[i].want,
		       "name_has_ext '%s' = %d", v[i].name, v[i].want);
	TAP_OK(!hull_str_name_has_ext("a.yaml", exts, 0), "name_has_ext: no suffixes, no match");
}

static void test_json(void)
{
	struct hull_err err = {0};
	struct json_object *obj = NULL;
	const char *bad = "{\n  \"a\": [1, 2,\n}";
	TAP_OK(hull_json_parse(bad, strlen(bad), "x.json", &obj, &err) < 0 &&
	           strstr(err.msg, "x.json: line 3") != NULL,
	       "json: error names file and line (%s)", err.msg);
	const char *trail = "{} {}";
	TAP_OK(hull_json_parse(trail, strlen(trail), "t.json", &obj, &err) < 0,
	       "json: trailing data rejected (%s)", err.msg);
	char deep[300];
	memset(deep, '[', 200);
	memset(deep + 200, ']', 100);
	TAP_OK(hull_json_parse(deep, 300, "deep.json", &obj, &err) < 0, "json: depth capped (%s)",
	       err.msg);
	struct hull_err oerr = {0};
	obj = (struct json_object *)&oerr; /* overwritten: NULL on refusal */
	TAP_OK(hull_json_parse_object("[1]", 3, "a.json", &obj, &oerr) < 0 && obj == NULL &&
	           !strcmp(oerr.msg, "a.json: not a JSON object"),
	       "json_parse_object: an array is refused (%s)", oerr.msg);
	TAP_OK(hull_json_parse_object("{\"a\":1}", 7, "o.json", &obj, &oerr) == 0 &&
	           json_object_is_type(obj, json_type_object),
	       "json_parse_object: an object is read");
	json_object_put(obj);
	obj = NULL;
	const char *good = "{\"s\":\"v\",\"n\":3,\"o\":{},\"b\":true}";
	int64_t n = 0;
	bool b = false;
	TAP_OK(hull_json_parse(good, strlen(good), "g.json", &obj, &err) == 0 &&
	           strcmp(hull_json_get_str(obj, "s"), "v") == 0 &&
	           hull_json_get_int(obj, "n", &n) && n == 3 && hull_json_get_obj(obj, "o") &&
	           !hull_json_get_obj(obj, "s") && hull_json_get_bool(obj, "b", &b) && b,
	       "json: typed accessors");
	json_object_put(obj);
	/* the untyped member and the string slice the lockfile readers,
	 * the OSV reader and the Kubernetes rules share */
	const char *any = "{\"s\":\"a\\u0000b\",\"z\":null,\"n\":1}";
	obj = NULL;
	TAP_OK(hull_json_parse(any, strlen(any), "m.json", &obj, &err) == 0, "json: parse %s",
	       err.msg);
	struct hull_str s = hull_json_str(hull_json_member(obj, "s"));
	TAP_OK(s.len == 3 && !memcmp(s.ptr, "a\0b", 3), "json: string slice keeps its NUL byte");
	TAP_OK(!hull_json_member(obj, "z") && !hull_json_member(obj, "missing") &&
	           hull_json_member(obj, "n") && !hull_json_member(NULL, "s") &&
	           !hull_json_member(hull_json_member(obj, "n"), "s"),
	       "json: member is NULL for null, missing, or a non-object parent");
	s = hull_json_str(hull_json_member(obj, "n"));
	TAP_OK(!s.ptr && !s.len && !hull_json_str(NULL).ptr, "json: a non-string is no slice");
	json_object_put(obj);
	/* one value of a larger document (the feeds' member-by-member reader):
	 * positions count from the document's start */
	const char *doc = "{\n \"a\": {\"x\": 1},\n \"b\": [1,\n 2 x]}";
	size_t at = (size_t)(strstr(doc, "{\"x") - doc);
	obj = NULL;
	TAP_OK(hull_json_parse_at(doc, strlen(doc), at, 8, "feed", &obj, &err) == 0 &&
	           hull_json_member(obj, "x"),
	       "json: parse_at reads the value at an offset");
	json_object_put(obj);
	at = (size_t)(strstr(doc, "[1") - doc);
	TAP_OK(hull_json_parse_at(doc, strlen(doc), at, strlen(doc) - at - 1, "feed", &obj, &err) <
	               0 &&
	           strstr(err.msg, "feed: line 4, column 4: invalid JSON") != NULL,
	       "json: parse_at names the line and column in the document (%s)", err.msg);
	TAP_OK(hull_json_parse_at(doc, strlen(doc), at, 3, "feed", &obj, &err) < 0 &&
	           strstr(err.msg, "unexpected end") != NULL,
	       "json: parse_at: a cut value (%s)", err.msg);
	TAP_OK(hull_json_parse_at(doc, strlen(doc), at, strlen(doc), "feed", &obj, &err) < 0 &&
	           err.kind == HULL_ERR_LIMIT,
	       "json: parse_at: a range past the document is refused");
}

static void test_digest(void)
{
	struct hull_err err = {0};
	char out[HULL_DIGEST_STRLEN + 1], hex[65];
	hull_sha256_digest("abc", 3, out, &err);
	TAP_OK(strcmp(out,
	              "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") ==
	           0,
	       "digest: sha256 of abc");
	TAP_OK(hull_digest_parse(out, hex, &err) == 0 && strlen(hex) == 64, "digest: parse valid");
	TAP_OK(hull_digest_parse("sha256:../../etc/passwd", hex, &err) < 0,
	       "digest: a path is not a digest (%s)", err.msg);
	TAP_OK(hull_digest_parse("md5:abc", hex, &err) < 0, "digest: unsupported algorithm");
}

static void test_read_proc(void)
{
	struct hull_err err = {0};
	char *data = NULL;
	size_t len = 0;
	/* /proc files report a size of 0 and still have content */
	TAP_OK(hull_fs_read_file("/proc/self/status", 1 << 20, &data, &len, &err) == 0 && len > 0 &&
	           strstr(data, "Pid:"),
	       "fs: reads /proc files whose size is 0 (%s)", err.msg);
	free(data);
	TAP_OK(hull_fs_read_file("/proc/self/status", 16, &data, &len, &err) < 0 &&
	           err.kind == HULL_ERR_LIMIT,
	       "fs: the cap holds for them too (%s)", err.msg);
}

/* ESC-driven sequences (CSI, OSC), C1 CSI (U+009B), DEL, bidi override
 * (U+202E) and isolate (U+2066), invalid UTF-8: each one '?' or U+FFFD;
 * printable non-ASCII kept. */
#define HOSTILE "a\033[31mb\033]0;t\007c\302\233d\177e\342\200\256f\342\201\246g\377h\303\251"
#define SAFE    "a?[31mb?]0;t?c?d?e?f?g\357\277\275h\303\251"

static void test_term(void)
{
	struct hull_buf b;
	struct hull_err err = {0};
	hull_buf_init(&b, 1024);
	TAP_OK(hull_term_append(&b, HOSTILE, strlen(HOSTILE), &err) == 0 && !strcmp(b.data, SAFE),
	       "term: C0, C1, DEL, bidi controls become '?', invalid UTF-8 U+FFFD");
	hull_buf_reset(&b);
	TAP_OK(hull_term_printf(&b, &err, "[%s]", HOSTILE) == 0 && !strcmp(b.data, "[" SAFE "]"),
	       "term: printf filters the formatted text");
	char small[8];
	TAP_OK(!strcmp(hull_term_str(small, sizeof(small), "\303\251\303\251\303\251\303\251"),
	               "\303\251\303\251\303\251"),
	       "term: a copy is cut at a character boundary");
	hull_buf_reset(&b);
	size_t cols = 0;
	TAP_OK(hull_term_append_cut(&b, "abc\342\200\256def", 4, &cols, &err) == 0 &&
	           !strcmp(b.data, "abc" HULL_TERM_ELLIPSIS) && cols == 4,
	       "term: a cut keeps limit columns and ends in an ellipsis (%s)", b.data);
	hull_buf_reset(&b);
	TAP_OK(hull_term_append_cell(&b, "\302\233x", 4, &err) == 0 && !strcmp(b.data, "?x  "),
	       "term: a cell is padded in columns of the filtered text");
	TAP_OK(hull_term_width("\343\201\202\033", 10) == 3, "term: wide characters count two");
	hull_buf_release(&b);
	FILE *f = tmpfile();
	char out[64] = "";
	const char doc[] = "k\tv\033[2J\n\302\233x\n";
	int rc = f ? hull_term_fwrite_lines(f, doc, sizeof(doc) - 1) : -1;
	if (f) {
		rewind(f);
		out[fread(out, 1, sizeof(out) - 1, f)] = '\0';
		fclose(f);
	}
	TAP_OK(rc == 0 && !strcmp(out, "k\tv?[2J\n?x\n"),
	       "term: lines keep newlines and tabs only");
}

struct walk_log {
	char text[1024];
	size_t files, skips;
	enum hull_err_kind kinds[8];
};

static int log_file(void *ctx, const char *path, const struct hull_walk_dir *dir, size_t i,
                    struct hull_err *err)
{
	struct walk_log *l = ctx;
	(void)err;
	l->files++;
	const char *base = strrchr(path, '/');
	/* the path and the entry name the same file */
	bool same = base && !strcmp(base + 1, dir->entries[i].name);
	snprintf(l->text + strlen(l->text), sizeof(l->text) - strlen(l->text), "%s%s@%u ",
	         dir->entries[i].name, same ? "" : "!", dir->depth);
	return 0;
}

static int log_skip(void *ctx, const struct hull_err *why, struct hull_err *err)
{
	struct walk_log *l = ctx;
	(void)err;
	if (l->skips < 8)
		l->kinds[l->skips] = why->kind;
	l->skips++;
	return 0;
}

static bool yaml_only(const char *name)
{
	size_t n = strlen(name);
	return n > 5 && !strcmp(name + n - 5, ".yaml");
}

static void test_walk(void)
{
	char root[] = "/tmp/hull-walk-XXXXXX", p[256];
	if (!mkdtemp(root)) {
		TAP_OK(0, "walk: mkdtemp");
		return;
	}
	static const char *const files[] = {
	    "b.yaml",         "a.yaml",     "notes.txt", "sub/c.yaml", "sub/deeper/d.yaml",
	    ".hidden/e.yaml", "skip/f.yaml"};
	static const char *const dirs[] = {"sub", "sub/deeper", ".hidden", "skip"};
	for (size_t i = 0; i < 4; i++) {
		snprintf(p, sizeof(p), "%s/%s", root, dirs[i]);
		mkdir(p, 0700);
	}
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", root, files[i]);
		FILE *f = fopen(p, "w");
		if (f)
			fclose(f);
	}
	snprintf(p, sizeof(p), "%s/pipe.yaml", root);
	mkfifo(p, 0600);
	snprintf(p, sizeof(p), "%s/link.yaml", root);
	symlink("a.yaml", p);
	static const char *const ignore[] = {"skip", NULL};
	struct walk_log l = {0};
	struct hull_walk_opts o = {.max_depth = 1,
	                           .max_entries = 100,
	                           .ignore = ignore,
	                           .want = yaml_only,
	                           .file = log_file,
	                           .skip = log_skip,
	                           .ctx = &l};
	struct hull_err err = {0};
	int rc = hull_walk(root, &o, &err);
	TAP_OK(rc == 0 && !strcmp(l.text, "a.yaml@0 b.yaml@0 c.yaml@1 "),
	       "walk: files in name order, depth first; hidden and ignored names left out (%s)",
	       l.text);
	TAP_OK(l.skips == 3 && l.kinds[0] == HULL_ERR_INPUT && l.kinds[1] == HULL_ERR_INPUT &&
	           l.kinds[2] == HULL_ERR_LIMIT,
	       "walk: a symbolic link, a FIFO and a directory past max_depth are reported (%zu)",
	       l.skips);
	l = (struct walk_log){0};
	o.max_entries = 2;
	rc = hull_walk(root, &o, &err);
	TAP_OK(rc == 0 && l.skips >= 1 && l.kinds[0] == HULL_ERR_LIMIT,
	       "walk: a directory past max_entries is reported");
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	TAP_OK(system(cmd) == 0, "walk: cleanup");
}

/* `-o /dev/null` once renamed a regular file over the device: an output
 * that is not a regular file (a device, a FIFO) is written in place. */
static void test_write_atomic_special(void)
{
	char dir[] = "/tmp/hull-fs-XXXXXX";
	TAP_OK(mkdtemp(dir) != NULL, "write_atomic: temp dir");
	char fifo[64], reg[64];
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(reg, sizeof(reg), "%s/reg", dir);
	TAP_OK(mkfifo(fifo, 0600) == 0, "write_atomic: mkfifo");
	int rd = open(fifo, O_RDONLY | O_NONBLOCK);
	struct hull_err err = {0};
	int rc = hull_fs_write_atomic(fifo, "abc", 3, &err);
	struct stat st;
	TAP_OK(rc == 0 && lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode),
	       "write_atomic: a FIFO stays a FIFO (%s)", err.msg);
	char got[8] = {0};
	TAP_OK(rd >= 0 && read(rd, got, sizeof(got) - 1) == 3 && !strcmp(got, "abc"),
	       "write_atomic: the FIFO's reader gets the bytes");
	if (rd >= 0)
		close(rd);
	rc = hull_fs_write_atomic(reg, "xyz", 3, &err);
	TAP_OK(rc == 0 && lstat(reg, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 3,
	       "write_atomic: a regular file is written");
	unlink(fifo);
	unlink(reg);
	rmdir(dir);
}

static long vm_size_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kib = -1;
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmSize:", 7))
			kib = strtol(line + 7, NULL, 10);
	if (f)
		fclose(f);
	return kib;
}

/* Big buffers: zeroed, writable end to end, 2 MiB-aligned from 2 MiB up
 * (where a huge page can back them), and nothing left mapped after free. */
static void test_bigbuf(void)
{
	static const size_t sizes[] = {1,        4096,          512u << 10, (2u << 20) - 1,
	                               2u << 20, (4u << 20) + 7};
	bool ok = true;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		size_t n = sizes[i];
		unsigned char *p = hull_bigbuf_alloc(n);
		if (!p) {
			ok = false;
			break;
		}
		bool zero = p[0] == 0 && p[n / 2] == 0 && p[n - 1] == 0;
		memset(p, 0xa5, n);
		bool aligned = n < (2u << 20) || ((uintptr_t)p & ((2u << 20) - 1)) == 0;
		TAP_OK(zero && aligned && p[n - 1] == 0xa5, "bigbuf: %zu bytes zeroed%s", n,
		       n < (2u << 20) ? "" : ", 2 MiB-aligned");
		hull_bigbuf_free(p, n);
	}
	TAP_OK(ok, "bigbuf: every size maps");
	/* the alignment slack is unmapped at once, the rest on free */
	long before = vm_size_kib();
	void *p = hull_bigbuf_alloc(4u << 20);
	long during = vm_size_kib();
	hull_bigbuf_free(p, 4u << 20);
	long after = vm_size_kib();
	TAP_OK(p && before > 0 && during - before == 4096 && after == before,
	       "bigbuf: 4 MiB maps 4 MiB (VmSize %ld -> %ld -> %ld KiB)", before, during, after);
	TAP_OK(hull_bigbuf_alloc(0) == NULL && hull_bigbuf_alloc(SIZE_MAX) == NULL,
	       "bigbuf: 0 and SIZE_MAX bytes are refused");
	hull_bigbuf_free(NULL, 123);
}

int main(void)
{
	test_bigbuf();
	test_write_atomic_special();
	test_err();
	test_arena();
	test_hash();
	test_depth();
	test_walk();
	test_term();
	test_read_proc();
	test_buf_cap();
	test_buf_printf();
	test_str_lines();
	test_str_name_ext();
	test_json();
	test_digest();
	return tap_done();
}
