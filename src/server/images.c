/* The report index behind the image check (see images.h). */
#include "server/images.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/digest.h"
#include "util/fs.h"
#include "util/json.h"

struct entry {
	char *file;
	off_t size;
	struct timespec mtime;
	bool ok;                             /* parsed, with a digest */
	char error[256];                     /* why the file was refused, or "" */
	char digest[HULL_IMAGES_DIGEST_MAX]; /* longer ones are skipped */
	struct hull_image_result r;
	bool seen; /* during a refresh */
};

struct hull_images {
	char *dir;
	pthread_mutex_t mu;
	struct entry *v;
	size_t n, cap;
	time_t refreshed; /* CLOCK_MONOTONIC seconds, 0: never */
};

int hull_images_open(const char *dir, struct hull_images **out, struct hull_err *err)
{
	struct stat st;
	if (stat(dir, &st) < 0)
		return hull_err_errno(err, errno, "image reports: %s", dir);
	if (!S_ISDIR(st.st_mode))
		return hull_err_set(err, HULL_ERR_USAGE, "image reports: %s: not a directory", dir);
	struct hull_images *im = calloc(1, sizeof(*im));
	if (!im || !(im->dir = strdup(dir))) {
		free(im);
		return hull_err_nomem(err);
	}
	pthread_mutex_init(&im->mu, NULL);
	*out = im;
	return 0;
}

void hull_images_free(struct hull_images *im)
{
	if (!im)
		return;
	for (size_t i = 0; i < im->n; i++)
		free(im->v[i].file);
	free(im->v);
	pthread_mutex_destroy(&im->mu);
	free(im->dir);
	free(im);
}

int hull_images_parse_report(const char *data, size_t len, const char *name,
                             char digest[HULL_IMAGES_DIGEST_MAX], struct hull_image_result *out,
                             struct hull_err *err)
{
	struct json_object *doc = NULL;
	int rc = 0;
	digest[0] = '\0';
	memset(out, 0, sizeof(*out));
	if (hull_json_parse(data, len, name, &doc, err) < 0)
		return -1;
	const char *type = hull_json_get_str(doc, "documentType");
	if (!type || strcmp(type, "findings"))
		goto out; /* not a findings report: not for the image check */
	struct json_object *target = hull_json_get_obj(doc, "target");
	const char *dg = hull_json_get_str(target, "digest");
	const char *created = hull_json_get_str(doc, "createdAt");
	struct json_object *sev =
	    hull_json_get_obj(hull_json_get_obj(doc, "summary"), "bySeverity");
	char hex[65];
	struct hull_err derr = {0};
	if (!dg) {
		rc = hull_err_set(err, HULL_ERR_INPUT,
		                  "%s: target.digest: missing (a report of an image without a "
		                  "manifest digest cannot be matched)",
		                  name);
		goto out;
	}
	if (!*dg) {
		rc = hull_err_set(err, HULL_ERR_INPUT, "%s: target.digest: empty", name);
		goto out;
	}
	if (hull_digest_parse(dg, hex, &derr) < 0) {
		rc = hull_err_set(err, HULL_ERR_INPUT, "%s: target.digest: %s", name, derr.msg);
		goto out;
	}
	if (!sev) {
		rc = hull_err_set(err, HULL_ERR_INPUT, "%s: summary.bySeverity: missing", name);
		goto out;
	}
	snprintf(digest, HULL_IMAGES_DIGEST_MAX, "%s", dg);
	snprintf(out->created, sizeof(out->created), "%s", created ? created : "");
	for (int s = 0; s < HULL_SEV_COUNT; s++) {
		int64_t v = 0;
		if (hull_json_get_int(sev, hull_severity_name((enum hull_severity)s), &v) && v > 0)
			out->by_severity[s] = v > 1000000000 ? 1000000000u : (unsigned)v;
	}
	rc = 1;
out:
	json_object_put(doc);
	return rc;
}

static void parse_report(struct entry *e, const char *data, size_t len)
{
	struct hull_err err = {0};
	int rc = hull_images_parse_report(data, len, e->file, e->digest, &e->r, &err);
	e->ok = rc == 1;
	if (rc < 0)
		snprintf(e->error, sizeof(e->error), "%.255s", err.msg);
}

static void read_entry(struct hull_images *im, struct entry *e, int dfd)
{
	e->ok = false;
	e->error[0] = '\0';
	if (e->size <= 0 || (size_t)e->size > HULL_IMAGES_MAX_BYTES) {
		snprintf(e->error, sizeof(e->error), "%s: %s", e->file,
		         e->size <= 0 ? "empty file" : "larger than 64 MiB");
		return;
	}
	int fd = openat(dfd, e->file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		snprintf(e->error, sizeof(e->error), "%s: %s", e->file, strerror(errno));
		return;
	}
	size_t len = (size_t)e->size;
	char *data = malloc(len);
	size_t got = 0;
	while (data && got < len) {
		ssize_t r = read(fd, data + got, len - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (data && got == len)
		parse_report(e, data, len);
	else
		snprintf(e->error, sizeof(e->error), "%s: %s", e->file,
		         data ? "read short (file changed while read)" : "out of memory");
	free(data);
	(void)im;
}

static struct entry *find_file(struct hull_images *im, const char *name)
{
	for (size_t i = 0; i < im->n; i++)
		if (!strcmp(im->v[i].file, name))
			return &im->v[i];
	return NULL;
}

static bool is_report_name(const char *n)
{
	size_t l = strlen(n);
	return n[0] != '.' && l > 5 && !strcmp(n + l - 5, ".json");
}

static void refresh(struct hull_images *im)
{
	int dfd = open(im->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return; /* keep what we had: a missing directory is an operator's slip */
	}
	for (size_t i = 0; i < im->n; i++)
		im->v[i].seen = false;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (!is_report_name(de->d_name))
			continue;
		struct stat st;
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		struct entry *e = find_file(im, de->d_name);
		if (!e) {
			if (im->n >= HULL_IMAGES_MAX_FILES)
				continue;
			if (im->n == im->cap) {
				size_t cap = im->cap ? im->cap * 2 : 16;
				struct entry *v = realloc(im->v, cap * sizeof(*v));
				if (!v)
					continue;
				im->v = v;
				im->cap = cap;
			}
			e = &im->v[im->n];
			memset(e, 0, sizeof(*e));
			if (!(e->file = strdup(de->d_name)))
				continue;
			im->n++;
			e->size = -1;
		}
		e->seen = true;
		if (e->size != st.st_size || e->mtime.tv_sec != st.st_mtim.tv_sec ||
		    e->mtime.tv_nsec != st.st_mtim.tv_nsec) {
			e->size = st.st_size;
			e->mtime = st.st_mtim;
			read_entry(im, e, dfd);
		}
	}
	closedir(d);
	/* forget removed files */
	size_t k = 0;
	for (size_t i = 0; i < im->n; i++) {
		if (im->v[i].seen)
			im->v[k++] = im->v[i];
		else
			free(im->v[i].file);
	}
	im->n = k;
}

static void maybe_refresh(struct hull_images *im)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (im->refreshed && now.tv_sec - im->refreshed < HULL_IMAGES_REFRESH_S)
		return;
	refresh(im);
	im->refreshed = now.tv_sec ? now.tv_sec : 1;
}

int hull_images_lookup(struct hull_images *im, const char *digest, struct hull_image_result *out)
{
	int found = 0;
	pthread_mutex_lock(&im->mu);
	maybe_refresh(im);
	for (size_t i = 0; i < im->n; i++) {
		const struct entry *e = &im->v[i];
		if (!e->ok || strcmp(e->digest, digest))
			continue;
		if (!found || strcmp(e->r.created, out->created) > 0)
			*out = e->r;
		found = 1;
	}
	pthread_mutex_unlock(&im->mu);
	return found;
}

void hull_images_stats(struct hull_images *im, size_t *indexed, size_t *skipped)
{
	size_t ok = 0;
	pthread_mutex_lock(&im->mu);
	maybe_refresh(im);
	for (size_t i = 0; i < im->n; i++)
		ok += im->v[i].ok;
	*indexed = ok;
	*skipped = im->n - ok;
	pthread_mutex_unlock(&im->mu);
}

size_t hull_images_errors(struct hull_images *im, struct hull_buf *out)
{
	size_t n = 0;
	pthread_mutex_lock(&im->mu);
	maybe_refresh(im);
	for (size_t i = 0; i < im->n; i++) {
		const struct entry *e = &im->v[i];
		if (e->ok || !e->error[0])
			continue;
		if (n < 10)
			hull_buf_printf(out, NULL, "%s%s", n ? "; " : "", e->error);
		n++;
	}
	if (n > 10)
		hull_buf_printf(out, NULL, "; and %zu more", n - 10);
	pthread_mutex_unlock(&im->mu);
	return n;
}
