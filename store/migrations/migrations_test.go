package migrations_test

import (
	"context"
	"database/sql"
	"os"
	"strings"
	"testing"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
	"github.com/gorgon-commerce/gorgon/store/migrations"
)

var (
	flagOn  = migrations.Options{SalesChannels: true}
	flagOff = migrations.Options{}
)

// migrationRows returns TypeORM's migrations table in id order, as timestamp|name lines.
func migrationRows(ctx context.Context, t *testing.T, db bun.IDB) string {
	t.Helper()
	var rows []string
	if err := db.NewRaw(`SELECT "timestamp" || '|' || name FROM migrations ORDER BY id`).Scan(ctx, &rows); err != nil {
		t.Fatal(err)
	}
	return strings.Join(rows, "\n")
}

func readLines(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// On an empty database Up builds either shape with the reference rows, and records Medusa's
// migrations exactly as Medusa's own run does with the flag in that position (the flag-off list
// is the one the real Medusa wrote); a second run changes nothing.
func TestUpOnEmptyDatabaseThenAgain(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		opts migrations.Options
		rows string // file with the expected migrations rows
	}{
		{"flag on", flagOn, "medusa_migrations.txt"},
		{"flag off", flagOff, flagOffMigrationsPath},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sqldb := dbtest.Empty(t)
			db := bun.NewDB(sqldb, pgdialect.New())
			ctx := context.Background()
			if err := migrations.Up(ctx, db, tc.opts); err != nil {
				t.Fatal(err)
			}
			var countries, currencies int
			if err := db.QueryRow(`SELECT (SELECT count(*) FROM country), (SELECT count(*) FROM currency)`).Scan(&countries, &currencies); err != nil {
				t.Fatal(err)
			}
			if countries != 250 || currencies != 120 {
				t.Fatalf("countries=%d currencies=%d, want 250 120", countries, currencies)
			}
			if got, want := migrationRows(ctx, t, db), readLines(t, tc.rows); got != want {
				t.Fatalf("migrations rows:\n%s\nwant:\n%s", got, want)
			}
			ok, err := migrations.MedusaMigrated(ctx, db)
			if err != nil || !ok {
				t.Fatalf("MedusaMigrated = %v, %v", ok, err)
			}
			before := describe(ctx, t, sqldb)
			if err := migrations.Up(ctx, db, tc.opts); err != nil {
				t.Fatal(err)
			}
			if strings.Join(describe(ctx, t, sqldb), "\n") != strings.Join(before, "\n") {
				t.Fatal("a second Up changed the schema")
			}
			if got, want := migrationRows(ctx, t, db), readLines(t, tc.rows); got != want {
				t.Fatalf("a second Up changed the migrations rows:\n%s", got)
			}
		})
	}
}

// Switching the flag on over a flag-off database runs Medusa's sales channel migration once,
// as `medusa migrations run` does (TypeORM runs every migration it has no row for, older ones
// included, and appends its row): the schema is then the flag-on reference, and the store serves
// sales channels. Both a database Gorgon built and one the real Medusa built are upgraded.
func TestFlagOnUpgradesFlagOffDatabase(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		build func(ctx context.Context, t *testing.T, db *sql.DB)
	}{
		{"built by gorgon", func(ctx context.Context, t *testing.T, db *sql.DB) {
			if err := migrations.Up(ctx, bun.NewDB(db, pgdialect.New()), flagOff); err != nil {
				t.Fatal(err)
			}
		}},
		{"built by medusa", func(ctx context.Context, t *testing.T, db *sql.DB) {
			loadDump(ctx, t, db, flagOffSchema(t))
			recordMigrations(ctx, t, db, flagOffMigrationsPath)
			// The dump holds no rows; the store's default currency must exist.
			if _, err := db.ExecContext(ctx, `INSERT INTO currency (code, symbol, symbol_native, name) VALUES ('usd', '$', '$', 'US Dollar')`); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			sqldb := dbtest.Empty(t)
			tc.build(ctx, t, sqldb)
			db := bun.NewDB(sqldb, pgdialect.New())

			// With the flag still off nothing changes, and a store with the flag on is refused.
			if err := migrations.Up(ctx, db, flagOff); err != nil {
				t.Fatal(err)
			}
			if _, err := store.New(ctx, db, store.Config{FeatureSalesChannels: true}); err == nil ||
				!strings.Contains(err.Error(), "lacks Medusa's sales channel schema (sales_channel, product_sales_channel, store.default_sales_channel_id, cart.sales_channel_id, order.sales_channel_id)") {
				t.Fatalf("store with the flag on over a flag-off database: %v", err)
			}

			if err := migrations.Up(ctx, db, flagOn); err != nil {
				t.Fatal(err)
			}
			refDB := dbtest.Empty(t)
			loadDump(ctx, t, refDB, referenceSchema(t))
			sameSchema(ctx, t, refDB, sqldb, "Medusa 1.3.8's reference (flag on)")
			want := readLines(t, flagOffMigrationsPath) + "\n1656949291839|salesChannel1656949291839"
			if got := migrationRows(ctx, t, db); got != want {
				t.Fatalf("migrations rows:\n%s\nwant:\n%s", got, want)
			}
			// Once only.
			if err := migrations.Up(ctx, db, flagOn); err != nil {
				t.Fatal(err)
			}
			if got := migrationRows(ctx, t, db); got != want {
				t.Fatalf("second Up: migrations rows:\n%s", got)
			}

			s, err := store.New(ctx, db, store.Config{FeatureSalesChannels: true})
			if err != nil {
				t.Fatal(err)
			}
			if err := s.EnsureDefaults(ctx); err != nil {
				t.Fatal(err)
			}
			st, err := s.GetStore(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st.DefaultSalesChannel == nil || st.DefaultSalesChannel.Name != "Default Sales Channel" ||
				st.DefaultSalesChannelID.ID == nil || *st.DefaultSalesChannelID.ID != st.DefaultSalesChannel.ID {
				t.Fatalf("default sales channel after the upgrade: %+v %+v", st.DefaultSalesChannelID, st.DefaultSalesChannel)
			}

			// Switched off again, Medusa keeps the tables and ignores them; so does Gorgon.
			if err := migrations.Up(ctx, db, flagOff); err != nil {
				t.Fatal(err)
			}
			sameSchema(ctx, t, refDB, sqldb, "Medusa 1.3.8's reference (flag on)")
		})
	}
}
