package provider

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/store/model"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseConfig(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		env  map[string]string
		want Config
	}{
		{"defaults", nil, Config{
			Payment:      []Entry{{"manual", "manual"}},
			Fulfillment:  []Entry{{"manual", "manual"}},
			Notification: []Entry{},
		}},
		{"lists and kinds", map[string]string{
			EnvPayment:      " manual , invoice, free=system,system ",
			EnvFulfillment:  "manual,warehouse=manual,",
			EnvNotification: "log,mailer",
		}, Config{
			Payment:      []Entry{{"manual", "manual"}, {"invoice", "manual"}, {"free", "system"}, {"system", "system"}},
			Fulfillment:  []Entry{{"manual", "manual"}, {"warehouse", "manual"}},
			Notification: []Entry{{"log", "log"}, {"mailer", "log"}},
		}},
		{"none", map[string]string{EnvPayment: "none", EnvFulfillment: "NONE"}, Config{
			Payment: []Entry{}, Fulfillment: []Entry{}, Notification: []Entry{},
		}},
	} {
		got, err := ParseConfig(envOf(tc.env))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Fatalf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
	}
}

func TestParseConfigErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{EnvPayment: "stripe=card"}, `PAYMENT_PROVIDERS: unknown kind "card" for provider "stripe" (built-in kinds: manual, system)`},
		{map[string]string{EnvFulfillment: "manual=system"}, `FULFILLMENT_PROVIDERS: unknown kind "system" for provider "manual" (built-in kinds: manual)`},
		{map[string]string{EnvNotification: "sendgrid=smtp"}, `NOTIFICATION_PROVIDERS: unknown kind "smtp" for provider "sendgrid" (built-in kinds: log)`},
		{map[string]string{EnvNotification: "log="}, `NOTIFICATION_PROVIDERS: unknown kind "" for provider "log" (built-in kinds: log)`},
		{map[string]string{EnvPayment: "=manual"}, `PAYMENT_PROVIDERS: bad provider id in "=manual"`},
		{map[string]string{EnvPayment: "my provider"}, `PAYMENT_PROVIDERS: bad provider id in "my provider"`},
		{map[string]string{EnvFulfillment: "manual,manual=manual"}, `FULFILLMENT_PROVIDERS: provider "manual" is listed twice`},
	} {
		_, err := ParseConfig(envOf(tc.env))
		if err == nil || err.Error() != tc.want {
			t.Fatalf("env %v: got %v, want %q", tc.env, err, tc.want)
		}
	}
}

func TestRegistry(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, err := ParseConfig(envOf(map[string]string{EnvPayment: "manual,free=system", EnvNotification: "log"}))
	if err != nil {
		t.Fatal(err)
	}
	r := New(c, nil)
	if got := r.Installed(SlotPayment); !reflect.DeepEqual(got, []string{"manual", "free"}) {
		t.Fatalf("payment installed %v", got)
	}
	if got := r.Installed(SlotTax); got == nil || len(got) != 0 {
		t.Fatalf("tax installed %#v (the system provider has no row)", got)
	}

	f, err := r.Fulfillment("manual")
	if err != nil {
		t.Fatal(err)
	}
	opts, _ := f.FulfillmentOptions(ctx)
	if !reflect.DeepEqual(opts, []Data{{"id": "manual-fulfillment"}, {"id": "manual-fulfillment-return", "is_return": true}}) {
		t.Fatalf("options %v", opts)
	}
	if _, err := f.CalculatePrice(ctx, nil, nil, nil); err == nil {
		t.Fatal("manual fulfillment must not calculate prices")
	}

	_, err = r.Fulfillment("webshipper")
	var unknown *UnknownError
	if !errors.As(err, &unknown) || err.Error() != "Could not find a fulfillment provider with id: webshipper" {
		t.Fatalf("unknown fulfillment: %v", err)
	}
	if _, err := r.Notification("x"); err == nil || err.Error() != "Could not find a notification provider with id: x." {
		t.Fatalf("unknown notification: %v", err)
	}

	for _, id := range []string{"manual", "system", "free"} {
		p, err := r.Payment(id)
		if err != nil {
			t.Fatalf("payment %s: %v", id, err)
		}
		a, _ := p.AuthorizePayment(ctx, &model.PaymentSession{}, nil)
		if a.Status != PaymentAuthorized {
			t.Fatalf("payment %s: %v", id, a)
		}
		if _, err := p.CapturePayment(ctx, &model.Payment{}); err != nil {
			t.Fatal(err)
		}
		if _, err := p.RefundPayment(ctx, &model.Payment{}, 100); err != nil {
			t.Fatal(err)
		}
		if _, err := p.CancelPayment(ctx, &model.Payment{}); err != nil {
			t.Fatal(err)
		}
	}

	tax, err := r.Tax("")
	if err != nil {
		t.Fatal(err)
	}
	rate := 25.0
	code := "VAT"
	lines, _ := tax.TaxLines(ctx, []ItemTaxLines{{Item: &model.LineItem{ID: "item_1"}, Rates: []TaxRate{{Rate: &rate, Name: "VAT", Code: &code}, {Name: "zero"}}}},
		[]ShippingTaxLines{{ShippingMethod: &model.ShippingMethod{ID: "sm_1"}, Rates: []TaxRate{{Rate: &rate, Name: "VAT"}}}}, TaxContext{})
	want := []TaxLine{{Rate: 25, Name: "VAT", Code: &code, ItemID: "item_1"}, {Rate: 0, Name: "zero", ItemID: "item_1"}, {Rate: 25, Name: "VAT", ShippingMethodID: "sm_1"}}
	if !reflect.DeepEqual(lines, want) {
		t.Fatalf("tax lines %+v", lines)
	}

	n, err := r.Notification("log")
	if err != nil {
		t.Fatal(err)
	}
	sent, _ := n.SendNotification(ctx, "invite.created", Data{"user_email": "a@b.co", "token": "t"})
	if sent == nil || sent.To != "a@b.co" || sent.Data["token"] != "t" {
		t.Fatalf("sent %+v", sent)
	}
	to := "c@d.co"
	sent, _ = n.ResendNotification(ctx, &model.Notification{ID: "noti_1", To: "a@b.co", Data: Data{"x": 1}}, ResendConfig{To: &to})
	if sent.To != to || sent.Data["x"] != 1 {
		t.Fatalf("resent %+v", sent)
	}
	if !strings.Contains((&UnknownError{Slot: SlotTax, ID: "avalara"}).Error(), "tax provider with id: avalara") {
		t.Fatal("tax message")
	}
}
