package store

import (
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Find is Medusa's FindParams: which relations to load (`expand`) and which columns to return
// (`fields`). Empty means the endpoint's defaults.
type Find struct {
	Expand []string
	Fields []string
}

// Page is a list request: Medusa's offset/limit/order plus Find.
type Page struct {
	Offset int
	Limit  int
	Order  string // "created_at" ascending, "-created_at" descending; empty: created_at DESC
	Find
}

// TimeRange is Medusa's DateComparisonOperator.
type TimeRange struct{ Lt, Gt, Lte, Gte *time.Time }

// apply adds the range to q on column col.
func (tr *TimeRange) apply(q *bun.SelectQuery, col string) *bun.SelectQuery {
	if tr == nil {
		return q
	}
	if tr.Lt != nil {
		q = q.Where("? < ?", bun.Ident(col), *tr.Lt)
	}
	if tr.Gt != nil {
		q = q.Where("? > ?", bun.Ident(col), *tr.Gt)
	}
	if tr.Lte != nil {
		q = q.Where("? <= ?", bun.Ident(col), *tr.Lte)
	}
	if tr.Gte != nil {
		q = q.Where("? >= ?", bun.Ident(col), *tr.Gte)
	}
	return q
}

// Relations resolves Medusa relation paths ("countries", "variants.prices") on model type t to
// bun relation names ("Countries", "Variants.Prices"), refusing any the model does not have.
func Relations(db *bun.DB, model any, paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		t := db.Table(reflect.TypeOf(model))
		var names []string
		for _, part := range strings.Split(strings.TrimSpace(p), ".") {
			var found bool
			for name, rel := range t.Relations {
				if jsonName(rel.Field.StructField.Tag.Get("json")) == part {
					names = append(names, name)
					t = rel.JoinTable
					found = true
					break
				}
			}
			if !found {
				return nil, Invalidf("Relation %s not found", p)
			}
		}
		out = append(out, strings.Join(names, "."))
	}
	return out, nil
}

func jsonName(tag string) string {
	name, _, _ := strings.Cut(tag, ",")
	return name
}

// withRelations loads the given Medusa relation paths on q.
func withRelations(db *bun.DB, q *bun.SelectQuery, model any, paths []string) (*bun.SelectQuery, error) {
	names, err := Relations(db, model, paths)
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		q = q.Relation(n)
	}
	return q, nil
}

// order applies Medusa's `order` parameter: a column of the model, "-" for descending; the
// default is created_at DESC. allowed, when non-empty, limits the columns.
func order(q *bun.SelectQuery, alias, o string, allowed ...string) (*bun.SelectQuery, error) {
	if o == "" {
		return q.OrderExpr("?.created_at DESC", bun.Ident(alias)), nil
	}
	dir := "ASC"
	col := o
	if strings.HasPrefix(o, "-") {
		dir, col = "DESC", o[1:]
	}
	ok := len(allowed) == 0
	for _, a := range allowed {
		ok = ok || a == col
	}
	if !ok || strings.ContainsAny(col, `"().; `) {
		return nil, Invalidf("Order field %s is not valid", col)
	}
	return q.OrderExpr(fmt.Sprintf("?.? %s", dir), bun.Ident(alias), bun.Ident(col)), nil
}
