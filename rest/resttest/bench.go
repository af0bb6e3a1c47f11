package resttest

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/peterldowns/pgtestdb"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/benchdata"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
	"github.com/gorgon-commerce/gorgon/store/migrations"
	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/querycount"
	"github.com/gorgon-commerce/gorgon/store/sqlhooks"
)

// benchMigrations builds benchmark databases with the sales channel schema when Config turns
// the flag on.
func benchMigrations() migrations.Options {
	return migrations.Options{SalesChannels: Config.FeatureSalesChannels}
}

// catalogMigrator builds a template database holding Gorgon's schema, start-up rows, an admin
// with Token, and a synthetic catalog. pgtestdb keeps the template between runs (keyed by Hash),
// so the catalog is generated once per machine and each benchmark gets a fast clone.
type catalogMigrator struct {
	c  benchdata.Catalog
	cm *benchdata.Commerce
	o  *benchdata.Orders
}

func (m catalogMigrator) Hash() (string, error) {
	h := fmt.Sprintf("gorgon-bench-%s-%d-%d-%d", migrations.Fingerprint(benchMigrations()), m.c.Products, m.c.VariantsPer, len(m.c.Currencies))
	if m.cm != nil {
		h += fmt.Sprintf("-commerce-%d-%d-%d", m.cm.Customers, m.cm.Discounts, m.cm.TaxRates)
	}
	if m.o != nil {
		h += fmt.Sprintf("-orders-%d-%d", m.o.Orders, m.o.ItemsPer)
	}
	return h, nil
}

func (m catalogMigrator) Migrate(ctx context.Context, sqldb *sql.DB, _ pgtestdb.Config) error {
	db := bun.NewDB(sqldb, pgdialect.New())
	if err := migrations.Up(ctx, db, benchMigrations()); err != nil {
		return err
	}
	s, err := store.New(ctx, db, Config)
	if err != nil {
		return err
	}
	if err := s.EnsureDefaults(ctx); err != nil {
		return err
	}
	tok := Token
	role := "admin"
	if _, err := s.CreateUser(ctx, store.CreateUserInput{Email: "admin@test.com", Password: "secret-password", APIToken: &tok, Role: &role}); err != nil {
		return err
	}
	if err := benchdata.Build(ctx, db, m.c); err != nil {
		return err
	}
	if m.cm != nil {
		if err := benchdata.BuildCommerce(ctx, db, *m.cm, m.c.Products); err != nil {
			return err
		}
	}
	if m.o != nil && m.cm != nil {
		if err := benchdata.BuildOrders(ctx, db, *m.o, *m.cm, m.c.Products*m.c.VariantsPer); err != nil {
			return err
		}
	}
	// As autovacuum leaves a shop's tables: visibility map set (index-only scans for the lists'
	// count(*)) and GIN pending lists merged (the trigram indexes' cost estimates read them).
	_, err = sqldb.ExecContext(ctx, `VACUUM ANALYZE`)
	return err
}

// NewBench starts an Env on a clone of a database holding catalog c.
func NewBench(b *testing.B, c benchdata.Catalog) *Env {
	b.Helper()
	return newBench(b, catalogMigrator{c: c})
}

// NewBenchCommerce starts an Env on a clone of a database holding catalog c and the commerce
// configuration cm (customers, groups, discounts, tax rates).
func NewBenchCommerce(b *testing.B, c benchdata.Catalog, cm benchdata.Commerce) *Env {
	b.Helper()
	return newBench(b, catalogMigrator{c: c, cm: &cm})
}

// NewBenchOrders starts an Env on a clone of a database holding catalog c, the commerce
// configuration cm and the orders o.
func NewBenchOrders(b *testing.B, c benchdata.Catalog, cm benchdata.Commerce, o benchdata.Orders) *Env {
	b.Helper()
	return newBench(b, catalogMigrator{c: c, cm: &cm, o: &o})
}

func newBench(b *testing.B, m catalogMigrator) *Env {
	b.Helper()
	sqldb := pgtestdb.New(b, dbtest.Config(b), m)
	db := bun.NewDB(sqldb, pgdialect.New())
	sqlhooks.Add(db, querycount.Hook{})
	model.RegisterModels(db)
	s, err := store.New(context.Background(), db, Config)
	if err != nil {
		b.Fatalf("store: %v", err)
	}
	return &Env{T: b, DB: db, Store: s, Handler: NewHandler(s)}
}

// Bench runs req b.N times through the handler and reports latency percentiles, requests per
// second and SQL statements per request. Every response must have status want.
func (e *Env) Bench(b *testing.B, method, path string, body any, want int) {
	b.Helper()
	e.BenchFunc(b, func() *Response { return e.Do(method, path, body) }, want)
}

// BenchFunc is Bench for a request built by do (e.g. a different body each time).
func (e *Env) BenchFunc(b *testing.B, do func() *Response, want int) {
	b.Helper()
	lat := make([]time.Duration, 0, b.N)
	var statements int64
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		res := do()
		lat = append(lat, time.Since(t0))
		if res.Status != want {
			b.Fatalf("status %d, want %d: %s", res.Status, want, truncate(res.Body))
		}
		statements += e.Queries
	}
	elapsed := time.Since(start)
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 { return float64(lat[int(float64(len(lat)-1)*p)].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(statements)/float64(b.N), "sql/req")
}

func truncate(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}
