/* The real manifests of ../shared/data (k8s-real/, compose/) produce
 * matrices pinned by golden files (golden/NAME.txt): every allowed edge with
 * its ports, every exposure, every finding id and object, every warning.
 * HULL_UPDATE_GOLDEN=1 rewrites the files. Also: the JSON document parses
 * and lists the same number of edges, the DOT document names every
 * workload. */
#include <dirent.h>
#include <json-c/json.h>
#include <sys/stat.h>

#include "helpers.h"
#include "util/buf.h"
#include "util/json.h"

static int load_path(struct hull_net *net, const char *path)
{
	char *data = NULL;
	size_t len;
	struct hull_err err = {0};
	bool loaded;
	if (hull_fs_read_file(path, 64u << 20, &data, &len, &err) < 0 ||
	    hull_net_load(net, data, len, path, NULL, &loaded, &err) < 0) {
		printf("# %s: %s\n", path, err.msg);
		free(data);
		return -1;
	}
	free(data);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files of dir (sorted), ending in .yaml or .yml, recursively. */
static void list_files(const char *dir, char ***out, size_t *n)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			list_files(path, out, n);
			continue;
		}
		size_t l = strlen(e->d_name);
		if ((l > 5 && !strcmp(e->d_name + l - 5, ".yaml")) ||
		    (l > 4 && !strcmp(e->d_name + l - 4, ".yml"))) {
			*out = realloc(*out, (*n + 1) * sizeof(**out));
			(*out)[(*n)++] = strdup(path);
		}
	}
	closedir(d);
	qsort(*out, *n, sizeof(**out), cmp_str);
}

static const char *rel(const char *path)
{
	const char *p = strstr(path, "/data/");
	return p ? p + 6 : path;
}

/* The canonical text of a computed graph. */
static void describe(struct hull_net *net, struct hull_buf *out, const struct hull_diag *diag)
{
	char ports[512];
	for (size_t s = 0; s < net->nw; s++)
		for (size_t d = 0; d <= net->nw; d++) {
			size_t dd = d == net->nw ? NET_NONE : d;
			if (dd == s || (dd != NET_NONE && net->w[dd].domain != net->w[s].domain))
				continue;
			uint32_t p = net_reach(net, s, dd);
			if (p == NET_PS_EMPTY)
				continue;
			net_ps_format(net->ps, p, ports, sizeof(ports));
			hull_buf_printf(out, NULL, "edge %s -> %s: %s\n", net->w[s].id,
			                dd == NET_NONE ? "(internet)" : net->w[dd].id, ports);
		}
	for (size_t i = 0; i < net->nexpo; i++) {
		const struct net_exposure *e = &net->expo[i];
		hull_buf_printf(out, NULL,
		                "expose %s kind=%d addr=%s port=%u-%u target=%u-%u/%s world=%d "
		                "policy=%d via=%s\n",
		                net->w[e->w].id, e->kind, e->address ? e->address : "*", e->port,
		                e->port_end, e->target, e->target_end, net_proto_name(e->proto),
		                e->world, e->policy_allows, e->via ? e->via : "-");
	}
	struct hull_findings f = {0};
	struct hull_err err = {0};
	hull_net_check(net, &f, &err);
	hull_findings_sort(&f);
	for (size_t i = 0; i < f.n; i++)
		hull_buf_printf(out, NULL, "finding %s %s line %u: %s\n", f.items[i].id,
		                f.items[i].loc.object ? f.items[i].loc.object : "-",
		                f.items[i].loc.line, f.items[i].message);
	for (size_t i = 0; diag && i < diag->n; i++)
		hull_buf_printf(out, NULL, "warning %s\n", diag->msgs[i]);
	hull_findings_release(&f);
}

/* JSON and DOT documents agree with the graph. */
static void check_documents(struct hull_net *net, const char *name)
{
	struct hull_findings f = {0};
	struct hull_err err = {0};
	hull_net_check(net, &f, &err);
	struct hull_findings_input in = {.findings = &f, .target = {.name = name}};
	struct hull_buf j, d;
	hull_buf_init(&j, 256u << 20);
	hull_buf_init(&d, 256u << 20);
	struct json_object *doc = NULL;
	bool ok = hull_net_write(net, HULL_NET_JSON, &in, &j, &err) == 0 &&
	          hull_json_parse(j.data, j.len, "json", &doc, &err) == 0;
	size_t edges = 0;
	for (size_t s = 0; s < net->nw; s++)
		for (size_t dd = 0; dd <= net->nw; dd++) {
			size_t x = dd == net->nw ? NET_NONE : dd;
			if (x != s && (x == NET_NONE || net->w[x].domain == net->w[s].domain) &&
			    net_reach(net, s, x) != NET_PS_EMPTY)
				edges++;
		}
	struct json_object *e = NULL, *w = NULL;
	ok = ok && json_object_object_get_ex(doc, "edges", &e) &&
	     json_object_array_length(e) == edges &&
	     json_object_object_get_ex(doc, "workloads", &w) &&
	     json_object_array_length(w) == net->nw;
	TAP_OK(ok, "%s: JSON document parses, %zu edges, %zu workloads", name, edges, net->nw);
	ok = hull_net_write(net, HULL_NET_DOT, &in, &d, &err) == 0 && d.data &&
	     !strncmp(d.data, "digraph", 7);
	for (size_t i = 0; ok && i < net->nw; i++) {
		char q[1024];
		snprintf(q, sizeof(q), "\"%s\"", net->w[i].id);
		ok = strstr(d.data, q) != NULL;
	}
	TAP_OK(ok, "%s: DOT document names every workload", name);
	json_object_put(doc);
	hull_buf_release(&j);
	hull_buf_release(&d);
	hull_findings_release(&f);
}

/* Paths of the shared data, wherever it lives, as "k8s-real/...". */
static void strip_shared(struct hull_buf *b)
{
	char prefix[4096];
	snprintf(prefix, sizeof(prefix), "%s/data/",
	         getenv("HULL_SHARED") ? getenv("HULL_SHARED") : "");
	size_t pl = strlen(prefix), k = 0;
	for (size_t i = 0; b->data && i < b->len;) {
		if (b->len - i >= pl && !memcmp(b->data + i, prefix, pl)) {
			i += pl;
			continue;
		}
		b->data[k++] = b->data[i++];
	}
	b->len = k;
	if (b->data)
		b->data[k] = 0;
}

static void golden(const char *name, struct hull_buf *got)
{
	strip_shared(got);
	char rel_path[512];
	snprintf(rel_path, sizeof(rel_path), "tests/unit/network/golden/%s.txt", name);
	size_t len;
	char *want = src_file(rel_path, &len);
	if (getenv("HULL_UPDATE_GOLDEN")) {
		char path[4096];
		struct hull_err err = {0};
		snprintf(path, sizeof(path), "%s/%s", getenv("HULL_SRC"), rel_path);
		hull_fs_write_atomic(path, got->data ? got->data : "", got->len, &err);
		free(want);
		TAP_OK(1, "%s: golden rewritten", name);
		return;
	}
	bool same = want && len == got->len && !memcmp(want, got->data, len);
	if (!same && want) {
		/* the first differing line, to see what moved */
		const char *a = want, *b = got->data ? got->data : "";
		while (*a && *a == *b) {
			a++;
			b++;
		}
		while (a > want && a[-1] != '\n')
			a--, b--;
		printf("# want: %.*s\n# got:  %.*s\n", (int)strcspn(a, "\n"), a,
		       (int)strcspn(b, "\n"), b);
	}
	TAP_OK(same, "%s: matrix equals golden/%s.txt%s", name, name, want ? "" : " (missing)");
	free(want);
}

/* One golden file per group: each file (or set of files) its own graph. */
static void run_group(const char *name, char **files, size_t n, bool together)
{
	struct hull_buf all;
	hull_buf_init(&all, 64u << 20);
	for (size_t i = 0; i < n; i++) {
		struct hull_diag diag;
		hull_diag_init(&diag);
		struct hull_net *net = hull_net_new(NULL, &diag);
		struct hull_err err = {0};
		bool ok = true;
		size_t last = together ? n : i + 1;
		for (size_t k = i; k < last && ok; k++)
			ok = load_path(net, files[k]) == 0;
		ok = ok && hull_net_compute(net, &err) == 0;
		TAP_OK(ok, "%s: %s loads and computes", name, rel(files[i]));
		if (ok) {
			hull_buf_printf(&all, NULL, "## %s%s\n", rel(files[i]),
			                together ? " (and the rest)" : "");
			describe(net, &all, &diag);
			check_documents(net, rel(files[i]));
		}
		hull_net_free(net);
		hull_diag_release(&diag);
		if (together)
			break;
	}
	golden(name, &all);
	hull_buf_release(&all);
}

static void group(const char *name, const char *dir, bool together)
{
	const char *path = tap_shared(dir);
	char **files = NULL;
	size_t n = 0;
	if (!path) /* tap_shared failed loudly */
		return;
	list_files(path, &files, &n);
	if (n)
		run_group(name, files, n, together);
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
}

int main(void)
{
	if (!tap_shared("k8s-real") && !tap_shared("compose"))
		return tap_done(); /* tap_shared failed loudly */
	/* the Online Boutique with its policies, and without them */
	group("boutique-with-policies", "k8s-real/gcp-microservices-demo", true);
	group("boutique-without-policies", "k8s-real/gcp-microservices-demo/release", true);
	group("bookinfo", "k8s-real/istio-bookinfo", true);
	group("sock-shop", "k8s-real/sock-shop", true);
	group("recipes", "k8s-real/network-policy-recipes", true);
	group("compose", "compose", false);
	return tap_done();
}
