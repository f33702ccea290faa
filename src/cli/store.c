/* cli store: --store, --node, --namespace and recording a run (store.h). */
#include "cli/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"

int hull_cli_store_option(int c, const char *arg, struct hull_cli_store *o)
{
	switch (c) {
	case HULL_OPT_STORE:
		o->url = arg;
		return 1;
	case HULL_OPT_NODE:
		o->node = arg;
		return 1;
	case HULL_OPT_NAMESPACE:
		o->ns = arg;
		return 1;
	}
	return 0;
}

const char *hull_cli_store_node(struct hull_cli_store *o)
{
	if (o->node && *o->node)
		return o->node;
	const char *env = getenv("HULL_NODE");
	if (env && *env)
		return env;
	if (gethostname(o->nodebuf, sizeof(o->nodebuf) - 1) < 0 || !o->nodebuf[0])
		snprintf(o->nodebuf, sizeof(o->nodebuf), "unknown");
	return o->nodebuf;
}

int hull_cli_store_record(struct hull_cli_store *o, const char *kind, const char *target,
                          time_t started, const struct hull_findings *f, struct hull_err *err)
{
	if (!o->url)
		return 0;
	struct hull_store *s;
	if (hull_store_open(o->url, &s, err) < 0)
		return -1;
	struct hull_store_run run = {
	    .kind = kind,
	    .target = target,
	    .node = hull_cli_store_node(o),
	    .ns = o->ns,
	    .started = started,
	    .finished = time(NULL),
	};
	int rc = hull_store_record(s, &run, f, NULL, NULL, err);
	hull_store_close(s);
	return rc;
}
