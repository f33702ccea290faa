/* Dockerfile-only rules: instructions (ADD, COPY, WORKDIR, duplicates) and
 * what RUN scripts do (package managers, sudo, cd, downloads piped into a
 * shell). RUN scripts are read once per build into a small summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "misconfig/rules_internal.h"

#define REPORT hull_rule_report

/* What one RUN instruction does. */
struct run {
	bool sudo, cd, wget, curl, pipe_sh, setuid;
	bool yum_install, yum_clean, dnf_install, dnf_clean, microdnf_install, microdnf_clean;
	bool zypper_install, zypper_clean;
	bool apt_install, apt_no_yes, apt_recommends, apt_update, apt_clean_lists;
	bool apk_add, apk_no_cache, apk_update, apk_cache_rm, upgrade;
	char upgrade_cmd[48];
};

struct runs {
	const struct hull_build *b;
	struct run *v; /* one per instruction; only RUNs are filled */
};

static const char *base(const char *w)
{
	const char *s = strrchr(w, '/');
	return s ? s + 1 : w;
}

/* The first non-option word after the command (options taking a value
 * listed in with_arg), or NULL. *at is its index. */
static const char *subcommand(const struct hull_shell_cmd *c, const char *with_arg, size_t *at)
{
	for (size_t i = 1; i < c->n; i++) {
		const char *w = c->words[i];
		if (w[0] == '-') {
			if (w[1] && !w[2] && strchr(with_arg, w[1]))
				i++; /* "-o Foo=bar" */
			continue;
		}
		*at = i;
		return w;
	}
	return NULL;
}

static bool has_word(const struct hull_shell_cmd *c, const char *w)
{
	for (size_t i = 1; i < c->n; i++)
		if (!strcmp(c->words[i], w))
			return true;
	return false;
}

/* -y, --yes, --assume-yes, -qq, or a short-option cluster holding y */
static bool apt_yes(const struct hull_shell_cmd *c)
{
	for (size_t i = 1; i < c->n; i++) {
		const char *w = c->words[i];
		if (!strcmp(w, "--yes") || !strcmp(w, "--assume-yes") || !strcmp(w, "-qq") ||
		    !strcmp(w, "--quiet=2") || !strncmp(w, "-o=APT::Get::Assume-Yes", 23))
			return true;
		if (w[0] == '-' && w[1] != '-' && strchr(w + 1, 'y'))
			return true;
	}
	return false;
}

static bool apt_no_recommends(const struct hull_shell_cmd *c)
{
	for (size_t i = 1; i < c->n; i++)
		if (!strcmp(c->words[i], "--no-install-recommends") ||
		    strstr(c->words[i], "Install-Recommends=false") ||
		    strstr(c->words[i], "Install-Recommends=0"))
			return true;
	return false;
}

static void note_pm(struct run *r, const char *cmd, const char *sub, const struct hull_shell_cmd *c)
{
	bool install = sub && (!strcmp(sub, "install") || !strcmp(sub, "in") ||
	                       !strcmp(sub, "groupinstall") || !strcmp(sub, "localinstall"));
	bool clean = sub && (!strcmp(sub, "clean") || !strcmp(sub, "cc"));
	if (!strcmp(cmd, "yum")) {
		r->yum_install |= install;
		r->yum_clean |= clean;
	} else if (!strcmp(cmd, "dnf")) {
		r->dnf_install |= install;
		r->dnf_clean |= clean;
	} else if (!strcmp(cmd, "microdnf")) {
		r->microdnf_install |= install;
		r->microdnf_clean |= clean;
	} else if (!strcmp(cmd, "zypper")) {
		r->zypper_install |= install;
		r->zypper_clean |= clean;
	} else if (!strcmp(cmd, "apt-get") || !strcmp(cmd, "apt")) {
		if (install) {
			r->apt_install = true;
			r->apt_no_yes |= !apt_yes(c);
			r->apt_recommends |= !apt_no_recommends(c);
		}
		r->apt_update |= sub && !strcmp(sub, "update");
	} else if (!strcmp(cmd, "apk")) {
		if (sub && !strcmp(sub, "add")) {
			r->apk_add = true;
			r->apk_no_cache |= !has_word(c, "--no-cache");
		}
		r->apk_update |= sub && !strcmp(sub, "update");
	}
	bool up = sub && (!strcmp(sub, "upgrade") || !strcmp(sub, "dist-upgrade") ||
	                  !strcmp(sub, "full-upgrade"));
	if (up && (!strcmp(cmd, "apt-get") || !strcmp(cmd, "apt") || !strcmp(cmd, "apk") ||
	           !strcmp(cmd, "dnf") || !strcmp(cmd, "yum") || !strcmp(cmd, "microdnf"))) {
		r->upgrade = true;
		snprintf(r->upgrade_cmd, sizeof(r->upgrade_cmd), "%s %s", cmd, sub);
	}
}

static bool is_shell(const char *w)
{
	static const char *const shells[] = {"sh",     "bash",    "ash",  "dash", "zsh", "ksh",
	                                     "python", "python3", "perl", "ruby", "node"};
	for (size_t i = 0; i < sizeof(shells) / sizeof(shells[0]); i++)
		if (!strcmp(w, shells[i]))
			return true;
	return false;
}

static bool setuid_mode(const char *m)
{
	if (strchr(m, 's') && (m[0] == 'u' || m[0] == 'g' || m[0] == '+' || m[0] == 'a') &&
	    strchr(m, '+'))
		return true;
	/* octal with the setuid or setgid bit: 4755, 2755, 6755 */
	size_t n = strspn(m, "01234567");
	return n == 4 && m[n] == 0 && (m[0] == '2' || m[0] == '4' || m[0] == '6');
}

static bool note_cmd(const struct hull_shell_cmd *c, void *arg)
{
	struct run *r = arg;
	const char *cmd = base(c->words[0]);
	if (!strcmp(cmd, "sudo")) {
		r->sudo = true;
		if (c->n < 2)
			return true;
		/* look at what sudo runs as well */
		struct hull_shell_cmd inner = {.n = c->n - 1};
		memcpy(inner.words, c->words + 1, inner.n * sizeof(inner.words[0]));
		return note_cmd(&inner, arg);
	}
	r->cd |= !strcmp(cmd, "cd");
	r->wget |= !strcmp(cmd, "wget");
	r->curl |= !strcmp(cmd, "curl");
	if (!strcmp(cmd, "chmod"))
		for (size_t i = 1; i < c->n; i++)
			r->setuid |= setuid_mode(c->words[i]);
	if (!strcmp(cmd, "rm"))
		for (size_t i = 1; i < c->n; i++) {
			r->apk_cache_rm |= !strncmp(c->words[i], "/var/cache/apk", 14);
			r->yum_clean |= !strncmp(c->words[i], "/var/cache/yum", 14);
			r->dnf_clean |= !strncmp(c->words[i], "/var/cache/dnf", 14);
		}
	size_t at;
	const char *sub = subcommand(c, "octe", &at);
	note_pm(r, cmd, sub, c);
	return true;
}

/* curl ... | sh: the downloader must come right before the shell */
static bool note_pipes(const struct hull_shell_cmd *c, void *arg)
{
	bool *last_download = arg;
	const char *cmd = base(c->words[0]);
	bool dl = !strcmp(cmd, "curl") || !strcmp(cmd, "wget");
	if (c->piped_from && is_shell(cmd) && last_download[0])
		last_download[1] = true;
	last_download[0] = dl;
	return true;
}

static void free_runs(void *p)
{
	struct runs *rs = p;
	if (rs)
		free(rs->v);
	free(rs);
}

static const struct runs *runs_of(struct hull_rule_ctx *ctx)
{
	const struct hull_build *b = ctx->w->build;
	if (ctx->cache_key == b && ctx->cache)
		return ctx->cache;
	if (ctx->cache_free)
		ctx->cache_free(ctx->cache);
	ctx->cache = NULL;
	ctx->cache_key = NULL;
	struct runs *rs = calloc(1, sizeof(*rs));
	if (rs)
		rs->v = calloc(b->instrs.n ? b->instrs.n : 1, sizeof(*rs->v));
	if (!rs || !rs->v) {
		free_runs(rs);
		ctx->rc = hull_err_nomem(ctx->err);
		return NULL;
	}
	rs->b = b;
	for (size_t i = 0; i < b->instrs.n; i++) {
		const struct hull_instr *in = &b->instrs.v[i];
		if (strcmp(in->cmd, "RUN"))
			continue;
		char *script = hull_run_script(in);
		if (!script)
			continue;
		hull_shell_walk(script, note_cmd, &rs->v[i]);
		bool dl[2] = {false, false};
		hull_shell_walk(script, note_pipes, dl);
		rs->v[i].pipe_sh = dl[1];
		free(script);
	}
	ctx->cache = rs;
	ctx->cache_key = b;
	ctx->cache_free = free_runs;
	return rs;
}

/* Calls report for each RUN where pick(run) holds. */
static void each_run(struct hull_rule_ctx *ctx, bool (*pick)(const struct run *), const char *msg)
{
	const struct runs *rs = runs_of(ctx);
	if (!rs)
		return;
	for (size_t i = 0; i < rs->b->instrs.n; i++)
		if (!strcmp(rs->b->instrs.v[i].cmd, "RUN") && pick(&rs->v[i]))
			REPORT(ctx, rs->b->instrs.v[i].pos, "%s", msg);
}

#define RUN_RULE(name, cond, msg)                                                                  \
	static bool pick_##name(const struct run *r)                                               \
	{                                                                                          \
		return cond;                                                                       \
	}                                                                                          \
	HULL_CHECK(name)                                                                           \
	{                                                                                          \
		each_run(ctx, pick_##name, msg);                                                   \
	}

RUN_RULE(df_sudo, r->sudo,
         "RUN uses sudo: the build already runs as root, and sudo in an image is an "
         "escalation path")
RUN_RULE(df_run_cd, r->cd, "RUN changes directory with cd; use WORKDIR")
RUN_RULE(df_yum_clean, r->yum_install && !r->yum_clean,
         "RUN installs with yum without 'yum clean all' in the same layer")
RUN_RULE(df_dnf_clean, r->dnf_install && !r->dnf_clean,
         "RUN installs with dnf without 'dnf clean all' in the same layer")
RUN_RULE(df_microdnf_clean, r->microdnf_install && !r->microdnf_clean,
         "RUN installs with microdnf without 'microdnf clean all' in the same layer")
RUN_RULE(df_zypper_clean, r->zypper_install && !r->zypper_clean,
         "RUN installs with zypper without 'zypper clean' in the same layer")
RUN_RULE(df_apt_yes, r->apt_install && r->apt_no_yes,
         "RUN runs apt-get install without -y: the build waits for an answer")
RUN_RULE(df_apt_recommends, r->apt_install && r->apt_recommends,
         "RUN runs apt-get install without --no-install-recommends: unneeded packages "
         "enlarge the attack surface")
RUN_RULE(df_update_alone, (r->apt_update && !r->apt_install) || (r->apk_update && !r->apk_add),
         "RUN updates the package index without installing in the same layer: the cached "
         "index goes stale and later installs get old packages")
RUN_RULE(df_apk_cache, r->apk_add && r->apk_no_cache && !r->apk_cache_rm,
         "RUN runs apk add without --no-cache: the package index stays in the image")
RUN_RULE(df_curl_pipe_sh, r->pipe_sh,
         "RUN pipes a download into an interpreter: nothing verifies what runs")
RUN_RULE(df_setuid, r->setuid, "RUN sets a setuid or setgid bit (chmod +s / 4755)")

HULL_CHECK(df_upgrade)
{
	const struct runs *rs = runs_of(ctx);
	for (size_t i = 0; rs && i < rs->b->instrs.n; i++)
		if (rs->v[i].upgrade)
			REPORT(ctx, rs->b->instrs.v[i].pos,
			       "RUN runs '%s': upgrade in the base image instead, or pin versions",
			       rs->v[i].upgrade_cmd);
}

HULL_CHECK(df_wget_curl)
{
	const struct runs *rs = runs_of(ctx);
	const struct hull_build *b = ctx->w->build;
	for (size_t s = 0; rs && s < b->stages.n; s++) {
		const struct hull_stage *st = &b->stages.v[s];
		bool wget = false, curl = false;
		size_t last = st->first;
		for (size_t i = st->first; i < st->first + st->count; i++) {
			if (rs->v[i].wget || rs->v[i].curl)
				last = i;
			wget |= rs->v[i].wget;
			curl |= rs->v[i].curl;
		}
		if (wget && curl)
			REPORT(ctx, b->instrs.v[last].pos,
			       "the stage uses both wget and curl; one tool is enough");
	}
}

/* ---- instructions --------------------------------------------------- */

static bool is_url(const char *s)
{
	return !strncmp(s, "http://", 7) || !strncmp(s, "https://", 8) || !strncmp(s, "git@", 4) ||
	       !strncmp(s, "git://", 6);
}

static bool is_archive(const char *s)
{
	static const char *const exts[] = {".tar",     ".tar.gz", ".tgz",    ".tar.bz2",
	                                   ".tbz2",    ".tbz",    ".tar.xz", ".txz",
	                                   ".tar.zst", ".tzst",   ".tar.lz", ".tar.lzma"};
	size_t n = strlen(s);
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t e = strlen(exts[i]);
		if (n > e && !strcasecmp(s + n - e, exts[i]))
			return true;
	}
	/* trivy's rule accepts any ".tar" in the sources */
	return strstr(s, ".tar") != NULL;
}

enum add_kind { ADD_LOCAL, ADD_URL, ADD_ARCHIVE };

static enum add_kind add_kind(const struct hull_instr *in)
{
	bool archive = false;
	for (size_t i = 0; i + 1 < in->argv.n; i++) {
		const char *s = in->argv.v[i].v ? in->argv.v[i].v : "";
		if (is_url(s))
			return ADD_URL;
		archive |= is_archive(s);
	}
	return archive ? ADD_ARCHIVE : ADD_LOCAL;
}

static void each_instr(struct hull_rule_ctx *ctx, const char *cmd,
                       void (*fn)(struct hull_rule_ctx *, const struct hull_instr *))
{
	const struct hull_build *b = ctx->w->build;
	for (size_t i = 0; i < b->instrs.n; i++)
		if (!strcmp(b->instrs.v[i].cmd, cmd))
			fn(ctx, &b->instrs.v[i]);
}

static void add_local(struct hull_rule_ctx *ctx, const struct hull_instr *in)
{
	if (add_kind(in) == ADD_LOCAL)
		REPORT(ctx, in->pos,
		       "ADD copies local files; use COPY (ADD also fetches URLs and "
		       "unpacks archives)");
}

static void add_url(struct hull_rule_ctx *ctx, const struct hull_instr *in)
{
	if (add_kind(in) == ADD_URL && !hull_pair_find(&in->flags, "checksum"))
		REPORT(ctx, in->pos,
		       "ADD downloads %s at build time with no checksum: use curl "
		       "with a checksum, or ADD --checksum",
		       in->argv.v[0].v ? in->argv.v[0].v : "a URL");
}

static void add_archive(struct hull_rule_ctx *ctx, const struct hull_instr *in)
{
	if (add_kind(in) == ADD_ARCHIVE)
		REPORT(ctx, in->pos,
		       "ADD unpacks a local archive into the image: its paths and "
		       "links are trusted as they are");
}

HULL_CHECK(df_add)
{
	each_instr(ctx, "ADD", add_local);
}

HULL_CHECK(df_add_url)
{
	each_instr(ctx, "ADD", add_url);
}

HULL_CHECK(df_add_archive)
{
	each_instr(ctx, "ADD", add_archive);
}

static void copy_from(struct hull_rule_ctx *ctx, const struct hull_instr *in)
{
	const struct hull_pair *from = hull_pair_find(&in->flags, "from");
	const struct hull_stage *st = &ctx->w->build->stages.v[in->stage];
	if (!from || !from->value)
		return;
	char idx[24];
	snprintf(idx, sizeof(idx), "%zu", in->stage);
	if ((st->alias && !strcasecmp(from->value, st->alias)) || !strcmp(from->value, idx))
		REPORT(ctx, in->pos, "COPY --from=%s names the stage it is in", from->value);
}

HULL_CHECK(df_copy_from_self)
{
	each_instr(ctx, "COPY", copy_from);
}

static void copy_dest(struct hull_rule_ctx *ctx, const struct hull_instr *in)
{
	if (in->argv.n < 3 || in->heredocs.n)
		return;
	const char *dest = in->argv.v[in->argv.n - 1].v;
	size_t n = dest ? strlen(dest) : 0;
	if (!n || (dest[n - 1] != '/' && dest[n - 1] != '\\'))
		REPORT(ctx, in->pos,
		       "%s has %zu sources but its destination '%s' does not end with "
		       "'/'",
		       in->cmd, in->argv.n - 1, dest ? dest : "");
}

HULL_CHECK(df_copy_dest_slash)
{
	each_instr(ctx, "COPY", copy_dest);
	each_instr(ctx, "ADD", copy_dest);
}

static void duplicates(struct hull_rule_ctx *ctx, const char *cmd)
{
	const struct hull_build *b = ctx->w->build;
	for (size_t s = 0; s < b->stages.n; s++) {
		const struct hull_stage *st = &b->stages.v[s];
		size_t seen = 0;
		for (size_t i = st->first; i < st->first + st->count; i++)
			if (!strcmp(b->instrs.v[i].cmd, cmd) && ++seen == 2)
				REPORT(ctx, b->instrs.v[i].pos,
				       "the stage has more than one %s; only the last one counts",
				       cmd);
	}
}

HULL_CHECK(df_multi_entrypoint)
{
	duplicates(ctx, "ENTRYPOINT");
}

HULL_CHECK(df_multi_cmd)
{
	duplicates(ctx, "CMD");
}

HULL_CHECK(df_multi_healthcheck)
{
	duplicates(ctx, "HEALTHCHECK");
}

static void workdir_rel(struct hull_rule_ctx *ctx, const struct hull_instr *in)
{
	const char *p = in->argv.n ? in->argv.v[0].v : NULL;
	if (!p || !*p || *p == '/' || *p == '$' || *p == '\\')
		return;
	if (((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')) && p[1] == ':')
		return; /* C:\app */
	REPORT(ctx, in->pos, "WORKDIR %s is relative: it depends on the previous WORKDIR", p);
}

static void workdir_sys(struct hull_rule_ctx *ctx, const struct hull_instr *in)
{
	static const char *const dirs[] = {"/proc",   "/boot",       "/dev",
	                                   "/initrd", "/lost+found", "/sys"};
	const char *p = in->argv.n ? in->argv.v[0].v : NULL;
	for (size_t i = 0; p && i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		size_t n = strlen(dirs[i]);
		if (!strncmp(p, dirs[i], n) && (p[n] == 0 || p[n] == '/'))
			REPORT(ctx, in->pos, "WORKDIR %s is a system directory", p);
	}
}

HULL_CHECK(df_workdir_relative)
{
	each_instr(ctx, "WORKDIR", workdir_rel);
}

HULL_CHECK(df_workdir_system)
{
	each_instr(ctx, "WORKDIR", workdir_sys);
}

HULL_CHECK(df_dup_alias)
{
	const struct hull_build *b = ctx->w->build;
	for (size_t i = 0; i < b->stages.n; i++)
		for (size_t k = 0; b->stages.v[i].alias && k < i; k++)
			if (b->stages.v[k].alias &&
			    !strcasecmp(b->stages.v[k].alias, b->stages.v[i].alias)) {
				REPORT(ctx, b->stages.v[i].pos,
				       "stage name '%s' is used by an earlier stage too",
				       b->stages.v[i].alias);
				break;
			}
}

static void maintainer(struct hull_rule_ctx *ctx, const struct hull_instr *in)
{
	REPORT(ctx, in->pos,
	       "MAINTAINER is deprecated; use LABEL "
	       "org.opencontainers.image.authors");
}

HULL_CHECK(df_maintainer)
{
	each_instr(ctx, "MAINTAINER", maintainer);
}
