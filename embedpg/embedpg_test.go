package embedpg

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// testLogger sends Start's progress messages to the test's log.
func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(tWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tWriter struct{ t *testing.T }

func (w tWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

func requireServerBinaries(t *testing.T) {
	t.Helper()
	if _, err := defaultFinder().find(); err != nil {
		t.Skipf("no PostgreSQL server binaries on this machine: %v", err)
	}
}

func TestStartStopRestart(t *testing.T) {
	requireServerBinaries(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	// A nested path exercises parent creation (and, as root, making t.TempDir's 0700 directory
	// traversable for the postgres user).
	dir := filepath.Join(t.TempDir(), "gorgon", "pg")

	c, err := Start(ctx, Options{DataDir: dir, Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("first Start: %v", err)
	}
	t.Cleanup(func() { _ = c.Stop(context.Background()) })
	if !c.FirstRun() {
		t.Errorf("first Start: FirstRun() = false, want true")
	}
	if !strings.HasPrefix(c.URL(), "postgres://postgres@127.0.0.1:") || !strings.HasSuffix(c.URL(), "/gorgon?sslmode=disable") {
		t.Errorf("URL() = %q", c.URL())
	}
	conn := connect(ctx, t, c.URL())
	var one int
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("SELECT 1 = %d, %v", one, err)
	}
	if _, err := conn.Exec(ctx, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')"); err != nil {
		t.Fatal(err)
	}
	conn.Close(ctx)

	// A second cluster on the same data dir must be refused while the first runs.
	if _, err := Start(ctx, Options{DataDir: dir, Logger: testLogger(t)}); err == nil || !strings.Contains(err.Error(), "already running") {
		t.Errorf("Start on a data dir in use: err = %v, want 'already running'", err)
	}

	if err := c.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := c.Stop(ctx); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "postmaster.pid")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("postmaster.pid after Stop: %v", err)
	}

	c2, err := Start(ctx, Options{DataDir: dir, Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("second Start: %v", err)
	}
	t.Cleanup(func() { _ = c2.Stop(context.Background()) })
	if c2.FirstRun() {
		t.Errorf("second Start: FirstRun() = true, want false")
	}
	conn = connect(ctx, t, c2.URL())
	var v string
	if err := conn.QueryRow(ctx, "SELECT v FROM kept").Scan(&v); err != nil || v != "still here" {
		t.Errorf("data after restart: %q, %v", v, err)
	}
	conn.Close(ctx)
	if err := c2.Stop(ctx); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
}

func TestStalePIDFileIsRemoved(t *testing.T) {
	requireServerBinaries(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := filepath.Join(t.TempDir(), "pg")
	c, err := Start(ctx, Options{DataDir: dir, Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	if err := c.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	// What a crashed postgres leaves behind: a lock file naming a pid that no longer exists.
	uid, gid, err := fileOwner(dir)
	if err != nil {
		t.Fatal(err)
	}
	pidFile := filepath.Join(dir, "postmaster.pid")
	if err := os.WriteFile(pidFile, []byte("999999999\n"+dir+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_ = os.Chown(pidFile, uid, gid)

	c, err = Start(ctx, Options{DataDir: dir, Port: c.Port(), Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("Start over a stale postmaster.pid: %v", err)
	}
	defer c.Stop(context.Background())
	if c.FirstRun() {
		t.Errorf("FirstRun() = true, want false")
	}
	connect(ctx, t, c.URL()).Close(ctx)
}

func connect(ctx context.Context, t *testing.T, url string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect %s: %v", url, err)
	}
	return conn
}

func TestFindBinariesNotFound(t *testing.T) {
	t.Setenv("PATH", "")
	emptyBindir := t.TempDir()
	f := defaultFinder()
	f.pgConfigBindir = func() (string, error) { return emptyBindir, nil }
	f.versionsRoot = t.TempDir()
	_, err := f.find()
	if err == nil {
		t.Fatal("find() succeeded with no binaries anywhere")
	}
	for _, want := range []string{"initdb", "apt-get install postgresql", "DATABASE_URL", emptyBindir, "PATH"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestFindBinariesOrder(t *testing.T) {
	fakeBin := func(dir string) {
		t.Helper()
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"initdb", "postgres"} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
	}
	notFound := func(string) (string, error) { return "", errors.New("not found") }
	root := t.TempDir()
	for _, v := range []string{"9.6", "15", "13"} {
		fakeBin(filepath.Join(root, v, "bin"))
	}
	// 16 is installed only as a client (libpq-dev/pg_config without the server): skipped.
	if err := os.MkdirAll(filepath.Join(root, "16", "bin"), 0o755); err != nil {
		t.Fatal(err)
	}

	// pg_config's bindir wins when it has the server.
	cfgDir := filepath.Join(t.TempDir(), "bin")
	fakeBin(cfgDir)
	b, err := finder{pgConfigBindir: func() (string, error) { return cfgDir, nil }, versionsRoot: root, lookPath: notFound}.find()
	if err != nil || b.initdb != filepath.Join(cfgDir, "initdb") || b.postgres != filepath.Join(cfgDir, "postgres") {
		t.Errorf("with pg_config: %+v, %v", b, err)
	}

	// Else the highest version, compared numerically.
	noCfg := func() (string, error) { return "", errors.New("no pg_config") }
	b, err = finder{pgConfigBindir: noCfg, versionsRoot: root, lookPath: notFound}.find()
	if want := filepath.Join(root, "15", "bin", "initdb"); err != nil || b.initdb != want {
		t.Errorf("versioned dirs: %+v, %v; want %s", b, err, want)
	}

	// Else PATH.
	lp := func(name string) (string, error) { return "/opt/pg/bin/" + name, nil }
	b, err = finder{pgConfigBindir: noCfg, versionsRoot: t.TempDir(), lookPath: lp}.find()
	if err != nil || b.initdb != "/opt/pg/bin/initdb" || b.postgres != "/opt/pg/bin/postgres" {
		t.Errorf("PATH: %+v, %v", b, err)
	}
}

func TestSocketDirFitsSunPath(t *testing.T) {
	short := "/tmp/x/pg"
	if got := socketDir(short, 5432); got != short {
		t.Errorf("socketDir(short) = %q", got)
	}
	long := "/" + strings.Repeat("d", 120)
	if got := socketDir(long, 5432); got != "" {
		t.Errorf("socketDir(long) = %q, want \"\" (TCP only)", got)
	}
}
