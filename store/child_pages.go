package store

import (
	"context"
	"fmt"
	"math"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// ChildWindow is a page of a nested list (GraphQL's first, after, last, before): rows are
// numbered from 0 in the list's order; After and Before are row numbers (cursors), nil when
// absent; First and Last are counts, nil when absent. First applies before Last, as Relay says.
type ChildWindow struct {
	After, Before *int
	First, Last   *int
}

// ChildPage is one parent's page: its rows, the number of the first (0-based), and the count of
// all its rows matching the filter.
type ChildPage[T any] struct {
	Rows  []*T
	Start int
	Total int
}

// childList is a nested list read for many parents at once: the rows of from (the listed table
// aliased c), keyed by parent, live when live holds, in order.
type childList struct {
	resource string // the field map of the rows (filter.go)
	from     string
	parent   string
	live     string
	order    string
}

var (
	collectionProducts = childList{resource: "product", from: "product c", parent: "c.collection_id",
		live: "c.deleted_at IS NULL", order: "c.created_at, c.id"}
	profileProducts = childList{resource: "product", from: "product c", parent: "c.profile_id",
		live: "c.deleted_at IS NULL", order: "c.id"}
	taxRateProductsList = childList{resource: "product", from: "product_tax_rate l JOIN product c ON c.id = l.product_id",
		parent: "l.rate_id", live: "c.deleted_at IS NULL", order: "l.ctid"}
	priceListPrices = childList{resource: "moneyAmount", from: "money_amount c", parent: "c.price_list_id",
		live: "c.deleted_at IS NULL", order: "c.ctid"}
	groupCustomers = childList{resource: "customer", from: "customer_group_customers l JOIN customer c ON c.id = l.customer_id",
		parent: "l.customer_group_id", live: "c.deleted_at IS NULL", order: "l.ctid"}
)

type childRow struct {
	Parent string `bun:"parent"`
	ID     string `bun:"id"`
	RN     int    `bun:"rn"`
}

// childIDs numbers each parent's rows matching where and returns the ids of the window's rows
// by parent (in order, with the first one's number) and each parent's count: two statements
// whatever the number of parents or the size of the window.
func (s *Store) childIDs(ctx context.Context, l childList, parents []string, win ChildWindow, where Where) (map[string][]string, map[string]int, map[string]int, error) {
	cond, args, err := s.whereConditionAs(l.resource, "c", where)
	if err != nil {
		return nil, nil, nil, err
	}
	if cond == "" {
		cond = "true"
	}
	filter := bun.SafeQuery(cond, args...)
	lo, hi, first, last := 0, math.MaxInt32, math.MaxInt32, math.MaxInt32
	if win.After != nil {
		lo = *win.After + 1
	}
	if win.Before != nil {
		hi = *win.Before
	}
	if win.First != nil {
		first = *win.First
	}
	// A row numbered rn (1-based) is in the window when it is after the after cursor, before the
	// before cursor, among the first `first` of those, and among the last `last` of what remains.
	var rows []childRow
	err = s.DB.NewRaw(`SELECT t.parent, t.id, t.rn FROM (
			SELECT `+l.parent+` AS parent, c.id, row_number() OVER (PARTITION BY `+l.parent+` ORDER BY `+l.order+`) AS rn,
				count(*) OVER (PARTITION BY `+l.parent+`) AS total
			FROM `+l.from+` WHERE `+l.parent+` IN (?) AND `+l.live+` AND (?)) t
		WHERE t.rn > ? AND t.rn <= LEAST(?, t.total) AND t.rn <= ?::bigint + ?
			AND t.rn > LEAST(?, t.total, ?::bigint + ?) - ?
		ORDER BY t.parent, t.rn`,
		bun.In(nonEmpty(parents)), filter, lo, hi, lo, first, hi, lo, first, lastOr(win.Last, last)).Scan(ctx, &rows)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("nested list: %w", err)
	}
	var counts []struct {
		Parent string `bun:"parent"`
		N      int    `bun:"n"`
	}
	err = s.DB.NewRaw(`SELECT `+l.parent+` AS parent, count(*) AS n FROM `+l.from+`
		WHERE `+l.parent+` IN (?) AND `+l.live+` AND (?) GROUP BY 1`, bun.In(nonEmpty(parents)), filter).Scan(ctx, &counts)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("nested list count: %w", err)
	}
	ids := make(map[string][]string, len(parents))
	starts := make(map[string]int, len(parents))
	totals := make(map[string]int, len(parents))
	for _, r := range rows {
		if len(ids[r.Parent]) == 0 {
			starts[r.Parent] = r.RN - 1
		}
		ids[r.Parent] = append(ids[r.Parent], r.ID)
	}
	for _, c := range counts {
		totals[c.Parent] = c.N
	}
	return ids, starts, totals, nil
}

func lastOr(last *int, none int) int {
	if last == nil {
		return none
	}
	return *last
}

// childPages reads the window of each parent's rows of l, the rows through load (by id, any
// order): three statements in all.
func childPages[T any](ctx context.Context, s *Store, l childList, parents []string, win ChildWindow, where Where,
	load func(ids []string) ([]*T, error), id func(*T) string) (map[string]ChildPage[T], error) {
	if err := win.check(); err != nil {
		return nil, err
	}
	ids, starts, totals, err := s.childIDs(ctx, l, parents, win, where)
	if err != nil {
		return nil, err
	}
	var all []string
	for _, list := range ids {
		all = append(all, list...)
	}
	rows, err := load(nonEmpty(all))
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*T, len(rows))
	for _, r := range rows {
		byID[id(r)] = r
	}
	out := make(map[string]ChildPage[T], len(parents))
	for _, p := range parents {
		page := ChildPage[T]{Rows: []*T{}, Start: starts[p], Total: totals[p]}
		for _, i := range ids[p] {
			if r := byID[i]; r != nil {
				page.Rows = append(page.Rows, r)
			}
		}
		if len(page.Rows) == 0 {
			page.Start = 0
			if win.After != nil {
				page.Start = *win.After + 1
			}
		}
		out[p] = page
	}
	return out, nil
}

func (w ChildWindow) check() error {
	for _, n := range []*int{w.First, w.Last} {
		if n != nil && (*n < 0 || *n > 1000) {
			return Invalidf("first and last must be between 0 and 1000")
		}
	}
	for _, c := range []*int{w.After, w.Before} {
		if c != nil && *c < 0 {
			return Invalidf("invalid cursor")
		}
	}
	return nil
}

func (s *Store) productsByIDs(ctx context.Context, ids []string) ([]*model.Product, error) {
	var rows []*model.Product
	if err := s.DB.NewSelect().Model(&rows).Where("product.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("products by id: %w", err)
	}
	return rows, nil
}

func productID(p *model.Product) string { return p.ID }

// CollectionProductsPages is a window of each collection's live products matching where (the
// product field map), oldest first, with each collection's count.
func (s *Store) CollectionProductsPages(ctx context.Context, collectionIDs []string, win ChildWindow, where Where) (map[string]ChildPage[model.Product], error) {
	return childPages(ctx, s, collectionProducts, collectionIDs, win, where, func(ids []string) ([]*model.Product, error) {
		return s.productsByIDs(ctx, ids)
	}, productID)
}

// ProfileProductsPages is a window of each shipping profile's live products matching where, by
// id (as GetShippingProfile orders them), with each profile's count.
func (s *Store) ProfileProductsPages(ctx context.Context, profileIDs []string, win ChildWindow, where Where) (map[string]ChildPage[model.Product], error) {
	return childPages(ctx, s, profileProducts, profileIDs, win, where, func(ids []string) ([]*model.Product, error) {
		return s.productsByIDs(ctx, ids)
	}, productID)
}

// TaxRateProductsPages is a window of each tax rate's live products matching where, in the order
// they were linked, with each rate's count.
func (s *Store) TaxRateProductsPages(ctx context.Context, rateIDs []string, win ChildWindow, where Where) (map[string]ChildPage[model.Product], error) {
	return childPages(ctx, s, taxRateProductsList, rateIDs, win, where, func(ids []string) ([]*model.Product, error) {
		return s.productsByIDs(ctx, ids)
	}, productID)
}

// PriceListPricesPages is a window of each price list's live prices matching where (the money
// amount field map), in stored order, with each list's count.
func (s *Store) PriceListPricesPages(ctx context.Context, priceListIDs []string, win ChildWindow, where Where) (map[string]ChildPage[model.MoneyAmount], error) {
	return childPages(ctx, s, priceListPrices, priceListIDs, win, where, func(ids []string) ([]*model.MoneyAmount, error) {
		var rows []*model.MoneyAmount
		if err := s.DB.NewSelect().Model(&rows).Where("money_amount.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
			return nil, fmt.Errorf("prices by id: %w", err)
		}
		return rows, nil
	}, func(m *model.MoneyAmount) string { return m.ID })
}

// CustomerGroupCustomersPages is a window of each group's live customers matching where, in the
// order they joined, with each group's count.
func (s *Store) CustomerGroupCustomersPages(ctx context.Context, groupIDs []string, win ChildWindow, where Where) (map[string]ChildPage[model.Customer], error) {
	return childPages(ctx, s, groupCustomers, groupIDs, win, where, func(ids []string) ([]*model.Customer, error) {
		var rows []*model.Customer
		if err := s.DB.NewSelect().Model(&rows).Where("customer.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
			return nil, fmt.Errorf("customers by id: %w", err)
		}
		return rows, nil
	}, func(c *model.Customer) string { return c.ID })
}
