/* Compose: several -f files merged in order (values keep the position of
 * the file that set them), extends (same file and other file),
 * interpolation from .env, short and long port and volume syntax,
 * resources, namespaces and security options. */
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "tap.h"

static struct hull_model *load(const char *const *texts, const char *const *names, size_t n,
                               const char *env, struct hull_err *err)
{
	const char *datas[8];
	size_t lens[8];
	for (size_t i = 0; i < n; i++) {
		datas[i] = texts[i];
		lens[i] = strlen(texts[i]);
	}
	struct hull_model *m = hull_model_new();
	memset(err, 0, sizeof(*err));
	if (hull_compose_load(m, datas, lens, names, n, env, err) < 0) {
		hull_model_free(m);
		return NULL;
	}
	return m;
}

static const struct hull_workload *svc(const struct hull_model *m, const char *name)
{
	for (size_t i = 0; m && i < m->workloads.n; i++)
		if (!strcmp(m->workloads.v[i].name, name))
			return &m->workloads.v[i];
	return NULL;
}

static const char *env_of(const struct hull_container *c, const char *name)
{
	for (size_t i = 0; i < c->env.n; i++)
		if (!strcmp(c->env.v[i].name.v, name))
			return c->env.v[i].value ? c->env.v[i].value : "(unset)";
	return NULL;
}

/* Loads one Compose text as c.yaml and runs every rule. NULL and err set
 * when it does not load. */
static struct hull_findings *scan(const char *text, struct hull_err *err)
{
	static struct hull_findings f;
	const char *names[] = {"c.yaml"};
	hull_findings_release(&f);
	memset(&f, 0, sizeof(f));
	if (!text) /* the last call frees the last findings */
		return NULL;
	struct hull_model *m = load(&text, names, 1, NULL, err);
	if (!m)
		return NULL;
	struct hull_check_opts o = {0};
	int rc = hull_misconfig_check(m, &o, &f, err);
	hull_model_free(m);
	return rc < 0 ? NULL : &f;
}

/* Findings of id on service svc; *line gets the first one's line. */
static size_t hits(const struct hull_findings *f, const char *id, const char *svc, unsigned *line)
{
	char obj[128];
	size_t n = 0;
	snprintf(obj, sizeof(obj), "service %s", svc);
	for (size_t i = 0; f && i < f->n; i++) {
		const struct hull_finding *x = &f->items[i];
		size_t ol = strlen(obj);
		if (x->suppressed || strcmp(x->id, id) || !x->loc.object ||
		    strncmp(x->loc.object, obj, ol) ||
		    (x->loc.object[ol] && x->loc.object[ol] != ','))
			continue;
		if (!n++ && line)
			*line = x->loc.line;
	}
	return n;
}

/* The message of the first finding of id on svc, or "". */
static const char *msg_of(const struct hull_findings *f, const char *id, const char *svc)
{
	char obj[128];
	snprintf(obj, sizeof(obj), "service %s", svc);
	for (size_t i = 0; f && i < f->n; i++)
		if (!strcmp(f->items[i].id, id) && f->items[i].loc.object &&
		    !strncmp(f->items[i].loc.object, obj, strlen(obj)))
			return f->items[i].message;
	return "";
}

static void merge(void)
{
	const char *base = "services:\n"
	                   "  web:\n"
	                   "    image: nginx:1.25\n"
	                   "    user: \"1000\"\n"
	                   "    ports: [\"8080:80\"]\n"
	                   "    environment: {A: \"1\", KEEP: yes}\n"
	                   "    cap_add: [NET_ADMIN]\n"
	                   "  db:\n"
	                   "    image: postgres:16\n";
	const char *over = "services:\n"
	                   "  web:\n"
	                   "    privileged: true\n"
	                   "    ports: [\"127.0.0.1:9000:9000\"]\n"
	                   "    environment: [A=2, B=3]\n"
	                   "    cap_add: [NET_ADMIN, SYS_TIME]\n"
	                   "  cache:\n"
	                   "    image: redis:7\n";
	const char *texts[] = {base, over}, *names[] = {"compose.yaml", "compose.override.yaml"};
	struct hull_err err;
	struct hull_model *m = load(texts, names, 2, NULL, &err);
	TAP_OK(m && m->workloads.n == 3, "two files, three services (%s)", err.msg);
	const struct hull_workload *w = svc(m, "web");
	if (!w) {
		hull_model_free(m);
		return;
	}
	const struct hull_container *c = &w->containers.v[0];
	TAP_OK(c->privileged.v == HULL_TRUE &&
	           !strcmp(c->privileged.pos.file, "compose.override.yaml") &&
	           c->privileged.pos.line == 3,
	       "privileged comes from the override, with its position");
	TAP_OK(c->user.uid == 1000 && !strcmp(c->user.spec.pos.file, "compose.yaml"),
	       "user stays from the base file");
	TAP_OK(c->ports.n == 2, "ports add up: %zu", c->ports.n);
	TAP_OK(!strcmp(env_of(c, "A"), "2") && !strcmp(env_of(c, "B"), "3") && env_of(c, "KEEP") &&
	           c->env.n == 3,
	       "environment merges by name (map and list forms)");
	TAP_OK(c->cap_add.n == 2, "cap_add merges without duplicates: %zu", c->cap_add.n);
	hull_model_free(m);
}

static void extends(void)
{
	const char *text = "services:\n"
	                   "  base:\n"
	                   "    image: app:1\n"
	                   "    privileged: true\n"
	                   "    read_only: true\n"
	                   "  worker:\n"
	                   "    extends: base\n"
	                   "    read_only: false\n"
	                   "  loop-a: {image: x, extends: {service: loop-b}}\n"
	                   "  loop-b: {image: x, extends: {service: loop-a}}\n";
	const char *names[] = {"c.yaml"};
	struct hull_err err;
	struct hull_model *m = load(&text, names, 1, NULL, &err);
	TAP_OK(!m && strstr(err.msg, "extends nested too deep"), "an extends loop is an error: %s",
	       err.msg);
	hull_model_free(m);
	const char *ok = "services:\n"
	                 "  base:\n"
	                 "    image: app:1\n"
	                 "    privileged: true\n"
	                 "    read_only: true\n"
	                 "  worker:\n"
	                 "    extends: base\n"
	                 "    read_only: false\n";
	m = load(&ok, names, 1, NULL, &err);
	const struct hull_workload *w = svc(m, "worker");
	TAP_OK(w && w->containers.v[0].privileged.v == HULL_TRUE &&
	           w->containers.v[0].read_only_root.v == HULL_FALSE &&
	           w->containers.v[0].privileged.pos.line == 4,
	       "extends applies the base first, then the service");
	hull_model_free(m);
	char dir[] = "/tmp/hull-compose-XXXXXX";
	if (!mkdtemp(dir))
		return;
	char path[256], main_path[256];
	snprintf(path, sizeof(path), "%s/common.yaml", dir);
	FILE *fp = fopen(path, "w");
	fputs("services:\n  hardened:\n    cap_drop: [ALL]\n    pid: host\n", fp);
	fclose(fp);
	snprintf(main_path, sizeof(main_path), "%s/compose.yaml", dir);
	const char *other = "services:\n"
	                    "  app:\n"
	                    "    image: app:2\n"
	                    "    extends: {file: common.yaml, service: hardened}\n";
	const char *mn[] = {main_path};
	m = load(&other, mn, 1, NULL, &err);
	w = svc(m, "app");
	TAP_OK(w && w->host_pid.v == HULL_TRUE && strstr(w->host_pid.pos.file, "common.yaml") &&
	           w->containers.v[0].cap_drop.n == 1,
	       "extends from another file, positions in that file (%s)", err.msg);
	hull_model_free(m);
	const char *missing = "services:\n  app:\n    extends: {file: nope.yaml, service: x}\n";
	m = load(&missing, mn, 1, NULL, &err);
	TAP_OK(!m && strstr(err.msg, "extends") && strstr(err.msg, "nope.yaml"),
	       "a missing extends file: %s", err.msg);
	unlink(path);
	rmdir(dir);
}

/* include: another file's services join the project, paths relative to
 * the including file; a missing one is an error naming the line */
static void includes(void)
{
	char dir[] = "/tmp/hull-include-XXXXXX", sub[64], db[96], base[96], main_path[96];
	if (!TAP_OK(mkdtemp(dir) != NULL, "temporary directory"))
		return;
	snprintf(sub, sizeof(sub), "%s/sub", dir);
	snprintf(db, sizeof(db), "%s/db.yaml", sub);
	snprintf(base, sizeof(base), "%s/base.yaml", sub);
	snprintf(main_path, sizeof(main_path), "%s/compose.yaml", dir);
	mkdir(sub, 0700);
	FILE *fp = fopen(db, "w");
	fputs("services:\n  db:\n    image: postgres:16\n    extends: {file: base.yaml, service: "
	      "b}\n",
	      fp);
	fclose(fp);
	fp = fopen(base, "w");
	fputs("services:\n  b:\n    privileged: true # hull:ignore=HULL-C001 lab box\n", fp);
	fclose(fp);
	const char *text = "include:\n  - sub/db.yaml\nservices:\n  web: {image: nginx:1}\n";
	const char *names[] = {main_path};
	struct hull_err err;
	struct hull_model *m = load(&text, names, 1, NULL, &err);
	const struct hull_workload *w = svc(m, "db");
	TAP_OK(m && svc(m, "web") && w && w->containers.v[0].privileged.v == HULL_TRUE &&
	           strstr(w->containers.v[0].privileged.pos.file, "sub/base.yaml"),
	       "included services, extends relative to the included file (%s)", err.msg);
	struct hull_findings f = {0};
	struct hull_check_opts o = {0};
	if (m)
		hull_misconfig_check(m, &o, &f, &err);
	size_t sup = 0;
	for (size_t i = 0; i < f.n; i++)
		sup += f.items[i].suppressed && !strcmp(f.items[i].id, "HULL-C001");
	TAP_OK(count_id(&f, "HULL-C001") == 0 && sup == 1,
	       "an inline ignore in the extended file applies");
	hull_findings_release(&f);
	hull_model_free(m);
	const char *missing = "include: [nope.yaml]\nservices: {web: {image: nginx:1}}\n";
	m = load(&missing, names, 1, NULL, &err);
	TAP_OK(!m && strstr(err.msg, "compose.yaml: line 1: include") &&
	           strstr(err.msg, "nope.yaml"),
	       "a missing include: %s", err.msg);
	hull_model_free(m);
	const char *loop = "include: [compose.yaml]\n";
	fp = fopen(main_path, "w");
	fputs(loop, fp);
	fclose(fp);
	m = load(&loop, names, 1, NULL, &err);
	TAP_OK(!m && (strstr(err.msg, "too deep") || strstr(err.msg, "compose files")),
	       "a file that includes itself: %s", err.msg);
	hull_model_free(m);
	unlink(main_path);
	unlink(db);
	unlink(base);
	rmdir(sub);
	rmdir(dir);
}

static void interpolation(void)
{
	const char *text = "services:\n"
	                   "  web:\n"
	                   "    image: \"nginx:${TAG:-latest}\"\n"
	                   "    privileged: ${PRIV:-false}\n"
	                   "    environment:\n"
	                   "      DB_PASSWORD: ${PASS}\n"
	                   "      FALLBACK: ${MISSING:-default}\n"
	                   "      ALT: ${TAG:+set}\n"
	                   "      DOLLAR: $$HOME\n"
	                   "      NESTED: ${MISSING:-${TAG}}\n"
	                   "      SHELL_ONLY:\n";
	const char *env = "# comment\nexport TAG=1.2\nPASS='hunter2'\nPRIV=true # trailing\n";
	const char *names[] = {"c.yaml"};
	struct hull_err err;
	struct hull_model *m = load(&text, names, 1, env, &err);
	const struct hull_workload *w = svc(m, "web");
	if (!TAP_OK(w != NULL, "interpolation loads (%s)", err.msg)) {
		hull_model_free(m);
		return;
	}
	const struct hull_container *c = &w->containers.v[0];
	TAP_OK(!strcmp(c->image.v, "nginx:1.2"), "image from .env: %s", c->image.v);
	TAP_OK(c->privileged.v == HULL_TRUE, "booleans after interpolation");
	TAP_OK(!strcmp(env_of(c, "DB_PASSWORD"), "hunter2") &&
	           !strcmp(env_of(c, "FALLBACK"), "default") && !strcmp(env_of(c, "ALT"), "set") &&
	           !strcmp(env_of(c, "DOLLAR"), "$HOME") && !strcmp(env_of(c, "NESTED"), "1.2"),
	       "values: %s %s %s %s %s", env_of(c, "DB_PASSWORD"), env_of(c, "FALLBACK"),
	       env_of(c, "ALT"), env_of(c, "DOLLAR"), env_of(c, "NESTED"));
	TAP_OK(!strcmp(env_of(c, "SHELL_ONLY"), "(unset)") && c->env.v[c->env.n - 1].from_ref,
	       "a variable without a value comes from the shell");
	hull_model_free(m);
}

/* interpolation corners compose-go agrees on: defaults holding ':' and
 * nested references, set-but-empty with and without ':', $$ before a
 * brace, unterminated references kept as written */
static void interpolation_edges(void)
{
	const char *text = "services:\n"
	                   "  a:\n"
	                   "    image: x:1\n"
	                   "    environment:\n"
	                   "      NESTED: \"${A:-${B:-c}}\"\n"
	                   "      ESC: \"$${A}\"\n"
	                   "      COLON: \"${A:-x:y}\"\n"
	                   "      JOIN: \"${TAG}_${TAG}\"\n"
	                   "      ALT: \"${TAG:+${TAG}-alt}\"\n"
	                   "      UNTERM: \"${A\"\n"
	                   "      EMPTYDEF: \"${A:-}\"\n"
	                   "      DASH: \"${E-def}\"\n"
	                   "      COLONDASH: \"${E:-def}\"\n";
	const char *names[] = {"c.yaml"};
	struct hull_err err;
	struct hull_model *m = load(&text, names, 1, "TAG=2\nE=\n", &err);
	const struct hull_workload *w = svc(m, "a");
	if (!TAP_OK(w != NULL, "loads (%s)", err.msg)) {
		hull_model_free(m);
		return;
	}
	const struct hull_container *c = &w->containers.v[0];
	static const char *const want[][2] = {
	    {"NESTED", "c"},  {"ESC", "${A}"},  {"COLON", "x:y"},
	    {"JOIN", "2_2"},  {"ALT", "2-alt"}, {"UNTERM", "${A"},
	    {"EMPTYDEF", ""}, {"DASH", ""},     {"COLONDASH", "def"}};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		TAP_OK(env_of(c, want[i][0]) && !strcmp(env_of(c, want[i][0]), want[i][1]),
		       "%s = '%s' (got '%s')", want[i][0], want[i][1],
		       env_of(c, want[i][0]) ? env_of(c, want[i][0]) : "(none)");
	hull_model_free(m);
}

static void ports_volumes(void)
{
	const char *text = "services:\n"
	                   "  web:\n"
	                   "    image: a:1\n"
	                   "    ports:\n"
	                   "      - \"80\"\n"
	                   "      - 8080:80\n"
	                   "      - \"127.0.0.1:8443:443\"\n"
	                   "      - \"[::1]:5353:53/udp\"\n"
	                   "      - \"8000-8010:8000-8010\"\n"
	                   "      - {target: 22, published: \"2222\", host_ip: 0.0.0.0}\n"
	                   "      - \"fe80::1:99:99\"\n"
	                   "      - \"abc:80:80\"\n"
	                   "    volumes:\n"
	                   "      - ./src:/app\n"
	                   "      - /var/run/docker.sock:/var/run/docker.sock:ro\n"
	                   "      - data:/data\n"
	                   "      - /cache\n"
	                   "      - type: bind\n"
	                   "        source: /mnt/shared\n"
	                   "        target: /shared\n"
	                   "        bind: {propagation: rshared}\n"
	                   "    devices: [\"/dev/sda:/dev/xvda:rwm\"]\n"
	                   "    sysctls: [net.core.somaxconn=1024]\n";
	const char *names[] = {"c.yaml"};
	struct hull_err err;
	struct hull_model *m = load(&text, names, 1, NULL, &err);
	const struct hull_workload *w = svc(m, "web");
	if (!TAP_OK(w != NULL, "ports and volumes load (%s)", err.msg)) {
		hull_model_free(m);
		return;
	}
	const struct hull_container *c = &w->containers.v[0];
	const struct hull_port *p = c->ports.v;
	TAP_OK(c->ports.n == 8, "8 ports");
	TAP_OK(p[0].container_port == 80 && !p[0].host_port && p[0].published,
	       "\"80\": random host port");
	TAP_OK(p[1].container_port == 80 && p[1].host_port == 8080 && !p[1].host_ip, "8080:80");
	TAP_OK(!strcmp(p[2].host_ip, "127.0.0.1") && p[2].host_port == 8443, "host ip");
	TAP_OK(!strcmp(p[3].host_ip, "::1") && p[3].host_port == 5353 &&
	           !strcmp(p[3].protocol, "udp"),
	       "[::1]:5353:53/udp");
	TAP_OK(p[4].container_port == 8000 && p[4].container_port_end == 8010, "ranges");
	TAP_OK(p[5].container_port == 22 && p[5].host_port == 2222 &&
	           !strcmp(p[5].host_ip, "0.0.0.0"),
	       "long syntax");
	TAP_OK(p[6].container_port == 99 && p[6].host_port == 99 && p[6].host_ip &&
	           !strcmp(p[6].host_ip, "fe80::1"),
	       "an unbracketed IPv6 host address, split from the right as the engine does");
	TAP_OK(p[7].container_port == -1 && !p[7].published, "a host address that is no address");
	TAP_OK(w->volumes.n == 3, "three host paths (relative, socket, long bind): %zu",
	       w->volumes.n);
	TAP_OK(c->mounts.n == 5 && c->mounts.v[1].read_only &&
	           c->mounts.v[2].kind == HULL_MOUNT_VOLUME,
	       "mounts: kinds and read-only");
	TAP_OK(c->mounts.v[4].propagation && !strcmp(c->mounts.v[4].propagation, "rshared"),
	       "bind propagation");
	TAP_OK(c->devices.n == 1 && !strcmp(c->devices.v[0].v, "/dev/sda"), "devices");
	TAP_OK(w->sysctls.n == 1 && !strcmp(w->sysctls.v[0].key, "net.core.somaxconn"), "sysctls");
	struct hull_findings f = {0};
	struct hull_check_opts o = {0};
	hull_misconfig_check(m, &o, &f, &err);
	TAP_OK(count_id(&f, "HULL-C022") == 1 && count_id(&f, "HULL-C020") == 1 &&
	           count_id(&f, "HULL-C024") == 1 && count_id(&f, "HULL-C025") == 1 &&
	           count_id(&f, "HULL-C029") == 1 && count_id(&f, "HULL-C030") == 1 &&
	           count_id(&f, "HULL-C037") == 1,
	       "socket, /mnt/shared (not ./src), rshared, device, ssh, bad port, sysctl: %s",
	       ids_of(&f));
	TAP_OK(count_id(&f, "HULL-C028") == 4 && count_id(&f, "HULL-C027") == 1,
	       "4 ports on every interface, host port 99 privileged: %zu",
	       count_id(&f, "HULL-C028"));
	hull_findings_release(&f);
	hull_model_free(m);
}

static void resources_and_modes(void)
{
	const char *text = "services:\n"
	                   "  a:\n"
	                   "    image: a:1\n"
	                   "    mem_limit: 512m\n"
	                   "    cpu_quota: 50000\n"
	                   "    pids_limit: -1\n"
	                   "    network_mode: host\n"
	                   "    pid: host\n"
	                   "    ipc: host\n"
	                   "    uts: host\n"
	                   "    userns_mode: host\n"
	                   "    restart: unless-stopped\n"
	                   "    security_opt: [\"label=disable\", \"label:type:spc_t\", "
	                   "\"seccomp=unconfined\", \"no-new-privileges=false\"]\n"
	                   "  b:\n"
	                   "    image: b:1\n"
	                   "    build: .\n"
	                   "    deploy:\n"
	                   "      resources:\n"
	                   "        limits: {cpus: \"0.25\", memory: 1G, pids: 50}\n"
	                   "        reservations: {memory: 256M}\n"
	                   "  c:\n"
	                   "    image: c\n"
	                   "    build: .\n";
	const char *names[] = {"c.yaml"};
	struct hull_err err;
	struct hull_model *m = load(&text, names, 1, NULL, &err);
	const struct hull_workload *a = svc(m, "a"), *b = svc(m, "b");
	if (!TAP_OK(a && b, "loads (%s)", err.msg)) {
		hull_model_free(m);
		return;
	}
	const struct hull_resources *ra = &a->containers.v[0].res, *rb = &b->containers.v[0].res;
	TAP_OK(ra->mem_limit.v == 512.0 * 1048576 && ra->cpu_limit.v == 0.5 &&
	           ra->pids_limit.v == -1,
	       "mem_limit, cpu_quota, pids_limit");
	TAP_OK(rb->mem_limit.v == 1073741824.0 && rb->cpu_limit.v == 0.25 &&
	           rb->pids_limit.v == 50 && rb->mem_request.v == 268435456.0,
	       "deploy.resources");
	struct hull_findings f = {0};
	struct hull_check_opts o = {0};
	hull_misconfig_check(m, &o, &f, &err);
	static const char *const expect[] = {"HULL-C014", "HULL-C015", "HULL-C016", "HULL-C017",
	                                     "HULL-C018", "HULL-C031", "HULL-C034", "HULL-C035",
	                                     "HULL-C041", "HULL-C054", "HULL-C007"};
	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++)
		TAP_OK(count_id(&f, expect[i]) >= 1, "service a raises %s", expect[i]);
	size_t latest = 0;
	for (size_t i = 0; i < f.n; i++)
		latest +=
		    !strcmp(f.items[i].id, "HULL-C045") && strstr(f.items[i].loc.object, " c");
	TAP_OK(latest == 0, "images built here are not ':latest' findings");
	hull_findings_release(&f);
	hull_model_free(m);
}

/* restart:, bare on-failure and deploy.restart_policy, judged alike */
static void restarts(void)
{
	const char *text =
	    "services:\n"
	    "  always: {image: a:1, restart: always}\n"
	    "  bare: {image: a:1, restart: on-failure}\n"
	    "  five: {image: a:1, restart: \"on-failure:5\"}\n"
	    "  three: {image: a:1, restart: \"on-failure:3\"}\n"
	    "  ten: {image: a:1, restart: \"on-failure:10\"}\n"
	    "  no: {image: a:1, restart: \"no\"}\n"
	    "  d-ten:\n"
	    "    image: a:1\n"
	    "    deploy:\n"
	    "      restart_policy:\n"
	    "        condition: on-failure\n"
	    "        max_attempts: 10\n"
	    "  d-five:\n"
	    "    image: a:1\n"
	    "    deploy: {restart_policy: {condition: on-failure, max_attempts: 5}}\n"
	    "  d-default:\n"
	    "    image: a:1\n"
	    "    deploy: {restart_policy: {delay: 5s}}\n"
	    "  d-unbounded:\n"
	    "    image: a:1\n"
	    "    deploy: {restart_policy: {condition: on-failure}}\n"
	    "  d-none:\n"
	    "    image: a:1\n"
	    "    deploy: {restart_policy: {condition: none}}\n"
	    "  d-any-five:\n"
	    "    image: a:1\n"
	    "    deploy: {restart_policy: {condition: any, max_attempts: 5}}\n"
	    "  both:\n"
	    "    image: a:1\n"
	    "    restart: \"on-failure:10\"\n"
	    "    deploy: {restart_policy: {condition: on-failure, max_attempts: 5}}\n";
	struct hull_err err;
	struct hull_findings *f = scan(text, &err);
	unsigned line = 0;
	if (!TAP_OK(f != NULL, "restart policies load (%s)", err.msg))
		return;
	TAP_OK(hits(f, "HULL-C054", "always", NULL) == 1, "restart: always");
	TAP_OK(hits(f, "HULL-C054", "bare", NULL) == 1 &&
	           strstr(msg_of(f, "HULL-C054", "bare"), "no retry limit"),
	       "bare on-failure retries forever: %s", msg_of(f, "HULL-C054", "bare"));
	TAP_OK(hits(f, "HULL-C054", "five", NULL) == 0, "on-failure:5 is what CIS 5.15 asks");
	TAP_OK(hits(f, "HULL-C054", "three", NULL) == 1 && hits(f, "HULL-C054", "ten", NULL) == 1,
	       "other counts are reported, as docker-bench-security and KICS do");
	TAP_OK(hits(f, "HULL-C054", "no", NULL) == 0, "restart: \"no\"");
	TAP_OK(hits(f, "HULL-C054", "d-ten", &line) == 1 && line == 13,
	       "deploy max_attempts: 10, at its line (%u)", line);
	TAP_OK(hits(f, "HULL-C054", "d-five", NULL) == 0, "deploy on-failure with 5 attempts");
	TAP_OK(hits(f, "HULL-C054", "d-default", NULL) == 1 &&
	           strstr(msg_of(f, "HULL-C054", "d-default"), "always"),
	       "deploy.restart_policy defaults to condition any: %s",
	       msg_of(f, "HULL-C054", "d-default"));
	TAP_OK(hits(f, "HULL-C054", "d-unbounded", NULL) == 1,
	       "deploy on-failure, no max_attempts");
	TAP_OK(hits(f, "HULL-C054", "d-none", NULL) == 0 &&
	           hits(f, "HULL-C054", "d-any-five", NULL) == 0,
	       "condition none; any with 5 attempts");
	TAP_OK(hits(f, "HULL-C054", "both", &line) == 1 && line == 31,
	       "restart: and deploy are judged each (line %u)", line);
}

/* healthcheck: missing on a long-running service, disabled, and services
 * that run to completion */
static void healthchecks(void)
{
	const char *text = "services:\n"
	                   "  none: {image: a:1}\n"
	                   "  off:\n"
	                   "    image: a:1\n"
	                   "    healthcheck:\n"
	                   "      disable: true\n"
	                   "  off-str: {image: a:1, healthcheck: {disable: \"yes\"}}\n"
	                   "  off-test:\n"
	                   "    image: a:1\n"
	                   "    healthcheck: {test: [\"NONE\"]}\n"
	                   "  on:\n"
	                   "    image: a:1\n"
	                   "    healthcheck: {test: [\"CMD\", \"true\"], interval: 10s}\n"
	                   "  job:\n"
	                   "    image: a:1\n"
	                   "    deploy: {mode: replicated-job}\n"
	                   "  init: {image: a:1}\n"
	                   "  app:\n"
	                   "    image: a:1\n"
	                   "    healthcheck: {test: curl -f localhost}\n"
	                   "    depends_on:\n"
	                   "      init: {condition: service_completed_successfully}\n";
	struct hull_err err;
	struct hull_findings *f = scan(text, &err);
	unsigned line = 0;
	if (!TAP_OK(f != NULL, "health checks load (%s)", err.msg))
		return;
	TAP_OK(hits(f, "HULL-C048", "none", &line) == 1 && line == 2,
	       "no healthcheck at all (line %u)", line);
	TAP_OK(hits(f, "HULL-C048", "off", &line) == 1 && line == 6,
	       "disable: true, at its line (%u)", line);
	TAP_OK(hits(f, "HULL-C048", "off-str", NULL) == 1, "disable: \"yes\"");
	TAP_OK(hits(f, "HULL-C048", "off-test", NULL) == 1, "test: [NONE]");
	TAP_OK(hits(f, "HULL-C048", "on", NULL) == 0 && hits(f, "HULL-C048", "app", NULL) == 0,
	       "a test in list or string form");
	TAP_OK(hits(f, "HULL-C048", "job", NULL) == 0, "a job mode runs to completion");
	TAP_OK(hits(f, "HULL-C048", "init", NULL) == 0,
	       "a service others wait for with service_completed_successfully");

	/* an override that only tunes the timings keeps the base's disable */
	const char *base = "services:\n  s:\n    image: a:1\n    healthcheck: {disable: true}\n";
	const char *over = "services:\n  s:\n    healthcheck: {interval: 30s}\n";
	const char *texts[] = {base, over}, *names[] = {"a.yaml", "b.yaml"};
	struct hull_model *m = load(texts, names, 2, NULL, &err);
	const struct hull_workload *w = svc(m, "s");
	TAP_OK(w && w->containers.v[0].healthcheck.disabled, "merged healthcheck stays disabled");
	hull_model_free(m);
}

/* named volumes whose local driver binds a host directory are host paths */
static void bind_volumes(void)
{
	const char *text =
	    "services:\n"
	    "  short:\n"
	    "    image: a:1\n"
	    "    volumes: [\"etc:/host-etc\"]\n"
	    "  long:\n"
	    "    image: a:1\n"
	    "    volumes:\n"
	    "      - {type: volume, source: data, target: /data, read_only: true}\n"
	    "  nfs: {image: a:1, volumes: [\"share:/share\"]}\n"
	    "  plain: {image: a:1, volumes: [\"plain:/plain\"]}\n"
	    "  sock: {image: a:1, volumes: [\"dsock:/var/run/docker.sock\"]}\n"
	    "  persist: {image: a:1, volumes: [\"lp:/data\"]}\n"
	    "volumes:\n"
	    "  etc:\n"
	    "    driver: local\n"
	    "    driver_opts: {type: none, o: bind, device: /etc}\n"
	    "  data:\n"
	    "    driver_opts: {type: none, o: \"bind,rw\", device: /srv/data}\n"
	    "  share:\n"
	    "    driver_opts: {type: nfs, o: \"addr=10.0.0.1,rw\", device: \":/x\"}\n"
	    "  plain: {}\n"
	    "  dsock:\n"
	    "    driver_opts: {o: rbind, device: /var/run/docker.sock}\n"
	    "  lp:\n"
	    "    driver: local-persist\n"
	    "    driver_opts: {mountpoint: /root/data}\n";
	struct hull_err err;
	struct hull_findings *f = scan(text, &err);
	unsigned line = 0;
	if (!TAP_OK(f != NULL, "bind volumes load (%s)", err.msg))
		return;
	TAP_OK(hits(f, "HULL-C021", "short", &line) == 1 && line == 4,
	       "device: /etc through a named volume is a sensitive host mount (line %u)", line);
	TAP_OK(hits(f, "HULL-C020", "long", NULL) == 1 &&
	           strstr(msg_of(f, "HULL-C020", "long"), "/srv/data (read-only)"),
	       "long syntax, read-only: %s", msg_of(f, "HULL-C020", "long"));
	TAP_OK(hits(f, "HULL-C020", "nfs", NULL) + hits(f, "HULL-C021", "nfs", NULL) == 0 &&
	           hits(f, "HULL-C020", "plain", NULL) == 0,
	       "nfs and plain named volumes are not host paths");
	TAP_OK(hits(f, "HULL-C022", "sock", NULL) == 1, "rbind of the docker socket");
	TAP_OK(hits(f, "HULL-C021", "persist", NULL) == 1, "a local-persist mountpoint");
}

/* published ports that are neither a number nor a range are errors */
static void bad_ports(void)
{
	const char *text =
	    "services:\n"
	    "  long:\n"
	    "    image: a:1\n"
	    "    ports:\n"
	    "      - target: 80\n"
	    "        published: \"127.0.0.1:8080\"\n"
	    "  word: {image: a:1, ports: [{target: 80, published: abc}]}\n"
	    "  short: {image: a:1, ports: [\"abc:80\"]}\n"
	    "  target: {image: a:1, ports: [{target: http, published: 80}]}\n"
	    "  ok:\n"
	    "    image: a:1\n"
	    "    ports: [{target: 80, published: \"8080-8081\", host_ip: 127.0.0.1}]\n";
	struct hull_err err;
	struct hull_findings *f = scan(text, &err);
	unsigned line = 0;
	if (!TAP_OK(f != NULL, "ports load (%s)", err.msg))
		return;
	TAP_OK(hits(f, "HULL-C030", "long", &line) == 1 && line == 5 &&
	           hits(f, "HULL-C028", "long", NULL) == 0 &&
	           strstr(msg_of(f, "HULL-C030", "long"), "127.0.0.1:8080"),
	       "published: 127.0.0.1:8080 is an error, not a random host port: %s",
	       msg_of(f, "HULL-C030", "long"));
	TAP_OK(hits(f, "HULL-C030", "word", NULL) == 1 && hits(f, "HULL-C028", "word", NULL) == 0,
	       "published: abc");
	TAP_OK(hits(f, "HULL-C030", "short", NULL) == 1 && hits(f, "HULL-C028", "short", NULL) == 0,
	       "short syntax abc:80");
	TAP_OK(hits(f, "HULL-C030", "target", NULL) == 1, "target: http");
	TAP_OK(hits(f, "HULL-C030", "ok", NULL) == 0 && hits(f, "HULL-C028", "ok", NULL) == 0,
	       "a range on one address");
}

/* fields the spec has that change what runs: booleans as strings,
 * use_api_socket, device_cgroup_rules, shared namespaces, volumes_from,
 * group_add, labels as a list, overrides of host paths */
static void spec_fields(void)
{
	const char *text =
	    "services:\n"
	    "  yes: {image: a:1, privileged: \"yes\", read_only: \"on\"}\n"
	    "  api: {image: a:1, use_api_socket: true}\n"
	    "  cg: {image: a:1, device_cgroup_rules: [\"a *:* rwm\"]}\n"
	    "  vpn: {image: a:1, network_mode: host, pid: host}\n"
	    "  app: {image: a:1, network_mode: \"service:vpn\"}\n"
	    "  app2: {image: a:1, network_mode: \"service:app\"}\n"
	    "  named: {image: a:1, container_name: box, pid: host}\n"
	    "  peek: {image: a:1, pid: \"container:box\"}\n"
	    "  bridge: {image: a:1, network_mode: \"service:nope\"}\n"
	    "  src: {image: a:1, volumes: [\"/etc:/etc\"]}\n"
	    "  copy: {image: a:1, volumes_from: [\"src:ro\"]}\n"
	    "  grp: {image: a:1, group_add: [root], labels: [\"team=db\"]}\n"
	    "  pipe:\n"
	    "    image: a:1\n"
	    "    volumes: ['\\\\.\\pipe\\docker_engine:\\\\.\\pipe\\docker_engine']\n"
	    "  built:\n"
	    "    build: {context: ., args: {NPM_TOKEN: abc123, VERSION: \"1\"}}\n"
	    "    environment: {NPM_TOKEN: \"$${NPM_TOKEN}\"}\n"
	    "  built2: {build: {context: ., args: [GITHUB_TOKEN, \"MODE=prod\"]}}\n";
	struct hull_err err;
	struct hull_findings *f = scan(text, &err);
	unsigned line = 0;
	if (!TAP_OK(f != NULL, "spec fields load (%s)", err.msg))
		return;
	TAP_OK(hits(f, "HULL-C001", "yes", NULL) == 1 && hits(f, "HULL-C013", "yes", NULL) == 0,
	       "privileged: \"yes\" and read_only: \"on\" are booleans");
	TAP_OK(hits(f, "HULL-C022", "api", NULL) == 1, "use_api_socket mounts the engine socket");
	TAP_OK(hits(f, "HULL-C025", "cg", NULL) == 1 &&
	           strstr(msg_of(f, "HULL-C025", "cg"), "a *:* rwm"),
	       "device_cgroup_rules: %s", msg_of(f, "HULL-C025", "cg"));
	TAP_OK(hits(f, "HULL-C014", "app", &line) == 1 && line == 6,
	       "network_mode: service:vpn where vpn is on the host network (line %u)", line);
	TAP_OK(hits(f, "HULL-C014", "app2", NULL) == 1, "chains of service: references");
	TAP_OK(hits(f, "HULL-C015", "peek", NULL) == 1, "pid: container:<container_name>");
	TAP_OK(hits(f, "HULL-C014", "bridge", NULL) == 0, "a reference to an unknown service");
	TAP_OK(hits(f, "HULL-C021", "copy", &line) == 1 && line == 12 &&
	           strstr(msg_of(f, "HULL-C021", "copy"), "read-only"),
	       "volumes_from copies the host path, read-only with :ro (line %u)", line);
	TAP_OK(hits(f, "HULL-C012", "grp", NULL) == 1, "group_add: [root]");
	TAP_OK(hits(f, "HULL-C022", "pipe", NULL) == 1, "the engine's named pipe, short syntax");
	TAP_OK(hits(f, "HULL-C047", "built", NULL) == 1 &&
	           strstr(msg_of(f, "HULL-C047", "built"), "build argument NPM_TOKEN"),
	       "a literal secret in build.args, apart from the environment: %s",
	       msg_of(f, "HULL-C047", "built"));
	TAP_OK(hits(f, "HULL-C047", "built2", NULL) == 1 &&
	           strstr(msg_of(f, "HULL-C047", "built2"), "image history"),
	       "a secret passed as a build argument from the shell: %s",
	       msg_of(f, "HULL-C047", "built2"));
	struct hull_model *m = load(&text, (const char *[]){"c.yaml"}, 1, NULL, &err);
	const struct hull_workload *w = svc(m, "grp");
	TAP_OK(w && w->labels.n == 1 && !strcmp(w->labels.v[0].key, "team") &&
	           !strcmp(w->labels.v[0].value, "db"),
	       "labels in list form");
	hull_model_free(m);

	const char *bad = "services:\n  s:\n    image: a:1\n    privileged: maybe\n";
	TAP_OK(!scan(bad, &err) && strstr(err.msg, "c.yaml: line 4") &&
	           strstr(err.msg, "privileged: 'maybe' is not a boolean"),
	       "a word that is not a boolean: %s", err.msg);

	/* an override mounting a named volume where the base bound /etc */
	const char *base = "services:\n  s: {image: a:1, volumes: [\"/etc:/data\"]}\n";
	const char *over = "services:\n  s: {volumes: [\"data:/data\"]}\n";
	const char *texts[] = {base, over}, *names[] = {"a.yaml", "b.yaml"};
	m = load(texts, names, 2, NULL, &err);
	w = svc(m, "s");
	TAP_OK(w && w->volumes.n == 0 && w->containers.v[0].mounts.n == 1,
	       "the replaced bind leaves no host path behind (%zu)", w ? w->volumes.n : 99);
	hull_model_free(m);
}

int main(void)
{
	merge();
	extends();
	includes();
	interpolation();
	interpolation_edges();
	ports_volumes();
	resources_and_modes();
	restarts();
	healthchecks();
	bind_volumes();
	bad_ports();
	spec_fields();
	scan(NULL, NULL);
	return tap_done();
}
