package store

import (
	"context"
	"fmt"
	"reflect"

	"github.com/uptrace/bun/schema"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// loadOrderRooted is loadOrderAtOnce in one round trip: the order (with its joined relations) is
// read beside one statement that loads every relation below it, at every depth, found from the
// order's id alone. Each branch's rows are those whose parent keys are the keys of the rows its
// parent branch loads, written as subqueries down to the id (a line item's variant: the variants
// whose id is the variant_id of the order's live line items), so that no branch waits for
// another's rows; the statement returns its branches parents first, and each branch's rows are
// given to the parents loaded by then, as bun's relation loading would give them. The lookups
// (variants and their products, shipping options) are branches under every path of line items
// and shipping methods. At +300 ms a round trip, an order by id and the answer of every order
// action take one round trip fewer (rest/bench_latency_test.go); on a near database the level
// statements cost less (round_trip.go chooses). ok is false when the relations do not fit, or
// the round trip is short (loadOrderAtOnce then reads, level after level). plan and lookups are
// loadOrderAtOnce's, for the relations q loads.
func (s *Store) loadOrderRooted(ctx context.Context, q *orderQuery, id string, plan *levelPlan, lookups orderLookups) (o *model.Order, ok bool, err error) {
	if !s.fewerStatements() {
		return nil, false, nil // round_trip.go
	}
	if !PreparedReads(s.DB) {
		// Behind a transaction-mode pooler every statement is planned anew: this one, ~60
		// branches, costs more to plan (~20 ms) than the level statements one after the other.
		return nil, false, nil
	}
	r := &rootedPlan{root: plan.root, pk: plan.root.PKs[0], id: id, byPath: map[string]levelRel{}}
	var level []levelRel
	for _, lv := range plan.levels {
		for _, lr := range lv {
			if lr.custom != nil {
				return nil, false, nil
			}
			level = append(level, r.branch(lr))
		}
	}
	tables := s.DB.Dialect().Tables()
	item := tables.Get(reflect.TypeFor[model.LineItem]())
	variant := tables.Get(reflect.TypeFor[model.ProductVariant]())
	method := tables.Get(reflect.TypeFor[model.ShippingMethod]())
	var variants, products, options []levelRel
	for _, lr := range level {
		switch lr.rel.JoinTable {
		case item:
			if lookups.variants {
				v := r.branch(levelRel{path: lr.path + ".#variant", parent: lr.path, rel: item.Relations["Variant"]})
				variants = append(variants, v)
				if lookups.products {
					products = append(products, r.branch(levelRel{path: v.path + ".#product", parent: v.path, rel: variant.Relations["Product"]}))
				}
			}
		case method:
			if lookups.options {
				options = append(options, r.branch(levelRel{path: lr.path + ".#option", parent: lr.path, rel: method.Relations["ShippingOption"]}))
			}
		}
	}
	for _, lr := range append(append(variants, products...), options...) {
		if !levelLoadable(lr.rel) {
			return nil, false, nil
		}
	}
	level = append(append(append(level, variants...), products...), options...)

	o, _, err = s.readOrderBeside(ctx, plan, id, level)
	if o == nil || err != nil {
		return nil, true, err
	}
	FillRelations(s.DB, []*model.Order{o}, q.load)
	return o, true, nil
}

// rootedPlan writes the branches of loadOrderRooted.
type rootedPlan struct {
	root   *schema.Table
	pk     *schema.Field
	id     string
	byPath map[string]levelRel
	n      int // subquery aliases given
}

// branch is lr as a branch found from the root's key: its rows are looked up, by index, for
// each key of the rows loaded at its parent path (keys). A lookup per key, kept one by OFFSET 0,
// rather than `IN (subquery)`: the planner misjudges the nested subqueries (tables never
// analyzed, columns all NULL) and then hashes whole tables, with hash tables sized for them, for
// the few rows of one order (a third of the statement's time on the 50,000-order shop).
func (r *rootedPlan) branch(lr levelRel) levelRel {
	rel, t := lr.rel, lr.rel.JoinTable
	alias := string(t.SQLAlias)
	c := &customBranch{lazy: true, parentKey: rel.BasePKs[0], rootKey: r.id, cond: "true"}
	keys := r.keys(lr.parent, rel.BasePKs[0])
	if rel.Type == schema.ManyToManyRelation {
		m := rel.M2MTable
		ma := string(m.SQLAlias)
		c.from = fmt.Sprintf("%s AS lvl_keys CROSS JOIN LATERAL (SELECT %s.*, %s.ctid FROM %s AS %s WHERE %s.%s = lvl_keys.key OFFSET 0) AS %s"+
			" CROSS JOIN LATERAL (SELECT %s.*, %s.ctid FROM %s AS %s WHERE %s.%s = %s.%s OFFSET 0) AS %s",
			keys, ma, ma, m.SQLName, ma, ma, rel.M2MBasePKs[0].SQLName, ma,
			alias, alias, t.SQLName, alias, alias, rel.JoinPKs[0].SQLName, ma, rel.M2MJoinPKs[0].SQLName, alias)
		c.parentCol = ma + "." + string(rel.M2MBasePKs[0].SQLName)
	} else {
		c.from = fmt.Sprintf("%s AS lvl_keys CROSS JOIN LATERAL (SELECT %s.*, %s.ctid FROM %s AS %s WHERE %s.%s = lvl_keys.key OFFSET 0) AS %s",
			keys, alias, alias, t.SQLName, alias, alias, rel.JoinPKs[0].SQLName, alias)
		c.parentCol = alias + "." + string(rel.JoinPKs[0].SQLName)
	}
	if lr.parent == "" && rel.Type == schema.BelongsToRelation {
		// The parent is a stand-in holding only the id: every row is the order's.
		c.parentCol, c.parentKey = rootParam, r.pk
	}
	lr.custom = c
	r.byPath[lr.path] = lr
	return lr
}

// keys is a subquery (in parentheses) giving, as column key, the distinct values of column col
// of the rows loaded at path.
func (r *rootedPlan) keys(path string, col *schema.Field) string {
	if path == "" {
		if col.Name == r.pk.Name {
			return "(SELECT " + rootParam + " AS key)"
		}
		a := r.alias()
		return fmt.Sprintf("(SELECT %s.%s AS key FROM %s AS %s WHERE %s.%s = %s)", a, col.SQLName, r.root.SQLName, a, a, r.pk.SQLName, rootParam)
	}
	lr := r.byPath[path]
	rel, t := lr.rel, lr.rel.JoinTable
	a, k := r.alias(), r.alias()
	parents := r.keys(lr.parent, rel.BasePKs[0])
	var from string
	if rel.Type == schema.ManyToManyRelation {
		m := r.alias()
		from = fmt.Sprintf("%s AS %s CROSS JOIN LATERAL (SELECT %s.%s AS key FROM %s AS %s WHERE %s.%s = %s.key OFFSET 0) AS %s",
			parents, k, m, rel.M2MJoinPKs[0].SQLName, rel.M2MTable.SQLName, m, m, rel.M2MBasePKs[0].SQLName, k, m)
		k = m
	} else {
		from = parents + " AS " + k
	}
	from += fmt.Sprintf(" CROSS JOIN LATERAL (SELECT * FROM %s AS %s WHERE %s.%s = %s.key OFFSET 0) AS %s",
		t.SQLName, a, a, rel.JoinPKs[0].SQLName, k, a)
	where := fmt.Sprintf("%s.%s IS NOT NULL", a, col.SQLName)
	if t.SoftDeleteField != nil {
		where += fmt.Sprintf(" AND %s.%s IS NULL", a, t.SoftDeleteField.SQLName)
	}
	distinct := ""
	if len(t.PKs) != 1 || t.PKs[0].Name != col.Name {
		distinct = "DISTINCT " // a foreign key: rows may share it
	}
	return fmt.Sprintf("(SELECT %s%s.%s AS key FROM %s WHERE %s)", distinct, a, col.SQLName, from, where)
}

func (r *rootedPlan) alias() string {
	r.n++
	return fmt.Sprintf("lvl_r%d", r.n)
}
