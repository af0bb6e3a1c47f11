package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// Named statements in one round trip.
//
// pgx's statement cache prepares a statement the first time a connection runs it and executes it
// after: two round trips one after the other. Where the database is far away (+300 ms a round
// trip, rest/bench_latency_test.go), every connection's first page of a kind paid one more, and
// a read of an order that runs two level statements on a fresh connection took four round trips
// instead of two. queryNamed sends the preparation and the execution together in one pipeline
// (Close, Parse, Describe, Bind, Execute, Sync): the rows come back with the statement's
// description, in one round trip; later executions on the connection are one Bind/Execute. The
// statements a connection holds are listed on the connection itself (pgconn's CustomData, gone
// with it), at most maxNamedStatements, the least recently used closed in the pipeline of the
// next preparation.

const maxNamedStatements = 32

// namedStatements is the statements prepared on one connection, least recently used first.
type namedStatements struct {
	names  []string
	jitOff bool // SET jit = off went through on the connection
}

const statementsKey = "gorgon.statements"

func statementsOf(pc *pgconn.PgConn) *namedStatements {
	data := pc.CustomData()
	if ns, ok := data[statementsKey].(*namedStatements); ok {
		return ns
	}
	ns := &namedStatements{}
	data[statementsKey] = ns
	return ns
}

// use reports whether name is prepared, and makes it the most recently used.
func (ns *namedStatements) use(name string) bool {
	i := slices.Index(ns.names, name)
	if i < 0 {
		return false
	}
	ns.names = append(append(ns.names[:i], ns.names[i+1:]...), name)
	return true
}

func (ns *namedStatements) forget(name string) {
	if i := slices.Index(ns.names, name); i >= 0 {
		ns.names = slices.Delete(ns.names, i, i+1)
	}
}

// statementName names query's statement: by its text, so that the same text is the same
// statement on every connection.
func statementName(query string) string {
	h := sha256.Sum256([]byte(query))
	return "gorgon_" + hex.EncodeToString(h[:20])
}

// encodeArgs encodes a level statement's parameters (strings and string arrays, the keys) as
// text, with their types; false for any other kind of value (pgx then sends them).
func encodeArgs(m *pgtype.Map, args []any) (vals [][]byte, oids []uint32, ok bool) {
	vals, oids = make([][]byte, len(args)), make([]uint32, len(args))
	for i, a := range args {
		var oid uint32
		switch a.(type) {
		case string:
			oid = pgtype.TextOID
		case []string:
			oid = pgtype.TextArrayOID
		default:
			return nil, nil, false
		}
		b, err := m.Encode(oid, pgtype.TextFormatCode, a, nil)
		if err != nil || b == nil {
			return nil, nil, false
		}
		vals[i], oids[i] = b, oid
	}
	return vals, oids, true
}

// binaryResults asks every column in binary: the level statements' columns are all of types
// levelRows reads in binary (text, int4, int8, bool, float8, timestamptz, jsonb).
var binaryResults = []int16{pgtype.BinaryFormatCode}

// queryNamed runs query (a level statement) with vals as a named statement of conn, prepared
// in the same round trip where conn has not prepared it yet, or as the unnamed statement when
// named is false (prepared reads off: a pooler in transaction mode), and hands its rows to each.
// Errors of the statement itself (the server refused the preparation, or lost the statement: a
// pooler in transaction mode) come before each is called, as pgx's would.
//
// The pipeline that prepares a connection's first statement (and every unnamed one, as a pooler
// may run it on any server connection) starts with SET jit = off. A level statement is a UNION
// ALL of up to ~60 branches: where the planner misjudges a branch (a table never analyzed, a
// column all NULL), the plan's cost passes jit_above_cost and PostgreSQL compiles the statement
// before running it, at every execution: an order by id took 10 s of JIT compilation for 2 ms of
// work on the 50,000-order benchmark shop. An admin backend's statements are short; JIT never
// pays for them. Sent in the same pipeline, the setting costs no round trip. generic has a named
// statement run with its generic plan (relation_levels.go says when).
func queryNamed(ctx context.Context, conn *pgx.Conn, query string, vals [][]byte, oids []uint32, named, generic bool, each func(levelRows) error) error {
	pc := conn.PgConn()
	ns := statementsOf(pc)
	name := statementName(query)
	prepared := named && ns.use(name)
	p := pc.StartPipeline(ctx)
	var sent []string // what each result before the rows answers, for errors
	if !named || !ns.jitOff {
		p.SendQueryParams("SET jit = off", nil, nil, nil, nil)
		sent = append(sent, "set jit")
	}
	if named && generic {
		// For this execution only: the pipeline is one implicit transaction, which SET LOCAL
		// does not outlive.
		p.SendQueryParams("SET LOCAL plan_cache_mode = force_generic_plan", nil, nil, nil, nil)
		sent = append(sent, "set plan_cache_mode")
	}
	switch {
	case prepared:
		p.SendQueryPrepared(name, vals, nil, binaryResults)
	case named:
		for len(ns.names) >= maxNamedStatements {
			p.SendDeallocate(ns.names[0])
			sent = append(sent, "close "+ns.names[0])
			ns.names = ns.names[1:]
		}
		// Closing a statement that does not exist is no error: this clears one the connection
		// may hold without this list knowing (a session the pooler reused), which Parse would
		// refuse.
		p.SendDeallocate(name)
		p.SendPrepare(name, query, oids)
		p.SendQueryPrepared(name, vals, nil, binaryResults)
		sent = append(sent, "close", "prepare")
	default:
		p.SendQueryParams(query, vals, oids, nil, binaryResults)
	}
	if err := p.Sync(); err != nil {
		return errors.Join(err, p.Close())
	}
	var first error
	for _, what := range sent {
		res, err := p.GetResults()
		if err == nil {
			if rr, ok := res.(*pgconn.ResultReader); ok {
				_, err = rr.Close()
			}
		}
		if err != nil {
			first = fmt.Errorf("%s: %w", what, err)
			break
		}
	}
	if first == nil {
		res, err := p.GetResults()
		switch rr, ok := res.(*pgconn.ResultReader); {
		case err != nil:
			first = err
		case !ok:
			first = fmt.Errorf("level statement: %T instead of rows", res)
		default:
			ns.jitOff = true
			if named && !prepared {
				ns.names = append(ns.names, name) // prepared: Parse and Describe went through
			}
			first = readResult(rr, conn.TypeMap(), each)
		}
	}
	// Close reads what is left up to the Sync (after an error, the server skipped the rest).
	if err := p.Close(); err != nil && first == nil {
		first = err
	}
	if prepared && preparedRefused(first) {
		ns.forget(name) // the server lost it (queryPrepared then switches prepared reads off)
	}
	return first
}

// readResult hands rr's rows to each, the first read before (its error is the statement's),
// and closes rr.
func readResult(rr *pgconn.ResultReader, m *pgtype.Map, each func(levelRows) error) error {
	rows := &resultRows{rr: rr}
	more := rows.Next()
	if !more {
		return rows.Err()
	}
	err := each(&pgxLevelRows{rows: rows, m: m, arena: &rowArena{}, peeked: true, more: more})
	rows.close() // rows left unread are read and dropped
	return errors.Join(err, rows.err)
}

// resultRows is a pgconn result as rawRows.
type resultRows struct {
	rr     *pgconn.ResultReader
	err    error
	closed bool
}

func (r *resultRows) Next() bool {
	if r.closed {
		return false
	}
	if r.rr.NextRow() {
		return true
	}
	r.close()
	return false
}

func (r *resultRows) close() {
	if !r.closed {
		r.closed = true
		_, r.err = r.rr.Close()
	}
}

func (r *resultRows) RawValues() [][]byte                          { return r.rr.Values() }
func (r *resultRows) FieldDescriptions() []pgconn.FieldDescription { return r.rr.FieldDescriptions() }

func (r *resultRows) Err() error { return r.err }
