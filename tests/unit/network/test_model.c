/* The graph is built from the misconfig model, not from a second reading
 * of the files: what the Compose front end resolves (interpolation,
 * `extends`, `include`, files merged in order) holds for networks too,
 * and what the Kubernetes front end reads (typed list items, pod template
 * labels, Services, NetworkPolicies) is what reachability uses. */
#include <stdlib.h>
#include <unistd.h>

#include "helpers.h"
#include "misconfig/load.h"

static char dir[64];

static void put(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* The Compose project of dir/compose.yaml, computed (NULL on error). */
static struct hull_net *project(const char *env)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/compose.yaml", dir);
	char *data = NULL;
	size_t len = 0;
	struct hull_err err = {0};
	bool loaded = false;
	struct hull_net_opts o = {.project = "p"};
	struct hull_net *net = hull_net_new(&o, NULL);
	if (!net || hull_fs_read_file(path, 1u << 20, &data, &len, &err) < 0 ||
	    hull_net_load(net, data, len, path, env, &loaded, &err) < 0 || !loaded ||
	    hull_net_compute(net, &err) < 0) {
		printf("# %s\n", err.msg);
		hull_net_free(net);
		net = NULL;
	}
	free(data);
	return net;
}

static const struct net_workload *wl(const struct hull_net *net, const char *name)
{
	for (size_t i = 0; net && i < net->nw; i++)
		if (!strcmp(net->w[i].name, name))
			return &net->w[i];
	return NULL;
}

/* Is w attached to the network with this real name? */
static bool on(const struct hull_net *net, const struct net_workload *w, const char *name)
{
	for (size_t i = 0; w && i < w->nattach; i++)
		if (!strcmp(net->nets[w->attach[i].network].name, name))
			return true;
	return false;
}

static void compose_resolved(void)
{
	put("compose.yaml", "services:\n"
	                    "  web:\n"
	                    "    extends: {file: base.yaml, service: web}\n"
	                    "    image: nginx:1.25\n"
	                    "  db:\n"
	                    "    image: postgres:16\n"
	                    "    networks: [\"${DB_NET:-backend}\"]\n"
	                    "    depends_on: {cache: {condition: service_started}}\n"
	                    "include: [cache.yaml]\n"
	                    "networks:\n"
	                    "  backend: {internal: true}\n"
	                    "  front: {name: \"${FRONT:-edge}\"}\n");
	put("base.yaml", "services:\n  web:\n    networks:\n      front: {aliases: [www]}\n");
	put("cache.yaml", "services:\n  cache:\n    image: redis:7\n    networks: [backend]\n");
	struct hull_net *net = project(NULL);
	const struct net_workload *web = wl(net, "web"), *db = wl(net, "db");
	const struct net_workload *cache = wl(net, "cache");
	TAP_OK(net && web && db && cache && net->nnets == 2,
	       "three services, two networks (%zu): nothing named ${...}", net ? net->nnets : 0);
	TAP_OK(on(net, db, "p_backend") && !db->default_only,
	       "an interpolated network name is the declared internal network");
	TAP_OK(on(net, web, "edge") && web->nattach == 1 && web->attach[0].naliases == 1 &&
	           !strcmp(web->attach[0].aliases[0], "www"),
	       "extends brings the base service's network and alias; name: is interpolated");
	TAP_OK(on(net, cache, "p_backend"), "an included file's service joins its network");
	TAP_OK(net && can(net, "db", "internet:443") == 0 && can(net, "db", "cache:6379") == 1,
	       "db is on the internal network: no way out, cache reachable");
	TAP_OK(db && db->nrelated == 1 && !strcmp(db->related[0], "cache"),
	       "depends_on is a relation");
	hull_net_free(net);

	/* the .env decides, as for every other value */
	net = project("DB_NET=front\nFRONT=www-net\n");
	db = wl(net, "db");
	TAP_OK(on(net, db, "www-net") && !on(net, db, "p_backend"), "the .env value is used");
	hull_net_free(net);
}

/* An external network keeps its own name (Docker does not prefix it);
 * one the project creates is "<project>_<key>". */
static void external_names(void)
{
	put("compose.yaml", "services:\n"
	                    "  web: {image: nginx, networks: [shared, own]}\n"
	                    "networks:\n"
	                    "  shared: {external: true}\n"
	                    "  own: {}\n");
	struct hull_net *net = project(NULL);
	const struct net_workload *web = wl(net, "web");
	TAP_OK(on(net, web, "shared") && !on(net, web, "p_shared"),
	       "a service on an external network: the network is named as declared");
	TAP_OK(on(net, web, "p_own"), "a project network is prefixed");
	hull_net_free(net);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/hull-net-model-XXXXXX");
	if (!mkdtemp(dir))
		return TAP_OK(0, "mkdtemp"), tap_done();
	compose_resolved();
	external_names();
	const char *files[] = {"compose.yaml", "base.yaml", "cache.yaml"};
	for (size_t i = 0; i < 3; i++) {
		char path[256];
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
	return tap_done();
}
