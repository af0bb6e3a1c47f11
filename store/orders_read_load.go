package store

import (
	"context"
	"reflect"
	"sort"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// planOrderLevels is planLevels for the relations of orders, which go deeper than a product's:
// belongs-to and has-one relations below the root (a line item's variant and its product, a
// swap's payment, a return's shipping method) are loaded by level too, as are the root's
// belongs-to relations that have relations below them (the region and its providers). The
// root's other belongs-to relations are joined in the root query. So a page of orders with
// Medusa's default relations, its totals' relations and its entities' eager ones costs one
// statement per depth, whatever its size. nil when a relation cannot be loaded that way.
func planOrderLevels(db *bun.DB, model any, names []string) *levelPlan {
	root := db.Table(reflect.TypeOf(model))
	p := &levelPlan{root: root}
	hasChildren := map[string]bool{}
	for _, n := range names {
		if i := strings.IndexByte(n, '.'); i > 0 {
			hasChildren[n[:i]] = true
		}
	}
	seen := map[string]bool{}
	var lookups orderLookups
	sorted := append([]string(nil), names...)
	sort.SliceStable(sorted, func(i, j int) bool { return strings.Count(sorted[i], ".") < strings.Count(sorted[j], ".") })
	for _, name := range sorted {
		t := root
		parts := strings.Split(name, ".")
		for i, part := range parts {
			rel, ok := t.Relations[part]
			if !ok {
				return nil
			}
			path := strings.Join(parts[:i+1], ".")
			if lookups.take(t.Name, part) {
				if i+1 < len(parts) && parts[i+1] == "Product" {
					lookups.products = true
				}
				break // loaded by the lookups after the levels, with what lies below
			}
			if !seen[path] {
				seen[path] = true
				switch {
				case i == 0 && rel.Type == schema.BelongsToRelation && !hasChildren[path]:
					p.joined = append(p.joined, path)
				case levelLoadable(rel):
					for len(p.levels) <= i {
						p.levels = append(p.levels, nil)
					}
					p.levels[i] = append(p.levels[i], levelRel{path: path, parent: strings.Join(parts[:i], "."), rel: rel})
				default:
					return nil
				}
			}
			t = rel.JoinTable
		}
	}
	if lookups.variants || lookups.options {
		p.post = lookups.load
	}
	return p
}

// orderLookups are the to-one relations that Medusa's entities load eagerly everywhere: a line
// item's variant with its product, a shipping method's option. Wherever they are in an order
// (its items, a swap's or claim's additional items, a claimed item; its, a return's, a swap's
// or a claim's shipping methods), they are loaded after the levels with one statement, so that
// they add no depth: a page of orders with Medusa's default relations costs the page's
// statement and three levels, plus this one.
type orderLookups struct {
	variants, products, options bool
}

// take reports whether the relation rel of table owner is one of the lookups (and notes it).
func (l *orderLookups) take(owner, rel string) bool {
	switch owner + "." + rel {
	case "line_item.Variant":
		l.variants = true
	case "product_variant.Product":
		l.products = true
	case "shipping_method.ShippingOption":
		l.options = true
	default:
		return false
	}
	return true
}

// load reads the lookups for every line item and shipping method loaded.
func (l orderLookups) load(ctx context.Context, db bun.IDB, loaded map[string][]reflect.Value) error {
	tables := db.Dialect().Tables()
	item := tables.Get(reflect.TypeFor[model.LineItem]())
	variant := tables.Get(reflect.TypeFor[model.ProductVariant]())
	method := tables.Get(reflect.TypeFor[model.ShippingMethod]())
	var items, methods []reflect.Value
	for path, rows := range loaded {
		if len(rows) == 0 || strings.HasPrefix(path, "#") {
			continue
		}
		switch rows[0].Type() {
		case item.Type:
			items = append(items, rows...)
		case method.Type:
			methods = append(methods, rows...)
		}
	}
	loaded["#items"], loaded["#methods"] = items, methods
	var level []levelRel
	if l.variants && len(items) > 0 {
		level = append(level, levelRel{path: "#variants", parent: "#items", rel: item.Relations["Variant"]})
		if l.products {
			ids := map[string]bool{}
			for _, it := range items {
				if id, ok := keyString(item.FieldMap["variant_id"], it); ok {
					ids[id] = true
				}
			}
			keys := make([]string, 0, len(ids))
			for id := range ids {
				keys = append(keys, id)
			}
			level = append(level, levelRel{path: "#products", parent: "#variants", rel: variant.Relations["Product"], custom: &customBranch{
				// Joined, PostgreSQL hashes all products (a sequential scan of the catalog, ~80% of
				// the statement on 10,000 products) for the ~150 variants of a page; a lateral
				// lookup per variant (OFFSET 0 keeps it one) reads ~150 rows by primary key.
				from: `product_variant AS lookup_variant CROSS JOIN LATERAL (SELECT * FROM product AS product` +
					` WHERE product.id = lookup_variant.product_id OFFSET 0) AS product`,
				parentCol: "lookup_variant.id",
				keys:      keys,
				lazy:      true, // the variants come first in the same statement
				parentKey: variant.FieldMap["id"],
			}})
		}
	}
	if l.options && len(methods) > 0 {
		level = append(level, levelRel{path: "#options", parent: "#methods", rel: method.Relations["ShippingOption"]})
	}
	if len(level) == 0 {
		return nil
	}
	return loadLevel(ctx, db, level, loaded)
}
