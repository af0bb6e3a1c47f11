package rest_test

import (
	"net/http"
	"testing"

	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

func TestOrderClaimUpdate(t *testing.T) {
	t.Parallel()
	e, o := newActsEnv(t)
	c := dbtest.PlaceClaim(t, e.DB, o, 1)
	p := "/admin/orders/" + o.ID + "/claims/" + c.ID

	before := dbFingerprint(t, e)
	e.DoAnon(http.MethodPost, p, map[string]any{}).ExpectText(t, http.StatusUnauthorized, "Unauthorized")
	if changed := diffFingerprints(before, dbFingerprint(t, e)); len(changed) > 0 {
		t.Errorf("anonymous update changed %v", changed)
	}
	expectRefused(t, e, "POST", p, map[string]any{"claim_items": []any{map[string]any{"id": "", "x": 1}}, "no_notification": "yes", "metadata": []any{}}, 400,
		`{"type": "invalid_data", "message": "property x should not exist, id should not be empty, images must be an array, tags must be an array, no_notification must be a boolean value, metadata must be an object"}`)
	expectRefused(t, e, "POST", "/admin/orders/"+o.ID+"/claims/claim_missing", map[string]any{}, 404,
		`{"type": "not_found", "message": "Claim with claim_missing was not found"}`)
	expectRefused(t, e, "POST", p, map[string]any{"claim_items": []any{map[string]any{"id": "citm_missing", "images": []any{}, "tags": []any{}}}}, 404,
		`{"type": "not_found", "message": "Claim item with id: citm_missing was not found."}`)
	// The claim's method belongs to nothing else: Medusa's detaching it breaks the
	// shipping_method check.
	expectRefused(t, e, "POST", p, map[string]any{"shipping_methods": []any{map[string]any{"option_id": o.ShippingOptionID}}}, 400,
		`{"type": "not_allowed", "message": "The claim's shipping method `+c.ShippingMethodID+` belongs to nothing else and cannot be detached from it"}`)

	expectGolden(t, e.Do("POST", p, map[string]any{"no_notification": true, "metadata": map[string]any{"ticket": "T-1"},
		"claim_items": []any{map[string]any{"id": c.ClaimItemID, "note": "Box was empty", "reason": "wrong_item",
			"images": []any{map[string]any{"url": "https://img.example/1.jpg"}},
			"tags":   []any{map[string]any{"value": "  Urgent "}, map[string]any{"value": "courier"}}}}}), "claim_update")
	var tags []string
	if err := e.DB.NewRaw(`SELECT t.value FROM claim_item_tags it JOIN claim_tag t ON t.id = it.tag_id WHERE it.item_id = ? ORDER BY it.ctid`,
		c.ClaimItemID).Scan(t.Context(), &tags); err != nil {
		t.Fatal(err)
	}
	if len(tags) != 2 || tags[0] != "urgent" || tags[1] != "courier" {
		t.Errorf("tags %v, want [urgent courier]", tags)
	}
	var events []string
	if err := e.DB.NewRaw(`SELECT name FROM gorgon.event WHERE name LIKE 'claim%' ORDER BY id`).Scan(t.Context(), &events); err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[0] != "claim_item.updated" || events[1] != "claim.updated" {
		t.Errorf("events %v, want [claim_item.updated claim.updated]", events)
	}

	// Tags by value reuse the live tag; images left out are deleted.
	var img string
	if err := e.DB.NewRaw(`SELECT id FROM claim_image WHERE claim_item_id = ?`, c.ClaimItemID).Scan(t.Context(), &img); err != nil {
		t.Fatal(err)
	}
	e.Do("POST", p, map[string]any{"claim_items": []any{map[string]any{"id": c.ClaimItemID,
		"images": []any{map[string]any{"url": "https://img.example/2.jpg"}}, "tags": []any{map[string]any{"value": "COURIER"}}}}}).
		Expect(t, 200, `{"order": "$any"}`)
	var n struct {
		Images, Tags, TagRows int
	}
	if err := e.DB.NewRaw(`SELECT (SELECT count(*) FROM claim_image WHERE claim_item_id = ?0) AS images,
		(SELECT count(*) FROM claim_item_tags WHERE item_id = ?0) AS tags, (SELECT count(*) FROM claim_tag) AS tag_rows`, c.ClaimItemID).
		Scan(t.Context(), &n); err != nil {
		t.Fatal(err)
	}
	if n.Images != 1 || n.Tags != 1 || n.TagRows != 2 {
		t.Errorf("after the second update: %+v, want 1 image, 1 tag link, 2 tags", n)
	}

	// Shipping methods: with the claim's method gone (a refund claim has none), one of the
	// option is created at the price given.
	if _, err := e.DB.ExecContext(t.Context(), `DELETE FROM shipping_method WHERE id = ?`, c.ShippingMethodID); err != nil {
		t.Fatal(err)
	}
	e.Do("POST", p, map[string]any{"shipping_methods": []any{map[string]any{"option_id": o.ShippingOptionID, "price": 500}}}).
		Expect(t, 200, `{"order": "$any"}`)
	var sm struct {
		Option string `bun:"shipping_option_id"`
		Price  int    `bun:"price"`
	}
	if err := e.DB.NewRaw(`SELECT shipping_option_id, price FROM shipping_method WHERE claim_order_id = ?`, c.ID).Scan(t.Context(), &sm); err != nil {
		t.Fatal(err)
	}
	if sm.Option != o.ShippingOptionID || sm.Price != 500 {
		t.Errorf("claim shipping method %+v", sm)
	}

	// A canceled claim is not updated.
	e.Do("POST", p+"/cancel", nil).Expect(t, 200, `{"order": "$any"}`)
	expectRefused(t, e, "POST", p, map[string]any{"no_notification": false}, 400,
		`{"type": "not_allowed", "message": "Canceled claim cannot be updated"}`)
}
