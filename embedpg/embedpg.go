// Package embedpg runs a private PostgreSQL cluster for `gorgon serve` when no DATABASE_URL is
// given: it finds the server binaries installed on the machine, initialises a data directory on
// first use, starts postgres on a loopback TCP port and stops it again on shutdown.
//
// PostgreSQL refuses to run as root, so when Gorgon runs as root (CI, containers) the cluster runs
// as the unprivileged `postgres` system user, which then owns the data directory.
package embedpg

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// DefaultDataDir is where the cluster lives when Options.DataDir is empty.
const DefaultDataDir = "./.gorgon/pg"

// DatabaseName is the database URL points at; Start creates it if missing.
const DatabaseName = "gorgon"

// superuser is the bootstrap superuser initdb creates; trust auth, loopback only.
const superuser = "postgres"

// startTimeout bounds how long Start waits for postgres to accept connections.
const startTimeout = 30 * time.Second

// logFileName is postgres's log, inside the data directory. It is created only after initdb,
// which insists on an empty directory.
const logFileName = "gorgon-postgres.log"

// Options configures Start.
type Options struct {
	// DataDir is the cluster's data directory (default DefaultDataDir). It is created and
	// initialised if it holds no cluster yet.
	DataDir string
	// Port is the loopback TCP port postgres listens on; 0 picks a free one.
	Port int
	// Logger receives progress messages (default slog.Default()).
	Logger *slog.Logger
}

// Cluster is a running private PostgreSQL server.
type Cluster struct {
	dataDir  string
	port     int
	firstRun bool
	log      *slog.Logger
	logFile  *os.File

	cmd  *exec.Cmd
	done chan struct{} // closed when the postgres process has exited
	werr error         // cmd.Wait's result, valid once done is closed

	stopOnce sync.Once
	stopErr  error
}

// URL is a connection URL for the cluster's `gorgon` database, over 127.0.0.1.
func (c *Cluster) URL() string { return c.urlFor(DatabaseName) }

// FirstRun reports whether Start initialised the data directory (ran initdb) this time.
func (c *Cluster) FirstRun() bool { return c.firstRun }

// DataDir is the absolute path of the cluster's data directory.
func (c *Cluster) DataDir() string { return c.dataDir }

// Port is the loopback TCP port postgres listens on.
func (c *Cluster) Port() int { return c.port }

func (c *Cluster) urlFor(db string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable", superuser, c.port, db)
}

// Stop shuts postgres down with a fast shutdown (SIGINT: roll back open transactions, checkpoint,
// exit) and waits for it to exit. If ctx ends first it falls back to an immediate shutdown
// (SIGQUIT), then SIGKILL. Calling Stop again returns the first call's result.
func (c *Cluster) Stop(ctx context.Context) error {
	c.stopOnce.Do(func() {
		c.stopErr = c.stop(ctx)
		if c.logFile != nil {
			c.logFile.Close()
		}
	})
	return c.stopErr
}

func (c *Cluster) stop(ctx context.Context) error {
	select {
	case <-c.done:
		return c.exitedEarly()
	default:
	}
	c.log.Info("stopping embedded postgres", "pid", c.cmd.Process.Pid)
	if err := interrupt(c.cmd.Process); err != nil {
		select {
		case <-c.done:
			return nil
		default:
			return fmt.Errorf("embedpg: signal postgres: %w", err)
		}
	}
	select {
	case <-c.done:
		return nil
	case <-ctx.Done():
	}
	c.log.Warn("embedded postgres did not stop in time; immediate shutdown")
	_ = quit(c.cmd.Process)
	select {
	case <-c.done:
	case <-time.After(5 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.done
	}
	return fmt.Errorf("embedpg: fast shutdown: %w", ctx.Err())
}

// exitedEarly is Stop's result when postgres had already exited on its own.
func (c *Cluster) exitedEarly() error {
	if c.werr != nil {
		return fmt.Errorf("embedpg: postgres exited unexpectedly (%v); see %s", c.werr, filepath.Join(c.dataDir, logFileName))
	}
	return nil
}

// Start initialises (if needed) and starts the cluster in opts.DataDir, waits until it accepts
// connections and creates the `gorgon` database if missing. ctx bounds only the start-up; the
// server runs until Stop.
func Start(ctx context.Context, opts Options) (*Cluster, error) {
	return start(ctx, opts, defaultFinder())
}

func start(ctx context.Context, opts Options, f finder) (*Cluster, error) {
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	if err := platformSupported(); err != nil {
		return nil, err
	}
	bins, err := f.find()
	if err != nil {
		return nil, err
	}
	dir := opts.DataDir
	if dir == "" {
		dir = DefaultDataDir
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("embedpg: data dir: %w", err)
	}
	owner, err := clusterOwner()
	if err != nil {
		return nil, err
	}
	if err := prepareDataDir(dir, owner, log); err != nil {
		return nil, err
	}

	c := &Cluster{dataDir: dir, log: log}
	if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := initdb(ctx, bins, dir, owner, log); err != nil {
			return nil, err
		}
		c.firstRun = true
	} else if err != nil {
		return nil, fmt.Errorf("embedpg: %w", err)
	}
	if err := clearStalePID(dir, log); err != nil {
		return nil, err
	}

	c.logFile, err = os.OpenFile(filepath.Join(dir, logFileName), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("embedpg: open log: %w", err)
	}
	if owner != nil {
		// The file is written through the descriptor we pass, but keep it readable by its cluster.
		_ = os.Chown(c.logFile.Name(), owner.uid, owner.gid)
	}

	// A free port picked here can be taken before postgres binds it; retry with another.
	for attempt := 1; ; attempt++ {
		port := opts.Port
		if port == 0 {
			if port, err = freePort(); err != nil {
				c.logFile.Close()
				return nil, err
			}
		}
		c.port = port
		err = c.run(ctx, bins, owner)
		if err == nil {
			break
		}
		if opts.Port == 0 && attempt < 3 && errors.Is(err, errPortInUse) {
			log.Debug("embedded postgres port taken, retrying", "port", port)
			continue
		}
		c.logFile.Close()
		return nil, err
	}

	if err := c.createDatabase(ctx); err != nil {
		_ = c.Stop(context.Background())
		return nil, err
	}
	log.Info("embedded postgres ready", "data_dir", dir, "port", c.port, "first_run", c.firstRun)
	return c, nil
}

var errPortInUse = errors.New("port in use")

// run starts postgres and waits until it accepts connections.
func (c *Cluster) run(ctx context.Context, bins binaries, owner *runAs) error {
	logStart, _ := c.logFile.Seek(0, io.SeekEnd)
	args := []string{
		"-D", c.dataDir,
		"-p", strconv.Itoa(c.port),
		"-h", "127.0.0.1",
		"-k", socketDir(c.dataDir, c.port),
	}
	cmd := exec.Command(bins.postgres, args...)
	cmd.Dir = c.dataDir
	cmd.Stdout = c.logFile
	cmd.Stderr = c.logFile
	cmd.SysProcAttr = procAttr(owner, true)
	c.log.Debug("starting embedded postgres", "cmd", cmd.String())
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("embedpg: start postgres: %w", err)
	}
	c.cmd = cmd
	c.done = make(chan struct{})
	go func() {
		c.werr = cmd.Wait()
		close(c.done)
	}()

	ctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	for {
		cctx, ccancel := context.WithTimeout(ctx, 2*time.Second)
		conn, err := pgx.Connect(cctx, c.urlFor("postgres"))
		ccancel()
		if err == nil {
			conn.Close(context.Background())
			return nil
		}
		select {
		case <-c.done:
			tail := c.logTail(logStart)
			if strings.Contains(tail, "already in use") {
				return fmt.Errorf("%w: %s", errPortInUse, tail)
			}
			return fmt.Errorf("embedpg: postgres exited during start-up (%v); log %s:\n%s",
				c.werr, c.logFile.Name(), tail)
		case <-ctx.Done():
			_ = c.stop(context.Background())
			return fmt.Errorf("embedpg: postgres did not accept connections on 127.0.0.1:%d (%v, last error: %v); log %s:\n%s",
				c.port, ctx.Err(), err, c.logFile.Name(), c.logTail(logStart))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// logTail returns the last lines postgres logged since offset.
func (c *Cluster) logTail(offset int64) string {
	b, err := os.ReadFile(c.logFile.Name())
	if err != nil || offset > int64(len(b)) {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b[offset:]), "\n"), "\n")
	if len(lines) > 20 {
		lines = lines[len(lines)-20:]
	}
	return strings.Join(lines, "\n")
}

func (c *Cluster) createDatabase(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, c.urlFor("postgres"))
	if err != nil {
		return fmt.Errorf("embedpg: connect: %w", err)
	}
	defer conn.Close(context.Background())
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", DatabaseName).Scan(&exists); err != nil {
		return fmt.Errorf("embedpg: look up database: %w", err)
	}
	if exists {
		return nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{DatabaseName}.Sanitize()); err != nil {
		return fmt.Errorf("embedpg: create database %s: %w", DatabaseName, err)
	}
	c.log.Info("created database", "name", DatabaseName)
	return nil
}

// socketDir is postgres's unix socket directory: the data dir when the socket path fits in
// sun_path (107 bytes + NUL), else none (""), since Gorgon connects over TCP anyway and a socket
// is only a convenience for psql.
func socketDir(dataDir string, port int) string {
	if len(dataDir)+len("/.s.PGSQL.")+len(strconv.Itoa(port))+len(".lock") <= 107 {
		return dataDir
	}
	return ""
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("embedpg: pick a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// runAs is the system user the cluster runs as when Gorgon runs as root.
type runAs struct {
	name     string
	uid, gid int
}

// clusterOwner is nil when postgres runs as the current user, else the `postgres` system user
// (PostgreSQL refuses to run as root).
func clusterOwner() (*runAs, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup(superuser)
	if err != nil {
		return nil, fmt.Errorf("embedpg: running as root, and PostgreSQL refuses to run as root, "+
			"but there is no %q system user to run it as (%v): create one (e.g. `useradd --system --create-home postgres`; "+
			"installing the postgresql package does this), run Gorgon as a non-root user, or set DATABASE_URL", superuser, err)
	}
	uid, err := strconv.Atoi(u.Uid)
	if err != nil {
		return nil, fmt.Errorf("embedpg: user %s: uid %q", u.Username, u.Uid)
	}
	gid, err := strconv.Atoi(u.Gid)
	if err != nil {
		return nil, fmt.Errorf("embedpg: user %s: gid %q", u.Username, u.Gid)
	}
	return &runAs{name: u.Username, uid: uid, gid: gid}, nil
}

// prepareDataDir creates the data directory (0700, as postgres requires) and, when the cluster
// runs as another user, hands it to that user and makes sure that user can reach it.
func prepareDataDir(dir string, owner *runAs, log *slog.Logger) error {
	// Parents we create are traversable so another user can reach the data dir.
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return fmt.Errorf("embedpg: create data dir: %w", err)
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return fmt.Errorf("embedpg: create data dir: %w", err)
	}
	if owner == nil {
		return nil
	}
	// Existing parents (e.g. a 0700 temp dir, or /root) may keep the postgres user out. Grant
	// search (x) only, not read: others can then reach known paths below but not list them.
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return fmt.Errorf("embedpg: %w", err)
		}
		if fi.Mode().Perm()&0o001 == 0 {
			mode := fi.Mode().Perm() | 0o001
			log.Warn("making directory traversable for the postgres user", "dir", p, "mode", fmt.Sprintf("%#o", mode))
			if err := os.Chmod(p, mode); err != nil {
				return fmt.Errorf("embedpg: make %s traversable for user %s: %w", p, owner.name, err)
			}
		}
		if filepath.Dir(p) == p {
			break
		}
	}
	uid, _, err := fileOwner(dir)
	if err != nil {
		return fmt.Errorf("embedpg: %w", err)
	}
	if uid == owner.uid {
		return nil
	}
	log.Info("giving data dir to the postgres user", "dir", dir, "user", owner.name)
	return filepath.WalkDir(dir, func(p string, _ os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := os.Lchown(p, owner.uid, owner.gid); err != nil {
			return fmt.Errorf("embedpg: chown %s to %s: %w", p, owner.name, err)
		}
		return nil
	})
}

func initdb(ctx context.Context, bins binaries, dir string, owner *runAs, log *slog.Logger) error {
	log.Info("initialising embedded postgres cluster", "data_dir", dir)
	cmd := exec.CommandContext(ctx, bins.initdb,
		"-D", dir,
		"--auth=trust",
		"--username="+superuser,
		"--encoding=UTF8",
		"--locale=C",
	)
	// The current directory may be closed to the postgres user (e.g. /root).
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	cmd.SysProcAttr = procAttr(owner, false)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("embedpg: initdb %s: %v\n%s", dir, err, strings.TrimSpace(out.String()))
	}
	return nil
}

// clearStalePID removes a postmaster.pid left by a postgres that crashed or was killed, and
// refuses to start when a live postgres still owns the data directory.
func clearStalePID(dir string, log *slog.Logger) error {
	path := filepath.Join(dir, "postmaster.pid")
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("embedpg: %w", err)
	}
	first, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(first))
	if err == nil && pid > 0 && pidAlive(pid) && looksLikePostgres(pid) {
		return fmt.Errorf("embedpg: a PostgreSQL server (pid %d) is already running on data dir %s, "+
			"probably from another Gorgon; stop it (e.g. `kill -INT %d` or `pg_ctl -D %s stop -m fast`) "+
			"or choose another data dir", pid, dir, pid, dir)
	}
	log.Info("removing stale postmaster.pid", "path", path, "pid", first)
	if err := os.Remove(path); err != nil {
		return fmt.Errorf("embedpg: remove stale postmaster.pid: %w", err)
	}
	return nil
}

// binaries are the PostgreSQL server programs Start runs.
type binaries struct {
	initdb, postgres string
}

// finder locates the server binaries; its lookups are injectable for tests.
type finder struct {
	pgConfigBindir func() (string, error) // `pg_config --bindir`
	versionsRoot   string                 // Debian/Ubuntu layout: <root>/<version>/bin
	lookPath       func(string) (string, error)
}

func defaultFinder() finder {
	return finder{
		pgConfigBindir: func() (string, error) {
			pc, err := exec.LookPath("pg_config")
			if err != nil {
				return "", err
			}
			out, err := exec.Command(pc, "--bindir").Output()
			return strings.TrimSpace(string(out)), err
		},
		versionsRoot: "/usr/lib/postgresql",
		lookPath:     exec.LookPath,
	}
}

// find tries pg_config's bindir, then the highest-version Debian-style install, then PATH.
// pg_config alone proves nothing: libpq-dev ships it without the server.
func (f finder) find() (binaries, error) {
	var tried []string
	if f.pgConfigBindir != nil {
		if dir, err := f.pgConfigBindir(); err == nil && dir != "" {
			if b, ok := binariesIn(dir); ok {
				return b, nil
			}
			tried = append(tried, dir+" (pg_config --bindir)")
		}
	}
	if f.versionsRoot != "" {
		for _, dir := range versionBinDirs(f.versionsRoot) {
			if b, ok := binariesIn(dir); ok {
				return b, nil
			}
			tried = append(tried, dir)
		}
	}
	if f.lookPath != nil {
		ini, err1 := f.lookPath("initdb")
		pg, err2 := f.lookPath("postgres")
		if err1 == nil && err2 == nil {
			return binaries{initdb: ini, postgres: pg}, nil
		}
		tried = append(tried, "PATH")
	}
	return binaries{}, fmt.Errorf("embedpg: PostgreSQL server binaries (initdb, postgres) not found (looked in: %s). "+
		"Either install the PostgreSQL server (e.g. `apt-get install postgresql` on Debian/Ubuntu, "+
		"`brew install postgresql` on macOS) so Gorgon can run its own private cluster, "+
		"or set DATABASE_URL to an existing PostgreSQL database", strings.Join(tried, ", "))
}

// versionBinDirs lists <root>/<version>/bin, highest version first (numerically: 15 > 9.6).
func versionBinDirs(root string) []string {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil
	}
	type ver struct {
		name  string
		parts []int
	}
	var vs []ver
	for _, e := range entries {
		var parts []int
		for _, s := range strings.Split(e.Name(), ".") {
			n, err := strconv.Atoi(s)
			if err != nil {
				parts = nil
				break
			}
			parts = append(parts, n)
		}
		if parts != nil {
			vs = append(vs, ver{e.Name(), parts})
		}
	}
	sort.Slice(vs, func(i, j int) bool {
		a, b := vs[i].parts, vs[j].parts
		for k := 0; k < len(a) && k < len(b); k++ {
			if a[k] != b[k] {
				return a[k] > b[k]
			}
		}
		return len(a) > len(b)
	})
	dirs := make([]string, len(vs))
	for i, v := range vs {
		dirs[i] = filepath.Join(root, v.name, "bin")
	}
	return dirs
}

func binariesIn(dir string) (binaries, bool) {
	b := binaries{initdb: filepath.Join(dir, "initdb"+exeSuffix), postgres: filepath.Join(dir, "postgres"+exeSuffix)}
	return b, isExecutable(b.initdb) && isExecutable(b.postgres)
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && (exeSuffix != "" || fi.Mode().Perm()&0o111 != 0)
}
