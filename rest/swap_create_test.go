package rest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

// swapEvents lists the recorded events whose names start with prefix, in order.
func swapEvents(t *testing.T, e *resttest.Env, like string) string {
	t.Helper()
	var events []string
	if err := e.DB.NewRaw(`SELECT name FROM gorgon.event WHERE name LIKE ? ORDER BY id`, like).Scan(t.Context(), &events); err != nil {
		t.Fatal(err)
	}
	return strings.Join(events, ",")
}

func TestOrderSwapCreate(t *testing.T) {
	t.Parallel()
	e, o := newActsEnv(t)
	o2 := dbtest.PlaceOrder(t, e.DB, 2)
	for _, q := range []string{
		`INSERT INTO shipping_option (id, name, region_id, profile_id, provider_id, price_type, amount, is_return, admin_only, data,
			created_at, updated_at) VALUES ('so_01GACTS0000000000000000008', 'EU Return', '` + o.RegionID + `', '` + o.ProfileID + `', 'manual',
			'flat_rate', 600, true, false, '{"id": "manual-fulfillment-return"}', '2026-12-07 14:43:24.482+00', '2026-12-07 14:43:24.482+00')`,
		`INSERT INTO money_amount (id, currency_code, amount, variant_id, region_id) VALUES
			('ma_01GACTS0000000000000000001', 'eur', 1200, '` + o.ManagedVariant + `', NULL)`,
	} {
		if _, err := e.DB.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	p := "/admin/orders/" + o.ID + "/swaps"

	before := dbFingerprint(t, e)
	e.DoAnon(http.MethodPost, p, map[string]any{}).ExpectText(t, http.StatusUnauthorized, "Unauthorized")
	e.DoAnon(http.MethodPost, p+"/swap_x/process-payment", nil).ExpectText(t, http.StatusUnauthorized, "Unauthorized")
	if changed := diffFingerprints(before, dbFingerprint(t, e)); len(changed) > 0 {
		t.Errorf("anonymous requests changed %v", changed)
	}
	// The answers of the reference server to the same bodies.
	expectRefused(t, e, "POST", p, map[string]any{}, 400,
		`{"type": "invalid_data", "message": "return_items should not be empty, return_items must be an array"}`)
	expectRefused(t, e, "POST", p, map[string]any{"return_items": nil}, 400,
		`{"type": "invalid_data", "message": "return_items should not be empty, return_items must be an array, each value in nested property return_items must be either object or array"}`)
	expectRefused(t, e, "POST", p, map[string]any{"return_items": []any{map[string]any{"item_id": "", "quantity": 0, "z": 1}},
		"return_shipping": map[string]any{"price": 1.5}, "additional_items": []any{map[string]any{"variant_id": 5}},
		"custom_shipping_options": []any{map[string]any{"option_id": "x"}}, "no_notification": "x", "allow_backorder": 1}, 400,
		`{"type": "invalid_data", "message": "property z should not exist, item_id should not be empty, quantity must not be less than 1, option_id should not be empty, option_id must be a string, price must be an integer number, variant_id must be a string, quantity should not be empty, quantity must be a number conforming to the specified constraints, price should not be empty, price must be an integer number, no_notification must be a boolean value, allow_backorder must be a boolean value"}`)
	expectRefused(t, e, "POST", p, map[string]any{"return_items": "x", "return_shipping": "x", "additional_items": map[string]any{}, "custom_shipping_options": 5}, 400,
		`{"type": "invalid_data", "message": "return_items must be an array, each value in nested property return_items must be either object or array, return_shipping must be an object, nested property return_shipping must be either object or array, additional_items must be an array, variant_id should not be empty, variant_id must be a string, quantity should not be empty, quantity must be a number conforming to the specified constraints, custom_shipping_options must be an array, each value in nested property custom_shipping_options must be either object or array"}`)
	expectRefused(t, e, "POST", p, map[string]any{"return_items": []any{map[string]any{"item_id": 5, "quantity": "1"}, 7}, "return_shipping": []any{},
		"additional_items": []any{map[string]any{"variant_id": "v", "quantity": 1}}, "custom_shipping_options": []any{map[string]any{"option_id": "o", "price": 1.5, "q": 1}}, "zz": 1}, 400,
		`{"type": "invalid_data", "message": "property zz should not exist, item_id must be a string, quantity must not be less than 1, quantity must be a number conforming to the specified constraints, each value in nested property return_items must be either object or array, return_shipping must be an object, property q should not exist, price must be an integer number"}`)
	expectRefused(t, e, "POST", p, map[string]any{"return_items": []any{map[string]any{}}, "return_shipping": map[string]any{}, "additional_items": nil,
		"custom_shipping_options": nil, "no_notification": nil, "allow_backorder": nil}, 400,
		`{"type": "invalid_data", "message": "item_id should not be empty, item_id must be a string, quantity must not be less than 1, quantity should not be empty, quantity must be a number conforming to the specified constraints, option_id should not be empty, option_id must be a string"}`)

	// Refused by the rules: only the idempotency key stays behind (as in Medusa).
	body := map[string]any{"return_items": []any{map[string]any{"item_id": o.ManagedItem, "quantity": 1, "note": "too big"}},
		"return_shipping":         map[string]any{"option_id": "so_01GACTS0000000000000000008"},
		"additional_items":        []any{map[string]any{"variant_id": o.ManagedVariant, "quantity": 1}},
		"custom_shipping_options": []any{map[string]any{"option_id": o.ShippingOptionID, "price": 500}}, "no_notification": true}
	before = dbFingerprint(t, e)
	e.Do("POST", "/admin/orders/order_missing/swaps", map[string]any{"return_items": []any{map[string]any{"item_id": o.ManagedItem, "quantity": 1}}}).
		Expect(t, 404, `{"type": "not_found", "message": "Order with order_missing was not found"}`)
	e.Do("POST", p, body).Expect(t, 400, `{"type": "not_allowed", "message": "Order cannot be swapped"}`)
	if changed := diffFingerprints(before, dbFingerprint(t, e)); len(changed) != 1 || changed[0] != "public.idempotency_key" {
		t.Errorf("a refused swap changed %v", changed)
	}
	for _, x := range []dbtest.PlacedOrder{o, o2} {
		e.Do("POST", "/admin/orders/"+x.ID+"/capture", nil).Expect(t, 200, `{"order": "$any"}`)
		e.Do("POST", "/admin/orders/"+x.ID+"/fulfillment", map[string]any{"items": []any{map[string]any{"item_id": x.ManagedItem, "quantity": 2},
			map[string]any{"item_id": x.UnmanagedItem, "quantity": 1}}}).Expect(t, 200, `{"order": "$any"}`)
	}
	before = dbFingerprint(t, e)
	e.Do("POST", p, map[string]any{"return_items": []any{map[string]any{"item_id": "item_missing", "quantity": 1}}}).
		Expect(t, 404, `{"type": "not_found", "message": "Line item with item_missing was not found"}`)
	e.Do("POST", p, map[string]any{"return_items": []any{map[string]any{"item_id": o.ManagedItem, "quantity": 3}}}).
		Expect(t, 400, `{"type": "not_allowed", "message": "Cannot return more items than have been purchased"}`)
	e.Do("POST", p, map[string]any{"return_items": []any{map[string]any{"item_id": o.ManagedItem, "quantity": 1}},
		"additional_items": []any{map[string]any{"variant_id": "variant_missing", "quantity": 1}}}).
		Expect(t, 404, `{"type": "not_found", "message": "Variant with id: variant_missing was not found"}`)
	// Medusa's insert fails on the foreign key (a 500).
	e.Do("POST", p, map[string]any{"return_items": []any{map[string]any{"item_id": o.ManagedItem, "quantity": 1}},
		"custom_shipping_options": []any{map[string]any{"option_id": "so_missing", "price": 1}}}).
		Expect(t, 404, `{"type": "not_found", "message": "Shipping Option with so_missing was not found"}`)
	if changed := diffFingerprints(before, dbFingerprint(t, e)); len(changed) != 1 || changed[0] != "public.idempotency_key" {
		t.Errorf("refused swaps changed %v", changed)
	}

	// One managed unit back (its return shipped with the return option) for a new one.
	res := e.Do("POST", p, body)
	if res.Status != 200 {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	expectGolden(t, res, "swap_create")
	// The key, the swap with its item, return (with its shipping and tax line) and cart (with
	// its lines, tax lines and custom price), the events, the answer.
	if e.Queries > 60 {
		t.Errorf("create swap: %d statements, want at most 60", e.Queries)
	}
	key := res.Header.Get("Idempotency-Key")
	if key == "" || res.Header.Get("Access-Control-Expose-Headers") != "Idempotency-Key" {
		t.Fatalf("idempotency headers: %v", res.Header)
	}
	// The same key again: the recorded answer, no second swap.
	e.DoWith("POST", p, body, map[string]string{"Idempotency-Key": key, "Authorization": "Bearer " + resttest.Token}).Expect(t, 200, string(res.Body))
	var swaps []string
	if err := e.DB.NewRaw(`SELECT id FROM swap WHERE order_id = ?`, o.ID).Scan(t.Context(), &swaps); err != nil || len(swaps) != 1 {
		t.Fatalf("swaps %v %v", swaps, err)
	}
	// The swap's cart, as the reference server leaves one: the order's customer, address and
	// region, the additional item, the return shipping and the returned unit as return lines
	// with their tax lines, the custom price of the option.
	channel := `true`
	if resttest.SalesChannels() {
		channel = `c.sales_channel_id = (SELECT default_sales_channel_id FROM store)`
	}
	var cart string
	if err := e.DB.NewRaw(`SELECT concat_ws(' ', c.type, c.metadata::text, c.customer_id = ?1 AND c.email = 'acts-1@example.com',
		c.shipping_address_id = ?2 AND c.billing_address_id IS NULL, `+channel+`,
		(SELECT string_agg(concat_ws('|', l.title, l.unit_price, l.quantity, l.is_return, l.has_shipping, l.allow_discounts, l.swap_id IS NOT NULL,
			l.metadata::text, (SELECT string_agg(t.rate || '/' || t.code, ' ') FROM line_item_tax_line t WHERE t.item_id = l.id)), ';' ORDER BY l.ctid)
			FROM line_item l WHERE l.cart_id = c.id),
		(SELECT string_agg(x.shipping_option_id || '|' || x.price, ';') FROM custom_shipping_option x WHERE x.cart_id = c.id))
		FROM cart c JOIN swap s ON s.cart_id = c.id WHERE s.id = ?0`, swaps[0], o.CustomerID, o.AddressID).Scan(t.Context(), &cart); err != nil {
		t.Fatal(err)
	}
	want := `swap {"swap_id": "` + swaps[0] + `", "parent_order_id": "` + o.ID + `"} t t t ` +
		`Acts|1200|1|f|t|t|{};Return shipping|600|1|t|t|f|f|20/default;Acts managed|-1000|1|t|t|f|{}|20/default ` + o.ShippingOptionID + `|500`
	if cart != want {
		t.Errorf("swap cart\n got %s\nwant %s", cart, want)
	}
	if got := swapEvents(t, e, "%.created"); !strings.HasSuffix(got, "swap.created,cart.created") {
		t.Errorf("events %s", got)
	}
	var retOrder, retShipping string
	if err := e.DB.NewRaw(`SELECT coalesce(order_id, '-'), shipping_data::text FROM "return" WHERE swap_id = ?`, swaps[0]).Scan(t.Context(), &retOrder, &retShipping); err != nil {
		t.Fatal(err)
	}
	if retOrder != "-" || retShipping != "{}" {
		t.Errorf("swap return: order %s shipping_data %s", retOrder, retShipping)
	}

	// A swap on a canceled swap's item is refused.
	if _, err := e.DB.ExecContext(t.Context(), `UPDATE swap SET canceled_at = now() WHERE id = ?`, swaps[0]); err != nil {
		t.Fatal(err)
	}
	var newItem string
	if err := e.DB.NewRaw(`SELECT id FROM line_item WHERE swap_id = ?`, swaps[0]).Scan(t.Context(), &newItem); err != nil {
		t.Fatal(err)
	}
	e.Do("POST", p, map[string]any{"return_items": []any{map[string]any{"item_id": newItem, "quantity": 1}}}).
		Expect(t, 400, `{"type": "invalid_data", "message": "Cannot create a swap on a canceled item."}`)

	if resttest.SalesChannels() {
		// The cart goes to the store's default sales channel, which must be enabled.
		if _, err := e.DB.ExecContext(t.Context(), `UPDATE sales_channel SET is_disabled = true WHERE id = (SELECT default_sales_channel_id FROM store)`); err != nil {
			t.Fatal(err)
		}
		before = dbFingerprint(t, e)
		e.Do("POST", "/admin/orders/"+o2.ID+"/swaps", map[string]any{"return_items": []any{map[string]any{"item_id": o2.UnmanagedItem, "quantity": 1}}}).
			Expect(t, 400, `{"type": "invalid_data", "message": "Unable to assign the cart to a disabled Sales Channel \"Default Sales Channel\""}`)
		if changed := diffFingerprints(before, dbFingerprint(t, e)); len(changed) != 1 || changed[0] != "public.idempotency_key" {
			t.Errorf("a refused swap changed %v", changed)
		}
		if _, err := e.DB.ExecContext(t.Context(), `UPDATE sales_channel SET is_disabled = false`); err != nil {
			t.Fatal(err)
		}
	}
	// Without a return shipping, additional items or custom prices: a cart of the returned
	// unit only; allow_backorder as given.
	res = e.Do("POST", "/admin/orders/"+o2.ID+"/swaps", map[string]any{"return_items": []any{map[string]any{"item_id": o2.UnmanagedItem, "quantity": 1}},
		"allow_backorder": false})
	expectGolden(t, res, "swap_create_plain")
}

func TestOrderSwapProcessPayment(t *testing.T) {
	t.Parallel()
	e, o := newActsEnv(t)
	orders := []dbtest.PlacedOrder{o, dbtest.PlaceOrder(t, e.DB, 2), dbtest.PlaceOrder(t, e.DB, 3), dbtest.PlaceOrder(t, e.DB, 4)}
	sw := make([]dbtest.PlacedSwap, len(orders))
	for i, x := range orders {
		e.Do("POST", "/admin/orders/"+x.ID+"/capture", nil).Expect(t, 200, `{"order": "$any"}`)
		e.Do("POST", "/admin/orders/"+x.ID+"/fulfillment", map[string]any{"items": []any{map[string]any{"item_id": x.ManagedItem, "quantity": 2},
			map[string]any{"item_id": x.UnmanagedItem, "quantity": 1}}}).Expect(t, 200, `{"order": "$any"}`)
		sw[i] = dbtest.PlaceSwap(t, e.DB, x, i+1)
	}
	path := func(i int) string { return "/admin/orders/" + orders[i].ID + "/swaps/" + sw[i].ID + "/process-payment" }

	expectRefused(t, e, "POST", "/admin/orders/"+o.ID+"/swaps/swap_missing/process-payment", nil, 404, `{"type": "not_found", "message": "Swap was not found"}`)
	expectRefused(t, e, "POST", "/admin/orders/order_missing/swaps/"+sw[0].ID+"/process-payment", nil, 404,
		`{"type": "not_found", "message": "Order with order_missing was not found"}`)

	// A positive difference: the swap's authorized payment is captured.
	expectGolden(t, e.Do("POST", path(0), nil), "swap_process_payment")
	var captured bool
	if err := e.DB.NewRaw(`SELECT captured_at IS NOT NULL FROM payment WHERE id = ?`, sw[0].PaymentID).Scan(t.Context(), &captured); err != nil || !captured {
		t.Fatalf("swap payment captured %v %v", captured, err)
	}
	// Once captured, again: nothing changes.
	expectRefused(t, e, "POST", path(0), nil, 200, `{"order": "$any"}`)

	// A negative difference is refunded from the order's payments.
	for _, q := range []string{
		`UPDATE swap SET difference_due = -500 WHERE id = '` + sw[1].ID + `'`,
		`UPDATE swap SET difference_due = -100000 WHERE id = '` + sw[2].ID + `'`,
		`UPDATE swap SET difference_due = 0 WHERE id = '` + sw[3].ID + `'`,
	} {
		if _, err := e.DB.ExecContext(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
	e.Do("POST", path(1), nil).Expect(t, 200, `{"order": "$any"}`)
	// More than the payments hold: the refund fails and the swap requires action.
	e.Do("POST", path(2), nil).Expect(t, 200, `{"order": "$any"}`)
	// No difference: nothing to refund.
	e.Do("POST", path(3), nil).Expect(t, 200, `{"order": "$any"}`)
	var states []string
	if err := e.DB.NewRaw(`SELECT s.payment_status || '|' || coalesce((SELECT string_agg(r.amount || '/' || r.reason, ',') FROM refund r WHERE r.order_id = s.order_id), '-')
		|| '|' || (SELECT sum(p.amount_refunded) FROM payment p WHERE p.order_id = s.order_id) FROM swap s ORDER BY s.id`).Scan(t.Context(), &states); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(states, " "); got != "captured|-|0 difference_refunded|500/swap|500 requires_action|-|0 difference_refunded|-|0" {
		t.Errorf("swaps after processing: %s", got)
	}
	if got := swapEvents(t, e, "swap.%"); got != "swap.payment_captured,swap.refund_processed,swap.process_refund_failed,swap.refund_processed" {
		t.Errorf("events %s", got)
	}
	// Refunded already: left as it is.
	expectRefused(t, e, "POST", path(1), nil, 200, `{"order": "$any"}`)

	// A swap the customer has not confirmed, and a canceled one.
	if _, err := e.DB.ExecContext(t.Context(), `UPDATE swap SET confirmed_at = NULL WHERE id = ?`, sw[2].ID); err != nil {
		t.Fatal(err)
	}
	expectRefused(t, e, "POST", path(2), nil, 400, `{"type": "not_allowed", "message": "Cannot process a swap that hasn't been confirmed by the customer"}`)
	if _, err := e.DB.ExecContext(t.Context(), `UPDATE swap SET canceled_at = now() WHERE id = ?`, sw[2].ID); err != nil {
		t.Fatal(err)
	}
	expectRefused(t, e, "POST", path(2), nil, 400, `{"type": "not_allowed", "message": "Canceled swap cannot be processed"}`)
}

// The swap's cart takes the order's discounts but free shipping; the additional items get the
// adjustment the first of them gives (here 10% of the new unit), and each return line the
// negated adjustments of its item (all of them, as Medusa copies them).
func TestOrderSwapCreateDiscounts(t *testing.T) {
	t.Parallel()
	e, o := newActsEnv(t)
	for _, q := range []string{
		`INSERT INTO discount_rule (id, type, value, allocation) VALUES ('dru_01GACTS0000000000000000001', 'free_shipping', 0, 'total'),
			('dru_01GACTS0000000000000000002', 'percentage', 10, 'total')`,
		`INSERT INTO discount (id, code, is_dynamic, rule_id, is_disabled) VALUES ('disc_01GACTS0000000000000000001', 'FREESHIP', false, 'dru_01GACTS0000000000000000001', false),
			('disc_01GACTS0000000000000000002', 'TEN', false, 'dru_01GACTS0000000000000000002', false)`,
		`INSERT INTO order_discounts (order_id, discount_id) VALUES ('` + o.ID + `', 'disc_01GACTS0000000000000000001'), ('` + o.ID + `', 'disc_01GACTS0000000000000000002')`,
		`INSERT INTO line_item_adjustment (id, item_id, description, discount_id, amount) VALUES
			('lia_01GACTS0000000000000000001', '` + o.ManagedItem + `', 'discount', 'disc_01GACTS0000000000000000002', 200)`,
		`INSERT INTO money_amount (id, currency_code, amount, variant_id, region_id) VALUES ('ma_01GACTS0000000000000000001', 'eur', 1000, '` + o.UnmanagedVariant + `', NULL)`,
	} {
		if _, err := e.DB.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	e.Do("POST", "/admin/orders/"+o.ID+"/capture", nil).Expect(t, 200, `{"order": "$any"}`)
	e.Do("POST", "/admin/orders/"+o.ID+"/fulfillment", map[string]any{"items": []any{map[string]any{"item_id": o.ManagedItem, "quantity": 2}}}).
		Expect(t, 200, `{"order": "$any"}`)
	e.Do("POST", "/admin/orders/"+o.ID+"/swaps", map[string]any{"return_items": []any{map[string]any{"item_id": o.ManagedItem, "quantity": 1}},
		"additional_items": []any{map[string]any{"variant_id": o.UnmanagedVariant, "quantity": 1}}}).Expect(t, 200, `{"order": "$any"}`)
	var got string
	if err := e.DB.NewRaw(`SELECT concat_ws(' ', (SELECT string_agg(d.discount_id, ',') FROM cart_discounts d WHERE d.cart_id = c.id),
		(SELECT string_agg(concat_ws('|', l.unit_price, l.is_return, (SELECT string_agg(a.amount || '/' || a.discount_id, ',') FROM line_item_adjustment a
			WHERE a.item_id = l.id)), ';' ORDER BY l.ctid) FROM line_item l WHERE l.cart_id = c.id))
		FROM cart c JOIN swap s ON s.cart_id = c.id WHERE s.order_id = ?`, o.ID).Scan(t.Context(), &got); err != nil {
		t.Fatal(err)
	}
	if want := "disc_01GACTS0000000000000000002 1000|f|100/disc_01GACTS0000000000000000002;-1000|t|-200/disc_01GACTS0000000000000000002"; got != want {
		t.Errorf("swap cart\n got %s\nwant %s", got, want)
	}
}
