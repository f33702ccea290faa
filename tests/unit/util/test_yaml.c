#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "tap.h"
#include "util/fs.h"
#include "util/json.h"
#include "util/yaml.h"

static struct hull_yaml *load(const char *text, struct hull_err *err)
{
	struct hull_yaml *y = NULL;
	hull_yaml_parse(text, strlen(text), "t.yaml", &y, err);
	return y;
}

static void test_scalars(void)
{
	struct hull_err err = {0};
	struct hull_yaml *y = load("n: ~\ne:\nb: true\nB: False\ny: yes\ni: -42\no: 0o17\nx: 0x1F\n"
	                           "d: 012\nf: 1.5e3\ninf: -.inf\ns: '22'\np: 22:22\nq: \"true\"\n"
	                           "t: !!str 12\nbig: 123456789012345678901234567890\n",
	                           &err);
	struct json_object *d = hull_yaml_doc(y, 0);
	struct json_object *v;
	TAP_OK(y && hull_yaml_ndocs(y) == 1, "scalars: parsed (%s)", err.msg);
	TAP_OK(json_object_object_get_ex(d, "n", &v) && v == NULL &&
	           json_object_object_get_ex(d, "e", &v) && !v,
	       "~ and empty are null");
	TAP_OK(json_object_get_boolean(json_object_object_get(d, "b")) &&
	           json_object_is_type(json_object_object_get(d, "B"), json_type_boolean),
	       "true/False are booleans");
	TAP_OK(json_object_is_type(json_object_object_get(d, "y"), json_type_string),
	       "yes is a string (YAML 1.2)");
	TAP_OK(json_object_get_int64(json_object_object_get(d, "i")) == -42 &&
	           json_object_get_int64(json_object_object_get(d, "o")) == 15 &&
	           json_object_get_int64(json_object_object_get(d, "x")) == 31 &&
	           json_object_get_int64(json_object_object_get(d, "d")) == 12,
	       "integers: decimal, 0o octal, 0x hex, 012 is twelve");
	TAP_OK(json_object_get_double(json_object_object_get(d, "f")) == 1500.0 &&
	           json_object_get_double(json_object_object_get(d, "inf")) < -1e308,
	       "floats and .inf");
	TAP_OK(!strcmp(hull_json_get_str(d, "s"), "22") &&
	           !strcmp(hull_json_get_str(d, "p"), "22:22") &&
	           !strcmp(hull_json_get_str(d, "q"), "true") &&
	           !strcmp(hull_json_get_str(d, "t"), "12") && hull_json_get_str(d, "big"),
	       "quoted, 22:22, !!str and huge numbers stay strings");
	hull_yaml_free(y);
}

static void test_positions(void)
{
	struct hull_err err = {0};
	struct hull_yaml *y =
	    load("kind: Pod\nspec:\n  containers:\n    - name: app\n      image: nginx\n", &err);
	struct json_object *d = hull_yaml_doc(y, 0);
	struct json_object *c = json_object_array_get_idx(
	    hull_json_get_arr(hull_json_get_obj(d, "spec"), "containers"), 0);
	unsigned line = 0, col = 0;
	bool found = hull_yaml_pos(y, json_object_object_get(c, "image"), &line, &col);
	TAP_OK(found && line == 5 && col == 14, "value position (%u:%u)", line, col);
	found = hull_yaml_key_pos(y, c, "image", &line, &col);
	TAP_OK(found && line == 5 && col == 7, "key position (%u:%u)", line, col);
	found = hull_yaml_pos(y, c, &line, &col);
	TAP_OK(found && line == 4 && col == 7, "mapping position (%u:%u)", line, col);
	hull_yaml_free(y);
}

static void test_anchors_merges(void)
{
	struct hull_err err = {0};
	struct hull_yaml *y =
	    load("x-common: &common\n  image: app:1\n  environment: &env\n    A: 1\n"
	         "services:\n  web:\n    <<: *common\n    image: app:2\n"
	         "  worker:\n    <<: [*common, {user: root}]\n    environment:\n      <<: *env\n   "
	         "   B: 2\n",
	         &err);
	struct json_object *s = hull_json_get_obj(hull_yaml_doc(y, 0), "services");
	struct json_object *web = hull_json_get_obj(s, "web"),
	                   *worker = hull_json_get_obj(s, "worker");
	TAP_OK(y && !strcmp(hull_json_get_str(web, "image"), "app:2"),
	       "merge: explicit key wins (%s)", err.msg);
	TAP_OK(hull_json_get_obj(web, "environment") &&
	           !strcmp(hull_json_get_str(worker, "user"), "root") &&
	           !strcmp(hull_json_get_str(worker, "image"), "app:1"),
	       "merge: a list of mappings");
	struct json_object *env = hull_json_get_obj(worker, "environment");
	int64_t a = 0, b = 0;
	TAP_OK(hull_json_get_int(env, "A", &a) && a == 1 && hull_json_get_int(env, "B", &b) &&
	           b == 2,
	       "merge inside a nested mapping");
	TAP_OK(!json_object_object_get_ex(web, "<<", NULL), "'<<' itself is not a key");
	hull_yaml_free(y);
}

static void test_errors(void)
{
	struct hull_err err = {0};
	TAP_OK(!load("a: 1\nb: 2\na: 3\n", &err) && strstr(err.msg, "line 3") &&
	           strstr(err.msg, "duplicate key 'a' (first at line 1)"),
	       "duplicate key (%s)", err.msg);
	TAP_OK(!load("a: [1, 2\nb: 3\n", &err) && strstr(err.msg, "t.yaml: line "),
	       "syntax error names file and line (%s)", err.msg);
	TAP_OK(!load("a: *nope\n", &err) && strstr(err.msg, "unknown anchor"), "unknown alias (%s)",
	       err.msg);
	TAP_OK(!load("? [a, b]\n: c\n", &err) && strstr(err.msg, "collection"), "complex key (%s)",
	       err.msg);
	TAP_OK(!load("<<: 3\n", &err) && strstr(err.msg, "'<<'"), "bad merge value (%s)", err.msg);
}

static void test_hostile(void)
{
	struct hull_err err = {0};
	/* billion laughs: 9 levels of 10 aliases */
	const char *bomb =
	    "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
	    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
	    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
	    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";
	clock_t t0 = clock();
	TAP_OK(!load(bomb, &err) && err.kind == HULL_ERR_LIMIT && strstr(err.msg, "alias"),
	       "alias bomb refused (%s)", err.msg);
	TAP_OK(clock() - t0 < CLOCKS_PER_SEC, "alias bomb refused quickly");
	size_t n = 10000;
	char *deep = malloc(2 * n + 1);
	memset(deep, '[', n);
	memset(deep + n, ']', n);
	deep[2 * n] = '\0';
	TAP_OK(!load(deep, &err) && err.kind == HULL_ERR_LIMIT && strstr(err.msg, "deeper"),
	       "10,000-deep nesting refused (%s)", err.msg);
	free(deep);
	/* 200,000 one-key mappings: 2.6 MB of JSON that json-c would hold in
	 * over 200 MiB; refused by the memory estimate, naming the place */
	size_t maps = 200000, cap = 16 + maps * 13;
	char *flat = malloc(cap), *p = flat;
	p += sprintf(p, "[");
	for (size_t i = 0; i < maps; i++)
		p += sprintf(p, "%s{\"a\":1}", i ? "," : "");
	sprintf(p, "]");
	TAP_OK(!load(flat, &err) && err.kind == HULL_ERR_LIMIT &&
	           strstr(err.msg, "128 MiB once loaded") && strstr(err.msg, "line 1, column"),
	       "200,000 mappings refused by the memory budget (%s)", err.msg);
	/* 50,000 of them load */
	sprintf(flat + 1 + 7 + 49999 * 8, "]");
	struct hull_yaml *y = load(flat, &err);
	TAP_OK(y && json_object_array_length(hull_yaml_doc(y, 0)) == 50000,
	       "50,000 mappings load (%s)", y ? "" : err.msg);
	hull_yaml_free(y);
	free(flat);
}

static void test_docs(void)
{
	struct hull_err err = {0};
	struct hull_yaml *y = load("---\na: 1\n---\n---\n- x\n...\n", &err);
	TAP_OK(y && hull_yaml_ndocs(y) == 3 && hull_yaml_doc(y, 1) == NULL &&
	           json_object_is_type(hull_yaml_doc(y, 2), json_type_array),
	       "multi-document stream with an empty document");
	hull_yaml_free(y);
	y = load("{\"apiVersion\": \"v1\", \"items\": [1, 2.5, null, true]}", &err);
	TAP_OK(y && json_object_array_length(hull_json_get_arr(hull_yaml_doc(y, 0), "items")) == 4,
	       "JSON is YAML");
	hull_yaml_free(y);
	y = load("", &err);
	TAP_OK(y && hull_yaml_ndocs(y) == 0, "empty stream");
	hull_yaml_free(y);
}

/* Every real YAML file of the shared data parses. */
static int walk(const char *dir, int *ok, int *bad)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		size_t nl = strlen(e->d_name);
		if (e->d_type == DT_DIR) {
			walk(path, ok, bad);
		} else if ((nl > 5 && !strcmp(e->d_name + nl - 5, ".yaml")) ||
		           (nl > 4 && !strcmp(e->d_name + nl - 4, ".yml"))) {
			char *data;
			size_t len;
			struct hull_err err = {0};
			struct hull_yaml *y = NULL;
			if (hull_fs_read_file(path, 16 << 20, &data, &len, &err) == 0 &&
			    hull_yaml_parse(data, len, path, &y, &err) == 0) {
				(*ok)++;
			} else {
				(*bad)++;
				printf("# %s\n", err.msg);
			}
			hull_yaml_free(y);
			free(data);
		}
	}
	closedir(d);
	return 0;
}

static void test_real(void)
{
	const char *root = tap_shared("");
	if (!root) {
		return;
	}
	char base[4096];
	snprintf(base, sizeof(base), "%s", root);
	int ok = 0, bad = 0;
	walk(base, &ok, &bad);
	TAP_OK(ok > 2500 && bad == 0,
	       "every YAML file of the shared data parses (%d ok, %d failed)", ok, bad);
}

int main(void)
{
	test_scalars();
	test_positions();
	test_anchors_merges();
	test_errors();
	test_hostile();
	test_docs();
	test_real();
	return tap_done();
}
