/* How workloads are kept running, on Kubernetes: readiness (per pod, and
 * only where a Service of the input sends traffic, or when the input has
 * no Service) and liveness (per container) as two findings; Jobs and
 * CronJobs exempt; the service-account token, unset meaning mounted, with
 * the ServiceAccount of the same input deciding when the pod does not. */
#include "helpers.h"
#include "tap.h"

static struct hull_findings found;

/* Scans a Kubernetes text; NULL and err set when it does not load. */
static const struct hull_findings *scan(const char *text, struct hull_err *err)
{
	hull_findings_release(&found);
	memset(&found, 0, sizeof(found));
	memset(err, 0, sizeof(*err));
	if (scan_data(text, strlen(text), "k.yaml", HULL_CONFIG_K8S, HULL_PROFILE_ALL, NULL, &found,
	              err) < 0)
		return NULL;
	return &found;
}

/* Findings of id whose object starts with obj ("Deployment web"). */
static size_t hits(const struct hull_findings *f, const char *id, const char *obj, unsigned *line)
{
	size_t n = 0;
	for (size_t i = 0; f && i < f->n; i++) {
		const struct hull_finding *x = &f->items[i];
		if (x->suppressed || strcmp(x->id, id) || !x->loc.object ||
		    strncmp(x->loc.object, obj, strlen(obj)))
			continue;
		if (!n++ && line)
			*line = x->loc.line;
	}
	return n;
}

#define DEPLOY(name, labels, ctrs)                                                                 \
	"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " name "}\n"                      \
	"spec:\n  template:\n    metadata: {labels: " labels "}\n    spec:\n"                      \
	"      containers:\n" ctrs

static void probes_alone(void)
{
	const char *text = DEPLOY(
	    "none", "{app: a}",
	    "      - {name: c, image: i:1}\n"
	    "      - {name: side, image: i:1}\n") "---\n" DEPLOY("live-only", "{app: b}",
	                                                         "      - name: c\n"
	                                                         "        image: i:1\n"
	                                                         "        livenessProbe: "
	                                                         "{httpGet: {path: /l, port: "
	                                                         "80}}\n") "---\n" DEPLOY("read"
	                                                                                  "y-"
	                                                                                  "onl"
	                                                                                  "y",
	                                                                                  "{app"
	                                                                                  ": "
	                                                                                  "c}",
	                                                                                  "    "
	                                                                                  "  - "
	                                                                                  "name"
	                                                                                  ": "
	                                                                                  "c\n"
	                                                                                  "    "
	                                                                                  "    "
	                                                                                  "imag"
	                                                                                  "e: "
	                                                                                  "i:"
	                                                                                  "1\n"
	                                                                                  "    "
	                                                                                  "    "
	                                                                                  "read"
	                                                                                  "ines"
	                                                                                  "sPro"
	                                                                                  "be: "
	                                                                                  "{htt"
	                                                                                  "pGet"
	                                                                                  ": "
	                                                                                  "{pat"
	                                                                                  "h: "
	                                                                                  "/r, "
	                                                                                  "port"
	                                                                                  ": "
	                                                                                  "80}}"
	                                                                                  "\n"
	                                                                                  "    "
	                                                                                  "  - "
	                                                                                  "{nam"
	                                                                                  "e: "
	                                                                                  "side"
	                                                                                  ", "
	                                                                                  "imag"
	                                                                                  "e: "
	                                                                                  "i:1}"
	                                                                                  "\n") "--"
	                                                                                        "-"
	                                                                                        "\n"
	                                                                                        "ap"
	                                                                                        "iV"
	                                                                                        "er"
	                                                                                        "si"
	                                                                                        "on"
	                                                                                        ": "
	                                                                                        "ba"
	                                                                                        "tc"
	                                                                                        "h/"
	                                                                                        "v1"
	                                                                                        "\n"
	                                                                                        "ki"
	                                                                                        "nd"
	                                                                                        ": "
	                                                                                        "Jo"
	                                                                                        "b"
	                                                                                        "\n"
	                                                                                        "me"
	                                                                                        "ta"
	                                                                                        "da"
	                                                                                        "ta"
	                                                                                        ": "
	                                                                                        "{n"
	                                                                                        "am"
	                                                                                        "e:"
	                                                                                        " j"
	                                                                                        "}"
	                                                                                        "\n"
	                                                                                        "sp"
	                                                                                        "ec"
	                                                                                        ": "
	                                                                                        "{t"
	                                                                                        "em"
	                                                                                        "pl"
	                                                                                        "at"
	                                                                                        "e:"
	                                                                                        " {"
	                                                                                        "sp"
	                                                                                        "ec"
	                                                                                        ": "
	                                                                                        "{c"
	                                                                                        "on"
	                                                                                        "ta"
	                                                                                        "in"
	                                                                                        "er"
	                                                                                        "s:"
	                                                                                        " ["
	                                                                                        "{n"
	                                                                                        "am"
	                                                                                        "e:"
	                                                                                        " c"
	                                                                                        ", "
	                                                                                        "im"
	                                                                                        "ag"
	                                                                                        "e:"
	                                                                                        " i"
	                                                                                        ":1"
	                                                                                        "}]"
	                                                                                        "}}"
	                                                                                        "}"
	                                                                                        "\n";
	struct hull_err err;
	const struct hull_findings *f = scan(text, &err);
	unsigned line = 0;
	if (!TAP_OK(f != NULL, "probes load (%s)", err.msg))
		return;
	TAP_OK(hits(f, "HULL-C049", "Deployment none", &line) == 1 && line == 9,
	       "no readiness: one finding for the pod, at its first container (line %u)", line);
	TAP_OK(hits(f, "HULL-C095", "Deployment none", NULL) == 2,
	       "no liveness: one finding per container");
	TAP_OK(hits(f, "HULL-C049", "Deployment live-only", NULL) == 1 &&
	           hits(f, "HULL-C095", "Deployment live-only", NULL) == 0,
	       "liveness alone: only the readiness finding");
	TAP_OK(hits(f, "HULL-C049", "Deployment ready-only", NULL) == 0 &&
	           hits(f, "HULL-C095", "Deployment ready-only", NULL) == 2,
	       "readiness on one container is enough for the pod; liveness is per container");
	TAP_OK(hits(f, "HULL-C049", "Job", NULL) + hits(f, "HULL-C095", "Job", NULL) == 0,
	       "a Job runs to completion");
}

static void probes_and_services(void)
{
	const char *text =
	    DEPLOY("served", "{app: web, tier: f}",
	           "      - {name: c, image: i:1}\n") "---\n" DEPLOY("unserved", "{app: batch}",
	                                                             "      - {name: c, image: "
	                                                             "i:1}\n") "---\n"
	                                                                       "apiVersion: "
	                                                                       "apps/v1\nkind: "
	                                                                       "Deployment\nmetadat"
	                                                                       "a: {name: "
	                                                                       "other-ns, "
	                                                                       "namespace: b}\n"
	                                                                       "spec: {template: "
	                                                                       "{metadata: "
	                                                                       "{labels: {app: "
	                                                                       "web}}, spec: "
	                                                                       "{containers: "
	                                                                       "[{name: c, "
	                                                                       "image: i:1}]}}}\n"
	                                                                       "---\n"
	                                                                       "apiVersion: "
	                                                                       "v1\nkind: "
	                                                                       "Service\nmetadata: "
	                                                                       "{name: web, "
	                                                                       "namespace: a}\n"
	                                                                       "spec: {selector: "
	                                                                       "{app: web}, ports: "
	                                                                       "[{port: 80}]}\n"
	                                                                       "---\n"
	                                                                       "apiVersion: "
	                                                                       "v1\nkind: "
	                                                                       "Service\nmetadata: "
	                                                                       "{name: "
	                                                                       "manual}\nspec: "
	                                                                       "{ports: [{port: "
	                                                                       "80}]}\n";
	struct hull_err err;
	const struct hull_findings *f = scan(text, &err);
	if (!TAP_OK(f != NULL, "services load (%s)", err.msg))
		return;
	TAP_OK(hits(f, "HULL-C049", "Deployment served", NULL) == 1,
	       "a Service selects the pods: readiness is needed");
	TAP_OK(hits(f, "HULL-C049", "Deployment unserved", NULL) == 0 &&
	           hits(f, "HULL-C095", "Deployment unserved", NULL) == 1,
	       "no Service selects the pods: no readiness finding, the liveness one stays");
	TAP_OK(hits(f, "HULL-C049", "Deployment b/other-ns", NULL) == 0,
	       "a Service of another namespace does not count");
}

static void tokens(void)
{
	const char *text =
	    "apiVersion: v1\nkind: Pod\nmetadata: {name: unset, namespace: t}\n"
	    "spec: {containers: [{name: c, image: i:1}]}\n"
	    "---\n"
	    "apiVersion: v1\nkind: Pod\nmetadata: {name: off, namespace: t}\n"
	    "spec: {automountServiceAccountToken: false, containers: [{name: c, image: i:1}]}\n"
	    "---\n"
	    "apiVersion: v1\nkind: Pod\nmetadata: {name: on, namespace: t}\n"
	    "spec: {automountServiceAccountToken: true, containers: [{name: c, image: i:1}]}\n"
	    "---\n"
	    "apiVersion: v1\nkind: Pod\nmetadata: {name: quiet-sa, namespace: t}\n"
	    "spec: {serviceAccountName: quiet, containers: [{name: c, image: i:1}]}\n"
	    "---\n"
	    "apiVersion: v1\nkind: Pod\nmetadata: {name: loud-sa, namespace: t}\n"
	    "spec: {serviceAccountName: loud, containers: [{name: c, image: i:1}]}\n"
	    "---\n"
	    "apiVersion: v1\nkind: Pod\nmetadata: {name: silent-sa, namespace: t}\n"
	    "spec: {serviceAccountName: silent, containers: [{name: c, image: i:1}]}\n"
	    "---\n"
	    "apiVersion: v1\nkind: Pod\nmetadata: {name: pod-wins, namespace: t}\n"
	    "spec: {serviceAccountName: loud, automountServiceAccountToken: false,\n"
	    "       containers: [{name: c, image: i:1}]}\n"
	    "---\n"
	    "apiVersion: v1\nkind: Pod\nmetadata: {name: elsewhere, namespace: u}\n"
	    "spec: {serviceAccountName: quiet, containers: [{name: c, image: i:1}]}\n"
	    "---\n"
	    "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: quiet, namespace: t}\n"
	    "automountServiceAccountToken: false\n"
	    "---\n"
	    "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: loud, namespace: t}\n"
	    "automountServiceAccountToken: true\n"
	    "---\n"
	    "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: silent, namespace: t}\n";
	struct hull_err err;
	const struct hull_findings *f = scan(text, &err);
	unsigned line = 0;
	if (!TAP_OK(f != NULL, "tokens load (%s)", err.msg))
		return;
	TAP_OK(hits(f, "HULL-C096", "Pod t/unset", NULL) == 1 &&
	           hits(f, "HULL-C050", "Pod t/unset", NULL) == 0,
	       "unset means mounted: the low finding, not the explicit one");
	TAP_OK(hits(f, "HULL-C096", "Pod t/off", NULL) + hits(f, "HULL-C050", "Pod t/off", NULL) ==
	           0,
	       "explicit false");
	TAP_OK(hits(f, "HULL-C050", "Pod t/on", NULL) == 1 &&
	           hits(f, "HULL-C096", "Pod t/on", NULL) == 0,
	       "explicit true");
	TAP_OK(hits(f, "HULL-C096", "Pod t/quiet-sa", NULL) +
	               hits(f, "HULL-C050", "Pod t/quiet-sa", NULL) ==
	           0,
	       "the ServiceAccount sets false");
	TAP_OK(hits(f, "HULL-C050", "Pod t/loud-sa", &line) == 1 && line == 50 &&
	           hits(f, "HULL-C096", "Pod t/loud-sa", NULL) == 0,
	       "the ServiceAccount sets true: the finding points at it (line %u)", line);
	TAP_OK(hits(f, "HULL-C096", "Pod t/silent-sa", NULL) == 1,
	       "a ServiceAccount that does not set it");
	TAP_OK(hits(f, "HULL-C096", "Pod t/pod-wins", NULL) +
	               hits(f, "HULL-C050", "Pod t/pod-wins", NULL) ==
	           0,
	       "the pod's false wins over the ServiceAccount's true");
	TAP_OK(hits(f, "HULL-C096", "Pod u/elsewhere", NULL) == 1,
	       "a ServiceAccount of another namespace does not count");
}

int main(void)
{
	probes_alone();
	probes_and_services();
	tokens();
	hull_findings_release(&found);
	return tap_done();
}
