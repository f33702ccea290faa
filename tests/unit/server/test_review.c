/* The review configuration and decisions without a server: levels,
 * per-rule modes, namespaces, exemptions, dry runs, base64. */
#include <stdio.h>
#include <string.h>

#include "server/review.h"
#include "util/json.h"
#include "tap.h"

static const char priv_pod[] =
    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"
    "\"uid\":\"u\",\"operation\":\"CREATE\",\"namespace\":\"%s\",\"dryRun\":%s,"
    "\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},"
    "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x:1\","
    "\"securityContext\":{\"privileged\":true}}]}}}}";

static int review(struct hull_review_cfg *c, const char *ns, bool dry, struct hull_buf *resp,
                  struct hull_decision *d)
{
	char body[1024];
	snprintf(body, sizeof(body), priv_pod, ns, dry ? "true" : "false");
	hull_buf_init(resp, HULL_REVIEW_MAX_RESP);
	struct hull_err err = {0};
	return hull_review_admission(c, body, strlen(body), resp, d, &err);
}

/* The response is written without json-c: it must still be JSON, with
 * invalid UTF-8 from the request repaired, and never cut short. */
static void test_response_writer(void)
{
	struct hull_review_cfg *c = NULL;
	struct hull_err err = {0};
	hull_review_cfg_parse(NULL, 0, NULL, 0, NULL, &c, &err);
	static const char pod[] =
	    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"
	    "\"uid\":\"u\\\"1\",\"operation\":\"CREATE\",\"namespace\":\"team\","
	    "\"kind\":{\"kind\":\"Pod\"},\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":"
	    "\"we\xff\tb\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"x:1\","
	    "\"securityContext\":{\"privileged\":true}}]}}}}";
	struct hull_buf resp;
	struct hull_decision d;
	hull_buf_init(&resp, HULL_REVIEW_MAX_RESP);
	int rc = hull_review_admission(c, pod, sizeof(pod) - 1, &resp, &d, &err);
	struct json_object *o = NULL, *status = NULL;
	TAP_OK(rc == 0 && hull_json_parse(resp.data, resp.len, "response", &o, &err) == 0,
	       "response is JSON (%s)", err.msg);
	struct json_object *r = hull_json_get_obj(o, "response");
	const char *uid = hull_json_get_str(r, "uid");
	status = hull_json_get_obj(r, "status");
	const char *msg = hull_json_get_str(status, "message");
	TAP_OK(uid && !strcmp(uid, "u\"1"), "uid echoed with its quote");
	TAP_OK(msg && strstr(msg, "hull denied Pod team/we\xef\xbf\xbd\tb:"),
	       "deny message names the object's own name, invalid UTF-8 replaced: %.60s",
	       msg ? msg : "(none)");
	json_object_put(o);
	hull_decision_release(&d);
	hull_buf_release(&resp);

	/* 300 privileged containers: the message is cut once, at its cap,
	 * and every occurrence before the cut is whole and in order */
	struct hull_buf big;
	hull_buf_init(&big, 1u << 20);
	hull_buf_append_str(
	    &big,
	    "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
	    "\"request\":{\"uid\":\"u\",\"operation\":\"CREATE\",\"namespace\":\"t\","
	    "\"object\":{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{"
	    "\"containers\":[",
	    NULL);
	for (int i = 0; i < 300; i++)
		hull_buf_printf(&big, NULL,
		                "%s{\"name\":\"c%03d\",\"image\":\"x:1\",\"securityContext\":{"
		                "\"privileged\":true}}",
		                i ? "," : "", i);
	hull_buf_append_str(&big, "]}}}}", NULL);
	hull_buf_init(&resp, HULL_REVIEW_MAX_RESP);
	rc = hull_review_admission(c, big.data, big.len, &resp, &d, &err);
	o = NULL;
	hull_json_parse(resp.data, resp.len, "response", &o, NULL);
	msg = hull_json_get_str(hull_json_get_obj(hull_json_get_obj(o, "response"), "status"),
	                        "message");
	size_t mlen = msg ? strlen(msg) : 0;
	int next = 0;
	for (const char *p = msg; p && (p = strstr(p, ", container c")); p++) {
		int k = -1;
		sscanf(p, ", container c%d:", &k);
		if (k != next)
			break;
		next++;
	}
	TAP_OK(rc == 0 && mlen <= HULL_REVIEW_MAX_MSG && mlen > HULL_REVIEW_MAX_MSG - 600 &&
	           !strcmp(msg + mlen - 3, "...") && next > 20,
	       "a long deny message is cut at its cap (%zu bytes, %d whole occurrences in order)",
	       mlen, next);
	json_object_put(o);
	hull_decision_release(&d);
	hull_buf_release(&resp);
	hull_buf_release(&big);

	hull_buf_init(&resp, 200); /* too small for the answer */
	hull_err_clear(&err);
	rc = hull_review_admission(c, pod, sizeof(pod) - 1, &resp, &d, &err);
	TAP_OK(rc < 0 && err.kind == HULL_ERR_LIMIT && resp.len == 0,
	       "a response over its cap is an error, not a cut document: %s", err.msg);
	hull_decision_release(&d);
	hull_buf_release(&resp);
	hull_review_cfg_free(c);
}

int main(void)
{
	static const char adm[] = "defaults: {enforce: baseline, warn: none, audit: all}\n"
	                          "namespaces:\n  dev: {enforce: none}\n  sys: exempt\n"
	                          "rules: {HULL-C001: warn}\n";
	struct hull_review_cfg *c = NULL;
	struct hull_err err = {0};
	TAP_OK(hull_review_cfg_parse(NULL, 0, adm, sizeof(adm) - 1, NULL, &c, &err) == 0,
	       "config: %s", err.msg);

	struct hull_buf resp;
	struct hull_decision d;
	TAP_OK(review(c, "team", false, &resp, &d) == 0 && d.allowed,
	       "HULL-C001 set to warn: a privileged pod is allowed");
	TAP_OK(strstr(resp.data, "\"warnings\":[\"[HULL-C001") != NULL, "and warned about");
	TAP_OK(d.log.len && strstr(d.log.data, "\"uid\":\"u\""), "and logged");
	hull_decision_release(&d);
	hull_buf_release(&resp);

	TAP_OK(review(c, "sys", false, &resp, &d) == 0 && d.allowed && d.exempt,
	       "exempt namespace: allowed without evaluation");
	hull_decision_release(&d);
	hull_buf_release(&resp);

	TAP_OK(review(c, "team", true, &resp, &d) == 0 && d.dry_run && !d.log.len,
	       "dry run: evaluated, no decision line");
	hull_decision_release(&d);
	hull_buf_release(&resp);
	hull_review_cfg_free(c);

	/* defaults without files: enforce baseline */
	TAP_OK(hull_review_cfg_parse(NULL, 0, NULL, 0, NULL, &c, &err) == 0, "defaults");
	TAP_OK(review(c, "team", false, &resp, &d) == 0 && !d.allowed && d.ndenied == 1,
	       "default levels deny a privileged pod, one rule counted");
	TAP_OK(strstr(resp.data, "\"code\":403") && strstr(resp.data, "fix: "),
	       "status 403 with the remediation");
	hull_decision_release(&d);
	hull_buf_release(&resp);
	hull_review_cfg_free(c);

	test_response_writer();

	static const char *const bad[] = {
	    "defaults: {enforce: strict}\n",
	    "rules: {HULL-C999: warn}\n",
	    "rules: {HULL-C001: loud}\n",
	    "namespaces: [a]\n",
	    "unknown: 1\n",
	    "images: {severity: extreme}\n",
	    "exemptions: {namespaces: [1]}\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hull_err_clear(&err);
		c = NULL;
		TAP_OK(hull_review_cfg_parse(NULL, 0, bad[i], strlen(bad[i]), NULL, &c, &err) < 0 &&
		           strstr(err.msg, "line 1"),
		       "rejected with its line: %.40s -> %s", bad[i], err.msg);
		hull_review_cfg_free(c);
	}

	unsigned char out[64];
	TAP_OK(hull_base64_decode("aHVsbA==", 8, out) == 4 && !memcmp(out, "hull", 4), "base64");
	TAP_OK(hull_base64_decode("aHVsbA", 6, out) == 4, "base64 without padding");
	TAP_OK(hull_base64_decode("a", 1, out) < 0 && hull_base64_decode("a*==", 4, out) < 0,
	       "bad base64 refused");
	return tap_done();
}
