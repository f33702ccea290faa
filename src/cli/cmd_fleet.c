/* hull fleet: questions about the whole fleet, answered from the results
 * store (docs/store.md): which images and workloads have a CVE, what
 * changed since a time, the top priorities, per-namespace summaries. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/store.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/term.h"

enum { OPT_SINCE = 256, OPT_LIMIT };

static void usage(FILE *out)
{
	fprintf(out, "usage: hull fleet --store URL [--format table|json|html[=FILE]] [-o FILE]\n"
	             "       QUERY\n"
	             "  cve ID                       images and workloads with this vulnerability\n"
	             "  changes [--since WHEN]       findings new or gone in runs after WHEN\n"
	             "                               (24h, 7d, 90m, yesterday, YYYY-MM-DD,\n"
	             "                               YYYY-MM-DDTHH:MM:SSZ; default 24h)\n"
	             "  top [--limit N]              vulnerabilities to fix first, fleet-wide\n"
	             "  namespaces                   per-namespace workloads, images, findings\n");
}

static const char *cell(struct json_object *o, const char *key, char *buf, size_t cap)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v) || !v)
		return "-";
	if (json_object_is_type(v, json_type_double)) {
		snprintf(buf, cap, "%.1f", json_object_get_double(v));
		return buf;
	}
	if (json_object_is_type(v, json_type_boolean))
		return json_object_get_boolean(v) ? "yes" : "no";
	snprintf(buf, cap, "%s", json_object_get_string(v));
	return buf;
}

/* An array of flat objects as aligned columns (the keys of the first). */
static void print_table(struct hull_buf *b, const char *title, struct json_object *rows,
                        struct hull_err *e)
{
	size_t n = json_object_array_length(rows);
	if (title)
		hull_buf_printf(b, e, "%s (%zu)\n", title, n);
	if (n == 0) {
		hull_buf_append_str(b, "  (none)\n", e);
		return;
	}
	struct json_object *first = json_object_array_get_idx(rows, 0);
	const char *keys[32];
	size_t nk = 0, w[32];
	json_object_object_foreach(first, name, v0)
	{
		(void)v0;
		if (nk < 32) {
			keys[nk] = name;
			w[nk] = strlen(name);
			nk++;
		}
	}
	char buf[512];
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < nk; k++) {
			size_t l = strlen(
			    cell(json_object_array_get_idx(rows, i), keys[k], buf, sizeof(buf)));
			if (l > w[k])
				w[k] = l > 60 ? 60 : l;
		}
	for (size_t k = 0; k < nk; k++) {
		char up[64];
		size_t j = 0;
		for (; keys[k][j] && j < sizeof(up) - 1; j++)
			up[j] = (char)(keys[k][j] >= 'a' && keys[k][j] <= 'z' ? keys[k][j] - 32
			                                                      : keys[k][j]);
		up[j] = '\0';
		hull_buf_printf(b, e, "%s%-*s", k ? "  " : "", (int)w[k], up);
	}
	hull_buf_putc(b, '\n', e);
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < nk; k++) {
			char c[64];
			snprintf(
			    c, sizeof(c), "%.60s",
			    cell(json_object_array_get_idx(rows, i), keys[k], buf, sizeof(buf)));
			if (k)
				hull_buf_append_str(b, "  ", e);
			/* names from images and manifests */
			hull_term_append(b, c, strlen(c), e);
			if (k + 1 < nk)
				hull_buf_printf(b, e, "%*s", (int)(w[k] - strlen(c)), "");
		}
		hull_buf_putc(b, '\n', e);
	}
}

static void html_text(struct hull_buf *b, const char *s, struct hull_err *e)
{
	for (; *s; s++) {
		const char *r = *s == '<'    ? "&lt;"
		                : *s == '>'  ? "&gt;"
		                : *s == '&'  ? "&amp;"
		                : *s == '"'  ? "&quot;"
		                : *s == '\'' ? "&#39;"
		                             : NULL;
		if (r)
			hull_buf_append_str(b, r, e);
		else
			hull_buf_putc(b, *s, e);
	}
}

static void html_table(struct hull_buf *b, const char *title, struct json_object *rows,
                       struct hull_err *e)
{
	size_t n = json_object_array_length(rows);
	hull_buf_printf(b, e, "<h2>");
	html_text(b, title, e);
	hull_buf_printf(b, e, " (%zu)</h2>\n<table>\n", n);
	char buf[512];
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(rows, i);
		if (i == 0) {
			hull_buf_append_str(b, "<tr>", e);
			json_object_object_foreach(o, k, v0)
			{
				(void)v0;
				hull_buf_append_str(b, "<th>", e);
				html_text(b, k, e);
				hull_buf_append_str(b, "</th>", e);
			}
			hull_buf_append_str(b, "</tr>\n", e);
		}
		hull_buf_append_str(b, "<tr>", e);
		json_object_object_foreach(o, k, v)
		{
			(void)v;
			hull_buf_append_str(b, "<td>", e);
			html_text(b, cell(o, k, buf, sizeof(buf)), e);
			hull_buf_append_str(b, "</td>", e);
		}
		hull_buf_append_str(b, "</tr>\n", e);
	}
	hull_buf_append_str(b, "</table>\n", e);
}

struct answer {
	const char *query;
	struct json_object *doc;
};

/* Every --format of hull fleet is drawn here (hull_output_render_fn); the
 * shared layer takes only table, json and html for it. */
static int render(void *ctx, enum hull_findings_format f, const struct hull_findings_input *in,
                  struct hull_buf *b, struct hull_err *e)
{
	const struct answer *ans = ctx;
	(void)in;
	/* the sections of the answer: an array, or an object of arrays */
	struct json_object *sections[4];
	const char *names[4];
	size_t ns = 0;
	if (json_object_is_type(ans->doc, json_type_array)) {
		sections[0] = ans->doc;
		names[ns++] = ans->query;
	} else {
		json_object_object_foreach(ans->doc, k, v)
		{
			if (ns < 4 && json_object_is_type(v, json_type_array)) {
				sections[ns] = v;
				names[ns++] = k;
			}
		}
	}
	if (f == HULL_FINDINGS_JSON) {
		hull_buf_append_str(
		    b,
		    json_object_to_json_string_ext(ans->doc, JSON_C_TO_STRING_PRETTY |
		                                                 JSON_C_TO_STRING_NOSLASHESCAPE),
		    e);
		hull_buf_putc(b, '\n', e);
	} else if (f == HULL_FINDINGS_TABLE) {
		for (size_t i = 0; i < ns; i++) {
			if (i)
				hull_buf_putc(b, '\n', e);
			print_table(b, ns > 1 ? names[i] : NULL, sections[i], e);
		}
	} else {
		hull_buf_printf(b, e,
		                "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>hull "
		                "fleet %s</title><style>body{font-family:sans-serif}table{border-"
		                "collapse:collapse}td,th{border:1px solid #ccc;padding:2px "
		                "6px;text-align:left}</style></head><body>\n<h1>hull fleet ",
		                ans->query);
		html_text(b, ans->query, e);
		hull_buf_append_str(b, "</h1>\n", e);
		for (size_t i = 0; i < ns; i++)
			html_table(b, names[i], sections[i], e);
		hull_buf_append_str(b, "</body></html>\n", e);
	}
	return e->kind ? -1 : 0;
}

struct fleet_args {
	struct hull_cli_store store;
	struct hull_output_opts out;
	time_t now;
	struct hull_store_fleet_query q;
};

static void usage_out(void)
{
	usage(stdout);
}

static int one_option(void *ctx, int c, const char *arg, int argc, char **argv,
                      struct hull_err *err)
{
	struct fleet_args *a = ctx;
	unsigned long v;
	(void)argc, (void)argv;
	switch (c) {
	case 'f': /* -f F: --format F */
		return hull_cli_output_option(HULL_OPT_FORMAT, arg, &a->out, err) < 0 ? -1 : 0;
	case OPT_SINCE:
		if (hull_store_fleet_since(arg, a->now, &a->q, err) < 0)
			return hull_err_wrap(err, "--since");
		return 0;
	case OPT_LIMIT:
		if (hull_cli_parse_number("limit", arg, 1, HULL_STORE_FLEET_LIMIT_MAX, &v, err) < 0)
			return -1;
		a->q.limit = (unsigned)v;
		return 0;
	}
	return 1;
}

int hull_cmd_fleet(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"since", required_argument, NULL, OPT_SINCE},
	    {"limit", required_argument, NULL, OPT_LIMIT},
	    {0},
	};
	struct fleet_args a = {.now = time(NULL), .q = {.limit = 20}};
	a.q.since = a.now - 86400;
	hull_output_init(&a.out);
	const struct hull_cli_spec spec = {
	    .cmd = "fleet",
	    .shortopts = "f:",
	    .longopts = longopts,
	    .output = HULL_CLI_OUTPUT_DOCUMENTS,
	    .formats =
	        1u << HULL_FINDINGS_TABLE | 1u << HULL_FINDINGS_JSON | 1u << HULL_FINDINGS_HTML,
	    .usage = usage_out,
	    .option = one_option,
	    .ctx = &a,
	    .out = &a.out,
	    .store = &a.store,
	};
	struct hull_err err = {0};
	int first = hull_cli_parse(&spec, argc, argv, &err);
	if (first < 0)
		return hull_cli_usage_error("fleet", &err);
	/* a table unless --format says otherwise, on a terminal or not */
	if (!a.out.nouts)
		hull_output_add_format(&a.out, "table", &err);
	if (hull_output_finish(&a.out, false, &err) < 0)
		return hull_cli_usage_error("fleet", &err);
	if (first >= argc) {
		usage(stderr);
		return HULL_EXIT_ERROR;
	}
	const char *q = argv[first++];
	bool is_cve = !strcmp(q, "cve");
	if (first != argc - (is_cve ? 1 : 0) || !(a.q.name = hull_store_fleet_name(q))) {
		usage(stderr);
		return HULL_EXIT_ERROR;
	}
	if (!a.store.url) {
		hull_cli_error("fleet: --store URL is required");
		return HULL_EXIT_ERROR;
	}
	struct hull_store *st;
	struct answer ans = {.query = q};
	int rc = hull_store_open(a.store.url, &st, &err);
	if (rc == 0) {
		a.q.cve = is_cve ? argv[first] : NULL;
		struct hull_buf doc;
		hull_buf_init(&doc, HULL_STORE_FLEET_ANSWER_MAX);
		rc = hull_store_fleet_run(st, &a.q, &doc, &err);
		hull_store_close(st);
		if (rc == 0)
			rc = hull_json_parse(doc.data ? doc.data : "", doc.len,
			                     "the store's answer", &ans.doc, &err);
		hull_buf_release(&doc);
	}
	if (rc < 0) {
		hull_cli_error("fleet %s: %s", q, err.msg);
		return HULL_EXIT_ERROR;
	}
	struct hull_findings none = {0};
	struct hull_findings_input in = {.findings = &none, .target = {.name = q}};
	rc = hull_output_write_with(&a.out, &in, stdout, false, render, &ans, &err);
	json_object_put(ans.doc);
	if (rc < 0) {
		hull_cli_error("fleet: %s", err.msg);
		return HULL_EXIT_ERROR;
	}
	return HULL_EXIT_OK;
}
