package store

import (
	"context"
	"database/sql"
	"errors"
	"maps"
	"reflect"
	"slices"
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
	p, _ := planOrderLevelsLookups(db, model, names)
	return p
}

// planOrderLevelsLookups is planOrderLevels, also returning the lookups its post loads.
func planOrderLevelsLookups(db *bun.DB, model any, names []string) (*levelPlan, orderLookups) {
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
				return nil, orderLookups{}
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
					return nil, orderLookups{}
				}
			}
			t = rel.JoinTable
		}
	}
	if lookups.variants || lookups.options {
		p.post = lookups.load
	}
	return p, lookups
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
	level := l.level(db, loaded, nil)
	if len(level) == 0 {
		return nil
	}
	return loadLevel(ctx, db, level, loaded)
}

// level returns the branches of the lookups for the line items and shipping methods loaded
// (only those done has not seen, when done is not nil: they are marked), to load alone or in
// the statement of a level.
func (l orderLookups) level(db bun.IDB, loaded map[string][]reflect.Value, done map[uintptr]bool) []levelRel {
	tables := db.Dialect().Tables()
	item := tables.Get(reflect.TypeFor[model.LineItem]())
	variant := tables.Get(reflect.TypeFor[model.ProductVariant]())
	method := tables.Get(reflect.TypeFor[model.ShippingMethod]())
	var items, methods []reflect.Value
	for _, path := range slices.Sorted(maps.Keys(loaded)) {
		rows := loaded[path]
		if len(rows) == 0 || strings.HasPrefix(path, "#") {
			continue
		}
		if done != nil {
			var fresh []reflect.Value
			for _, r := range rows {
				if a := r.Addr().Pointer(); !done[a] {
					done[a] = true
					fresh = append(fresh, r)
				}
			}
			rows = fresh
			if len(rows) == 0 {
				continue
			}
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
	return level
}

// loadOrderAtOnce is loadOrders for one order by id outside a transaction (RetrieveOrder: GET
// /admin/orders/:id and the answer of every order action), in fewer round trips one after the
// other: the order (with its joined relations) is read beside its relations hanging from its id
// (a stand-in with the id takes them, moved over after, as getProductAtOnce does); then each
// further level is one statement that also carries the relations that needed the order's row
// (its region, and the region's providers by the region id it names) and the lookups
// (variants, products, shipping options) of the line items and shipping methods loaded so far.
// An order with Medusa's default relations costs two round trips (four before), one more per
// level its swaps, claims or returns add. Like Medusa's reads, the statements are separate
// snapshots. ok is false when the relations do not fit this shape (loadOrders then reads).
func (s *Store) loadOrderAtOnce(ctx context.Context, q *orderQuery, id string) (o *model.Order, ok bool, err error) {
	names, err := Relations(s.DB, (*model.Order)(nil), q.load)
	if err != nil {
		return nil, false, err
	}
	plan, lookups := planOrderLevelsLookups(s.DB, (*model.Order)(nil), names)
	if plan == nil || len(plan.levels) == 0 || len(plan.root.PKs) != 1 {
		return nil, false, nil
	}
	if o, ok, err := s.loadOrderRooted(ctx, q, id, plan, lookups); ok || err != nil {
		return o, ok, err
	}
	pk := plan.root.PKs[0]
	// The first level splits: relations keyed by the order's id go beside the order's read
	// (early); the others (late: the region) wait for its row, with their own relations.
	var early, late []levelRel
	lateByPath := map[string]*levelRel{}
	for _, lr := range plan.levels[0] {
		if lr.custom == nil && lr.parent == "" && lr.rel.Type != schema.BelongsToRelation && lr.rel.BasePKs[0].Name == pk.Name {
			early = append(early, lr)
		} else {
			late = append(late, lr)
			lateByPath[lr.path] = &late[len(late)-1]
		}
	}
	rest := make([][]levelRel, len(plan.levels)-1)
	for i, level := range plan.levels[1:] {
		rest[i] = append([]levelRel(nil), level...)
	}
	o, loaded, err := s.readOrderBeside(ctx, plan, id, early)
	if o == nil || err != nil {
		return nil, true, err
	}
	ov := reflect.ValueOf(o).Elem()
	// The relations of a late relation are found by the keys the order holds (its region_id is
	// the region's id), in the same statement as the late relation, whose rows become their
	// parents as they arrive (custom lazy branches, as the lookups' products).
	next := late
	if len(rest) > 0 {
		for i, lr := range rest[0] {
			parent := lateByPath[lr.parent]
			if parent == nil {
				continue
			}
			if lr.custom != nil || parent.rel.Type != schema.BelongsToRelation || parent.parent != "" ||
				len(parent.rel.JoinPKs) != 1 || lr.rel.BasePKs[0].Name != parent.rel.JoinPKs[0].Name {
				return nil, false, nil // not reached with Medusa's relations: loadOrders reads
			}
			key, found := keyString(parent.rel.BasePKs[0], ov)
			keys := []string{}
			if found {
				keys = append(keys, key)
			}
			lr.custom = &customBranch{keys: keys, lazy: true, parentKey: lr.rel.BasePKs[0]}
			rest[0][i] = lr
		}
		next = append(next, rest[0]...)
		rest = rest[1:]
	}
	done := map[uintptr]bool{}
	for {
		level := append(next, lookups.level(s.DB, loaded, done)...)
		if len(level) == 0 {
			break
		}
		if err := loadLevel(ctx, s.DB, level, loaded); err != nil {
			return nil, true, err
		}
		next = nil
		if len(rest) > 0 {
			next, rest = rest[0], rest[1:]
		}
	}
	FillRelations(s.DB, []*model.Order{o}, q.load)
	return o, true, nil
}

// readOrderBeside reads order id with plan's joined relations while level (branches keyed by
// the order's id alone) loads on another connection into a stand-in holding only the id; the
// relations loaded there are then moved onto the order. loaded is what level loaded, by path,
// with the order at "". A nil order without error: there is no such order.
func (s *Store) readOrderBeside(ctx context.Context, plan *levelPlan, id string, level []levelRel) (*model.Order, map[string][]reflect.Value, error) {
	orders := []*model.Order{}
	sq := addOrderedRelations(s.DB, s.DB.NewSelect().Model(&orders).Where(`"order".id = ?`, id), (*model.Order)(nil), plan.joined)
	stand := &model.Order{ID: id}
	sv := reflect.ValueOf(stand).Elem()
	loaded := map[string][]reflect.Value{"": {sv}}
	levels := make(chan error, 1)
	go func() { levels <- loadLevel(ctx, s.DB, level, loaded) }()
	err := sq.Scan(ctx)
	lerr := <-levels
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, nil, err
	}
	if len(orders) == 0 {
		// Not found: what the relations' read answered is moot, its error too (an id that is
		// not UTF-8 is refused as a parameter, while the order's read finds no row for it).
		return nil, nil, nil
	}
	if lerr != nil {
		return nil, nil, lerr
	}
	o := orders[0]
	ov := reflect.ValueOf(o).Elem()
	for _, lr := range level {
		if lr.parent == "" {
			lr.rel.Field.Value(ov).Set(lr.rel.Field.Value(sv))
		}
	}
	loaded[""] = []reflect.Value{ov}
	return o, loaded, nil
}
