/* Kubernetes (every workload kind, List, multi-document streams, init and
 * ephemeral containers, pod-level inheritance, unknown kinds), ECS task
 * definitions, inspect output, the image config, and kind detection. */
#include "helpers.h"
#include "tap.h"

static struct hull_model *load(const char *text, enum hull_config_kind k, struct hull_err *err,
                               enum hull_config_kind *got)
{
	struct hull_model *m = hull_model_new();
	memset(err, 0, sizeof(*err));
	if (hull_config_load(m, text, strlen(text), "in.yaml", k, NULL, got, err) < 0) {
		hull_model_free(m);
		return NULL;
	}
	return m;
}

static void k8s_kinds(void)
{
	static const char *const kinds[][2] = {
	    {"Deployment", "spec: {template: {spec: {containers: [{name: c, image: i:1}]}}}"},
	    {"StatefulSet", "spec: {template: {spec: {containers: [{name: c, image: i:1}]}}}"},
	    {"DaemonSet", "spec: {template: {spec: {containers: [{name: c, image: i:1}]}}}"},
	    {"ReplicaSet", "spec: {template: {spec: {containers: [{name: c, image: i:1}]}}}"},
	    {"ReplicationController", "spec: {template: {spec: {containers: [{name: c, image: "
	                              "i:1}]}}}"},
	    {"Job", "spec: {template: {spec: {containers: [{name: c, image: i:1}]}}}"},
	    {"CronJob", "spec: {schedule: '* * * * *', jobTemplate: {spec: {template: {spec: "
	                "{containers: [{name: c, image: i:1}]}}}}}"},
	    {"Pod", "spec: {containers: [{name: c, image: i:1}]}"},
	    {"PodTemplate", "template: {spec: {containers: [{name: c, image: i:1}]}}"},
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char text[512];
		snprintf(text, sizeof(text), "apiVersion: v1\nkind: %s\nmetadata: {name: x}\n%s\n",
		         kinds[i][0], kinds[i][1]);
		struct hull_err err;
		struct hull_model *m = load(text, HULL_CONFIG_UNKNOWN, &err, NULL);
		TAP_OK(m && m->workloads.n == 1 && m->workloads.v[0].containers.n == 1 &&
		           !strcmp(m->workloads.v[0].kind, kinds[i][0]),
		       "%s is a workload with its container (%s)", kinds[i][0], err.msg);
		hull_model_free(m);
	}
}

static void k8s_structure(void)
{
	const char *text = "---\n"
	                   "# an empty document and a CRD\n"
	                   "---\n"
	                   "apiVersion: networking.istio.io/v1\n"
	                   "kind: VirtualService\n"
	                   "metadata: {name: vs}\n"
	                   "---\n"
	                   "apiVersion: v1\n"
	                   "kind: List\n"
	                   "items:\n"
	                   "- apiVersion: v1\n"
	                   "  kind: Pod\n"
	                   "  metadata: {name: p, namespace: ns}\n"
	                   "  spec:\n"
	                   "    securityContext: {runAsUser: 1000, runAsNonRoot: true}\n"
	                   "    initContainers: [{name: init, image: busybox:1}]\n"
	                   "    containers:\n"
	                   "    - name: app\n"
	                   "      image: app:1\n"
	                   "      securityContext: {runAsUser: 0}\n"
	                   "    - name: side\n"
	                   "      image: side:1\n"
	                   "    ephemeralContainers: [{name: dbg, image: busybox:1, stdin: true}]\n"
	                   "- apiVersion: v1\n"
	                   "  kind: ConfigMap\n"
	                   "  metadata: {name: cm}\n"
	                   "  data: {DB_PASSWORD: hunter2}\n";
	struct hull_err err;
	enum hull_config_kind got;
	struct hull_model *m = load(text, HULL_CONFIG_UNKNOWN, &err, &got);
	TAP_OK(m && got == HULL_CONFIG_K8S, "multi-document stream with a List (%s)", err.msg);
	if (!m)
		return;
	TAP_OK(m->objects.n == 3 && m->workloads.n == 1, "objects: VirtualService, Pod, ConfigMap");
	const struct hull_workload *w = &m->workloads.v[0];
	TAP_OK(w->containers.n == 4 && w->containers.v[0].role == HULL_CTR_INIT &&
	           w->containers.v[3].role == HULL_CTR_EPHEMERAL,
	       "init, main and ephemeral containers");
	const struct hull_container *app = &w->containers.v[1], *side = &w->containers.v[2];
	TAP_OK(app->user.uid == 0 &&
	           !strcmp(app->user.origin, "container securityContext.runAsUser"),
	       "the container's runAsUser wins");
	TAP_OK(side->user.uid == 1000 &&
	           !strcmp(side->user.origin, "pod securityContext.runAsUser") &&
	           side->user.non_root.v == HULL_TRUE,
	       "the pod's runAsUser and runAsNonRoot are inherited");
	TAP_OK(!strcmp(w->namespace, "ns"), "namespace");
	struct hull_findings f = {0};
	struct hull_check_opts o = {0};
	hull_misconfig_check(m, &o, &f, &err);
	TAP_OK(count_id(&f, "HULL-C083") == 1, "ConfigMap secret found: %s", ids_of(&f));
	size_t root = count_id(&f, "HULL-C008");
	TAP_OK(root == 1,
	       "only the app container runs as root (init has none set but the pod sets "
	       "runAsUser 1000): %zu",
	       root);
	hull_findings_release(&f);
	hull_model_free(m);
	m = load("apiVersion: v1\nkind: Pod\n---\n- a\n- b\n", HULL_CONFIG_K8S, &err, NULL);
	TAP_OK(!m && strstr(err.msg, "must be a mapping") && strstr(err.msg, "line 4"),
	       "a non-mapping document: %s", err.msg);
	hull_model_free(m);
}

static void ecs(void)
{
	const char *text =
	    "{\"taskDefinition\": {\"family\": \"api\", \"networkMode\": \"awsvpc\", "
	    "\"cpu\": \"1 vCPU\", \"memory\": \"2GB\", \"pidMode\": \"host\", "
	    "\"volumes\": [{\"name\": \"sock\", \"host\": {\"sourcePath\": "
	    "\"/var/run/docker.sock\"}}, {\"name\": \"efs\", \"efsVolumeConfiguration\": {}}],\n"
	    "\"containerDefinitions\": [{\"name\": \"api\", \"image\": \"acme/api:1.4\", \"cpu\": "
	    "256,\n"
	    "  \"portMappings\": [{\"containerPort\": 8080, \"hostPort\": 8080}],\n"
	    "  \"mountPoints\": [{\"sourceVolume\": \"sock\", \"containerPath\": "
	    "\"/var/run/docker.sock\", \"readOnly\": true}],\n"
	    "  \"secrets\": [{\"name\": \"DB_PASSWORD\", \"valueFrom\": \"arn:aws:ssm:x\"}],\n"
	    "  \"environment\": [{\"name\": \"API_TOKEN\", \"value\": \"abc123secret\"}],\n"
	    "  \"dockerSecurityOptions\": [\"apparmor:unconfined\", \"label:disable\"],\n"
	    "  \"systemControls\": [{\"namespace\": \"net.core.somaxconn\", \"value\": "
	    "\"1024\"}],\n"
	    "  \"healthCheck\": {\"command\": [\"CMD\", \"true\"]}}]}}\n";
	struct hull_err err;
	enum hull_config_kind got;
	struct hull_model *m = load(text, HULL_CONFIG_UNKNOWN, &err, &got);
	TAP_OK(m && got == HULL_CONFIG_ECS, "describe-task-definition output (%s)", err.msg);
	if (!m)
		return;
	const struct hull_workload *w = &m->workloads.v[0];
	const struct hull_container *c = &w->containers.v[0];
	TAP_OK(!strcmp(w->name, "api") && w->host_pid.v == HULL_TRUE, "family and pidMode");
	TAP_OK(c->res.mem_limit.v == 2048.0 * 1048576 && c->res.cpu_limit.v == 1.0 &&
	           c->res.cpu_shares.v == 0.25,
	       "task memory and cpu are the limits, container cpu a share");
	TAP_OK(c->ports.n == 1 && !c->ports.v[0].published,
	       "awsvpc host ports are not host bindings");
	struct hull_findings f = {0};
	struct hull_check_opts o = {0};
	hull_misconfig_check(m, &o, &f, &err);
	TAP_OK(count_id(&f, "HULL-C022") == 1 && count_id(&f, "HULL-C015") == 1 &&
	           count_id(&f, "HULL-C033") == 1 && count_id(&f, "HULL-C035") == 1 &&
	           count_id(&f, "HULL-C037") == 1 && count_id(&f, "HULL-C047") == 1 &&
	           count_id(&f, "HULL-C039") == 0 && count_id(&f, "HULL-C048") == 0,
	       "ECS findings: %s", ids_of(&f));
	hull_findings_release(&f);
	hull_model_free(m);
}

static void inspect(void)
{
	const char *text =
	    "[{\"Name\": \"/web\", \"AppArmorProfile\": \"unconfined\",\n"
	    " \"Config\": {\"User\": \"\", \"Image\": \"nginx\", \"Env\": [\"A=1\"],\n"
	    "   \"Healthcheck\": {\"Test\": [\"NONE\"]}},\n"
	    " \"HostConfig\": {\"Binds\": [\"/:/host:ro\", \"vol:/data\"], \"CapAdd\": null,\n"
	    "   \"Memory\": 0, \"NanoCpus\": 0, \"CpuQuota\": 20000, \"CpuPeriod\": 100000,\n"
	    "   \"PidsLimit\": null, \"UsernsMode\": \"host\",\n"
	    "   \"Devices\": [{\"PathOnHost\": \"/dev/kvm\", \"PathInContainer\": \"/dev/kvm\"}],\n"
	    "   \"RestartPolicy\": {\"Name\": \"on-failure\", \"MaximumRetryCount\": 10},\n"
	    "   \"PortBindings\": {\"443/tcp\": [{\"HostIp\": \"\", \"HostPort\": \"443\"}]},\n"
	    "   \"Sysctls\": {\"kernel.msgmax\": \"1\"}, \"CgroupParent\": \"/custom\"}}]\n";
	struct hull_err err;
	enum hull_config_kind got;
	struct hull_model *m = load(text, HULL_CONFIG_UNKNOWN, &err, &got);
	TAP_OK(m && got == HULL_CONFIG_INSPECT, "inspect output (%s)", err.msg);
	if (!m)
		return;
	const struct hull_container *c = &m->workloads.v[0].containers.v[0];
	TAP_OK(!strcmp(m->workloads.v[0].name, "web") && c->res.cpu_limit.v == 0.2,
	       "name without '/', CpuQuota/CpuPeriod");
	struct hull_findings f = {0};
	struct hull_check_opts o = {0};
	hull_misconfig_check(m, &o, &f, &err);
	static const char *const expect[] = {"HULL-C008", "HULL-C021", "HULL-C018", "HULL-C025",
	                                     "HULL-C027", "HULL-C028", "HULL-C033", "HULL-C037",
	                                     "HULL-C039", "HULL-C041", "HULL-C045", "HULL-C048",
	                                     "HULL-C054", "HULL-C055"};
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
		TAP_OK(count_id(&f, expect[i]) == 1, "inspect raises %s", expect[i]);
	TAP_OK(count_id(&f, "HULL-C040") == 0, "a CPU quota is a CPU limit");
	hull_findings_release(&f);
	hull_model_free(m);
}

static void image_config(void)
{
	char *env[] = {"PATH=/usr/bin", "GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789"};
	char *ports[] = {"22/tcp", "80/tcp"};
	char *hc[] = {"CMD-SHELL", "curl -f localhost"};
	struct hull_image img = {.name = "registry.example/app:latest"};
	img.config.env = (struct hull_strv){env, 2};
	img.config.exposed_ports = (struct hull_strv){ports, 2};
	img.config.has_healthcheck = true;
	img.config.healthcheck_test = (struct hull_strv){hc, 2};
	struct hull_model *m = hull_model_new();
	struct hull_err err = {0};
	TAP_OK(hull_image_config_load(m, &img, "app.tar", &err) == 0, "image config loads");
	struct hull_findings f = {0};
	struct hull_check_opts o = {0};
	hull_misconfig_check(m, &o, &f, &err);
	TAP_OK(count_id(&f, "HULL-C008") == 1 && count_id(&f, "HULL-C047") == 1 &&
	           count_id(&f, "HULL-C029") == 1 && count_id(&f, "HULL-C045") == 1 &&
	           count_id(&f, "HULL-C048") == 0 && f.n == 4,
	       "image: root, GitHub token, port 22, latest (%s)", ids_of(&f));
	hull_findings_release(&f);
	hull_model_free(m);
	m = hull_model_new();
	img.config.user = "app";
	img.config.env.n = 1;
	hull_image_config_load(m, &img, "app.tar", &err);
	hull_misconfig_check(m, &o, &f, &err);
	TAP_OK(count_id(&f, "HULL-C008") == 0 && count_id(&f, "HULL-C047") == 0, "User app: %s",
	       ids_of(&f));
	hull_findings_release(&f);
	hull_model_free(m);
}

static void detection(void)
{
	static const struct {
		const char *text;
		enum hull_config_kind kind;
	} cases[] = {
	    {"FROM alpine\n", HULL_CONFIG_DOCKERFILE},
	    {"# syntax=docker/dockerfile:1\nARG A\nFROM alpine\n", HULL_CONFIG_DOCKERFILE},
	    {"services:\n  a: {image: x}\n", HULL_CONFIG_COMPOSE},
	    {"version: '3'\nservices: {}\n", HULL_CONFIG_COMPOSE},
	    {"apiVersion: v1\nkind: Service\n", HULL_CONFIG_K8S},
	    {"{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}", HULL_CONFIG_K8S},
	    {"{\"family\": \"f\", \"containerDefinitions\": []}", HULL_CONFIG_ECS},
	    {"[{\"Id\": \"x\", \"HostConfig\": {}}]", HULL_CONFIG_INSPECT},
	    {"{\"HostConfig\": {}, \"Name\": \"x\"}", HULL_CONFIG_INSPECT},
	    {"just: yaml\n", HULL_CONFIG_UNKNOWN},
	    {"not: [valid\n", HULL_CONFIG_UNKNOWN},
	    {"", HULL_CONFIG_UNKNOWN},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		TAP_OK(hull_config_detect(cases[i].text, strlen(cases[i].text)) == cases[i].kind,
		       "detects %s (case %zu)", hull_config_kind_name(cases[i].kind), i);
}

int main(void)
{
	k8s_kinds();
	k8s_structure();
	ecs();
	inspect();
	image_config();
	detection();
	return tap_done();
}
