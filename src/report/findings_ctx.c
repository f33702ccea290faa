/* findings_ctx: what the findings writers share (findings_internal.h):
 * the document context, groups, keys, fingerprints, URIs, the summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image/image.h"
#include "pkgdb/pkgdb.h"
#include "report/findings_internal.h"
#include "util/digest.h"

const enum hull_severity hull_severity_desc[HULL_SEV_COUNT] = {
    HULL_SEV_CRITICAL, HULL_SEV_HIGH, HULL_SEV_MEDIUM, HULL_SEV_LOW, HULL_SEV_UNKNOWN,
};

const char *hull_target_kind_name(enum hull_target_kind k)
{
	static const char *const names[] = {
	    [HULL_TARGET_IMAGE] = "image",   [HULL_TARGET_ROOTFS] = "rootfs",
	    [HULL_TARGET_CONFIG] = "config", [HULL_TARGET_SBOM] = "sbom",
	    [HULL_TARGET_HOST] = "host",     [HULL_TARGET_DEPLOYMENT] = "deployment",
	};
	return (size_t)k < sizeof(names) / sizeof(names[0]) ? names[k] : "unknown";
}

enum hull_severity hull_severity_of_score(double score)
{
	if (score >= 9.0)
		return HULL_SEV_CRITICAL;
	if (score >= 7.0)
		return HULL_SEV_HIGH;
	if (score >= 4.0)
		return HULL_SEV_MEDIUM;
	if (score > 0.0)
		return HULL_SEV_LOW;
	return HULL_SEV_UNKNOWN;
}

static void put_field(struct hull_buf *b, const char *s, struct hull_err *err, int *rc)
{
	/* 0x1F (unit separator) cannot be confused with text in a key; a
	 * NULL field is distinct from an empty one. */
	if (*rc == 0 && s && hull_buf_append_str(b, s, err) < 0)
		*rc = -1;
	if (*rc == 0 && hull_buf_putc(b, s ? '\x1f' : '\x1e', err) < 0)
		*rc = -1;
}

int hull_finding_pkg_key(const struct hull_finding *f, struct hull_buf *out, struct hull_err *err)
{
	int rc = 0;
	hull_buf_reset(out);
	if (f->vuln.pkg_purl && *f->vuln.pkg_purl) {
		put_field(out, f->vuln.pkg_purl, err, &rc);
	} else {
		put_field(out, f->vuln.pkg_type, err, &rc);
		put_field(out, f->vuln.pkg_name, err, &rc);
		put_field(out, f->vuln.pkg_version, err, &rc);
	}
	put_field(out, f->loc.file, err, &rc);
	return rc;
}

int hull_finding_fingerprint(const struct hull_finding *f, char hex[65], struct hull_err *err)
{
	struct hull_buf b;
	int rc = 0;
	hull_buf_init(&b, 1u << 24);
	put_field(&b, "hull/v1", err, &rc);
	put_field(&b, hull_finding_kind_name(f->kind), err, &rc);
	put_field(&b, f->id, err, &rc);
	put_field(&b, f->loc.file, err, &rc);
	put_field(&b, f->loc.object, err, &rc);
	if (f->kind == HULL_FINDING_VULNERABILITY) {
		put_field(&b, f->vuln.pkg_type, err, &rc);
		put_field(&b, f->vuln.pkg_name, err, &rc);
	} else {
		put_field(&b, f->message, err, &rc);
	}
	char digest[HULL_DIGEST_STRLEN + 1];
	if (rc == 0)
		rc = hull_sha256_digest(b.data ? b.data : "", b.len, digest, err);
	hull_buf_release(&b);
	if (rc == 0)
		memcpy(hex, digest + 7, 65);
	return rc;
}

int hull_finding_object_key(const struct hull_finding *f, struct hull_buf *out,
                            struct hull_err *err)
{
	int rc = 0;
	hull_buf_reset(out);
	put_field(out, f->loc.file, err, &rc);
	put_field(out, f->loc.object, err, &rc);
	return rc;
}

int hull_finding_id_key(const struct hull_finding *f, struct hull_buf *out, struct hull_err *err)
{
	hull_buf_reset(out);
	return hull_buf_append_str(out, f->id, err);
}

int hull_finding_file_key(const struct hull_finding *f, struct hull_buf *out, struct hull_err *err)
{
	int rc = 0;
	hull_buf_reset(out);
	put_field(out, f->loc.file, err, &rc);
	return rc;
}

struct keyed {
	char *key;
	size_t index; /* in c->sorted */
};

static int cmp_keyed(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	int r = strcmp(a->key, b->key);
	return r ? r : (a->index > b->index) - (a->index < b->index);
}

static int make_groups(const struct hull_fctx *c, struct keyed *v, size_t nv,
                       struct hull_fgroups *out, struct hull_err *err)
{
	out->all = calloc(nv ? nv : 1, sizeof(*out->all));
	out->g = calloc(nv ? nv : 1, sizeof(*out->g));
	out->keys = calloc(nv ? nv : 1, sizeof(*out->keys));
	if (!out->all || !out->g || !out->keys)
		return hull_err_nomem(err);
	for (size_t i = 0; i < nv; i++) {
		out->all[i] = c->sorted[v[i].index];
		if (i == 0 || strcmp(v[i].key, out->keys[out->n - 1])) {
			struct hull_fgroup *g = &out->g[out->n];
			out->keys[out->n++] = v[i].key;
			v[i].key = NULL; /* moved */
			g->items = &out->all[i];
			g->key = out->keys[out->n - 1];
		}
		struct hull_fgroup *g = &out->g[out->n - 1];
		const struct hull_finding *f = out->all[i];
		g->n++;
		if (!f->suppressed && (!g->failing_set || f->severity > g->max)) {
			g->max = f->severity;
			g->failing_set = true;
		}
	}
	return 0;
}

int hull_fgroups_build(const struct hull_fctx *c, hull_fgroup_want_fn want, const void *ctx,
                       hull_fgroup_key_fn key, struct hull_fgroups *out, struct hull_err *err)
{
	memset(out, 0, sizeof(*out));
	struct keyed *v = calloc(c->n ? c->n : 1, sizeof(*v));
	size_t nv = 0;
	struct hull_buf b;
	int rc = 0;
	if (!v)
		return hull_err_nomem(err);
	hull_buf_init(&b, 1u << 24);
	for (size_t i = 0; i < c->n && rc == 0; i++) {
		if (!want(c->sorted[i], ctx))
			continue;
		rc = key(c->sorted[i], &b, err);
		if (rc == 0 && !(v[nv].key = hull_str_dup(hull_buf_str(&b))))
			rc = hull_err_nomem(err);
		if (rc == 0)
			v[nv++].index = i;
	}
	hull_buf_release(&b);
	if (rc == 0) {
		qsort(v, nv, sizeof(*v), cmp_keyed);
		rc = make_groups(c, v, nv, out, err);
	}
	for (size_t i = 0; i < nv; i++)
		free(v[i].key);
	free(v);
	if (rc < 0)
		hull_fgroups_release(out);
	return rc;
}

const struct hull_fgroup *hull_fgroups_find(const struct hull_fgroups *g, const char *key,
                                            size_t *index)
{
	size_t lo = 0, hi = g->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(key, g->g[mid].key);
		if (r == 0) {
			if (index)
				*index = mid;
			return &g->g[mid];
		}
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

void hull_fgroups_release(struct hull_fgroups *g)
{
	for (size_t i = 0; g->keys && i < g->n; i++)
		free(g->keys[i]);
	free(g->keys);
	free(g->g);
	free(g->all);
	memset(g, 0, sizeof(*g));
}

static bool uri_char(unsigned char c)
{
	/* RFC 3986 unreserved, reserved and '%' (assumed to start an escape,
	 * checked by the caller). */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("-._~:/?#[]@!$&'()*+,;=%", c) != NULL;
}

static bool is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool hull_report_uri_ok(const char *s)
{
	const char *rest;
	if (!s)
		return false;
	if (!strncmp(s, "https://", 8))
		rest = s + 8;
	else if (!strncmp(s, "http://", 7))
		rest = s + 7;
	else
		return false;
	if (!*rest || *rest == '/' || strlen(s) > 4096)
		return false;
	for (const unsigned char *q = (const unsigned char *)rest; *q; q++) {
		if (!uri_char(*q))
			return false;
		if (*q == '%' && !(is_hex(q[1]) && is_hex(q[2])))
			return false;
	}
	/* '[' ']' are only valid around an IPv6 host; rather than parse the
	 * authority, refuse them anywhere (no advisory URL needs them). */
	return !strpbrk(rest, "[]");
}

int hull_report_uri_path(struct hull_buf *out, const char *s, struct hull_err *err)
{
	static const char hexd[] = "0123456789ABCDEF";
	bool first_segment = true;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if (c == '/')
			first_segment = false;
		bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		            (c >= '0' && c <= '9') || strchr("-._~!$&'()*+,;=@/", c) ||
		            (c == ':' && !first_segment);
		int rc = keep ? hull_buf_putc(out, (char)c, err)
		              : hull_buf_printf(out, err, "%%%c%c", hexd[c >> 4], hexd[c & 15]);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Distinct packages (vulnerabilities) or files (other kinds) among the
 * unsuppressed findings of kind k (k < 0: every kind but vulnerabilities):
 * their keys, sorted, counted once each. */
static int count_distinct(const struct hull_fctx *c, int k, size_t *count, struct hull_err *err)
{
	char **keys = calloc(c->n ? c->n : 1, sizeof(*keys));
	size_t nk = 0;
	struct hull_buf b;
	int rc = 0;
	bool vulns = k == HULL_FINDING_VULNERABILITY;
	if (!keys)
		return hull_err_nomem(err);
	hull_buf_init(&b, 1u << 24);
	for (size_t i = 0; i < c->n && rc == 0; i++) {
		const struct hull_finding *f = c->sorted[i];
		if (f->suppressed || (k >= 0 && (int)f->kind != k) ||
		    (k < 0 && f->kind == HULL_FINDING_VULNERABILITY))
			continue;
		if (!vulns && !(f->loc.file && *f->loc.file))
			continue; /* a finding without a file counts no file */
		if (vulns) {
			rc = hull_finding_pkg_key(f, &b, err);
		} else {
			hull_buf_reset(&b);
			rc = hull_buf_append_str(&b, f->loc.file, err);
		}
		if (rc == 0 && !(keys[nk++] = hull_str_dup(hull_buf_str(&b))))
			rc = hull_err_nomem(err);
	}
	hull_buf_release(&b);
	*count = 0;
	if (rc == 0) {
		qsort(keys, nk, sizeof(*keys), cmp_strp);
		for (size_t i = 0; i < nk; i++)
			if (i == 0 || strcmp(keys[i], keys[i - 1]))
				(*count)++;
	}
	for (size_t i = 0; i < nk; i++)
		free(keys[i]);
	free(keys);
	return rc;
}

struct sort_item {
	const struct hull_finding *f;
	size_t index;
};

static int cmp_sort_item(const void *pa, const void *pb)
{
	const struct sort_item *a = pa, *b = pb;
	int r = hull_finding_cmp(a->f, b->f);
	/* Findings equal in every compared field keep the list's order. */
	return r ? r : (a->index > b->index) - (a->index < b->index);
}

static int sort_findings(struct hull_fctx *c, struct hull_err *err)
{
	const struct hull_findings *list = c->in->findings;
	c->n = list->n;
	c->sorted = calloc(c->n ? c->n : 1, sizeof(*c->sorted));
	struct sort_item *v = calloc(c->n ? c->n : 1, sizeof(*v));
	if (!c->sorted || !v) {
		free(v);
		return hull_err_nomem(err);
	}
	for (size_t i = 0; i < c->n; i++)
		v[i] = (struct sort_item){&list->items[i], i};
	qsort(v, c->n, sizeof(*v), cmp_sort_item);
	for (size_t i = 0; i < c->n; i++)
		c->sorted[i] = v[i].f;
	free(v);
	return 0;
}

static void count(struct hull_fctx *c)
{
	struct hull_findings_summary *s = &c->sum;
	for (size_t i = 0; i < c->n; i++) {
		const struct hull_finding *f = c->sorted[i];
		if (f->suppressed) {
			s->suppressed++;
			continue;
		}
		size_t sev = (size_t)f->severity < HULL_SEV_COUNT ? (size_t)f->severity : 0;
		size_t kind = (size_t)f->kind < HULL_FINDING_KIND_COUNT ? (size_t)f->kind : 0;
		s->total++;
		s->by_severity[sev]++;
		s->by_kind[kind]++;
		s->by_kind_severity[kind][sev]++;
	}
}

static void describe_os(struct hull_fctx *c)
{
	const struct hull_scan_target *t = &c->in->target;
	if (t->os && *t->os) {
		c->os = t->os;
		return;
	}
	const struct hull_os *os = t->inv ? &t->inv->os : NULL;
	if (!os || !os->id || !*os->id)
		return;
	snprintf(c->os_buf, sizeof(c->os_buf), "%s%s%s%s%s%s", os->id, os->version_id ? " " : "",
	         os->version_id ? os->version_id : "", os->codename ? " (" : "",
	         os->codename ? os->codename : "", os->codename ? ")" : "");
	c->os = c->os_buf;
}

int hull_fctx_init(struct hull_fctx *c, const struct hull_findings_input *in, struct hull_err *err)
{
	memset(c, 0, sizeof(*c));
	if (!in || !in->findings || !in->target.name || !*in->target.name)
		return hull_err_set(err, HULL_ERR_USAGE, "report: no findings list or target name");
	c->in = in;
	c->tool_version = in->tool_version ? in->tool_version : HULL_VERSION;
	struct tm tm;
	if (!gmtime_r(&in->now, &tm) ||
	    !strftime(c->created, sizeof(c->created), "%Y-%m-%dT%H:%M:%SZ", &tm))
		return hull_err_set(err, HULL_ERR_INPUT, "report: bad document time");
	if (sort_findings(c, err) < 0)
		return -1;
	count(c);
	describe_os(c);
	int rc = count_distinct(c, -1, &c->sum.files, err);
	for (int k = 0; k < HULL_FINDING_KIND_COUNT && rc == 0; k++)
		if (c->sum.by_kind[k])
			rc = count_distinct(c, k, &c->sum.where[k], err);
	if (rc < 0) {
		hull_fctx_release(c);
		return -1;
	}
	c->sum.packages = c->sum.where[HULL_FINDING_VULNERABILITY];
	return 0;
}

void hull_fctx_release(struct hull_fctx *c)
{
	free(c->sorted);
	c->sorted = NULL;
	c->n = 0;
}

static const struct {
	const char *one, *many, *where_one, *where_many;
} kind_words[HULL_FINDING_KIND_COUNT] = {
    [HULL_FINDING_VULNERABILITY] = {"vulnerability", "vulnerabilities", "package", "packages"},
    [HULL_FINDING_MISCONFIG] = {"misconfiguration", "misconfigurations", "file", "files"},
    [HULL_FINDING_HOST] = {"host finding", "host findings", "file", "files"},
    [HULL_FINDING_NETWORK] = {"network finding", "network findings", "file", "files"},
    [HULL_FINDING_SECRET] = {"secret", "secrets", "file", "files"},
};

/* The kind an empty report is about: what this kind of target is scanned
 * for. */
static enum hull_finding_kind default_kind(enum hull_target_kind t)
{
	switch (t) {
	case HULL_TARGET_CONFIG:
		return HULL_FINDING_MISCONFIG;
	case HULL_TARGET_HOST:
		return HULL_FINDING_HOST;
	default:
		return HULL_FINDING_VULNERABILITY;
	}
}

int hull_findings_summary_line(const struct hull_fctx *c, struct hull_buf *out,
                               struct hull_err *err)
{
	const struct hull_findings_summary *s = &c->sum;
	bool any = false;
	int rc = 0;
	for (size_t k = 0; k < HULL_FINDING_KIND_COUNT && rc == 0; k++) {
		size_t n = s->by_kind[k];
		if (!n)
			continue;
		rc = hull_buf_printf(out, err, "%s%zu %s (", any ? "; " : "", n,
		                     n == 1 ? kind_words[k].one : kind_words[k].many);
		bool first = true;
		for (size_t j = 0; j < HULL_SEV_COUNT && rc == 0; j++) {
			enum hull_severity sev = hull_severity_desc[j];
			size_t m = s->by_kind_severity[k][sev];
			if (!m)
				continue;
			rc = hull_buf_printf(out, err, "%s%s %zu", first ? "" : ", ",
			                     hull_severity_name(sev), m);
			first = false;
		}
		if (rc == 0)
			rc = hull_buf_putc(out, ')', err);
		size_t where = s->where[k];
		if (rc == 0 && where)
			rc = hull_buf_printf(out, err, " in %zu %s", where,
			                     where == 1 ? kind_words[k].where_one
			                                : kind_words[k].where_many);
		any = true;
	}
	if (rc == 0 && !any) {
		enum hull_finding_kind k = default_kind(c->in->target.kind);
		rc = hull_buf_printf(out, err, "0 %s", kind_words[k].many);
	}
	if (rc == 0 && s->suppressed)
		rc = hull_buf_printf(out, err, "; %zu suppressed", s->suppressed);
	return rc;
}

void hull_fctx_sbom_input(const struct hull_fctx *c, struct hull_image *img,
                          struct hull_inventory *inv, struct hull_sbom_input *sin)
{
	const struct hull_scan_target *t = &c->in->target;
	/* The strings are only read by the SBOM code. */
	*img = (struct hull_image){
	    .format = t->kind == HULL_TARGET_ROOTFS ? HULL_IMAGE_ROOTFS : HULL_IMAGE_OCI_LAYOUT,
	    .target = (char *)(t->path ? t->path : t->name),
	    .name = (char *)t->name,
	    .manifest_digest = (char *)t->digest,
	};
	*inv = (struct hull_inventory){0};
	*sin = (struct hull_sbom_input){
	    .image = t->image ? t->image : img,
	    .inv = t->inv ? t->inv : inv,
	    .diag = c->in->diag,
	    .tool_version = c->tool_version,
	    .now = c->in->now,
	};
}
