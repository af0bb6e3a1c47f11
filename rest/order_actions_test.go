package rest_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

// The order action routes on an order as Medusa 1.3.8 writes one (dbtest.PlaceOrder): each
// route's full success answer, a refused request that changes nothing, and the auth check.
// The answers are golden files (testdata/order_actions/*.json) in which "$time" stands for the
// timestamps the action wrote and "$id:<prefix>" for the rows it created; they were checked
// against Medusa's own answers to the same actions on orders it placed (medusa-diff
// order_actions.txt). GORGON_UPDATE_GOLDEN=1 rewrites them from Gorgon's answers.

func newActsEnv(t *testing.T) (*resttest.Env, dbtest.PlacedOrder) {
	t.Helper()
	e := resttest.New(t)
	return e, dbtest.PlaceOrder(t, e.DB, 1)
}

var (
	goldenUUID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	goldenTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$`)
	goldenID   = regexp.MustCompile(`^([a-z]+)_[0-9A-HJKMNP-TV-Z]{26}$`)
)

// goldenOf turns an answer into its golden form: timestamps other than the fixture's (all on
// 2026-12-07 at 14:4x or 15:25) are "$time", ids of rows the test created are "$id:<prefix>".
func goldenOf(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			x[k] = goldenOf(c)
		}
	case []any:
		for i, c := range x {
			x[i] = goldenOf(c)
		}
	case string:
		if goldenTime.MatchString(x) && !strings.HasPrefix(x, "2026-12-07T14:4") && !strings.HasPrefix(x, "2026-12-07T15:25") &&
			!strings.HasPrefix(x, "2026-12-07T15:35:40") {
			return "$time"
		}
		if goldenUUID.MatchString(x) {
			return "$string" // an idempotency key
		}
		if m := goldenID.FindStringSubmatch(x); m != nil && !strings.Contains(x, "_01GACTS") {
			return "$id:" + m[1]
		}
	}
	return v
}

// expectGolden asserts a 200 answer equal to testdata/order_actions/<name>.json.
func expectGolden(t *testing.T, res *resttest.Response, name string) {
	t.Helper()
	path := filepath.Join("testdata", "order_actions", name+".json")
	if os.Getenv("GORGON_UPDATE_GOLDEN") != "" && res.Status == http.StatusOK {
		var v any
		if err := json.Unmarshal(res.Body, &v); err != nil {
			t.Fatal(err)
		}
		b, _ := json.MarshalIndent(goldenOf(v), "", " ")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !resttest.SalesChannels() {
		// Without the sales channel columns an order has no sales_channel_id.
		var v map[string]any
		if err := json.Unmarshal(want, &v); err != nil {
			t.Fatal(err)
		}
		if o, ok := v["order"].(map[string]any); ok {
			delete(o, "sales_channel_id")
		}
		want, _ = json.Marshal(v)
	}
	res.Expect(t, http.StatusOK, string(want))
}

// expectRefused asserts an error answer that left the database as it was.
func expectRefused(t *testing.T, e *resttest.Env, method, path string, body any, status int, want string) {
	t.Helper()
	before := dbFingerprint(t, e)
	e.Do(method, path, body).Expect(t, status, want)
	if changed := diffFingerprints(before, dbFingerprint(t, e)); len(changed) > 0 {
		t.Errorf("%s %s changed %v", method, path, changed)
	}
}

func TestOrderActionsAuth(t *testing.T) {
	t.Parallel()
	e, o := newActsEnv(t)
	before := dbFingerprint(t, e)
	for _, p := range []string{"", "/complete", "/archive", "/cancel", "/capture", "/refund", "/fulfillment",
		"/fulfillments/ful_x/cancel", "/shipment", "/shipping-methods", "/return", "/swaps", "/swaps/swap_x/process-payment", "/swaps/swap_x/cancel", "/swaps/swap_x/fulfillments",
		"/swaps/swap_x/shipments", "/swaps/swap_x/fulfillments/ful_x/cancel", "/claims/claim_x/cancel", "/claims/claim_x/fulfillments",
		"/claims/claim_x/shipments", "/claims/claim_x/fulfillments/ful_x/cancel"} {
		e.DoAnon(http.MethodPost, "/admin/orders/"+o.ID+p, map[string]any{}).ExpectText(t, http.StatusUnauthorized, "Unauthorized")
	}
	for _, p := range []string{"/admin/returns/ret_x/receive", "/admin/returns/ret_x/cancel"} {
		e.DoAnon(http.MethodPost, p, map[string]any{}).ExpectText(t, http.StatusUnauthorized, "Unauthorized")
	}
	if changed := diffFingerprints(before, dbFingerprint(t, e)); len(changed) > 0 {
		t.Errorf("unauthorized requests changed %v", changed)
	}
}

func TestOrderUpdateRoute(t *testing.T) {
	t.Parallel()
	e, o := newActsEnv(t)
	p := "/admin/orders/" + o.ID
	expectRefused(t, e, "POST", p, map[string]any{"email": "bad", "shipping_address": map[string]any{"first_name": 5, "foo": 1}, "no_notification": "x"},
		400, `{"type": "invalid_data", "message": "email must be an email, property foo should not exist, first_name must be a string, no_notification must be a boolean value"}`)
	expectRefused(t, e, "POST", p, map[string]any{"metadata": map[string]any{}},
		400, `{"type": "invalid_data", "message": "property metadata should not exist"}`)
	expectRefused(t, e, "POST", p, map[string]any{"shipping_address": map[string]any{"country_code": "us"}},
		400, `{"type": "invalid_data", "message": "Shipping country must be in the order region"}`)
	expectRefused(t, e, "POST", "/admin/orders/order_missing", map[string]any{"email": "a@b.co"},
		404, `{"type": "not_found", "message": "Order with order_missing was not found"}`)
	res := e.Do("POST", p, map[string]any{"email": "changed@example.com", "no_notification": true,
		"shipping_address": map[string]any{"first_name": "Z", "country_code": "FR", "phone": nil}})
	expectGolden(t, res, "update")
}

func TestOrderCompleteArchiveRoutes(t *testing.T) {
	t.Parallel()
	e, o := newActsEnv(t)
	p := "/admin/orders/" + o.ID
	expectRefused(t, e, "POST", p+"/archive", nil, 400, `{"type": "not_allowed", "message": "Can't archive an unprocessed order"}`)
	expectRefused(t, e, "POST", "/admin/orders/order_missing/complete", nil, 404, `{"type": "not_found", "message": "Order with order_missing was not found"}`)
	expectGolden(t, e.Do("POST", p+"/complete", map[string]any{"ignored": true}), "complete")
	expectGolden(t, e.Do("POST", p+"/archive", nil), "archive")
}

func TestOrderCancelRoute(t *testing.T) {
	t.Parallel()
	e, o := newActsEnv(t)
	p := "/admin/orders/" + o.ID
	expectGolden(t, e.Do("POST", p+"/cancel", nil), "cancel")
	for _, r := range []struct{ path, msg string }{
		{"/complete", "A canceled order cannot be completed"},
		{"/capture", "A canceled order cannot capture payment"},
		{"/cancel", "All fulfillments must be canceled before canceling an order"},
	} {
		if r.path == "/cancel" {
			continue // a canceled order can be canceled again in Medusa; see the store tests
		}
		expectRefused(t, e, "POST", p+r.path, nil, 400, `{"type": "not_allowed", "message": "`+r.msg+`"}`)
	}
	expectRefused(t, e, "POST", p+"/fulfillment", map[string]any{"items": []any{}}, 400, `{"type": "not_allowed", "message": "A canceled order cannot be fulfilled"}`)
	expectRefused(t, e, "POST", p+"/shipping-methods", map[string]any{"option_id": o.ShippingOptionID, "price": 1}, 400,
		`{"type": "not_allowed", "message": "A shipping method cannot be added to a canceled order"}`)
}

func TestOrderCaptureRefundRoutes(t *testing.T) {
	t.Parallel()
	e, o := newActsEnv(t)
	p := "/admin/orders/" + o.ID
	expectRefused(t, e, "POST", p+"/refund", map[string]any{"amount": 100, "reason": "other"}, 400,
		`{"type": "not_allowed", "message": "Refund amount is higher that the refundable amount"}`)
	expectGolden(t, e.Do("POST", p+"/capture", nil), "capture")
	expectRefused(t, e, "POST", p+"/refund", map[string]any{"amount": "5", "reason": 5, "note": 5, "no_notification": "x"}, 400,
		`{"type": "invalid_data", "message": "amount must be an integer number, reason must be a string, note must be a string, no_notification must be a boolean value"}`)
	expectRefused(t, e, "POST", p+"/refund", map[string]any{"amount": nil, "reason": nil}, 400,
		`{"type": "invalid_data", "message": "amount should not be empty, amount must be an integer number, reason should not be empty, reason must be a string"}`)
	expectRefused(t, e, "POST", p+"/refund", map[string]any{"amount": 99999, "reason": "other"}, 400,
		`{"type": "not_allowed", "message": "Cannot refund more than the original order amount"}`)
	expectGolden(t, e.Do("POST", p+"/refund", map[string]any{"amount": 1000, "reason": "discount", "note": "sorry", "no_notification": true}), "refund")
}

// A capture locks and reads the order and its payments in the round trip that begins its
// transaction and commits with its writes (store.inLockedTx): the token, those two, and the
// answer's three statements (two round trips). A missing order changes nothing; a second
// capture finds nothing left to capture.
func TestOrderCaptureRoundTrips(t *testing.T) {
	t.Parallel()
	e, o := newActsEnv(t)
	expectRefused(t, e, "POST", "/admin/orders/order_missing/capture", nil, 404,
		`{"type": "not_found", "message": "Order with order_missing was not found"}`)
	e.Do("POST", "/admin/orders/"+o.ID+"/capture", nil).Expect(t, 200, `{"order": "$any"}`)
	if e.Queries != 6 {
		t.Errorf("capture: %d statements, want 6", e.Queries)
	}
	e.Do("POST", "/admin/orders/"+o.ID+"/capture", nil).Expect(t, 200, `{"order": "$any"}`)
	var status string
	var events int
	if err := e.DB.QueryRow(`SELECT payment_status::text, (SELECT count(*) FROM gorgon.event WHERE name = 'order.payment_captured')
		FROM "order" WHERE id = ?`, o.ID).Scan(&status, &events); err != nil {
		t.Fatal(err)
	}
	if status != "captured" || events != 2 {
		t.Errorf("payment_status %s, %d order.payment_captured events", status, events)
	}
	// An order without payments is captured, as in Medusa; one with two has both captured.
	bare := dbtest.PlaceOrder(t, e.DB, 2)
	two := dbtest.PlaceOrder(t, e.DB, 3)
	if _, err := e.DB.Exec(`UPDATE payment SET order_id = NULL WHERE order_id = ?`, bare.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.DB.Exec(`INSERT INTO payment (id, order_id, amount, currency_code, amount_refunded, provider_id, data)
		SELECT 'pay_second', order_id, 1, currency_code, 0, provider_id, data FROM payment WHERE order_id = ?`, two.ID); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{bare.ID, two.ID} {
		e.Do("POST", "/admin/orders/"+id+"/capture", nil).Expect(t, 200, `{"order": "$any"}`)
	}
	var uncaptured int
	if err := e.DB.QueryRow(`SELECT (SELECT count(*) FROM payment WHERE order_id IN (?, ?) AND captured_at IS NULL),
		(SELECT count(*) FROM "order" WHERE id IN (?, ?) AND payment_status = 'captured')`, bare.ID, two.ID, bare.ID, two.ID).
		Scan(&uncaptured, &events); err != nil {
		t.Fatal(err)
	}
	if uncaptured != 0 || events != 2 {
		t.Errorf("%d payments left uncaptured, %d orders captured", uncaptured, events)
	}
}

// Where the database is far (store/round_trip.go), the answer of a capture or a fulfilment is
// read in one round trip (store.loadOrderRooted): three round trips in all, after the token.
func TestOrderActionsFewerStatements(t *testing.T) {
	t.Parallel()
	e, o := newActsEnv(t)
	store.SetFewerStatements(e.Store.DB, true)
	e.Do("POST", "/admin/orders/"+o.ID+"/capture", nil).Expect(t, 200, `{"order": "$any"}`)
	if e.Queries != 5 {
		t.Errorf("capture: %d statements, want 5", e.Queries)
	}
	e.Do("POST", "/admin/orders/"+o.ID+"/fulfillment", map[string]any{"items": []any{map[string]any{"item_id": o.ManagedItem, "quantity": 1}}}).
		Expect(t, 200, `{"order": "$any"}`)
	if e.Queries != 5 {
		t.Errorf("fulfillment: %d statements, want 5", e.Queries)
	}
}

// A fulfilment locks and reads the order, its shipping methods and its items in the round trip
// that begins its transaction and commits with its writes and the fulfilment's row
// (store.inLockedTx): the token, those two, and the answer's three statements. An order with
// two shipping methods (read beside its two items) gets a fulfilment of each, without items,
// as in Medusa.
func TestOrderFulfillmentRoundTrips(t *testing.T) {
	t.Parallel()
	e, o := newActsEnv(t)
	expectRefused(t, e, "POST", "/admin/orders/order_missing/fulfillment", map[string]any{"items": []any{map[string]any{"item_id": o.ManagedItem, "quantity": 1}}}, 404,
		`{"type": "not_found", "message": "Order with order_missing was not found"}`)
	e.Do("POST", "/admin/orders/"+o.ID+"/fulfillment", map[string]any{"items": []any{map[string]any{"item_id": o.ManagedItem, "quantity": 1}}}).
		Expect(t, 200, `{"order": "$any"}`)
	if e.Queries != 6 {
		t.Errorf("fulfillment: %d statements, want 6", e.Queries)
	}
	two := dbtest.PlaceOrder(t, e.DB, 2)
	if _, err := e.DB.Exec(`INSERT INTO shipping_method (id, shipping_option_id, order_id, price, data)
		SELECT 'sm_second', shipping_option_id, order_id, price, data FROM shipping_method WHERE order_id = ?`, two.ID); err != nil {
		t.Fatal(err)
	}
	e.Do("POST", "/admin/orders/"+two.ID+"/fulfillment", map[string]any{"items": []any{map[string]any{"item_id": two.ManagedItem, "quantity": 1}}}).
		Expect(t, 200, `{"order": "$any"}`)
	var fulfilments, items int
	var status string
	if err := e.DB.QueryRow(`SELECT (SELECT count(*) FROM fulfillment WHERE order_id = ?), (SELECT count(*) FROM fulfillment_item fi
		JOIN fulfillment f ON f.id = fi.fulfillment_id WHERE f.order_id = ?), fulfillment_status::text FROM "order" WHERE id = ?`, two.ID, two.ID, two.ID).
		Scan(&fulfilments, &items, &status); err != nil {
		t.Fatal(err)
	}
	if fulfilments != 2 || items != 0 || status != "partially_fulfilled" {
		t.Errorf("%d fulfilments with %d items, %s", fulfilments, items, status)
	}
}

func TestOrderFulfillmentRoutes(t *testing.T) {
	t.Parallel()
	e, o := newActsEnv(t)
	p := "/admin/orders/" + o.ID
	expectRefused(t, e, "POST", p+"/fulfillment", map[string]any{"items": "x"}, 400,
		`{"type": "invalid_data", "message": "items must be an array, each value in nested property items must be either object or array"}`)
	expectRefused(t, e, "POST", p+"/fulfillment", map[string]any{"items": []any{map[string]any{"item_id": "", "quantity": "a", "x": 1}}}, 400,
		`{"type": "invalid_data", "message": "property x should not exist, item_id should not be empty, quantity must be an integer number"}`)
	expectRefused(t, e, "POST", p+"/fulfillment", map[string]any{"items": []any{map[string]any{"item_id": o.ManagedItem, "quantity": 3}}}, 400,
		`{"type": "not_allowed", "message": "Cannot fulfill more items than have been purchased"}`)
	expectGolden(t, e.Do("POST", p+"/fulfillment", map[string]any{"items": []any{map[string]any{"item_id": o.ManagedItem, "quantity": 1}},
		"no_notification": true, "metadata": map[string]any{"box": 1}}), "fulfillment")
	var ful string
	if err := e.DB.NewRaw(`SELECT id FROM fulfillment WHERE order_id = ?`, o.ID).Scan(t.Context(), &ful); err != nil {
		t.Fatal(err)
	}
	expectRefused(t, e, "POST", p+"/shipment", map[string]any{"fulfillment_id": 5, "tracking_numbers": "x", "no_notification": 1}, 400,
		`{"type": "invalid_data", "message": "fulfillment_id must be a string, tracking_numbers must be an array, no_notification must be a boolean value"}`)
	expectRefused(t, e, "POST", p+"/shipment", map[string]any{"fulfillment_id": "ful_missing"}, 404,
		`{"type": "not_found", "message": "Fulfillment with id: ful_missing was not found"}`)
	expectRefused(t, e, "POST", "/admin/orders/order_other/fulfillments/"+ful+"/cancel", nil, 404,
		`{"type": "not_found", "message": "no fulfillment was found with the id: `+ful+` related to order: order_other"}`)
	expectGolden(t, e.Do("POST", p+"/shipment", map[string]any{"fulfillment_id": ful, "tracking_numbers": []string{"TR1", "TR2"}}), "shipment")
	expectRefused(t, e, "POST", p+"/fulfillments/"+ful+"/cancel", nil, 400,
		`{"type": "not_allowed", "message": "The fulfillment has already been shipped. Shipped fulfillments cannot be canceled"}`)
	// A second fulfilment, canceled.
	e.Do("POST", p+"/fulfillment", map[string]any{"items": []any{map[string]any{"item_id": o.UnmanagedItem, "quantity": 1}}}).Expect(t, 200, `{"order": "$any"}`)
	var second string
	if err := e.DB.NewRaw(`SELECT id FROM fulfillment WHERE order_id = ? AND id <> ?`, o.ID, ful).Scan(t.Context(), &second); err != nil {
		t.Fatal(err)
	}
	expectGolden(t, e.Do("POST", p+"/fulfillments/"+second+"/cancel", nil), "fulfillment_cancel")
}

func TestOrderShippingMethodRoute(t *testing.T) {
	t.Parallel()
	e, o := newActsEnv(t)
	p := "/admin/orders/" + o.ID
	if _, err := e.DB.ExecContext(t.Context(), `INSERT INTO shipping_profile (id, name, type) VALUES ('sp_01GACTS0000000000000000009', 'Other', 'custom');
		INSERT INTO shipping_option (id, name, region_id, profile_id, provider_id, price_type, amount, is_return, admin_only, data, created_at, updated_at)
		VALUES ('so_01GACTS0000000000000000009', 'Other', ?, 'sp_01GACTS0000000000000000009', 'manual', 'flat_rate', 300, false, false,
		'{"id": "manual-fulfillment"}', '2026-12-07 14:43:24.482+00', '2026-12-07 14:43:24.482+00')`, o.RegionID); err != nil {
		t.Fatal(err)
	}
	expectRefused(t, e, "POST", p+"/shipping-methods", map[string]any{}, 400,
		`{"type": "invalid_data", "message": "price should not be empty, price must be an integer number, option_id should not be empty, option_id must be a string"}`)
	expectRefused(t, e, "POST", p+"/shipping-methods", map[string]any{"option_id": "so_missing", "price": 1}, 404,
		`{"type": "not_found", "message": "Shipping Option with so_missing was not found"}`)
	expectGolden(t, e.Do("POST", p+"/shipping-methods", map[string]any{"option_id": "so_01GACTS0000000000000000009", "price": 0, "data": map[string]any{"x": 1}}), "shipping_method")
}

func TestOrderReturnRoutes(t *testing.T) {
	t.Parallel()
	e, o := newActsEnv(t)
	p := "/admin/orders/" + o.ID
	if _, err := e.DB.ExecContext(t.Context(), `INSERT INTO shipping_option (id, name, region_id, profile_id, provider_id, price_type, amount,
		is_return, admin_only, data, created_at, updated_at) VALUES ('so_01GACTS0000000000000000008', 'EU Return', ?, ?, 'manual', 'flat_rate',
		600, true, false, '{"id": "manual-fulfillment-return"}', '2026-12-07 14:43:24.482+00', '2026-12-07 14:43:24.482+00')`, o.RegionID, o.ProfileID); err != nil {
		t.Fatal(err)
	}
	expectRefused(t, e, "POST", p+"/return", map[string]any{}, 400, `{"type": "invalid_data", "message": "items must be an array"}`)
	expectRefused(t, e, "POST", p+"/return", map[string]any{"items": []any{map[string]any{"item_id": "", "quantity": "2", "x": 1}},
		"return_shipping": map[string]any{"option_id": 5, "price": "x", "y": 1}, "note": 5, "receive_now": "x", "no_notification": "y", "refund": 1.5}, 400,
		`{"type": "invalid_data", "message": "property x should not exist, item_id should not be empty, property y should not exist, option_id must be a string, price must be an integer number, note must be a string, receive_now must be a boolean value, no_notification must be a boolean value, refund must be an integer number"}`)
	// A refused return leaves only its idempotency key behind (as in Medusa).
	before := dbFingerprint(t, e)
	e.Do("POST", p+"/return", map[string]any{"items": []any{map[string]any{"item_id": o.ManagedItem, "quantity": "3"}}}).
		Expect(t, 400, `{"type": "not_allowed", "message": "Cannot return more items than have been purchased"}`)
	if changed := diffFingerprints(before, dbFingerprint(t, e)); len(changed) != 1 || changed[0] != "public.idempotency_key" {
		t.Errorf("a refused return changed %v", changed)
	}

	res := e.Do("POST", p+"/return", map[string]any{"items": []any{map[string]any{"item_id": o.ManagedItem, "quantity": 1}},
		"return_shipping": map[string]any{"option_id": "so_01GACTS0000000000000000008"}})
	expectGolden(t, res, "return_request")
	key := res.Header.Get("Idempotency-Key")
	if key == "" || res.Header.Get("Access-Control-Expose-Headers") != "Idempotency-Key" {
		t.Fatalf("idempotency headers: %v", res.Header)
	}
	// The same key again: the recorded answer, no second return.
	again := e.DoWith("POST", p+"/return", map[string]any{"items": []any{map[string]any{"item_id": o.ManagedItem, "quantity": 1}}},
		map[string]string{"Idempotency-Key": key, "Authorization": "Bearer " + resttest.Token})
	again.Expect(t, 200, string(res.Body))
	var ret string
	if err := e.DB.NewRaw(`SELECT string_agg(id, ',') FROM "return" WHERE order_id = ?`, o.ID).Scan(t.Context(), &ret); err != nil || strings.Contains(ret, ",") {
		t.Fatalf("returns %q %v", ret, err)
	}

	// Nothing captured yet: the refund on receipt is refused, and nothing changes.
	expectRefused(t, e, "POST", "/admin/returns/"+ret+"/receive", map[string]any{"items": []any{map[string]any{"item_id": o.ManagedItem, "quantity": 1}}}, 400,
		`{"type": "not_allowed", "message": "Refund amount is higher that the refundable amount"}`)
	expectRefused(t, e, "POST", "/admin/returns/ret_missing/receive", map[string]any{"items": []any{map[string]any{"item_id": 5, "quantity": "1", "z": 1}}, "refund": "x"}, 400,
		`{"type": "invalid_data", "message": "property z should not exist, item_id must be a string, quantity must be a number conforming to the specified constraints, refund must be a number conforming to the specified constraints"}`)
	e.Do("POST", p+"/capture", nil).Expect(t, 200, `{"order": "$any"}`)
	expectGolden(t, e.Do("POST", "/admin/returns/"+ret+"/receive", map[string]any{"items": []any{
		map[string]any{"item_id": o.ManagedItem, "quantity": 1}, map[string]any{"item_id": o.UnmanagedItem, "quantity": 1}}}), "return_receive")
	expectRefused(t, e, "POST", "/admin/returns/"+ret+"/cancel", nil, 400, `{"type": "not_allowed", "message": "Can't cancel a return which has been returned"}`)
	expectRefused(t, e, "POST", "/admin/returns/"+ret+"/receive", map[string]any{"items": []any{}}, 400,
		`{"type": "not_allowed", "message": "Return with id `+ret+` has already been received"}`)
	expectRefused(t, e, "POST", "/admin/returns/ret_missing/cancel", nil, 404, `{"type": "not_found", "message": "Return with id: ret_missing was not found"}`)

	res = e.Do("POST", p+"/return", map[string]any{"items": []any{map[string]any{"item_id": o.ManagedItem, "quantity": 1}}, "refund": 100, "no_notification": true})
	res.Expect(t, 200, `{"order": "$any"}`)
	var second string
	if err := e.DB.NewRaw(`SELECT id FROM "return" WHERE order_id = ? AND id <> ?`, o.ID, ret).Scan(t.Context(), &second); err != nil {
		t.Fatal(err)
	}
	expectGolden(t, e.Do("POST", "/admin/returns/"+second+"/cancel", nil), "return_cancel")
	expectRefused(t, e, "POST", "/admin/returns/"+second+"/receive", map[string]any{"items": []any{map[string]any{"item_id": o.ManagedItem, "quantity": 1}}}, 400,
		`{"type": "not_allowed", "message": "Cannot receive a canceled return"}`)
}

func TestOrderSwapRoutes(t *testing.T) {
	t.Parallel()
	e, o := newActsEnv(t)
	o2 := dbtest.PlaceOrder(t, e.DB, 2)
	var sw [2]dbtest.PlacedSwap
	for i, x := range []dbtest.PlacedOrder{o, o2} {
		p := "/admin/orders/" + x.ID
		e.Do("POST", p+"/capture", nil).Expect(t, 200, `{"order": "$any"}`)
		e.Do("POST", p+"/fulfillment", map[string]any{"items": []any{map[string]any{"item_id": x.ManagedItem, "quantity": 2},
			map[string]any{"item_id": x.UnmanagedItem, "quantity": 1}}}).Expect(t, 200, `{"order": "$any"}`)
		sw[i] = dbtest.PlaceSwap(t, e.DB, x, i+1)
	}
	p := "/admin/orders/" + o.ID + "/swaps/" + sw[0].ID
	expectRefused(t, e, "POST", p+"/fulfillments", map[string]any{"metadata": []any{}, "no_notification": "x"}, 400,
		`{"type": "invalid_data", "message": "metadata must be an object, no_notification must be a boolean value"}`)
	expectRefused(t, e, "POST", "/admin/orders/"+o.ID+"/swaps/swap_missing/fulfillments", map[string]any{}, 404, `{"type": "not_found", "message": "Swap was not found"}`)
	expectRefused(t, e, "POST", p+"/cancel", nil, 400, `{"type": "not_allowed", "message": "Return must be canceled before the swap can be canceled"}`)
	expectRefused(t, e, "POST", "/admin/orders/"+o2.ID+"/swaps/"+sw[0].ID+"/cancel", nil, 404,
		`{"type": "not_found", "message": "no swap was found with the id: `+sw[0].ID+` related to order: `+o2.ID+`"}`)
	expectGolden(t, e.Do("POST", p+"/fulfillments", map[string]any{"metadata": map[string]any{"box": 2}, "no_notification": true}), "swap_fulfill")
	expectRefused(t, e, "POST", p+"/fulfillments", map[string]any{}, 400, `{"type": "not_allowed", "message": "The swap was already fulfilled"}`)
	var ful string
	if err := e.DB.NewRaw(`SELECT id FROM fulfillment WHERE swap_id = ?`, sw[0].ID).Scan(t.Context(), &ful); err != nil {
		t.Fatal(err)
	}
	expectRefused(t, e, "POST", p+"/shipments", map[string]any{"fulfillment_id": 5}, 400, `{"type": "invalid_data", "message": "fulfillment_id must be a string"}`)
	expectGolden(t, e.Do("POST", p+"/shipments", map[string]any{"fulfillment_id": ful, "tracking_numbers": []string{"S1"}}), "swap_shipment")
	expectRefused(t, e, "POST", p+"/fulfillments/"+ful+"/cancel", nil, 400,
		`{"type": "not_allowed", "message": "The fulfillment has already been shipped. Shipped fulfillments cannot be canceled"}`)
	expectRefused(t, e, "POST", "/admin/orders/"+o2.ID+"/swaps/"+sw[1].ID+"/fulfillments/"+ful+"/cancel", nil, 404,
		`{"type": "not_found", "message": "no fulfillment was found with the id: `+ful+` related to swap: `+o2.ID+`"}`)

	// The second swap: fulfilled, its fulfilment canceled, its return canceled, then itself.
	p2 := "/admin/orders/" + o2.ID + "/swaps/" + sw[1].ID
	e.Do("POST", p2+"/fulfillments", nil).Expect(t, 200, `{"order": "$any"}`)
	var ful2 string
	if err := e.DB.NewRaw(`SELECT id FROM fulfillment WHERE swap_id = ?`, sw[1].ID).Scan(t.Context(), &ful2); err != nil {
		t.Fatal(err)
	}
	expectGolden(t, e.Do("POST", p2+"/fulfillments/"+ful2+"/cancel", nil), "swap_fulfillment_cancel")
	expectGolden(t, e.Do("POST", "/admin/returns/"+sw[1].ReturnID+"/cancel", nil), "swap_return_cancel")
	expectGolden(t, e.Do("POST", p2+"/cancel", nil), "swap_cancel")
}

func TestOrderClaimRoutes(t *testing.T) {
	t.Parallel()
	e, o := newActsEnv(t)
	o2 := dbtest.PlaceOrder(t, e.DB, 2)
	var cl [2]dbtest.PlacedClaim
	for i, x := range []dbtest.PlacedOrder{o, o2} {
		cl[i] = dbtest.PlaceClaim(t, e.DB, x, i+1)
	}
	p := "/admin/orders/" + o.ID + "/claims/" + cl[0].ID
	expectRefused(t, e, "POST", p+"/fulfillments", map[string]any{"metadata": "x"}, 400, `{"type": "invalid_data", "message": "metadata must be an object"}`)
	expectRefused(t, e, "POST", "/admin/orders/"+o.ID+"/claims/claim_missing/fulfillments", map[string]any{}, 404,
		`{"type": "not_found", "message": "Claim with claim_missing was not found"}`)
	expectRefused(t, e, "POST", "/admin/orders/"+o2.ID+"/claims/"+cl[0].ID+"/cancel", nil, 404,
		`{"type": "not_found", "message": "no claim was found with the id: `+cl[0].ID+` related to order: `+o2.ID+`"}`)
	expectGolden(t, e.Do("POST", p+"/fulfillments", map[string]any{"metadata": map[string]any{"box": 3}}), "claim_fulfill")
	expectRefused(t, e, "POST", p+"/fulfillments", map[string]any{}, 400, `{"type": "not_allowed", "message": "The claim has already been fulfilled."}`)
	expectRefused(t, e, "POST", p+"/cancel", nil, 400, `{"type": "not_allowed", "message": "All fulfillments must be canceled before the claim can be canceled"}`)
	var ful string
	if err := e.DB.NewRaw(`SELECT id FROM fulfillment WHERE claim_order_id = ?`, cl[0].ID).Scan(t.Context(), &ful); err != nil {
		t.Fatal(err)
	}
	expectRefused(t, e, "POST", p+"/shipments", map[string]any{"fulfillment_id": "", "no_notification": true}, 400,
		`{"type": "invalid_data", "message": "property no_notification should not exist, fulfillment_id should not be empty"}`)
	expectGolden(t, e.Do("POST", p+"/shipments", map[string]any{"fulfillment_id": ful, "tracking_numbers": []string{"C1"}}), "claim_shipment")
	expectRefused(t, e, "POST", p+"/fulfillments/"+ful+"/cancel", nil, 400,
		`{"type": "not_allowed", "message": "The fulfillment has already been shipped. Shipped fulfillments cannot be canceled"}`)

	p2 := "/admin/orders/" + o2.ID + "/claims/" + cl[1].ID
	e.Do("POST", p2+"/fulfillments", nil).Expect(t, 200, `{"order": "$any"}`)
	var ful2 string
	if err := e.DB.NewRaw(`SELECT id FROM fulfillment WHERE claim_order_id = ?`, cl[1].ID).Scan(t.Context(), &ful2); err != nil {
		t.Fatal(err)
	}
	expectRefused(t, e, "POST", p2+"/fulfillments/"+ful+"/cancel", nil, 404,
		`{"type": "not_found", "message": "no fulfillment was found with the id: `+ful+` related to claim: `+cl[1].ID+`"}`)
	expectGolden(t, e.Do("POST", p2+"/fulfillments/"+ful2+"/cancel", nil), "claim_fulfillment_cancel")
	expectGolden(t, e.Do("POST", p2+"/cancel", nil), "claim_cancel")
}
