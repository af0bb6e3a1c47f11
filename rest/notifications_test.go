package rest_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/provider"
)

// withLogNotifications serves the built-in log notification provider as "log", wired as
// cmd/gorgon does: registry from the configuration, its ids marked installed at start-up.
func withLogNotifications(t *testing.T, e *resttest.Env) {
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

// sendTestNotifications records two notifications through the log provider: an order
// confirmation (oldest) and an invite.
func sendTestNotifications(t *testing.T, e *resttest.Env) (order, invite *model.Notification) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.DB.Exec(`INSERT INTO customer (id, email) VALUES ('cus_1', 'ada@test.com')`); err != nil {
		t.Fatal(err)
	}
	order, err := e.Store.SendNotification(ctx, "order.placed", map[string]any{"id": "order_1", "email": "ada@test.com", "customer_id": "cus_1"}, "log")
	if err != nil {
		t.Fatal(err)
	}
	invite, err = e.Store.SendNotification(ctx, "invite.created", map[string]any{"id": "invite_1", "user_email": "bob@test.com", "token": "tok"}, "log")
	if err != nil {
		t.Fatal(err)
	}
	return order, invite
}

func TestNotificationsListAndResend(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	withLogNotifications(t, e)
	e.Do("GET", "/admin/notifications", nil).Expect(t, 200, `{"notifications":[]}`)
	order, invite := sendTestNotifications(t, e)

	orderJSON := `{"id":"` + order.ID + `","resource_type":"order","resource_id":"order_1","event_name":"order.placed","to":"ada@test.com",
		"provider_id":"log","created_at":"$time","updated_at":"$time","resends":[]}`
	inviteJSON := `{"id":"` + invite.ID + `","resource_type":"invite","resource_id":"invite_1","event_name":"invite.created","to":"bob@test.com",
		"provider_id":"log","created_at":"$time","updated_at":"$time","resends":[]}`
	res := e.Do("GET", "/admin/notifications", nil)
	res.Expect(t, 200, `{"notifications":[`+inviteJSON+`,`+orderJSON+`]}`)
	res.MatchesSpec(t, "GET", "/admin/notifications")
	for _, tc := range []struct{ query, want string }{
		{"event_name=order.placed", orderJSON},
		{"event_name=order.placed,invite.created&limit=1&offset=1", orderJSON},
		{"limit=1", inviteJSON},
		{"resource_type=invite&to=bob@test.com&resource_id=invite_1,x", inviteJSON},
		{"to=nobody@test.com", ""},
		{"include_resends=false&resource_id=order_1", orderJSON},
	} {
		e.Do("GET", "/admin/notifications?"+tc.query, nil).Expect(t, 200, `{"notifications":[`+tc.want+`]}`)
	}
	e.Do("GET", "/admin/notifications?expand=provider&fields=id,to,data&resource_type=order", nil).Expect(t, 200,
		`{"notifications":[{"id":"`+order.ID+`","to":"ada@test.com","data":{"id":"order_1","email":"ada@test.com","customer_id":"cus_1"},
		"provider":{"id":"log","is_installed":true}}]}`)
	e.Do("GET", "/admin/notifications?expand=parent_notification,resends&fields=id", nil).Expect(t, 200,
		`{"notifications":[{"id":"`+invite.ID+`","parent_notification":null,"resends":[]},{"id":"`+order.ID+`","parent_notification":null,"resends":[]}]}`)

	// Resending records a new notification whose parent is the original.
	res = e.Do("POST", "/admin/notifications/"+order.ID+"/resend", map[string]any{"to": "grace@test.com"})
	resendJSON := `{"id":"$id:noti","resource_type":"order","resource_id":"order_1","event_name":"order.placed","customer_id":"cus_1",
		"to":"grace@test.com","data":{"id":"order_1","email":"ada@test.com","customer_id":"cus_1"},"parent_id":"` + order.ID + `",
		"provider_id":"log","created_at":"$time","updated_at":"$time"}`
	res.Expect(t, 200, `{"notification":{"id":"`+order.ID+`","resource_type":"order","resource_id":"order_1","event_name":"order.placed",
		"to":"ada@test.com","provider_id":"log","created_at":"$time","updated_at":"$time","resends":[`+resendJSON+`]}}`)
	res.MatchesSpec(t, "POST", "/admin/notifications/"+order.ID+"/resend")
	resendID := res.JSON(t)["notification"].(map[string]any)["resends"].([]any)[0].(map[string]any)["id"].(string)

	// Without `to`, the original recipient.
	e.Do("POST", "/admin/notifications/"+invite.ID+"/resend", nil).Expect(t, 200, `{"notification":{"id":"`+invite.ID+`",
		"resource_type":"invite","resource_id":"invite_1","event_name":"invite.created","to":"bob@test.com","provider_id":"log",
		"created_at":"$time","updated_at":"$time","resends":[{"id":"$id:noti","resource_type":"invite","resource_id":"invite_1",
		"event_name":"invite.created","customer_id":null,"to":"bob@test.com","data":{"id":"invite_1","user_email":"bob@test.com","token":"tok"},
		"parent_id":"`+invite.ID+`","provider_id":"log","created_at":"$time","updated_at":"$time"}]}}`)

	// Resends are listed under their original, and on their own with include_resends.
	e.Do("GET", "/admin/notifications?resource_type=order", nil).Expect(t, 200, `{"notifications":[{"id":"`+order.ID+`",
		"resource_type":"order","resource_id":"order_1","event_name":"order.placed","to":"ada@test.com","provider_id":"log",
		"created_at":"$time","updated_at":"$time","resends":[`+resendJSON+`]}]}`)
	e.Do("GET", "/admin/notifications?resource_type=order&include_resends=true&fields=id,to", nil).Expect(t, 200,
		`{"notifications":[{"id":"`+resendID+`","to":"grace@test.com","resends":[]},{"id":"`+order.ID+`","to":"ada@test.com","resends":[`+resendJSON+`]}]}`)
}

func TestNotificationsBadInput(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	withLogNotifications(t, e)
	order, _ := sendTestNotifications(t, e)
	for _, tc := range []struct{ query, want string }{
		{"include_resends=yes", "include_resends must be a boolean string"},
		{"limit=x&foo=1", "property foo should not exist, limit must be an integer number"},
		{"event_name[]=order.placed", "event_name must be a string"},
		{"to=a@b.co&to=c@d.co", "to must be a string"},
		// Medusa answers these with a 500.
		{"expand=nope", "Relation nope not found"},
		{"offset=-1", "limit and offset must not be negative"},
	} {
		e.Do("GET", "/admin/notifications?"+tc.query, nil).Expect(t, 400, `{"type":"invalid_data","message":"`+tc.want+`"}`)
	}
	e.Do("POST", "/admin/notifications/"+order.ID+"/resend", map[string]any{"to": 5, "x": 1}).
		Expect(t, 400, `{"type":"invalid_data","message":"property x should not exist, to must be a string"}`)
	e.Do("POST", "/admin/notifications/noti_missing/resend", map[string]any{"to": "x@y.z"}).
		Expect(t, 404, `{"type":"not_found","message":"Notification with id: noti_missing was not found."}`)

	// A notification of a provider this instance no longer serves: Medusa's intended not_found
	// (Medusa 1.3.8 itself fails with a 500).
	if _, err := e.DB.Exec(`INSERT INTO notification_provider (id, is_installed) VALUES ('sendgrid', false);
		INSERT INTO notification (id, event_name, resource_type, resource_id, "to", data, provider_id)
		VALUES ('noti_old', 'order.shipped', 'order', 'order_1', 'ada@test.com', '{}', 'sendgrid')`); err != nil {
		t.Fatal(err)
	}
	e.Do("POST", "/admin/notifications/noti_old/resend", nil).
		Expect(t, 404, `{"type":"not_found","message":"Could not find a notification provider with id: sendgrid."}`)

	// Nothing was resent.
	var n int
	if err := e.DB.QueryRow(`SELECT count(*) FROM notification WHERE parent_id IS NOT NULL`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("resends: %d %v", n, err)
	}

	e.DoAnon("GET", "/admin/notifications", nil).ExpectText(t, 401, "Unauthorized")
	e.DoAnon("POST", "/admin/notifications/"+order.ID+"/resend", nil).ExpectText(t, 401, "Unauthorized")
}
