#!/bin/sh
# First start of the PostgreSQL container (docker-entrypoint-initdb.d): the application's
# own role, which owns only its schema. The app and the migrate step connect as it, never
# as the superuser: it cannot create roles or databases, read other schemas or touch
# the server's settings. Set LABORCASE_DB_PASSWORD (URL-safe: it goes into DATABASE_URL).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v app_password="$LABORCASE_DB_PASSWORD" -v dbname="$POSTGRES_DB" <<'SQL'
CREATE ROLE laborcase LOGIN PASSWORD :'app_password'
    NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
REVOKE ALL ON DATABASE :"dbname" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"dbname" TO laborcase;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
CREATE SCHEMA laborcase AUTHORIZATION laborcase;
ALTER ROLE laborcase IN DATABASE :"dbname" SET search_path = laborcase;
SQL
