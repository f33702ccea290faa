/* rpmdb_sqlite: rpmdb.sqlite (rpm >= 4.16: Fedora, RHEL 9, UBI) read from
 * memory: table Packages(hnum INTEGER PRIMARY KEY, blob BLOB), one rpm
 * header blob per row.
 *
 * Why a VFS of our own rather than sqlite3_deserialize: rpm keeps the file
 * in WAL mode (header bytes 18/19 = 2), which the in-memory "memdb" VFS
 * refuses to open, and patching those bytes would need a copy of the whole
 * file. This read-only VFS serves pages straight from the caller's slice and
 * reports the file as a rollback-journal one; a -wal file, if the image has
 * one, is not read (rpm checkpoints it when it closes the database).
 *
 * Hostile files: the connection is read-only and immutable, with defensive
 * mode on, triggers and views off, an untrusted schema, a cap on value size
 * and on the number of VM steps (a crafted schema cannot make us spin). */
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkgdb/rpmdb_internal.h"

#define VFS_NAME "hull-rpmdb-mem"
/* VM instructions between progress callbacks, and callbacks allowed. */
#define PROGRESS_STEP 1000
#define PROGRESS_MAX  100000
/* Largest header blob: 8 + 16 * 65535 + 256 MiB. */
#define BLOB_MAX (8 + 16 * HULL_RPMHDR_MAX_TAGS + HULL_RPMHDR_MAX_DATA)

struct memfile {
	sqlite3_file base; /* must come first: sqlite casts */
	const unsigned char *p;
	sqlite3_int64 len;
};

static int mf_close(sqlite3_file *f)
{
	(void)f;
	return SQLITE_OK;
}

static int mf_read(sqlite3_file *f, void *buf, int amt, sqlite3_int64 off)
{
	const struct memfile *m = (const struct memfile *)f;
	if (amt < 0 || off < 0)
		return SQLITE_IOERR_READ;
	sqlite3_int64 n = off >= m->len ? 0 : m->len - off;
	if (n > amt)
		n = amt;
	if (n > 0)
		memcpy(buf, m->p + off, (size_t)n);
	/* Present a WAL-mode file as a rollback-journal one (bytes 18, 19). */
	for (sqlite3_int64 i = 18; i <= 19; i++)
		if (i >= off && i < off + n)
			((unsigned char *)buf)[i - off] = 1;
	if (n < amt) {
		/* sqlite requires the rest to be zeroed on a short read. */
		memset((unsigned char *)buf + n, 0, (size_t)(amt - n));
		return SQLITE_IOERR_SHORT_READ;
	}
	return SQLITE_OK;
}

static int mf_write(sqlite3_file *f, const void *buf, int amt, sqlite3_int64 off)
{
	(void)f, (void)buf, (void)amt, (void)off;
	return SQLITE_READONLY;
}

static int mf_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	(void)f, (void)size;
	return SQLITE_READONLY;
}

static int mf_sync(sqlite3_file *f, int flags)
{
	(void)f, (void)flags;
	return SQLITE_OK;
}

static int mf_size(sqlite3_file *f, sqlite3_int64 *size)
{
	*size = ((const struct memfile *)f)->len;
	return SQLITE_OK;
}

static int mf_lock(sqlite3_file *f, int level)
{
	(void)f, (void)level;
	return SQLITE_OK;
}

static int mf_reserved(sqlite3_file *f, int *out)
{
	(void)f;
	*out = 0;
	return SQLITE_OK;
}

static int mf_control(sqlite3_file *f, int op, void *arg)
{
	(void)f, (void)op, (void)arg;
	return SQLITE_NOTFOUND;
}

static int mf_sector(sqlite3_file *f)
{
	(void)f;
	return 4096;
}

static int mf_caps(sqlite3_file *f)
{
	(void)f;
	return SQLITE_IOCAP_IMMUTABLE;
}

static const sqlite3_io_methods mf_methods = {
    .iVersion = 1,
    .xClose = mf_close,
    .xRead = mf_read,
    .xWrite = mf_write,
    .xTruncate = mf_truncate,
    .xSync = mf_sync,
    .xFileSize = mf_size,
    .xLock = mf_lock,
    .xUnlock = mf_lock,
    .xCheckReservedLock = mf_reserved,
    .xFileControl = mf_control,
    .xSectorSize = mf_sector,
    .xDeviceCharacteristics = mf_caps,
};

/* The slice travels in the URI we build ourselves (never from the input). */
static int vfs_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *oflags)
{
	(void)vfs;
	struct memfile *m = (struct memfile *)f;
	m->base.pMethods = NULL;
	if (!name || !(flags & SQLITE_OPEN_MAIN_DB))
		return SQLITE_CANTOPEN;
	const char *ptr = sqlite3_uri_parameter(name, "ptr");
	m->p = ptr ? (const unsigned char *)(uintptr_t)strtoull(ptr, NULL, 16) : NULL;
	m->len = sqlite3_uri_int64(name, "len", -1);
	if (!m->p || m->len < 0)
		return SQLITE_CANTOPEN;
	m->base.pMethods = &mf_methods;
	if (oflags)
		*oflags = SQLITE_OPEN_READONLY;
	return SQLITE_OK;
}

static int vfs_delete(sqlite3_vfs *vfs, const char *name, int sync)
{
	(void)vfs, (void)name, (void)sync;
	return SQLITE_IOERR_DELETE;
}

/* No journal, WAL or anything else exists next to the file. */
static int vfs_access(sqlite3_vfs *vfs, const char *name, int flags, int *out)
{
	(void)vfs, (void)name, (void)flags;
	*out = 0;
	return SQLITE_OK;
}

static int vfs_fullpath(sqlite3_vfs *vfs, const char *name, int n, char *out)
{
	(void)vfs;
	if (snprintf(out, (size_t)n, "%s", name) >= n)
		return SQLITE_CANTOPEN;
	return SQLITE_OK;
}

static int vfs_random(sqlite3_vfs *vfs, int n, char *out)
{
	sqlite3_vfs *def = vfs->pAppData;
	return def->xRandomness(def, n, out);
}

static int vfs_sleep(sqlite3_vfs *vfs, int us)
{
	sqlite3_vfs *def = vfs->pAppData;
	return def->xSleep(def, us);
}

static int vfs_time(sqlite3_vfs *vfs, double *out)
{
	sqlite3_vfs *def = vfs->pAppData;
	return def->xCurrentTime(def, out);
}

static int vfs_lasterr(sqlite3_vfs *vfs, int n, char *out)
{
	(void)vfs, (void)n, (void)out;
	return 0;
}

static sqlite3_vfs mem_vfs = {
    .iVersion = 1,
    .szOsFile = sizeof(struct memfile),
    .mxPathname = 512,
    .zName = VFS_NAME,
    .xOpen = vfs_open,
    .xDelete = vfs_delete,
    .xAccess = vfs_access,
    .xFullPathname = vfs_fullpath,
    .xRandomness = vfs_random,
    .xSleep = vfs_sleep,
    .xCurrentTime = vfs_time,
    .xGetLastError = vfs_lasterr,
};

static pthread_once_t vfs_once = PTHREAD_ONCE_INIT;
static int vfs_rc = SQLITE_ERROR;

static void vfs_register(void)
{
	if (sqlite3_initialize() != SQLITE_OK)
		return;
	mem_vfs.pAppData = sqlite3_vfs_find(NULL);
	if (mem_vfs.pAppData)
		vfs_rc = sqlite3_vfs_register(&mem_vfs, 0);
}

static int progress(void *arg)
{
	int *calls = arg;
	return ++*calls > PROGRESS_MAX;
}

static int open_db(struct hull_str data, sqlite3 **out, int *calls, struct hull_err *err)
{
	pthread_once(&vfs_once, vfs_register);
	if (vfs_rc != SQLITE_OK)
		return hull_err_set(err, HULL_ERR_IO, "sqlite: cannot register the memory VFS");
	char uri[128];
	snprintf(uri, sizeof(uri), "file:rpmdb.sqlite?ptr=%llx&len=%llu&immutable=1",
	         (unsigned long long)(uintptr_t)data.ptr, (unsigned long long)data.len);
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, VFS_NAME);
	if (rc != SQLITE_OK) {
		hull_err_set(err, rc == SQLITE_NOMEM ? HULL_ERR_NOMEM : HULL_ERR_INPUT,
		             "sqlite: cannot open: %s",
		             db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
		sqlite3_close(db);
		return -1;
	}
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL);
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, BLOB_MAX);
	sqlite3_progress_handler(db, PROGRESS_STEP, progress, calls);
	*out = db;
	return 0;
}

static int sql_error(sqlite3 *db, int rc, const char *what, struct hull_err *err)
{
	enum hull_err_kind kind = HULL_ERR_INPUT;
	if (rc == SQLITE_NOMEM)
		kind = HULL_ERR_NOMEM;
	else if (rc == SQLITE_INTERRUPT || rc == SQLITE_TOOBIG)
		kind = HULL_ERR_LIMIT;
	return hull_err_set(err, kind, "sqlite: %s: %s", what, sqlite3_errmsg(db));
}

int hull_rpmdb_sqlite_walk(struct hull_str data, hull_rpmdb_blob_fn fn, void *ctx,
                           struct hull_err *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int calls = 0;
	if (open_db(data, &db, &calls, err) < 0)
		return -1;
	int rc =
	    sqlite3_prepare_v2(db, "SELECT hnum, blob FROM Packages ORDER BY hnum", -1, &st, NULL);
	int ret = 0;
	if (rc != SQLITE_OK)
		ret = sql_error(db, rc, "reading table Packages", err);
	while (ret == 0 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const void *blob = sqlite3_column_blob(st, 1);
		int n = sqlite3_column_bytes(st, 1);
		sqlite3_int64 hnum = sqlite3_column_int64(st, 0);
		ret =
		    fn(ctx, (uint64_t)hnum, hull_str(blob ? blob : "", blob ? (size_t)n : 0), err);
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = sql_error(db, rc, "reading table Packages", err);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return ret;
}
