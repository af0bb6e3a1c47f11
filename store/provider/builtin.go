package provider

import (
	"context"
	"errors"
	"log/slog"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// ManualFulfillment is medusa-fulfillment-manual: two options (shipping and returns), no prices of
// its own, and nothing sent anywhere.
type ManualFulfillment struct{}

var _ Fulfillment = ManualFulfillment{}

// FulfillmentOptions returns the plugin's two options.
func (ManualFulfillment) FulfillmentOptions(context.Context) ([]Data, error) {
	return []Data{{"id": "manual-fulfillment"}, {"id": "manual-fulfillment-return", "is_return": true}}, nil
}

// ValidateFulfillmentData answers the option's data: the plugin's validateFulfillmentData(data,
// cart) returns its first argument, which Medusa 1.3.8 passes the option's data in, so a shipping
// method stores its option's data whatever the request sent.
func (ManualFulfillment) ValidateFulfillmentData(_ context.Context, optionData, _ Data, _ *model.Cart) (Data, error) {
	return optionData, nil
}

// ValidateOption accepts every option.
func (ManualFulfillment) ValidateOption(context.Context, Data) (bool, error) { return true, nil }

// CanCalculate is false: manual options have flat prices.
func (ManualFulfillment) CanCalculate(context.Context, Data) (bool, error) { return false, nil }

// CalculatePrice fails, as the plugin's does.
func (ManualFulfillment) CalculatePrice(context.Context, Data, Data, *model.Cart) (int, error) {
	return 0, errors.New("Manual Fulfillment service cannot calculatePrice")
}

// CreateFulfillment sends nothing and stores empty data.
func (ManualFulfillment) CreateFulfillment(context.Context, FulfillmentRequest) (Data, error) {
	return Data{}, nil
}

// CancelFulfillment has nothing to cancel.
func (ManualFulfillment) CancelFulfillment(context.Context, Data) (Data, error) { return Data{}, nil }

// CreateReturn sends nothing and stores empty data.
func (ManualFulfillment) CreateReturn(context.Context, *model.Return) (Data, error) {
	return Data{}, nil
}

// ManualPayment is medusa-payment-manual: sessions start pending, authorizing always succeeds,
// and capture, refund and cancel only record the new status.
type ManualPayment struct{}

var _ Payment = ManualPayment{}

// CreatePayment opens a pending session.
func (ManualPayment) CreatePayment(context.Context, *model.Cart) (Data, error) {
	return Data{"status": "pending"}, nil
}

// RetrievePayment returns the data as it is.
func (ManualPayment) RetrievePayment(_ context.Context, data Data) (Data, error) { return data, nil }

// UpdatePayment keeps the session's data.
func (ManualPayment) UpdatePayment(_ context.Context, sessionData Data, _ *model.Cart) (Data, error) {
	return sessionData, nil
}

// UpdatePaymentData keeps the session's data (the plugin has no updatePaymentData; Medusa then
// leaves the session as it is).
func (ManualPayment) UpdatePaymentData(_ context.Context, sessionData, _ Data) (Data, error) {
	return sessionData, nil
}

// GetPaymentData copies the session's data onto the payment.
func (ManualPayment) GetPaymentData(_ context.Context, s *model.PaymentSession) (Data, error) {
	return s.Data, nil
}

// AuthorizePayment always authorizes.
func (ManualPayment) AuthorizePayment(context.Context, *model.PaymentSession, Data) (Authorization, error) {
	return Authorization{Status: PaymentAuthorized, Data: Data{"status": "authorized"}}, nil
}

// CapturePayment marks the payment captured.
func (ManualPayment) CapturePayment(context.Context, *model.Payment) (Data, error) {
	return Data{"status": "captured"}, nil
}

// RefundPayment allows any manual refund and keeps the payment's data.
func (ManualPayment) RefundPayment(_ context.Context, p *model.Payment, _ int) (Data, error) {
	return p.Data, nil
}

// CancelPayment marks the payment canceled.
func (ManualPayment) CancelPayment(context.Context, *model.Payment) (Data, error) {
	return Data{"status": "canceled"}, nil
}

// DeletePayment has nothing to delete.
func (ManualPayment) DeletePayment(context.Context, *model.PaymentSession) error { return nil }

// GetStatus returns the status held in the data.
func (ManualPayment) GetStatus(_ context.Context, data Data) (PaymentStatus, error) {
	s, _ := data["status"].(string)
	return PaymentStatus(s), nil
}

// RetrieveSavedMethods returns none.
func (ManualPayment) RetrieveSavedMethods(context.Context, *model.Customer) ([]Data, error) {
	return []Data{}, nil
}

// SystemPayment is Medusa's system payment provider, used for carts and swaps that need no
// payment: everything is authorized and every call succeeds with empty data.
type SystemPayment struct{}

var _ Payment = SystemPayment{}

// CreatePayment returns empty data.
func (SystemPayment) CreatePayment(context.Context, *model.Cart) (Data, error) { return Data{}, nil }

// RetrievePayment returns empty data.
func (SystemPayment) RetrievePayment(context.Context, Data) (Data, error) { return Data{}, nil }

// UpdatePayment returns empty data.
func (SystemPayment) UpdatePayment(context.Context, Data, *model.Cart) (Data, error) {
	return Data{}, nil
}

// UpdatePaymentData returns empty data.
func (SystemPayment) UpdatePaymentData(context.Context, Data, Data) (Data, error) {
	return Data{}, nil
}

// GetPaymentData returns empty data.
func (SystemPayment) GetPaymentData(context.Context, *model.PaymentSession) (Data, error) {
	return Data{}, nil
}

// AuthorizePayment always authorizes.
func (SystemPayment) AuthorizePayment(context.Context, *model.PaymentSession, Data) (Authorization, error) {
	return Authorization{Status: PaymentAuthorized, Data: Data{}}, nil
}

// CapturePayment succeeds.
func (SystemPayment) CapturePayment(context.Context, *model.Payment) (Data, error) {
	return Data{}, nil
}

// RefundPayment succeeds.
func (SystemPayment) RefundPayment(context.Context, *model.Payment, int) (Data, error) {
	return Data{}, nil
}

// CancelPayment succeeds.
func (SystemPayment) CancelPayment(context.Context, *model.Payment) (Data, error) {
	return Data{}, nil
}

// DeletePayment succeeds.
func (SystemPayment) DeletePayment(context.Context, *model.PaymentSession) error { return nil }

// GetStatus is always authorized.
func (SystemPayment) GetStatus(context.Context, Data) (PaymentStatus, error) {
	return PaymentAuthorized, nil
}

// RetrieveSavedMethods returns none.
func (SystemPayment) RetrieveSavedMethods(context.Context, *model.Customer) ([]Data, error) {
	return []Data{}, nil
}

// SystemTax is Medusa's system tax provider: one tax line per applicable rate, as given.
type SystemTax struct{}

var _ Tax = SystemTax{}

// TaxLines turns every rate of every item and shipping method into a line (a nil rate is 0).
func (SystemTax) TaxLines(_ context.Context, items []ItemTaxLines, shipping []ShippingTaxLines, _ TaxContext) ([]TaxLine, error) {
	lines := []TaxLine{}
	for _, l := range items {
		for _, r := range l.Rates {
			lines = append(lines, TaxLine{Rate: rateOf(r), Name: r.Name, Code: r.Code, ItemID: l.Item.ID})
		}
	}
	for _, l := range shipping {
		for _, r := range l.Rates {
			lines = append(lines, TaxLine{Rate: rateOf(r), Name: r.Name, Code: r.Code, ShippingMethodID: l.ShippingMethod.ID})
		}
	}
	return lines, nil
}

func rateOf(r TaxRate) float64 {
	if r.Rate == nil {
		return 0
	}
	return *r.Rate
}

// LogNotification is a notification provider for development: it writes each notification as
// one slog line (event, recipient and data, verbatim — data may hold tokens such as an invite's)
// and reports it sent.
type LogNotification struct {
	ID     string
	Logger *slog.Logger // nil: slog.Default()
}

var _ Notification = LogNotification{}

func (l LogNotification) logger() *slog.Logger {
	if l.Logger != nil {
		return l.Logger
	}
	return slog.Default()
}

// SendNotification logs the event; the recipient is the data's email, to or user_email.
func (l LogNotification) SendNotification(ctx context.Context, event string, data Data) (*Sent, error) {
	to := ""
	for _, k := range []string{"email", "to", "user_email"} {
		if s, ok := data[k].(string); ok && s != "" {
			to = s
			break
		}
	}
	l.logger().InfoContext(ctx, "notification", "provider", l.ID, "event", event, "to", to, "data", data)
	return &Sent{To: to, Status: "sent", Data: data}, nil
}

// ResendNotification logs the notification again, to cfg.To when set.
func (l LogNotification) ResendNotification(ctx context.Context, n *model.Notification, cfg ResendConfig) (*Sent, error) {
	to := n.To
	if cfg.To != nil {
		to = *cfg.To
	}
	event := ""
	if n.EventName != nil {
		event = *n.EventName
	}
	l.logger().InfoContext(ctx, "notification resent", "provider", l.ID, "event", event, "to", to, "notification", n.ID, "data", n.Data)
	return &Sent{To: to, Status: "sent", Data: n.Data}, nil
}
