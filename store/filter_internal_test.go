package store

import (
	"context"
	"testing"

	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

// Every field and relation of every field map names real columns: a filter using them all runs
// on Medusa's schema (with the sales channels feature on, so the flagged ones too).
func TestWhereFieldMapsMatchTheSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, err := New(ctx, dbtest.NewSchema(t, dbtest.FlagOn), Config{FeatureSalesChannels: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range FilterResources() {
		r := filterResources[name]
		w := Where{}
		var or []any
		for _, fl := range FilterFields(name) {
			switch {
			case fl.Relation == "":
				w[fl.Name] = map[string]any{"isNull": false}
				or = append(or, map[string]any{fl.Name: map[string]any{"isNull": true}})
			case fl.Many:
				w[fl.Name] = map[string]any{"none": map[string]any{"id": map[string]any{"eq": "x"}}}
				or = append(or, map[string]any{fl.Name: map[string]any{"some": map[string]any{}, "every": map[string]any{"id": map[string]any{"ne": "x"}}}})
			default:
				or = append(or, map[string]any{fl.Name: map[string]any{"id": map[string]any{"startsWith": "x"}}})
			}
		}
		w["or"] = or
		w["not"] = map[string]any{"id": map[string]any{"in": []any{"a", "b"}}}
		cond, args, err := s.whereCondition(name, w)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		q := s.DB.NewSelect().TableExpr(r.table+" AS "+r.alias).ColumnExpr("count(*)").Where(cond, args...)
		var n int
		if err := q.Scan(ctx, &n); err != nil {
			t.Errorf("%s: %v\n%s", name, err, q.String())
		}
	}
}

// The statement holds only the field map's text; values are placeholders that bun quotes.
func TestWhereValuesArePlaceholders(t *testing.T) {
	s := &Store{}
	cond, args, err := s.whereCondition("product", Where{
		"title":    map[string]any{"contains": "50%_off'; DROP TABLE product; --"},
		"variants": map[string]any{"some": map[string]any{"inventoryQuantity": map[string]any{"lt": int64(5)}}},
		"status":   map[string]any{"in": []any{"PUBLISHED", "DRAFT"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `product.status IN (?, ?) AND product.title ILIKE ? AND EXISTS (SELECT 1 FROM product_variant AS w1 WHERE w1.product_id = product.id AND w1.deleted_at IS NULL AND (w1.inventory_quantity < ?))`
	if cond != want {
		t.Errorf("condition\n%s\nwant\n%s", cond, want)
	}
	wantArgs := []any{"published", "draft", `%50\%\_off'; DROP TABLE product; --%`, int64(5)}
	if len(args) != len(wantArgs) {
		t.Fatalf("args %v, want %v", args, wantArgs)
	}
	for i := range args {
		if args[i] != wantArgs[i] {
			t.Errorf("arg %d: %#v, want %#v", i, args[i], wantArgs[i])
		}
	}
	for _, bad := range []Where{
		{"title": map[string]any{"lt": "a"}},
		{"nope": map[string]any{"eq": "a"}},
		{"status": map[string]any{"eq": "SOLD"}},
		{"variants": map[string]any{"any": map[string]any{}}},
		{"weight": map[string]any{"eq": "heavy"}},
	} {
		if _, _, err := s.whereCondition("product", bad); err == nil {
			t.Errorf("%v: accepted", bad)
		} else if se, ok := AsError(err); !ok || se.Type != InvalidData {
			t.Errorf("%v: %v, want invalid_data", bad, err)
		}
	}
}
