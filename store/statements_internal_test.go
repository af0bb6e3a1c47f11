package store

import (
	"context"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/stdlib"

	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

// TestNamedStatements: queryNamed prepares a statement and runs it in one round trip (counted by
// a proxy between the test and PostgreSQL), runs it
// prepared after, keeps at most maxNamedStatements on a connection (closing the least recently
// used), switches JIT off in its first pipeline, and, when the server lost a statement (DEALLOCATE ALL behind its back: a pooler's
// reset), reports the refusal as preparedRefused and prepares it again on the next call.
func TestNamedStatements(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.NewSchema(t, dbtest.FlagOn)
	var dbName string
	if err := db.QueryRowContext(ctx, "SELECT current_database()").Scan(&dbName); err != nil {
		t.Fatal(err)
	}
	proxy := dbtest.NewFaultProxy(t)
	through, err := OpenDB(proxy.URL(dbName), 1)
	if err != nil {
		t.Fatal(err)
	}
	defer through.Close()
	conn, err := through.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// run sends statement k (a distinct text per k) with two keys and reports what it read.
	run := func(k int, keys ...string) (string, error) {
		var got string
		query := fmt.Sprintf("SELECT %d AS k, x::text AS parent, 1::int8 AS ord, now() > '2000-01-01'::timestamptz AS b, '{\"a\": 1}'::jsonb AS j"+
			" FROM unnest($1::text[]) AS x WHERE x <> $2::text ORDER BY x", k)
		err := conn.Raw(func(dc any) error {
			c := dc.(*stdlib.Conn).Conn()
			vals, oids, ok := encodeArgs(c.TypeMap(), []any{keys, "skip"})
			if !ok {
				t.Fatal("keys not encoded")
			}
			return queryNamed(ctx, c, query, vals, oids, true, false, func(rows levelRows) error {
				vs := make([]colValue, 5)
				for rows.Next() {
					if err := rows.Values([]int{0, 1, 2, 3, 4}, vs); err != nil {
						return err
					}
					got += fmt.Sprintf("%d %s %d %v %s;", vs[0].i, vs[1].s, vs[2].i, vs[3].b, vs[4].raw)
				}
				return nil
			})
		})
		return got, err
	}
	prepared := func() int {
		var n int
		if err := conn.QueryRowContext(ctx, "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'gorgon_%'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var jit string
	if _, err := conn.ExecContext(ctx, "SET jit = on"); err != nil {
		t.Fatal(err)
	}
	if got, err := run(0, "a"); err != nil || got != `0 a 1 true {"a": 1};` {
		t.Fatalf("first statement: %q, %v", got, err)
	}
	if err := conn.QueryRowContext(ctx, "SHOW jit").Scan(&jit); err != nil || jit != "off" {
		t.Fatalf("after the connection's first statement: jit %q, %v", jit, err)
	}
	// One round trip each, prepared (the first) or not.
	for i, keys := range [][]string{{"x"}, {"y"}} {
		before := proxy.RoundTrips()
		if _, err := run(maxNamedStatements+100, keys...); err != nil {
			t.Fatal(err)
		}
		if n := proxy.RoundTrips() - before; n != 1 {
			t.Fatalf("run %d of a statement: %d round trips, want 1", i+1, n)
		}
	}
	for round := 0; round < 2; round++ {
		for k := 0; k < maxNamedStatements+8; k++ {
			got, err := run(k, "b", "skip", `a "quoted", {braced}`)
			want := fmt.Sprintf(`%d a "quoted", {braced} 1 true {"a": 1};%d b 1 true {"a": 1};`, k, k)
			if err != nil || got != want {
				t.Fatalf("round %d statement %d: %q, %v; want %q", round, k, got, err, want)
			}
		}
		if n := prepared(); n != maxNamedStatements {
			t.Fatalf("round %d: %d statements prepared on the connection, want %d", round, n, maxNamedStatements)
		}
	}
	if _, err := conn.ExecContext(ctx, "DEALLOCATE ALL"); err != nil {
		t.Fatal(err)
	}
	k := maxNamedStatements + 7 // the most recently used: listed as prepared
	if _, err := run(k, "b"); !preparedRefused(err) {
		t.Fatalf("statement lost by the server: %v, want its refusal", err)
	}
	if got, err := run(k, "b"); err != nil || got != fmt.Sprintf(`%d b 1 true {"a": 1};`, k) {
		t.Fatalf("after the refusal: %q, %v", got, err)
	}
	if got, err := run(k, "c"); err != nil || got != fmt.Sprintf(`%d c 1 true {"a": 1};`, k) {
		t.Fatalf("prepared again: %q, %v", got, err)
	}
	// Unnamed (prepared reads off), in one pipeline with the setting.
	if _, err := conn.ExecContext(ctx, "SET jit = on"); err != nil {
		t.Fatal(err)
	}
	err = conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		return queryNamed(ctx, c, "SELECT $1::text AS x, current_setting('jit') AS jit", [][]byte{[]byte("u")}, []uint32{25}, false, false, func(rows levelRows) error {
			vs := make([]colValue, 2)
			n := 0
			for rows.Next() {
				if err := rows.Values([]int{0, 1}, vs); err != nil {
					return err
				}
				if n++; vs[0].s != "u" || vs[1].s != "off" {
					t.Errorf("unnamed: %q, jit %q", vs[0].s, vs[1].s)
				}
			}
			if n != 1 {
				t.Errorf("unnamed: %d rows", n)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	// A statement the server refuses to prepare is an error, and the connection goes on.
	err = conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		return queryNamed(ctx, c, "SELECT nope FROM nowhere WHERE $1::text = ''", [][]byte{nil}, []uint32{25}, true, false, func(levelRows) error { return nil })
	})
	if err == nil {
		t.Fatal("a statement PostgreSQL cannot prepare ran")
	}
	if got, err := run(1, "d"); err != nil || got != `1 d 1 true {"a": 1};` {
		t.Fatalf("after a refused preparation: %q, %v", got, err)
	}
}
