package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
)

// ErrUnavailableMessage is what clients are told while the database cannot be reached.
const ErrUnavailableMessage = "The database is unavailable. Retry the request shortly."

// UnavailableRetryAfter is how long a client is asked to wait before retrying a request that
// failed because the database could not be reached.
const UnavailableRetryAfter = 2 * time.Second

// IsUnavailable reports whether err means the database could not be reached or dropped the
// connection (refused, reset, closed, shut down, out of connection slots), as opposed to a
// statement it refused. Such a request failed through no fault of its own and may succeed when
// retried: adapters answer 503 with Retry-After rather than 500.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if _, ok := AsError(err); ok {
		// A refusal the store worded (which may wrap a body's io.EOF, say) is the client's.
		return false
	}
	if errors.Is(err, ErrCommitUnknown) {
		// The write may have been saved: retrying it could do it twice.
		return false
	}
	var conn *pgconn.ConnectError
	if errors.As(err, &conn) {
		return true
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch {
		case len(pg.Code) == 5 && pg.Code[:2] == "08": // connection_exception class
			return true
		case pg.Code == "57P01", pg.Code == "57P02", pg.Code == "57P03": // shutdown, crash, starting up
			return true
		case pg.Code == "53300": // too_many_connections
			return true
		}
		return false
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, pgconn.ErrConnClosed) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var netErr *net.OpError
	return errors.As(err, &netErr)
}

// availability watches every statement's outcome (a bun query hook) and logs the database's
// state changes once each, instead of one error line per failed request during an outage. When
// the database becomes unreachable it also empties the pool of idle connections: after a
// restart or a failover every one of them is dead, and each would otherwise fail one more
// request before database/sql notices.
type availability struct {
	sqldb  *sql.DB
	idle   int
	log    *slog.Logger
	mu     sync.Mutex
	down   bool
	since  time.Time
	failed int // statements failed for unavailability during the current outage
}

func newAvailability(sqldb *sql.DB, idle int, log *slog.Logger) *availability {
	return &availability{sqldb: sqldb, idle: idle, log: log}
}

func (a *availability) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

func (a *availability) AfterQuery(ctx context.Context, ev *bun.QueryEvent) {
	if m, ok := ctx.Value(writeMarkKey{}).(*atomic.Bool); ok && !m.Load() {
		switch op := strings.ToUpper(ev.Operation()); op {
		case "SELECT", "BEGIN", "ROLLBACK":
		default:
			// A write (or COMMIT) that reached the server may have taken effect whatever came
			// back: an autocommit INSERT is saved even if its answer is lost on the way.
			if ev.Err == nil || !neverSent(ev.Err) {
				m.Store(true)
			}
		}
	}
	switch {
	case ev.Err == nil:
		a.reached()
	case IsUnavailable(ev.Err):
		a.unreachable(ev.Err)
	}
}

// unreachable records a statement that failed because the database could not be reached.
func (a *availability) unreachable(err error) {
	connectionTrouble.Add(1) // remembered counts are suspect now (count_cache.go)
	a.mu.Lock()
	a.failed++
	if a.down {
		a.mu.Unlock()
		return
	}
	a.down, a.since = true, time.Now()
	a.mu.Unlock()
	a.log.Error("database unreachable: answering 503 until it is back", "err", err)
	if a.sqldb != nil {
		a.sqldb.SetMaxIdleConns(0) // closes the idle connections, all suspect now
		a.sqldb.SetMaxIdleConns(a.idle)
	}
}

// reached records a statement that succeeded.
func (a *availability) reached() {
	a.mu.Lock()
	if !a.down {
		a.mu.Unlock()
		return
	}
	down, failed := time.Since(a.since), a.failed
	a.down, a.failed = false, 0
	a.mu.Unlock()
	a.log.Info("database reachable again", "unreachable_for", down.Round(time.Millisecond), "failed_statements", failed)
}

// neverSent reports whether a failed statement certainly did not reach the server.
func neverSent(err error) bool {
	var conn *pgconn.ConnectError
	return errors.As(err, &conn) || errors.Is(err, driver.ErrBadConn) || pgconn.SafeToRetry(err)
}

type writeMarkKey struct{}

// TrackWrites returns a context under which the store notes whether any statement may have
// changed data (MayHaveWritten). Adapters put it on every request: a request that fails because
// the database went away after such a statement must not be answered "retry" (503), as retrying
// could do the write twice.
func TrackWrites(ctx context.Context) context.Context {
	return context.WithValue(ctx, writeMarkKey{}, new(atomic.Bool))
}

// MayHaveWritten reports whether, under a TrackWrites context, a write succeeded or a COMMIT was
// sent: the request's changes may be saved even if it then failed.
func MayHaveWritten(ctx context.Context) bool {
	m, ok := ctx.Value(writeMarkKey{}).(*atomic.Bool)
	return ok && m.Load()
}

// Ready reports whether the database answers now, within timeout: the readiness probe (a live
// process whose database is gone is alive but not ready).
func (s *Store) Ready(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var one int
	return s.DB.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}
