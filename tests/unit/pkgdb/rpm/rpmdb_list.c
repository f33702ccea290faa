/* rpmdb_list: prints the packages hull reads from an rpm database file, one
 * a line, in the shape of
 *   rpm -qa --qf '%{NAME} %{EPOCHNUM}:%{VERSION}-%{RELEASE} %{ARCH}\n'
 * so that the test scripts can compare the two. With -l, adds the source
 * name, source version, license, epoch and modularity label as hull holds
 * them (tab-separated). With -f, prints instead every file of every
 * package as hull_rpmdb_each_file gives it, one path a line, as
 *   rpm -qal
 * does.
 * Usage: rpmdb_list [-l|-f] FILE. Exit 0, or 2 with the error on stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgdb/parsers.h"
#include "pkgdb/rpmdb_internal.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap);
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *p = realloc(buf, cap *= 2);
			if (!p)
				free(buf);
			buf = p;
		}
	}
	fclose(f);
	*len = n;
	return buf;
}

static int print_file(void *ctx, struct hull_str dir, struct hull_str base, struct hull_err *err)
{
	(void)ctx;
	(void)err;
	printf("%.*s%.*s\n", (int)dir.len, dir.ptr, (int)base.len, base.ptr);
	return 0;
}

static const char *or_none(const char *s)
{
	return s ? s : "(none)";
}

int main(int argc, char **argv)
{
	int lng = argc == 3 && strcmp(argv[1], "-l") == 0;
	int files = argc == 3 && strcmp(argv[1], "-f") == 0;
	if (argc != 2 + lng + files) {
		fprintf(stderr, "usage: rpmdb_list [-l|-f] FILE\n");
		return 2;
	}
	const char *path = argv[argc - 1];
	size_t len = 0;
	char *data = slurp(path, &len);
	if (!data) {
		perror(path);
		return 2;
	}
	struct hull_inventory inv = {0};
	struct hull_err err = {0};
	int rc = files ? hull_rpmdb_each_file(hull_str(data, len), path, print_file, NULL, &err)
	               : hull_rpmdb_parse(hull_str(data, len), path, 0, &inv, &err);
	for (size_t i = 0; i < inv.npkgs; i++) {
		const struct hull_pkg *p = &inv.pkgs[i];
		printf("%s %ld:%s-%s %s", p->name, p->epoch < 0 ? 0 : p->epoch, p->rpm_version,
		       p->release, or_none(p->arch));
		if (lng)
			printf("\t%s\t%s\t%s\t%s\t%ld\t%s", p->version, or_none(p->src_name),
			       or_none(p->src_version), or_none(p->license), p->epoch,
			       or_none(p->modularity));
		printf("\n");
	}
	if (rc < 0)
		fprintf(stderr, "rpmdb_list: %s\n", err.msg);
	hull_inventory_release(&inv);
	free(data);
	return rc < 0 ? 2 : 0;
}
