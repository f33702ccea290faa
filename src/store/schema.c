/* schema: the versioned migrations of the results store and the code that
 * applies them (store.h). A migration is never edited once released: a
 * change is a new one appended to the list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

static const char *const migrations[HULL_STORE_SCHEMA] = {
    /* 1: runs and their findings */
    "CREATE TABLE runs("
    " id bigserial PRIMARY KEY,"
    " kind text NOT NULL,"
    " target text NOT NULL,"
    " node text NOT NULL,"
    " started timestamptz NOT NULL,"
    " finished timestamptz NOT NULL,"
    " hull_version text NOT NULL,"
    " db_build text,"
    " nfindings integer NOT NULL);"
    "CREATE INDEX runs_finished ON runs(finished);"
    "CREATE TABLE findings("
    " run_id bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " seq integer NOT NULL,"
    " kind text NOT NULL,"
    " id text NOT NULL,"
    " severity smallint NOT NULL,"
    " title text NOT NULL,"
    " message text, description text, remediation text, primary_url text,"
    " aliases text, refs text,"
    " file text, line integer, col integer, end_line integer, end_col integer,"
    " layer_digest text, layer_diff_id text, object text,"
    " pkg_name text, pkg_version text, pkg_type text, pkg_purl text, src_name text,"
    " fixed_version text, vuln_status smallint, cvss_score double precision,"
    " cvss_vector text, severity_source text,"
    " suppressed boolean NOT NULL, suppression text, suppress_kind smallint,"
    " vex_state smallint, vex_justification text,"
    " PRIMARY KEY(run_id, seq));"
    "CREATE INDEX findings_id ON findings(id);",

    /* 2: content-keyed images, inventories, layers and image results */
    "ALTER TABLE runs ADD COLUMN image_key text,"
    " ADD COLUMN findings_run bigint REFERENCES runs(id),"
    " ADD COLUMN reused text;"
    "CREATE TABLE images("
    " key text PRIMARY KEY,"
    " os_id text, os_version_id text, os_codename text, os_pretty_name text,"
    " os_id_like text, os_platform_id text, os_source_file text,"
    " npkgs integer NOT NULL,"
    " first_run bigint NOT NULL REFERENCES runs(id));"
    "CREATE TABLE image_refs("
    " image_key text NOT NULL REFERENCES images(key) ON DELETE CASCADE,"
    " name text NOT NULL,"
    " manifest_digest text,"
    " PRIMARY KEY(image_key, name));"
    "CREATE INDEX image_refs_manifest ON image_refs(manifest_digest);"
    "CREATE TABLE image_layers("
    " image_key text NOT NULL REFERENCES images(key) ON DELETE CASCADE,"
    " position integer NOT NULL,"
    " diff_id text NOT NULL,"
    " digest text,"
    " size bigint,"
    " PRIMARY KEY(image_key, position));"
    "CREATE TABLE packages("
    " image_key text NOT NULL REFERENCES images(key) ON DELETE CASCADE,"
    " seq integer NOT NULL,"
    " type smallint NOT NULL, name text NOT NULL, version text NOT NULL, arch text,"
    " src_name text, src_version text, license text, epoch bigint, rpm_version text,"
    " release text, modularity text, file text, layer integer NOT NULL,"
    " PRIMARY KEY(image_key, seq));"
    "CREATE TABLE image_results("
    " image_key text NOT NULL REFERENCES images(key) ON DELETE CASCADE,"
    " db_build text NOT NULL,"
    " run_id bigint NOT NULL REFERENCES runs(id),"
    " PRIMARY KEY(image_key, db_build));"
    "CREATE TABLE layers("
    " diff_id text NOT NULL,"
    " keep_version integer NOT NULL,"
    " log bytea NOT NULL,"
    " sha256 text NOT NULL,"
    " scans integer NOT NULL DEFAULT 1,"
    " node text,"
    " stored timestamptz NOT NULL DEFAULT now(),"
    " PRIMARY KEY(diff_id, keep_version));",

    /* 3: workloads and what the fleet queries need */
    "ALTER TABLE runs ADD COLUMN namespace text;"
    "CREATE INDEX runs_target ON runs(kind, target, node, finished);"
    "CREATE INDEX runs_namespace ON runs(namespace) WHERE namespace IS NOT NULL;"
    "CREATE INDEX findings_run_sev ON findings(run_id, severity);"
    "CREATE TABLE workloads("
    " namespace text NOT NULL,"
    " kind text NOT NULL,"
    " name text NOT NULL,"
    " container text NOT NULL,"
    " image text NOT NULL,"
    " image_digest text,"
    " node text,"
    " source text,"
    " seen timestamptz NOT NULL DEFAULT now(),"
    " PRIMARY KEY(namespace, kind, name, container));"
    "CREATE INDEX workloads_digest ON workloads(image_digest);"
    "CREATE INDEX workloads_image ON workloads(image);"
    /* the latest result of each image */
    "CREATE VIEW current_image_results AS"
    " SELECT DISTINCT ON (ir.image_key) ir.image_key, ir.db_build, ir.run_id, r.finished"
    " FROM image_results ir JOIN runs r ON r.id = ir.run_id"
    " ORDER BY ir.image_key, r.finished DESC, ir.run_id DESC;",

    /* 4: what the fleet queries read of an image result, narrow (a finding
     * row carries its texts): one row per finding and one per alias of it,
     * filled for the results already there */
    "CREATE TABLE image_findings("
    " run_id bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " seq integer NOT NULL,"
    " id text NOT NULL,"
    " alias boolean NOT NULL,"
    " kind text NOT NULL,"
    " severity smallint NOT NULL,"
    " cvss real,"
    " fixable boolean NOT NULL,"
    " suppressed boolean NOT NULL);"
    "INSERT INTO image_findings SELECT f.run_id, f.seq, f.id, false, f.kind, f.severity,"
    " f.cvss_score, f.fixed_version IS NOT NULL, f.suppressed FROM findings f"
    " WHERE f.run_id IN (SELECT run_id FROM image_results);"
    "INSERT INTO image_findings SELECT f.run_id, f.seq, a.v, true, f.kind, f.severity,"
    " f.cvss_score, f.fixed_version IS NOT NULL, f.suppressed FROM findings f"
    " CROSS JOIN LATERAL jsonb_array_elements_text(f.aliases::jsonb) a(v)"
    " WHERE f.aliases IS NOT NULL AND f.run_id IN (SELECT run_id FROM image_results);"
    "CREATE INDEX image_findings_id ON image_findings(id);"
    "CREATE INDEX image_findings_run ON image_findings(run_id);",

    /* 5: what the fleet queries aggregate, kept up to date as results are
     * written instead of recomputed by every query: the current result of
     * each image (a table, not a DISTINCT ON view), the vulnerabilities of
     * the current results counted per (id, severity, cvss, fixable), and
     * the unsuppressed findings of each result per severity. A trigger on
     * image_results keeps them, in the writer's transaction; the row lock
     * on current_images orders writers of the same image, and the counters
     * are updated in one sorted upsert so that writers never deadlock. */
    "CREATE TABLE current_images("
    " image_key text PRIMARY KEY REFERENCES images(key) ON DELETE CASCADE,"
    " db_build text,"
    " run_id bigint,"
    " finished timestamptz);"
    "INSERT INTO current_images SELECT image_key, db_build, run_id, finished"
    " FROM current_image_results;"
    "CREATE OR REPLACE VIEW current_image_results AS"
    " SELECT image_key, db_build, run_id, finished FROM current_images"
    " WHERE run_id IS NOT NULL;"
    "CREATE INDEX current_images_run ON current_images(run_id);"
    /* a vulnerability's results answered from the index alone */
    "DROP INDEX image_findings_id;"
    "CREATE INDEX image_findings_id ON image_findings(id, run_id, seq);"
    /* one row per vulnerability of a result: what a fleet query counts */
    "CREATE VIEW result_vulns AS"
    " SELECT run_id, id, max(severity) AS severity, coalesce(max(cvss), -1)::real AS cvss,"
    " bool_or(fixable) AS fixable FROM image_findings"
    " WHERE NOT alias AND kind = 'vulnerability' AND NOT suppressed GROUP BY run_id, id;"
    "CREATE TABLE fleet_vulns("
    " id text NOT NULL,"
    " severity smallint NOT NULL,"
    " cvss real NOT NULL," /* -1: none */
    " fixable boolean NOT NULL,"
    " images integer NOT NULL,"
    " PRIMARY KEY(id, severity, cvss, fixable));"
    "INSERT INTO fleet_vulns SELECT v.id, v.severity, v.cvss, v.fixable, count(*)"
    " FROM result_vulns v JOIN current_images c ON c.run_id = v.run_id"
    " GROUP BY 1, 2, 3, 4;"
    "CREATE INDEX fleet_vulns_rank ON fleet_vulns(severity DESC, cvss DESC) WHERE images > 0;"
    "CREATE TABLE result_counts("
    " run_id bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
    " severity smallint NOT NULL,"
    " n integer NOT NULL,"
    " PRIMARY KEY(run_id, severity));"
    "INSERT INTO result_counts SELECT run_id, severity, count(*) FROM image_findings"
    " WHERE NOT alias AND NOT suppressed AND run_id IN (SELECT run_id FROM image_results)"
    " GROUP BY 1, 2;"
    "CREATE FUNCTION hull_image_result_added() RETURNS trigger LANGUAGE plpgsql AS $f$"
    " DECLARE fin timestamptz; old_run bigint; old_fin timestamptz;"
    " BEGIN"
    "  INSERT INTO result_counts SELECT NEW.run_id, severity, count(*) FROM image_findings"
    "   WHERE run_id = NEW.run_id AND NOT alias AND NOT suppressed GROUP BY 2"
    "   ON CONFLICT DO NOTHING;"
    "  SELECT finished INTO fin FROM runs WHERE id = NEW.run_id;"
    /* the row exists before it is locked: a first result of an image
     * written by two writers at once waits here for the other */
    "  INSERT INTO current_images(image_key) VALUES (NEW.image_key) ON CONFLICT DO NOTHING;"
    "  SELECT run_id, finished INTO old_run, old_fin FROM current_images"
    "   WHERE image_key = NEW.image_key FOR UPDATE;"
    "  IF old_run IS NOT NULL AND (old_fin, old_run) > (fin, NEW.run_id) THEN RETURN NULL; END IF;"
    "  UPDATE current_images SET db_build = NEW.db_build, run_id = NEW.run_id, finished = fin"
    "   WHERE image_key = NEW.image_key;"
    "  INSERT INTO fleet_vulns(id, severity, cvss, fixable, images)"
    "   SELECT id, severity, cvss, fixable, sum(d) FROM"
    "   (SELECT id, severity, cvss, fixable, 1 AS d FROM result_vulns WHERE run_id = NEW.run_id"
    "    UNION ALL SELECT id, severity, cvss, fixable, -1 FROM result_vulns WHERE run_id = "
    "old_run) x"
    "   GROUP BY 1, 2, 3, 4 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4"
    "   ON CONFLICT (id, severity, cvss, fixable)"
    "   DO UPDATE SET images = fleet_vulns.images + excluded.images;"
    "  RETURN NULL;"
    " END $f$;"
    "CREATE TRIGGER image_results_current AFTER INSERT ON image_results"
    " FOR EACH ROW EXECUTE FUNCTION hull_image_result_added();"
    /* the image of each workload container: by the digest the kubelet
     * resolved, or by the reference as written (two joins, not one OR) */
    "CREATE VIEW workload_images AS"
    " SELECT w.namespace, w.kind, w.name, w.container, w.image, r.image_key FROM workloads w"
    " JOIN image_refs r ON r.manifest_digest = w.image_digest"
    " UNION SELECT w.namespace, w.kind, w.name, w.container, w.image, r.image_key"
    " FROM workloads w JOIN image_refs r ON r.name = w.image;",

    /* 6: the vulnerability ids of each image's current result, one row per
     * (id, image): fleet top counts the workloads of its candidates from
     * here by index instead of scanning every finding of every result. A
     * second trigger, fired after image_results_current (triggers fire in
     * name order) and under its row lock on current_images, replaces an
     * image's rows when its new result became the current one. */
    "CREATE TABLE current_vulns("
    " id text NOT NULL,"
    " image_key text NOT NULL REFERENCES images(key) ON DELETE CASCADE,"
    " PRIMARY KEY(id, image_key));"
    "CREATE INDEX current_vulns_image ON current_vulns(image_key);"
    "INSERT INTO current_vulns SELECT DISTINCT v.id, c.image_key FROM result_vulns v"
    " JOIN current_images c ON c.run_id = v.run_id;"
    "CREATE FUNCTION hull_current_vulns() RETURNS trigger LANGUAGE plpgsql AS $f$"
    " BEGIN"
    "  IF NOT EXISTS (SELECT 1 FROM current_images WHERE image_key = NEW.image_key"
    "   AND run_id = NEW.run_id) THEN RETURN NULL; END IF;"
    "  DELETE FROM current_vulns WHERE image_key = NEW.image_key;"
    "  INSERT INTO current_vulns SELECT DISTINCT id, NEW.image_key FROM result_vulns"
    "   WHERE run_id = NEW.run_id;"
    "  RETURN NULL;"
    " END $f$;"
    "CREATE TRIGGER image_results_current_vulns AFTER INSERT ON image_results"
    " FOR EACH ROW EXECUTE FUNCTION hull_current_vulns();",

    /* 7: fleet changes reads, for each target, the unsuppressed findings of
     * two runs: what it compares (id, severity, the package, object or file)
     * from an index alone, not from the wide finding rows (about 6 heap
     * pages per run of 78 findings): an index-only scan once vacuum has
     * marked the pages visible, as autovacuum does within a minute. */
    ("CREATE INDEX findings_changes ON findings(run_id)"
     " INCLUDE (id, severity, pkg_name, object, file) WHERE NOT suppressed;"),
};

/* Serialises migrators (and the creation of schema_version). */
#define MIGRATE_LOCK "7301935512"

static int current_version(struct hull_store *s, int *v, struct hull_err *err)
{
	PGresult *r = st_exec(s, "schema version",
	                      "SELECT coalesce(max(version), 0) FROM schema_version", 0, NULL, err);
	if (!r)
		return -1;
	*v = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

int st_check_version(struct hull_store *s, struct hull_err *err)
{
	int v;
	PGresult *r = PQexec(s->conn, "SELECT to_regclass('schema_version') IS NOT NULL");
	bool has = r && PQresultStatus(r) == PGRES_TUPLES_OK && PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	if (!has)
		return hull_err_set(err, HULL_ERR_INPUT,
		                    "store: the database has no hull schema: run 'hull store "
		                    "migrate --store URL' first");
	if (current_version(s, &v, err) < 0)
		return -1;
	if (v != HULL_STORE_SCHEMA)
		return hull_err_set(
		    err, HULL_ERR_INPUT, "store: schema version %d, this hull needs %d: %s", v,
		    HULL_STORE_SCHEMA,
		    v < HULL_STORE_SCHEMA ? "run 'hull store migrate'" : "upgrade hull");
	return 0;
}

struct one_migration {
	int version;
};

static int apply(struct hull_store *s, void *ctx, struct hull_err *err)
{
	const struct one_migration *m = ctx;
	char num[16];
	snprintf(num, sizeof(num), "%d", m->version);
	const char *vals[] = {num, HULL_VERSION};
	PGresult *r = PQexec(s->conn, migrations[m->version - 1]);
	if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) {
		const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
		snprintf(s->sqlstate, sizeof(s->sqlstate), "%s", st ? st : "");
		hull_err_set(err, HULL_ERR_IO, "store: migration %d: %s", m->version,
		             PQerrorMessage(s->conn));
		PQclear(r);
		return -1;
	}
	PQclear(r);
	return st_run(s, "schema version",
	              "INSERT INTO schema_version(version, hull_version) VALUES($1::int, $2)", 2,
	              vals, err);
}

int hull_store_migrate(const char *url, int to, int *from, int *now, struct hull_err *err)
{
	struct hull_store *s;
	if (to < 0 || to > HULL_STORE_SCHEMA)
		return hull_err_set(err, HULL_ERR_USAGE, "store: no schema version %d (1 to %d)",
		                    to, HULL_STORE_SCHEMA);
	if (to == 0)
		to = HULL_STORE_SCHEMA;
	if (st_connect(url, &s, err) < 0)
		return -1;
	int v = 0, rc = -1;
	if (st_run(s, "migrate lock", "SELECT pg_advisory_lock(" MIGRATE_LOCK ")", 0, NULL, err) <
	        0 ||
	    st_run(s, "schema version",
	           "CREATE TABLE IF NOT EXISTS schema_version(version integer PRIMARY KEY,"
	           " applied timestamptz NOT NULL DEFAULT now(), hull_version text NOT NULL)",
	           0, NULL, err) < 0 ||
	    current_version(s, &v, err) < 0)
		goto out;
	if (from)
		*from = v;
	if (v > HULL_STORE_SCHEMA) {
		hull_err_set(err, HULL_ERR_INPUT,
		             "store: schema version %d is newer than this hull knows (%d): upgrade "
		             "hull",
		             v, HULL_STORE_SCHEMA);
		goto out;
	}
	if (v > to) {
		hull_err_set(err, HULL_ERR_USAGE,
		             "store: schema version %d is past %d: migrations only go forward", v,
		             to);
		goto out;
	}
	for (int m = v + 1; m <= to; m++) {
		struct one_migration one = {m};
		if (st_transaction(s, "migrate", apply, &one, err) < 0)
			goto out;
		v = m;
	}
	rc = 0;
out:
	if (now)
		*now = v;
	hull_store_close(s); /* ends the session: the lock goes with it */
	return rc;
}
