package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/querycount"
)

// inLockedTx is InTx for a write that starts by locking a row (SELECT … FOR UPDATE) and whose
// writes end in one script, with two round trips fewer (BEGIN, COMMIT: see
// rest/bench_latency_test.go): on a connection of its own, the lock's SELECT and BEGIN go in one
// simple query (PostgreSQL runs the statements before a BEGIN in an implicit transaction, which
// the BEGIN turns into a regular one: the lock is kept and its rows are answered), and the
// script returned by fn goes with COMMIT.
//
// lock (built on s.DB) is scanned into dest (a model: its first row); found says whether it
// found a row. what names the write in errors.
// then, more statements of lock's (locks taken after it, in the same round trip: their rows
// are not read) may be given. fn runs in the transaction (tx is the connection: every
// statement on it is in the transaction) and returns the script to commit with, or nil.
// Any error rolls back; a COMMIT whose outcome never came back is ErrCommitUnknown.
func (s *Store) inLockedTx(ctx context.Context, what string, lock *bun.SelectQuery, dest any, then []*bun.SelectQuery,
	fn func(ctx context.Context, tx bun.IDB, found bool) (*script, error)) (err error) {
	text, err := lock.AppendQuery(s.DB.QueryGen(), nil)
	if err != nil {
		return fmt.Errorf("lock: %w", err)
	}
	for _, q := range then {
		text = append(text, ";\n"...)
		if text, err = q.AppendQuery(s.DB.QueryGen(), text); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
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
		querycount.Add(ctx)
		if _, rerr := conn.Conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	querycount.Add(ctx) // a raw connection's statements pass no bun hook
	rows, err := conn.Conn.QueryContext(ctx, string(text), pgx.QueryExecModeSimpleProtocol)
	if err != nil {
		return fmt.Errorf("%s: lock: %w", what, err)
	}
	found := false
	var serr error
	for rows.Next() {
		if !found && serr == nil {
			serr = s.DB.ScanRow(ctx, rows, dest)
			found = true
		}
	}
	if err := errors.Join(rows.Err(), rows.Close(), serr); err != nil {
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
	querycount.Add(ctx)
	if _, err := conn.Conn.ExecContext(ctx, string(final)); err != nil {
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
