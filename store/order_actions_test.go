package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

// The order actions' rules on orders as Medusa 1.3.8 writes them (dbtest.PlaceOrder): the
// state each leaves in the database, the events it records, and its refusals, which change
// nothing.

// textOf answers a query's one text value.
func textOf(t *testing.T, db bun.IDB, query string, args ...any) string {
	t.Helper()
	var out string
	if err := db.NewRaw(query, args...).Scan(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func orderActsStore(t *testing.T) (*store.Store, *bun.DB, dbtest.PlacedOrder) {
	t.Helper()
	db := dbtest.New(t)
	s := newStore(t, db, store.Config{JWTSecret: "x"})
	return s, db, dbtest.PlaceOrder(t, db, 1)
}

// state is what the actions change: the order's statuses, its items' quantities, the
// payments, fulfillments, refunds, stock and the events recorded.
func state(t *testing.T, db *bun.DB, o dbtest.PlacedOrder) string {
	t.Helper()
	q := func(sql string, args ...any) string {
		var out []string
		if err := db.NewRaw(sql, args...).Scan(context.Background(), &out); err != nil {
			t.Fatalf("%v: %s", err, sql)
		}
		return strings.Join(out, "\n")
	}
	return strings.Join([]string{
		"order: " + q(`SELECT concat_ws('|', status, fulfillment_status, payment_status, (canceled_at IS NOT NULL)::text, coalesce(no_notification::text, '∅'), email, metadata::text) FROM "order" WHERE id = ?`, o.ID),
		"items: " + q(`SELECT concat_ws('|', title, quantity, coalesce(fulfilled_quantity::text, '∅'), coalesce(shipped_quantity::text, '∅'), coalesce(returned_quantity::text, '∅')) FROM line_item WHERE order_id = ? ORDER BY id`, o.ID),
		"payments: " + q(`SELECT concat_ws('|', amount, amount_refunded, (captured_at IS NOT NULL)::text, (canceled_at IS NOT NULL)::text, data::text) FROM payment WHERE order_id = ? ORDER BY id`, o.ID),
		"fulfillments: " + q(`SELECT concat_ws('|', provider_id, (canceled_at IS NOT NULL)::text, (shipped_at IS NOT NULL)::text, coalesce(no_notification::text, '∅'), coalesce(metadata::text, '∅'),
			(SELECT string_agg(i.item_id || 'x' || i.quantity, ',' ORDER BY i.item_id) FROM fulfillment_item i WHERE i.fulfillment_id = f.id),
			(SELECT string_agg(l.tracking_number, ',' ORDER BY l.tracking_number) FROM tracking_link l WHERE l.fulfillment_id = f.id))
			FROM fulfillment f WHERE order_id = ? ORDER BY id`, o.ID),
		"refunds: " + q(`SELECT concat_ws('|', amount, reason, coalesce(note, '∅')) FROM refund WHERE order_id = ? ORDER BY id`, o.ID),
		"stock: " + q(`SELECT concat_ws('|', title, inventory_quantity) FROM product_variant WHERE id IN (?, ?) ORDER BY id`, o.ManagedVariant, o.UnmanagedVariant),
		"events: " + q(`SELECT name || ' ' || (data - 'fulfillment_id' - 'refund_id')::text FROM gorgon.event ORDER BY id`),
	}, "\n")
}

func expectState(t *testing.T, got, want string) {
	t.Helper()
	want = strings.TrimSpace(strings.ReplaceAll(want, "\t", ""))
	if got = strings.TrimSpace(got); got != want {
		t.Errorf("state:\n%s\nwant:\n%s", got, want)
	}
}

func expectErr(t *testing.T, err error, typ store.ErrorType, msg string) {
	t.Helper()
	e, ok := store.AsError(err)
	if !ok || e.Type != typ || e.Message != msg {
		t.Fatalf("error %v, want %s: %s", err, typ, msg)
	}
}

const placed = `order: pending|not_fulfilled|awaiting|false|∅|acts-1@example.com|{}
items: Acts managed|2|∅|∅|∅
Acts unmanaged|1|∅|∅|∅
payments: 4560|0|false|false|{"status": "authorized"}
fulfillments: 
refunds: 
stock: Managed|4
Unmanaged|10
events: `

func TestOrderCompleteArchive(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, o := orderActsStore(t)
	expectErr(t, s.ArchiveOrder(ctx, o.ID), store.NotAllowed, "Can't archive an unprocessed order")
	expectErr(t, s.CompleteOrder(ctx, "order_missing"), store.NotFound, "Order with order_missing was not found")
	expectState(t, state(t, db, o), placed)
	if err := s.CompleteOrder(ctx, o.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.ArchiveOrder(ctx, o.ID); err != nil {
		t.Fatal(err)
	}
	expectState(t, state(t, db, o), strings.Replace(strings.Replace(placed, "pending", "archived", 1),
		"events: ", `events: order.completed {"id": "`+o.ID+`", "no_notification": null}`, 1))
	// An archived order can be completed again (Medusa refuses only canceled orders).
	if err := s.CompleteOrder(ctx, o.ID); err != nil {
		t.Fatal(err)
	}
}

func TestOrderCancel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, o := orderActsStore(t)
	// An open fulfillment blocks the cancel.
	if err := s.CreateFulfillment(ctx, o.ID, store.CreateFulfillmentInput{Items: []store.FulfillmentItemInput{{ItemID: o.UnmanagedItem, Quantity: 1}}}); err != nil {
		t.Fatal(err)
	}
	before := state(t, db, o)
	expectErr(t, s.CancelOrder(ctx, o.ID), store.NotAllowed, "All fulfillments must be canceled before canceling an order")
	expectState(t, state(t, db, o), before)
	if err := s.CancelOrderFulfillment(ctx, o.ID, fulfillmentOf(t, db, o)); err != nil {
		t.Fatal(err)
	}
	if err := s.CancelOrder(ctx, o.ID); err != nil {
		t.Fatal(err)
	}
	expectState(t, state(t, db, o), `order: canceled|canceled|canceled|true|∅|acts-1@example.com|{}
		items: Acts managed|2|∅|∅|∅
		Acts unmanaged|1|0|∅|∅
		payments: 4560|0|false|true|{"status": "canceled"}
		fulfillments: manual|true|false|∅|∅|`+o.UnmanagedItem+`x1
		refunds: 
		stock: Managed|6
		Unmanaged|10
		events: order.fulfillment_created {"id": "`+o.ID+`", "no_notification": null}
		order.fulfillment_canceled {"id": "`+o.ID+`", "no_notification": null}
		product-variant.updated {"id": "`+o.ManagedVariant+`", "fields": ["inventory_quantity"], "product_id": "`+o.ProductID+`"}
		order.canceled {"id": "`+o.ID+`", "no_notification": null}`)
	// A canceled order refuses every action.
	canceled := state(t, db, o)
	expectErr(t, s.CompleteOrder(ctx, o.ID), store.NotAllowed, "A canceled order cannot be completed")
	expectErr(t, s.CapturePayment(ctx, o.ID), store.NotAllowed, "A canceled order cannot capture payment")
	expectErr(t, s.CreateRefund(ctx, o.ID, store.RefundInput{Amount: 1, Reason: "other"}), store.NotAllowed, "A canceled order cannot be refunded")
	expectErr(t, s.CreateFulfillment(ctx, o.ID, store.CreateFulfillmentInput{}), store.NotAllowed, "A canceled order cannot be fulfilled")
	expectErr(t, s.UpdateOrder(ctx, o.ID, store.UpdateOrderInput{Metadata: map[string]any{"a": 1}}), store.NotAllowed, "A canceled order cannot be updated")
	expectState(t, state(t, db, o), canceled)
}

func fulfillmentOf(t *testing.T, db *bun.DB, o dbtest.PlacedOrder) string {
	t.Helper()
	var id string
	if err := db.NewRaw(`SELECT id FROM fulfillment WHERE order_id = ? ORDER BY created_at DESC, id DESC LIMIT 1`, o.ID).Scan(context.Background(), &id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestOrderCaptureRefund(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, o := orderActsStore(t)
	// Before the capture the paid total (4560) allows it, the captured payments do not.
	expectErr(t, s.CreateRefund(ctx, o.ID, store.RefundInput{Amount: 1000, Reason: "other"}), store.NotAllowed, "Refund amount is higher that the refundable amount")
	expectState(t, state(t, db, o), placed)
	if err := s.CapturePayment(ctx, o.ID); err != nil {
		t.Fatal(err)
	}
	expectErr(t, s.CreateRefund(ctx, o.ID, store.RefundInput{Amount: 4561, Reason: "other"}), store.NotAllowed, "Cannot refund more than the original order amount")
	note := "sorry"
	if err := s.CreateRefund(ctx, o.ID, store.RefundInput{Amount: 1000, Reason: "discount", Note: &note}); err != nil {
		t.Fatal(err)
	}
	expectErr(t, s.CreateRefund(ctx, o.ID, store.RefundInput{Amount: 3561, Reason: "other"}), store.NotAllowed, "Cannot refund more than the original order amount")
	yes := true
	if err := s.CreateRefund(ctx, o.ID, store.RefundInput{Amount: 3560, Reason: "other", NoNotification: &yes}); err != nil {
		t.Fatal(err)
	}
	expectState(t, state(t, db, o), `order: pending|not_fulfilled|captured|false|∅|acts-1@example.com|{}
		items: Acts managed|2|∅|∅|∅
		Acts unmanaged|1|∅|∅|∅
		payments: 4560|4560|true|false|{"status": "captured"}
		fulfillments: 
		refunds: 1000|discount|sorry
		3560|other|∅
		stock: Managed|4
		Unmanaged|10
		events: order.payment_captured {"id": "`+o.ID+`", "no_notification": null}
		order.refund_created {"id": "`+o.ID+`", "no_notification": null}
		order.refund_created {"id": "`+o.ID+`", "no_notification": true}`)
}

func TestOrderFulfilAndShip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, o := orderActsStore(t)
	expectErr(t, s.CreateFulfillment(ctx, o.ID, store.CreateFulfillmentInput{Items: []store.FulfillmentItemInput{{ItemID: o.ManagedItem, Quantity: 3}}}),
		store.NotAllowed, "Cannot fulfill more items than have been purchased")
	expectState(t, state(t, db, o), placed)
	// One of two managed units, and an id that is not the order's (skipped).
	if err := s.CreateFulfillment(ctx, o.ID, store.CreateFulfillmentInput{Items: []store.FulfillmentItemInput{
		{ItemID: o.ManagedItem, Quantity: 1}, {ItemID: "item_other", Quantity: 5}}, Metadata: map[string]any{"box": 1}}); err != nil {
		t.Fatal(err)
	}
	first := fulfillmentOf(t, db, o)
	if err := s.CreateFulfillment(ctx, o.ID, store.CreateFulfillmentInput{Items: []store.FulfillmentItemInput{
		{ItemID: o.ManagedItem, Quantity: 1}, {ItemID: o.UnmanagedItem, Quantity: 1}}}); err != nil {
		t.Fatal(err)
	}
	second := fulfillmentOf(t, db, o)
	expectErr(t, s.CreateFulfillment(ctx, o.ID, store.CreateFulfillmentInput{Items: []store.FulfillmentItemInput{{ItemID: o.UnmanagedItem, Quantity: 1}}}),
		store.NotAllowed, "Cannot fulfill more items than have been purchased")
	expectErr(t, s.CreateShipment(ctx, o.ID, store.CreateShipmentInput{FulfillmentID: "ful_missing"}), store.NotFound, "Fulfillment with id: ful_missing was not found")
	if err := s.CreateShipment(ctx, o.ID, store.CreateShipmentInput{FulfillmentID: first, TrackingNumbers: []string{"T1", "T2"}}); err != nil {
		t.Fatal(err)
	}
	expectErr(t, s.CancelOrderFulfillment(ctx, o.ID, first), store.NotAllowed, "The fulfillment has already been shipped. Shipped fulfillments cannot be canceled")
	expectErr(t, s.CancelOrderFulfillment(ctx, "order_other", first), store.NotFound, "no fulfillment was found with the id: "+first+" related to order: order_other")
	no := false
	if err := s.CreateShipment(ctx, o.ID, store.CreateShipmentInput{FulfillmentID: second, NoNotification: &no}); err != nil {
		t.Fatal(err)
	}
	expectState(t, state(t, db, o), `order: pending|shipped|awaiting|false|∅|acts-1@example.com|{}
		items: Acts managed|2|2|2|∅
		Acts unmanaged|1|1|1|∅
		payments: 4560|0|false|false|{"status": "authorized"}
		fulfillments: manual|false|true|∅|{"box": 1}|`+o.ManagedItem+`x1|T1,T2
		manual|false|true|false|{}|`+o.ManagedItem+`x1,`+o.UnmanagedItem+`x1
		refunds: 
		stock: Managed|4
		Unmanaged|10
		events: order.fulfillment_created {"id": "`+o.ID+`", "no_notification": null}
		order.fulfillment_created {"id": "`+o.ID+`", "no_notification": null}
		order.shipment_created {"id": "`+o.ID+`", "no_notification": null}
		order.shipment_created {"id": "`+o.ID+`", "no_notification": false}`)
}

func TestOrderUpdate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, o := orderActsStore(t)
	bad := "US"
	expectErr(t, s.UpdateOrder(ctx, o.ID, store.UpdateOrderInput{ShippingAddress: &store.AddressInput{Fields: map[string]*string{"country_code": &bad}}}),
		store.InvalidData, "Shipping country must be in the order region")
	expectState(t, state(t, db, o), placed)
	email, fr, city, yes, no := "new@example.com", "FR", "Paris", true, false
	if err := s.UpdateOrder(ctx, o.ID, store.UpdateOrderInput{Email: &email, Metadata: map[string]any{"k": "v"}, NoNotification: &yes,
		ShippingAddress: &store.AddressInput{Fields: map[string]*string{"country_code": &fr, "city": &city}}}); err != nil {
		t.Fatal(err)
	}
	// no_notification false is no change in Medusa (it tests the value's truthiness).
	if err := s.UpdateOrder(ctx, o.ID, store.UpdateOrderInput{NoNotification: &no}); err != nil {
		t.Fatal(err)
	}
	if got := textOf(t, db, `SELECT concat_ws('|', city, country_code, first_name) FROM address WHERE id = ?`, o.AddressID); got != "Paris|fr|A" {
		t.Errorf("address %q", got)
	}
	expectState(t, state(t, db, o), `order: pending|not_fulfilled|awaiting|false|true|new@example.com|{"k": "v"}
		items: Acts managed|2|∅|∅|∅
		Acts unmanaged|1|∅|∅|∅
		payments: 4560|0|false|false|{"status": "authorized"}
		fulfillments: 
		refunds: 
		stock: Managed|4
		Unmanaged|10
		events: order.updated {"id": "`+o.ID+`", "no_notification": true}
		order.updated {"id": "`+o.ID+`", "no_notification": true}`)
}

func TestOrderAddShippingMethod(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, o := orderActsStore(t)
	if _, err := db.ExecContext(ctx, `INSERT INTO shipping_profile (id, name, type) VALUES ('sp_other', 'Other', 'custom');
		INSERT INTO shipping_option (id, name, region_id, profile_id, provider_id, price_type, amount, is_return, admin_only, data)
		VALUES ('so_other', 'Other', ?, 'sp_other', 'manual', 'flat_rate', 300, false, false, '{"id": "manual-fulfillment"}')`, o.RegionID); err != nil {
		t.Fatal(err)
	}
	methods := func() string {
		return textOf(t, db, `SELECT string_agg(concat_ws('|', shipping_option_id, price, data::text), E'\n' ORDER BY ctid) FROM shipping_method WHERE order_id = ?`, o.ID)
	}
	before := methods()
	expectErr(t, s.AddShippingMethod(ctx, o.ID, store.AddShippingMethodInput{OptionID: "so_missing"}), store.NotFound, "Shipping Option with so_missing was not found")
	expectErr(t, s.AddShippingMethod(ctx, o.ID, store.AddShippingMethodInput{OptionID: o.ShippingOptionID, Price: 5}), store.NotAllowed,
		"The order's shipping method "+o.ShippingMethodID+" of the same shipping profile has tax lines and cannot be replaced")
	if got := methods(); got != before {
		t.Fatalf("methods changed: %s", got)
	}
	// The option's data is stored, not the request's (the manual provider's validation).
	if err := s.AddShippingMethod(ctx, o.ID, store.AddShippingMethodInput{OptionID: "so_other", Price: 0, Data: map[string]any{"x": 1}}); err != nil {
		t.Fatal(err)
	}
	// A method without tax lines of the same profile is replaced.
	if err := s.AddShippingMethod(ctx, o.ID, store.AddShippingMethodInput{OptionID: "so_other", Price: 250}); err != nil {
		t.Fatal(err)
	}
	if got, want := methods(), o.ShippingOptionID+`|800|{"id": "manual-fulfillment"}
so_other|250|{"id": "manual-fulfillment"}`; got != want {
		t.Errorf("methods:\n%s\nwant:\n%s", got, want)
	}
	if got := textOf(t, db, `SELECT string_agg(name || ' ' || data::text, E'\n' ORDER BY id) FROM gorgon.event`); got != `order.updated {"id": "`+o.ID+`"}
order.updated {"id": "`+o.ID+`"}` {
		t.Errorf("events: %s", got)
	}
}

func TestOrderReturnFlow(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, db, o := orderActsStore(t)
	if err := s.CapturePayment(ctx, o.ID); err != nil {
		t.Fatal(err)
	}
	key, err := s.InitIdempotencyKey(ctx, "", "POST", "/x/return", map[string]any{"id": o.ID})
	if err != nil {
		t.Fatal(err)
	}
	// A made-up key is not used: Medusa starts a new one.
	if other, err := s.InitIdempotencyKey(ctx, "made-up", "POST", "/x/return", nil); err != nil || other.IdempotencyKey == "made-up" {
		t.Fatalf("made-up key: %v %v", other, err)
	}
	in := store.RequestReturnInput{Items: []store.ReturnItemInput{{ItemID: o.ManagedItem, Quantity: 2}, {ItemID: o.UnmanagedItem, Quantity: 1}}}
	// Two requests with one key, at once: one return.
	errs := make(chan error, 2)
	for range 2 {
		go func() { errs <- s.RequestReturn(ctx, o.ID, key.IdempotencyKey, in) }()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	ret := textOf(t, db, `SELECT string_agg(id || '|' || status || '|' || refund_amount, ',') FROM "return" WHERE order_id = ?`, o.ID)
	id, _, _ := strings.Cut(ret, "|")
	if ret != id+"|requested|3600" {
		t.Fatalf("returns %s", ret)
	}
	expectErr(t, s.ReceiveReturn(ctx, id, []store.ReturnItemInput{{ItemID: "item_other", Quantity: 1}}, nil), store.InvalidData, "Return contains invalid line item")
	if err := s.ReceiveReturn(ctx, id, in.Items, nil); err != nil {
		t.Fatal(err)
	}
	expectState(t, state(t, db, o), `order: pending|returned|captured|false|∅|acts-1@example.com|{}
		items: Acts managed|2|∅|∅|2
		Acts unmanaged|1|∅|∅|1
		payments: 4560|3600|true|false|{"status": "captured"}
		fulfillments: 
		refunds: 3600|return|∅
		stock: Managed|6
		Unmanaged|10
		events: order.payment_captured {"id": "`+o.ID+`", "no_notification": null}
		order.return_requested {"id": "`+o.ID+`", "return_id": "`+id+`", "no_notification": null}
		product-variant.updated {"id": "`+o.ManagedVariant+`", "fields": ["inventory_quantity"], "product_id": "`+o.ProductID+`"}
		order.items_returned {"id": "`+o.ID+`", "return_id": "`+id+`", "no_notification": null}`)
	expectErr(t, s.ReceiveReturn(ctx, id, in.Items, nil), store.NotAllowed, "Return with id "+id+" has already been received")
	if _, err := s.CancelReturn(ctx, id); err == nil {
		t.Fatal("a received return was canceled")
	}
}
