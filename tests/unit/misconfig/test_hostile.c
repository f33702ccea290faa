/* Hostile inputs through every front end: YAML alias bombs, 10,000-deep
 * nesting and duplicate keys (as Kubernetes, Compose, ECS, inspect and
 * policy input), a Dockerfile whose ENV values double at each line, deep
 * `sh -c` nesting, an unterminated heredoc, and nested Compose
 * interpolation. Each gives a clear error (or a bounded result) quickly,
 * and the process stays within a small memory budget. */
#include <sys/resource.h>
#include <time.h>

#include "helpers.h"
#include "tap.h"
#include "util/buf.h"

#define FAST_SECONDS 2.0
#define MAX_RSS_KB   (300 * 1024)

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* scan must fail, quickly, with a message containing `word` */
static void must_fail(const char *what, const char *data, size_t len, enum hull_config_kind k,
                      const char *word)
{
	struct hull_findings f = {0};
	struct hull_err err = {0};
	double t0 = now();
	int rc = scan_data(data, len, what, k, HULL_PROFILE_ALL, NULL, &f, &err);
	double dt = now() - t0;
	TAP_OK(rc < 0 && strstr(err.msg, word) && dt < FAST_SECONDS,
	       "%s: fails in %.3fs with '%s' (%s)", what, dt, word, err.msg);
	hull_findings_release(&f);
}

static char *alias_bomb(const char *prefix, const char *suffix)
{
	struct hull_buf b;
	hull_buf_init(&b, 1u << 20);
	hull_buf_append_str(
	    &b, "x-bomb:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n", NULL);
	for (int i = 1; i < 12; i++)
		hull_buf_printf(&b, NULL,
		                "  a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, "
		                "*a%d, *a%d]\n",
		                i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1,
		                i - 1);
	hull_buf_append_str(&b, prefix, NULL);
	hull_buf_append_str(&b, "*a11", NULL);
	hull_buf_append_str(&b, suffix, NULL);
	return hull_buf_detach(&b, NULL);
}

static char *deep(const char *head, int n, const char *open, const char *close)
{
	struct hull_buf b;
	hull_buf_init(&b, 8u << 20);
	hull_buf_append_str(&b, head, NULL);
	for (int i = 0; i < n; i++)
		hull_buf_append_str(&b, open, NULL);
	for (int i = 0; i < n; i++)
		hull_buf_append_str(&b, close, NULL);
	hull_buf_putc(&b, '\n', NULL);
	return hull_buf_detach(&b, NULL);
}

static void yaml_attacks(void)
{
	char *s =
	    alias_bomb("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  k: ", "\n");
	must_fail("k8s alias bomb", s, strlen(s), HULL_CONFIG_UNKNOWN, "alias");
	free(s);
	s = alias_bomb("services:\n  web:\n    image: nginx:1\n    command: ", "\n");
	must_fail("compose alias bomb", s, strlen(s), HULL_CONFIG_UNKNOWN, "alias");
	free(s);
	s = deep("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: ", 10000, "[", "]");
	must_fail("k8s 10,000-deep flow nesting", s, strlen(s), HULL_CONFIG_UNKNOWN, "deep");
	free(s);
	s = deep("services: ", 10000, "{a: ", "}");
	must_fail("compose 10,000-deep mappings", s, strlen(s), HULL_CONFIG_COMPOSE, "deep");
	free(s);
	s = deep("{\"containerDefinitions\": ", 10000, "[", "]");
	must_fail("ECS JSON 10,000-deep", s, strlen(s), HULL_CONFIG_ECS, "deep");
	free(s);
	struct hull_buf b;
	hull_buf_init(&b, 8u << 20);
	hull_buf_append_str(&b, "apiVersion: v1\nkind: Pod\nspec:\n", NULL);
	for (int i = 1; i <= 10000; i++)
		hull_buf_printf(&b, NULL, "%*sk:\n", i * 1, "");
	s = hull_buf_detach(&b, NULL);
	must_fail("k8s 10,000-deep block mappings", s, strlen(s), HULL_CONFIG_K8S, "deep");
	free(s);
	const char *dup = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n";
	must_fail("k8s duplicate key", dup, strlen(dup), HULL_CONFIG_UNKNOWN, "duplicate");
	const char *dup2 = "services:\n  web:\n    image: a\n    privileged: true\n"
	                   "    privileged: false\n";
	must_fail("compose duplicate key", dup2, strlen(dup2), HULL_CONFIG_UNKNOWN, "duplicate");
	const char *dup3 = "[{\"HostConfig\": {\"Privileged\": true, \"Privileged\": false}}]";
	must_fail("inspect duplicate key", dup3, strlen(dup3), HULL_CONFIG_INSPECT, "duplicate");
	struct hull_policy *p = NULL;
	struct hull_err err = {0};
	const char *pdup = "rules:\n  HULL-C001: off\n  HULL-C001: on\n";
	TAP_OK(hull_policy_parse(pdup, strlen(pdup), "policy.yaml", &p, &err) < 0 &&
	           strstr(err.msg, "duplicate"),
	       "policy duplicate key: %s", err.msg);
	hull_policy_free(p);
}

static void dockerfile_attacks(void)
{
	struct hull_buf b;
	hull_buf_init(&b, 1u << 20);
	hull_buf_append_str(&b, "FROM alpine:3\nENV A=xxxxxxxxxxxxxxxx\n", NULL);
	for (int i = 0; i < 64; i++)
		hull_buf_append_str(&b, "ENV A=$A$A$A$A\n", NULL);
	char *s = hull_buf_detach(&b, NULL);
	must_fail("Dockerfile ENV doubling", s, strlen(s), HULL_CONFIG_DOCKERFILE, "size limit");
	free(s);
	const char *heredoc = "FROM alpine:3\nRUN <<EOF\necho never closed\n";
	must_fail("Dockerfile unterminated heredoc", heredoc, strlen(heredoc),
	          HULL_CONFIG_DOCKERFILE, "heredoc");
	/* sh -c 'sh -c '...'' 10,000 deep: the shell reader stops at its depth */
	hull_buf_init(&b, 4u << 20);
	hull_buf_append_str(&b, "FROM alpine:3\nUSER 1000\nRUN ", NULL);
	for (int i = 0; i < 10000; i++)
		hull_buf_append_str(&b, "sh -c \"", NULL);
	hull_buf_append_str(&b, "sudo id", NULL);
	for (int i = 0; i < 10000; i++)
		hull_buf_putc(&b, '"', NULL);
	hull_buf_putc(&b, '\n', NULL);
	s = hull_buf_detach(&b, NULL);
	struct hull_findings f = {0};
	struct hull_err err = {0};
	double t0 = now();
	int rc = scan_data(s, strlen(s), "deep-sh", HULL_CONFIG_DOCKERFILE, HULL_PROFILE_ALL, NULL,
	                   &f, &err);
	TAP_OK(rc == 0 && now() - t0 < FAST_SECONDS, "Dockerfile 10,000 nested sh -c: %.3fs %s",
	       now() - t0, err.msg);
	hull_findings_release(&f);
	free(s);
	/* a 1 MiB+ instruction */
	hull_buf_init(&b, 8u << 20);
	hull_buf_append_str(&b, "FROM alpine:3\nRUN echo", NULL);
	for (int i = 0; i < 200000; i++)
		hull_buf_append_str(&b, " xxxxxxxxxx \\\n", NULL);
	hull_buf_append_str(&b, "end\n", NULL);
	s = hull_buf_detach(&b, NULL);
	must_fail("Dockerfile instruction past 1 MiB", s, strlen(s), HULL_CONFIG_DOCKERFILE,
	          "too long");
	free(s);
}

static void compose_interpolation(void)
{
	struct hull_buf b;
	hull_buf_init(&b, 1u << 20);
	hull_buf_append_str(&b, "services:\n  web:\n    image: \"", NULL);
	for (int i = 0; i < 5000; i++)
		hull_buf_append_str(&b, "${A:-", NULL);
	hull_buf_append_str(&b, "x", NULL);
	for (int i = 0; i < 5000; i++)
		hull_buf_putc(&b, '}', NULL);
	hull_buf_append_str(&b, "\"\n", NULL);
	char *s = hull_buf_detach(&b, NULL);
	struct hull_findings f = {0};
	struct hull_err err = {0};
	double t0 = now();
	int rc = scan_data(s, strlen(s), "interp", HULL_CONFIG_COMPOSE, HULL_PROFILE_ALL, NULL, &f,
	                   &err);
	TAP_OK(rc == 0 && now() - t0 < FAST_SECONDS, "compose 5,000 nested ${A:-...}: %.3fs %s",
	       now() - t0, err.msg);
	hull_findings_release(&f);
	free(s);
}

int main(void)
{
	yaml_attacks();
	dockerfile_attacks();
	compose_interpolation();
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	TAP_OK(ru.ru_maxrss < MAX_RSS_KB, "peak memory %ld KiB (budget %d KiB)", ru.ru_maxrss,
	       MAX_RSS_KB);
	return tap_done();
}
