/* The Pod Security Standards for Kubernetes workloads, exactly as Pod
 * Security Admission decides them, for a policy version.
 *
 * The rules implementing PSS controls (rules_container.c) call these for
 * Kubernetes workloads; Docker, Compose, ECS and running containers keep the
 * rules' general behaviour (capability names normalised as the runtime
 * does, one safe sysctl list). What differs for Kubernetes, and why:
 *
 * - values are compared as written: `add: [chown]` is not CHOWN, `drop:
 *   [all]` is not ALL (the admission checks compare strings exactly);
 * - each securityContext level is judged on its own: a pod-level
 *   runAsNonRoot: false or runAsUser: 0 fails even when every container
 *   overrides it;
 * - every control carries the versions it changed in (the upstream
 *   checks' MinimumVersion), and Restricted checks that override a Baseline
 *   one (capabilities, seccomp, /proc mount) replace it at that level;
 * - the legacy seccomp annotations count before v1.19 only, the AppArmor
 *   annotations at every version. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "misconfig/rules_internal.h"

#define REPORT hull_rule_report

/* ---- versions ---------------------------------------------------------- */

int hull_pss_version_parse(const char *s, struct hull_pss_version *out, struct hull_err *err)
{
	*out = (struct hull_pss_version){0};
	if (s && !strcmp(s, "latest"))
		return 0;
	/* ^v1\.(0|[1-9][0-9]*)$, as api.ParseVersion */
	const char *d = s && !strncmp(s, "v1.", 3) ? s + 3 : NULL;
	size_t n = d ? strspn(d, "0123456789") : 0;
	if (!d || !n || d[n] || (d[0] == '0' && n > 1) || n > 18)
		return hull_err_set(err, HULL_ERR_USAGE,
		                    "Pod Security Standards version '%.64s': expected latest or "
		                    "v1.N (v1.0 to v1.%d; later ones are the latest policy)",
		                    s ? s : "", HULL_PSS_NEWEST_MINOR);
	unsigned long long v = strtoull(d, NULL, 10);
	out->pinned = true;
	/* past the newest policy change every version is the same policy */
	out->minor = v > 1000000 ? 1000000 : (unsigned)v;
	return 0;
}

const char *hull_pss_version_name(struct hull_pss_version v, char *buf, size_t n)
{
	if (!v.pinned)
		snprintf(buf, n, "latest");
	else
		snprintf(buf, n, "v1.%u", v.minor);
	return buf;
}

bool hull_pss_k8s(const struct hull_rule_ctx *ctx)
{
	return ctx->w && ctx->w->input == HULL_INPUT_K8S;
}

bool hull_pss_since(const struct hull_rule_ctx *ctx, unsigned minor)
{
	const struct hull_pss_version *v = &ctx->opts->pss_version;
	return !v->pinned || v->minor >= minor;
}

/* The level the workload is judged at: Restricted for --profile
 * restricted and for every rule (the strictest answer), Baseline only
 * when only the Baseline controls run. */
static bool restricted_level(const struct hull_rule_ctx *ctx)
{
	if (ctx->opts->pss_level != HULL_PSS_NONE)
		return ctx->opts->pss_level == HULL_PSS_RESTRICTED;
	return ctx->opts->profile != HULL_PROFILE_BASELINE;
}

/* spec.os.name exactly "windows" (the API's value; the checks compare it
 * as written) */
static bool windows(const struct hull_workload *w)
{
	return w->os_name.v && !strcmp(w->os_name.v, "windows");
}

/* hostUsers: false: the pod has its own user namespace */
static bool user_ns(const struct hull_workload *w)
{
	return w->host_users.v == HULL_FALSE;
}

bool hull_pss_level_matters(const struct hull_model *m)
{
	for (size_t i = 0; i < m->workloads.n; i++) {
		const struct hull_workload *w = &m->workloads.v[i];
		if (w->input == HULL_INPUT_K8S && (windows(w) || user_ns(w)))
			return true;
	}
	return false;
}

bool hull_pss_windows_exempt(const struct hull_rule_ctx *ctx)
{
	/* From v1.25 the Restricted capabilities, seccomp and privilege
	 * escalation checks admit Windows pods, whose API validation forbids
	 * those fields; at Restricted they also replace the Baseline
	 * capabilities and seccomp checks. */
	return restricted_level(ctx) && hull_pss_since(ctx, 25) && windows(ctx->w);
}

bool hull_pss_user_ns_relaxed(const struct hull_rule_ctx *ctx)
{
	/* v1.35: in a user namespace, root in the container is not root on
	 * the node */
	return hull_pss_since(ctx, 35) && user_ns(ctx->w);
}

bool hull_pss_proc_mount_relaxed(const struct hull_rule_ctx *ctx)
{
	/* v1.35 relaxes the Baseline check for user namespaces; Restricted
	 * replaces it with the unrelaxed one */
	return !restricted_level(ctx) && hull_pss_user_ns_relaxed(ctx);
}

/* ---- seccomp ------------------------------------------------------------- */

static bool profile_ok(const struct hull_profile *p)
{
	return p->type == HULL_PROFILE_RUNTIME_DEFAULT || p->type == HULL_PROFILE_LOCALHOST;
}

/* The legacy annotation values the Baseline check accepts before v1.19. */
static bool seccomp_annotation_ok(const char *v)
{
	return v && (!strcmp(v, "runtime/default") || !strcmp(v, "docker/default") ||
	             !strncmp(v, "localhost/", 10));
}

static void seccomp_annotation(struct hull_rule_ctx *ctx, const char *key)
{
	const struct hull_pair *p = hull_pair_find(&ctx->w->annotations, key);
	if (p && !seccomp_annotation_ok(p->value))
		REPORT(ctx, p->pos,
		       "sets the annotation %s: %s (the seccomp profile annotations allow only "
		       "runtime/default, docker/default and localhost/<profile>)",
		       key, p->value ? p->value : "");
}

static void seccomp_field(struct hull_rule_ctx *ctx, const struct hull_profile *p, const char *who)
{
	if (p->type == HULL_PROFILE_UNSET || profile_ok(p))
		return;
	if (p->type == HULL_PROFILE_UNCONFINED)
		REPORT(ctx, p->pos,
		       "%s runs without a seccomp profile (Unconfined): every system "
		       "call is allowed",
		       who);
	else
		REPORT(ctx, p->pos,
		       "%s sets seccompProfile type '%s', which is neither RuntimeDefault nor "
		       "Localhost",
		       who, p->value ? p->value : "");
}

void hull_pss_seccomp_forbidden(struct hull_rule_ctx *ctx)
{
	const struct hull_workload *w = ctx->w;
	if (hull_pss_windows_exempt(ctx))
		return;
	if (!hull_pss_since(ctx, 19)) {
		/* before v1.19 the policy reads the alpha annotations only */
		seccomp_annotation(ctx, "seccomp.security.alpha.kubernetes.io/pod");
		for (size_t i = 0; i < w->containers.n; i++) {
			char key[320];
			ctx->c = &w->containers.v[i];
			snprintf(key, sizeof(key),
			         "container.seccomp.security.alpha.kubernetes.io/%s",
			         ctx->c->name ? ctx->c->name : "");
			seccomp_annotation(ctx, key);
		}
		ctx->c = NULL;
		return;
	}
	seccomp_field(ctx, &w->pod_sc.seccomp, "the pod");
	for (size_t i = 0; i < w->containers.n; i++) {
		ctx->c = &w->containers.v[i];
		seccomp_field(ctx, &ctx->c->sc.seccomp, "it");
	}
	ctx->c = NULL;
}

void hull_pss_seccomp_missing(struct hull_rule_ctx *ctx)
{
	const struct hull_container *c = ctx->c;
	if (!hull_pss_since(ctx, 19) || hull_pss_windows_exempt(ctx))
		return;
	/* explicit bad values are the Baseline rule's; here: neither the
	 * container nor a valid pod-level profile */
	if (c->sc.seccomp.type == HULL_PROFILE_UNSET && !profile_ok(&ctx->w->pod_sc.seccomp))
		REPORT(ctx, c->pos,
		       "sets no seccomp profile (RuntimeDefault or Localhost) in the container or "
		       "pod securityContext");
}

/* ---- AppArmor ------------------------------------------------------------ */

#define APPARMOR_PREFIX "container.apparmor.security.beta.kubernetes.io/"

static bool apparmor_annotation_ok(const char *v)
{
	return !v || !*v || !strcmp(v, "runtime/default") || !strncmp(v, "localhost/", 10);
}

static void apparmor_field(struct hull_rule_ctx *ctx, const struct hull_profile *p, const char *who)
{
	if (p->type == HULL_PROFILE_UNSET || profile_ok(p))
		return;
	REPORT(ctx, p->pos,
	       "%s sets appArmorProfile type '%s' (only RuntimeDefault and Localhost are "
	       "allowed)%s",
	       who, p->value ? p->value : "",
	       p->type == HULL_PROFILE_UNCONFINED ? ": it runs without AppArmor confinement" : "");
}

/* Pod-level field and annotations: once, with the first container. Every
 * annotation with the prefix counts, whether or not a container has its
 * name (the admission check reads them all). */
static void apparmor_pod(struct hull_rule_ctx *ctx)
{
	const struct hull_workload *w = ctx->w;
	const struct hull_container *first = ctx->c;
	ctx->c = NULL;
	apparmor_field(ctx, &w->pod_sc.apparmor, "the pod");
	for (size_t i = 0; i < w->annotations.n; i++) {
		const struct hull_pair *p = &w->annotations.v[i];
		if (!p->key || strncmp(p->key, APPARMOR_PREFIX, strlen(APPARMOR_PREFIX)) ||
		    apparmor_annotation_ok(p->value))
			continue;
		REPORT(ctx, p->pos,
		       "sets the annotation %s: %s (allowed: runtime/default, localhost/<profile> "
		       "or empty)",
		       p->key, p->value);
	}
	ctx->c = first;
}

void hull_pss_apparmor(struct hull_rule_ctx *ctx)
{
	if (ctx->c == &ctx->w->containers.v[0])
		apparmor_pod(ctx);
	apparmor_field(ctx, &ctx->c->sc.apparmor, "it");
}

/* ---- users ---------------------------------------------------------------- */

/* Pod-level values are judged on their own: once, with the first
 * container. */
static bool first_container(const struct hull_rule_ctx *ctx)
{
	return ctx->c == &ctx->w->containers.v[0];
}

void hull_pss_run_as_user(struct hull_rule_ctx *ctx)
{
	const struct hull_workload *w = ctx->w;
	const struct hull_container *c = ctx->c;
	if (hull_pss_user_ns_relaxed(ctx))
		return;
	if (hull_pss_since(ctx, 23)) {
		if (first_container(ctx) && w->pod_sc.run_as_user.set && !w->pod_sc.run_as_user.v) {
			ctx->c = NULL;
			REPORT(ctx, w->pod_sc.run_as_user.pos,
			       "the pod securityContext sets runAsUser: 0 (root), which the "
			       "Restricted profile forbids even where containers override it");
			ctx->c = c;
		}
		if (c->sc.run_as_user.set && !c->sc.run_as_user.v) {
			REPORT(ctx, c->sc.run_as_user.pos,
			       "runs as root: container securityContext.runAsUser is 0");
			return;
		}
	}
	/* not a PSS control on its own: nothing sets a user and nothing makes
	 * the kubelet refuse root (the Running as Non-root rule says so too) */
	if (!c->user.uid_known && c->user.non_root.v != HULL_TRUE)
		REPORT(ctx, c->pos,
		       "runs as root: no runAsUser in the container or pod securityContext and "
		       "runAsNonRoot is not true: the image's user applies, root unless the image "
		       "sets USER");
}

void hull_pss_run_as_non_root(struct hull_rule_ctx *ctx)
{
	const struct hull_workload *w = ctx->w;
	const struct hull_container *c = ctx->c;
	const struct hull_vbool *pod = &w->pod_sc.run_as_non_root, *own = &c->sc.run_as_non_root;
	if (hull_pss_user_ns_relaxed(ctx))
		return;
	if (first_container(ctx) && pod->v == HULL_FALSE) {
		ctx->c = NULL;
		REPORT(ctx, pod->pos,
		       "the pod securityContext sets runAsNonRoot: false, which the Restricted "
		       "profile forbids even where containers set true");
		ctx->c = c;
	}
	if (own->v == HULL_FALSE)
		REPORT(ctx, own->pos, "sets runAsNonRoot: false");
	else if (own->v == HULL_UNSET && pod->v != HULL_TRUE)
		REPORT(ctx, c->pos,
		       "does not set runAsNonRoot: true (in the container or the pod "
		       "securityContext), so nothing stops it from running as root");
}

void hull_pss_host_process(struct hull_rule_ctx *ctx)
{
	const struct hull_workload *w = ctx->w;
	const struct hull_container *c = ctx->c;
	if (first_container(ctx) && w->pod_sc.host_process.v == HULL_TRUE) {
		ctx->c = NULL;
		REPORT(ctx, w->pod_sc.host_process.pos,
		       "the pod securityContext sets windowsOptions.hostProcess: true: its "
		       "containers run directly on the Windows host");
		ctx->c = c;
	}
	if (c->sc.host_process.v == HULL_TRUE)
		REPORT(
		    ctx, c->sc.host_process.pos,
		    "runs as a Windows HostProcess container: direct access to the Windows host");
}

/* ---- sysctls, SELinux ------------------------------------------------------ */

/* The safe sysctls, each with the policy version that first allowed it
 * (check_sysctls.go). */
static const struct {
	const char *name;
	unsigned since;
} safe_sysctls[] = {
    {"kernel.shm_rmid_forced", 0},
    {"net.ipv4.ip_local_port_range", 0},
    {"net.ipv4.tcp_syncookies", 0},
    {"net.ipv4.ping_group_range", 0},
    {"net.ipv4.ip_unprivileged_port_start", 0},
    {"net.ipv4.ip_local_reserved_ports", 27},
    {"net.ipv4.tcp_keepalive_time", 29},
    {"net.ipv4.tcp_fin_timeout", 29},
    {"net.ipv4.tcp_keepalive_intvl", 29},
    {"net.ipv4.tcp_keepalive_probes", 29},
    {"net.ipv4.tcp_rmem", 32},
    {"net.ipv4.tcp_wmem", 32},
    {"net.ipv4.tcp_slow_start_after_idle", 37},
    {"net.ipv4.tcp_notsent_lowat", 37},
};

int hull_pss_sysctl_since(const char *name)
{
	for (size_t i = 0; name && i < sizeof(safe_sysctls) / sizeof(safe_sysctls[0]); i++)
		if (!strcmp(name, safe_sysctls[i].name))
			return (int)safe_sysctls[i].since;
	return -1;
}

bool hull_pss_selinux_type_ok(const struct hull_rule_ctx *ctx, const char *type)
{
	static const char *const types[] = {"", "container_t", "container_init_t",
	                                    "container_kvm_t"};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(type, types[i]))
			return true;
	/* container_engine_t from v1.31; other inputs have no version */
	return !strcmp(type, "container_engine_t") &&
	       (!hull_pss_k8s(ctx) || hull_pss_since(ctx, 31));
}
