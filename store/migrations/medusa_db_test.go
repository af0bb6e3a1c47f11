package migrations_test

import (
	"bufio"
	"context"
	"database/sql"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
	"github.com/gorgon-commerce/gorgon/store/migrations"
	"github.com/gorgon-commerce/gorgon/store/password"
)

// medusaHash is a password hash written by Medusa 1.3.8 (scrypt-kdf, logN=1 r=1 p=1) for
// "supersecret".
const medusaHash = "c2NyeXB0AAEAAAABAAAAAZJnWfogClpCX9TRrpDs1zFYAUxI/eGAYDIsWpx81fdx7g7LI+VEyCu9LMEFGk7hw252/pRM9tOLcnFgBh6qZs0V6U267UPfe+9KNwOs/gXh"

// recordMigrations writes the rows of a migrations list (timestamp|name lines) into TypeORM's
// migrations table, as Medusa's migrations leave them.
func recordMigrations(ctx context.Context, t *testing.T, db *sql.DB, file string) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		ts, name, _ := strings.Cut(sc.Text(), "|")
		if _, err := db.ExecContext(ctx, `INSERT INTO migrations ("timestamp", name) VALUES ($1, $2)`, ts, name); err != nil {
			t.Fatal(err)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
}

// TestRunsOnMedusaMigratedDatabase builds a database the way Medusa 1.3.8 leaves it (its schema
// dump plus TypeORM's migrations rows and a user Medusa created), runs Gorgon's migrations and
// start-up, and checks that Medusa's tables kept their exact shape and the user logs in.
func TestRunsOnMedusaMigratedDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sqldb := dbtest.Empty(t)
	loadDump(ctx, t, sqldb, referenceSchema(t))
	recordMigrations(ctx, t, sqldb, "medusa_migrations.txt")
	if _, err := sqldb.ExecContext(ctx, `INSERT INTO currency (code, symbol, symbol_native, name) VALUES ('usd', '$', '$', 'US Dollar')`); err != nil {
		t.Fatal(err)
	}
	if _, err := sqldb.ExecContext(ctx, `INSERT INTO "user" (id, email, password_hash, api_token) VALUES ('usr_medusa', 'admin@medusa-test.com', $1, 'tok')`, medusaHash); err != nil {
		t.Fatal(err)
	}
	before := describe(ctx, t, sqldb)

	db := bun.NewDB(sqldb, pgdialect.New())
	// The flag off, as most shops run: Medusa's flag-on tables are used as they are.
	if err := migrations.Up(ctx, db, migrations.Options{}); err != nil {
		t.Fatal(err)
	}
	s, err := store.New(ctx, db, store.Config{JWTSecret: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	after := describe(ctx, t, sqldb)
	if strings.Join(before, "\n") != strings.Join(after, "\n") {
		t.Fatal("Gorgon changed the shape of Medusa's tables")
	}
	var countries int
	if err := sqldb.QueryRowContext(ctx, `SELECT count(*) FROM country`).Scan(&countries); err != nil || countries != 0 {
		t.Fatalf("Gorgon inserted Medusa's reference rows into a Medusa database: %d %v", countries, err)
	}

	u, err := s.Authenticate(ctx, "admin@medusa-test.com", "supersecret", netip.Addr{})
	if err != nil {
		t.Fatalf("login with Medusa's hash: %v", err)
	}
	if u.ID != "usr_medusa" {
		t.Fatalf("user %s", u.ID)
	}
	// The weak hash was upgraded, in Medusa's format, and still verifies.
	var h string
	if err := sqldb.QueryRowContext(ctx, `SELECT password_hash FROM "user" WHERE id = 'usr_medusa'`).Scan(&h); err != nil {
		t.Fatal(err)
	}
	if h == medusaHash || password.NeedsRehash(h) {
		t.Fatalf("hash not upgraded: %s", h)
	}
	if ok, err := s.Passwords.Verify(ctx, h, "supersecret"); !ok || err != nil {
		t.Fatalf("upgraded hash does not verify: %v", err)
	}
	if _, err := s.Authenticate(ctx, "admin@medusa-test.com", "supersecret", netip.Addr{}); err != nil {
		t.Fatalf("second login: %v", err)
	}
	if _, err := s.UserByAPIToken(ctx, "tok"); err != nil {
		t.Fatalf("api token: %v", err)
	}
}
