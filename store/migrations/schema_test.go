package migrations_test

import (
	"context"
	"database/sql"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/gorgon-commerce/gorgon/store/dbtest"
	"github.com/gorgon-commerce/gorgon/store/migrations"
)

// referenceSchemaPaths are where the client's pg_dump of a Medusa 1.3.8 database (migrated with
// the sales_channels flag on) is looked for: the copy committed with the tests first, then the
// shared reference next to the repository.
var referenceSchemaPaths = []string{
	filepath.Join("testdata", "medusa-1.3.8-schema.sql"),
	filepath.Join("..", "..", "..", "shared", "reference", "medusa-1.3.8-schema.sql"),
}

// flagOffSchemaPath is the oracle of the flag-off shape: pg_dump --schema-only of a database that
// the real Medusa 1.3.8 migrated (`medusa migrations run`) with MEDUSA_FF_SALES_CHANNELS=false;
// flagOffMigrationsPath holds the rows its migrations table got (42: all but
// salesChannel1656949291839).
var (
	flagOffSchemaPath     = filepath.Join("testdata", "medusa-1.3.8-flagoff-schema.sql")
	flagOffMigrationsPath = filepath.Join("testdata", "medusa-1.3.8-flagoff-migrations.txt")
)

func referenceSchema(t *testing.T) string {
	t.Helper()
	for _, p := range referenceSchemaPaths {
		b, err := os.ReadFile(p)
		if err == nil {
			return string(b)
		}
		if !errors.Is(err, fs.ErrNotExist) {
			t.Fatal(err)
		}
	}
	t.Skipf("Medusa 1.3.8 reference schema not found (looked in %s)", strings.Join(referenceSchemaPaths, ", "))
	return ""
}

func flagOffSchema(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(flagOffSchemaPath)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// stripPsqlMeta drops psql meta-commands (\restrict, \unrestrict, …), which only psql
// understands; the rest of a pg_dump is plain SQL.
func stripPsqlMeta(dump string) string {
	lines := strings.Split(dump, "\n")
	out := lines[:0]
	for _, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), `\`) {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// catalogQueries describe everything in the schema public, one text line per fact. They run with
// an empty search_path so that every name in definitions comes out schema-qualified, the same way
// on both databases. Gorgon's own indexes on Medusa's tables (gorgon_…, migrations.Indexes) and
// pg_trgm's objects are not Medusa's schema and are left out (TestGorgonIndexes covers them).
var catalogQueries = map[string]string{
	"relations": `
		SELECT format('relation %s kind=%s persistence=%s', c.relname, c.relkind, c.relpersistence)
		FROM pg_catalog.pg_class c
		WHERE c.relnamespace = 'public'::regnamespace AND NOT (c.relkind = 'i' AND c.relname LIKE 'gorgon\_%')`,
	"columns": `
		SELECT format('column %s.%s type=%s udt=%s.%s nullable=%s default=%s identity=%s generated=%s collation=%s',
		       table_name, column_name, data_type, udt_schema, udt_name, is_nullable,
		       coalesce(column_default, '-'), is_identity, is_generated, coalesce(collation_name, '-'))
		FROM information_schema.columns
		WHERE table_schema = 'public'`,
	"column order": `
		SELECT format('columns of %s: %s', c.relname, string_agg(a.attname, ', ' ORDER BY a.attnum))
		FROM pg_catalog.pg_class c
		JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
		WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
		GROUP BY c.relname`,
	"indexes": `
		SELECT format('index %s.%s: %s', tablename, indexname, indexdef)
		FROM pg_catalog.pg_indexes
		WHERE schemaname = 'public' AND indexname NOT LIKE 'gorgon\_%'`,
	"constraints": `
		SELECT format('constraint %s.%s (%s): %s', coalesce(c.relname, '-'), k.conname, k.contype,
		       pg_catalog.pg_get_constraintdef(k.oid, true))
		FROM pg_catalog.pg_constraint k
		LEFT JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
		WHERE k.connamespace = 'public'::regnamespace`,
	"types": `
		SELECT format('type %s kind=%s', t.typname, t.typtype)
		FROM pg_catalog.pg_type t
		WHERE t.typnamespace = 'public'::regnamespace AND t.typrelid = 0 AND t.typelem = 0
		  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_type'::regclass
		                  AND d.objid = t.oid AND d.deptype = 'e')`,
	"enum labels": `
		SELECT format('enum %s: %s', t.typname, string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder))
		FROM pg_catalog.pg_type t
		JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
		WHERE t.typnamespace = 'public'::regnamespace
		GROUP BY t.typname`,
	"sequences": `
		SELECT format('sequence %s: type=%s start=%s min=%s max=%s increment=%s cycle=%s cache=%s',
		       sequencename, data_type, start_value, min_value, max_value, increment_by, cycle, cache_size)
		FROM pg_catalog.pg_sequences
		WHERE schemaname = 'public'`,
	"sequence owners": `
		SELECT format('sequence %s owned by %s.%s', s.relname, t.relname, a.attname)
		FROM pg_catalog.pg_depend d
		JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
		JOIN pg_catalog.pg_class t ON t.oid = d.refobjid
		JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
		WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.deptype IN ('a', 'i')
		  AND s.relnamespace = 'public'::regnamespace`,
	"views": `
		SELECT format('view %s: %s', viewname, definition)
		FROM pg_catalog.pg_views
		WHERE schemaname = 'public'`,
	"functions": `
		SELECT format('function %s(%s) kind=%s: %s', p.proname,
		       pg_catalog.pg_get_function_identity_arguments(p.oid), p.prokind, md5(p.prosrc))
		FROM pg_catalog.pg_proc p
		WHERE p.pronamespace = 'public'::regnamespace
		  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::regclass
		                  AND d.objid = p.oid AND d.deptype = 'e')`,
	"triggers": `
		SELECT format('trigger %s.%s: %s', c.relname, g.tgname, pg_catalog.pg_get_triggerdef(g.oid))
		FROM pg_catalog.pg_trigger g
		JOIN pg_catalog.pg_class c ON c.oid = g.tgrelid
		WHERE NOT g.tgisinternal AND c.relnamespace = 'public'::regnamespace`,
	"extensions": `
		SELECT format('extension %s', x.extname)
		FROM pg_catalog.pg_extension x
		WHERE x.extnamespace = 'public'::regnamespace AND x.extname <> 'pg_trgm'`,
}

// describe returns the facts of catalogQueries for db, sorted.
func describe(ctx context.Context, t *testing.T, db *sql.DB) []string {
	t.Helper()
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback() //nolint:errcheck
	if _, err := tx.ExecContext(ctx, `SELECT pg_catalog.set_config('search_path', '', true)`); err != nil {
		t.Fatal(err)
	}
	var facts []string
	for name, q := range catalogQueries {
		rows, err := tx.QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("describe %s: %v", name, err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatalf("describe %s: %v", name, err)
			}
			facts = append(facts, s)
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("describe %s: %v", name, err)
		}
		rows.Close()
	}
	sort.Strings(facts)
	return facts
}

// loadDump runs a pg_dump script on db. The dump empties search_path for its session; it is
// restored in the same script, since the connection goes back to the pool.
func loadDump(ctx context.Context, t *testing.T, db *sql.DB, dump string) {
	t.Helper()
	script := stripPsqlMeta(dump) + "\n;SELECT pg_catalog.set_config('search_path', '\"$user\", public', false);"
	if _, err := db.ExecContext(ctx, script); err != nil {
		t.Fatalf("load schema dump: %v", err)
	}
}

// sameSchema requires the catalogs of want and got to agree on every table, column (and column
// order), index, constraint, type, enum label and sequence of the schema public.
func sameSchema(ctx context.Context, t *testing.T, wantDB, gotDB *sql.DB, what string) {
	t.Helper()
	want, got := describe(ctx, t, wantDB), describe(ctx, t, gotDB)
	if len(want) < 87 {
		t.Fatalf("%s describes only %d facts; did it load?", what, len(want))
	}
	inWant := make(map[string]bool, len(want))
	for _, s := range want {
		inWant[s] = true
	}
	inGot := make(map[string]bool, len(got))
	for _, s := range got {
		inGot[s] = true
	}
	var diff []string
	for _, s := range want {
		if !inGot[s] {
			diff = append(diff, "- "+s)
		}
	}
	for _, s := range got {
		if !inWant[s] {
			diff = append(diff, "+ "+s)
		}
	}
	if len(diff) > 0 {
		sort.SliceStable(diff, func(i, j int) bool { return diff[i][2:] < diff[j][2:] })
		t.Errorf("schema public differs from %s in %d facts "+
			"(- only there, + only after migrations.Up):\n%s", what, len(diff), strings.Join(diff, "\n"))
	}
}

// TestSchemaMatchesMedusaReference builds the schema public twice, once from the client's pg_dump
// of a Medusa 1.3.8 database migrated with the sales_channels flag on and once with
// migrations.Up with the flag on, and requires the catalogs to agree.
func TestSchemaMatchesMedusaReference(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	refDB := dbtest.Empty(t)
	loadDump(ctx, t, refDB, referenceSchema(t))
	gotDB := dbtest.Empty(t)
	if err := migrations.Up(ctx, bun.NewDB(gotDB, pgdialect.New()), migrations.Options{SalesChannels: true}); err != nil {
		t.Fatalf("migrations.Up: %v", err)
	}
	sameSchema(ctx, t, refDB, gotDB, "Medusa 1.3.8's reference (flag on)")
}

// TestFlagOffSchemaMatchesMedusa: migrations.Up with the flag off builds what Medusa's own
// migrations build with the flag off.
func TestFlagOffSchemaMatchesMedusa(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	refDB := dbtest.Empty(t)
	loadDump(ctx, t, refDB, flagOffSchema(t))
	gotDB := dbtest.Empty(t)
	if err := migrations.Up(ctx, bun.NewDB(gotDB, pgdialect.New()), migrations.Options{}); err != nil {
		t.Fatalf("migrations.Up: %v", err)
	}
	sameSchema(ctx, t, refDB, gotDB, "Medusa 1.3.8 migrated with the flag off")
	var hasSalesChannel bool
	if err := gotDB.QueryRowContext(ctx, `SELECT to_regclass('public.sales_channel') IS NOT NULL`).Scan(&hasSalesChannel); err != nil || hasSalesChannel {
		t.Fatalf("flag off: sales_channel exists=%v (%v)", hasSalesChannel, err)
	}
}
