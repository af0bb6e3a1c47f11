package store

import (
	"context"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"
)

// script gathers the statements of a write that need no answer from each other, to send them to
// PostgreSQL together: one round trip instead of one per statement, which is what a write costs
// when the database is far away (+300 ms per round trip: rest/bench_latency_test.go).
//
// bun writes every value into the SQL text, and pgx sends a statement without arguments with the
// simple query protocol, which takes several statements separated by semicolons and runs them in
// order, stopping at the first error. Outside a transaction PostgreSQL runs such a string as one
// transaction of its own (all or nothing, one COMMIT): a write whose statements all go in one
// script needs no BEGIN and no COMMIT round trip. Inside a bun.Tx the script is part of it.
//
// Errors are the first failing statement's, so formatDBError words them as before. Results are
// not read: a statement whose answer the write needs is sent on its own before the script.
type script struct {
	buf []byte
	n   int
	err error
}

// appender is a bun query (insert, update, delete, raw) that can write its SQL.
type appender interface {
	AppendQuery(gen schema.QueryGen, b []byte) ([]byte, error)
	DB() *bun.DB
}

// add appends q (its values written in) to the script.
func (s *script) add(q appender) {
	if s.err != nil {
		return
	}
	if s.n > 0 {
		s.buf = append(s.buf, ";\n"...)
	}
	s.buf, s.err = q.AppendQuery(q.DB().QueryGen(), s.buf)
	s.n++
}

// exec sends the script in one round trip (nothing when it is empty); what names it in errors.
func (s *script) exec(ctx context.Context, db bun.IConn, what string) error {
	if s.err != nil {
		return formatDBError(s.err, what)
	}
	if s.n == 0 {
		return nil
	}
	if _, err := db.ExecContext(ctx, string(s.buf)); err != nil {
		return formatDBError(err, what)
	}
	return nil
}
