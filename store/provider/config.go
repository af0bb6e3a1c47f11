package provider

import (
	"fmt"
	"log/slog"
	"strings"
)

// Entry is one configured provider: the id it is served and recorded under (payment_provider.id
// …) and the built-in kind that implements it.
type Entry struct {
	ID   string
	Kind string
}

// Config lists the providers to serve per slot. Tax has no variable: the system tax provider is
// always served, as in Medusa.
type Config struct {
	Payment      []Entry
	Fulfillment  []Entry
	Notification []Entry
}

// DefaultConfig is a Medusa 1.3.8 shop with medusa-payment-manual and medusa-fulfillment-manual:
// payment and fulfillment provider "manual", no notification provider.
func DefaultConfig() Config {
	return Config{
		Payment:     []Entry{{ID: "manual", Kind: "manual"}},
		Fulfillment: []Entry{{ID: "manual", Kind: "manual"}},
	}
}

// The built-in kinds per slot; the first is the default kind.
var kinds = map[Slot][]string{
	SlotPayment:      {"manual", "system"},
	SlotFulfillment:  {"manual"},
	SlotNotification: {"log"},
}

// Variables read by ParseConfig.
const (
	EnvPayment      = "PAYMENT_PROVIDERS"
	EnvFulfillment  = "FULFILLMENT_PROVIDERS"
	EnvNotification = "NOTIFICATION_PROVIDERS"
)

// ParseConfig reads the provider configuration from the environment (env is os.Getenv or a test
// double):
//
//	PAYMENT_PROVIDERS       default "manual"
//	FULFILLMENT_PROVIDERS   default "manual"
//	NOTIFICATION_PROVIDERS  default none
//
// Each is a comma list of `id` or `id=kind`, kind being a built-in: manual or system for
// payment, manual for fulfillment, log for notification. A bare id that names a built-in kind
// uses that kind; any other bare id gets the slot's default kind (manual, manual, log), so
// `PAYMENT_PROVIDERS=manual,invoice` serves two manual payment providers. "none" means no
// provider in that slot. Errors name the variable.
func ParseConfig(env func(string) string) (Config, error) {
	var c Config
	var err error
	if c.Payment, err = parseList(env, EnvPayment, SlotPayment, "manual"); err != nil {
		return Config{}, err
	}
	if c.Fulfillment, err = parseList(env, EnvFulfillment, SlotFulfillment, "manual"); err != nil {
		return Config{}, err
	}
	if c.Notification, err = parseList(env, EnvNotification, SlotNotification, ""); err != nil {
		return Config{}, err
	}
	return c, nil
}

func parseList(env func(string) string, name string, slot Slot, def string) ([]Entry, error) {
	raw := strings.TrimSpace(env(name))
	if raw == "" {
		raw = def
	}
	out := []Entry{}
	if raw == "" || strings.EqualFold(raw, "none") {
		return out, nil
	}
	seen := map[string]bool{}
	for _, item := range strings.Split(raw, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		id, kind, hasKind := strings.Cut(item, "=")
		id, kind = strings.TrimSpace(id), strings.TrimSpace(kind)
		if id == "" || strings.ContainsAny(id, " \t=") {
			return nil, fmt.Errorf("%s: bad provider id in %q", name, item)
		}
		switch {
		case hasKind && !isKind(slot, kind):
			return nil, fmt.Errorf("%s: unknown kind %q for provider %q (built-in kinds: %s)", name, kind, id, strings.Join(kinds[slot], ", "))
		case !hasKind && isKind(slot, id):
			kind = id
		case !hasKind:
			kind = kinds[slot][0]
		}
		if seen[id] {
			return nil, fmt.Errorf("%s: provider %q is listed twice", name, id)
		}
		seen[id] = true
		out = append(out, Entry{ID: id, Kind: kind})
	}
	return out, nil
}

func isKind(slot Slot, k string) bool {
	for _, v := range kinds[slot] {
		if v == k {
			return true
		}
	}
	return false
}

// New builds the registry of c: the always-present system payment and tax providers plus every
// configured entry. logger is used by log notification providers (nil: slog.Default()).
func New(c Config, logger *slog.Logger) *Registry {
	r := NewRegistry()
	for _, e := range c.Payment {
		switch e.Kind {
		case "system":
			r.RegisterPayment(e.ID, SystemPayment{})
		default:
			r.RegisterPayment(e.ID, ManualPayment{})
		}
	}
	for _, e := range c.Fulfillment {
		r.RegisterFulfillment(e.ID, ManualFulfillment{})
	}
	for _, e := range c.Notification {
		r.RegisterNotification(e.ID, LogNotification{ID: e.ID, Logger: logger})
	}
	return r
}

// Default is the registry of DefaultConfig.
func Default() *Registry { return New(DefaultConfig(), nil) }
