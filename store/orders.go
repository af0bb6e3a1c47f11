package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"

	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/totals"
)

// The read side of Medusa 1.3.8's orders: what its admin order routes load for an answer
// (api/routes/admin/orders/index.ts: defaultAdminOrdersRelations, defaultAdminOrdersFields)
// and how its order service adds the totals (services/order.ts: transformQueryForTotals,
// decorateTotals), computed by store/totals from the loaded rows.

// defaultOrderRelations are defaultAdminOrdersRelations (sales_channel is added when the sales
// channels flag is on).
var defaultOrderRelations = []string{
	"customer", "billing_address", "shipping_address", "discounts", "discounts.rule",
	"shipping_methods", "payments", "fulfillments", "fulfillments.tracking_links",
	"fulfillments.items", "returns", "returns.shipping_method", "returns.shipping_method.tax_lines",
	"returns.items", "returns.items.reason", "gift_cards", "gift_card_transactions", "claims",
	"claims.return_order", "claims.return_order.shipping_method", "claims.shipping_methods",
	"claims.shipping_address", "claims.additional_items", "claims.fulfillments",
	"claims.fulfillments.tracking_links", "claims.claim_items", "claims.claim_items.item",
	"claims.claim_items.images", "swaps", "swaps.return_order", "swaps.payment",
	"swaps.shipping_methods", "swaps.shipping_address", "swaps.additional_items",
	"swaps.fulfillments", "swaps.fulfillments.tracking_links",
}

// DefaultOrderFields are defaultAdminOrdersFields: the columns and totals of an order answer.
var DefaultOrderFields = []string{
	"id", "status", "fulfillment_status", "payment_status", "display_id", "cart_id",
	"draft_order_id", "customer_id", "email", "region_id", "currency_code", "tax_rate",
	"canceled_at", "created_at", "updated_at", "metadata", "items.refundable",
	"swaps.additional_items.refundable", "claims.additional_items.refundable", "shipping_total",
	"discount_total", "tax_total", "refunded_total", "gift_card_total", "subtotal", "total",
	"paid_total", "refundable_amount", "no_notification",
}

// orderTotalFields are the fields Medusa's order service computes instead of selecting.
var orderTotalFields = []string{
	"subtotal", "tax_total", "shipping_total", "discount_total", "gift_card_total", "total",
	"paid_total", "refunded_total", "refundable_amount", "items.refundable",
	"swaps.additional_items.refundable", "claims.additional_items.refundable",
}

// orderTotalsRelations are what transformQueryForTotals adds to the relations when a total is
// asked for.
var orderTotalsRelations = []string{
	"items", "items.tax_lines", "items.adjustments", "swaps", "swaps.additional_items",
	"swaps.additional_items.tax_lines", "swaps.additional_items.adjustments", "claims",
	"claims.additional_items", "claims.additional_items.tax_lines",
	"claims.additional_items.adjustments", "discounts", "discounts.rule", "gift_cards",
	"gift_card_transactions", "refunds", "shipping_methods", "shipping_methods.tax_lines", "region",
}

// DefaultOrderRelations are the relations Medusa's admin order routes load when `expand` is
// not given: defaultAdminOrdersRelations, and the sales channel when that feature is on.
func (s *Store) DefaultOrderRelations() []string {
	rels := slices.Clone(defaultOrderRelations)
	if s.Config.FeatureSalesChannels {
		rels = append(rels, "sales_channel")
	}
	return rels
}

// OrderActionFind is what Medusa's order action routes (update, capture, fulfil, ship, refund,
// return, cancel, …) answer with: defaultAdminOrdersFields and defaultAdminOrdersRelations as
// they are, without the sales channel that the GET routes add when the feature is on. Pass it to
// RetrieveOrder (rest: writeOrder) after an action.
func OrderActionFind() Find {
	return Find{Expand: slices.Clone(defaultOrderRelations)}
}

// OrderView is an order as Medusa's admin routes answer it: the order with the relations that
// were loaded, which of its columns and relations the answer carries, and the totals asked for.
type OrderView struct {
	*model.Order
	// Columns are the order's own columns in the answer (JSON names): Medusa's `select`.
	Columns []string
	// Relations are the answer's top-level relations (JSON names), each present (null when a
	// to-one relation is empty); Loaded are all relation paths loaded below the order (Medusa's
	// eager relations included), so that an empty to-one relation inside them shows null too.
	Relations []string
	Loaded    []string
	// TotalFields are the totals in the answer, in the order asked (orderTotalFields names,
	// items' refundable set on the items themselves); Totals holds their values.
	TotalFields []string
	Totals      totals.OrderTotals
	// NoPayments says the payments were not loaded (a `expand` without them): Medusa's paid
	// total is then undefined (absent from the answer) and its refundable amount NaN (null).
	NoPayments bool
	// Object says whether the answer carries the entity's `object: "order"` (GET
	// /admin/orders/:id and the action routes do; the list picks the fields it names).
	Object bool
}

// orderQuery is a Medusa expand/fields request resolved into what to select, load and compute.
type orderQuery struct {
	columns     []string // order columns (JSON names)
	relations   []string // relation paths asked (Medusa names)
	answered    []string // relation paths in the answer: all loaded (retrieve) or those asked (list)
	load        []string // every relation path to load, prefixes and eager relations included
	totalFields []string
	list        bool
}

// resolveOrderQuery is Medusa's getRetrieveConfig/getListConfig followed by the order service's
// transformQueryForTotals: fields (or the defaults) are split into columns and totals, the
// totals add the relations they read, and any column request adds tax_rate.
func (s *Store) resolveOrderQuery(find Find, list bool) (*orderQuery, error) {
	fields := DefaultOrderFields
	if len(find.Fields) > 0 {
		fields = nil
		for _, f := range find.Fields {
			if f = strings.TrimSpace(f); f != "" && !slices.Contains(fields, f) {
				fields = append(fields, f)
			}
		}
		if list && !slices.Contains(fields, "created_at") {
			fields = append(fields, "created_at")
		}
		if !slices.Contains(fields, "id") {
			fields = append(fields, "id")
		}
	}
	rels := s.DefaultOrderRelations()
	if len(find.Expand) > 0 {
		rels = nil
		for _, r := range find.Expand {
			if r = strings.TrimSpace(r); r != "" {
				rels = append(rels, r)
			}
		}
	}
	q := &orderQuery{relations: rels, list: list}
	t := s.DB.Table(reflect.TypeOf(model.Order{}))
	for _, f := range fields {
		switch {
		case slices.Contains(orderTotalFields, f):
			q.totalFields = append(q.totalFields, f)
		case t.FieldMap[f] != nil:
			q.columns = append(q.columns, f)
		default:
			// TypeORM refuses a column its entity does not have.
			return nil, Invalidf("%s column was not found in the Order entity.", f)
		}
	}
	if !list && len(q.columns) > 0 && !slices.Contains(q.columns, "tax_rate") {
		// The order service selects tax_rate for its totals; a retrieved order shows it, a
		// list picks only the fields asked.
		q.columns = append(q.columns, "tax_rate")
	}
	load := slices.Clone(rels)
	if len(q.totalFields) > 0 {
		load = append(load, orderTotalsRelations...)
	}
	if _, err := Relations(s.DB, (*model.Order)(nil), load); err != nil {
		return nil, err
	}
	q.load = withOrderEager(s.DB, withPrefixes(load))
	// A retrieved order is answered whole, with every relation loaded (the totals' too); a list
	// picks the fields and relations the request names (lodash pick).
	q.answered = q.load
	if list {
		q.answered = rels
	}
	return q, nil
}

// withOrderEager adds to relation paths from an order the relations Medusa's entities load
// eagerly wherever they are loaded: a line item's variant and the variant's product, a shipping
// method's option, a region's providers, a return's items and a fulfilment's items.
func withOrderEager(db *bun.DB, paths []string) []string {
	out := slices.Clone(paths)
	seen := map[string]bool{}
	for _, p := range out {
		seen[p] = true
	}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for i := 0; i < len(out); i++ {
		p := out[i]
		switch relationEndTable(db, (*model.Order)(nil), p) {
		case "line_item":
			add(p + ".variant")
		case "product_variant":
			add(p + ".product")
		case "shipping_method":
			add(p + ".shipping_option")
		case "region":
			add(p + ".payment_providers")
			add(p + ".fulfillment_providers")
		case "return", "fulfillment":
			add(p + ".items")
		}
	}
	return out
}

// relationEndTable is the SQL table name a Medusa relation path from m ends at ("" if none).
func relationEndTable(db *bun.DB, m any, path string) string {
	t := db.Table(reflect.TypeOf(m))
	for _, part := range strings.Split(path, ".") {
		var next *schema.Table
		for _, rel := range t.Relations {
			if jsonName(rel.Field.StructField.Tag.Get("json")) == part {
				next = rel.JoinTable
				break
			}
		}
		if next == nil {
			return ""
		}
		t = next
	}
	return t.Name
}

// view builds the answer of one loaded order.
func (q *orderQuery) view(o *model.Order) *OrderView {
	v := &OrderView{Order: o, Columns: q.columns, Loaded: q.load, TotalFields: q.totalFields,
		NoPayments: !slices.Contains(q.load, "payments")}
	seen := map[string]bool{}
	for _, r := range q.answered {
		top, _, _ := strings.Cut(r, ".")
		if !seen[top] {
			seen[top] = true
			v.Relations = append(v.Relations, top)
		}
	}
	if len(q.totalFields) > 0 {
		v.Totals = totals.Order(o)
		for _, f := range q.totalFields {
			switch f {
			case "items.refundable":
				setRefundable(o.Items, v.Totals.Refundable)
			case "swaps.additional_items.refundable":
				for _, sw := range o.Swaps {
					setRefundable(sw.AdditionalItems, v.Totals.Refundable)
				}
			case "claims.additional_items.refundable":
				for _, c := range o.Claims {
					setRefundable(c.AdditionalItems, v.Totals.Refundable)
				}
			}
		}
	}
	return v
}

func setRefundable(items []*model.LineItem, refundable map[string]int64) {
	for _, it := range items {
		if r, ok := refundable[it.ID]; ok {
			it.Refundable = &r
		}
	}
}

// RetrieveOrder loads order id for an answer of Medusa's admin order routes, as its order
// service's retrieve does with the route's config: find.Fields (or defaultAdminOrdersFields)
// name the columns and totals, find.Expand (or the default relations) the relations; the totals
// are computed from the loaded rows (store/totals), with no statement per item. The result is
// what GET /admin/orders/:id answers (with `object: "order"`, the zero Find); the order action
// routes answer with it too, after their change, given OrderActionFind() (rest's writeOrder). An unknown id is Medusa's not_found
// "Order with <id> was not found"; an unknown field or relation is invalid_data.
//
// Signature kept stable for the order action routes (orderacts): (ctx, id, find).
func (s *Store) RetrieveOrder(ctx context.Context, id string, find Find) (*OrderView, error) {
	q, err := s.resolveOrderQuery(find, false)
	if err != nil {
		return nil, err
	}
	o, ok, err := s.loadOrderAtOnce(ctx, q, id)
	if !ok && err == nil {
		var orders []*model.Order
		orders, err = s.loadOrders(ctx, s.DB, q, func(sq *bun.SelectQuery) *bun.SelectQuery {
			return sq.Where(`"order".id = ?`, id)
		})
		if len(orders) > 0 {
			o = orders[0]
		}
	}
	if err != nil {
		return nil, fmt.Errorf("retrieve order %s: %w", id, err)
	}
	if o == nil {
		return nil, NotFoundf("Order with %s was not found", id)
	}
	v := q.view(o)
	v.Object = true
	return v, nil
}

// loadOrders reads the orders that build selects (its conditions, order and page) with q's
// relations: the root's to-one relations joined, the others one statement per depth
// (planOrderLevels), or by bun when a relation cannot be planned.
func (s *Store) loadOrders(ctx context.Context, db bun.IDB, q *orderQuery, build func(*bun.SelectQuery) *bun.SelectQuery) ([]*model.Order, error) {
	orders := []*model.Order{}
	sq := build(db.NewSelect().Model(&orders))
	names, err := Relations(s.DB, (*model.Order)(nil), q.load)
	if err != nil {
		return nil, err
	}
	plan := planOrderLevels(s.DB, (*model.Order)(nil), names)
	if plan != nil {
		names = plan.joined
	}
	sq = addOrderedRelations(db, sq, (*model.Order)(nil), names)
	if err := sq.Scan(ctx); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if plan != nil && len(orders) > 0 {
		if err := loadLevels(ctx, db, plan, reflect.ValueOf(orders)); err != nil {
			return nil, err
		}
	}
	FillRelations(s.DB, orders, q.load)
	return orders, nil
}

// Medusa's order enums (OrderStatus, FulfillmentStatus, PaymentStatus), in order.
var (
	OrderStatuses            = []string{"pending", "completed", "archived", "canceled", "requires_action"}
	OrderFulfillmentStatuses = []string{"not_fulfilled", "partially_fulfilled", "fulfilled", "partially_shipped", "shipped", "partially_returned", "returned", "canceled", "requires_action"}
	OrderPaymentStatuses     = []string{"not_paid", "awaiting", "captured", "partially_refunded", "refunded", "canceled", "requires_action"}
)

// OrderFilter is Medusa's AdminListOrdersSelector: the filters of GET /admin/orders. Strings
// compare for equality (display_id and tax_rate as PostgreSQL compares a column with text).
type OrderFilter struct {
	// Q matches the shipping address's first name or the email (ILIKE %q%, pattern characters
	// of q included, as Medusa), or the display id (ILIKE q); only orders with a shipping
	// address match, as Medusa's inner join has it.
	Q                 *string
	ID                *string
	IDs               []string // GraphQL's ids (REST has one id)
	Status            []string
	FulfillmentStatus []string
	PaymentStatus     []string
	DisplayID         *string
	CartID            *string
	CustomerID        *string
	Email             *string
	RegionIDs         []string
	CurrencyCode      *string
	TaxRate           *string
	SalesChannelIDs   []string
	CanceledAt        *TimeRange
	CreatedAt         *TimeRange
	UpdatedAt         *TimeRange
	// Order: the list order, keys in turn (nil: newest first); ties end by id (GraphQL's orderBy).
	Order []ListOrder
}

// apply adds the filter's conditions to a query on order (alias "order").
func (f *OrderFilter) apply(q *bun.SelectQuery) *bun.SelectQuery {
	if f.Q != nil && *f.Q != "" {
		like := "%" + *f.Q + "%"
		// One id set per searched column, united, so that each can use its index
		// (migrations.Indexes); the display id branch only when q can match one.
		branches := []string{
			`SELECT o.id FROM "order" o JOIN address a ON a.id = o.shipping_address_id AND a.deleted_at IS NULL WHERE a.first_name ILIKE ?`,
			`SELECT o.id FROM "order" o WHERE o.email ILIKE ?`,
		}
		args := []any{like, like}
		switch id, digits := displayIDOf(*f.Q); {
		case digits && id >= 0:
			// A plain number is the display id itself: its index answers.
			branches = append(branches, `SELECT o.id FROM "order" o WHERE o.display_id = ?`)
			args = append(args, id)
		case !digits && displayIDMatchable(*f.Q):
			branches = append(branches, `SELECT o.id FROM "order" o WHERE o.display_id::varchar(255) ILIKE ?`)
			args = append(args, *f.Q)
		}
		// As an array (computed once): PostgreSQL then fetches the few matches by their key
		// instead of hashing them against every order.
		q = q.Where(`"order".id = ANY(ARRAY(`+strings.Join(branches, " UNION ")+`))`, args...).
			Where(`EXISTS (SELECT 1 FROM address qa WHERE qa.id = "order".shipping_address_id AND qa.deleted_at IS NULL)`)
	}
	eq := func(col string, v *string) {
		if v != nil {
			q = q.Where(`"order".`+col+` = ?`, *v)
		}
	}
	eq("id", f.ID)
	if f.Q == nil || *f.Q == "" {
		// Medusa drops these two when q is given.
		eq("display_id", f.DisplayID)
		eq("email", f.Email)
	}
	eq("cart_id", f.CartID)
	eq("customer_id", f.CustomerID)
	eq("currency_code", f.CurrencyCode)
	eq("tax_rate", f.TaxRate)
	in := func(col string, vals []string) {
		switch {
		case vals == nil:
		case len(vals) == 0:
			q = q.Where("false")
		default:
			// The enum columns compared as themselves (the values are checked against the
			// enums before): PostgreSQL then knows how many orders match and reads a page from
			// the created_at index instead of sorting them all.
			q = q.Where(`"order".`+col+` IN (?)`, bun.In(vals))
		}
	}
	in("id", f.IDs)
	in("status", f.Status)
	in("fulfillment_status", f.FulfillmentStatus)
	in("payment_status", f.PaymentStatus)
	in("region_id", f.RegionIDs)
	in("sales_channel_id", f.SalesChannelIDs)
	q = f.CanceledAt.apply(q, "order.canceled_at")
	q = f.CreatedAt.apply(q, "order.created_at")
	q = f.UpdatedAt.apply(q, "order.updated_at")
	return q
}

// displayIDOf reads q as a display id when it is all digits (digits true): the id, or -1 when
// no display id is written so (a leading zero, or too long).
func displayIDOf(q string) (id int, digits bool) {
	for _, r := range q {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	if q == "" || (len(q) > 1 && q[0] == '0') || len(q) > 9 {
		return -1, true
	}
	n, _ := strconv.Atoi(q)
	return n, true
}

// displayIDMatchable reports whether `display_id::varchar ILIKE q` can hold: a display id is
// written with digits only, so q must be digits and pattern characters.
func displayIDMatchable(q string) bool {
	for _, r := range q {
		if (r < '0' || r > '9') && r != '%' && r != '_' && r != '\\' {
			return false
		}
	}
	return q != ""
}

// ListOrders is GET /admin/orders: the orders matching f, newest first, the page p (its
// Expand and Fields as Medusa's transformQuery and order service read them), each with the
// totals asked for, and the total count. A page costs one statement per relation depth plus
// the page's own (with the count), whatever its size.
func (s *Store) ListOrders(ctx context.Context, f OrderFilter, p Page) ([]*OrderView, int, error) {
	if p.Limit < 0 || p.Offset < 0 {
		return nil, 0, Invalidf("limit and offset must not be negative")
	}
	if f.SalesChannelIDs != nil && !s.Config.FeatureSalesChannels {
		return nil, 0, Invalidf("property sales_channel_id should not exist")
	}
	q, err := s.resolveOrderQuery(p.Find, true)
	if err != nil {
		return nil, 0, err
	}
	// The page is chosen from the orders alone (the created_at index, the filter), then joined
	// with its to-one relations: joined first, PostgreSQL would join and sort every order. The
	// count rides along as an uncorrelated subquery (computed once), so it costs no statement.
	// The filter's orderBy (GraphQL: indexed columns only), or a sort on any column of the order
	// (an order export's list_config), id breaking ties the same way.
	orderBy, err := listOrder("order", f.Order, orderOrderColumns)
	if err != nil {
		return nil, 0, err
	}
	if p.Order != "" {
		col, dir := strings.TrimPrefix(p.Order, "-"), "ASC"
		if strings.HasPrefix(p.Order, "-") {
			dir = "DESC"
		}
		if s.DB.Table(reflect.TypeOf(model.Order{})).FieldMap[col] == nil {
			return nil, 0, Invalidf("Order field %s is not valid", col)
		}
		orderBy = fmt.Sprintf(`"order".%q %s, "order".id %s`, col, dir, dir)
	}
	// The where filter (GraphQL) joins f in the page, the count and the count past the end.
	cond, args, err := s.whereCondition("order", p.Where)
	if err != nil {
		return nil, 0, err
	}
	filtered := func(q *bun.SelectQuery) *bun.SelectQuery {
		q = f.apply(q)
		if cond != "" {
			q = q.Where(cond, args...)
		}
		return q
	}
	countQ := filtered(s.DB.NewSelect().Model((*model.Order)(nil)).ColumnExpr("count(*)"))
	pageQ, counted := withCount(s.DB, filtered(s.DB.NewSelect().Model((*model.Order)(nil))).ColumnExpr(`"order".*`), countQ)
	pageQ = pageQ.OrderExpr(orderBy).Offset(int64(p.Offset))
	if !p.All {
		pageQ = pageQ.Limit(int64(p.Limit))
	}
	orders, err := s.loadOrders(ctx, s.DB, q, func(sq *bun.SelectQuery) *bun.SelectQuery {
		return sq.ModelTableExpr(`(?) AS "order"`, pageQ).ColumnExpr(`"order".*`).OrderExpr(orderBy)
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list orders: %w", err)
	}
	var count int
	if len(orders) > 0 {
		count = int(counted.n(orders[0].FullCount, orders[0].Snapshot))
	} else if p.Offset > 0 {
		// A page past the end: the window saw no row, so count apart.
		n, err := filtered(s.DB.NewSelect().Model((*model.Order)(nil))).Count(ctx)
		if err != nil {
			return nil, 0, fmt.Errorf("count orders: %w", err)
		}
		count = int(n)
	} else {
		count = 0
	}
	views := make([]*OrderView, len(orders))
	for i, o := range orders {
		views[i] = q.view(o)
	}
	return views, count, nil
}
