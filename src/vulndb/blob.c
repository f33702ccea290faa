/* The per-package blob: every advisory of one (namespace, package) in one
 * compact byte string, so that a lookup is one index probe and a decode
 * that allocates nothing (strings are NUL-terminated inside the blob and
 * handed out in place).
 *
 *   blob  := u8 version(1) varint count advisory*
 *   adv   := str id, u8 source kind eco status fix_status severity flags
 *            sev_source cvss10, [str vendor_sev] [str cvss_vector]
 *            [str fixed] [str title] [str url] (by flags),
 *            varint n_aliases str*, varint n_related str*, body
 *   body  := OSV: varint n_aff (varint n_ranges (u8 type varint n_ev
 *            (u8 kind str)*)* varint n_versions str*)*
 *            NPM_RANGE: str vulnerable str patched;  DISTRO: nothing
 *   str   := varint len, bytes, NUL
 *
 * The reader checks every length against the blob: a damaged or hostile
 * database file gives an error, never an out-of-bounds read. */
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "vulndb/internal.h"

#define BLOB_VERSION 1
#define F_NEGLIGIBLE 1u
#define F_VENDOR     2u
#define F_VECTOR     4u
#define F_FIXED      8u
#define F_TITLE      16u
#define F_URL        32u

static const char *const sev_sources[] = {NULL,        "debian",  "ubuntu", "ghsa",
                                          "nodejs-wg", "cvss_v3", "cvss_v2"};
#define N_SEV_SOURCES (sizeof(sev_sources) / sizeof(sev_sources[0]))

static int put_varint(struct hull_buf *o, uint64_t v, struct hull_err *err)
{
	unsigned char b[10];
	size_t n = 0;
	do {
		b[n] = v & 0x7f;
		v >>= 7;
		if (v)
			b[n] |= 0x80;
		n++;
	} while (v);
	return hull_buf_append(o, b, n, err);
}

static int put_u8(struct hull_buf *o, unsigned v, struct hull_err *err)
{
	return hull_buf_putc(o, (char)(unsigned char)v, err);
}

static int put_str(struct hull_buf *o, const char *s, struct hull_err *err)
{
	size_t n = s ? strlen(s) : 0;
	if (put_varint(o, n, err) < 0 || hull_buf_append(o, s ? s : "", n, err) < 0)
		return -1;
	return put_u8(o, 0, err);
}

static int put_list(struct hull_buf *o, const char *const *l, size_t n, struct hull_err *err)
{
	if (put_varint(o, n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (put_str(o, l[i], err) < 0)
			return -1;
	return 0;
}

static unsigned sev_source_code(const char *s)
{
	for (unsigned i = 1; s && i < N_SEV_SOURCES; i++)
		if (!strcmp(s, sev_sources[i]))
			return i;
	return 0;
}

static int encode_one(const struct vdb_adv *a, struct hull_buf *o, struct hull_err *err)
{
	unsigned flags = (a->negligible ? F_NEGLIGIBLE : 0) | (a->vendor_sev ? F_VENDOR : 0) |
	                 (a->cvss_vector ? F_VECTOR : 0) | (a->fixed ? F_FIXED : 0) |
	                 (a->title ? F_TITLE : 0) | (a->url ? F_URL : 0);
	if (put_str(o, a->id, err) < 0 || put_u8(o, a->source, err) < 0 ||
	    put_u8(o, a->kind, err) < 0 || put_u8(o, a->eco, err) < 0 ||
	    put_u8(o, a->status, err) < 0 || put_u8(o, a->fix_status, err) < 0 ||
	    put_u8(o, a->severity, err) < 0 || put_u8(o, flags, err) < 0 ||
	    put_u8(o, sev_source_code(a->sev_source), err) < 0 || put_u8(o, a->cvss10, err) < 0)
		return -1;
	if ((a->vendor_sev && put_str(o, a->vendor_sev, err) < 0) ||
	    (a->cvss_vector && put_str(o, a->cvss_vector, err) < 0) ||
	    (a->fixed && put_str(o, a->fixed, err) < 0) ||
	    (a->title && put_str(o, a->title, err) < 0) || (a->url && put_str(o, a->url, err) < 0))
		return -1;
	if (put_list(o, a->aliases, a->n_aliases, err) < 0 ||
	    put_list(o, a->related, a->n_related, err) < 0)
		return -1;
	if (a->kind == HULL_VULNDB_NPM_RANGE)
		return put_str(o, a->vulnerable, err) < 0 ? -1 : put_str(o, a->patched, err);
	if (a->kind != HULL_VULNDB_OSV)
		return 0;
	if (put_varint(o, a->n_aff, err) < 0)
		return -1;
	for (size_t i = 0; i < a->n_aff; i++) {
		const struct vdb_affected *f = &a->aff[i];
		if (put_varint(o, f->n_ranges, err) < 0)
			return -1;
		for (size_t r = 0; r < f->n_ranges; r++) {
			const struct vdb_range *rg = &f->ranges[r];
			if (put_u8(o, rg->type, err) < 0 || put_varint(o, rg->n_ev, err) < 0)
				return -1;
			for (size_t e = 0; e < rg->n_ev; e++)
				if (put_u8(o, rg->ev[e].kind, err) < 0 ||
				    put_str(o, rg->ev[e].version, err) < 0)
					return -1;
		}
		if (put_list(o, f->versions, f->n_versions, err) < 0)
			return -1;
	}
	return 0;
}

int vdb_blob_encode(struct vdb_adv *const *advs, size_t n, struct hull_buf *out,
                    struct hull_err *err)
{
	if (put_u8(out, BLOB_VERSION, err) < 0 || put_varint(out, n, err) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (encode_one(advs[i], out, err) < 0)
			return -1;
	return 0;
}

/* ---- decoding ----------------------------------------------------------------- */

struct rd {
	const unsigned char *p;
	size_t len, pos;
	bool bad;
};

static uint64_t get_varint(struct rd *r)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (r->pos >= r->len) {
			r->bad = true;
			return 0;
		}
		unsigned char c = r->p[r->pos++];
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
	r->bad = true;
	return 0;
}

static unsigned get_u8(struct rd *r)
{
	if (r->pos >= r->len) {
		r->bad = true;
		return 0;
	}
	return r->p[r->pos++];
}

static const char *get_str(struct rd *r, size_t *len)
{
	uint64_t n = get_varint(r);
	if (r->bad || n >= r->len - r->pos || r->p[r->pos + n] != 0) {
		r->bad = true;
		if (len) /* callers build slices before they look at r->bad */
			*len = 0;
		return "";
	}
	const char *s = (const char *)r->p + r->pos;
	r->pos += n + 1;
	if (len)
		*len = (size_t)n;
	return s;
}

/* A count that cannot be larger than the bytes left (each item takes at
 * least one byte), so hostile counts never drive an allocation. */
static size_t get_count(struct rd *r)
{
	uint64_t n = get_varint(r);
	if (n > r->len - r->pos) {
		r->bad = true;
		return 0;
	}
	return (size_t)n;
}

#define ENSURE(arr, cap, need, err)                                                                \
	((need) <= (cap) ? 0                                                                       \
	                 : hull_array_grow((void **)&(arr), &(cap), (need), sizeof(*(arr)),        \
	                                   SIZE_MAX / 64, (err)))

/* Walks the OSV body once to count what it holds. */
static void count_osv(struct rd r, size_t *n_aff, size_t *n_ranges, size_t *n_ev, size_t *n_vers,
                      bool *bad)
{
	*n_aff = get_count(&r);
	*n_ranges = *n_ev = *n_vers = 0;
	for (size_t i = 0; i < *n_aff && !r.bad; i++) {
		size_t nr = get_count(&r);
		*n_ranges += nr;
		for (size_t k = 0; k < nr && !r.bad; k++) {
			get_u8(&r);
			size_t ne = get_count(&r);
			*n_ev += ne;
			for (size_t e = 0; e < ne && !r.bad; e++) {
				get_u8(&r);
				get_str(&r, NULL);
			}
		}
		size_t nv = get_count(&r);
		*n_vers += nv;
		for (size_t v = 0; v < nv && !r.bad; v++)
			get_str(&r, NULL);
	}
	*bad = r.bad;
}

static int decode_osv(struct rd *r, struct vdb_scratch *sc, struct hull_vulndb_advisory *a,
                      struct hull_err *err)
{
	size_t na, nr, ne, nv;
	bool bad;
	count_osv(*r, &na, &nr, &ne, &nv, &bad);
	if (bad)
		return 1;
	if (ENSURE(sc->aff, sc->cap_aff, na + 1, err) < 0 ||
	    ENSURE(sc->ranges, sc->cap_ranges, nr + 1, err) < 0 ||
	    ENSURE(sc->ev, sc->cap_ev, ne + 1, err) < 0 ||
	    ENSURE(sc->vers, sc->cap_vers, nv + 1, err) < 0)
		return -1;
	size_t ir = 0, ie = 0, iv = 0;
	na = get_count(r);
	for (size_t i = 0; i < na; i++) {
		struct hull_osv_affected *f = &sc->aff[i];
		size_t n_ranges = get_count(r);
		f->ranges = &sc->ranges[ir];
		f->n_ranges = n_ranges;
		for (size_t k = 0; k < n_ranges; k++) {
			struct hull_osv_range *rg = &sc->ranges[ir++];
			unsigned type = get_u8(r);
			if (type > HULL_OSV_RANGE_SEMVER)
				return 1;
			rg->type = (enum hull_osv_range_type)type;
			size_t n_ev = get_count(r);
			rg->events = &sc->ev[ie];
			rg->n_events = n_ev;
			for (size_t e = 0; e < n_ev; e++) {
				unsigned kind = get_u8(r);
				if (kind > HULL_OSV_LIMIT)
					return 1;
				size_t len;
				const char *s = get_str(r, &len);
				sc->ev[ie++] = (struct hull_osv_event){
				    (enum hull_osv_event_kind)kind, hull_str(s, len)};
			}
		}
		size_t n_vers = get_count(r);
		f->versions = &sc->vers[iv];
		f->n_versions = n_vers;
		for (size_t v = 0; v < n_vers; v++) {
			size_t len;
			const char *s = get_str(r, &len);
			sc->vers[iv++] = hull_str(s, len);
		}
	}
	a->affected = sc->aff;
	a->n_affected = na;
	return r->bad ? 1 : 0;
}

static int decode_list(struct rd *r, struct vdb_scratch *sc, const char *const **out, size_t *n)
{
	size_t c = get_count(r);
	*out = (const char *const *)&sc->strs[sc->n_strs];
	*n = c;
	for (size_t i = 0; i < c; i++) {
		if (sc->n_strs >= sc->cap_strs)
			return 1; /* counted beforehand: a mismatch means damage */
		sc->strs[sc->n_strs++] = get_str(r, NULL);
	}
	return r->bad;
}

static int decode_one(struct rd *r, struct vdb_scratch *sc, struct hull_vulndb_advisory *a,
                      struct hull_err *err)
{
	memset(a, 0, sizeof(*a));
	a->id = get_str(r, NULL);
	unsigned source = get_u8(r), kind = get_u8(r), eco = get_u8(r), status = get_u8(r),
	         fix = get_u8(r), sev = get_u8(r), flags = get_u8(r), sev_src = get_u8(r),
	         cvss10 = get_u8(r);
	if (r->bad || !a->id || !a->id[0] || source >= HULL_VULNDB_SRC_COUNT ||
	    kind > HULL_VULNDB_NPM_RANGE || eco >= HULL_ECO_COUNT ||
	    status > HULL_VULN_END_OF_LIFE || fix > HULL_DISTRO_NOT_AFFECTED ||
	    sev > HULL_SEV_CRITICAL || sev_src >= N_SEV_SOURCES || cvss10 > 100)
		return 1;
	a->source = (enum hull_vulndb_source)source;
	a->kind = (enum hull_vulndb_kind)kind;
	a->eco = (enum hull_ecosystem)eco;
	a->status = (enum hull_vuln_status)status;
	a->severity = (enum hull_severity)sev;
	a->severity_source = sev_sources[sev_src];
	a->negligible = flags & F_NEGLIGIBLE;
	a->cvss_score = cvss10 / 10.0;
	a->vendor_severity = flags & F_VENDOR ? get_str(r, NULL) : NULL;
	a->cvss_vector = flags & F_VECTOR ? get_str(r, NULL) : NULL;
	a->fixed = flags & F_FIXED ? get_str(r, NULL) : NULL;
	a->title = flags & F_TITLE ? get_str(r, NULL) : NULL;
	a->url = flags & F_URL ? get_str(r, NULL) : NULL;
	a->fix.status = (enum hull_distro_status)fix;
	a->fix.fixed = a->fixed ? hull_str_c(a->fixed) : hull_str("", 0);
	/* room for both lists before filling them (pointers into strs) */
	struct rd peek = *r;
	size_t n1 = get_count(&peek);
	for (size_t i = 0; i < n1 && !peek.bad; i++)
		get_str(&peek, NULL);
	size_t n2 = get_count(&peek);
	if (peek.bad)
		return 1;
	sc->n_strs = 0;
	if (ENSURE(sc->strs, sc->cap_strs, n1 + n2 + 1, err) < 0)
		return -1;
	if (decode_list(r, sc, &a->aliases, &a->n_aliases) ||
	    decode_list(r, sc, &a->related, &a->n_related))
		return 1;
	if (a->kind == HULL_VULNDB_NPM_RANGE) {
		size_t l1, l2;
		const char *v = get_str(r, &l1), *p = get_str(r, &l2);
		a->vulnerable = hull_str(v, l1);
		a->patched = hull_str(p, l2);
	} else if (a->kind == HULL_VULNDB_OSV) {
		int rc = decode_osv(r, sc, a, err);
		if (rc)
			return rc;
	}
	if (!a->url) {
		vdb_default_url(a->source, a->id, sc->url, sizeof(sc->url));
		a->url = sc->url;
	}
	return r->bad ? 1 : 0;
}

int vdb_blob_decode(const unsigned char *blob, size_t len, const char *ns, const char *pkg,
                    struct vdb_scratch *sc, hull_vulndb_visit_fn fn, void *ctx,
                    struct hull_err *err)
{
	struct rd r = {.p = blob, .len = len};
	if (get_u8(&r) != BLOB_VERSION)
		return hull_err_set(err, HULL_ERR_INPUT, "%s %s: unknown record version", ns, pkg);
	size_t n = get_count(&r);
	for (size_t i = 0; i < n; i++) {
		struct hull_vulndb_advisory a;
		int rc = decode_one(&r, sc, &a, err);
		if (rc < 0)
			return -1;
		if (rc > 0)
			return hull_err_set(err, HULL_ERR_INPUT,
			                    "%s %s: damaged record at byte %zu", ns, pkg, r.pos);
		a.ns = ns;
		a.package = pkg;
		if (fn(&a, ctx))
			return 0;
	}
	if (r.bad || r.pos != r.len)
		return hull_err_set(err, HULL_ERR_INPUT, "%s %s: damaged record", ns, pkg);
	return 0;
}

void vdb_scratch_release(struct vdb_scratch *sc)
{
	free(sc->strs);
	free(sc->ev);
	free(sc->ranges);
	free(sc->vers);
	free(sc->aff);
	memset(sc, 0, sizeof(*sc));
}
