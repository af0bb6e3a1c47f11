package provider

import (
	"fmt"
	"sync"
)

// Slot is a kind of plugin Medusa resolves providers for.
type Slot string

// The provider slots, named like Medusa's provider tables (payment_provider, …).
const (
	SlotPayment      Slot = "payment"
	SlotFulfillment  Slot = "fulfillment"
	SlotTax          Slot = "tax"
	SlotNotification Slot = "notification"
)

// UnknownError reports a provider id the registry does not serve. Its message is Medusa's
// ("Could not find a fulfillment provider with id: x"); the store turns it into a not_found error.
type UnknownError struct {
	Slot Slot
	ID   string
}

func (e *UnknownError) Error() string {
	msg := fmt.Sprintf("Could not find a %s provider with id: %s", e.Slot, e.ID)
	if e.Slot == SlotNotification {
		msg += "." // Medusa's notification service words it with a full stop
	}
	return msg
}

// Registry maps provider ids to implementations, per slot. It is safe for concurrent use; it is
// normally filled once at start-up (New) and only read afterwards.
type Registry struct {
	mu           sync.RWMutex
	payment      map[string]Payment
	fulfillment  map[string]Fulfillment
	tax          map[string]Tax
	notification map[string]Notification
	// installed lists, per slot and in registration order, the ids that Medusa would record as
	// installed provider rows. The always-present system payment and tax providers are served
	// but not listed: Medusa 1.3.8 keeps no row for them either.
	installed map[Slot][]string
}

// NewRegistry returns a registry serving only Medusa's always-present providers: the system
// payment provider and the system tax provider.
func NewRegistry() *Registry {
	r := &Registry{
		payment:      map[string]Payment{},
		fulfillment:  map[string]Fulfillment{},
		tax:          map[string]Tax{},
		notification: map[string]Notification{},
		installed:    map[Slot][]string{},
	}
	r.payment["system"] = SystemPayment{}
	r.tax["system"] = SystemTax{}
	return r
}

func (r *Registry) markInstalled(slot Slot, id string) {
	for _, have := range r.installed[slot] {
		if have == id {
			return
		}
	}
	r.installed[slot] = append(r.installed[slot], id)
}

// RegisterPayment serves p as payment provider id (replacing any previous one).
func (r *Registry) RegisterPayment(id string, p Payment) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.payment[id] = p
	r.markInstalled(SlotPayment, id)
}

// RegisterFulfillment serves f as fulfillment provider id.
func (r *Registry) RegisterFulfillment(id string, f Fulfillment) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fulfillment[id] = f
	r.markInstalled(SlotFulfillment, id)
}

// RegisterTax serves t as tax provider id.
func (r *Registry) RegisterTax(id string, t Tax) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tax[id] = t
	r.markInstalled(SlotTax, id)
}

// RegisterNotification serves n as notification provider id.
func (r *Registry) RegisterNotification(id string, n Notification) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.notification[id] = n
	r.markInstalled(SlotNotification, id)
}

// Payment returns payment provider id, or an *UnknownError.
func (r *Registry) Payment(id string) (Payment, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if p, ok := r.payment[id]; ok {
		return p, nil
	}
	return nil, &UnknownError{Slot: SlotPayment, ID: id}
}

// Fulfillment returns fulfillment provider id, or an *UnknownError.
func (r *Registry) Fulfillment(id string) (Fulfillment, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if f, ok := r.fulfillment[id]; ok {
		return f, nil
	}
	return nil, &UnknownError{Slot: SlotFulfillment, ID: id}
}

// Tax returns tax provider id, or an *UnknownError. An empty id is the system provider, as
// Medusa uses it for regions without tax_provider_id.
func (r *Registry) Tax(id string) (Tax, error) {
	if id == "" {
		id = "system"
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if t, ok := r.tax[id]; ok {
		return t, nil
	}
	return nil, &UnknownError{Slot: SlotTax, ID: id}
}

// Notification returns notification provider id, or an *UnknownError.
func (r *Registry) Notification(id string) (Notification, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if n, ok := r.notification[id]; ok {
		return n, nil
	}
	return nil, &UnknownError{Slot: SlotNotification, ID: id}
}

// Installed lists the ids registered in slot, in registration order; never nil. These are the
// rows Medusa's defaults loader marks is_installed at start-up.
func (r *Registry) Installed(slot Slot) []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return append([]string{}, r.installed[slot]...)
}
