package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/gorgon-commerce/gorgon/store"
)

// seedRegion is a region of Medusa's seed format. Its id is only a name that the seed's
// shipping options refer to; the real id is generated, as `medusa seed` does.
type seedRegion struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	CurrencyCode         string         `json:"currency_code"`
	TaxRate              float64        `json:"tax_rate"`
	TaxCode              *string        `json:"tax_code"`
	PaymentProviders     []string       `json:"payment_providers"`
	FulfillmentProviders []string       `json:"fulfillment_providers"`
	Countries            []string       `json:"countries"`
	Metadata             map[string]any `json:"metadata"`
}

// seedRegions creates the seed's regions and returns seed id → real id.
func seedRegions(ctx context.Context, s *store.Store, regions []json.RawMessage) (map[string]string, error) {
	ids := map[string]string{}
	for _, raw := range regions {
		var r seedRegion
		if err := json.Unmarshal(raw, &r); err != nil {
			return nil, fmt.Errorf("seed region: %w", err)
		}
		reg, err := s.CreateRegion(ctx, store.CreateRegionInput{Name: r.Name, CurrencyCode: r.CurrencyCode, TaxRate: r.TaxRate,
			TaxCode: r.TaxCode, PaymentProviders: r.PaymentProviders, FulfillmentProviders: r.FulfillmentProviders,
			Countries: r.Countries, Metadata: r.Metadata})
		if err != nil {
			return nil, fmt.Errorf("seed region %s: %w", r.Name, err)
		}
		if r.ID != "" {
			ids[r.ID] = reg.ID
		}
	}
	return ids, nil
}
