package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/gorgon-commerce/gorgon/store"
)

// seedShippingOption is a shipping option of Medusa's seed format; region_id names a seed region.
type seedShippingOption struct {
	Name         string         `json:"name"`
	RegionID     string         `json:"region_id"`
	ProviderID   string         `json:"provider_id"`
	Data         map[string]any `json:"data"`
	PriceType    string         `json:"price_type"`
	Amount       *int           `json:"amount"`
	IsReturn     bool           `json:"is_return"`
	AdminOnly    bool           `json:"admin_only"`
	IsGiftcard   bool           `json:"is_giftcard"`
	Metadata     map[string]any `json:"metadata"`
	Requirements []struct {
		Type   string `json:"type"`
		Amount int    `json:"amount"`
	} `json:"requirements"`
}

func seedShippingOptions(ctx context.Context, s *store.Store, opts []json.RawMessage, regionIDs map[string]string) error {
	for _, raw := range opts {
		var o seedShippingOption
		if err := json.Unmarshal(raw, &o); err != nil {
			return fmt.Errorf("seed shipping option: %w", err)
		}
		region := o.RegionID
		if id, ok := regionIDs[region]; ok {
			region = id
		}
		in := store.CreateShippingOptionInput{Name: o.Name, RegionID: region, ProviderID: o.ProviderID, Data: o.Data,
			PriceType: o.PriceType, Amount: o.Amount, IsReturn: o.IsReturn, AdminOnly: o.AdminOnly, Metadata: o.Metadata}
		if o.IsGiftcard { // as `medusa seed`: gift card options go to the gift card profile
			id, err := s.ShippingProfileIDByType(ctx, "gift_card")
			if err != nil {
				return err
			}
			in.ProfileID = &id
		}
		for _, r := range o.Requirements {
			in.Requirements = append(in.Requirements, store.ShippingRequirementInput{Type: r.Type, Amount: r.Amount})
		}
		if _, err := s.CreateShippingOption(ctx, in); err != nil {
			return fmt.Errorf("seed shipping option %s: %w", o.Name, err)
		}
	}
	return nil
}

// seedProduct is a product of Medusa's seed format (the shape of POST /admin/products).
type seedProduct struct {
	Title        string         `json:"title"`
	Subtitle     *string        `json:"subtitle"`
	Description  *string        `json:"description"`
	Handle       *string        `json:"handle"`
	Status       *string        `json:"status"`
	IsGiftcard   bool           `json:"is_giftcard"`
	Discountable *bool          `json:"discountable"`
	Thumbnail    *string        `json:"thumbnail"`
	Images       []string       `json:"images"`
	CollectionID *string        `json:"collection_id"`
	Weight       *int           `json:"weight"`
	Length       *int           `json:"length"`
	Height       *int           `json:"height"`
	Width        *int           `json:"width"`
	Material     *string        `json:"material"`
	Metadata     map[string]any `json:"metadata"`
	Type         *struct {
		Value string `json:"value"`
	} `json:"type"`
	Tags []struct {
		Value string `json:"value"`
	} `json:"tags"`
	Options []struct {
		Title string `json:"title"`
	} `json:"options"`
	Variants []struct {
		Title             string  `json:"title"`
		SKU               *string `json:"sku"`
		EAN               *string `json:"ean"`
		UPC               *string `json:"upc"`
		Barcode           *string `json:"barcode"`
		InventoryQuantity int     `json:"inventory_quantity"`
		ManageInventory   *bool   `json:"manage_inventory"`
		AllowBackorder    *bool   `json:"allow_backorder"`
		Prices            []struct {
			CurrencyCode *string `json:"currency_code"`
			RegionID     *string `json:"region_id"`
			Amount       int     `json:"amount"`
		} `json:"prices"`
		Options []struct {
			Value string `json:"value"`
		} `json:"options"`
	} `json:"variants"`
}

func seedProducts(ctx context.Context, s *store.Store, products []json.RawMessage, regionIDs map[string]string) error {
	for _, raw := range products {
		var p seedProduct
		if err := json.Unmarshal(raw, &p); err != nil {
			return fmt.Errorf("seed product: %w", err)
		}
		in := store.CreateProductInput{Title: p.Title, Subtitle: p.Subtitle, Description: p.Description, Handle: p.Handle,
			Status: p.Status, IsGiftcard: p.IsGiftcard, Discountable: true, Thumbnail: p.Thumbnail, Images: p.Images,
			CollectionID: p.CollectionID, Weight: p.Weight, Length: p.Length, Height: p.Height, Width: p.Width,
			Material: p.Material, Metadata: p.Metadata}
		if p.Discountable != nil {
			in.Discountable = *p.Discountable
		}
		if p.Type != nil {
			in.Type = &store.ProductTypeInput{Value: p.Type.Value}
		}
		for _, t := range p.Tags {
			in.Tags = append(in.Tags, store.ProductTagInput{Value: t.Value})
		}
		for _, o := range p.Options {
			in.Options = append(in.Options, o.Title)
		}
		for _, v := range p.Variants {
			cv := store.CreateVariantInput{Title: v.Title, SKU: v.SKU, EAN: v.EAN, UPC: v.UPC, Barcode: v.Barcode,
				InventoryQuantity: v.InventoryQuantity, ManageInventory: v.ManageInventory, AllowBackorder: v.AllowBackorder}
			for _, pr := range v.Prices {
				region := pr.RegionID
				if region != nil {
					if id, ok := regionIDs[*region]; ok {
						region = &id
					}
				}
				cv.Prices = append(cv.Prices, store.PriceInput{CurrencyCode: pr.CurrencyCode, RegionID: region, Amount: pr.Amount})
			}
			for _, o := range v.Options {
				cv.Options = append(cv.Options, store.VariantOptionInput{Value: o.Value})
			}
			in.Variants = append(in.Variants, cv)
		}
		if _, err := s.CreateProduct(ctx, in); err != nil {
			return fmt.Errorf("seed product %s: %w", p.Title, err)
		}
	}
	return nil
}
