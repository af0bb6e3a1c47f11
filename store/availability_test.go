package store

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
)

func TestIsUnavailable(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{&pgconn.ConnectError{}, true},
		{fmt.Errorf("list regions: %w", &net.OpError{Op: "read", Err: syscall.ECONNRESET}), true},
		{fmt.Errorf("list regions: %w", io.ErrUnexpectedEOF), true},
		{&pgconn.PgError{Code: "57P01"}, true}, // admin_shutdown
		{&pgconn.PgError{Code: "08006"}, true}, // connection_failure
		{&pgconn.PgError{Code: "53300"}, true}, // too_many_connections
		{&pgconn.PgError{Code: "23505"}, false},
		{&pgconn.PgError{Code: "57014"}, false}, // query_canceled: the statement, not the server
		{&Error{Type: InvalidData, Message: "bad body", err: io.ErrUnexpectedEOF}, false},
		{errors.New("something else"), false},
	} {
		if got := IsUnavailable(c.err); got != c.want {
			t.Errorf("IsUnavailable(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

// An outage is logged once when it starts and once when it ends, however many statements fail.
func TestAvailabilityLogsStateChanges(t *testing.T) {
	var buf bytes.Buffer
	a := newAvailability(nil, 0, slog.New(slog.NewTextHandler(&buf, nil)))
	refused := &pgconn.ConnectError{}
	for range 3 {
		a.AfterQuery(t.Context(), &bun.QueryEvent{})
	}
	for range 50 {
		a.AfterQuery(t.Context(), &bun.QueryEvent{Err: refused})
	}
	a.AfterQuery(t.Context(), &bun.QueryEvent{Err: &pgconn.PgError{Code: "23505"}}) // a refusal says nothing
	for range 3 {
		a.AfterQuery(t.Context(), &bun.QueryEvent{})
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "level=ERROR msg=\"database unreachable") ||
		!strings.Contains(lines[1], "level=INFO msg=\"database reachable again\"") || !strings.Contains(lines[1], "failed_statements=50") {
		t.Fatalf("log:\n%s", buf.String())
	}
}
