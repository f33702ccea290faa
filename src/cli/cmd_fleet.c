/* hull fleet: questions about the whole fleet, answered from the results
 * store (docs/store.md): which images and workloads have a CVE, what
 * changed since a time, the top priorities, per-namespace summaries. */
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/store.h"
#include "store/store.h"
#include "util/buf.h"
#include "util/term.h"

enum { OPT_FORMAT = 256, OPT_SINCE, OPT_LIMIT, OPT_HELP };
enum fmt { FMT_TABLE, FMT_JSON, FMT_HTML };

static void usage(FILE *out)
{
	fprintf(out, "usage: hull fleet --store URL [--format table|json|html] QUERY\n"
	             "  cve ID                       images and workloads with this vulnerability\n"
	             "  changes [--since WHEN]       findings new or gone in runs after WHEN\n"
	             "                               (24h, 7d, 90m, yesterday, YYYY-MM-DD,\n"
	             "                               YYYY-MM-DDTHH:MM:SSZ; default 24h)\n"
	             "  top [--limit N]              vulnerabilities to fix first, fleet-wide\n"
	             "  namespaces                   per-namespace workloads, images, findings\n");
}

static int parse_since(const char *s, time_t now, time_t *out)
{
	char *end;
	if (!strcmp(s, "yesterday")) {
		*out = now - 86400;
		return 0;
	}
	long v = strtol(s, &end, 10);
	if (end != s && v >= 0 && end[0] && !end[1] && strchr("smhd", end[0])) {
		long mul = end[0] == 's' ? 1 : end[0] == 'm' ? 60 : end[0] == 'h' ? 3600 : 86400;
		*out = now - v * mul;
		return 0;
	}
	struct tm tm = {0};
	const char *e = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!e || *e) {
		memset(&tm, 0, sizeof(tm));
		e = strptime(s, "%Y-%m-%d", &tm);
	}
	if (!e || *e)
		return -1;
	*out = timegm(&tm);
	return 0;
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
static void print_table(const char *title, struct json_object *rows)
{
	size_t n = json_object_array_length(rows);
	if (title)
		printf("%s (%zu)\n", title, n);
	if (n == 0) {
		printf("  (none)\n");
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
		printf("%s%-*s", k ? "  " : "", (int)w[k], up);
	}
	putchar('\n');
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < nk; k++) {
			char c[64];
			snprintf(
			    c, sizeof(c), "%.60s",
			    cell(json_object_array_get_idx(rows, i), keys[k], buf, sizeof(buf)));
			if (k)
				fputs("  ", stdout);
			hull_term_fputs(stdout, c); /* names from images and manifests */
			if (k + 1 < nk)
				printf("%*s", (int)(w[k] - strlen(c)), "");
		}
		putchar('\n');
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

static int emit(enum fmt f, const char *query, struct json_object *doc)
{
	/* the sections of the answer: an array, or an object of arrays */
	struct json_object *sections[4];
	const char *names[4];
	size_t ns = 0;
	if (json_object_is_type(doc, json_type_array)) {
		sections[0] = doc;
		names[ns++] = query;
	} else {
		json_object_object_foreach(doc, k, v)
		{
			if (ns < 4 && json_object_is_type(v, json_type_array)) {
				sections[ns] = v;
				names[ns++] = k;
			}
		}
	}
	if (f == FMT_JSON) {
		puts(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
		                                             JSON_C_TO_STRING_NOSLASHESCAPE));
	} else if (f == FMT_TABLE) {
		for (size_t i = 0; i < ns; i++) {
			if (i)
				putchar('\n');
			print_table(ns > 1 ? names[i] : NULL, sections[i]);
		}
	} else {
		struct hull_buf b;
		struct hull_err e = {0};
		hull_buf_init(&b, 1u << 30);
		hull_buf_printf(&b, &e,
		                "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>hull "
		                "fleet %s</title><style>body{font-family:sans-serif}table{border-"
		                "collapse:collapse}td,th{border:1px solid #ccc;padding:2px "
		                "6px;text-align:left}</style></head><body>\n<h1>hull fleet ",
		                query);
		html_text(&b, query, &e);
		hull_buf_append_str(&b, "</h1>\n", &e);
		for (size_t i = 0; i < ns; i++)
			html_table(&b, names[i], sections[i], &e);
		hull_buf_append_str(&b, "</body></html>\n", &e);
		if (!e.kind)
			fwrite(b.data, 1, b.len, stdout);
		hull_buf_release(&b);
		if (e.kind) {
			hull_cli_error("fleet: %s", e.msg);
			return HULL_EXIT_ERROR;
		}
	}
	return fflush(stdout) == 0 ? HULL_EXIT_OK : HULL_EXIT_ERROR;
}

int hull_cmd_fleet(int argc, char **argv)
{
	static const struct option longopts[] = {
	    HULL_STORE_LONGOPTS,
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"since", required_argument, NULL, OPT_SINCE},
	    {"limit", required_argument, NULL, OPT_LIMIT},
	    {"help", no_argument, NULL, OPT_HELP},
	    {0},
	};
	struct hull_cli_store so = {0};
	enum fmt f = FMT_TABLE;
	time_t now = time(NULL), since = now - 86400;
	unsigned limit = 20;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
		if (c == 'h' || c == OPT_HELP) {
			usage(stdout);
			return HULL_EXIT_OK;
		}
		if (hull_cli_store_option(c, optarg, &so))
			continue;
		if (c == 'f' || c == OPT_FORMAT) {
			if (!strcmp(optarg, "table"))
				f = FMT_TABLE;
			else if (!strcmp(optarg, "json"))
				f = FMT_JSON;
			else if (!strcmp(optarg, "html"))
				f = FMT_HTML;
			else {
				hull_cli_error("fleet: --format '%s': expected table, json or html",
				               optarg);
				return HULL_EXIT_ERROR;
			}
		} else if (c == OPT_SINCE) {
			if (parse_since(optarg, now, &since) < 0) {
				hull_cli_error("fleet: --since '%s': expected 24h, 7d, yesterday, "
				               "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ",
				               optarg);
				return HULL_EXIT_ERROR;
			}
		} else if (c == OPT_LIMIT) {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v < 1 || v > 100000) {
				hull_cli_error("fleet: --limit '%s': expected 1 to 100000", optarg);
				return HULL_EXIT_ERROR;
			}
			limit = (unsigned)v;
		} else {
			hull_cli_error("fleet: unknown or incomplete option '%s' (see 'hull fleet "
			               "--help')",
			               argv[optind - 1]);
			return HULL_EXIT_ERROR;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return HULL_EXIT_ERROR;
	}
	const char *q = argv[optind++];
	bool is_cve = !strcmp(q, "cve");
	if (optind != argc - (is_cve ? 1 : 0) ||
	    (!is_cve && strcmp(q, "changes") && strcmp(q, "top") && strcmp(q, "namespaces"))) {
		usage(stderr);
		return HULL_EXIT_ERROR;
	}
	if (!so.url) {
		hull_cli_error("fleet: --store URL is required");
		return HULL_EXIT_ERROR;
	}
	struct hull_store *st;
	struct hull_err err = {0};
	struct json_object *doc = NULL;
	int rc = hull_store_open(so.url, &st, &err);
	if (rc == 0) {
		if (is_cve)
			rc = hull_store_fleet_cve(st, argv[optind], &doc, &err);
		else if (!strcmp(q, "changes"))
			rc = hull_store_fleet_changes(st, since, &doc, &err);
		else if (!strcmp(q, "top"))
			rc = hull_store_fleet_top(st, limit, &doc, &err);
		else
			rc = hull_store_fleet_namespaces(st, &doc, &err);
		hull_store_close(st);
	}
	if (rc < 0) {
		hull_cli_error("fleet %s: %s", q, err.msg);
		return HULL_EXIT_ERROR;
	}
	rc = emit(f, q, doc);
	json_object_put(doc);
	return rc;
}
