/* WWW-Authenticate challenges (a table) and Docker config credentials:
 * auths (base64 and plain), identity tokens, credHelpers / credsStore
 * through a docker-credential-* script made here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "registry/registry.h"
#include "tap.h"

static const struct {
	const char *header;
	int rc;
	const char *scheme, *realm, *service, *scope, *error;
} challenges[] = {
    {"Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
     "scope=\"repository:library/debian:pull\"",
     0, "bearer", "https://auth.docker.io/token", "registry.docker.io",
     "repository:library/debian:pull", ""},
    {"Basic realm=\"Registry Realm\"", 0, "basic", "Registry Realm", "", "", ""},
    {"  bearer  realm = \"r\" , service=s,,scope=\"a,b:c\"", 0, "bearer", "r", "s", "a,b:c", ""},
    {"Bearer realm=\"r\",error=\"insufficient_scope\"", 0, "bearer", "r", "", "",
     "insufficient_scope"},
    {"Bearer realm=\"a\\\"b\\\\c\"", 0, "bearer", "a\"b\\c", "", "", ""},
    {"Negotiate", 0, "", "", "", "", ""},
    {"BEARER REALM=\"x\"", 0, "bearer", "x", "", "", ""},
    {"Bearer realm=\"x\", unknown=\"y\"", 0, "bearer", "x", "", "", ""},
    {"", -1, NULL, NULL, NULL, NULL, NULL},
    {"Bearer realm=\"unterminated", -1, NULL, NULL, NULL, NULL, NULL},
    {"Bearer realm=\"x\\", -1, NULL, NULL, NULL, NULL, NULL},
    {"Bearer realm", -1, NULL, NULL, NULL, NULL, NULL},
    {"Bearer =x", -1, NULL, NULL, NULL, NULL, NULL},
    {"Bearer realm=\"x\" service=\"y\"", -1, NULL, NULL, NULL, NULL, NULL},
    {"Bearer a=1,b=2,c=3,d=4,e=5,f=6,g=7,h=8,i=9,j=10,k=11,l=12,m=13,n=14,o=15,p=16,q=17", -1, NULL,
     NULL, NULL, NULL, NULL},
};

static void test_challenges(void)
{
	for (size_t i = 0; i < sizeof(challenges) / sizeof(challenges[0]); i++) {
		struct hull_auth_challenge c;
		struct hull_err err = {0};
		int rc =
		    hull_auth_parse(challenges[i].header, strlen(challenges[i].header), &c, &err);
		if (challenges[i].rc < 0) {
			TAP_OK(rc < 0 && err.msg[0], "'%s' refused (%s)", challenges[i].header,
			       err.msg);
			continue;
		}
		TAP_OK(rc == 0 && !strcmp(c.scheme, challenges[i].scheme) &&
		           !strcmp(c.realm, challenges[i].realm) &&
		           !strcmp(c.service, challenges[i].service) &&
		           !strcmp(c.scope, challenges[i].scope) &&
		           !strcmp(c.error, challenges[i].error),
		       "'%s' -> scheme '%s' realm '%s' service '%s' scope '%s' error '%s' (%s)",
		       challenges[i].header, c.scheme, c.realm, c.service, c.scope, c.error,
		       err.msg);
	}
	/* a value longer than its field is truncated, never overflowed */
	char big[5000];
	memcpy(big, "Bearer realm=\"", 14);
	memset(big + 14, 'a', 4000);
	memcpy(big + 4014, "\"", 2);
	struct hull_auth_challenge c;
	TAP_OK(hull_auth_parse(big, strlen(big), &c, NULL) == 0 &&
	           strlen(c.realm) == sizeof(c.realm) - 1,
	       "a long realm is truncated to %zu bytes", sizeof(c.realm) - 1);
}

static void creds(const char *cfg, const char *host, int want_rc, const char *want_user,
                  const char *want_pass)
{
	char *u = NULL, *p = NULL;
	struct hull_err err = {0};
	int rc = hull_registry_config_creds(cfg, strlen(cfg), host, &u, &p, &err);
	TAP_OK(rc == want_rc && (!want_user || (u && !strcmp(u, want_user))) &&
	           (!want_pass || (p && !strcmp(p, want_pass))),
	       "%s in %.60s: rc %d user '%s' (%s)", host, cfg, rc, u ? u : "", err.msg);
	free(u);
	free(p);
}

static void test_config(void)
{
	/* "aGVsbG86d29ybGQ=" is base64 of "hello:world" */
	creds("{\"auths\":{\"r.io:5000\":{\"auth\":\"aGVsbG86d29ybGQ=\"}}}", "r.io:5000", 1,
	      "hello", "world");
	creds("{\"auths\":{\"https://r.io\":{\"auth\":\"aGVsbG86d29ybGQ\"}}}", "r.io", 1, "hello",
	      "world");
	creds("{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"aGVsbG86d29ybGQ=\"}}}",
	      "docker.io", 1, "hello", "world");
	creds("{\"auths\":{\"r.io\":{\"username\":\"u\",\"password\":\"p\"}}}", "r.io", 1, "u",
	      "p");
	creds("{\"auths\":{\"r.io\":{\"identitytoken\":\"tok\"}}}", "r.io", 1, "", "tok");
	creds("{\"auths\":{\"other.io\":{\"auth\":\"aGVsbG86d29ybGQ=\"}}}", "r.io", 0, NULL, NULL);
	creds("{\"auths\":{\"r.io\":{\"auth\":\"!!!\"}}}", "r.io", -1, NULL, NULL);
	creds("{\"auths\":{\"r.io\":{\"auth\":\"bm9jb2xvbg==\"}}}", "r.io", -1, NULL, NULL);
	creds("not json", "r.io", -1, NULL, NULL);
	creds("{\"credHelpers\":{\"r.io\":\"../evil\"}}", "r.io", -1, NULL, NULL);

	/* helpers: docker-credential-hullunit answers for r.io only */
	char dir[] = "/tmp/hull-cred-XXXXXX";
	if (!TAP_OK(mkdtemp(dir) != NULL, "temp dir"))
		return;
	char path[256], newpath[4096];
	snprintf(path, sizeof(path), "%s/docker-credential-hullunit", dir);
	FILE *f = fopen(path, "w");
	fputs(
	    "#!/bin/sh\nread s\n[ \"$1\" = get ] || exit 3\n"
	    "case \"$s\" in r.io) printf '{\"Username\":\"hu\",\"Secret\":\"hs\"}';;\n"
	    "https://index.docker.io/v1/) printf '{\"Username\":\"<token>\",\"Secret\":\"id\"}';;\n"
	    "*) echo 'credentials not found in native keychain'; exit 1;; esac\n",
	    f);
	fclose(f);
	chmod(path, 0755);
	const char *old = getenv("PATH");
	snprintf(newpath, sizeof(newpath), "%s:%s", dir, old ? old : "/usr/bin:/bin");
	setenv("PATH", newpath, 1);
	creds("{\"credHelpers\":{\"r.io\":\"hullunit\"}}", "r.io", 1, "hu", "hs");
	creds("{\"credsStore\":\"hullunit\"}", "r.io", 1, "hu", "hs");
	creds("{\"credsStore\":\"hullunit\"}", "docker.io", 1, "", "id");
	creds("{\"credsStore\":\"hullunit\"}", "s.io", 0, NULL, NULL);
	creds("{\"credsStore\":\"missing-helper\"}", "s.io", -1, NULL, NULL);
	setenv("PATH", old ? old : "/usr/bin:/bin", 1);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	test_challenges();
	test_config();
	return tap_done();
}
