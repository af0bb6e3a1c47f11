package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/sqlhooks"
)

// inLockedTx is InTx for a write that starts by locking a row (SELECT … FOR UPDATE) and whose
// writes end in one script, with two round trips fewer (BEGIN, COMMIT: see
// rest/bench_latency_test.go): on a connection of its own, the lock's SELECT and BEGIN go in one
// simple query (PostgreSQL runs the statements before a BEGIN in an implicit transaction, which
// the BEGIN turns into a regular one: the lock is kept and its rows are answered), and the
// script returned by fn goes with COMMIT.
//
// lock (a query built on s.DB) is read with scan, which says whether it found its row; what
// names the write in errors. fn runs in the transaction (tx is the connection: every statement
// on it is in the transaction) and returns the script to commit with, or nil. Any error rolls
// back; a COMMIT whose outcome never came back is ErrCommitUnknown.
func (s *Store) inLockedTx(ctx context.Context, what string, lock appender, scan func(rows *sql.Rows) (found bool, err error),
	fn func(ctx context.Context, tx bun.IDB, found bool) (*script, error)) (err error) {
	text, err := lock.AppendQuery(s.DB.QueryGen(), nil)
	if err != nil {
		return fmt.Errorf("%s: lock: %w", what, err)
	}
	text = append(text, ";\nBEGIN"...)
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	committed := false
	defer func() {
		if committed {
			return
		}
		// After an error (or a panic, which goes on up): nothing of the transaction stays. A
		// connection that cannot roll back is closed, not returned to the pool (database/sql
		// would also discard it, as its session check refuses a connection in a transaction).
		rctx := context.WithoutCancel(ctx)
		if rerr := s.hooked(rctx, "ROLLBACK", func(ctx context.Context) error {
			_, err := conn.Conn.ExecContext(ctx, "ROLLBACK")
			return err
		}); rerr != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	var rows *sql.Rows
	if err := s.hooked(ctx, string(text), func(ctx context.Context) (err error) {
		rows, err = conn.Conn.QueryContext(ctx, string(text), pgx.QueryExecModeSimpleProtocol)
		return err
	}); err != nil {
		return fmt.Errorf("%s: lock: %w", what, err)
	}
	found, serr := scan(rows)
	if err := errors.Join(serr, rows.Err(), rows.Close()); err != nil {
		return fmt.Errorf("%s: lock: %w", what, err)
	}
	sc, err := fn(ctx, conn, found)
	if err != nil {
		return err
	}
	var final []byte
	if sc != nil {
		if sc.err != nil {
			return formatDBError(sc.err, what)
		}
		final = append(final, sc.buf...)
		if sc.n > 0 {
			final = append(final, ";\n"...)
		}
	}
	final = append(final, "COMMIT"...)
	if err := s.hooked(ctx, string(final), func(ctx context.Context) error {
		_, err := conn.Conn.ExecContext(ctx, string(final))
		return err
	}); err != nil {
		if IsUnavailable(err) {
			committed = true // nothing to roll back on a lost connection; the outcome is unknown
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
			return fmt.Errorf("%w: %w", ErrCommitUnknown, err)
		}
		return formatDBError(err, what)
	}
	committed = true
	return nil
}

// hooked runs a statement sent on a raw connection (run) between s.DB's query hooks, as bun
// would run it (statement counts, availability): bun's own hooks do not see it.
func (s *Store) hooked(ctx context.Context, query string, run func(ctx context.Context) error) error {
	hooks := sqlhooks.Of(s.DB)
	ev := &bun.QueryEvent{DB: s.DB, Query: query, StartTime: time.Now()}
	for _, h := range hooks {
		ctx = h.BeforeQuery(ctx, ev)
	}
	ev.Err = run(ctx)
	for i := len(hooks) - 1; i >= 0; i-- {
		hooks[i].AfterQuery(ctx, ev)
	}
	return ev.Err
}

// scanFirst is an inLockedTx scan that reads the first row into dest (a model), as bun's Scan.
func (s *Store) scanFirst(ctx context.Context, dest any) func(rows *sql.Rows) (bool, error) {
	return func(rows *sql.Rows) (found bool, err error) {
		for rows.Next() {
			if !found && err == nil {
				err = s.DB.ScanRow(ctx, rows, dest)
				found = true
			}
		}
		return found, err
	}
}
