# PostgreSQL for the feedback tests (sourced by scripts/test): Debian's server, a cluster of our own listening only
# on a Unix socket in $ASSISTANT_PG_DIR (default /tmp/assistant-pg), started when it is not running; exports
# ASSISTANT_TEST_POSTGRES_URL. Idempotent: a running cluster costs one `pg_ctl status`.

assistant_postgres() {
    local dir="${ASSISTANT_PG_DIR:-/tmp/assistant-pg}" sudo="" as=() bin
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
        echo "scripts/services/postgres.sh: installing postgresql (apt-get)" >&2
        $sudo apt-get update -qq
        $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    fi
    bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    # initdb refuses root: as root the cluster belongs to Debian's `postgres` user, otherwise to whoever runs this.
    if [ "$(id -u)" -eq 0 ]; then
        as=(runuser -u postgres --)
    fi
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres:postgres "$dir"
    fi
    chmod 700 "$dir"  # the socket lives here: only its owner (and root) can connect

    if [ ! -s "$dir/data/PG_VERSION" ]; then
        rm -rf "$dir/data"
        # the superuser is `postgres` whoever runs initdb; the C locale needs no generated locales
        (cd / && "${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --no-locale \
            --auth-local=trust --auth-host=reject >"$dir/initdb.log" 2>&1) \
            || { cat "$dir/initdb.log" >&2; return 1; }
        # No TCP at all; the socket in $dir. One role signs in with a password, so the tests can see a real
        # authentication failure; every other local connection is trusted (the folder is the access control).
        "${as[@]}" tee -a "$dir/data/postgresql.conf" >/dev/null <<EOF
listen_addresses = ''
unix_socket_directories = '$dir'
port = 5432
synchronous_commit = on
fsync = on
EOF
        "${as[@]}" tee "$dir/data/pg_hba.conf" >/dev/null <<'EOF'
local all assistant_password_test scram-sha-256
local all all trust
EOF
    fi
    # Ready already: nothing to do. Else start it; a server that was just killed may still hold its lock for a
    # moment (pg_ctl then fails), and one that is starting answers "rejecting": retry for up to 30 s.
    local tries=0
    until "$bin/pg_isready" -q -h "$dir"; do
        (cd / && "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null 2>&1) && break
        tries=$((tries + 1))
        if [ "$tries" -ge 30 ]; then
            echo "scripts/services/postgres.sh: PostgreSQL in $dir does not start; its log says:" >&2
            tail -n 20 "$dir/server.log" >&2
            return 1
        fi
        sleep 1
    done
    local psql=("$bin/psql" -h "$dir" -U postgres -X -q -v ON_ERROR_STOP=1)
    if [ "$("${psql[@]}" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'assistant_test'")" != 1 ]; then
        "${psql[@]}" -d postgres -c "CREATE DATABASE assistant_test"
    fi
    export ASSISTANT_TEST_POSTGRES_URL="postgresql://postgres@/assistant_test?host=$dir"
}

assistant_postgres
unset -f assistant_postgres
