package rest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

func TestOrderClaimCreate(t *testing.T) {
	t.Parallel()
	e, o := newActsEnv(t)
	o2 := dbtest.PlaceOrder(t, e.DB, 2)
	if _, err := e.DB.ExecContext(t.Context(), `INSERT INTO shipping_option (id, name, region_id, profile_id, provider_id, price_type, amount,
		is_return, admin_only, data, created_at, updated_at) VALUES ('so_01GACTS0000000000000000008', 'EU Return', ?, ?, 'manual', 'flat_rate',
		600, true, false, '{"id": "manual-fulfillment-return"}', '2026-12-07 14:43:24.482+00', '2026-12-07 14:43:24.482+00')`, o.RegionID, o.ProfileID); err != nil {
		t.Fatal(err)
	}
	// The variant's prices: in the region's currency and, dearer, in the region; the
	// replacement takes the lowest.
	if _, err := e.DB.ExecContext(t.Context(), `INSERT INTO money_amount (id, currency_code, amount, variant_id, region_id) VALUES
		('ma_01GACTS0000000000000000001', 'eur', 1000, ?0, NULL), ('ma_01GACTS0000000000000000002', 'eur', 1100, ?0, ?1)`,
		o.UnmanagedVariant, o.RegionID); err != nil {
		t.Fatal(err)
	}
	p := "/admin/orders/" + o.ID + "/claims"

	before := dbFingerprint(t, e)
	e.DoAnon(http.MethodPost, p, map[string]any{}).ExpectText(t, http.StatusUnauthorized, "Unauthorized")
	if changed := diffFingerprints(before, dbFingerprint(t, e)); len(changed) > 0 {
		t.Errorf("anonymous create changed %v", changed)
	}
	expectRefused(t, e, "POST", p, map[string]any{}, 400,
		`{"type": "invalid_data", "message": "type should not be empty, type must be a valid enum value, claim_items should not be empty, claim_items must be an array"}`)
	expectRefused(t, e, "POST", p, map[string]any{"type": "swap", "claim_items": []any{map[string]any{"item_id": "", "quantity": "x", "reason": "bad", "tags": "t", "z": 1}},
		"additional_items": []any{map[string]any{"variant_id": 5}}, "refund_amount": 1.5, "no_notification": "n", "metadata": 5}, 400,
		`{"type": "invalid_data", "message": "type must be a valid enum value, property z should not exist, item_id should not be empty, quantity must be an integer number, reason must be a valid enum value, tags must be an array, variant_id must be a string, quantity should not be empty, quantity must be an integer number, refund_amount must be an integer number, no_notification must be a boolean value, metadata must be an object"}`)
	// Refused by the rules: only the idempotency key stays behind (as in Medusa).
	before = dbFingerprint(t, e)
	e.Do("POST", p, map[string]any{"type": "replace", "claim_items": []any{map[string]any{"item_id": o.UnmanagedItem, "quantity": 1, "reason": "missing_item"}}}).
		Expect(t, 400, `{"type": "invalid_data", "message": "Claims with type \"replace\" must have at least one additional item."}`)
	e.Do("POST", p, map[string]any{"type": "refund", "claim_items": []any{map[string]any{"item_id": o.UnmanagedItem, "quantity": 1, "reason": "missing_item"}}}).
		Expect(t, 400, `{"type": "not_allowed", "message": "Cannot claim more of an item than has been fulfilled."}`)
	// Items are checked in the order given: a missing one before a later valid one.
	e.Do("POST", p, map[string]any{"type": "refund", "claim_items": []any{map[string]any{"item_id": "item_missing", "quantity": 1, "reason": "missing_item"},
		map[string]any{"item_id": o.UnmanagedItem, "quantity": 1, "reason": "missing_item"}}}).
		Expect(t, 404, `{"type": "not_found", "message": "Line item with item_missing was not found"}`)
	if changed := diffFingerprints(before, dbFingerprint(t, e)); len(changed) != 1 || changed[0] != "public.idempotency_key" {
		t.Errorf("a refused claim changed %v", changed)
	}

	for _, x := range []dbtest.PlacedOrder{o, o2} {
		e.Do("POST", "/admin/orders/"+x.ID+"/capture", nil).Expect(t, 200, `{"order": "$any"}`)
		e.Do("POST", "/admin/orders/"+x.ID+"/fulfillment", map[string]any{"items": []any{map[string]any{"item_id": x.ManagedItem, "quantity": 2},
			map[string]any{"item_id": x.UnmanagedItem, "quantity": 1}}}).Expect(t, 200, `{"order": "$any"}`)
	}

	// A replacement: the unmanaged unit, with tags and an image, a new unit of it shipped with
	// the region's option at 0.
	body := map[string]any{"type": "replace", "claim_items": []any{map[string]any{"item_id": o.UnmanagedItem, "quantity": 1, "reason": "production_failure",
		"note": "Cracked", "tags": []string{" Fragile", "fragile", "glass"}, "images": []string{"https://img.example/c.jpg"}}},
		"additional_items": []any{map[string]any{"variant_id": o.UnmanagedVariant, "quantity": 1}},
		"shipping_methods": []any{map[string]any{"option_id": o.ShippingOptionID, "price": 0}}}
	res := e.Do("POST", p, body)
	if res.Status != 200 {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	expectGolden(t, res, "claim_create_replace")
	key := res.Header.Get("Idempotency-Key")
	if key == "" || res.Header.Get("Access-Control-Expose-Headers") != "Idempotency-Key" {
		t.Fatalf("idempotency headers: %v", res.Header)
	}
	// The same key again: the recorded answer, no second claim.
	e.DoWith("POST", p, body, map[string]string{"Idempotency-Key": key, "Authorization": "Bearer " + resttest.Token}).Expect(t, 200, string(res.Body))
	var claims string
	if err := e.DB.NewRaw(`SELECT string_agg(id, ',') FROM claim_order WHERE order_id = ?`, o.ID).Scan(t.Context(), &claims); err != nil || strings.Contains(claims, ",") {
		t.Fatalf("claims %q %v", claims, err)
	}
	var tags []string
	if err := e.DB.NewRaw(`SELECT t.value FROM claim_item_tags it JOIN claim_tag t ON t.id = it.tag_id ORDER BY it.ctid`).Scan(t.Context(), &tags); err != nil {
		t.Fatal(err)
	}
	if strings.Join(tags, ",") != "fragile,fragile,glass" {
		t.Errorf("tags %v, want [fragile fragile glass]", tags)
	}

	// A refund of one managed unit of the second order with its return: refunded at once.
	// refund_amount is checked and, as in Medusa, not passed on.
	res = e.Do("POST", "/admin/orders/"+o2.ID+"/claims", map[string]any{"type": "refund", "refund_amount": 5, "no_notification": true, "metadata": map[string]any{"case": 7},
		"claim_items":     []any{map[string]any{"item_id": o2.ManagedItem, "quantity": 1, "reason": "wrong_item"}},
		"return_shipping": map[string]any{"option_id": "so_01GACTS0000000000000000008"}})
	expectGolden(t, res, "claim_create_refund")
	var events []string
	if err := e.DB.NewRaw(`SELECT name FROM gorgon.event WHERE name LIKE 'claim%' ORDER BY id`).Scan(t.Context(), &events); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(events, ","); got != "claim_item.created,claim.created,claim_item.created,claim.created,claim.refund_processed" {
		t.Errorf("events %s", got)
	}
}

// A replacement's price is the variant's lowest price in the region for the quantity, among its
// prices outside price lists and those of active lists without customer groups; its tax lines
// are the region's rates of its product.
func TestOrderClaimReplacementPricing(t *testing.T) {
	t.Parallel()
	e, o := newActsEnv(t)
	for _, q := range []string{
		`INSERT INTO price_list (id, name, description, type, status) VALUES ('pl_01GACTS0000000000000000001', 'Sale', 's', 'sale', 'active'),
			('pl_01GACTS0000000000000000002', 'VIP', 'v', 'sale', 'active'), ('pl_01GACTS0000000000000000003', 'Old', 'o', 'sale', 'active'),
			('pl_01GACTS0000000000000000004', 'Draft', 'd', 'sale', 'draft')`,
		`UPDATE price_list SET ends_at = now() - interval '1 day' WHERE id = 'pl_01GACTS0000000000000000003'`,
		`INSERT INTO customer_group (id, name) VALUES ('cgrp_01GACTS0000000000000000001', 'VIP')`,
		`INSERT INTO price_list_customer_groups (price_list_id, customer_group_id) VALUES ('pl_01GACTS0000000000000000002', 'cgrp_01GACTS0000000000000000001')`,
		`INSERT INTO money_amount (id, currency_code, amount, variant_id, region_id, price_list_id, min_quantity) VALUES
			('ma_01GACTS0000000000000000001', 'eur', 1000, '` + o.UnmanagedVariant + `', NULL, NULL, NULL),
			('ma_01GACTS0000000000000000002', 'eur', 800, '` + o.UnmanagedVariant + `', NULL, 'pl_01GACTS0000000000000000001', NULL),
			('ma_01GACTS0000000000000000003', 'eur', 500, '` + o.UnmanagedVariant + `', NULL, 'pl_01GACTS0000000000000000002', NULL),
			('ma_01GACTS0000000000000000004', 'eur', 300, '` + o.UnmanagedVariant + `', NULL, 'pl_01GACTS0000000000000000003', NULL),
			('ma_01GACTS0000000000000000005', 'eur', 200, '` + o.UnmanagedVariant + `', NULL, 'pl_01GACTS0000000000000000004', NULL),
			('ma_01GACTS0000000000000000006', 'eur', 100, '` + o.UnmanagedVariant + `', NULL, NULL, 5),
			('ma_01GACTS0000000000000000007', 'usd', 50, '` + o.UnmanagedVariant + `', NULL, NULL, NULL)`,
		`INSERT INTO tax_rate (id, rate, code, name, region_id) VALUES ('txr_01GACTS0000000000000000001', 5, 'RED', 'Reduced', '` + o.RegionID + `')`,
		`INSERT INTO product_tax_rate (product_id, rate_id) VALUES ('` + o.ProductID + `', 'txr_01GACTS0000000000000000001')`,
	} {
		if _, err := e.DB.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	e.Do("POST", "/admin/orders/"+o.ID+"/fulfillment", map[string]any{"items": []any{map[string]any{"item_id": o.UnmanagedItem, "quantity": 1}}}).
		Expect(t, 200, `{"order": "$any"}`)
	e.Do("POST", "/admin/orders/"+o.ID+"/claims", map[string]any{"type": "replace",
		"claim_items":      []any{map[string]any{"item_id": o.UnmanagedItem, "quantity": 1, "reason": "missing_item"}},
		"additional_items": []any{map[string]any{"variant_id": o.UnmanagedVariant, "quantity": 1}}}).Expect(t, 200, `{"order": "$any"}`)
	var got struct {
		UnitPrice int     `bun:"unit_price"`
		Rate      float64 `bun:"rate"`
		Code      string  `bun:"code"`
		Lines     int     `bun:"lines"`
	}
	if err := e.DB.NewRaw(`SELECT li.unit_price, tl.rate, tl.code, (SELECT count(*) FROM line_item_tax_line x WHERE x.item_id = li.id) AS lines
		FROM line_item li JOIN line_item_tax_line tl ON tl.item_id = li.id WHERE li.claim_order_id IS NOT NULL`).Scan(t.Context(), &got); err != nil {
		t.Fatal(err)
	}
	if got.UnitPrice != 800 || got.Rate != 5 || got.Code != "RED" || got.Lines != 1 {
		t.Errorf("replacement %+v, want 800 with one 5%% RED tax line", got)
	}
}
