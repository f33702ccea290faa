/* pom: Maven's project file, pom.xml, read for the versions it states
 * itself (Maven's POM reference, https://maven.apache.org/pom.html).
 *
 * Listed: every <project><dependencies><dependency> of scope compile (the
 * default) or runtime and not <optional>true</optional>, as "groupId:
 * artifactId" (type maven), the scope in the prop maven:scope. That is
 * what Trivy's pom reader lists too: test, provided, system and import
 * scopes are not installed with the application, nor optional ones.
 * <dependencyManagement> entries are not dependencies: they only give the
 * version (and scope) of a <dependency> that names none; the dependencies
 * of <build><plugins> and of <profiles> are not read.
 *
 * ${name} in groupId, artifactId, version and scope is replaced from the
 * pom's own <properties>, and ${project.version}, ${project.groupId},
 * ${project.artifactId}, ${project.parent.version} (the project's version
 * being its <parent>'s when it has none; ${pom.*} are the old spellings).
 * Nothing else is read: no parent pom, no BOM, no settings, no network.
 * A version that stays unresolved (a property of a parent, a missing
 * version, a range like [1.0,2.0), LATEST) is a problem naming the file and
 * line, and the dependency is left out rather than listed with a guess.
 *
 * The XML is read by libxml2 from memory with XML_PARSE_NONET and without
 * entity substitution or DTD loading; a document with a DOCTYPE is refused
 * before its internal subset is read (a pom has none), so no entity, local
 * or external, is ever expanded: an XXE pom reads nothing and fetches
 * nothing. The file is capped at POM_MAX bytes, libxml2 caps nesting at 256
 * levels, properties and dependencies are capped in count, values in
 * length, and ${} expansion in depth and number of references. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "pkgdb/internal.h"
#include "pkgdb/parsers.h"

#define POM_MAX       (1u << 20) /* bytes of one pom.xml */
#define POM_TEXT_MAX  1024u      /* bytes of a value, after expansion */
#define POM_PROPS_MAX 4096u      /* <properties> entries */
#define POM_DEPS_MAX  4096u      /* <dependency> and managed entries, each */
#define POM_DEPTH_MAX 8          /* ${} inside ${} */
#define POM_REFS_MAX  64         /* ${} references expanded for one value */

struct pom_prop {
	const char *name;
	const xmlNode *value;
	size_t index;
};

/* A <dependencyManagement> entry by its resolved "group:artifact". */
struct pom_managed {
	char *coord;
	const xmlNode *node;
	size_t index;
};

struct pom {
	const char *file;
	const xmlNode *group, *version, *artifact; /* the project's own */
	const xmlNode *parent_group, *parent_version;
	struct pom_prop *props;
	size_t nprops;
	struct pom_managed *managed;
	const xmlNode **deps;
	size_t nmanaged, ndeps;
	struct hull_pkgdb_problems *probs;
};

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
	xmlInitParser();
}

/* libxml2 reports some errors (a bad encoding) outside any parser
 * context, to a per-thread handler printing on stderr; pkgdb prints
 * nothing: the parse's answer carries the error. */
static void xml_silent(void *ctx, const char *msg, ...)
{
	(void)ctx, (void)msg;
}

static bool named(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* The first child element of n named name, or NULL. */
static const xmlNode *child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (named(c, name))
			return c;
	return NULL;
}

static long line_of(const xmlNode *n)
{
	return n ? xmlGetLineNo(n) : 0;
}

/* The text of element e, trimmed, into out (NUL-terminated): false when e
 * holds anything but text and CDATA (an entity reference, an element) or
 * more than POM_TEXT_MAX bytes. An absent e gives "". */
static bool text_of(const xmlNode *e, char out[POM_TEXT_MAX + 1])
{
	size_t n = 0;
	out[0] = '\0';
	for (const xmlNode *c = e ? e->children : NULL; c; c = c->next) {
		if (c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE)
			continue;
		if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
			return false;
		size_t l = c->content ? strlen((const char *)c->content) : 0;
		if (l > POM_TEXT_MAX - n)
			return false;
		memcpy(out + n, c->content, l);
		n += l;
	}
	struct hull_str t = hull_str_trim(hull_str(out, n));
	memmove(out, t.ptr, t.len);
	out[t.len] = '\0';
	return true;
}

static int cmp_prop(const void *pa, const void *pb)
{
	const struct pom_prop *a = pa, *b = pb;
	int c = strcmp(a->name, b->name);
	return c ? c : (a->index > b->index) - (a->index < b->index);
}

/* The element holding property name: the last <properties> entry of that
 * name (Maven keeps the last), or NULL. */
static const xmlNode *prop_lookup(const struct pom *p, const char *name)
{
	size_t lo = 0, hi = p->nprops;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(p->props[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	const xmlNode *found = NULL;
	for (; lo < p->nprops && !strcmp(p->props[lo].name, name); lo++)
		found = p->props[lo].value;
	return found;
}

/* The element a built-in ${project.x} stands for; *known is false when
 * name is not one. */
static const xmlNode *builtin(const struct pom *p, const char *name, bool *known)
{
	*known = true;
	if (!strcmp(name, "project.version") || !strcmp(name, "pom.version") ||
	    !strcmp(name, "version"))
		return p->version ? p->version : p->parent_version;
	if (!strcmp(name, "project.groupId") || !strcmp(name, "pom.groupId") ||
	    !strcmp(name, "groupId"))
		return p->group ? p->group : p->parent_group;
	if (!strcmp(name, "project.artifactId") || !strcmp(name, "pom.artifactId") ||
	    !strcmp(name, "artifactId"))
		return p->artifact;
	if (!strcmp(name, "project.parent.version") || !strcmp(name, "parent.version"))
		return p->parent_version;
	if (!strcmp(name, "project.parent.groupId") || !strcmp(name, "parent.groupId"))
		return p->parent_group;
	*known = false;
	return NULL;
}

struct expansion {
	char out[POM_TEXT_MAX + 1];
	size_t len;
	int refs;
	char why[160];
};

static bool emit(struct expansion *x, const char *s, size_t n)
{
	if (n > POM_TEXT_MAX - x->len) {
		snprintf(x->why, sizeof(x->why), "longer than %u bytes once expanded",
		         POM_TEXT_MAX);
		return false;
	}
	memcpy(x->out + x->len, s, n);
	x->len += n;
	x->out[x->len] = '\0';
	return true;
}

/* Appends s with every ${name} replaced; false with x->why set when a
 * name is undefined, the nesting too deep (a cycle) or the work too much. */
static bool expand(const struct pom *p, const char *s, int depth, struct expansion *x)
{
	if (depth > POM_DEPTH_MAX) {
		snprintf(x->why, sizeof(x->why), "properties nested more than %d deep (a cycle?)",
		         POM_DEPTH_MAX);
		return false;
	}
	for (;;) {
		const char *open = strstr(s, "${");
		if (!open)
			return emit(x, s, strlen(s));
		const char *close = strchr(open + 2, '}');
		if (!close) {
			snprintf(x->why, sizeof(x->why), "an unclosed ${");
			return false;
		}
		if (!emit(x, s, (size_t)(open - s)))
			return false;
		if (++x->refs > POM_REFS_MAX) {
			snprintf(x->why, sizeof(x->why), "more than %d ${} references",
			         POM_REFS_MAX);
			return false;
		}
		char name[128];
		size_t nl = (size_t)(close - open - 2);
		if (nl == 0 || nl >= sizeof(name)) {
			snprintf(x->why, sizeof(x->why), "a property name of %zu bytes", nl);
			return false;
		}
		memcpy(name, open + 2, nl);
		name[nl] = '\0';
		bool known;
		const xmlNode *v = builtin(p, name, &known);
		if (!known)
			v = prop_lookup(p, name);
		char q[HULL_PKGDB_QUOTE_MAX + 4];
		if (!v) {
			snprintf(x->why, sizeof(x->why), "${%s} is not defined in this pom",
			         hull_pkgdb_quote(hull_str(name, nl), q));
			return false;
		}
		char value[POM_TEXT_MAX + 1];
		if (!text_of(v, value)) {
			snprintf(x->why, sizeof(x->why), "${%s} is not plain text",
			         hull_pkgdb_quote(hull_str(name, nl), q));
			return false;
		}
		if (!expand(p, value, depth + 1, x))
			return false;
		s = close + 1;
	}
}

/* The value of element e with its properties expanded, into x->out. */
static bool resolve(const struct pom *p, const xmlNode *e, struct expansion *x)
{
	char raw[POM_TEXT_MAX + 1];
	x->len = 0;
	x->refs = 0;
	x->out[0] = '\0';
	if (!text_of(e, raw)) {
		snprintf(x->why, sizeof(x->why), "not plain text");
		return false;
	}
	return expand(p, raw, 0, x);
}

/* A coordinate (groupId, artifactId): printable, no blank, ':' or '/'. */
static bool coord_ok(const char *s)
{
	if (!*s || !hull_pkgdb_printable(hull_str_c(s)))
		return false;
	return !strpbrk(s, " \t:/");
}

/* A version Maven would take as it is: not a range ([1.0,2.0), (,1.0]),
 * not a meta-version (LATEST, RELEASE), no blank. */
static const char *version_problem(const char *v)
{
	if (!*v)
		return "empty";
	if (!hull_pkgdb_printable(hull_str_c(v)) || strpbrk(v, " \t"))
		return "not a version";
	if (strpbrk(v, "[](),"))
		return "a version range";
	if (!strcmp(v, "LATEST") || !strcmp(v, "RELEASE"))
		return "a meta-version";
	return NULL;
}

static int cmp_managed(const void *pa, const void *pb)
{
	const struct pom_managed *a = pa, *b = pb;
	int c = strcmp(a->coord, b->coord);
	return c ? c : (a->index > b->index) - (a->index < b->index);
}

/* The managed entry (in <dependencyManagement>) for coord: the first of
 * that name, or NULL. */
static const xmlNode *managed_for(const struct pom *p, const char *coord)
{
	size_t lo = 0, hi = p->nmanaged;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(p->managed[mid].coord, coord) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->nmanaged && !strcmp(p->managed[lo].coord, coord) ? p->managed[lo].node
	                                                                : NULL;
}

/* The managed entries, each by its resolved coordinates; one whose
 * coordinates do not resolve can manage nothing and is left out. */
static int collect_managed(const xmlNode **v, size_t n, struct pom *p, struct hull_err *err)
{
	if (!n)
		return 0;
	if (!(p->managed = calloc(n, sizeof(*p->managed))))
		return hull_err_nomem(err);
	for (size_t i = 0; i < n; i++) {
		struct expansion g, a;
		if (!resolve(p, child(v[i], "groupId"), &g) ||
		    !resolve(p, child(v[i], "artifactId"), &a))
			continue;
		char *coord = malloc(g.len + a.len + 2);
		if (!coord)
			return hull_err_nomem(err);
		sprintf(coord, "%s:%s", g.out, a.out);
		p->managed[p->nmanaged++] = (struct pom_managed){coord, v[i], i};
	}
	if (p->nmanaged > 1)
		qsort(p->managed, p->nmanaged, sizeof(*p->managed), cmp_managed);
	return 0;
}

static void dep_problem(const struct pom *p, const xmlNode *at, const char *coord, const char *what,
                        const char *why)
{
	char q[HULL_PKGDB_QUOTE_MAX + 4];
	hull_pkgdb_problem(p->probs, "%s: line %ld: %s%s%s: %s", p->file, line_of(at),
	                   coord ? hull_pkgdb_quote(hull_str_c(coord), q) : "", coord ? ": " : "",
	                   what, why);
}

static int add_dep(const struct pom *p, const xmlNode *d, struct hull_inventory *inv, int layer,
                   struct hull_err *err)
{
	struct expansion g, a, v, s;
	if (!resolve(p, child(d, "groupId"), &g)) {
		dep_problem(p, d, NULL, "groupId", g.why);
		return 0;
	}
	if (!resolve(p, child(d, "artifactId"), &a)) {
		dep_problem(p, d, NULL, "artifactId", a.why);
		return 0;
	}
	if (!coord_ok(g.out) || !coord_ok(a.out)) {
		dep_problem(p, d, NULL, "dependency", "no valid groupId and artifactId");
		return 0;
	}
	char coord[2 * POM_TEXT_MAX + 2];
	snprintf(coord, sizeof(coord), "%s:%s", g.out, a.out);
	const xmlNode *mgd = NULL;
	const xmlNode *scope = child(d, "scope"), *version = child(d, "version");
	if (!scope || !version)
		mgd = managed_for(p, coord);
	if (!scope && mgd)
		scope = child(mgd, "scope");
	if (!resolve(p, scope, &s)) {
		dep_problem(p, scope, coord, "scope", s.why);
		return 0;
	}
	const char *sc = s.out[0] ? s.out : "compile";
	if (strcmp(sc, "compile") != 0 && strcmp(sc, "runtime") != 0)
		return 0; /* test, provided, system, import: not installed */
	struct expansion o;
	if (resolve(p, child(d, "optional"), &o) && !strcmp(o.out, "true"))
		return 0;
	if (!version && mgd)
		version = child(mgd, "version");
	if (!version) {
		dep_problem(p, d, coord, "version",
		            "none given in this pom (a parent's or a BOM's, not read)");
		return 0;
	}
	if (!resolve(p, version, &v)) {
		dep_problem(p, version, coord, "version", v.why);
		return 0;
	}
	const char *bad = version_problem(v.out);
	if (bad) {
		char q[HULL_PKGDB_QUOTE_MAX + 4], why[128];
		snprintf(why, sizeof(why), "\"%s\" is %s", hull_pkgdb_quote(hull_str_c(v.out), q),
		         bad);
		dep_problem(p, version, coord, "version", why);
		return 0;
	}
	char props[64];
	size_t pl = (size_t)snprintf(props, sizeof(props), "maven:scope\t%s\n", sc);
	struct hull_pkg_slices sl = {.type = HULL_PKG_MAVEN,
	                             .name = hull_str_c(coord),
	                             .version = hull_str_c(v.out),
	                             .props = hull_str(props, pl)};
	return hull_pkgdb_add(inv, &sl, p->file, layer, err);
}

/* The <dependency> children of a <dependencies> element, appended to
 * *v (at most POM_DEPS_MAX). */
static int collect_deps(const xmlNode *deps, const xmlNode ***v, size_t *n, struct pom *p,
                        struct hull_err *err)
{
	size_t cap = 0;
	for (const xmlNode *c = deps ? deps->children : NULL; c; c = c->next) {
		if (!named(c, "dependency"))
			continue;
		if (*n == POM_DEPS_MAX) {
			hull_pkgdb_problem(p->probs, "%s: line %ld: more than %u dependencies",
			                   p->file, line_of(c), POM_DEPS_MAX);
			return 0;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			const xmlNode **nv = realloc(*v, cap * sizeof(**v));
			if (!nv)
				return hull_err_nomem(err);
			*v = nv;
		}
		(*v)[(*n)++] = c;
	}
	return 0;
}

static int collect_props(const xmlNode *props, struct pom *p, struct hull_err *err)
{
	size_t cap = 0;
	for (const xmlNode *c = props ? props->children : NULL; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (p->nprops == POM_PROPS_MAX) {
			hull_pkgdb_problem(p->probs, "%s: line %ld: more than %u properties",
			                   p->file, line_of(c), POM_PROPS_MAX);
			break;
		}
		if (p->nprops == cap) {
			cap = cap ? cap * 2 : 32;
			struct pom_prop *nv = realloc(p->props, cap * sizeof(*nv));
			if (!nv)
				return hull_err_nomem(err);
			p->props = nv;
		}
		p->props[p->nprops] = (struct pom_prop){
		    .name = (const char *)c->name, .value = c, .index = p->nprops};
		p->nprops++;
	}
	if (p->nprops > 1)
		qsort(p->props, p->nprops, sizeof(*p->props), cmp_prop);
	return 0;
}

/* SAX hook at "<!DOCTYPE": a pom has no DTD, and one with a DTD may
 * declare entities; the parse stops before its internal subset is read. */
static void refuse_dtd(void *ctx, const xmlChar *name, const xmlChar *ext_id, const xmlChar *sys_id)
{
	(void)name, (void)ext_id, (void)sys_id;
	xmlParserCtxtPtr ctxt = ctx;
	*(bool *)ctxt->_private = true;
	xmlStopParser(ctxt);
}

/* The document, or NULL with a problem set (or err on OOM: -1). */
static int read_xml(struct hull_str data, const char *file, struct hull_pkgdb_problems *probs,
                    xmlDoc **out, struct hull_err *err)
{
	*out = NULL;
	pthread_once(&xml_once, xml_init);
	xmlSetGenericErrorFunc(NULL, xml_silent);
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	if (!ctxt)
		return hull_err_nomem(err);
	bool dtd = false;
	ctxt->_private = &dtd;
	ctxt->sax->internalSubset = refuse_dtd;
	/* no XML_PARSE_NOENT, DTDLOAD, DTDATTR, DTDVALID, XINCLUDE, HUGE */
	int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;
	xmlDoc *doc = xmlCtxtReadMemory(ctxt, data.ptr, (int)data.len, file, NULL, opts);
	if (dtd) {
		hull_pkgdb_problem(probs, "%s: line %d: a DOCTYPE, refused (a pom has none)", file,
		                   ctxt->input ? ctxt->input->line : 0);
		xmlFreeDoc(doc);
		doc = NULL;
	} else if (!doc) {
		const xmlError *e = &ctxt->lastError;
		if (e->code == XML_ERR_NO_MEMORY) {
			xmlFreeParserCtxt(ctxt);
			return hull_err_nomem(err);
		}
		char msg[128] = "";
		if (e->message) {
			snprintf(msg, sizeof(msg), "%s", e->message);
			msg[strcspn(msg, "\r\n")] = '\0';
		}
		hull_pkgdb_problem(probs, "%s: line %d: not well-formed XML: %s", file, e->line,
		                   msg[0] ? msg : "unreadable");
	}
	xmlFreeParserCtxt(ctxt);
	*out = doc;
	return 0;
}

int hull_pom_parse(struct hull_str data, const char *file, int layer, struct hull_inventory *inv,
                   struct hull_err *err)
{
	struct hull_pkgdb_problems probs = {0};
	size_t first = inv->npkgs;
	if (data.len > POM_MAX) {
		hull_pkgdb_problem(&probs, "%s: %zu bytes, more than the %u a pom.xml may have",
		                   file, data.len, POM_MAX);
		return hull_pkgdb_parsed(inv, first, &probs, err);
	}
	xmlDoc *doc;
	if (read_xml(data, file, &probs, &doc, err) < 0)
		return -1;
	if (!doc)
		return hull_pkgdb_parsed(inv, first, &probs, err);
	const xmlNode *root = xmlDocGetRootElement(doc);
	int rc = 0;
	struct pom p = {.file = file, .probs = &probs};
	const xmlNode **managed = NULL;
	size_t nmanaged = 0;
	if (!named(root, "project")) {
		hull_pkgdb_problem(&probs, "%s: line %ld: the root element is not <project>", file,
		                   line_of(root));
		goto done;
	}
	const xmlNode *parent = child(root, "parent");
	p.group = child(root, "groupId");
	p.artifact = child(root, "artifactId");
	p.version = child(root, "version");
	p.parent_group = child(parent, "groupId");
	p.parent_version = child(parent, "version");
	if ((rc = collect_props(child(root, "properties"), &p, err)) == 0 &&
	    (rc = collect_deps(child(child(root, "dependencyManagement"), "dependencies"), &managed,
	                       &nmanaged, &p, err)) == 0)
		rc = collect_managed(managed, nmanaged, &p, err);
	if (rc < 0 ||
	    (rc = collect_deps(child(root, "dependencies"), &p.deps, &p.ndeps, &p, err)) < 0)
		goto done;
	for (size_t i = 0; i < p.ndeps && rc == 0; i++)
		rc = add_dep(&p, p.deps[i], inv, layer, err);
done:
	free(managed);
	free(p.props);
	for (size_t i = 0; i < p.nmanaged; i++)
		free(p.managed[i].coord);
	free(p.managed);
	free(p.deps);
	xmlFreeDoc(doc);
	if (rc < 0)
		return -1;
	return hull_pkgdb_parsed(inv, first, &probs, err);
}
