package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/sqlhooks"
)

// Prepared reads.
//
// bun writes every value into the SQL text, so PostgreSQL parses and plans each statement afresh.
// For the few big statements that load a page's relations (relation_levels.go: a UNION ALL of one
// branch per relation, up to ~30 kB of SQL), parsing and planning cost as much as running them:
// an order by id took ~11 ms with inlined values and ~3.3 ms as a prepared statement whose plan
// PostgreSQL keeps (measured on the 50,000-order benchmark shop). Those statements are therefore
// written with parameters ($1, …) and sent as named prepared statements kept per connection
// (statements.go: prepared in the round trip of their first execution), so that their text, and
// so their plan, is the same for every page.
//
// A pooler in transaction mode (pgbouncer 1.18) cannot keep named statements between
// transactions: where it refuses one (the statement "does not exist" or "already exists" on the
// server connection it picked), or where the event listener finds that notifications do not come
// back (the same pooler), prepared reads switch off for good and the statements go as the unnamed
// statement, still with parameters. A DATABASE_URL naming a default_query_exec_mode other than
// cache_statement switches them off from the start.

// dbExtras is what the store keeps beside a *bun.DB.
type dbExtras struct {
	prepared atomic.Bool
	offOnce  sync.Once
	counts   countCache // count_cache.go
	// round_trip.go: the read shape asked for, the last statements' times (ns).
	fewer atomic.Int32
	took  [roundTripSamples]atomic.Int64
	tookN atomic.Uint64
}

var extras sync.Map // *bun.DB → *dbExtras

func extrasOf(db *bun.DB) *dbExtras {
	if x, ok := extras.Load(db); ok {
		return x.(*dbExtras)
	}
	x := &dbExtras{}
	x.prepared.Store(true)
	v, _ := extras.LoadOrStore(db, x)
	return v.(*dbExtras)
}

// SetPreparedReads switches prepared reads on or off for db (on by default).
func SetPreparedReads(db *bun.DB, on bool) { extrasOf(db).prepared.Store(on) }

// PreparedReads reports whether db's relation loaders use prepared statements.
func PreparedReads(db *bun.DB) bool { return extrasOf(db).prepared.Load() }

func (x *dbExtras) switchOff(why string, err error) {
	x.prepared.Store(false)
	x.offOnce.Do(func() {
		slog.Warn("prepared statements switched off: "+why+" (a pooler in transaction mode?)", "err", err)
	})
}

// queryPrepared runs query, written with $n parameters, with args and hands its rows to each: as
// a prepared statement cached on the connection where that is on, else as the unnamed statement.
// It runs db's query hooks (those added through sqlhooks.Add) as bun would: statement counts,
// availability. generic: see queryNamed.
func queryPrepared(ctx context.Context, db bun.IDB, query string, args []any, generic bool, each func(levelRows) error) error {
	bdb := db.NewRaw("").DB()
	x := extrasOf(bdb)
	hooks := sqlhooks.Of(bdb)
	var q any
	inTx := false
	switch d := db.(type) {
	case *bun.DB:
		q = d.DB
	case bun.Tx:
		q, inTx = d.Tx, true
	case *bun.Tx:
		q, inTx = d.Tx, true
	case bun.Conn:
		q = d.Conn
	case *bun.Conn:
		q = d.Conn
	default:
		return fmt.Errorf("prepared read on %T", db)
	}
	ev := &bun.QueryEvent{DB: bdb, Query: query, QueryArgs: args, StartTime: time.Now()}
	for _, h := range hooks {
		ctx = h.BeforeQuery(ctx, ev)
	}
	// started says whether each got rows: an error after that is the caller's or the rows',
	// not the statement's refusal.
	started := false
	run := func(mode pgx.QueryExecMode) error {
		return withLevelRows(ctx, q, mode, query, args, generic, func(r levelRows) error {
			started = true
			return each(r)
		})
	}
	var err error
	if x.prepared.Load() {
		err = run(pgx.QueryExecModeCacheStatement)
		if err != nil && !started && preparedRefused(err) {
			x.switchOff("the server refused a prepared statement", err)
			if !inTx { // in a transaction the error has aborted it: the caller fails
				err = run(pgx.QueryExecModeExec)
			}
		}
	} else {
		err = run(pgx.QueryExecModeExec)
	}
	ev.Err = err
	for i := len(hooks) - 1; i >= 0; i-- {
		hooks[i].AfterQuery(ctx, ev)
	}
	return err
}

// preparedRefused reports whether err says a named prepared statement was not where pgx left it
// (invalid_sql_statement_name) or was there already (duplicate_prepared_statement).
func preparedRefused(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && (pg.Code == "26000" || pg.Code == "42P05")
}

// preparedFromDSN says whether a DATABASE_URL leaves prepared reads on: unless it names a
// default_query_exec_mode other than cache_statement.
func preparedFromDSN(dsn string) bool {
	i := strings.Index(dsn, "default_query_exec_mode=")
	if i < 0 {
		return true
	}
	return strings.HasPrefix(dsn[i+len("default_query_exec_mode="):], "cache_statement")
}
