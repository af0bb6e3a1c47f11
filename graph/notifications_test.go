package graph_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/provider"
)

const notiFields = `id eventName resourceType resourceId customerId to data parentNotification { id } resends { id to parentNotification { id } }
	provider { id isInstalled } createdAt updatedAt`

// notiWithLog serves the built-in log notification provider as "log", wired as cmd/gorgon does.
func notiWithLog(t *testing.T, e *resttest.Env) {
	t.Helper()
	cfg, err := provider.ParseConfig(func(k string) string {
		if k == provider.EnvNotification {
			return "log"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	e.Store.UseProviders(provider.New(cfg, slog.New(slog.DiscardHandler)))
	if err := e.Store.EnsureDefaults(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// notiSend records a notification through the log provider.
func notiSend(t *testing.T, e *resttest.Env, event string, data map[string]any) *model.Notification {
	t.Helper()
	n, err := e.Store.SendNotification(context.Background(), event, data, "log")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestNotificationsGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	notiWithLog(t, e)
	gql(e, `{ notifications { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor } nodes { id } } }`, nil).
		Expect(t, 200, `{"data":{"notifications":{"totalCount":0,"pageInfo":{"hasNextPage":false,"hasPreviousPage":false,"startCursor":null,"endCursor":null},
		"edges":[],"nodes":[]}}}`)
	if _, err := e.DB.Exec(`INSERT INTO customer (id, email) VALUES ('cus_1', 'ada@test.com')`); err != nil {
		t.Fatal(err)
	}
	order := notiSend(t, e, "order.placed", map[string]any{"id": "order_1", "email": "ada@test.com", "customer_id": "cus_1"})
	invite := notiSend(t, e, "invite.created", map[string]any{"id": "invite_1", "user_email": "bob@test.com", "token": "tok"})

	orderData := `{"id":"order_1","email":"ada@test.com","customer_id":"cus_1"}`
	orderJSON := func(resends string) string {
		return `{"id":"` + order.ID + `","eventName":"order.placed","resourceType":"order","resourceId":"order_1","customerId":"cus_1",
		"to":"ada@test.com","data":` + orderData + `,"parentNotification":null,"resends":[` + resends + `],
		"provider":{"id":"log","isInstalled":true},"createdAt":"$time","updatedAt":"$time"}`
	}
	inviteJSON := func(resends string) string {
		return `{"id":"` + invite.ID + `","eventName":"invite.created","resourceType":"invite","resourceId":"invite_1","customerId":null,
		"to":"bob@test.com","data":{"id":"invite_1","user_email":"bob@test.com","token":"tok"},"parentNotification":null,"resends":[` + resends + `],
		"provider":{"id":"log","isInstalled":true},"createdAt":"$time","updatedAt":"$time"}`
	}

	// The list, newest first, with paging and filters.
	gql(e, `{ notifications { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } nodes { `+notiFields+` } } }`, nil).
		Expect(t, 200, `{"data":{"notifications":{"totalCount":2,"pageInfo":{"hasNextPage":false,"hasPreviousPage":false,"startCursor":"$string","endCursor":"$string"},
		"edges":[{"cursor":"$string","node":{"id":"`+invite.ID+`"}},{"cursor":"$string","node":{"id":"`+order.ID+`"}}],"nodes":[`+inviteJSON("")+`,`+orderJSON("")+`]}}}`)
	res := gql(e, `{ notifications(first: 1) { totalCount pageInfo { hasNextPage endCursor } nodes { id } } }`, nil)
	res.Expect(t, 200, `{"data":{"notifications":{"totalCount":2,"pageInfo":{"hasNextPage":true,"endCursor":"$string"},"nodes":[{"id":"`+invite.ID+`"}]}}}`)
	gql(e, `query($after: String) { notifications(first: 1, after: $after) { pageInfo { hasNextPage hasPreviousPage } nodes { id } } }`,
		map[string]any{"after": nraString(t, res, "notifications", "pageInfo", "endCursor")}).Expect(t, 200,
		`{"data":{"notifications":{"pageInfo":{"hasNextPage":false,"hasPreviousPage":true},"nodes":[{"id":"`+order.ID+`"}]}}}`)
	for _, c := range []struct {
		args string
		want []string
	}{
		{`eventName: ["order.placed"]`, []string{order.ID}},
		{`eventName: ["order.placed", "invite.created"]`, []string{invite.ID, order.ID}},
		{`resourceType: ["invite"], to: ["bob@test.com"], resourceId: ["invite_1", "x"]`, []string{invite.ID}},
		{`to: ["nobody@test.com"]`, nil},
		{`includeResends: false, resourceId: ["order_1"]`, []string{order.ID}},
	} {
		nodes, sep := "", ""
		for _, id := range c.want {
			nodes += sep + `{"id":"` + id + `"}`
			sep = ","
		}
		gql(e, `{ notifications(`+c.args+`) { totalCount nodes { id } } }`, nil).Expect(t, 200,
			fmt.Sprintf(`{"data":{"notifications":{"totalCount":%d,"nodes":[%s]}}}`, len(c.want), nodes))
	}

	// By id, and as a node.
	gql(e, `query($id: ID!) { notification(id: $id) { `+notiFields+` } }`, map[string]any{"id": order.ID}).Expect(t, 200,
		`{"data":{"notification":`+orderJSON("")+`}}`)
	gql(e, `query($id: ID!) { node(id: $id) { id ... on Notification { to provider { id } } } }`, map[string]any{"id": invite.ID}).Expect(t, 200,
		`{"data":{"node":{"id":"`+invite.ID+`","to":"bob@test.com","provider":{"id":"log"}}}}`)
	gql(e, `{ notification(id: "noti_missing") { id } node(id: "noti_missing") { id } }`, nil).Expect(t, 200,
		`{"data":{"notification":null,"node":null}}`)

	// Resending records a new notification whose parent is the original, to `to` or else the
	// original recipient.
	resend := `mutation($id: ID!, $to: String) { resendNotification(id: $id, to: $to) { notification { ` + notiFields + ` } userErrors { field message code } } }`
	res = gql(e, resend, map[string]any{"id": order.ID, "to": "grace@test.com"})
	orderResend := `{"id":"$id:noti","to":"grace@test.com","parentNotification":{"id":"` + order.ID + `"}}`
	res.Expect(t, 200, `{"data":{"resendNotification":{"notification":`+orderJSON(orderResend)+`,"userErrors":[]}}}`)
	resendID := res.JSON(t)["data"].(map[string]any)["resendNotification"].(map[string]any)["notification"].(map[string]any)["resends"].([]any)[0].(map[string]any)["id"].(string)
	gql(e, resend, map[string]any{"id": invite.ID}).Expect(t, 200, `{"data":{"resendNotification":{"notification":`+
		inviteJSON(`{"id":"$id:noti","to":"bob@test.com","parentNotification":{"id":"`+invite.ID+`"}}`)+`,"userErrors":[]}}}`)

	// The resend on its own.
	gql(e, `query($id: ID!) { notification(id: $id) { `+notiFields+` } }`, map[string]any{"id": resendID}).Expect(t, 200,
		`{"data":{"notification":{"id":"`+resendID+`","eventName":"order.placed","resourceType":"order","resourceId":"order_1","customerId":"cus_1",
		"to":"grace@test.com","data":`+orderData+`,"parentNotification":{"id":"`+order.ID+`"},"resends":[],
		"provider":{"id":"log","isInstalled":true},"createdAt":"$time","updatedAt":"$time"}}}`)
	// Resends are listed under their original, and on their own with includeResends.
	gql(e, `{ notifications(resourceType: ["order"]) { totalCount nodes { id resends { id } } } }`, nil).Expect(t, 200,
		`{"data":{"notifications":{"totalCount":1,"nodes":[{"id":"`+order.ID+`","resends":[{"id":"`+resendID+`"}]}]}}}`)
	gql(e, `{ notifications(resourceType: ["order"], includeResends: true) { totalCount nodes { id to parentNotification { id } } } }`, nil).Expect(t, 200,
		`{"data":{"notifications":{"totalCount":2,"nodes":[{"id":"`+resendID+`","to":"grace@test.com","parentNotification":{"id":"`+order.ID+`"}},
		{"id":"`+order.ID+`","to":"ada@test.com","parentNotification":null}]}}}`)

	// A missing notification, and one of a provider this instance no longer serves: userErrors,
	// nothing resent.
	if _, err := e.DB.Exec(`INSERT INTO notification_provider (id, is_installed) VALUES ('sendgrid', false);
		INSERT INTO notification (id, event_name, resource_type, resource_id, "to", data, provider_id)
		VALUES ('noti_old', 'order.shipped', 'order', 'order_1', 'ada@test.com', '{}', 'sendgrid')`); err != nil {
		t.Fatal(err)
	}
	gql(e, resend, map[string]any{"id": "noti_missing", "to": "x@y.z"}).Expect(t, 200, `{"data":{"resendNotification":{"notification":null,
		"userErrors":[{"field":null,"message":"Notification with id: noti_missing was not found.","code":"NOT_FOUND"}]}}}`)
	gql(e, resend, map[string]any{"id": "noti_old"}).Expect(t, 200, `{"data":{"resendNotification":{"notification":null,
		"userErrors":[{"field":null,"message":"Could not find a notification provider with id: sendgrid.","code":"NOT_FOUND"}]}}}`)
	gql(e, `{ notification(id: "noti_old") { `+notiFields+` } notifications(includeResends: true) { totalCount } }`, nil).Expect(t, 200,
		`{"data":{"notification":{"id":"noti_old","eventName":"order.shipped","resourceType":"order","resourceId":"order_1","customerId":null,
		"to":"ada@test.com","data":{},"parentNotification":null,"resends":[],"provider":{"id":"sendgrid","isInstalled":false},
		"createdAt":"$time","updatedAt":"$time"},"notifications":{"totalCount":5}}}`)
}

// A page of notifications with their providers, originals and resends costs the same
// statements whatever its size.
func TestNotificationsBatched(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	notiWithLog(t, e)
	ctx := context.Background()
	add := func(from, to int) {
		for i := from; i < to; i++ {
			n := notiSend(t, e, "order.placed", map[string]any{"id": fmt.Sprintf("order_%d", i), "email": "ada@test.com"})
			if _, err := e.Store.ResendNotification(ctx, n.ID, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	query := func(n int) int64 {
		res := gql(e, `{ notifications(first: 100, includeResends: true) { totalCount nodes { id provider { id }
			parentNotification { id provider { id } resends { id } } resends { id provider { id } parentNotification { id } } } } }`, nil)
		if got := len(res.JSON(t)["data"].(map[string]any)["notifications"].(map[string]any)["nodes"].([]any)); got != n {
			t.Fatalf("%d notifications, want %d: %s", got, n, res.Body)
		}
		return e.Queries
	}
	add(0, 1)
	q2 := query(2)
	add(1, 10)
	if q20 := query(20); q20 != q2 {
		t.Fatalf("20 notifications cost %d statements, 2 notifications %d", q20, q2)
	}
	t.Logf("a page of notifications with providers, originals and resends: %d statements", q2)
}
