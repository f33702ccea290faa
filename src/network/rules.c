/* rules: the network rule catalogue. Ids HULL-N001... live in the same
 * namespace as hull config's HULL-C ids and follow the same law: stable,
 * never reused, a new rule takes the next number. The table uses hull
 * config's struct hull_rule so the two catalogues can be listed as one. */
#include <ctype.h>
#include <string.h>

#include "network/internal.h"

#define COMPOSE HULL_INPUT_BIT(HULL_INPUT_COMPOSE)
#define K8S     HULL_INPUT_BIT(HULL_INPUT_K8S)
#define RT      HULL_INPUT_BIT(HULL_INPUT_RUNTIME)
#define W       HULL_SCOPE_WORKLOAD
#define O       HULL_SCOPE_OBJECT

static const struct hull_rule rules[] = {
    {"HULL-N001", "Namespace without a default-deny ingress policy", HULL_SEV_MEDIUM, O, K8S,
     HULL_PSS_NONE, NULL,
     "Until a NetworkPolicy selects a pod for Ingress, the pod accepts connections from every "
     "pod of every namespace and from outside the cluster. A policy with an empty podSelector "
     "and policyTypes [Ingress] makes isolation the default, so a new workload is closed "
     "until someone opens it.",
     "Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress]` to the "
     "namespace, then one policy per workload that allows its callers.",
     NULL, NULL, NULL, "pod-networkpolicy", NULL},
    {"HULL-N002", "Namespace without a default-deny egress policy", HULL_SEV_LOW, O, K8S,
     HULL_PSS_NONE, NULL,
     "Without egress isolation a compromised pod can open connections anywhere: other "
     "namespaces, the cloud metadata service, the internet (data exfiltration, command and "
     "control).",
     "Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Egress]`, then allow DNS "
     "and the destinations each workload needs.",
     NULL, NULL, NULL, "pod-networkpolicy", NULL},
    {"HULL-N003", "Workload reachable from every pod in the cluster", HULL_SEV_LOW, W, K8S,
     HULL_PSS_NONE, NULL,
     "Every other workload of the cluster can open connections to it: one compromised pod "
     "anywhere is enough to attack it.",
     "Select the workload with an ingress NetworkPolicy that allows only its callers (by "
     "podSelector and namespaceSelector) on the ports it serves.",
     NULL, NULL, NULL, "pod-networkpolicy", NULL},
    {"HULL-N004", "Database port reachable from the internet", HULL_SEV_HIGH, W, COMPOSE | K8S | RT,
     HULL_PSS_NONE, NULL,
     "A database, cache or search engine port (PostgreSQL, MySQL, Redis, MongoDB, "
     "Elasticsearch...) is published on every interface, on the host network, or behind a "
     "NodePort / LoadBalancer / external IP, and nothing in the configuration keeps the "
     "internet out. These services are scanned for constantly and often run without "
     "authentication.",
     "Do not publish the port (remove `ports:`, use `expose:` or a ClusterIP Service), or bind "
     "it to 127.0.0.1; in Kubernetes allow ingress only from the application's pods.",
     NULL, "5.14", NULL, NULL, NULL},
    {"HULL-N005", "Database port reachable from every workload", HULL_SEV_MEDIUM, W,
     COMPOSE | K8S | RT, HULL_PSS_NONE, NULL,
     "Every other workload of the deployment can connect to a database-like port, so a flaw "
     "in any of them (a front end, a proxy, a batch job) reaches the data directly.",
     "Put the database on a network shared only with the services that use it (Compose: a "
     "dedicated `networks:` entry; Kubernetes: an ingress NetworkPolicy allowing only the "
     "application's pods).",
     NULL, NULL, NULL, NULL, NULL},
    {"HULL-N006", "Unrelated services share the Compose default network", HULL_SEV_LOW, W, COMPOSE,
     HULL_PSS_NONE, NULL,
     "Services without a `networks:` key all join the project's default network and can reach "
     "each other on every port, including services that neither depend on nor link to each "
     "other.",
     "Declare networks per tier (for example `frontend` and `backend`) and attach each "
     "service only to the networks of the services it talks to.",
     NULL, NULL, NULL, NULL, NULL},
    {"HULL-N007", "Workload on the host network", HULL_SEV_HIGH, W, COMPOSE | K8S | RT,
     HULL_PSS_NONE, NULL,
     "With the host's network namespace, every port the workload listens on is open on the "
     "host's interfaces, published-port and NetworkPolicy controls do not apply to it, and it "
     "can reach services bound to the host's loopback address.",
     "Remove network_mode: host / hostNetwork: true / --network host and publish only the "
     "ports that must be reachable.",
     "KSV-0009", "5.10", NULL, NULL, NULL},
    {"HULL-N008", "Inter-container communication on the default bridge", HULL_SEV_LOW, O, RT,
     HULL_PSS_NONE, NULL,
     "On the default bridge network with icc enabled, every container can connect to every "
     "other container's ports, whether or not they belong together.",
     "Start the daemon with --icc=false (\"icc\": false in daemon.json) and put containers "
     "that must talk on user-defined networks.",
     NULL, "2.2", NULL, NULL, NULL},
    {"HULL-N009", "NetworkPolicy selects no pod", HULL_SEV_LOW, O, K8S, HULL_PSS_NONE, NULL,
     "The policy's podSelector matches no pod of the input (a typo in a label, a renamed "
     "app): the protection it was written for is not in place.",
     "Fix the podSelector (or the pod labels), or delete the policy.", "KSV-0038", NULL, NULL,
     "networkpolicy-targets-pod", NULL},
};

const struct hull_rule *hull_net_rules(size_t *n)
{
	*n = sizeof(rules) / sizeof(rules[0]);
	return rules;
}

static int inputs_text(struct hull_buf *out, unsigned mask, struct hull_err *err)
{
	bool first = true;
	for (int i = 0; i < HULL_INPUT__COUNT; i++) {
		if (!(mask & HULL_INPUT_BIT(i)))
			continue;
		if (hull_buf_printf(out, err, "%s%s", first ? "" : ", ",
		                    hull_input_name((enum hull_input)i)) < 0)
			return -1;
		first = false;
	}
	return 0;
}

int hull_net_rules_table(struct hull_buf *out, struct hull_err *err)
{
	size_t n;
	const struct hull_rule *r = hull_net_rules(&n);
	if (hull_buf_printf(out, err, "%-10s %-8s %-52s %s\n", "ID", "SEVERITY", "TITLE",
	                    "APPLIES TO") < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (hull_buf_printf(out, err, "%-10s %-8s %-52s ", r[i].id,
		                    hull_severity_name(r[i].severity), r[i].title) < 0 ||
		    inputs_text(out, r[i].inputs, err) < 0 || hull_buf_printf(out, err, "\n") < 0)
			return -1;
	return 0;
}

int hull_net_rules_markdown(struct hull_buf *out, struct hull_err *err)
{
	size_t n;
	const struct hull_rule *r = hull_net_rules(&n);
	if (hull_buf_printf(
	        out, err,
	        "| Id | Title | Severity | Applies to | See also |\n|---|---|---|---|---|\n") < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (hull_buf_printf(out, err, "| %s | %s | %s | ", r[i].id, r[i].title,
		                    hull_severity_name(r[i].severity)) < 0 ||
		    inputs_text(out, r[i].inputs, err) < 0)
			return -1;
		const char *sep = "";
		int rc = hull_buf_printf(out, err, " | ");
		if (rc == 0 && r[i].trivy) {
			rc = hull_buf_printf(out, err, "Trivy %s", r[i].trivy);
			sep = " · ";
		}
		if (rc == 0 && r[i].cis) {
			rc = hull_buf_printf(out, err, "%sCIS Docker %s", sep, r[i].cis);
			sep = " · ";
		}
		if (rc == 0 && r[i].kube_score)
			rc = hull_buf_printf(out, err, "%skube-score %s", sep, r[i].kube_score);
		if (rc < 0 || hull_buf_printf(out, err, " |\n") < 0)
			return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (hull_buf_printf(out, err, "\n### %s %s\n\n%s\n\n**Remediation:** %s\n", r[i].id,
		                    r[i].title, r[i].rationale, r[i].remediation) < 0)
			return -1;
	return 0;
}
