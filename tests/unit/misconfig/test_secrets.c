/* Secret-looking names and values (secrets.c), then through the rules:
 * the same names in a ConfigMap, a pod's env and a Compose environment. */
#include "helpers.h"
#include "misconfig/rules_internal.h"
#include "tap.h"

/* name, secret-looking? */
static const struct {
	const char *name;
	bool secret;
} names[] = {
    /* credential words anywhere */
    {"DB_PASSWORD", true},
    {"dbPassword", true},
    {"DB_PASSWD", true},
    {"APP_SECRET", true},
    {"client_secret", true},
    {"GITHUB_TOKEN", true},
    {"auth.token", true},
    {"BEARER", true},
    {"BEARER_AUTH", true},
    {"REGISTRY_CREDS", true},
    /* *_KEY and its content */
    {"STRIPE_KEY", true},
    {"apiKey", true},
    {"tls.key", true},
    {"SSH_KEY_CONTENT", true},
    {"PRIVATE_KEY_PEM", true},
    {"signing_key_b64", true},
    {"AWS_ACCESS_KEY_ID", true},
    {"aws_access_key_id", true},
    /* about a secret, not the secret */
    {"KEY_FILE", false},
    {"TLS_KEY_PATH", false},
    {"SSH_KEY_FILENAME", false},
    {"SECRET_NAME", false},
    {"TOKEN_TTL", false},
    {"TOKEN_URL", false},
    {"PASSWORD_MIN_LENGTH", false},
    {"JWT_ALGORITHM", false},
    {"KMS_KEY_ID", false},
    {"GPG_KEY_ID", false},
    /* keys that are not credentials */
    {"KEY", false},
    {"PUBLIC_KEY", false},
    {"SSH_PUBLIC_KEY_CONTENT", false},
    {"RECAPTCHA_SITE_KEY", false},
    {"STRIPE_PUBLISHABLE_KEY", false},
    {"CACHE_KEY", false},
    {"PARTITION_KEY", false},
    {"LOG_S3_KEY", false},
    {"ssh_host_rsa_key.pub", false},
    {"MONKEY", false},
    {"KEYBOARD_LAYOUT", false},
    {"LOG_LEVEL", false},
};

/* value, what it is (NULL: not a secret by its value) */
static const struct {
	const char *value;
	const char *what;
} values[] = {
    {"AKIAIOSFODNN7EXAMPLE", "an AWS access key"},
    {"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
     "a JSON Web Token"},
    {"Bearer abcdefghijklmnopqrstuvwxyz0123", "a bearer token"},
    {"AIzaSyA1234567890abcdefghijklmnopqrstuv", "a Google API key"},
    {"npm_abcdefghijklmnopqrstuvwxyz0123456789", "an npm token"},
    {"Bearer ${TOKEN}", NULL},
    {"eyJ.notajwt", NULL},
    {"https://example.com/path", NULL},
};

static void name_table(void)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		TAP_OK(hull_secret_name(names[i].name) == names[i].secret, "%s %s secret-looking",
		       names[i].name, names[i].secret ? "is" : "is not");
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		const char *what = hull_secret_value(values[i].value);
		TAP_OK(what ? values[i].what && !strcmp(what, values[i].what) : !values[i].what,
		       "%.24s: %s", values[i].value, what ? what : "not a secret");
	}
}

/* The same names through the ConfigMap, pod env and Compose rules. */
static void through_rules(void)
{
	const char *cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: n}\n"
	                 "data:\n"
	                 "  STRIPE_KEY: sk_test_abcdef\n"
	                 "  SSH_KEY_CONTENT: c2VjcmV0\n"
	                 "  BEARER: abc123\n"
	                 "  KEY_FILE: keys/tls.key\n"
	                 "  PUBLIC_KEY: c3NoLXJzYQ\n"
	                 "  app.env: |\n"
	                 "    LOG_LEVEL=debug\n"
	                 "    UPSTREAM_BEARER=s3cr3t\n";
	const char *pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: n}\n"
	                  "spec:\n  containers:\n  - name: c\n    image: i:1\n    env:\n"
	                  "    - {name: API_TOKEN, value: abc123}\n"
	                  "    - {name: SIGNING_KEY, value: zzz}\n"
	                  "    - {name: KEY_FILE, value: keys/k.pem}\n"
	                  "    - {name: FROM_SECRET_KEY, valueFrom: {secretKeyRef: {name: s, key: "
	                  "k}}}\n";
	const char *compose = "services:\n  s:\n    image: i:1\n    environment:\n"
	                      "      MAIL_PASSWD: hunter2\n"
	                      "      SESSION_KEY: abcdef\n"
	                      "      CACHE_KEY: users\n"
	                      "      SESSION_KEY_ID: k1\n";
	struct hull_findings f = {0};
	struct hull_err err = {0};
	TAP_OK(scan_data(cm, strlen(cm), "cm.yaml", HULL_CONFIG_K8S, HULL_PROFILE_ALL, NULL, &f,
	                 &err) == 0 &&
	           count_id(&f, "HULL-C083") == 4,
	       "ConfigMap: STRIPE_KEY, SSH_KEY_CONTENT, BEARER and a line with UPSTREAM_BEARER "
	       "(%zu) %s",
	       count_id(&f, "HULL-C083"), err.msg);
	hull_findings_release(&f);
	memset(&f, 0, sizeof(f));
	TAP_OK(scan_data(pod, strlen(pod), "pod.yaml", HULL_CONFIG_K8S, HULL_PROFILE_ALL, NULL, &f,
	                 &err) == 0 &&
	           count_id(&f, "HULL-C047") == 2,
	       "pod env: API_TOKEN and SIGNING_KEY, not KEY_FILE or a secretKeyRef (%zu) %s",
	       count_id(&f, "HULL-C047"), err.msg);
	hull_findings_release(&f);
	memset(&f, 0, sizeof(f));
	TAP_OK(scan_data(compose, strlen(compose), "c.yaml", HULL_CONFIG_COMPOSE, HULL_PROFILE_ALL,
	                 NULL, &f, &err) == 0 &&
	           count_id(&f, "HULL-C047") == 2,
	       "compose environment: MAIL_PASSWD and SESSION_KEY (%zu) %s",
	       count_id(&f, "HULL-C047"), err.msg);
	hull_findings_release(&f);
}

int main(void)
{
	name_table();
	through_rules();
	return tap_done();
}
