package gqlmodel

import (
	"context"
	"fmt"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

// Store is the GraphQL Store: the store's row (its columns and loaded currencies, promoted from
// model.Store) plus methods for what GET /admin/store adds, read only when a query asks.
//
// It is a wrapper rather than model.Store with field resolvers because gqlgen would then add a
// Store() method to graph.Resolver, which already has the field Store (the data store).
type Store struct {
	*model.Store
	data *store.Store
}

// NewStore wraps a store row read by s (with its currencies loaded).
func NewStore(st *model.Store, s *store.Store) *Store {
	if st == nil {
		return nil
	}
	return &Store{Store: st, data: s}
}

// DefaultSalesChannelID is the default sales channel's id; null while the sales channels flag is
// off (the store then does not read the column, as Medusa does not).
func (st *Store) DefaultSalesChannelID() *string { return st.Store.DefaultSalesChannelID.ID }

// DefaultCurrency is the joined default currency when the read loaded it, else found among the
// currencies, else read.
func (st *Store) DefaultCurrency(ctx context.Context) (*model.Currency, error) {
	if st.Store.DefaultCurrency != nil {
		return st.Store.DefaultCurrency, nil
	}
	for _, c := range st.Currencies {
		if c.Code == st.DefaultCurrencyCode {
			return c, nil
		}
	}
	cs, err := st.data.CurrenciesByCodes(ctx, []string{st.DefaultCurrencyCode})
	if err != nil {
		return nil, err
	}
	if c := cs[st.DefaultCurrencyCode]; c != nil {
		return c, nil
	}
	return nil, fmt.Errorf("default currency %s of the store not found", st.DefaultCurrencyCode)
}

// FeatureFlags are Medusa 1.3.8's feature flags and their state.
func (st *Store) FeatureFlags() []store.FeatureFlag { return st.data.FeatureFlags() }

// PaymentProviders lists every payment provider row, installed or not.
func (st *Store) PaymentProviders(ctx context.Context) ([]*model.PaymentProvider, error) {
	return st.data.ListPaymentProviders(ctx)
}

// FulfillmentProviders lists every fulfillment provider row, installed or not.
func (st *Store) FulfillmentProviders(ctx context.Context) ([]*model.FulfillmentProvider, error) {
	return st.data.ListFulfillmentProviders(ctx)
}

// TaxProviders lists the tax provider rows (not the system provider, which has none).
func (st *Store) TaxProviders(ctx context.Context) ([]*model.TaxProvider, error) {
	return st.data.ListTaxProviders(ctx)
}
