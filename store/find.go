package store

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
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
	// All asks for every row when Limit is 0: a REST `limit=0` is TypeORM's `take: 0`, no limit,
	// where a GraphQL `first: 0` is a page of none.
	All   bool
	Order string // "created_at" ascending, "-created_at" descending; empty: created_at DESC
	// NoCount says the caller needs no total (a GraphQL connection whose totalCount is not
	// selected): a page read (scanPage) then reads one row more than Limit instead of counting
	// every matching row, and returns as total a lower bound that still answers "is there a next
	// page": Offset plus the rows found, the extra row included.
	NoCount bool
	// Columns narrows the columns a page read selects (ListProductsPage; nil: all).
	Columns Columns
	// Where is a typed filter (GraphQL's where argument) on the list's rows, compiled with the
	// list's field map (store/filter.go); the lists that take one say so.
	Where Where
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
		q = q.Where("? < ?", bun.Ident(col), filterTime(*tr.Lt))
	}
	if tr.Gt != nil {
		q = q.Where("? > ?", bun.Ident(col), filterTime(*tr.Gt))
	}
	if tr.Lte != nil {
		q = q.Where("? <= ?", bun.Ident(col), filterTime(*tr.Lte))
	}
	if tr.Gte != nil {
		q = q.Where("? >= ?", bun.Ident(col), filterTime(*tr.Gte))
	}
	return q
}

// Bounds of the times a filter sends to PostgreSQL: bun writes years before 1 as PostgreSQL
// cannot read them (it has no year 0 and spells earlier years "BC"), and PostgreSQL ends in
// the year 294276. No stored timestamp lies outside (JavaScript's dates end in 275760), so
// clamping keeps every comparison's answer; Medusa answers these filters too.
var (
	minFilterTime = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	maxFilterTime = time.Date(275761, 1, 1, 0, 0, 0, 0, time.UTC)
)

func filterTime(t time.Time) time.Time {
	switch {
	case t.Before(minFilterTime):
		return minFilterTime
	case t.After(maxFilterTime):
		return maxFilterTime
	}
	return t
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
	return addOrderedRelations(db, q, model, names), nil
}

// order applies Medusa's `order` parameter: a column of the model, "-" for descending; the
// default is created_at DESC. allowed, when non-empty, limits the columns.
func order(q *bun.SelectQuery, alias, o string, allowed ...string) (*bun.SelectQuery, error) {
	if o == "" {
		// id breaks ties: rows created in the same instant keep a stable order across pages.
		return q.OrderExpr("?.created_at DESC, ?.id DESC", bun.Ident(alias), bun.Ident(alias)), nil
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
	return q.OrderExpr(fmt.Sprintf("?.? %s, ?.id %s", dir, dir), bun.Ident(alias), bun.Ident(col), bun.Ident(alias)), nil
}

// listPage runs a list query with Medusa's paging and relations: q must select into a pointer to
// a slice of models. It loads p.Expand (or defaultRelations when empty), orders by p.Order (or
// created_at DESC), and returns the total count. Relations are loaded with one query each, so
// the statement count does not grow with the page size.
func (s *Store) listPage(ctx context.Context, q *bun.SelectQuery, dest any, alias string, p Page, defaultRelations []string) (int, error) {
	return s.listPageCounted(ctx, q, nil, dest, alias, p, defaultRelations, nil)
}

// listPageCounted is listPage for a query q that selects its own count as a column beside the
// page (countQ is the same filter as a count(*) query): fullCount reads it from the first row of
// dest after the scan (pageCount). With countQ nil it is listPage (the page and bun's count(*)
// beside it).
func (s *Store) listPageCounted(ctx context.Context, q, countQ *bun.SelectQuery, dest any, alias string, p Page, defaultRelations []string, fullCount func() (int64, bool)) (int, error) {
	rels := p.Expand
	if len(rels) == 0 {
		rels = defaultRelations
	}
	elem := reflect.New(reflect.TypeOf(dest).Elem().Elem().Elem()).Interface()
	q, err := withRelations(s.DB, q, elem, rels)
	if err != nil {
		return 0, err
	}
	if p.Order != "" {
		col := strings.TrimPrefix(p.Order, "-")
		if _, ok := s.DB.Table(reflect.TypeOf(elem)).FieldMap[col]; !ok {
			return 0, Invalidf("Order field %s is not valid", col)
		}
	}
	if q, err = order(q, alias, p.Order); err != nil {
		return 0, err
	}
	if p.Limit < 0 || p.Offset < 0 {
		return 0, Invalidf("limit and offset must not be negative")
	}
	q = q.Offset(int64(p.Offset)).Limit(int64(p.Limit))
	var n int64
	if countQ == nil {
		n, err = q.ScanAndCount(ctx)
	} else if err = q.Scan(ctx); err == nil {
		c, ok := fullCount()
		n, err = pageCount(ctx, countQ, p.Offset, ok, func() int64 { return c })
	}
	if err != nil {
		return 0, dbError(err, "list "+alias)
	}
	FillRelations(s.DB, dest, rels)
	return int(n), nil
}

// pageCount is the count of a list whose page query selected it beside the rows (a subquery,
// gorgon_full_count): first reads it from the page's first row when found is true. A page that
// found no row carries no count: at offset 0 nothing matched, past it countQ runs apart.
func pageCount(ctx context.Context, countQ *bun.SelectQuery, offset int, found bool, first func() int64) (int64, error) {
	if found {
		return first(), nil
	}
	if offset == 0 {
		return 0, nil
	}
	var n int64
	err := countQ.Scan(ctx, &n)
	return n, err
}

// FillRelations sets the loaded to-many relations that found nothing to empty slices, so they
// serialise as [] like TypeORM's, not as absent. v is a model, a slice of models, or pointers.
func FillRelations(db *bun.DB, v any, paths []string) {
	rv := reflect.ValueOf(v)
	for _, p := range paths {
		fillPath(db, rv, strings.Split(p, "."))
	}
}

func fillPath(db *bun.DB, v reflect.Value, path []string) {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return
		}
		v = v.Elem()
	}
	if v.Kind() == reflect.Slice {
		for i := 0; i < v.Len(); i++ {
			fillPath(db, v.Index(i), path)
		}
		return
	}
	if v.Kind() != reflect.Struct || len(path) == 0 {
		return
	}
	f, ok := relationField(db, v.Type(), path[0])
	if !ok {
		return
	}
	fv := v.FieldByIndex(f)
	if fv.Kind() == reflect.Slice && fv.IsNil() {
		fv.Set(reflect.MakeSlice(fv.Type(), 0, 0))
	}
	fillPath(db, fv, path[1:])
}

type relationKey struct {
	db   *bun.DB // the flagged schema takes relations out of one database's tables
	t    reflect.Type
	name string
}

var relationFields sync.Map // relationKey → []int (nil: no such relation)

// relationField is the index of the relation of model type t whose JSON name is name, looked
// up once per type: FillRelations visits every loaded row.
func relationField(db *bun.DB, t reflect.Type, name string) ([]int, bool) {
	key := relationKey{db, t, name}
	if idx, ok := relationFields.Load(key); ok {
		return idx.([]int), idx.([]int) != nil
	}
	var idx []int
	for _, rel := range db.Table(t).Relations {
		if jsonName(rel.Field.StructField.Tag.Get("json")) == name {
			idx = rel.Field.Index
			break
		}
	}
	relationFields.Store(key, idx)
	return idx, idx != nil
}
