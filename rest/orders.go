package rest

import (
	"net/http"
	"reflect"
	"slices"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
)

func init() {
	extraRoutes = append(extraRoutes, func(a *API, r chi.Router) {
		r.Get("/orders", a.listOrders)
		r.Get("/orders/{id}", a.getOrder)
	})
}

// GET /admin/orders (AdminGetOrdersParams: offset, limit, expand, fields and
// AdminListOrdersSelector's filters). Each order carries what Medusa's list picks: the fields
// asked (or defaultAdminOrdersFields, with the totals) and the relations asked (or the
// defaults).
func (a *API) listOrders(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r).normalized()
	p := store.Page{Offset: q.Int("offset", 0), Limit: q.Int("limit", 50), Find: q.Find()}
	p.All = p.Limit == 0
	var f store.OrderFilter
	f.Q = q.String("q")
	f.ID = q.String("id")
	f.Status = enumArray(q, "status", store.OrderStatuses)
	f.FulfillmentStatus = enumArray(q, "fulfillment_status", store.OrderFulfillmentStatuses)
	f.PaymentStatus = enumArray(q, "payment_status", store.OrderPaymentStatuses)
	f.DisplayID = q.String("display_id")
	f.CartID = q.String("cart_id")
	f.CustomerID = q.String("customer_id")
	f.Email = q.String("email")
	regions, typeErr := qsStringOrArray(q, "region_id")
	f.RegionIDs = regions
	f.CurrencyCode = q.String("currency_code")
	f.TaxRate = q.String("tax_rate")
	f.SalesChannelIDs = q.Array("sales_channel_id")
	f.CanceledAt = q.DateRange("canceled_at")
	f.CreatedAt = q.DateRange("created_at")
	f.UpdatedAt = q.DateRange("updated_at")
	if typeErr != nil { // Medusa's IsType throws: its error comes alone
		writeError(w, r, typeErr)
		return
	}
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	views, count, err := a.store.ListOrders(r.Context(), f, p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, listBody{key: "orders", items: orderList(views), count: count, offset: p.Offset, limit: p.Limit})
}

// enumArray reads an `@IsArray() @IsEnum(E, { each: true }) @IsOptional()` parameter.
func enumArray(q *query, key string, allowed []string) []string {
	vals, isArray, found, bad := q.list(key)
	if !found {
		return nil
	}
	var msgs []string
	if !isArray {
		msgs = append(msgs, key+" must be an array")
	}
	ok := !bad
	for _, v := range vals {
		ok = ok && inStrings(allowed, v)
	}
	if !ok {
		msgs = append(msgs, "each value in "+key+" must be a valid enum value")
	}
	for _, m := range msgs {
		q.fail("%s", m)
	}
	if len(msgs) > 0 {
		return nil
	}
	return vals
}

// orderList is a page of orders as GET /admin/orders answers them.
type orderList []*store.OrderView

func (l orderList) encode(e *encoder) {
	e.buf = append(e.buf, '[')
	for i, v := range l {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		encodeOrderView(e, v)
		e.maybeFlush()
	}
	e.buf = append(e.buf, ']')
}

// GET /admin/orders/:id (EmptyQueryParams: Medusa's transformQuery validates the query with a
// class of no properties, so even expand and fields are refused; the order comes with the
// routes' default fields and relations).
func (a *API) getOrder(w http.ResponseWriter, r *http.Request) {
	q := newQuery(r).normalized()
	if err := q.Err(); err != nil {
		writeError(w, r, err)
		return
	}
	a.writeOrder(w, r, chi.URLParam(r, "id"), store.Find{})
}

// writeOrder answers {order: …} as Medusa's admin order routes do: the order id read with
// find's fields and relations (the zero Find: the routes' defaults, as the action routes answer
// after their change), with its totals (store.RetrieveOrder). Errors are answered too.
//
// Signature kept stable for the order action routes (orderacts).
func (a *API) writeOrder(w http.ResponseWriter, r *http.Request, id string, find store.Find) {
	v, err := a.store.RetrieveOrder(r.Context(), id, find)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, orderEnvelope{v})
}

// orderEnvelope is {"order": view}.
type orderEnvelope struct{ v *store.OrderView }

func (o orderEnvelope) encode(e *encoder) {
	e.buf = append(e.buf, `{"order":`...)
	encodeOrderView(e, o.v)
	e.buf = append(e.buf, '}')
}

// encodeOrderView writes an order as Medusa answers it, keys sorted: the selected columns, the
// relations (each present; an empty to-one relation, there or below, is null), `object` when
// the entity is answered whole, and the totals.
func encodeOrderView(e *encoder, v *store.OrderView) {
	type entry struct {
		key  string
		kind int // 0 column, 1 relation, 2 total, 3 object
		name string
	}
	entries := make([]entry, 0, len(v.Columns)+len(v.Relations)+len(v.TotalFields)+2)
	for _, c := range v.Columns {
		entries = append(entries, entry{c, 0, c})
	}
	for _, r := range v.Relations {
		entries = append(entries, entry{r, 1, r})
	}
	for _, t := range v.TotalFields {
		switch t {
		case "items.refundable", "swaps.additional_items.refundable", "claims.additional_items.refundable":
			continue // set on the items
		case "paid_total":
			if !v.NoPayments {
				entries = append(entries, entry{t, 2, t})
			}
		case "gift_card_total":
			entries = append(entries, entry{t, 2, t})
			if v.Object {
				// decorateTotals sets it beside gift_card_total; the list picks what it names.
				entries = append(entries, entry{"gift_card_tax_total", 2, "gift_card_tax_total"})
			}
		default:
			entries = append(entries, entry{t, 2, t})
		}
	}
	if v.Object {
		entries = append(entries, entry{"object", 3, ""})
	}
	slices.SortStableFunc(entries, func(a, b entry) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return 0
	})
	entries = slices.CompactFunc(entries, func(a, b entry) bool { return a.key == b.key })
	node := orderShape(v.Loaded)
	ov := reflect.ValueOf(v.Order).Elem()
	tv := reflect.ValueOf(&v.Totals).Elem()
	e.buf = append(e.buf, '{')
	for i, en := range entries {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = appendString(e.buf, en.key)
		e.buf = append(e.buf, ':')
		switch en.kind {
		case 0, 1:
			idx, ok := fieldByJSON(ov.Type(), en.name)
			if !ok {
				e.buf = append(e.buf, "null"...)
				continue
			}
			var child *shapeNode
			if en.kind == 1 {
				child = node.children[en.name]
			}
			e.value(ov.FieldByIndex(idx), en.kind == 1, child)
		case 2:
			if en.name == "refundable_amount" && v.NoPayments {
				e.buf = append(e.buf, "null"...)
				continue
			}
			idx, _ := fieldByJSON(tv.Type(), en.name)
			e.value(tv.FieldByIndex(idx), false, nil)
		case 3:
			e.buf = append(e.buf, `"order"`...)
		}
	}
	e.buf = append(e.buf, '}')
}

// orderShape is the tree of the loaded relation paths: the encoder writes an empty to-one
// relation among them as null, as TypeORM leaves it.
func orderShape(paths []string) *shapeNode {
	n := newShape(nil, paths, false)
	if n.children == nil {
		n.children = map[string]*shapeNode{}
	}
	return n
}
