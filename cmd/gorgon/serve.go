package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/embedpg"
	"github.com/gorgon-commerce/gorgon/graph"
	"github.com/gorgon-commerce/gorgon/metrics"
	"github.com/gorgon-commerce/gorgon/rest"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/filestore"
	"github.com/gorgon-commerce/gorgon/store/migrations"
	"github.com/gorgon-commerce/gorgon/store/provider"
)

// openDatabase connects to DATABASE_URL or, when it is empty, starts the embedded cluster. The
// returned stop function closes the pool and stops the cluster.
func openDatabase(ctx context.Context, c *config) (db *bun.DB, firstRun bool, stop func(), err error) {
	url := c.DatabaseURL
	stopCluster := func() {}
	if url == "" {
		cl, err := embedpg.Start(ctx, embedpg.Options{DataDir: filepath.Join(c.DataDir, "pg"), Logger: slog.Default()})
		if err != nil {
			return nil, false, nil, fmt.Errorf("no DATABASE_URL, and the embedded PostgreSQL did not start: %w", err)
		}
		slog.Info("embedded PostgreSQL running", "data", filepath.Join(c.DataDir, "pg"))
		url, firstRun = cl.URL(), cl.FirstRun()
		c.listenURL = url
		stopCluster = func() {
			sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := cl.Stop(sctx); err != nil {
				slog.Error("stop embedded PostgreSQL", "err", err)
			}
		}
	}
	if c.DatabaseListen != "" {
		c.listenURL = c.DatabaseListen
	}
	if c.listenURL == "" {
		c.listenURL = url
	}
	db, err = store.OpenDB(url, c.DBPoolSize)
	if err != nil {
		stopCluster()
		return nil, false, nil, err
	}
	switch c.FewerStatements {
	case "auto", "":
	case "on", "off":
		store.SetFewerStatements(db, c.FewerStatements == "on")
	default:
		db.Close()
		stopCluster()
		return nil, false, nil, fmt.Errorf("DATABASE_FEWER_STATEMENTS %q: want auto, on or off", c.FewerStatements)
	}
	if c.DatabaseListen != "" {
		// A separate URL for LISTEN means DATABASE_URL goes through a pooler in transaction
		// mode, which keeps no prepared statement between transactions.
		store.SetPreparedReads(db, false)
	}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		stopCluster()
		return nil, false, nil, fmt.Errorf("connect to database: %w", err)
	}
	return db, firstRun, func() { db.Close(); stopCluster() }, nil
}

// migrationOptions are the migration settings of the configuration: with
// MEDUSA_FF_SALES_CHANNELS on, migrations.Up runs Medusa's sales channel migration as well.
func migrationOptions(c *config) migrations.Options {
	return migrations.Options{SalesChannels: c.SalesChannelsFF}
}

// openStore opens the database (or the embedded cluster), migrates it and wraps it in a store:
// what every one-shot command (user, seed, graphql register) needs. close releases it all.
func openStore(ctx context.Context, c *config) (s *store.Store, close func(), err error) {
	db, _, closeDB, err := openDatabase(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	if err := migrations.Up(ctx, db, migrationOptions(c)); err != nil {
		closeDB()
		return nil, nil, err
	}
	if s, err = newStore(ctx, db, c); err != nil {
		closeDB()
		return nil, nil, err
	}
	return s, closeDB, nil
}

// newStore builds the store on the migrated database with the providers configured in the
// environment (PAYMENT_PROVIDERS, FULFILLMENT_PROVIDERS, NOTIFICATION_PROVIDERS).
func newStore(ctx context.Context, db *bun.DB, c *config) (*store.Store, error) {
	pc, err := provider.ParseConfig(os.Getenv)
	if err != nil {
		return nil, err
	}
	s, err := store.New(ctx, db, store.Config{JWTSecret: c.JWTSecret, FeatureSalesChannels: c.SalesChannelsFF, ListenURL: c.DatabaseListen})
	if err != nil {
		return nil, err
	}
	s.UseProviders(provider.New(pc, slog.Default()))
	base := c.UploadURL
	if base == "" {
		base = fmt.Sprintf("http://localhost:%d/uploads", c.Port)
	}
	secret := c.CookieSecret
	if secret == "" { // commands that serve nothing still need a signer
		secret = randomSecret()
	}
	if s.Files, err = filestore.NewLocal(c.UploadDir, base, []byte(secret)); err != nil {
		return nil, err
	}
	return s, nil
}

// defaultMemoryLimit is the Go heap's soft limit when GOMEMLIMIT is not set: the garbage
// collector works harder as the heap nears it instead of letting a burst of large responses grow
// the process for good (RSS is what a container's limit and an operator's graph see).
const defaultMemoryLimit = 128 << 20

func serve(ctx context.Context, args []string) error {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c := loadConfig(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	proxies, err := rest.ParseTrustedProxies(splitList(c.TrustedProxies))
	if err != nil {
		return fmt.Errorf("TRUSTED_PROXIES: %w", err)
	}
	embedded := c.DatabaseURL == ""
	if embedded {
		// A private cluster needs no secrets from the operator: random ones are generated once
		// and kept beside the data, so sessions and invite tokens survive restarts.
		if err := embeddedSecrets(c); err != nil {
			return err
		}
	}
	if c.JWTSecret == "" || c.CookieSecret == "" {
		return errors.New("JWT_SECRET and COOKIE_SECRET must be set (or run without DATABASE_URL for the embedded default)")
	}
	db, firstRun, closeDB, err := openDatabase(ctx, c)
	if err != nil {
		return err
	}
	defer closeDB()
	if err := migrations.Up(ctx, db, migrationOptions(c)); err != nil {
		return err
	}
	s, err := newStore(ctx, db, c)
	if err != nil {
		return err
	}
	if err := s.EnsureDefaults(ctx); err != nil {
		return err
	}
	if embedded && firstRun {
		if err := printFirstAdmin(ctx, s); err != nil {
			return err
		}
	}

	restCfg := rest.Config{
		CookieSecret: c.CookieSecret, SecureCookies: c.SecureCookies, AdminCORS: splitList(c.AdminCORS),
		TrustedProxies: proxies,
	}
	if c.Metrics {
		restCfg.Metrics = metrics.New(s)
	}
	// Subscription connections are hijacked: Shutdown does not wait for them, it closes them.
	subsCtx, closeSubs := context.WithCancel(context.WithoutCancel(ctx))
	defer closeSubs()
	handler := rest.NewRouter(s, restCfg, graph.NewConfiguredHandler(s, graph.HandlerConfig{
		PersistedOnly: c.PersistedOnly, AllowedOrigins: restCfg.AdminCORS, Done: subsCtx,
	}))
	if c.PProfAddr != "" {
		stopPProf, err := servePProf(c.PProfAddr)
		if err != nil {
			return err
		}
		defer stopPProf()
	}
	srv := &http.Server{
		Addr:              net.JoinHostPort("", strconv.Itoa(c.Port)),
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
	}
	srv.RegisterOnShutdown(closeSubs)
	ln, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		return err
	}
	slog.Info("gorgon listening", "addr", ln.Addr().String(), "graphql", fmt.Sprintf("http://localhost:%d/graphql", c.Port))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	// Events (user.password_reset, invite.created, …) go to the notification providers, as soon
	// as they are committed (LISTEN/NOTIFY), with a poll every 30 s for any notification missed.
	dispatchCtx, stopDispatch := context.WithCancel(ctx)
	dispatched := make(chan struct{})
	go func() { s.RunEventDispatcher(dispatchCtx, 30*time.Second); close(dispatched) }()
	defer func() { stopDispatch(); <-dispatched }()
	// Batch jobs (imports, exports) run on the River queue in the database: every instance
	// takes jobs from it, a new one starts as soon as it is queued (LISTEN on a connection of
	// its own). Its context outlives the signal, so that a shutdown stops it gracefully.
	jobs, err := s.StartJobs(context.WithoutCancel(ctx), store.JobOptions{ListenURL: c.listenURL})
	if err != nil {
		return err
	}
	select {
	case err := <-errc:
		stopJobs(jobs)
		return err
	case <-ctx.Done():
	}
	// Graceful shutdown: stop accepting, let in-flight requests finish, stop the batch jobs
	// between two of their steps (they resume on the next start), then close the pool.
	slog.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err = srv.Shutdown(sctx)
	stopJobs(jobs)
	return err
}

// stopJobs stops the batch job runner: jobs in progress get 10 seconds to finish, then are
// interrupted; River queues them again and they resume from their last committed step.
func stopJobs(r *store.JobRunner) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.Stop(ctx); err != nil {
		slog.Error("stop batch jobs", "err", err)
	}
}

// servePProf serves net/http/pprof on its own listener (opt-in, PPROF_ADDR): profiles can
// reveal internals and cost CPU, so they are never on the public port.
func servePProf(addr string) (stop func(), err error) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("PPROF_ADDR: %w", err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	slog.Info("pprof listening", "addr", ln.Addr().String())
	return func() { _ = srv.Close() }, nil
}

// embeddedSecrets fills JWT_SECRET and COOKIE_SECRET, when unset, from <data-dir>/secrets.json,
// creating it (mode 0600) with random values the first time.
func embeddedSecrets(c *config) error {
	path := filepath.Join(c.DataDir, "secrets.json")
	var sec struct {
		JWT    string `json:"jwt_secret"`
		Cookie string `json:"cookie_secret"`
	}
	if raw, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(raw, &sec); err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
	}
	if sec.JWT == "" || sec.Cookie == "" {
		sec.JWT, sec.Cookie = randomSecret(), randomSecret()
		raw, _ := json.Marshal(sec)
		if err := os.MkdirAll(c.DataDir, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, raw, 0o600); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	if c.JWTSecret == "" {
		c.JWTSecret = sec.JWT
	}
	if c.CookieSecret == "" {
		c.CookieSecret = sec.Cookie
	}
	return nil
}

func randomSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// printFirstAdmin creates the first admin user of a new embedded database and prints its
// credentials once.
func printFirstAdmin(ctx context.Context, s *store.Store) error {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	pass := base64.RawURLEncoding.EncodeToString(b)
	role := "admin"
	u, err := s.CreateUser(ctx, store.CreateUserInput{Email: "admin@gorgon.local", Password: pass, Role: &role})
	if err != nil {
		return fmt.Errorf("create first admin: %w", err)
	}
	fmt.Printf("\nFirst admin user created (shown once):\n  email:    %s\n  password: %s\n\n", u.Email, pass)
	return nil
}
