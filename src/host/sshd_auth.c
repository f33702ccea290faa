/* One model of "how can a client authenticate": the usable method lists of
 * a view, then what they let an account, an account without a password
 * and root do (see sshd_auth.h for the rules, after OpenSSH's auth2.c,
 * auth2-none.c and auth.c). */
#include "host/sshd_auth.h"

#include <stdio.h>
#include <string.h>

#include "host/sshd_internal.h"

enum method { M_NONE, M_PUBKEY, M_PASSWORD, M_KBDINT, M_HOSTBASED, M_GSSAPI, M_UNKNOWN };

static const char *const method_names[] = {
    "none", "publickey", "password", "keyboard-interactive", "hostbased", "gssapi-with-mic"};

/* The settings the model reads, once per view. */
struct view {
	const struct hull_sshd *c;
	bool pubkey, password, kbdint, pam, hostbased, gssapi, empty_ok;
	const char *root;    /* permitrootlogin */
	const char *methods; /* authenticationmethods */
};

static bool yes(const struct hull_sshd *c, const char *kw)
{
	const struct hull_sshd_value *v = hull_sshd_get(c, kw);
	return v && !strcmp(v->value, "yes");
}

static enum method method_of(const char *s, size_t len)
{
	const char *colon = memchr(s, ':', len);
	if (colon)
		len = (size_t)(colon - s); /* "keyboard-interactive:pam" */
	for (size_t i = 0; i < sizeof(method_names) / sizeof(method_names[0]); i++)
		if (strlen(method_names[i]) == len && !memcmp(method_names[i], s, len))
			return (enum method)i;
	return M_UNKNOWN;
}

/* Enabled by its keyword: a list with a disabled method is dropped. */
static bool enabled(const struct view *v, enum method m)
{
	switch (m) {
	case M_NONE:
		return true;
	case M_PUBKEY:
		return v->pubkey;
	case M_PASSWORD:
		return v->password;
	case M_KBDINT:
		return v->kbdint;
	case M_HOSTBASED:
		return v->hostbased;
	case M_GSSAPI:
		return v->gssapi;
	case M_UNKNOWN:
		return false;
	}
	return false;
}

static bool is_key(enum method m)
{
	return m == M_PUBKEY || m == M_HOSTBASED || m == M_GSSAPI;
}

/* What one method list lets a client do. */
struct list_caps {
	bool usable;   /* every method enabled and able to succeed */
	bool password; /* passwords only (password, or keyboard-interactive by PAM) */
	bool empty;    /* an empty password is enough */
	bool key;      /* has a key-like method */
	bool root_key; /* usable by root under prohibit-password */
	bool uses_password_method, uses_kbdint;
};

static void caps_of(const struct view *v, const char *list, size_t len, struct list_caps *k)
{
	memset(k, 0, sizeof(*k));
	k->usable = k->password = k->empty = k->root_key = true;
	for (const char *p = list, *end = list + len; p < end;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		size_t n = comma ? (size_t)(comma - p) : (size_t)(end - p);
		enum method m = method_of(p, n);
		/* keyboard-interactive succeeds only through PAM; none only
		 * for an empty password, when passwords are on */
		bool works = enabled(v, m) && (m != M_KBDINT || v->pam) &&
		             (m != M_NONE || (v->empty_ok && v->password));
		k->usable &= works;
		k->password &= m == M_PASSWORD || m == M_KBDINT;
		k->empty &= m == M_PASSWORD || m == M_KBDINT || m == M_NONE;
		k->key |= is_key(m);
		k->root_key &= is_key(m);
		k->uses_password_method |= m == M_PASSWORD;
		k->uses_kbdint |= m == M_KBDINT;
		p = comma ? comma + 1 : end;
	}
	k->password &= k->usable;
	k->empty &= k->usable && v->empty_ok;
	k->root_key &= k->usable;
	k->key &= k->usable;
}

/* Calls fn on each method list: AuthenticationMethods', or each enabled
 * method alone when it is "any". */
static void each_list(const struct view *v,
                      void (*fn)(const struct view *, const char *, size_t, void *), void *ctx)
{
	if (!v->methods || !strcmp(v->methods, "any")) {
		for (size_t i = 0; i < sizeof(method_names) / sizeof(method_names[0]); i++)
			fn(v, method_names[i], strlen(method_names[i]), ctx);
		return;
	}
	for (const char *p = v->methods; *p;) {
		const char *sp = strchr(p, ' ');
		size_t n = sp ? (size_t)(sp - p) : strlen(p);
		if (n)
			fn(v, p, n, ctx);
		p = sp ? sp + 1 : p + n;
	}
}

struct totals {
	bool password, empty, key, root_key_only, via_password, via_kbdint;
};

static void add_list(const struct view *v, const char *list, size_t len, void *ctx)
{
	struct totals *t = ctx;
	struct list_caps k;
	caps_of(v, list, len, &k);
	if (k.password) {
		t->password = true;
		t->via_password |= k.uses_password_method;
		t->via_kbdint |= k.uses_kbdint;
	}
	t->empty |= k.empty;
	t->key |= k.key;
	t->root_key_only |= k.root_key && k.key;
}

/* Whether root is shut out everywhere by AllowUsers, DenyUsers,
 * AllowGroups or DenyGroups (allowed_user in auth.c). */
static bool root_excluded(const struct hull_sshd *c)
{
	size_t n;
	const struct hull_sshd_value *vals = hull_sshd_values(c, &n);
	bool allow_users = false, allowed = false, allow_groups = false, in_group = false;
	for (size_t i = 0; i < n; i++) {
		const char *kw = vals[i].keyword, *pat = vals[i].value;
		char user[256];
		const char *at = strchr(pat, '@');
		snprintf(user, sizeof(user), "%.*s", at ? (int)(at - pat) : (int)strlen(pat), pat);
		if (!strcmp(kw, "denyusers") && !at && sshd_match_pattern("root", pat))
			return true; /* with @host it denies root from some hosts only */
		if (!strcmp(kw, "allowusers")) {
			allow_users = true;
			allowed |= sshd_match_pattern("root", user);
		}
		if (!strcmp(kw, "denygroups") && hull_sshd_user_group(c, "root", pat, false) == 1)
			return true;
		if (!strcmp(kw, "allowgroups")) {
			allow_groups = true;
			/* groups not known: assume root may be in one */
			in_group |= hull_sshd_user_group(c, "root", pat, false) != 0;
		}
	}
	return (allow_users && !allowed) || (allow_groups && !in_group);
}

static const char *val_or(const struct hull_sshd *c, const char *kw, const char *dflt)
{
	const struct hull_sshd_value *v = hull_sshd_get(c, kw);
	return v ? v->value : dflt;
}

/* "kw value (file line N)" or "(the OpenSSH default)" */
static void describe(const struct hull_sshd *c, const char *kw, char *out, size_t n)
{
	const struct hull_sshd_value *v = hull_sshd_get(c, kw);
	if (!v) {
		snprintf(out, n, "%s ?", kw);
		return;
	}
	if (v->file)
		snprintf(out, n, "%s %s (%s line %u)", kw, v->value, v->file, v->line);
	else
		snprintf(out, n, "%s %s (the OpenSSH default)", kw, v->value);
}

static void password_story(const struct hull_sshd *c, const struct totals *t, struct sshd_auth *a)
{
	char d1[128], d2[128];
	if (t->via_password) {
		a->password_at = hull_sshd_get(c, "passwordauthentication");
		describe(c, "passwordauthentication", d1, sizeof(d1));
		snprintf(a->password_how, sizeof(a->password_how), "%s", d1);
		return;
	}
	/* keyboard-interactive through PAM: the line that made it so */
	const struct hull_sshd_value *kbd = hull_sshd_get(c, "kbdinteractiveauthentication");
	a->password_at = kbd && kbd->file ? kbd : hull_sshd_get(c, "usepam");
	describe(c, "kbdinteractiveauthentication", d1, sizeof(d1));
	describe(c, "usepam", d2, sizeof(d2));
	snprintf(a->password_how, sizeof(a->password_how),
	         "PAM asks for the password over keyboard-interactive: %s, %s", d1, d2);
}

void sshd_auth_eval(const struct hull_sshd *c, struct sshd_auth *a)
{
	memset(a, 0, sizeof(*a));
	struct view v = {
	    .c = c,
	    .pubkey = yes(c, "pubkeyauthentication"),
	    .password = yes(c, "passwordauthentication"),
	    .kbdint = yes(c, "kbdinteractiveauthentication"),
	    .pam = yes(c, "usepam"),
	    .hostbased = yes(c, "hostbasedauthentication"),
	    .gssapi = yes(c, "gssapiauthentication"),
	    .empty_ok = yes(c, "permitemptypasswords"),
	    .root = val_or(c, "permitrootlogin", "without-password"),
	    .methods = val_or(c, "authenticationmethods", "any"),
	};
	struct totals t = {0};
	each_list(&v, add_list, &t);
	a->password = t.password;
	if (a->password)
		password_story(c, &t, a);
	a->empty = t.empty;
	a->empty_at = hull_sshd_get(c, "permitemptypasswords");
	a->root_at = hull_sshd_get(c, "permitrootlogin");
	if (root_excluded(c))
		return;
	bool root_yes = !strcmp(v.root, "yes");
	if (root_yes && t.password) {
		a->root = SSHD_ROOT_PASSWORD;
		snprintf(a->root_how, sizeof(a->root_how), "root may log in with a password (%s)",
		         a->password_how);
	} else if ((root_yes && t.key) ||
	           (!strcmp(v.root, "without-password") && t.root_key_only)) {
		a->root = SSHD_ROOT_KEY;
		snprintf(a->root_how, sizeof(a->root_how), "root may log in with a key%s",
		         root_yes ? " (no password method is open)" : "");
	}
}
