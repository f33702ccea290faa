/* hull serve and Pod Security Standards versions: the admission file's and
 * the command line's versions, namespaces' pod-security labels learnt from
 * reviewed Namespace objects (and refused when invalid, as Pod Security
 * Admission refuses them), and the level-dependent controls judged per
 * mode. */
#include <stdio.h>
#include <string.h>

#include "server/nslabels.h"
#include "server/review.h"
#include "util/json.h"
#include "tap.h"

/* A pod setting a sysctl that became safe in v1.27. */
#define SYSCTL_POD                                                                                 \
	"{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"       \
	"\"uid\":\"u\",\"operation\":\"CREATE\",\"namespace\":\"%s\",\"kind\":{\"kind\":\"Pod\"}," \
	"\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},"        \
	"\"spec\":{\"securityContext\":{\"sysctls\":[{\"name\":"                                   \
	"\"net.ipv4.ip_local_reserved_ports\",\"value\":\"8080\"}]},"                              \
	"\"containers\":[{\"name\":\"c\",\"image\":\"x:1\"}]}}}}"

/* hostUsers: false and an unmasked /proc: Baseline admits it from v1.35,
 * Restricted does not. */
#define USERNS_POD                                                                                 \
	"{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"       \
	"\"uid\":\"u\",\"operation\":\"CREATE\",\"namespace\":\"%s\",\"kind\":{\"kind\":\"Pod\"}," \
	"\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},"        \
	"\"spec\":{\"hostUsers\":false,\"containers\":[{\"name\":\"c\",\"image\":\"x:1\","         \
	"\"securityContext\":{\"procMount\":\"Unmasked\"}}]}}}}"

#define NS_REVIEW                                                                                  \
	"{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"       \
	"\"uid\":\"n\",\"operation\":\"%s\",\"name\":\"%s\",\"namespace\":\"%s\","                 \
	"\"kind\":{\"kind\":\"Namespace\"},"                                                       \
	"\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"%s\","  \
	"\"labels\":{%s}}},"                                                                       \
	"\"oldObject\":{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"%"   \
	"s\","                                                                                     \
	"\"labels\":{%s}}}}}"

struct answer {
	bool allowed;
	int code;
	char message[2048];
	char warnings[4096];
};

static bool send(struct hull_review_cfg *c, const char *body, struct answer *a)
{
	struct hull_buf resp;
	struct hull_decision d;
	struct hull_err err = {0};
	struct json_object *o = NULL;
	memset(a, 0, sizeof(*a));
	hull_buf_init(&resp, HULL_REVIEW_MAX_RESP);
	bool ok = hull_review_admission(c, body, strlen(body), &resp, &d, &err) == 0 &&
	          hull_json_parse(resp.data, resp.len, "response", &o, &err) == 0;
	if (ok) {
		struct json_object *r = hull_json_get_obj(o, "response"), *st, *w;
		bool allowed = false;
		hull_json_get_bool(r, "allowed", &allowed);
		a->allowed = allowed && d.allowed;
		if ((st = hull_json_get_obj(r, "status"))) {
			struct json_object *code;
			if (json_object_object_get_ex(st, "code", &code))
				a->code = json_object_get_int(code);
			snprintf(a->message, sizeof(a->message), "%s",
			         hull_json_get_str(st, "message") ? hull_json_get_str(st, "message")
			                                          : "");
		}
		for (char *nl = a->message; (nl = strchr(nl, '\n'));)
			*nl = ' '; /* one TAP line per test */
		if (json_object_object_get_ex(r, "warnings", &w))
			snprintf(a->warnings, sizeof(a->warnings), "%s",
			         json_object_to_json_string(w));
	} else {
		printf("# %s\n", err.msg);
	}
	json_object_put(o);
	hull_decision_release(&d);
	hull_buf_release(&resp);
	return ok;
}

enum pod_kind { SYSCTL, USERNS };

static bool pod(struct hull_review_cfg *c, enum pod_kind k, const char *ns, struct answer *a)
{
	char body[2048];
	if (k == SYSCTL)
		snprintf(body, sizeof(body), SYSCTL_POD, ns);
	else
		snprintf(body, sizeof(body), USERNS_POD, ns);
	return send(c, body, a);
}

static bool namespace(struct hull_review_cfg *c, const char *op, const char *name,
                      const char *labels, const char *old_labels, struct answer *a)
{
	char body[4096];
	snprintf(body, sizeof(body), NS_REVIEW, op, name, name, name, labels, name,
	         old_labels ? old_labels : "");
	return send(c, body, a);
}

static struct hull_review_cfg *cfg(const char *adm, struct hull_ns_store *store,
                                   const char *version)
{
	struct hull_review_opts o = {
	    .levels = {HULL_LEVEL_INHERIT, HULL_LEVEL_INHERIT, HULL_LEVEL_INHERIT},
	    .ns_store = store};
	struct hull_review_cfg *c = NULL;
	struct hull_err err = {0};
	if (version) {
		o.pss_version_set = hull_pss_version_parse(version, &o.pss_version, &err) == 0;
		TAP_OK(o.pss_version_set, "--pss-version %s parses", version);
	}
	TAP_OK(hull_review_cfg_parse(NULL, 0, adm, adm ? strlen(adm) : 0, &o, &c, &err) == 0,
	       "admission config parses (%s)", err.msg);
	return c;
}

/* Versions from the admission file and the command line. */
static void file_and_flag(void)
{
	struct answer a;
	struct hull_review_cfg *c =
	    cfg("defaults: {enforce: baseline, enforce-version: v1.26, warn: none, audit: none}\n"
	        "namespaces:\n  new: {enforce-version: v1.27}\n  old: {enforce: restricted, "
	        "enforce-version: v1.0}\n",
	        NULL, NULL);
	TAP_OK(pod(c, SYSCTL, "team", &a) && !a.allowed && strstr(a.message, "HULL-C037"),
	       "defaults enforce-version v1.26: a v1.27 sysctl is denied (%s)", a.message);
	TAP_OK(pod(c, SYSCTL, "new", &a) && a.allowed,
	       "namespace entry enforce-version v1.27 (level inherited): allowed (%s)", a.message);
	TAP_OK(pod(c, SYSCTL, "old", &a) && !a.allowed,
	       "namespace entry restricted v1.0: denied (%s)", a.message);
	hull_review_cfg_free(c);

	c = cfg("defaults: {enforce: baseline, warn: none, audit: none}\n", NULL, "v1.26");
	TAP_OK(pod(c, SYSCTL, "team", &a) && !a.allowed,
	       "--pss-version v1.26 over the file's defaults: denied");
	hull_review_cfg_free(c);
	c = cfg("defaults: {enforce: baseline, warn: none, audit: none}\n", NULL, "latest");
	TAP_OK(pod(c, SYSCTL, "team", &a) && a.allowed, "--pss-version latest: allowed");
	hull_review_cfg_free(c);

	static const char *const bad[] = {
	    "defaults: {enforce-version: 1.29}\n",
	    "defaults: {enforce-version: v1.029}\n",
	    "namespaces: {a: {warn-version: v2.0}}\n",
	    "defaults: {version: v1.29}\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct hull_err err = {0};
		struct hull_review_cfg *b = NULL;
		TAP_OK(hull_review_cfg_parse(NULL, 0, bad[i], strlen(bad[i]), NULL, &b, &err) < 0 &&
		           strstr(err.msg, "line 1"),
		       "rejected with its line: %.*s -> %s", (int)strcspn(bad[i], "\n"), bad[i],
		       err.msg);
		hull_review_cfg_free(b);
	}
}

/* Labels learnt from Namespace reviews. */
static void labels(void)
{
	struct answer a;
	struct hull_ns_store *store = hull_ns_store_new();
	struct hull_review_cfg *c =
	    cfg("defaults: {enforce: none, warn: none, audit: none}\n", store, NULL);
	TAP_OK(pod(c, SYSCTL, "apps", &a) && a.allowed, "unknown namespace: the defaults");
	TAP_OK(namespace(c, "CREATE", "apps",
	                 "\"pod-security.kubernetes.io/enforce\":\"baseline\","
	                 "\"pod-security.kubernetes.io/enforce-version\":\"v1.26\"",
	                 NULL, &a) &&
	           a.allowed,
	       "Namespace with valid labels: allowed");
	TAP_OK(pod(c, SYSCTL, "apps", &a) && !a.allowed && strstr(a.message, "HULL-C037"),
	       "its labels apply: baseline v1.26 denies a v1.27 sysctl (%s)", a.message);
	TAP_OK(namespace(c, "UPDATE", "apps",
	                 "\"pod-security.kubernetes.io/enforce\":\"baseline\","
	                 "\"pod-security.kubernetes.io/enforce-version\":\"v1.27\"",
	                 "\"pod-security.kubernetes.io/enforce\":\"baseline\"", &a) &&
	           a.allowed,
	       "relabelled to v1.27");
	TAP_OK(pod(c, SYSCTL, "apps", &a) && a.allowed, "now allowed (%s)", a.message);

	/* invalid labels: refused when new, as Pod Security Admission does */
	TAP_OK(namespace(c, "CREATE", "broken",
	                 "\"pod-security.kubernetes.io/enforce\":\"baseline\","
	                 "\"pod-security.kubernetes.io/enforce-version\":\"v1.x\"",
	                 NULL, &a) &&
	           !a.allowed && a.code == 422 && strstr(a.message, "enforce-version=v1.x"),
	       "Namespace with enforce-version v1.x: refused, 422 (%s)", a.message);
	TAP_OK(pod(c, SYSCTL, "broken", &a) && a.allowed,
	       "a refused Namespace's labels are not remembered");
	/* an update that keeps the same invalid labels passes; the version is
	 * then latest, with a warning on each request */
	const char *same = "\"pod-security.kubernetes.io/enforce\":\"baseline\","
	                   "\"pod-security.kubernetes.io/enforce-version\":\"v1.x\"";
	TAP_OK(namespace(c, "UPDATE", "broken", same, same, &a) && a.allowed,
	       "update keeping the invalid labels: allowed");
	TAP_OK(pod(c, SYSCTL, "broken", &a) && a.allowed &&
	           strstr(a.warnings, "enforce-version=v1.x"),
	       "pods there: evaluated at latest, warned about the label (%s)", a.warnings);
	TAP_OK(namespace(c, "UPDATE", "broken",
	                 "\"pod-security.kubernetes.io/enforce-version\":\"v1.x\","
	                 "\"pod-security.kubernetes.io/enforce\":\"baseline\"",
	                 same, &a) &&
	           a.allowed,
	       "the same invalid labels in another order: still the same, allowed (%s)", a.message);
	TAP_OK(namespace(c, "UPDATE", "broken", "\"pod-security.kubernetes.io/enforce\":\"strict\"",
	                 same, &a) &&
	           !a.allowed && strstr(a.message, "privileged, baseline, restricted"),
	       "update to another invalid label: refused (%s)", a.message);

	/* an unparsable enforce level fails closed: restricted (kept from an
	 * update of an already invalid namespace) */
	const char *strict = "\"pod-security.kubernetes.io/enforce\":\"strict\"";
	TAP_OK(namespace(c, "UPDATE", "closed", strict, strict, &a) && a.allowed,
	       "unchanged invalid enforce level kept");
	TAP_OK(pod(c, USERNS, "closed", &a) && !a.allowed && strstr(a.message, "HULL-C036"),
	       "enforced at restricted (%s)", a.message);

	/* warn follows a stricter enforce label, with its version */
	TAP_OK(namespace(c, "CREATE", "follow",
	                 "\"pod-security.kubernetes.io/enforce\":\"restricted\","
	                 "\"pod-security.kubernetes.io/enforce-version\":\"v1.0\","
	                 "\"pod-security.kubernetes.io/audit\":\"baseline\"",
	                 NULL, &a) &&
	           a.allowed,
	       "Namespace enforce restricted v1.0");
	hull_review_cfg_free(c);
	c = cfg("defaults: {enforce: none, warn: none, audit: none}\n"
	        "namespaces: {follow: {enforce: none}}\n",
	        store, NULL);
	TAP_OK(pod(c, SYSCTL, "follow", &a) && a.allowed && strstr(a.warnings, "HULL-C037"),
	       "the file turns enforce off there; warn followed the label: restricted v1.0 warns "
	       "of the sysctl (%s)",
	       a.warnings);

	TAP_OK(namespace(c, "DELETE", "apps", "", NULL, &a) && a.allowed, "Namespace deleted");
	struct hull_ns_policy np;
	TAP_OK(!hull_ns_store_get(store, "apps", &np) && hull_ns_store_get(store, "follow", &np),
	       "and forgotten; the others kept across a configuration reload");
	hull_review_cfg_free(c);
	hull_ns_store_free(store);
}

/* Baseline and Restricted differ for hostUsers: false and /proc from
 * v1.35: each mode gets its level's answer. */
static void per_level(void)
{
	struct answer a;
	struct hull_review_cfg *c =
	    cfg("defaults: {enforce: baseline, warn: restricted, audit: none}\n"
	        "namespaces:\n  pinned: {enforce-version: v1.34, warn-version: v1.34}\n",
	        NULL, NULL);
	TAP_OK(pod(c, USERNS, "team", &a) && a.allowed && strstr(a.warnings, "HULL-C036"),
	       "enforce baseline admits it, warn restricted warns (%s / %s)", a.message,
	       a.warnings);
	TAP_OK(pod(c, USERNS, "pinned", &a) && !a.allowed && strstr(a.message, "HULL-C036"),
	       "at v1.34 Baseline denies it (%s)", a.message);
	hull_review_cfg_free(c);
}

static void parse_labels(void)
{
	struct json_object *l = NULL;
	struct hull_err err = {0};
	static const char doc[] = "{\"pod-security.kubernetes.io/enforce\":\"baseline\","
	                          "\"pod-security.kubernetes.io/warn\":\"loud\","
	                          "\"pod-security.kubernetes.io/audit-version\":\"v1.99\","
	                          "\"pod-security.kubernetes.io/warn-version\":\"1.2\","
	                          "\"other.io/enforce\":\"x\"}";
	struct hull_ns_policy p;
	TAP_OK(hull_json_parse(doc, sizeof(doc) - 1, "labels", &l, &err) == 0, "labels JSON");
	hull_ns_policy_parse(l, &p);
	TAP_OK(p.lv.enforce == HULL_PROFILE_BASELINE && p.enforce_label, "enforce baseline");
	TAP_OK(p.lv.warn == HULL_LEVEL_NONE, "unparsable warn fails open (privileged)");
	TAP_OK(p.lv.audit == HULL_LEVEL_INHERIT && (p.lv.vset & 4) && p.lv.version[2].pinned &&
	           p.lv.version[2].minor == 99,
	       "audit-version v1.99 (the newest policy), audit level inherited");
	TAP_OK((p.lv.vset & 2) && !p.lv.version[1].pinned, "warn-version 1.2: latest");
	TAP_OK(strstr(p.error, "warn=loud") && strstr(p.error, "warn-version=1.2"),
	       "both errors named: %s", p.error);
	json_object_put(l);
}

int main(void)
{
	file_and_flag();
	labels();
	per_level();
	parse_labels();
	return tap_done();
}
