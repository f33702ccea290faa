/* The real Compose files and Kubernetes manifests of the shared data
 * (compose/, k8s-real/) scan without an error, and a golden file pins
 * their findings: one line per finding, "file:line:col SEVERITY ID object:
 * message", files relative to the data folder, sorted.
 * HULL_UPDATE_GOLDEN=1 rewrites golden/real.txt instead of comparing. */
#include <dirent.h>
#include <sys/stat.h>

#include "helpers.h"
#include "tap.h"
#include "util/buf.h"

struct names {
	char **v;
	size_t n, cap;
};

static void collect(const char *dir, struct names *out)
{
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			collect(path, out);
		} else if (strstr(e->d_name, ".yaml") || strstr(e->d_name, ".yml")) {
			if (out->n == out->cap) {
				out->cap = out->cap ? out->cap * 2 : 64;
				out->v = realloc(out->v, out->cap * sizeof(*out->v));
			}
			out->v[out->n++] = strdup(path);
		}
	}
	if (d)
		closedir(d);
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
	const char *shared = getenv("HULL_SHARED"), *src = getenv("HULL_SRC");
	char data[4096], golden[4096];
	if (!shared || !src || !tap_shared("compose") || !tap_shared("k8s-real"))
		return tap_done(); /* tap_shared failed loudly */
	snprintf(data, sizeof(data), "%s/data", shared);
	snprintf(golden, sizeof(golden), "%s/tests/unit/misconfig/golden/real.txt", src);
	struct names files = {0};
	char dir[8192];
	snprintf(dir, sizeof(dir), "%s/compose", data);
	collect(dir, &files);
	snprintf(dir, sizeof(dir), "%s/k8s-real", data);
	collect(dir, &files);
	qsort(files.v, files.n, sizeof(*files.v), cmp);
	TAP_OK(files.n >= 60, "%zu real files", files.n);

	struct names lines = {0};
	for (size_t i = 0; i < files.n; i++) {
		struct hull_findings f = {0};
		struct hull_err err = {0};
		const char *rel = files.v[i] + strlen(data) + 1;
		TAP_OK(scan_path(files.v[i], HULL_CONFIG_UNKNOWN, HULL_PROFILE_ALL, &f, &err) == 0,
		       "%s scans without an error %s", rel, err.msg);
		hull_findings_sort(&f);
		for (size_t k = 0; k < f.n; k++) {
			const struct hull_finding *x = &f.items[k];
			char *line = NULL;
			if (asprintf(&line, "%s:%u:%u %s %s %s: %s\n", rel, x->loc.line, x->loc.col,
			             hull_severity_name(x->severity), x->id,
			             x->loc.object ? x->loc.object : "", x->message) < 0)
				continue;
			if (lines.n == lines.cap) {
				lines.cap = lines.cap ? lines.cap * 2 : 1024;
				lines.v = realloc(lines.v, lines.cap * sizeof(*lines.v));
			}
			lines.v[lines.n++] = line;
		}
		hull_findings_release(&f);
	}
	qsort(lines.v, lines.n, sizeof(*lines.v), cmp);
	struct hull_buf out;
	hull_buf_init(&out, 64u << 20);
	for (size_t i = 0; i < lines.n; i++)
		hull_buf_append_str(&out, lines.v[i], NULL);
	struct hull_err err = {0};
	if (getenv("HULL_UPDATE_GOLDEN")) {
		TAP_OK(hull_fs_write_atomic(golden, out.data, out.len, &err) == 0,
		       "golden written %s", err.msg);
	} else {
		char *want = NULL;
		size_t wlen = 0;
		bool ok = hull_fs_read_file(golden, 64u << 20, &want, &wlen, &err) == 0 &&
		          wlen == out.len && !memcmp(want, out.data, wlen);
		if (!ok && want) {
			/* the first differing line, to make the failure readable */
			size_t p = 0;
			while (p < wlen && p < out.len && want[p] == out.data[p])
				p++;
			while (p && want[p - 1] != '\n')
				p--;
			printf("# first difference at byte %zu:\n# want: %.200s\n# got:  %.200s\n",
			       p, p < wlen ? want + p : "", p < out.len ? out.data + p : "");
		}
		TAP_OK(ok, "%zu findings match golden/real.txt (HULL_UPDATE_GOLDEN=1 to update) %s",
		       lines.n, err.msg);
		free(want);
	}
	hull_buf_release(&out);
	for (size_t i = 0; i < lines.n; i++)
		free(lines.v[i]);
	for (size_t i = 0; i < files.n; i++)
		free(files.v[i]);
	free(lines.v);
	free(files.v);
	return tap_done();
}
