package store

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
	"github.com/gorgon-commerce/gorgon/store/provider"
)

var defaultRegistry = sync.OnceValue(provider.Default)

// registry returns the providers this store serves.
func (s *Store) registry() *provider.Registry {
	if s.Providers != nil {
		return s.Providers
	}
	return defaultRegistry()
}

// UseProviders makes the store serve r's providers and record exactly r's ids as installed at
// start-up (EnsureDefaults). Call it before EnsureDefaults and before serving.
func (s *Store) UseProviders(r *provider.Registry) {
	s.Providers = r
	s.Config.Providers = ProvidersOf(r)
}

// ProvidersOf lists the provider ids r serves per slot, for Config.Providers, so that
// EnsureDefaults marks exactly those rows installed (the system payment and tax providers have no
// rows, as in Medusa).
func ProvidersOf(r *provider.Registry) Providers {
	return Providers{
		Payment:      r.Installed(provider.SlotPayment),
		Fulfillment:  r.Installed(provider.SlotFulfillment),
		Notification: r.Installed(provider.SlotNotification),
		Tax:          r.Installed(provider.SlotTax),
	}
}

// providerError turns a registry miss into Medusa's not_found error ("Could not find a
// fulfillment provider with id: x"); other provider failures are returned as they are.
func providerError(err error) error {
	var u *provider.UnknownError
	if errors.As(err, &u) {
		return &Error{Type: NotFound, Message: u.Error(), err: err}
	}
	return err
}

// ListPaymentProviders returns every payment provider row, installed or not (Medusa's
// paymentProviderService.list).
func (s *Store) ListPaymentProviders(ctx context.Context) ([]*model.PaymentProvider, error) {
	out := []*model.PaymentProvider{}
	if err := s.DB.NewSelect().Model(&out).OrderExpr("payment_provider.id ASC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list payment providers: %w", err)
	}
	return out, nil
}

// ListFulfillmentProviders returns every fulfillment provider row.
func (s *Store) ListFulfillmentProviders(ctx context.Context) ([]*model.FulfillmentProvider, error) {
	out := []*model.FulfillmentProvider{}
	if err := s.DB.NewSelect().Model(&out).OrderExpr("fulfillment_provider.id ASC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list fulfillment providers: %w", err)
	}
	return out, nil
}

// ListTaxProviders returns every tax provider row. Like Medusa 1.3.8 it does not add the system
// provider, which has no row (the admin dashboard adds it on its side).
func (s *Store) ListTaxProviders(ctx context.Context) ([]*model.TaxProvider, error) {
	out := []*model.TaxProvider{}
	if err := s.DB.NewSelect().Model(&out).OrderExpr("tax_provider.id ASC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list tax providers: %w", err)
	}
	return out, nil
}

// TaxProvidersByIDs returns the tax provider rows with the given ids, in one statement (for
// dataloaders); ids without a row (the system provider) are absent.
func (s *Store) TaxProvidersByIDs(ctx context.Context, ids []string) (map[string]*model.TaxProvider, error) {
	var ps []*model.TaxProvider
	if err := s.DB.NewSelect().Model(&ps).Where("tax_provider.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("tax providers by ids: %w", err)
	}
	out := make(map[string]*model.TaxProvider, len(ps))
	for _, p := range ps {
		out[p.ID] = p
	}
	return out, nil
}

// NotificationProvidersByIDs returns the notification provider rows with the given ids, in one
// statement (for dataloaders); ids without a row are absent.
func (s *Store) NotificationProvidersByIDs(ctx context.Context, ids []string) (map[string]*model.NotificationProvider, error) {
	var ps []*model.NotificationProvider
	if err := s.DB.NewSelect().Model(&ps).Where("notification_provider.id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("notification providers by ids: %w", err)
	}
	out := make(map[string]*model.NotificationProvider, len(ps))
	for _, p := range ps {
		out[p.ID] = p
	}
	return out, nil
}
