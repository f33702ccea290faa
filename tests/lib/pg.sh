# pg.sh: a throwaway PostgreSQL cluster for a test (source it).
#
#   pg_start DIR   initdb in DIR/pg (Debian's postgresql, installed by
#                  scripts/install-deps.sh), a private random port, the
#                  unix socket in DIR/pg (no TCP listener); sets PG_URL
#                  (a libpq URI for the database "hull") and PG_SOCK, PG_PORT.
#                  Run as root (CI), the server runs as "nobody" (PostgreSQL
#                  refuses root): DIR/pg is given to it.
#   pg_stop        stops it (immediate); registered on EXIT by pg_start: a
#                  caller with an EXIT trap of its own sets it after pg_start
#                  and calls pg_stop from it.
#   pg_psql ARGS   psql on the cluster (-X -q -At, ON_ERROR_STOP).
#
# Needs skip.sh sourced first: a missing postgresql is skip_missing.
PG_BIN=""
for v in 17 16 15 14 13; do
	[[ -x /usr/lib/postgresql/$v/bin/initdb ]] && { PG_BIN=/usr/lib/postgresql/$v/bin; break; }
done

_pg_as() {
	if [[ $(id -u) -eq 0 ]]; then runuser -u nobody -- "$@"; else "$@"; fi
}

pg_start() {
	local dir=$1
	[[ -n $PG_BIN ]] || skip_missing "postgresql (initdb) not installed: scripts/install-deps.sh"
	command -v psql >/dev/null || skip_missing "psql not installed: scripts/install-deps.sh"
	PG_DIR=$dir/pg
	mkdir -p "$PG_DIR"
	if [[ $(id -u) -eq 0 ]]; then
		chown nobody "$PG_DIR"
		# nobody must reach the directory through its parents
		local p=$dir
		while [[ $p != / ]]; do
			[[ -x $p ]] || break
			chmod o+x "$p" 2>/dev/null || true
			p=$(dirname "$p")
		done
	fi
	_pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U hull --no-sync -E UTF8 \
		--locale=C >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; return 1; }
	local try
	for try in 1 2 3 4 5; do
		PG_PORT=$((20000 + RANDOM % 40000))
		if _pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
			-o "-p $PG_PORT -k $PG_DIR -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
			start >/dev/null 2>&1; then
			break
		fi
		PG_PORT=""
	done
	[[ -n $PG_PORT ]] || { cat "$PG_DIR/server.log" >&2; return 1; }
	trap pg_stop EXIT
	PG_SOCK=$PG_DIR
	"$PG_BIN/createdb" -h "$PG_SOCK" -p "$PG_PORT" -U hull hull || return 1
	PG_URL="postgresql://hull@/hull?host=$PG_SOCK&port=$PG_PORT"
	export PG_URL PG_SOCK PG_PORT
}

pg_stop() {
	[[ -n ${PG_DIR:-} && -d $PG_DIR/data ]] || return 0
	_pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
}

pg_psql() {
	psql -X -q -At -v ON_ERROR_STOP=1 -h "$PG_SOCK" -p "$PG_PORT" -U hull -d hull "$@"
}
