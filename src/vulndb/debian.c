/* Debian feeds: the security tracker JSON (source package -> id -> release
 * -> status) and the native DSA / DLA lists. Everything is keyed by source
 * package and namespace "debian:<release number>". */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/mem.h"
#include "vulndb/internal.h"

static const struct {
	const char *codename, *release;
} debian_releases[] = {
    {"buzz", "1.1"},     {"rex", "1.2"},     {"bo", "1.3"},    {"hamm", "2.0"},  {"slink", "2.1"},
    {"potato", "2.2"},   {"woody", "3.0"},   {"sarge", "3.1"}, {"etch", "4.0"},  {"lenny", "5.0"},
    {"squeeze", "6.0"},  {"wheezy", "7"},    {"jessie", "8"},  {"stretch", "9"}, {"buster", "10"},
    {"bullseye", "11"},  {"bookworm", "12"}, {"trixie", "13"}, {"forky", "14"},  {"duke", "15"},
    {"sid", "unstable"},
};

const char *vdb_debian_release(struct hull_str codename)
{
	for (size_t i = 0; i < sizeof(debian_releases) / sizeof(debian_releases[0]); i++)
		if (hull_str_eq_c(codename, debian_releases[i].codename))
			return debian_releases[i].release;
	return NULL;
}

bool vdb_debian_urgency(struct hull_str u, enum hull_severity *sev, bool *negligible)
{
	*negligible = false;
	/* "*" and "**" mark an urgency the tracker guessed (from NVD); the
	 * word is still the tracker's */
	while (u.len && u.ptr[u.len - 1] == '*')
		u.len--;
	if (hull_str_eq_c(u, "unimportant")) {
		*sev = HULL_SEV_LOW;
		*negligible = true;
	} else if (hull_str_eq_c(u, "low")) {
		*sev = HULL_SEV_LOW;
	} else if (hull_str_eq_c(u, "medium")) {
		*sev = HULL_SEV_MEDIUM;
	} else if (hull_str_eq_c(u, "high")) {
		*sev = HULL_SEV_HIGH;
	} else if (hull_str_eq_c(u, "not yet assigned") || hull_str_eq_c(u, "end-of-life")) {
		*sev = HULL_SEV_UNKNOWN;
	} else {
		*sev = HULL_SEV_UNKNOWN;
		return false;
	}
	return true;
}

/* ---- tracker JSON --------------------------------------------------------- */

struct tracker_ctx {
	struct hull_vulndb_builder *b;
	const struct vdb_doc *doc;
	const char *pkg;
	size_t pkg_off, pkg_len; /* the package's value span */
};

/* Byte offset of the member chain keys[0..n) inside the object at
 * [off, off+len), for messages; the deepest member found. */
static size_t locate(const char *data, size_t off, size_t len, const char *const *keys, size_t n)
{
	size_t at = off;
	for (size_t depth = 0; depth < n; depth++) {
		size_t pos = 0, voff, vlen;
		struct hull_str key;
		int r;
		bool found = false;
		char buf[512];
		while ((r = vdb_json_next_member(data + off, len, &pos, &key, &voff, &vlen)) == 1) {
			if (vdb_json_unescape(key, buf, sizeof(buf)) &&
			    strcmp(buf, keys[depth]) == 0) {
				at = off + voff;
				off += voff;
				len = vlen;
				found = true;
				break;
			}
		}
		if (!found)
			break;
	}
	return at;
}

static int tracker_bad(struct tracker_ctx *t, const char *id, const char *rel, struct hull_err *err,
                       const char *what)
{
	const char *keys[] = {id, "releases", rel};
	size_t off = locate(t->doc->data, t->pkg_off, t->pkg_len, keys, id ? (rel ? 3 : 1) : 0);
	return vdb_bad(t->b, HULL_VULNDB_SRC_DEBIAN_TRACKER, t->doc,
	               (struct vdb_pos){.has_off = true, .off = off}, err,
	               "package '%s'%s%s%s%s: %s", t->pkg, id ? ", " : "", id ? id : "",
	               rel ? ", release " : "", rel ? rel : "", what);
}

static int tracker_release(struct tracker_ctx *t, const char *id, const char *rel,
                           struct json_object *r, struct hull_err *err)
{
	struct hull_vulndb_builder *b = t->b;
	const char *relno = vdb_debian_release(hull_str_c(rel));
	if (!relno) {
		b->src[HULL_VULNDB_SRC_DEBIAN_TRACKER].unsupported++;
		return 0;
	}
	if (!json_object_is_type(r, json_type_object))
		return tracker_bad(t, id, rel, err, "expected an object with 'status'");
	const char *status = hull_json_get_str(r, "status");
	struct json_object *fv_obj = NULL;
	json_object_object_get_ex(r, "fixed_version", &fv_obj);
	const char *fixed = hull_json_get_str(r, "fixed_version");
	const char *urgency = hull_json_get_str(r, "urgency");
	const char *nodsa_reason = hull_json_get_str(r, "nodsa_reason");
	if (!status)
		return tracker_bad(t, id, rel, err, "expected a string 'status'");
	if (fv_obj && !fixed)
		return tracker_bad(t, id, rel, err, "expected 'fixed_version' to be a string");
	struct vdb_adv *a = hull_arena_alloc(&b->arena, sizeof(*a), NULL);
	if (!a)
		return hull_err_nomem(err);
	memset(a, 0, sizeof(*a));
	a->source = HULL_VULNDB_SRC_DEBIAN_TRACKER;
	a->kind = HULL_VULNDB_DISTRO;
	a->eco = HULL_ECO_DPKG;
	bool eol = urgency && strcmp(urgency, "end-of-life") == 0;
	if (strcmp(status, "resolved") == 0) {
		if (!fixed)
			return tracker_bad(t, id, rel, err,
			                   "status 'resolved' without a 'fixed_version'");
		struct hull_err verr = {0};
		if (hull_version_validate(HULL_ECO_DPKG, hull_str_c(fixed), &verr) < 0) {
			char what[1200];
			snprintf(what, sizeof(what), "fixed_version: %s", verr.msg);
			return tracker_bad(t, id, rel, err, what);
		}
		a->status = HULL_VULN_FIXED;
		a->fix_status =
		    strcmp(fixed, "0") == 0 ? HULL_DISTRO_NOT_AFFECTED : HULL_DISTRO_FIXED;
		a->fixed = hull_arena_strdup(&b->arena, fixed, NULL);
		if (!a->fixed)
			return hull_err_nomem(err);
	} else if (strcmp(status, "open") == 0 || strcmp(status, "undetermined") == 0) {
		a->fix_status = HULL_DISTRO_UNFIXED;
		if (eol)
			a->status = HULL_VULN_END_OF_LIFE;
		else if (nodsa_reason && strcmp(nodsa_reason, "ignored") == 0)
			a->status = HULL_VULN_WILL_NOT_FIX;
		else if (nodsa_reason && strcmp(nodsa_reason, "postponed") == 0)
			a->status = HULL_VULN_FIX_DEFERRED;
		else
			a->status = HULL_VULN_AFFECTED;
	} else {
		char what[300];
		snprintf(what, sizeof(what),
		         "unknown status '%.64s' (expected resolved, open or undetermined)",
		         status);
		return tracker_bad(t, id, rel, err, what);
	}
	if (urgency) {
		enum hull_severity sev;
		vdb_debian_urgency(hull_str_c(urgency), &sev, &a->negligible);
		a->severity = (uint8_t)sev;
		a->vendor_sev = hull_arena_strdup(&b->arena, urgency, NULL);
		if (!a->vendor_sev)
			return hull_err_nomem(err);
		if (sev != HULL_SEV_UNKNOWN || a->negligible)
			a->sev_source = "debian";
	}
	a->id = hull_arena_strdup(&b->arena, id, NULL);
	if (!a->id)
		return hull_err_nomem(err);
	char ns[64];
	snprintf(ns, sizeof(ns), "debian:%s", relno);
	uint32_t nsid;
	if (vdb_ns(b, ns, &nsid, err) < 0 || vdb_add(b, nsid, t->pkg, a, err) < 0)
		return -1;
	b->src[HULL_VULNDB_SRC_DEBIAN_TRACKER].records++;
	b->records++;
	return 0;
}

static int tracker_id(struct tracker_ctx *t, const char *id, struct json_object *v,
                      struct hull_err *err)
{
	if (!*id) /* the blob has no record without an id */
		return tracker_bad(t, NULL, NULL, err,
		                   "expected a vulnerability id as key, got ''");
	if (!json_object_is_type(v, json_type_object))
		return tracker_bad(t, id, NULL, err, "expected an object with 'releases'");
	struct json_object *rels = NULL;
	if (!json_object_object_get_ex(v, "releases", &rels))
		return tracker_bad(t, id, NULL, err, "expected 'releases'");
	if (json_object_is_type(rels, json_type_array) && json_object_array_length(rels) == 0)
		return 0; /* the tracker writes an empty release set as [] */
	if (!json_object_is_type(rels, json_type_object))
		return tracker_bad(t, id, NULL, err, "expected 'releases' to be an object");
	const char *desc = hull_json_get_str(v, "description");
	if (desc && *desc) {
		struct vdb_details *d = vdb_details(t->b, id, err);
		if (!d)
			return -1;
		if (!d->description &&
		    !(d->description = hull_arena_strdup(&t->b->arena, desc, NULL)))
			return hull_err_nomem(err);
	}
	json_object_object_foreach(rels, rel, r)
	{
		if (tracker_release(t, id, rel, r, err) < 0)
			return -1;
	}
	return 0;
}

int vdb_parse_debian_tracker(struct hull_vulndb_builder *b, const struct vdb_doc *doc,
                             struct hull_err *err)
{
	size_t pos = 0, voff, vlen;
	struct hull_str key;
	int r;
	vdb_note_origin(b, HULL_VULNDB_SRC_DEBIAN_TRACKER);
	while ((r = vdb_json_next_member(doc->data, doc->len, &pos, &key, &voff, &vlen)) == 1) {
		char pkg[512];
		struct tracker_ctx t = {
		    .b = b, .doc = doc, .pkg = pkg, .pkg_off = voff, .pkg_len = vlen};
		if (!vdb_json_unescape(key, pkg, sizeof(pkg)) || !*pkg) {
			snprintf(pkg, sizeof(pkg), "?");
			if (tracker_bad(&t, NULL, NULL, err, "expected a package name as key") < 0)
				return -1;
			continue;
		}
		struct json_object *obj;
		struct hull_err perr = {0};
		if (vdb_json_parse_at(doc, voff, vlen, &obj, &perr) < 0) {
			if (vdb_bad(b, HULL_VULNDB_SRC_DEBIAN_TRACKER, doc,
			            (struct vdb_pos){.has_off = true, .off = voff}, err,
			            "package '%s': %s", pkg, perr.msg) < 0)
				return -1;
			continue;
		}
		int rc = 0;
		if (!json_object_is_type(obj, json_type_object)) {
			rc = tracker_bad(&t, NULL, NULL, err,
			                 "expected an object of vulnerability ids");
		} else {
			json_object_object_foreach(obj, id, v)
			{
				if ((rc = tracker_id(&t, id, v, err)) < 0)
					break;
			}
		}
		json_object_put(obj);
		if (rc < 0)
			return -1;
		if (b->opts.progress)
			b->opts.progress(b->opts.progress_ctx, b->input_bytes + pos,
			                 b->input_total);
	}
	if (r < 0)
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "%s: byte %zu: malformed JSON (expected a member of the "
		                    "top-level object)",
		                    doc->name, pos);
	return 0;
}

/* ---- DSA / DLA lists ------------------------------------------------------ */

struct dsa_fix {
	const char *release; /* "12" */
	struct hull_str pkg, version;
	enum hull_vuln_status status;
	enum hull_distro_status fix;
};

struct dsa {
	struct hull_str id, base, title;
	size_t off; /* header line offset, for messages */
	char date[24];
	struct hull_str *ids;
	size_t n_ids, cap_ids;
	struct dsa_fix *fixes;
	size_t n_fixes, cap_fixes;
	bool bad;
};

static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* "[29 Mar 2023] DSA-5380-1 xorg-server - security update" */
static bool parse_header(struct hull_str line, struct dsa *a, const char *prefix)
{
	if (line.len < 18 || line.ptr[0] != '[' || line.ptr[3] != ' ' || line.ptr[7] != ' ' ||
	    line.ptr[12] != ']' || line.ptr[13] != ' ')
		return false;
	const char *p = line.ptr;
	if (!isdigit((unsigned char)p[1]) || !isdigit((unsigned char)p[2]))
		return false;
	int mon = -1;
	for (int i = 0; i < 12; i++)
		if (memcmp(p + 4, months[i], 3) == 0)
			mon = i + 1;
	for (int i = 8; i < 12; i++)
		if (!isdigit((unsigned char)p[i]))
			return false;
	if (mon < 0)
		return false;
	snprintf(a->date, sizeof(a->date), "%.4s-%02d-%.2s", p + 8, mon, p + 1);
	struct hull_str rest = hull_str(p + 14, line.len - 14), id, title;
	hull_str_split(rest, ' ', &id, &title);
	if (!hull_str_has_prefix(id, prefix) || id.len <= strlen(prefix))
		return false;
	for (size_t i = strlen(prefix); i < id.len; i++)
		if (!isdigit((unsigned char)id.ptr[i]) && id.ptr[i] != '-')
			return false;
	a->id = id;
	a->base = id;
	long dash = -1;
	for (size_t i = strlen(prefix); i < id.len; i++)
		if (id.ptr[i] == '-')
			dash = (long)i;
	if (dash > 0)
		a->base.len = (size_t)dash;
	a->title = hull_str_trim(title);
	return true;
}

static bool is_id_token(struct hull_str t)
{
	if (t.len < 3 || t.len > 64 || !isalpha((unsigned char)t.ptr[0]))
		return false;
	bool dash = false;
	for (size_t i = 0; i < t.len; i++) {
		char c = t.ptr[i];
		if (c == '-')
			dash = true;
		else if (!isalnum((unsigned char)c) && c != '_')
			return false;
	}
	return dash;
}

/* "{CVE-2023-1 CVE-2023-2}" */
static bool parse_ids(struct hull_str line, struct dsa *a, struct hull_err *err, bool *oom)
{
	if (line.len < 2 || line.ptr[line.len - 1] != '}')
		return false;
	struct hull_str rest = hull_str(line.ptr + 1, line.len - 2);
	while (rest.len) {
		rest = hull_str_trim(rest);
		if (!rest.len)
			break;
		struct hull_str tok, after;
		if (!hull_str_split(rest, ' ', &tok, &after))
			after = hull_str(rest.ptr + rest.len, 0);
		if (!is_id_token(tok))
			return false;
		if (HULL_ARRAY_PUSH_ROOM(a->ids, a->n_ids, a->cap_ids, VDB_MAX_LIST, err) < 0) {
			*oom = true;
			return false;
		}
		a->ids[a->n_ids++] = tok;
		rest = after;
	}
	return true;
}

/* "[bullseye] - xorg-server 2:1.20.11-1+deb11u6 (notes)" or "<status>" */
/* A Debian package name as policy 5.6.1 has it: lowercase letters, digits,
 * '+', '-', '.', starting with a letter or digit. Anything else (a NUL, a
 * control byte) would be stored as a name nothing matches, or cut short. */
static bool deb_name_ok(struct hull_str n)
{
	if (!n.len || !isalnum((unsigned char)n.ptr[0]))
		return false;
	for (size_t i = 0; i < n.len; i++) {
		unsigned char c = (unsigned char)n.ptr[i];
		if (!(islower(c) || isdigit(c) || c == '+' || c == '-' || c == '.'))
			return false;
	}
	return true;
}

static int parse_fix(struct hull_str line, struct dsa_fix *f, const char **why)
{
	*why = "expected '[release] - package version'";
	struct hull_str rel, rest;
	if (line.ptr[0] != '[' ||
	    !hull_str_split(hull_str(line.ptr + 1, line.len - 1), ']', &rel, &rest))
		return -1;
	rest = hull_str_trim(rest);
	if (!hull_str_has_prefix(rest, "- "))
		return -1;
	rest = hull_str_trim(hull_str(rest.ptr + 2, rest.len - 2));
	struct hull_str pkg, ver;
	if (!hull_str_split(rest, ' ', &pkg, &ver) || !pkg.len)
		return -1;
	if (!deb_name_ok(pkg)) {
		*why = "expected a Debian package name (a-z, 0-9, '+', '-', '.')";
		return -1;
	}
	ver = hull_str_trim(ver);
	long sp = hull_str_index(ver, ' ');
	if (sp >= 0) {
		struct hull_str note = hull_str_trim(hull_str(ver.ptr + sp, ver.len - (size_t)sp));
		if (note.len && note.ptr[0] != '(') {
			*why = "expected '(notes)' after the version";
			return -1;
		}
		ver.len = (size_t)sp;
	}
	if (!ver.len)
		return -1;
	f->release = vdb_debian_release(rel);
	f->pkg = pkg;
	f->version = ver;
	f->fix = HULL_DISTRO_UNFIXED;
	if (ver.ptr[0] != '<') {
		struct hull_err verr = {0};
		if (hull_version_validate(HULL_ECO_DPKG, ver, &verr) < 0) {
			*why = "invalid Debian version";
			return -1;
		}
		f->status = HULL_VULN_FIXED;
		f->fix = HULL_DISTRO_FIXED;
	} else if (hull_str_eq_c(ver, "<not-affected>")) {
		f->status = HULL_VULN_FIXED;
		f->fix = HULL_DISTRO_NOT_AFFECTED;
	} else if (hull_str_eq_c(ver, "<end-of-life>")) {
		f->status = HULL_VULN_END_OF_LIFE;
	} else if (hull_str_eq_c(ver, "<unfixed>")) {
		f->status = HULL_VULN_AFFECTED;
	} else if (hull_str_eq_c(ver, "<no-dsa>") || hull_str_eq_c(ver, "<ignored>")) {
		f->status = HULL_VULN_WILL_NOT_FIX;
	} else if (hull_str_eq_c(ver, "<postponed>")) {
		f->status = HULL_VULN_FIX_DEFERRED;
	} else {
		*why = "unknown status (expected a version, <not-affected>, <end-of-life>, "
		       "<unfixed>, <no-dsa>, <ignored> or <postponed>)";
		return -1;
	}
	return 0;
}

static void dsa_free(struct dsa *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].ids);
		free(v[i].fixes);
	}
	free(v);
}

static int dsa_emit(struct hull_vulndb_builder *b, enum hull_vulndb_source s, const struct dsa *a,
                    const struct hull_str *ids, size_t n_ids, struct hull_err *err)
{
	const char *dsa_id = hull_arena_strndup(&b->arena, a->id.ptr, a->id.len, NULL);
	const char **related = hull_arena_alloc(&b->arena, sizeof(*related), NULL);
	if (!dsa_id || !related)
		return hull_err_nomem(err);
	related[0] = dsa_id;
	for (size_t i = 0; i < a->n_fixes; i++) {
		const struct dsa_fix *f = &a->fixes[i];
		if (!f->release) {
			b->src[s].unsupported++;
			continue;
		}
		char ns[64];
		snprintf(ns, sizeof(ns), "debian:%s", f->release);
		uint32_t nsid;
		char *pkg = hull_arena_strndup(&b->arena, f->pkg.ptr, f->pkg.len, NULL);
		if (!pkg || vdb_ns(b, ns, &nsid, err) < 0)
			return pkg ? -1 : hull_err_nomem(err);
		const char *fixed =
		    f->fix == HULL_DISTRO_FIXED
		        ? hull_arena_strndup(&b->arena, f->version.ptr, f->version.len, NULL)
		    : f->fix == HULL_DISTRO_NOT_AFFECTED ? "0"
		                                         : NULL;
		for (size_t k = 0; k < (n_ids ? n_ids : 1); k++) {
			struct vdb_adv *v = hull_arena_alloc(&b->arena, sizeof(*v), NULL);
			if (!v)
				return hull_err_nomem(err);
			memset(v, 0, sizeof(*v));
			v->source = (uint8_t)s;
			v->kind = HULL_VULNDB_DISTRO;
			v->eco = HULL_ECO_DPKG;
			v->status = (uint8_t)f->status;
			v->fix_status = (uint8_t)f->fix;
			v->fixed = fixed;
			if (n_ids) {
				v->id = hull_arena_strndup(&b->arena, ids[k].ptr, ids[k].len, NULL);
				v->related = related;
				v->n_related = 1;
			} else {
				v->id = dsa_id;
				if (a->title.len)
					v->title = hull_arena_strndup(&b->arena, a->title.ptr,
					                              a->title.len < VDB_TITLE_MAX
					                                  ? a->title.len
					                                  : VDB_TITLE_MAX,
					                              NULL);
			}
			if (!v->id)
				return hull_err_nomem(err);
			if (vdb_add(b, nsid, pkg, v, err) < 0)
				return -1;
		}
	}
	return 0;
}

int vdb_parse_dsa_list(struct hull_vulndb_builder *b, const struct vdb_doc *doc,
                       enum hull_vulndb_source s, struct hull_err *err)
{
	const char *prefix = s == HULL_VULNDB_SRC_DEBIAN_DLA ? "DLA-" : "DSA-";
	struct dsa *v = NULL;
	size_t n = 0, cap = 0;
	struct hull_str rest = hull_str(doc->data, doc->len), line;
	int rc = -1;
	vdb_note_origin(b, s);
	while (hull_str_next_line(&rest, &line)) {
		size_t off = (size_t)(line.ptr - doc->data);
		struct hull_str t = hull_str_trim(line);
		if (!t.len)
			continue;
		if (line.ptr[0] == '[') {
			if (HULL_ARRAY_PUSH_ROOM(v, n, cap, 10000000, err) < 0)
				goto out;
			struct dsa *a = &v[n++];
			memset(a, 0, sizeof(*a));
			a->off = off;
			if (!parse_header(line, a, prefix)) {
				a->bad = true;
				if (vdb_bad(b, s, doc,
				            (struct vdb_pos){.has_off = true, .off = off}, err,
				            "expected '[DD Mon YYYY] %sNNNN-N package - title'",
				            prefix) < 0)
					goto out;
			}
			continue;
		}
		struct dsa *a = n ? &v[n - 1] : NULL;
		const char *why = NULL;
		bool oom = false;
		if (!a) {
			why = "expected an advisory header before this line";
		} else if (a->bad) {
			continue;
		} else if (t.ptr[0] == '{') {
			if (!parse_ids(t, a, err, &oom))
				why = "expected '{ID ID ...}'";
		} else if (t.ptr[0] == '[') {
			struct dsa_fix f;
			if (parse_fix(t, &f, &why) == 0) {
				why = NULL;
				if (HULL_ARRAY_PUSH_ROOM(a->fixes, a->n_fixes, a->cap_fixes,
				                         VDB_MAX_LIST, err) < 0)
					goto out;
				a->fixes[a->n_fixes++] = f;
			}
		} else if (!hull_str_has_prefix(t, "NOTE:")) {
			why = "expected '{ids}', '[release] - package version' or 'NOTE:'";
		}
		if (oom)
			goto out;
		if (why) {
			if (a)
				a->bad = true;
			if (vdb_bad(b, s, doc, (struct vdb_pos){.has_off = true, .off = off}, err,
			            "%s", why) < 0)
				goto out;
		}
	}
	/* a regression update (DSA-5356-2) lists no ids: it fixes the ids of
	 * its first advisory (DSA-5356-1) */
	for (size_t i = 0; i < n; i++) {
		struct dsa *a = &v[i];
		if (a->bad)
			continue;
		const struct hull_str *ids = a->ids;
		size_t n_ids = a->n_ids;
		for (size_t j = 0; j < n && !n_ids; j++)
			if (j != i && !v[j].bad && v[j].n_ids && hull_str_eq(v[j].base, a->base)) {
				ids = v[j].ids;
				n_ids = v[j].n_ids;
			}
		if (dsa_emit(b, s, a, ids, n_ids, err) < 0)
			goto out;
		b->src[s].records++;
		b->records++;
		vdb_note_timestamp(b, s, a->date);
	}
	rc = 0;
out:
	dsa_free(v, n);
	return rc;
}

/* ---- data/CVE/list (the tracker's source) --------------------------------- */

/* Only explicit statements are taken: "- pkg ..." speaks for sid,
 * "[release] - pkg ..." for that release. The tracker JSON adds what it
 * derives from the archive's package versions, which this file alone does
 * not know. */
struct cve_stmt {
	const char *release;
	struct hull_str pkg, ver;
	struct hull_str urgency;
};

static bool cve_header_id(struct hull_str id, bool *placeholder)
{
	*placeholder = false;
	if (!hull_str_has_prefix(id, "CVE-") || id.len < 13 || id.ptr[8] != '-')
		return false;
	for (size_t i = 4; i < 8; i++)
		if (!isdigit((unsigned char)id.ptr[i]))
			return false;
	bool digits = true, xs = true;
	for (size_t i = 9; i < id.len; i++) {
		digits &= isdigit((unsigned char)id.ptr[i]) != 0;
		xs &= id.ptr[i] == 'X';
	}
	*placeholder = xs;
	return digits || xs;
}

/* "low; bug #990901" -> "low" */
static struct hull_str cve_urgency(struct hull_str notes)
{
	while (notes.len) {
		size_t k = 0;
		while (k < notes.len && notes.ptr[k] != ';' && notes.ptr[k] != ',')
			k++;
		struct hull_str t = hull_str_trim(hull_str(notes.ptr, k));
		enum hull_severity sev;
		bool neg;
		if (vdb_debian_urgency(t, &sev, &neg) && t.len)
			return t;
		notes = k < notes.len ? hull_str(notes.ptr + k + 1, notes.len - k - 1)
		                      : hull_str(notes.ptr + k, 0);
	}
	return hull_str("", 0);
}

/* Parses "pkg version-or-<status> (notes)". */
static bool cve_stmt(struct hull_str rest, struct cve_stmt *st)
{
	struct hull_str pkg, ver;
	if (!hull_str_split(hull_str_trim(rest), ' ', &pkg, &ver) || !deb_name_ok(pkg))
		return false;
	ver = hull_str_trim(ver);
	struct hull_str notes = hull_str("", 0);
	long sp = hull_str_index(ver, ' ');
	if (ver.len && ver.ptr[0] == '(') {
		notes = ver; /* "- pkg (notes)": no version at all */
		ver = hull_str("", 0);
	} else if (sp >= 0) {
		notes = hull_str_trim(hull_str(ver.ptr + sp, ver.len - (size_t)sp));
		ver.len = (size_t)sp;
	}
	if (notes.len) {
		if (notes.ptr[0] != '(' || notes.ptr[notes.len - 1] != ')')
			return false;
		notes = hull_str(notes.ptr + 1, notes.len - 2);
	}
	if (!ver.len)
		return false;
	st->pkg = pkg;
	st->ver = ver;
	st->urgency = cve_urgency(notes);
	return true;
}

static int cve_emit(struct hull_vulndb_builder *b, const struct vdb_doc *doc, size_t off,
                    struct hull_str id, const struct cve_stmt *st, struct hull_err *err)
{
	const enum hull_vulndb_source S = HULL_VULNDB_SRC_DEBIAN_CVE_LIST;
	struct dsa_fix f;
	char line[600];
	int n = snprintf(line, sizeof(line), "[x] - %.*s %.*s", (int)st->pkg.len, st->pkg.ptr,
	                 (int)st->ver.len, st->ver.ptr);
	const char *why;
	if (hull_str_eq_c(st->ver, "<removed>") || hull_str_eq_c(st->ver, "<itp>")) {
		b->src[S].unsupported++; /* no package in that release */
		return 0;
	}
	bool undetermined = hull_str_eq_c(st->ver, "<undetermined>");
	if (undetermined) {
		f.status = HULL_VULN_AFFECTED;
		f.fix = HULL_DISTRO_UNFIXED;
	} else if (n < 0 || (size_t)n >= sizeof(line) ||
	           parse_fix(hull_str(line, (size_t)n), &f, &why) < 0) {
		return vdb_bad(b, S, doc, (struct vdb_pos){.has_off = true, .off = off}, err, "%s",
		               n < 0 || (size_t)n >= sizeof(line) ? "statement too long" : why);
	}
	if (!st->release) {
		b->src[S].unsupported++;
		return 0;
	}
	struct vdb_adv *a = hull_arena_alloc(&b->arena, sizeof(*a), NULL);
	char *pkg = hull_arena_strndup(&b->arena, st->pkg.ptr, st->pkg.len, NULL);
	if (!a || !pkg)
		return hull_err_nomem(err);
	memset(a, 0, sizeof(*a));
	a->source = S;
	a->kind = HULL_VULNDB_DISTRO;
	a->eco = HULL_ECO_DPKG;
	a->status = (uint8_t)f.status;
	a->fix_status = (uint8_t)f.fix;
	a->id = hull_arena_strndup(&b->arena, id.ptr, id.len, NULL);
	if (f.fix == HULL_DISTRO_FIXED)
		a->fixed = hull_arena_strndup(&b->arena, st->ver.ptr, st->ver.len, NULL);
	else if (f.fix == HULL_DISTRO_NOT_AFFECTED)
		a->fixed = "0";
	if (!a->id || (f.fix == HULL_DISTRO_FIXED && !a->fixed))
		return hull_err_nomem(err);
	if (st->urgency.len) {
		enum hull_severity sev;
		vdb_debian_urgency(st->urgency, &sev, &a->negligible);
		a->severity = (uint8_t)sev;
		a->sev_source = "debian";
		if (!(a->vendor_sev =
		          hull_arena_strndup(&b->arena, st->urgency.ptr, st->urgency.len, NULL)))
			return hull_err_nomem(err);
	}
	char ns[64];
	snprintf(ns, sizeof(ns), "debian:%s", st->release);
	uint32_t nsid;
	if (vdb_ns(b, ns, &nsid, err) < 0 || vdb_add(b, nsid, pkg, a, err) < 0)
		return -1;
	b->src[S].records++;
	b->records++;
	return 0;
}

int vdb_parse_cve_list(struct hull_vulndb_builder *b, const struct vdb_doc *doc,
                       struct hull_err *err)
{
	const enum hull_vulndb_source S = HULL_VULNDB_SRC_DEBIAN_CVE_LIST;
	struct hull_str rest = hull_str(doc->data, doc->len), line, id = {0};
	bool skip = true;
	/* a package's urgency is written once, on its "- pkg" line, and holds
	 * for every release */
	struct {
		struct hull_str pkg, urgency;
	} urg[16];
	size_t n_urg = 0;
	vdb_note_origin(b, S);
	while (hull_str_next_line(&rest, &line)) {
		size_t off = (size_t)(line.ptr - doc->data);
		struct hull_str t = hull_str_trim(line);
		if (!t.len)
			continue;
		if (line.ptr[0] != ' ' && line.ptr[0] != '\t') {
			struct hull_str after;
			if (!hull_str_split(t, ' ', &id, &after))
				id = t;
			bool placeholder;
			if (!cve_header_id(id, &placeholder)) {
				skip = true;
				if (vdb_bad(b, S, doc,
				            (struct vdb_pos){.has_off = true, .off = off}, err,
				            "expected 'CVE-YYYY-NNNN (description)'") < 0)
					return -1;
				continue;
			}
			/* CVE-YYYY-XXXX: the tracker names these TEMP-<bug>-<hash> */
			skip = placeholder;
			n_urg = 0;
			if (placeholder)
				b->src[S].unsupported++;
			continue;
		}
		if (skip)
			continue;
		struct cve_stmt st = {.release = "unstable"};
		struct hull_str rel, body;
		bool ok = true;
		if (hull_str_has_prefix(t, "- ")) {
			ok = cve_stmt(hull_str(t.ptr + 2, t.len - 2), &st);
		} else if (t.ptr[0] == '[' &&
		           hull_str_split(hull_str(t.ptr + 1, t.len - 1), ']', &rel, &body)) {
			body = hull_str_trim(body);
			st.release = vdb_debian_release(rel);
			ok = hull_str_has_prefix(body, "- ") &&
			     cve_stmt(hull_str(body.ptr + 2, body.len - 2), &st);
		} else if (t.ptr[0] == '{' || hull_str_has_prefix(t, "NOTE:") ||
		           hull_str_has_prefix(t, "TODO:") ||
		           hull_str_has_prefix(t, "NOT-FOR-US:") || hull_str_eq_c(t, "RESERVED") ||
		           hull_str_eq_c(t, "REJECTED") || hull_str_has_prefix(t, "REJECTED")) {
			continue;
		} else {
			ok = false;
		}
		if (!ok) {
			if (vdb_bad(b, S, doc, (struct vdb_pos){.has_off = true, .off = off}, err,
			            "expected '- package version (notes)', '[release] - package "
			            "version', NOTE:, TODO:, NOT-FOR-US: or {ids}") < 0)
				return -1;
			continue;
		}
		if (hull_str_has_prefix(t, "- ") && st.urgency.len && n_urg < 16) {
			urg[n_urg].pkg = st.pkg;
			urg[n_urg++].urgency = st.urgency;
		}
		for (size_t k = 0; k < n_urg && !st.urgency.len; k++)
			if (hull_str_eq(urg[k].pkg, st.pkg))
				st.urgency = urg[k].urgency;
		if (cve_emit(b, doc, off, id, &st, err) < 0)
			return -1;
	}
	return 0;
}
