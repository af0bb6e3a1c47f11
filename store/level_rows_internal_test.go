package store

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/benchdata"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
	"github.com/gorgon-commerce/gorgon/store/model"
)

// TestLevelRowsAsBun: the relation loaders (pgx's raw rows on a pool connection, database/sql's
// in a transaction; prepared and unnamed; parents through a lateral lookup or IN) fill the same
// models as bun's own relation loading, field for field (strings, nullable strings, integers,
// booleans, times, JSON, flagged ids), including NULLs and soft-deleted rows left out.
func TestLevelRowsAsBun(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := dbtest.NewSchema(t, dbtest.FlagOn) // the generator writes sales channels
	s, err := New(ctx, db, Config{FeatureSalesChannels: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	if err := benchdata.Build(ctx, db, benchdata.Catalog{Products: 12, VariantsPer: 3, Currencies: []string{"usd", "eur"},
		Tags: 4, Types: 2, Collections: 2, PriceLists: 1}); err != nil {
		t.Fatal(err)
	}
	// Values the generator does not write: NULLs, metadata, a soft-deleted variant and price,
	// numbers in nullable integer columns.
	for _, stmt := range []string{
		`UPDATE product_variant SET sku = NULL, metadata = '{"a": [1, "x"], "b": null}', weight = 250, allow_backorder = true WHERE product_id = '` + benchdata.ProductID(2) + `'`,
		`UPDATE product_variant SET deleted_at = now() WHERE id = (SELECT min(id) FROM product_variant WHERE product_id = '` + benchdata.ProductID(3) + `')`,
		`UPDATE money_amount SET deleted_at = now() WHERE id = (SELECT min(id) FROM money_amount WHERE price_list_id IS NULL)`,
		`UPDATE product_option SET metadata = '{"k": "v"}' WHERE product_id = '` + benchdata.ProductID(4) + `'`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	names, err := Relations(s.DB, (*model.Product)(nil), s.DefaultProductRelations())
	if err != nil {
		t.Fatal(err)
	}
	byBun := func() []*model.Product {
		var ps []*model.Product
		q := db.NewSelect().Model(&ps).Order("product.id")
		for _, n := range names {
			q = q.Relation(n, orderedRelation(s.DB, (*model.Product)(nil), n))
		}
		if err := q.Scan(ctx); err != nil {
			t.Fatal(err)
		}
		return ps
	}
	want, err := json.Marshal(byBun())
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{`"metadata":{"a":[1,"x"],"b":null}`, `"prices":[{`, `"options":[{`, `"tags":[{`, `"sales_channels":[{`, `"weight":250`} {
		if !strings.Contains(string(want), part) {
			t.Fatalf("bun's products lack %s: %.300s", part, want)
		}
	}
	byLevels := func(t *testing.T, idb bun.IDB, plan *levelPlan) {
		t.Helper()
		var ps []*model.Product
		q := idb.NewSelect().Model(&ps).Order("product.id")
		for _, n := range plan.joined {
			q = q.Relation(n)
		}
		if err := q.Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if err := loadLevels(ctx, idb, plan, reflect.ValueOf(ps)); err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(ps)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("loaded by level:\n%s\nby bun:\n%s", got, want)
		}
	}
	plan := planLevels(s.DB, (*model.Product)(nil), names)
	flat := plan.flat()
	if len(plan.levels) != 2 || len(flat.levels) != 1 {
		t.Fatalf("plan has %d levels, flat %d: want 2 and 1", len(plan.levels), len(flat.levels))
	}
	for _, prepared := range []bool{true, false} {
		SetPreparedReads(db, prepared)
		for name, p := range map[string]*levelPlan{"levels": plan, "flat": flat} {
			t.Run(name+"/pool", func(t *testing.T) { byLevels(t, db, p) })
			t.Run(name+"/tx", func(t *testing.T) {
				tx, err := db.BeginTx(ctx, nil)
				if err != nil {
					t.Fatal(err)
				}
				defer tx.Rollback()
				byLevels(t, tx, p)
			})
			t.Run(name+"/conn", func(t *testing.T) {
				conn, err := db.Conn(ctx)
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				byLevels(t, conn, p)
			})
		}
	}
	SetPreparedReads(db, true)
}
