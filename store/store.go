// Package store is Gorgon's one store: every business rule (validation, defaults, state
// transitions, totals, events) lives here, over Medusa's tables through bun. rest/ and graph/
// only translate HTTP and GraphQL into calls of this package and back.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/gorgon-commerce/gorgon/store/filestore"
	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/password"
	"github.com/gorgon-commerce/gorgon/store/provider"
	"github.com/gorgon-commerce/gorgon/store/querycount"
	"github.com/gorgon-commerce/gorgon/store/sqlhooks"
)

// Store is the entry point to the data and its rules. It is safe for concurrent use.
type Store struct {
	DB     *bun.DB
	Config Config
	// Providers serves the payment, fulfillment, tax and notification providers; nil means
	// provider.Default() (manual payment and fulfillment, system payment and tax).
	Providers *provider.Registry
	// Files keeps uploaded files (Medusa's file service), set by the caller; nil answers like
	// Medusa without a file plugin.
	Files filestore.Store
	// Passwords runs every password hash and check, at most one per CPU (up to 8) at once
	// (New). Replace it only before the Store is used.
	Passwords *password.Hasher
	// Logins throttles failed logins per account and client address (New, DefaultLoginLimits).
	// Replace it only before the Store is used.
	Logins *LoginThrottle

	schema SchemaInfo // what the database has of Medusa's feature-flagged schema
	jobs   jobInserter
	auth   authCache // users by API token and session, while the listener runs (authcache.go)
	hub    eventHub  // live event subscribers, fed by the listener (subscriptions.go)
}

// Config holds the settings the rules depend on.
type Config struct {
	// JWTSecret signs invite tokens (Medusa's JWT_SECRET).
	JWTSecret string
	// FeatureSalesChannels mirrors MEDUSA_FF_SALES_CHANNELS. New reads it once to decide which
	// columns the models use: switch it only on a database that has the sales channel schema.
	FeatureSalesChannels bool
	// Providers are the provider ids served; empty means DefaultProviders.
	Providers Providers
	// ListenURL, when set, is a PostgreSQL URL the event listener dials directly instead of
	// taking a connection of the pool: behind a pooler in transaction mode (pgbouncer), where
	// LISTEN on a pooled connection hears nothing, it keeps notifications, the authentication
	// cache and live subscriptions working (DATABASE_LISTEN_URL).
	ListenURL string
}

// DefaultPoolSize is the number of PostgreSQL connections a Gorgon instance keeps open. Requests
// beyond it wait for a connection rather than open one: PostgreSQL does not run more queries at
// once than it has cores, and each new session starts with an empty statement cache.
const DefaultPoolSize = 32

// OpenDB connects to PostgreSQL through pgx's database/sql driver under bun's pgdialect, with a
// pool of poolSize connections (DefaultPoolSize when 0).
//
// The pool keeps every connection it opens (MaxIdleConns = MaxOpenConns): with fewer idle slots
// than open ones, a burst of 16–64 clients closes and reopens sessions continuously (a new
// PostgreSQL backend per request, and pgx's per-connection statement cache thrown away with it).
// Idle connections are closed after 30 minutes of quiet and every connection is renewed after an
// hour (a server-side memory high-water mark, a failover, a changed DNS name), which costs one
// new session per connection per hour.
func OpenDB(dsn string, poolSize int) (*bun.DB, error) {
	cfg, err := pgx.ParseConfig(dsn) // validates the URL before anything is dialled
	if err != nil {
		return nil, fmt.Errorf("parse DATABASE_URL: %w", err)
	}
	if poolSize <= 0 {
		poolSize = DefaultPoolSize
	}
	// bun writes every value into the SQL text, so nearly every statement is new to pgx. pgx's
	// default mode prepares each one as a named server-side statement and keeps 512 per
	// connection: measured, a backend holds ~69 MB after 512 different product pages, i.e. GBs
	// across a pool whose connections live for an hour. Caching descriptions only (client side)
	// holds nothing in PostgreSQL but costs a second round trip for every statement it has not
	// seen, which with interpolated values is nearly all: measured at +300 ms per round trip, a
	// single-statement write took 630 ms. Exec mode sends each statement in one round trip (the
	// unnamed statement, results in text format) and keeps nothing anywhere; it needs nothing
	// of a pooler either. A DATABASE_URL naming default_query_exec_mode wins.
	if !strings.Contains(dsn, "default_query_exec_mode") {
		cfg.DefaultQueryExecMode = pgx.QueryExecModeExec
	}
	// The statements that are prepared (prepared.go) are few, but a relation loader's plan holds
	// ~1 MB in its PostgreSQL session: at most 32 of them per connection.
	if !strings.Contains(dsn, "statement_cache_capacity") {
		cfg.StatementCacheCapacity = 32
	}
	sqldb := stdlib.OpenDB(*cfg, stdlib.OptionShouldPing(shouldPing))
	sqldb.SetMaxOpenConns(poolSize)
	sqldb.SetMaxIdleConns(poolSize)
	sqldb.SetConnMaxIdleTime(30 * time.Minute)
	sqldb.SetConnMaxLifetime(time.Hour)
	db := bun.NewDB(sqldb, pgdialect.New())
	// The counter hook only counts requests whose context asks for it (tests, benchmarks).
	sqlhooks.Add(db, querycount.Hook{})
	sqlhooks.Add(db, newAvailability(sqldb, poolSize, slog.Default()))
	sqlhooks.Add(db, statementTimes{extrasOf(db)}) // round_trip.go
	SetPreparedReads(db, preparedFromDSN(dsn))
	return db, nil
}

// shouldPing decides whether a pooled connection idle for a while is pinged before it is used
// again. pgx's default pings every connection idle for more than a second: one round trip more
// for a request that finds one (a far database: +300 ms for a request after a pause, or for
// the second connection of a read made beside another). A connection idle for up to 30 seconds
// is instead checked without a round trip (pgconn's CheckConn: a read with a 1 ms deadline, which
// sees a connection the server or a proxy closed, e.g. at a restart) and pinged only when that
// finds it broken; one idle longer is pinged as before (a silently vanished peer is found by the
// ping only). A write on a connection whose peer vanished without a trace in those 30 seconds
// fails as one whose outcome is unknown; the availability hook then drops the idle connections.
func shouldPing(_ context.Context, p stdlib.ShouldPingParams) bool {
	switch {
	case p.IdleDuration <= time.Second:
		return false
	case p.IdleDuration > 30*time.Second:
		return true
	}
	//lint:ignore SA1019 CheckConn costs no round trip, which Ping does: the point here.
	return p.Conn.PgConn().CheckConn() != nil
}

// New wraps an open, migrated database: it registers the models (bun needs the many-to-many join
// models registered before first use) and finds which of Medusa's feature-flagged tables and
// columns the database has (flagged_schema.go). The models' flagged columns are used only while
// their flag is on, as Medusa does; a flag that is on over a database without its tables is an
// error (migrations.Up with the flag adds them).
func New(ctx context.Context, db *bun.DB, cfg Config) (*Store, error) {
	model.RegisterModels(db)
	info, err := detectSchema(ctx, db)
	if err != nil {
		return nil, err
	}
	if cfg.FeatureSalesChannels && !info.SalesChannels {
		return nil, missingSchemaError(info.Missing)
	}
	if err := useSalesChannelModels(db, cfg.FeatureSalesChannels); err != nil {
		return nil, err
	}
	return &Store{DB: db, Config: cfg, schema: info, Passwords: password.NewHasher(0), Logins: NewLoginThrottle(DefaultLoginLimits)}, nil
}

// Ping checks the connection.
func (s *Store) Ping(ctx context.Context) error { return s.DB.PingContext(ctx) }

// InTx runs fn in one transaction: every write that touches several rows goes through here, so it
// lands whole or not at all.
//
// A commit whose answer never arrived (the connection dropped after COMMIT was sent) may have
// taken effect: it is reported as ErrCommitUnknown, not as an unavailable database, so that no
// client is told to retry a write that may be done (IsUnavailable is false for it).
func (s *Store) InTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) (err error) {
	tx, err := s.DB.BeginTx(ctx, &sql.TxOptions{})
	if err != nil {
		return err
	}
	committing := false
	defer func() {
		if !committing {
			_ = tx.Rollback() // after an error or a panic, which goes on up
		}
	}()
	if err := fn(ctx, tx); err != nil {
		return err
	}
	committing = true
	if err := tx.Commit(); err != nil {
		if IsUnavailable(err) {
			return fmt.Errorf("%w: %w", ErrCommitUnknown, err)
		}
		return err
	}
	return nil
}

// ErrCommitUnknown says a transaction's COMMIT was sent but its outcome never came back.
var ErrCommitUnknown = errors.New("connection lost while committing: the change may or may not have been saved")
