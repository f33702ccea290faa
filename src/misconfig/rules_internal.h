/* Shared by the engine (rules.c), the table (rules_table.c) and the checks
 * (rules_*.c). A check reads ctx->w / ctx->c / ctx->obj and calls
 * hull_rule_report once per occurrence; it never allocates findings itself,
 * so policy, inline ignores and severities are applied in one place. */
#ifndef HULL_MISCONFIG_RULES_INTERNAL_H
#define HULL_MISCONFIG_RULES_INTERNAL_H

#include "misconfig/rules.h"

struct hull_rule_ctx {
	const struct hull_model *m;
	const struct hull_rule *rule;
	const struct hull_workload *w;  /* NULL for objects */
	const struct hull_container *c; /* container rules only */
	const struct hull_object *obj;  /* object rules only */
	const struct hull_check_opts *opts;
	struct hull_findings *out;
	struct hull_err *err;
	int rc;
	/* per-build analysis shared by the Dockerfile checks (rules_dockerfile.c);
	 * the engine frees it with cache_free */
	const void *cache_key;
	void *cache;
	void (*cache_free)(void *);
};

/* One finding of ctx->rule at pos (a zero pos falls back to the container,
 * then the workload). The message is formatted like printf. */
void hull_rule_report(struct hull_rule_ctx *ctx, struct hull_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A position: the first of a, b, c that has a line. */
struct hull_pos hull_pos_pick(struct hull_pos a, struct hull_pos b, struct hull_pos c);

/* Shell command analysis for RUN instructions (shell.c). A command is a
 * simple command: words after quote removal, split at ;, &&, ||, |, &,
 * newlines, and inside $( ), backticks and sh -c "...". */
#define HULL_SHELL_MAX_WORDS 256
struct hull_shell_cmd {
	const char *words[HULL_SHELL_MAX_WORDS];
	size_t n;
	bool piped_from; /* the previous command's output is piped into this one */
};
typedef bool (*hull_shell_fn)(const struct hull_shell_cmd *cmd, void *ctx);
/* Calls fn for each simple command of script until fn returns false.
 * Words point into a scratch buffer valid during the call only. Returns
 * false when fn stopped the walk. Bounded: nesting and total size. */
bool hull_shell_walk(const char *script, hull_shell_fn fn, void *ctx);
/* The shell script of a RUN instruction: the shell form text, the JSON
 * form's words (each quoted), or its heredoc bodies when the heredoc is the
 * script. malloc'ed (caller frees); NULL when out of memory. */
char *hull_run_script(const struct hull_instr *in);

/* Secrets (secrets.c): a secret-looking name ("DB_PASSWORD", "apiKey");
 * a literal value (not empty, a reference, a switch or a file path); a value
 * that is a secret whatever its name (returns what it is, or NULL). */
bool hull_secret_name(const char *name);
bool hull_secret_literal(const char *value);
const char *hull_secret_value(const char *value);

/* Capability sets. */
bool hull_cap_dangerous(const char *cap, const char **why);
bool hull_cap_baseline_allowed(const char *cap);
bool hull_cap_docker_default(const char *cap);

/* Kubernetes workloads and the Pod Security Standards (rules_pss.c): what
 * the policy version and level of ctx->opts make of a control. */
bool hull_pss_k8s(const struct hull_rule_ctx *ctx); /* a Kubernetes workload */
/* The policy version is v1.<minor> or later (latest is). */
bool hull_pss_since(const struct hull_rule_ctx *ctx, unsigned minor);
/* A Windows pod that the Restricted capabilities / seccomp / privilege
 * escalation checks admit (v1.25+, at the Restricted level). */
bool hull_pss_windows_exempt(const struct hull_rule_ctx *ctx);
/* hostUsers: false relaxes runAsNonRoot / runAsUser (v1.35+) and, at the
 * Baseline level only, the /proc mount type. */
bool hull_pss_user_ns_relaxed(const struct hull_rule_ctx *ctx);
bool hull_pss_proc_mount_relaxed(const struct hull_rule_ctx *ctx);
/* The minor version that made a sysctl safe, or -1 for an unsafe one. */
int hull_pss_sysctl_since(const char *name);
bool hull_pss_selinux_type_ok(const struct hull_rule_ctx *ctx, const char *type);
/* The controls' Kubernetes implementations, called by the rules' checks. */
void hull_pss_seccomp_forbidden(struct hull_rule_ctx *ctx); /* workload scope */
void hull_pss_seccomp_missing(struct hull_rule_ctx *ctx);   /* container scope */
void hull_pss_apparmor(struct hull_rule_ctx *ctx);          /* container scope */
void hull_pss_run_as_user(struct hull_rule_ctx *ctx);       /* container scope */
void hull_pss_run_as_non_root(struct hull_rule_ctx *ctx);   /* container scope */
void hull_pss_host_process(struct hull_rule_ctx *ctx);      /* container scope */

/* Checks, one per rule (rules_*.c). */
#define HULL_CHECK(name) void hull_chk_##name(struct hull_rule_ctx *ctx)
HULL_CHECK(privileged);
HULL_CHECK(cap_dangerous);
HULL_CHECK(cap_baseline);
HULL_CHECK(cap_restricted);
HULL_CHECK(cap_added);
HULL_CHECK(cap_drop_all);
HULL_CHECK(priv_esc);
HULL_CHECK(root);
HULL_CHECK(run_as_non_root);
HULL_CHECK(low_uid);
HULL_CHECK(low_gid);
HULL_CHECK(root_group);
HULL_CHECK(rw_rootfs);
HULL_CHECK(host_network);
HULL_CHECK(host_pid);
HULL_CHECK(host_ipc);
HULL_CHECK(host_uts);
HULL_CHECK(host_userns);
HULL_CHECK(host_process);
HULL_CHECK(host_path);
HULL_CHECK(sensitive_mount);
HULL_CHECK(runtime_socket);
HULL_CHECK(volume_types);
HULL_CHECK(mount_propagation);
HULL_CHECK(devices);
HULL_CHECK(host_port);
HULL_CHECK(privileged_port);
HULL_CHECK(port_all_interfaces);
HULL_CHECK(ssh_port);
HULL_CHECK(port_range);
HULL_CHECK(seccomp_unconfined);
HULL_CHECK(seccomp_unset);
HULL_CHECK(apparmor);
HULL_CHECK(selinux_custom);
HULL_CHECK(selinux_disabled);
HULL_CHECK(proc_mount);
HULL_CHECK(sysctls);
HULL_CHECK(probe_host);
HULL_CHECK(mem_limit);
HULL_CHECK(cpu_limit);
HULL_CHECK(pids_limit);
HULL_CHECK(mem_request);
HULL_CHECK(cpu_request);
HULL_CHECK(ephemeral_limit);
HULL_CHECK(image_tag);
HULL_CHECK(pull_policy);
HULL_CHECK(env_secret);
HULL_CHECK(healthcheck);
HULL_CHECK(readiness);
HULL_CHECK(liveness);
HULL_CHECK(sa_token);
HULL_CHECK(sa_token_default);
HULL_CHECK(kube_system);
HULL_CHECK(default_namespace);
HULL_CHECK(host_aliases);
HULL_CHECK(restart_policy);
HULL_CHECK(cgroup_parent);
/* Dockerfile builds */
HULL_CHECK(df_add);
HULL_CHECK(df_add_url);
HULL_CHECK(df_add_archive);
HULL_CHECK(df_copy_from_self);
HULL_CHECK(df_multi_entrypoint);
HULL_CHECK(df_multi_cmd);
HULL_CHECK(df_multi_healthcheck);
HULL_CHECK(df_workdir_relative);
HULL_CHECK(df_workdir_system);
HULL_CHECK(df_sudo);
HULL_CHECK(df_copy_dest_slash);
HULL_CHECK(df_dup_alias);
HULL_CHECK(df_run_cd);
HULL_CHECK(df_wget_curl);
HULL_CHECK(df_yum_clean);
HULL_CHECK(df_dnf_clean);
HULL_CHECK(df_microdnf_clean);
HULL_CHECK(df_zypper_clean);
HULL_CHECK(df_apt_yes);
HULL_CHECK(df_apt_recommends);
HULL_CHECK(df_upgrade);
HULL_CHECK(df_update_alone);
HULL_CHECK(df_apk_cache);
HULL_CHECK(df_maintainer);
HULL_CHECK(df_curl_pipe_sh);
HULL_CHECK(df_setuid);
/* Kubernetes objects */
HULL_CHECK(k8s_configmap_secret);
HULL_CHECK(k8s_ingress_nginx);
HULL_CHECK(k8s_netpol_selector);
HULL_CHECK(k8s_external_ips);
HULL_CHECK(k8s_deprecated_api);
HULL_CHECK(k8s_rbac_wildcard);
HULL_CHECK(k8s_rbac_secrets);
HULL_CHECK(k8s_rbac_exec);
HULL_CHECK(k8s_rbac_escalate);
HULL_CHECK(k8s_rbac_nodes_proxy);
HULL_CHECK(k8s_rbac_group_binding);
HULL_CHECK(k8s_rbac_webhooks);
HULL_CHECK(k8s_tiller);

#endif
