// Package provider holds Gorgon's plugin slots, shaped after Medusa 1.3.8's provider interfaces:
// fulfillment (medusa-interfaces FulfillmentService), payment (AbstractPaymentService), tax
// (AbstractTaxService) and notification (AbstractNotificationService). A Registry maps provider
// ids to implementations per slot; the built-ins are Medusa's manual fulfillment and payment
// plugins, its system payment and tax providers, and a notification provider that logs.
//
// The package depends on store/model only (never on store), so the store can hold a Registry.
package provider

import (
	"context"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// Data is the free-form JSON object Medusa hands to and receives from providers (shipping option
// data, payment session data, fulfillment data…).
type Data = map[string]any

// Fulfillment is Medusa's FulfillmentService: it describes the shipping options a provider offers
// and ships orders and returns.
type Fulfillment interface {
	// FulfillmentOptions lists the options an admin can build shipping options from
	// (getFulfillmentOptions), e.g. {"id": "manual-fulfillment"}.
	FulfillmentOptions(ctx context.Context) ([]Data, error)
	// ValidateFulfillmentData checks the data a customer sends with a shipping method for the
	// option (optionData) and returns the data to store on the method.
	ValidateFulfillmentData(ctx context.Context, optionData, data Data, cart *model.Cart) (Data, error)
	// ValidateOption checks a shipping option's data when an admin creates or updates it.
	ValidateOption(ctx context.Context, optionData Data) (bool, error)
	// CanCalculate reports whether the provider prices options of this data itself
	// (price_type "calculated").
	CanCalculate(ctx context.Context, optionData Data) (bool, error)
	// CalculatePrice prices a calculated shipping option for a cart, in minor units.
	CalculatePrice(ctx context.Context, optionData, data Data, cart *model.Cart) (int, error)
	// CreateFulfillment ships items and returns the data to store on the fulfillment.
	CreateFulfillment(ctx context.Context, req FulfillmentRequest) (Data, error)
	// CancelFulfillment cancels a fulfillment given its stored data.
	CancelFulfillment(ctx context.Context, fulfillmentData Data) (Data, error)
	// CreateReturn books a return shipment and returns the data to store on the return's
	// shipping method.
	CreateReturn(ctx context.Context, ret *model.Return) (Data, error)
}

// FulfillmentRequest is what createFulfillment receives: the shipping method's data, the items to
// ship, the order (or the swap's or claim's order) and the fulfillment being created.
type FulfillmentRequest struct {
	MethodData  Data
	Items       []*model.LineItem
	Order       *model.Order
	Fulfillment *model.Fulfillment
}

// PaymentStatus is Medusa's PaymentSessionStatus.
type PaymentStatus string

// Medusa's payment session statuses.
const (
	PaymentAuthorized   PaymentStatus = "authorized"
	PaymentPending      PaymentStatus = "pending"
	PaymentRequiresMore PaymentStatus = "requires_more"
	PaymentError        PaymentStatus = "error"
	PaymentCanceled     PaymentStatus = "canceled"
)

// Authorization is the result of authorizePayment: the new session status and data.
type Authorization struct {
	Status PaymentStatus
	Data   Data
}

// Payment is Medusa's AbstractPaymentService: payment sessions on carts, and the payments of
// orders.
type Payment interface {
	// CreatePayment opens a payment session for a cart and returns its data.
	CreatePayment(ctx context.Context, cart *model.Cart) (Data, error)
	// RetrievePayment returns the provider's view of a payment.
	RetrievePayment(ctx context.Context, paymentData Data) (Data, error)
	// UpdatePayment refreshes a session after the cart changed.
	UpdatePayment(ctx context.Context, sessionData Data, cart *model.Cart) (Data, error)
	// UpdatePaymentData applies data sent by the storefront to a session.
	UpdatePaymentData(ctx context.Context, sessionData, update Data) (Data, error)
	// GetPaymentData returns the data to store on the payment created from a session.
	GetPaymentData(ctx context.Context, session *model.PaymentSession) (Data, error)
	// AuthorizePayment authorizes a session; context carries Medusa's ip/idempotency data.
	AuthorizePayment(ctx context.Context, session *model.PaymentSession, context Data) (Authorization, error)
	// CapturePayment captures an authorized payment.
	CapturePayment(ctx context.Context, payment *model.Payment) (Data, error)
	// RefundPayment refunds amount (minor units) of a captured payment.
	RefundPayment(ctx context.Context, payment *model.Payment, amount int) (Data, error)
	// CancelPayment cancels a payment that was not captured.
	CancelPayment(ctx context.Context, payment *model.Payment) (Data, error)
	// DeletePayment drops a session that is no longer used.
	DeletePayment(ctx context.Context, session *model.PaymentSession) error
	// GetStatus reads a session's status from its data.
	GetStatus(ctx context.Context, sessionData Data) (PaymentStatus, error)
	// RetrieveSavedMethods lists a customer's saved payment methods (none for most providers).
	RetrieveSavedMethods(ctx context.Context, customer *model.Customer) ([]Data, error)
}

// TaxRate is one rate that applies to a line item or shipping method (Medusa's TaxServiceRate);
// Rate is in percent, nil meaning 0.
type TaxRate struct {
	Rate *float64
	Name string
	Code *string
}

// ItemTaxLines is a line item with the rates that apply to it (ItemTaxCalculationLine).
type ItemTaxLines struct {
	Item  *model.LineItem
	Rates []TaxRate
}

// ShippingTaxLines is a shipping method with the rates that apply to it
// (ShippingTaxCalculationLine).
type ShippingTaxLines struct {
	ShippingMethod *model.ShippingMethod
	Rates          []TaxRate
}

// Allocation is an amount (minor units) of a discount or gift card allocated to a line item.
type Allocation struct {
	Amount     int
	UnitAmount int
}

// LineAllocation is what discounts and gift cards take off one line item (LineAllocationsMap).
type LineAllocation struct {
	GiftCard *Allocation
	Discount *Allocation
}

// TaxContext is Medusa's TaxCalculationContext.
type TaxContext struct {
	ShippingAddress *model.Address
	Customer        *model.Customer
	Region          *model.Region
	IsReturn        bool
	ShippingMethods []*model.ShippingMethod
	// Allocations maps line item ids to their allocations.
	Allocations map[string]LineAllocation
}

// TaxLine is a computed tax line (ProviderTaxLine): for a line item when ItemID is set, for a
// shipping method when ShippingMethodID is set. Rate is in percent.
type TaxLine struct {
	Rate             float64
	Name             string
	Code             *string
	ItemID           string
	ShippingMethodID string
	Metadata         Data
}

// Tax is Medusa's AbstractTaxService.
type Tax interface {
	// TaxLines computes the tax lines of items and shipping methods (getTaxLines).
	TaxLines(ctx context.Context, items []ItemTaxLines, shipping []ShippingTaxLines, c TaxContext) ([]TaxLine, error)
}

// Sent is what a notification provider reports after sending: the recipient, a status and the
// data to keep for resends. A nil *Sent means the provider chose not to send anything.
type Sent struct {
	To     string
	Status string
	Data   Data
}

// ResendConfig overrides parts of a notification when it is sent again.
type ResendConfig struct {
	// To, when set, replaces the original recipient.
	To *string
}

// Notification is Medusa's AbstractNotificationService.
type Notification interface {
	// SendNotification handles an event (e.g. "order.placed") with its data.
	SendNotification(ctx context.Context, event string, data Data) (*Sent, error)
	// ResendNotification sends a recorded notification again.
	ResendNotification(ctx context.Context, n *model.Notification, cfg ResendConfig) (*Sent, error)
}
