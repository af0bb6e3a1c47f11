package rest

import (
	"net/http"
	"reflect"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/totals"
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
	// The orders of a page share their field lists: a layout is worked out again only when
	// they change.
	var lay *orderLayout
	for i, v := range l {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		if lay == nil || !lay.fits(v) {
			lay = newOrderLayout(v)
		}
		lay.encode(e, v)
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
// find's fields and relations (the zero Find: GET /admin/orders/:id's defaults; the action
// routes pass store.OrderActionFind(), Medusa's defaults without the sales channel), with its
// totals (store.RetrieveOrder). Errors are answered too.
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
	newOrderLayout(o.v).encode(e, o.v)
	e.buf = append(e.buf, '}')
}

// orderLayout is how an order is written as Medusa answers it, keys sorted: the selected
// columns, the relations (each present; an empty to-one relation, there or below, is null),
// `object` when the entity is answered whole, and the totals.
type orderLayout struct {
	entries []orderEntry
	from    *store.OrderView // the view it was made from
}

// fits reports whether v asks for the same fields as the view the layout was made from.
func (l *orderLayout) fits(v *store.OrderView) bool {
	f := l.from
	return v.NoPayments == f.NoPayments && v.Object == f.Object &&
		slices.Equal(v.Columns, f.Columns) && slices.Equal(v.Relations, f.Relations) &&
		slices.Equal(v.Loaded, f.Loaded) && slices.Equal(v.TotalFields, f.TotalFields)
}

type orderEntry struct {
	key  string
	kind int // 0 column, 1 relation, 2 total, 3 object
	name string
	// resolved once per layout:
	quoted []byte     // "key":
	idx    []int      // the field in model.Order (kinds 0, 1) or totals.OrderTotals (2); nil: none
	child  *shapeNode // a relation's shape
}

func newOrderLayout(v *store.OrderView) *orderLayout {
	type entry = orderEntry
	entries := make([]entry, 0, len(v.Columns)+len(v.Relations)+len(v.TotalFields)+2)
	for _, c := range v.Columns {
		entries = append(entries, entry{key: c, kind: 0, name: c})
	}
	for _, r := range v.Relations {
		entries = append(entries, entry{key: r, kind: 1, name: r})
	}
	for _, t := range v.TotalFields {
		switch t {
		case "items.refundable", "swaps.additional_items.refundable", "claims.additional_items.refundable":
			continue // set on the items
		case "paid_total":
			if !v.NoPayments {
				entries = append(entries, entry{key: t, kind: 2, name: t})
			}
		case "gift_card_total":
			entries = append(entries, entry{key: t, kind: 2, name: t})
			if v.Object {
				// decorateTotals sets it beside gift_card_total; the list picks what it names.
				entries = append(entries, entry{key: "gift_card_tax_total", kind: 2, name: "gift_card_tax_total"})
			}
		default:
			entries = append(entries, entry{key: t, kind: 2, name: t})
		}
	}
	if v.Object {
		entries = append(entries, entry{key: "object", kind: 3, name: ""})
	}
	slices.SortStableFunc(entries, func(a, b entry) int { return strings.Compare(a.key, b.key) })
	entries = slices.CompactFunc(entries, func(a, b entry) bool { return a.key == b.key })
	node := orderShape(v.Loaded)
	ot, tt := reflect.TypeFor[model.Order](), reflect.TypeFor[totals.OrderTotals]()
	for i := range entries {
		en := &entries[i]
		en.quoted = append(appendString(nil, en.key), ':')
		switch en.kind {
		case 0, 1:
			en.idx, _ = fieldByJSON(ot, en.name)
			if en.kind == 1 {
				en.child = node.children[en.name]
			}
		case 2:
			en.idx, _ = fieldByJSON(tt, en.name)
		}
	}
	return &orderLayout{entries: entries, from: v}
}

func (l *orderLayout) encode(e *encoder, v *store.OrderView) {
	ov := reflect.ValueOf(v.Order).Elem()
	tv := reflect.ValueOf(&v.Totals).Elem()
	e.buf = append(e.buf, '{')
	for i, en := range l.entries {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = append(e.buf, en.quoted...)
		switch {
		case en.kind == 3:
			e.buf = append(e.buf, `"order"`...)
		case en.idx == nil, en.kind == 2 && en.name == "refundable_amount" && v.NoPayments:
			e.buf = append(e.buf, "null"...)
		case en.kind == 2:
			e.value(tv.FieldByIndex(en.idx), false, nil)
		default:
			e.value(ov.FieldByIndex(en.idx), en.kind == 1, en.child)
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
