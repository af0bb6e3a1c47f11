package rest_test

import (
	"context"
	"net/http"
	"testing"
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
