package rest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

// The draft order of the shop Medusa wrote (ordertest): a percentage discount, three variants,
// a shipping method; rest/testdata/orders/medusa/draft_*.json are Medusa's answers about it.
const shopDraftOrder = "dorder_01M98FH4NTV9AJK5S1ZMBKQDPR"

func TestDraftOrdersGetAsMedusa(t *testing.T) {
	t.Parallel()
	e := newOrdersEnv(t)
	for _, name := range capturedRequests(t, "draft_get") {
		t.Run(name, func(t *testing.T) {
			expectMedusa(t, e, name)
		})
	}
}

func TestDraftOrdersListAsMedusa(t *testing.T) {
	t.Parallel()
	e := newOrdersEnv(t)
	for _, name := range capturedRequests(t, "draft_list") {
		t.Run(name, func(t *testing.T) {
			expectMedusa(t, e, name)
		})
	}
}

func TestDraftOrdersStatements(t *testing.T) {
	t.Parallel()
	e := newOrdersEnv(t)
	e.Do(http.MethodGet, "/admin/draft-orders/"+shopDraftOrder, nil).Expect(t, http.StatusOK, `{"draft_order": "$any"}`)
	if e.Queries > 16 {
		t.Errorf("GET /admin/draft-orders/:id: %d statements, want at most 16", e.Queries)
	}
	e.Do(http.MethodGet, "/admin/draft-orders", nil).Expect(t, http.StatusOK, `{"draft_orders": "$any", "count": 1, "offset": 0, "limit": 50}`)
	if e.Queries > 8 {
		t.Errorf("GET /admin/draft-orders: %d statements, want at most 8", e.Queries)
	}
}

func TestDraftOrdersReadBadInput(t *testing.T) {
	t.Parallel()
	e := newOrdersEnv(t)
	// Medusa answers a negative page with a 500 (PostgreSQL refuses it); Gorgon refuses it.
	e.Do(http.MethodGet, "/admin/draft-orders?offset=-1", nil).
		Expect(t, http.StatusBadRequest, `{"type": "invalid_data", "message": "limit and offset must not be negative"}`)
	e.Do(http.MethodGet, "/admin/draft-orders?limit=-1", nil).
		Expect(t, http.StatusBadRequest, `{"type": "invalid_data", "message": "limit and offset must not be negative"}`)
}

func TestDraftOrdersReadAuth(t *testing.T) {
	t.Parallel()
	e := newOrdersEnv(t)
	e.DoAnon(http.MethodGet, "/admin/draft-orders", nil).ExpectText(t, http.StatusUnauthorized, "Unauthorized")
	e.DoAnon(http.MethodGet, "/admin/draft-orders/"+shopDraftOrder, nil).ExpectText(t, http.StatusUnauthorized, "Unauthorized")
}

func TestDraftOrdersDelete(t *testing.T) {
	t.Parallel()
	e := newOrdersEnv(t)
	count := func(q string) int {
		t.Helper()
		var n int
		if err := e.DB.NewRaw(q).Scan(context.Background(), &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	events := count(`SELECT count(*) FROM gorgon.event`)
	e.DoAnon(http.MethodDelete, "/admin/draft-orders/"+shopDraftOrder, nil).ExpectText(t, http.StatusUnauthorized, "Unauthorized")
	if count(`SELECT count(*) FROM draft_order`) != 1 {
		t.Fatal("an unauthenticated delete deleted")
	}
	// An unknown id: deleted all the same, as Medusa answers.
	e.Do(http.MethodDelete, "/admin/draft-orders/dorder_missing", nil).
		Expect(t, http.StatusOK, `{"id": "dorder_missing", "object": "draft-order", "deleted": true}`)
	e.Do(http.MethodDelete, "/admin/draft-orders/"+shopDraftOrder, nil).
		Expect(t, http.StatusOK, `{"id": "`+shopDraftOrder+`", "object": "draft-order", "deleted": true}`)
	e.Do(http.MethodGet, "/admin/draft-orders/"+shopDraftOrder, nil).
		Expect(t, http.StatusNotFound, `{"type": "not_found", "message": "Draft order with `+shopDraftOrder+` was not found"}`)
	e.Do(http.MethodGet, "/admin/draft-orders", nil).Expect(t, http.StatusOK, `{"draft_orders": [], "count": 0, "offset": 0, "limit": 50}`)
	// The cart stays (Medusa removes the draft order's row only), and no event is emitted.
	if n := count(`SELECT count(*) FROM cart WHERE id = 'cart_01M98FH4NQ3DH48Z396FFS9HNX'`); n != 1 {
		t.Errorf("cart rows: %d, want 1", n)
	}
	if n := count(`SELECT count(*) FROM gorgon.event`); n != events {
		t.Errorf("events: %d, want %d", n, events)
	}
	e.Do(http.MethodDelete, "/admin/draft-orders/"+shopDraftOrder, nil).
		Expect(t, http.StatusOK, `{"id": "`+shopDraftOrder+`", "object": "draft-order", "deleted": true}`)
}

func TestDraftOrdersDeleteLineItem(t *testing.T) {
	t.Parallel()
	e := newOrdersEnv(t)
	a := loadMedusaAnswer(t, "draft_delete_line")
	var body map[string]any
	if err := json.Unmarshal(a.Body, &body); err != nil {
		t.Fatal(err)
	}
	// The remaining items lost has_shipping just now (their updated_at is the request's time)
	// and got new adjustments.
	for _, it := range body["draft_order"].(map[string]any)["cart"].(map[string]any)["items"].([]any) {
		it.(map[string]any)["updated_at"] = "$time"
		for _, adj := range it.(map[string]any)["adjustments"].([]any) {
			adj.(map[string]any)["id"] = "$id:lia"
		}
	}
	raw, _ := json.Marshal(body)
	want := string(raw)
	if !resttest.SalesChannels() {
		want = withoutSalesChannels(raw)
	}
	cartEvents := func() []string {
		t.Helper()
		var names []string
		if err := e.DB.NewRaw(`SELECT name || ' ' || data::text FROM gorgon.event WHERE name LIKE 'cart.%' ORDER BY id`).
			Scan(context.Background(), &names); err != nil {
			t.Fatal(err)
		}
		return names
	}
	const line = "/admin/draft-orders/" + shopDraftOrder + "/line-items/"
	before := e.Do(http.MethodGet, "/admin/draft-orders/"+shopDraftOrder, nil)
	e.DoAnon(http.MethodDelete, line+"item_01M98FH4YA8HRW792BY7YM1TTF", nil).ExpectText(t, http.StatusUnauthorized, "Unauthorized")
	e.Do(http.MethodDelete, "/admin/draft-orders/dorder_missing/line-items/item_01M98FH4YA8HRW792BY7YM1TTF", nil).
		Expect(t, http.StatusNotFound, `{"type": "not_found", "message": "Draft order with dorder_missing was not found"}`)
	// A line that is not the cart's changes nothing (Medusa answers the draft order as it is).
	res := e.Do(http.MethodDelete, line+"item_missing", nil)
	if res.Status != http.StatusOK || len(cartEvents()) != 0 {
		t.Fatalf("unknown line: %d %s, events %v", res.Status, res.Body, cartEvents())
	}
	after := e.Do(http.MethodGet, "/admin/draft-orders/"+shopDraftOrder, nil)
	if string(after.Body) != string(before.Body) {
		t.Errorf("an unknown line changed the draft order:\n%s\n%s", before.Body, after.Body)
	}
	// The line goes, the other items lose has_shipping, adjustments are made again.
	e.Do(http.MethodDelete, line+"item_01M98FH4YA8HRW792BY7YM1TTF", nil).Expect(t, http.StatusOK, want)
	if got := cartEvents(); len(got) != 1 || got[0] != `cart.updated {"id": "cart_01M98FH4NQ3DH48Z396FFS9HNX"}` {
		t.Errorf("events: %q", got)
	}
	// A completed draft order is not changed.
	if _, err := e.DB.NewRaw(`UPDATE draft_order SET status = 'completed' WHERE id = ?`, shopDraftOrder).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.Do(http.MethodDelete, line+"item_01M98FH52420AN77M9Q9QGDWMK", nil).
		Expect(t, http.StatusBadRequest, `{"type": "not_allowed", "message": "You are only allowed to update open draft orders"}`)
	var n int
	if err := e.DB.NewRaw(`SELECT count(*) FROM line_item WHERE cart_id = 'cart_01M98FH4NQ3DH48Z396FFS9HNX'`).Scan(context.Background(), &n); err != nil || n != 2 {
		t.Errorf("lines left: %d (%v), want 2", n, err)
	}
}

func TestDraftOrdersUpdateLineItem(t *testing.T) {
	t.Parallel()
	e := newOrdersEnv(t)
	a := loadMedusaAnswer(t, "draft_update_line")
	var body map[string]any
	if err := json.Unmarshal(a.Body, &body); err != nil {
		t.Fatal(err)
	}
	// The updated line's updated_at is the request's time; every item got new adjustments.
	for _, it := range body["draft_order"].(map[string]any)["cart"].(map[string]any)["items"].([]any) {
		it := it.(map[string]any)
		if it["id"] == "item_01M98FH4YA8HRW792BY7YM1TTF" {
			it["updated_at"] = "$time"
		}
		for _, adj := range it["adjustments"].([]any) {
			adj.(map[string]any)["id"] = "$id:lia"
		}
	}
	raw, _ := json.Marshal(body)
	want := string(raw)
	if !resttest.SalesChannels() {
		want = withoutSalesChannels(raw)
	}
	const line = "/admin/draft-orders/" + shopDraftOrder + "/line-items/"
	before := e.Do(http.MethodGet, "/admin/draft-orders/"+shopDraftOrder, nil)
	unchanged := func(what string) {
		t.Helper()
		if after := e.Do(http.MethodGet, "/admin/draft-orders/"+shopDraftOrder, nil); string(after.Body) != string(before.Body) {
			t.Errorf("%s changed the draft order:\n%s\n%s", what, before.Body, after.Body)
		}
	}
	e.DoAnon(http.MethodPost, line+"item_01M98FH4YA8HRW792BY7YM1TTF", map[string]any{"quantity": 5}).
		ExpectText(t, http.StatusUnauthorized, "Unauthorized")
	e.Do(http.MethodPost, line+"item_01M98FH4YA8HRW792BY7YM1TTF", map[string]any{"quantity": "5", "unit_price": 1.5, "title": 3,
		"metadata": "x", "foo": 1}).Expect(t, http.StatusBadRequest, `{"type": "invalid_data", "message":
		"property foo should not exist, title must be a string, unit_price must be an integer number, quantity must be an integer number, metadata must be an object"}`)
	e.Do(http.MethodPost, line+"item_missing", map[string]any{"quantity": 5}).
		Expect(t, http.StatusBadRequest, `{"type": "invalid_data", "message": "Could not find the line item"}`)
	e.Do(http.MethodPost, "/admin/draft-orders/dorder_missing/line-items/item_01M98FH4YA8HRW792BY7YM1TTF", map[string]any{"quantity": 5}).
		Expect(t, http.StatusNotFound, `{"type": "not_found", "message": "Draft order with dorder_missing was not found"}`)
	unchanged("refused updates")
	e.Do(http.MethodPost, line+"item_01M98FH4YA8HRW792BY7YM1TTF", map[string]any{"quantity": 5, "unit_price": 400, "title": "Renamed",
		"metadata": map[string]any{"a": 1}}).Expect(t, http.StatusOK, want)
	var names []string
	if err := e.DB.NewRaw(`SELECT name || ' ' || (data->>'id') || ' ' || jsonb_array_length(data->'items') FROM gorgon.event WHERE name LIKE 'cart.%' ORDER BY id`).
		Scan(context.Background(), &names); err != nil {
		t.Fatal(err)
	}
	if len(names) != 1 || names[0] != "cart.updated cart_01M98FH4NQ3DH48Z396FFS9HNX 3" {
		t.Errorf("events: %q", names)
	}
	// Metadata merges; quantity 0 removes the line.
	e.Do(http.MethodPost, line+"item_01M98FH4YA8HRW792BY7YM1TTF", map[string]any{"metadata": map[string]any{"b": 2}}).
		Expect(t, http.StatusOK, `{"draft_order": "$any"}`)
	e.Do(http.MethodPost, line+"item_01M98FH52420AN77M9Q9QGDWMK", map[string]any{"quantity": 0}).Expect(t, http.StatusOK, `{"draft_order": "$any"}`)
	var rows []string
	if err := e.DB.NewRaw(`SELECT id || ' ' || title || ' ' || quantity || ' ' || unit_price || ' ' || coalesce(metadata::text, 'null') || ' ' || has_shipping
		FROM line_item WHERE cart_id = 'cart_01M98FH4NQ3DH48Z396FFS9HNX' ORDER BY id`).Scan(context.Background(), &rows); err != nil {
		t.Fatal(err)
	}
	// As the reference server left them after the same requests (draft_orders_line_update.txt).
	if got := fmt.Sprint(rows); got != `[item_01M98FH4SNFSPAXE5WM0YT2FNZ Totals A 654703 2 1999 {} false item_01M98FH4YA8HRW792BY7YM1TTF Renamed 5 400 {"a": 1, "b": 2} false]` {
		t.Errorf("lines: %s", got)
	}
	if _, err := e.DB.NewRaw(`UPDATE draft_order SET status = 'completed' WHERE id = ?`, shopDraftOrder).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	e.Do(http.MethodPost, line+"item_01M98FH4YA8HRW792BY7YM1TTF", map[string]any{"quantity": 1}).
		Expect(t, http.StatusBadRequest, `{"type": "not_allowed", "message": "You are only allowed to update open draft orders"}`)
}
