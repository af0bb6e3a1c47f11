package store

import (
	"errors"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
)

// guardCode is the SQLSTATE with which a script's guard (lockOrFail) fails the script: a code of
// Gorgon's own (class "GR" is not one of PostgreSQL's), so that no other error is taken for it.
const guardCode = "GRGN1"

// guardTag quotes a guard's PL/pgSQL body. A body that contains it (a value written into it
// that holds the tag) cannot be quoted safely: lockOrFail then refuses to build the guard.
const guardTag = "$gorgon_guard$"

// lockOrFail is a script's first statement for a write that would otherwise lock a row in a
// transaction of its own (BEGIN, SELECT … FOR UPDATE, the writes, COMMIT: four round trips): a
// PL/pgSQL block that locks the rows `query` selects (a SELECT list and what follows it, without
// the SELECT keyword and without FOR UPDATE, with bun placeholders) and fails the whole script
// with guardCode when there is none. The script runs as one transaction (script.go), so the
// lock is held until its writes are committed, exactly as in the locking transaction, and a
// missing row changes nothing; the write costs one round trip. ok is false when the guard cannot
// be built (the caller then takes its locking path).
func lockOrFail(db bun.IDB, query string, args ...any) (q *bun.RawQuery, ok bool) {
	raw := db.NewRaw(query, args...)
	body, err := raw.AppendQuery(raw.DB().QueryGen(), nil)
	if err != nil || strings.Contains(string(body), guardTag) {
		return nil, false
	}
	return db.NewRaw("DO "+guardTag+" BEGIN PERFORM ? FOR UPDATE; IF NOT FOUND THEN RAISE EXCEPTION 'gorgon: guarded row missing' USING ERRCODE = '"+
		guardCode+"'; END IF; END "+guardTag, bun.Safe(body)), true
}

// isGuardFailure reports whether err is a script's guard failing (lockOrFail found no row).
func isGuardFailure(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == guardCode
}
