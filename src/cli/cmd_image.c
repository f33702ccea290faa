/* hull image / hull rootfs / hull sbom-scan: vulnerabilities of what is
 * installed, for CI pipelines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/store.h"
#include "image/cache.h"
#include "image/image.h"
#include "match/match.h"
#include "match/suppress.h"
#include "pkgdb/pkgdb.h"
#include "pkgdb/sbom_in.h"
#include "store/store.h"
#include "util/fs.h"
#include "util/sandbox.h"
#include "util/term.h"
#include "vulndb/vulndb.h"

#define HULL_EXIT_UNSUPPORTED 3
#define MAX_VEX               16
#define MAX_SBOM_BYTES        (256u << 20)

enum scan_mode { SCAN_IMAGE, SCAN_ROOTFS, SCAN_SBOM };

struct scan_args {
	enum scan_mode mode;
	const char *cmd;
	const char *target;
	const char *db;
	struct hull_image_opts opts;
	struct hull_cli_cache_opts cache;
	struct hull_cli_source_opts src;
	struct hull_sandbox sandbox; /* built by confine() */
	struct hull_output_opts out;
	bool ignore_unfixed;
	bool ignore_status[HULL_VULN_END_OF_LIFE + 1];
	const char *ignorefile;
	bool ignorefile_explicit;
	const char *vex[MAX_VEX];
	size_t nvex;
	bool exit_on_unsupported;
	bool quiet;
	struct hull_cli_store store;
	const char *store_ref; /* --store-ref: the name the fleet knows the image by */
};

static const char *status_words[] = {"fixed", "affected", "will_not_fix", "fix_deferred",
                                     "end_of_life"};

static int parse_status_list(struct scan_args *a, const char *list, struct hull_err *err)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *save, *w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		size_t i = 0;
		while (i < sizeof(status_words) / sizeof(*status_words) &&
		       strcmp(w, status_words[i]))
			i++;
		if (i == sizeof(status_words) / sizeof(*status_words))
			return hull_err_set(err, HULL_ERR_USAGE,
			                    "--ignore-status '%s': expected fixed, affected, "
			                    "will_not_fix, fix_deferred or end_of_life",
			                    w);
		a->ignore_status[i] = true;
	}
	return 0;
}

/* $HULL_DB, else $XDG_CACHE_HOME/hull/db.sqlite, else ~/.cache/hull/db.sqlite. */
const char *hull_cli_db_path(const char *opt, char *buf, size_t cap)
{
	const char *env = getenv("HULL_DB"), *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	if (opt)
		return opt;
	if (env && *env)
		return env;
	if (xdg && *xdg)
		snprintf(buf, cap, "%s/hull/db.sqlite", xdg);
	else
		snprintf(buf, cap, "%s/.cache/hull/db.sqlite", home && *home ? home : ".");
	return buf;
}

static void usage(const struct scan_args *a)
{
	printf("usage: hull %s [OPTIONS] %s\n", a->cmd,
	       a->mode == SCAN_SBOM     ? "SBOM.json"
	       : a->mode == SCAN_ROOTFS ? "DIR"
	                                : "TARGET[:TAG] | [docker://|podman://|registry://]IMAGE");
	printf(
	    "  --format F[=FILE]      table|json|sarif|cyclonedx|junit|markdown|html (repeatable)\n"
	    "  --output FILE          where the --format without =FILE goes\n"
	    "  --severity LIST        report only these severities\n"
	    "  --fail-on SEVERITY     exit 1 when a finding at or above it remains\n"
	    "  --ignore-unfixed       drop findings without a fixed version\n"
	    "  --ignore-status LIST   drop findings with these statuses\n"
	    "  --ignorefile FILE      suppressions (default: ./.hullignore when present)\n"
	    "  --vex FILE             OpenVEX or CycloneDX VEX (repeatable)\n"
	    "  --show-suppressed      list suppressed findings too\n"
	    "  --exit-on-unsupported  exit 3 when a distribution or ecosystem has no feed\n"
	    "  --db FILE              the vulnerability database (default: $HULL_DB,\n"
	    "                         ~/.cache/hull/db.sqlite)\n"
	    "  --store URL            record the run in PostgreSQL; an image already\n"
	    "                         recorded against this database build is not\n"
	    "                         scanned again (docs/store.md)\n"
	    "  --node NAME, --namespace NS   where the run happened (with --store)\n"
	    "  --store-ref REF        record the image under REF (repo@sha256:.., as the\n"
	    "                         registry names it) instead of its name in TARGET\n");
	if (a->mode != SCAN_SBOM)
		printf("  --platform OS/ARCH, --tag TAG, --max-layer-size SIZE, --cache-dir DIR,\n"
		       "  --cache-max SIZE, --no-cache   as for hull sbom\n" HULL_SOURCE_USAGE);
}

enum {
	OPT_IGNORE_UNFIXED = 256,
	OPT_IGNORE_STATUS,
	OPT_IGNOREFILE,
	OPT_VEX,
	OPT_EXIT_UNSUPPORTED,
	OPT_DB,
	OPT_STORE_REF,
};

static int one_option(void *ctx, int c, const char *arg, int argc, char **argv,
                      struct hull_err *err)
{
	struct scan_args *a = ctx;
	(void)argc, (void)argv;
	switch (c) {
	case 'f': /* -f F: --format F */
		return hull_cli_output_option(HULL_OPT_FORMAT, arg, &a->out, err) < 0 ? -1 : 0;
	case 'q':
		a->quiet = a->cache.quiet = a->src.quiet = true;
		return 0;
	case OPT_IGNORE_UNFIXED:
		a->ignore_unfixed = true;
		return 0;
	case OPT_IGNORE_STATUS:
		return parse_status_list(a, arg, err);
	case OPT_IGNOREFILE:
		a->ignorefile = arg;
		a->ignorefile_explicit = true;
		return 0;
	case OPT_VEX:
		if (a->nvex == MAX_VEX)
			return hull_err_set(err, HULL_ERR_USAGE, "at most %d --vex files", MAX_VEX);
		a->vex[a->nvex++] = arg;
		return 0;
	case OPT_EXIT_UNSUPPORTED:
		a->exit_on_unsupported = true;
		return 0;
	case OPT_DB:
		a->db = arg;
		return 0;
	case OPT_STORE_REF:
		a->store_ref = arg;
		return 0;
	}
	return 1;
}

static struct scan_args *usage_args; /* for usage(), which takes no argument */

static void usage_out(void)
{
	usage(usage_args);
}

static int parse_args(int argc, char **argv, struct scan_args *a, struct hull_err *err)
{
	static const struct option longopts[] = {
	    {"store-ref", required_argument, NULL, OPT_STORE_REF},
	    {"ignore-unfixed", no_argument, NULL, OPT_IGNORE_UNFIXED},
	    {"ignore-status", required_argument, NULL, OPT_IGNORE_STATUS},
	    {"ignorefile", required_argument, NULL, OPT_IGNOREFILE},
	    {"vex", required_argument, NULL, OPT_VEX},
	    {"exit-on-unsupported", no_argument, NULL, OPT_EXIT_UNSUPPORTED},
	    {"db", required_argument, NULL, OPT_DB},
	    {"quiet", no_argument, NULL, 'q'},
	    {0},
	};
	const struct hull_cli_spec spec = {
	    .cmd = a->cmd,
	    .shortopts = "f:q",
	    .longopts = longopts,
	    .output = HULL_CLI_OUTPUT_FINDINGS,
	    .image = a->mode != SCAN_SBOM,
	    .usage = usage_out,
	    .option = one_option,
	    .ctx = a,
	    .out = &a->out,
	    .img = &a->opts,
	    .cache = &a->cache,
	    .src = &a->src,
	    .store = &a->store,
	};
	usage_args = a;
	int first = hull_cli_parse(&spec, argc, argv, err);
	if (first < 0)
		return -1;
	if (first != argc - 1)
		return hull_err_set(err, HULL_ERR_USAGE, "expected one %s, got %d",
		                    a->mode == SCAN_SBOM ? "SBOM file" : "TARGET", argc - first);
	a->target = argv[first];
	if (!a->ignorefile && access(".hullignore", F_OK) == 0)
		a->ignorefile = ".hullignore";
	return hull_output_finish(&a->out, isatty(STDOUT_FILENO), err);
}

/* What was scanned, read into an image (may stay NULL) and an inventory. */
static int read_target(struct scan_args *a, struct hull_image **img, struct hull_inventory *inv,
                       struct hull_diag *diag, struct hull_err *err)
{
	if (a->mode == SCAN_SBOM) {
		char *data;
		size_t len;
		if (hull_fs_read_file(a->target, MAX_SBOM_BYTES, &data, &len, err) < 0)
			return -1;
		int rc = hull_inventory_from_sbom(hull_str(data, len), a->target, inv, diag, err);
		free(data);
		return rc;
	}
	if (a->mode == SCAN_ROOTFS) {
		struct stat st;
		if (stat(a->target, &st) < 0)
			return hull_err_errno(err, errno, "%s", a->target);
		if (!S_ISDIR(st.st_mode))
			return hull_err_set(err, HULL_ERR_USAGE,
			                    "%s: not a directory (use 'hull image' for archives)",
			                    a->target);
	}
	if (a->mode == SCAN_ROOTFS
	        ? hull_image_open(a->target, &a->opts, img, diag, err) < 0
	        : hull_cli_open_image(a->target, &a->opts, &a->src, img, diag, err) < 0)
		return -1;
	if (a->mode == SCAN_ROOTFS && (*img)->format != HULL_IMAGE_ROOTFS)
		return hull_err_set(err, HULL_ERR_USAGE,
		                    "%s: an %s, not a root filesystem (use 'hull image')",
		                    a->target, hull_image_format_name((*img)->format));
	return hull_inventory_collect((*img)->files, inv, diag, err);
}

struct drop_ctx {
	const struct scan_args *a;
};

static bool keep_finding(const struct hull_finding *f, void *ctx)
{
	const struct scan_args *a = ((struct drop_ctx *)ctx)->a;
	if (f->kind != HULL_FINDING_VULNERABILITY)
		return true;
	if (a->ignore_unfixed && !f->vuln.fixed_version)
		return false;
	return !a->ignore_status[f->vuln.status];
}

static int apply_suppressions(const struct scan_args *a, struct hull_findings *findings,
                              struct hull_diag *diag, struct hull_err *err)
{
	struct hull_suppressions *s = NULL;
	int rc = hull_suppressions_new(&s, err);
	if (rc == 0 && a->ignorefile)
		rc = hull_suppressions_load_ignorefile(s, a->ignorefile, time(NULL), diag, err);
	for (size_t i = 0; rc == 0 && i < a->nvex; i++)
		rc = hull_suppressions_load_vex(s, a->vex[i], diag, err);
	if (rc == 0)
		hull_suppressions_apply(s, findings, diag);
	hull_suppressions_free(s);
	return rc;
}

/* What --exit-on-unsupported needs of a reused result: whether the
 * distribution has a feed in this database (language ecosystems are not
 * counted again). */
static void reused_result(struct hull_vulndb *db, const struct hull_inventory *inv,
                          struct hull_match_result *res)
{
	struct hull_match_ns ns;
	struct hull_err e = {0};
	res->packages = inv->npkgs;
	if (!inv->os.id)
		return;
	if (hull_match_os_namespaces(&inv->os, &ns, &e) < 0) {
		res->os_unsupported = true;
		return;
	}
	bool any = false;
	for (size_t i = 0; i < ns.n; i++)
		any |= hull_vulndb_has_namespace(db, ns.name[i]);
	res->os_unsupported = !any;
	snprintf(res->os_namespace, sizeof(res->os_namespace), "%s", ns.name[0]);
}

/* The scan with --store: an image (keyed by its config digest) already
 * recorded against this database build is answered from the store; one
 * whose inventory is stored is matched without reading its layers; else
 * it is read, its layers through the store (a layer another host read is
 * not read again). The image's lock is held from the first question to
 * the record, so concurrent writers of one image scan it once. The
 * findings recorded are those of the match, before suppressions and
 * filters (which are this run's own). */
static int stored_scan(struct scan_args *a, struct hull_vulndb *db, struct hull_image **img,
                       struct hull_inventory *inv, struct hull_findings *f,
                       struct hull_match_result *res, struct hull_diag *diag, struct hull_err *err)
{
	struct hull_store *st = NULL;
	char build[HULL_VULNDB_BUILD_ID_MAX], keybuf[128];
	time_t started = time(NULL);
	const char *key = NULL;
	bool locked = false;
	int rc = -1;
	struct hull_store_image im = {0};
	if (hull_vulndb_build_id(db, build, err) < 0 || hull_store_open(a->store.url, &st, err) < 0)
		return -1;
	if (a->mode == SCAN_IMAGE) {
		struct hull_image_opts mo = a->opts;
		mo.metadata_only = true;
		mo.cache = NULL;
		if (hull_cli_open_image(a->target, &mo, &a->src, img, diag, err) < 0)
			goto out;
		if ((*img)->config_digest) {
			snprintf(keybuf, sizeof(keybuf), "%s", (*img)->config_digest);
			key = keybuf;
		}
	}
	if (key) {
		if (hull_store_lock_image(st, key, err) < 0)
			goto out;
		locked = true;
		int64_t frun = 0;
		struct hull_image *layers = NULL;
		int got = hull_store_image_result(st, key, build, f, &frun, err);
		if (got < 0)
			goto out;
		if (got) {
			im.findings_run = frun;
			im.reused = "result";
		}
		got = hull_store_image_inventory(st, key, inv, &layers, err);
		hull_image_free(layers);
		if (got < 0)
			goto out;
		if (got && !im.reused)
			im.reused = "inventory";
	}
	if (!im.reused) {
		struct hull_layer_remote remote;
		hull_store_layer_remote(st, &remote);
		a->opts.remote = &remote;
		hull_image_free(*img);
		*img = NULL;
		int r = read_target(a, img, inv, diag, err);
		a->opts.remote = NULL;
		if (r < 0)
			goto out;
		if (hull_store_error(st))
			hull_diag_warn(diag, "store: %s", hull_store_error(st));
	}
	if (im.findings_run)
		reused_result(db, inv, res);
	else if (hull_match_inventory(db, inv, *img, f, res, diag, err) < 0 ||
	         hull_match_eol(db, inv, time(NULL), f, diag, err) < 0)
		goto out;
	im.key = key;
	im.manifest_digest = *img ? (*img)->manifest_digest : NULL;
	im.name = *img && (*img)->name ? (*img)->name : a->target;
	if (a->store_ref) {
		/* "repo@sha256:..": the digest the registry (and the kubelet)
		 * know, whatever a copy made of the manifest */
		const char *at = strrchr(a->store_ref, '@');
		im.name = a->store_ref;
		if (at && !strncmp(at + 1, "sha256:", 7))
			im.manifest_digest = at + 1;
	}
	im.img = *img;
	im.inv = inv;
	struct hull_store_run run = {
	    .kind = a->cmd,
	    .target = im.name ? im.name : a->target,
	    .node = hull_cli_store_node(&a->store),
	    .ns = a->store.ns,
	    .db_build = build,
	    .started = started,
	    .finished = time(NULL),
	};
	rc = hull_store_record(st, &run, f, key ? &im : NULL, NULL, err);
out:
	if (locked) {
		struct hull_err e = {0};
		hull_store_unlock_image(st, key, &e);
	}
	hull_store_close(st);
	return rc;
}

/* Once the database and the cache are open, a local target is read in the
 * sandbox (cli.h): the target, the database's directory, the ignore file
 * and VEX documents readable; the outputs' and the cache's directories
 * writable. A reference gets the same sandbox once it is fetched
 * (cli/source.h). */
static int confine(struct scan_args *a, const char *dbpath, struct hull_err *err)
{
	struct hull_sandbox *sb = &a->sandbox;
	int local = hull_cli_confine_read(sb, a->target, err);
	if (local < 0)
		return -1;
	char dbdir[4096];
	snprintf(dbdir, sizeof(dbdir), "%s", dbpath);
	char *slash = strrchr(dbdir, '/');
	if (slash)
		*slash = '\0';
	if (hull_cli_confine_read(sb, slash ? dbdir : ".", err) < 0 ||
	    hull_cli_confine_read(sb, a->ignorefile, err) < 0)
		return -1;
	for (size_t i = 0; i < a->nvex; i++)
		if (hull_cli_confine_read(sb, a->vex[i], err) < 0)
			return -1;
	for (size_t i = 0; i < a->out.nouts; i++) {
		const char *p = a->out.outs[i].path ? a->out.outs[i].path : a->out.output;
		if (hull_cli_confine_output(sb, p, err) < 0)
			return -1;
	}
	if (hull_sandbox_allow_write(sb, hull_layer_cache_dir(a->opts.cache), err) < 0)
		return -1;
	if (local == 1) {
		a->src.sandbox = sb;
		a->src.cmd = a->cmd;
		return 0;
	}
	return hull_cli_confine(a->cmd, sb, err);
}

static int scan(struct scan_args *a, struct hull_err *err)
{
	struct hull_diag diag;
	struct hull_image *img = NULL;
	struct hull_inventory inv = {0};
	struct hull_findings findings = {0};
	struct hull_vulndb *db = NULL;
	struct hull_match_result res;
	char dbbuf[4096];
	const char *dbpath = hull_cli_db_path(a->db, dbbuf, sizeof(dbbuf));
	int status = HULL_EXIT_ERROR;
	hull_diag_init(&diag);
	a->opts.cache = a->mode == SCAN_SBOM ? NULL : hull_cli_cache_open(&a->cache);
	if (hull_vulndb_open(dbpath, &db, err) < 0) {
		if (err->kind == HULL_ERR_NOTFOUND)
			hull_err_set(
			    err, HULL_ERR_NOTFOUND,
			    "no vulnerability database at %s: build one with 'hull db build "
			    "--from FEEDS' or 'hull db update'",
			    dbpath);
		goto out;
	}
	memset(&res, 0, sizeof(res));
	if (a->store.url) {
		/* the store is a database server: no sandbox (docs/limits.md) */
		if (stored_scan(a, db, &img, &inv, &findings, &res, &diag, err) < 0)
			goto out;
	} else if (confine(a, dbpath, err) < 0 || read_target(a, &img, &inv, &diag, err) < 0 ||
	           hull_match_inventory(db, &inv, img, &findings, &res, &diag, err) < 0 ||
	           hull_match_eol(db, &inv, time(NULL), &findings, &diag, err) < 0) {
		goto out;
	}
	if (apply_suppressions(a, &findings, &diag, err) < 0)
		goto out;
	struct drop_ctx dc = {a};
	hull_findings_filter(&findings, keep_finding, &dc);
	char osbuf[160] = "";
	if (inv.os.id)
		snprintf(osbuf, sizeof(osbuf), "%s %s%s%s%s", inv.os.id,
		         inv.os.version_id ? inv.os.version_id : "", inv.os.codename ? " (" : "",
		         inv.os.codename ? inv.os.codename : "", inv.os.codename ? ")" : "");
	struct hull_cli_report rep = {
	    .findings = &findings,
	    .target = {.name = img && img->name ? img->name : a->target,
	               .kind = a->mode == SCAN_SBOM                      ? HULL_TARGET_SBOM
	                       : img && img->format == HULL_IMAGE_ROOTFS ? HULL_TARGET_ROOTFS
	                                                                 : HULL_TARGET_IMAGE,
	               .path = a->target,
	               .digest = img ? img->manifest_digest : NULL,
	               .os = osbuf[0] ? osbuf : NULL,
	               .image = img,
	               .inv = img ? &inv : NULL},
	    .diag = &diag,
	};
	/* the shared report step (--severity, sort, every --format, exit
	 * status); a write failure is printed there, so err stays empty */
	status = hull_cli_report(&a->out, &rep);
	if (status == HULL_EXIT_ERROR)
		goto out;
	/* a table on standard output already lists the warnings */
	bool table_on_stdout = false;
	for (size_t i = 0; i < a->out.nouts; i++)
		table_on_stdout |= a->out.outs[i].format == HULL_FINDINGS_TABLE &&
		                   (!a->out.outs[i].path || !strcmp(a->out.outs[i].path, "-"));
	if (!a->quiet && !table_on_stdout)
		for (size_t i = 0; i < diag.n; i++) {
			fputs("hull: warning: ", stderr);
			hull_term_fputs(stderr, diag.msgs[i]);
			fputc('\n', stderr);
		}
	if (status == HULL_EXIT_OK && a->exit_on_unsupported &&
	    (res.os_unsupported || res.unsupported))
		status = HULL_EXIT_UNSUPPORTED;
out:
	hull_findings_release(&findings);
	hull_vulndb_close(db);
	hull_inventory_release(&inv);
	hull_image_free(img);
	hull_layer_cache_close(a->opts.cache);
	hull_diag_release(&diag);
	return status;
}

static int run(int argc, char **argv, enum scan_mode mode, const char *cmd)
{
	struct scan_args a = {
	    .mode = mode,
	    .cmd = cmd,
	    .opts = {.keep = hull_pkgdb_wants,
	             .probe = &hull_pkgdb_probe,
	             .keep_version = HULL_PKGDB_KEEP_VERSION},
	};
	struct hull_err err = {0};
	hull_output_init(&a.out);
	if (parse_args(argc, argv, &a, &err) < 0)
		return hull_cli_usage_error(cmd, &err);
	int status = scan(&a, &err);
	if (status == HULL_EXIT_ERROR && err.msg[0])
		hull_cli_error("%s", err.msg);
	return status;
}

int hull_cmd_image(int argc, char **argv)
{
	return run(argc, argv, SCAN_IMAGE, "image");
}

int hull_cmd_rootfs(int argc, char **argv)
{
	return run(argc, argv, SCAN_ROOTFS, "rootfs");
}

int hull_cmd_sbom_scan(int argc, char **argv)
{
	return run(argc, argv, SCAN_SBOM, "sbom-scan");
}
