package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// CreateVariant adds a variant to a product (POST /admin/products/:id/variants): one value per
// product option, no live variant with the same values, rank after the existing variants.
func (s *Store) CreateVariant(ctx context.Context, productID string, in CreateVariantInput) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		return s.createVariant(ctx, tx, productID, in, map[string]string{})
	})
}

// createVariant is CreateVariant in tx; regions caches region currencies.
func (s *Store) createVariant(ctx context.Context, tx bun.Tx, productID string, in CreateVariantInput, regions map[string]string) error {
	if _, err := lockProduct(ctx, tx, productID); err != nil {
		return err
	}
	options, existing, err := productVariants(ctx, tx, productID)
	if err != nil {
		return err
	}
	_, err = s.insertVariant(ctx, tx, productID, options, existing, in, len(existing), regions)
	return err
}

// UpdateVariant changes a variant of a product (POST /admin/products/:id/variants/:variant_id).
func (s *Store) UpdateVariant(ctx context.Context, productID, variantID string, in UpdateVariantInput) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		return s.updateProductVariant(ctx, tx, productID, variantID, in, map[string]string{})
	})
}

// updateProductVariant is UpdateVariant in tx; regions caches region currencies.
func (s *Store) updateProductVariant(ctx context.Context, tx bun.Tx, productID, variantID string, in UpdateVariantInput, regions map[string]string) error {
	v := new(model.ProductVariant)
	err := tx.NewSelect().Model(v).Where("product_variant.id = ?", variantID).
		Where("product_variant.product_id = ?", productID).For("UPDATE").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return NotFoundf("Variant with id: %s was not found", variantID)
	}
	if err != nil {
		return fmt.Errorf("lock variant: %w", err)
	}
	return s.updateVariant(ctx, tx, v, in, nil, regions)
}

// updateVariant is Medusa's variant update: prices replaced (updateVariantPrices), option values
// changed, metadata merged, the other given fields set; rank sets variant_rank when not nil.
func (s *Store) updateVariant(ctx context.Context, tx bun.Tx, v *model.ProductVariant, in UpdateVariantInput, rank *int, regions map[string]string) error {
	if in.Prices != nil {
		if err := updateVariantPrices(ctx, tx, v.ID, in.Prices, regions); err != nil {
			return err
		}
	}
	for _, o := range in.Options {
		res, err := tx.NewRaw(`UPDATE product_option_value SET value = ?, updated_at = now()
			WHERE variant_id = ? AND option_id = ? AND deleted_at IS NULL`, o.Value, v.ID, o.OptionID).Exec(ctx)
		if err != nil {
			return formatDBError(err, "update option value")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return NotFoundf("Product option value not found")
		}
	}
	var cols []string
	if in.Metadata != nil {
		v.Metadata = mergeMetadata(v.Metadata, in.Metadata)
		cols = append(cols, "metadata")
	}
	setField(&v.InventoryQuantity, in.InventoryQuantity, "inventory_quantity", &cols)
	setField(&v.Title, in.Title, "title", &cols)
	setNullable(&v.SKU, in.SKU, "sku", &cols)
	setNullable(&v.EAN, in.EAN, "ean", &cols)
	setNullable(&v.UPC, in.UPC, "upc", &cols)
	setNullable(&v.Barcode, in.Barcode, "barcode", &cols)
	setNullable(&v.HSCode, in.HSCode, "hs_code", &cols)
	setField(&v.AllowBackorder, in.AllowBackorder, "allow_backorder", &cols)
	setField(&v.ManageInventory, in.ManageInventory, "manage_inventory", &cols)
	setNullable(&v.Weight, in.Weight, "weight", &cols)
	setNullable(&v.Length, in.Length, "length", &cols)
	setNullable(&v.Height, in.Height, "height", &cols)
	setNullable(&v.Width, in.Width, "width", &cols)
	setNullable(&v.OriginCountry, in.OriginCountry, "origin_country", &cols)
	setNullable(&v.MIDCode, in.MIDCode, "mid_code", &cols)
	setNullable(&v.Material, in.Material, "material", &cols)
	if rank != nil {
		setNullable(&v.VariantRank, &rank, "variant_rank", &cols)
	}
	if len(cols) > 0 {
		v.UpdatedAt = model.Now()
		if _, err := tx.NewUpdate().Model(v).Column(append(cols, "updated_at")...).WherePK().Exec(ctx); err != nil {
			return formatDBError(err, "update variant")
		}
	}
	return emit(ctx, tx, "product-variant.updated", map[string]any{"id": v.ID, "product_id": v.ProductID, "fields": in.Fields})
}

// sqlNotIn evaluates `x NOT IN (list)` under SQL's three-valued logic (nil is NULL) and reports
// whether it is true. Medusa's list of prices to delete is such a query built from the request,
// whose NULLs (a region price has no currency, a currency price no region) decide what goes.
func sqlNotIn(x *string, list []*string) bool {
	if len(list) == 0 {
		return true // TypeORM's Not(In([])) excludes nothing
	}
	if x == nil {
		return false
	}
	hasNull := false
	for _, l := range list {
		if l == nil {
			hasNull = true
		} else if *l == *x {
			return false
		}
	}
	return !hasNull
}

// updateVariantPrices is Medusa's updateVariantPrices: the variant's prices outside price lists
// whose currency is not among the request's currencies, or whose region is not among its
// regions, are deleted (SQL NOT IN semantics: a request mixing region and currency prices keeps
// every existing price, a request with no prices drops them all), and every requested price is
// set by region or currency. A price given only by id gets the amount when it is one of them.
func updateVariantPrices(ctx context.Context, tx bun.Tx, variantID string, prices []PriceInput, regions map[string]string) error {
	var current []*model.MoneyAmount
	if err := tx.NewSelect().Model(&current).Where("money_amount.variant_id = ?", variantID).
		Where("money_amount.price_list_id IS NULL").Scan(ctx); err != nil {
		return fmt.Errorf("variant prices: %w", err)
	}
	var currencies, regionIDs []*string
	for _, p := range prices {
		var c *string
		if p.CurrencyCode != nil {
			l := strings.ToLower(*p.CurrencyCode)
			c = &l
		}
		currencies = append(currencies, c)
		regionIDs = append(regionIDs, p.RegionID)
	}
	var obsolete []string
	for _, ma := range current {
		if sqlNotIn(&ma.CurrencyCode, currencies) || sqlNotIn(ma.RegionID, regionIDs) {
			obsolete = append(obsolete, ma.ID)
		}
	}
	for _, p := range prices {
		byID := p.ID != nil && (p.RegionID == nil || *p.RegionID == "") && (p.CurrencyCode == nil || *p.CurrencyCode == "")
		if !byID {
			if err := setVariantPrice(ctx, tx, variantID, p, regions); err != nil {
				return err
			}
			continue
		}
		res, err := tx.NewRaw(`UPDATE money_amount SET amount = ?, updated_at = now() WHERE id = ? AND variant_id = ?
			AND price_list_id IS NULL AND deleted_at IS NULL`, p.Amount, *p.ID, variantID).Exec(ctx)
		if err != nil {
			return formatDBError(err, "update price")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return NotFoundf("Money amount with id: %s was not found", *p.ID)
		}
	}
	if len(obsolete) > 0 {
		if _, err := tx.NewDelete().Model((*model.MoneyAmount)(nil)).Where("id IN (?)", bun.In(obsolete)).ForceDelete().Exec(ctx); err != nil {
			return formatDBError(err, "delete prices")
		}
	}
	return nil
}

// DeleteVariant soft-deletes a product's variant with its prices and option values; a missing
// variant is not an error (Medusa: delete is idempotent).
func (s *Store) DeleteVariant(ctx context.Context, productID, variantID string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		v := new(model.ProductVariant)
		err := tx.NewSelect().Model(v).Where("product_variant.id = ?", variantID).
			Where("product_variant.product_id = ?", productID).For("UPDATE").Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("lock variant: %w", err)
		}
		if err := softDeleteVariants(ctx, tx, "id = ?", variantID); err != nil {
			return err
		}
		return emit(ctx, tx, "product-variant.deleted", map[string]any{"id": v.ID, "product_id": v.ProductID, "metadata": v.Metadata})
	})
}

// SetProductMetadata sets one metadata key of a product (POST /admin/products/:id/metadata).
func (s *Store) SetProductMetadata(ctx context.Context, id, key, value string) (*model.Product, error) {
	return s.UpdateProduct(ctx, id, UpdateProductInput{Metadata: map[string]any{key: value}, Fields: []string{"metadata"}})
}

// AddProductOption adds an option to a product, giving every live variant the value
// "Default Value" for it; a second option with the same title is refused.
func (s *Store) AddProductOption(ctx context.Context, productID, title string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := lockProduct(ctx, tx, productID); err != nil {
			return err
		}
		options, variants, err := productVariants(ctx, tx, productID)
		if err != nil {
			return err
		}
		for _, o := range options {
			if o.Title == title {
				return Errorf(DuplicateError, "An option with the title: %s already exists", title)
			}
		}
		o := &model.ProductOption{ID: NewID("opt"), Title: title, ProductID: &productID}
		if _, err := tx.NewInsert().Model(o).Exec(ctx); err != nil {
			return formatDBError(err, "insert option")
		}
		if len(variants) > 0 {
			values := make([]*model.ProductOptionValue, len(variants))
			for i, v := range variants {
				values[i] = &model.ProductOptionValue{ID: NewID("optval"), Value: "Default Value", OptionID: o.ID, VariantID: v.ID}
			}
			if _, err := tx.NewInsert().Model(&values).Exec(ctx); err != nil {
				return formatDBError(err, "insert option values")
			}
		}
		return emit(ctx, tx, "product.updated", map[string]any{"id": productID})
	})
}

// UpdateProductOption renames a product's option; another option of the product with the same
// title (ignoring case) is refused with Medusa's not_found.
func (s *Store) UpdateProductOption(ctx context.Context, productID, optionID, title string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := lockProduct(ctx, tx, productID); err != nil {
			return err
		}
		options, _, err := productVariants(ctx, tx, productID)
		if err != nil {
			return err
		}
		var option *model.ProductOption
		for _, o := range options {
			if strings.EqualFold(o.Title, title) && o.ID != optionID {
				return NotFoundf("An option with title %s already exists", title)
			}
			if o.ID == optionID {
				option = o
			}
		}
		if option == nil {
			return NotFoundf("Option with id: %s does not exist", optionID)
		}
		if option.Title != title {
			_, err := tx.NewUpdate().Model(option).Set("title = ?", title).Set("updated_at = now()").WherePK().Exec(ctx)
			if err != nil {
				return formatDBError(err, "update option")
			}
		}
		return emit(ctx, tx, "product.updated", map[string]any{"id": productID})
	})
}

// DeleteProductOption soft-deletes a product's option, refused while the variants do not all
// have the same value for it (deleting it would leave duplicate variants). The variants keep
// their values for it, as in Medusa. A missing option is not an error.
func (s *Store) DeleteProductOption(ctx context.Context, productID, optionID string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := lockProduct(ctx, tx, productID); err != nil {
			return err
		}
		options, variants, err := productVariants(ctx, tx, productID)
		if err != nil {
			return err
		}
		found := false
		for _, o := range options {
			found = found || o.ID == optionID
		}
		if !found {
			return nil
		}
		valueOf := func(v *model.ProductVariant) *string {
			for _, ov := range v.Options {
				if ov.OptionID == optionID {
					return &ov.Value
				}
			}
			return nil
		}
		if len(variants) > 0 {
			first := valueOf(variants[0])
			for _, v := range variants[1:] {
				val := valueOf(v)
				if (val == nil) != (first == nil) || (val != nil && *val != *first) {
					return Invalidf("To delete an option, first delete all variants, such that when an option is deleted, no duplicate variants will exist.")
				}
			}
		}
		_, err = tx.NewRaw(`UPDATE product_option SET deleted_at = now(), updated_at = now() WHERE id = ?`, optionID).Exec(ctx)
		if err != nil {
			return fmt.Errorf("delete option: %w", err)
		}
		return emit(ctx, tx, "product.updated", map[string]any{"id": productID})
	})
}

// ListProductVariants lists a product's live variants by rank (GET /admin/products/:id/variants).
// Without p.Expand they come with their product, as Medusa's eager relation does.
func (s *Store) ListProductVariants(ctx context.Context, productID string, p Page) ([]*model.ProductVariant, int, error) {
	if p.Limit < 0 || p.Offset < 0 {
		return nil, 0, Invalidf("limit and offset must not be negative")
	}
	rels := p.Expand
	if len(rels) == 0 {
		rels = []string{"product"}
	}
	variants := []*model.ProductVariant{}
	q, err := s.applyWhere(s.DB.NewSelect().Model(&variants).Where("product_variant.product_id = ?", productID), "variant", p.Where)
	if err != nil {
		return nil, 0, err
	}
	q, err = s.variantRelations(q, rels)
	if err != nil {
		return nil, 0, err
	}
	n, err := q.OrderExpr("product_variant.variant_rank ASC NULLS LAST, product_variant.created_at ASC, product_variant.id ASC").
		Offset(int64(p.Offset)).Limit(int64(p.Limit)).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, dbError(err, "list variants")
	}
	FillRelations(s.DB, variants, rels)
	return variants, int(n), nil
}

// DefaultVariantRelations are Medusa's defaultAdminVariantRelations.
var DefaultVariantRelations = []string{"product", "prices", "options"}

// ListVariants is GET /admin/variants: live variants with their product, prices and option
// values, oldest first; q searches the variant's title and sku and its product's title.
func (s *Store) ListVariants(ctx context.Context, search *string, p Page) ([]*model.ProductVariant, int, error) {
	if p.Limit < 0 || p.Offset < 0 {
		return nil, 0, Invalidf("limit and offset must not be negative")
	}
	variants := []*model.ProductVariant{}
	q := s.DB.NewSelect().Model(&variants)
	if search != nil && *search != "" {
		like := "%" + *search + "%"
		// United id sets, one per searched column, so that each can use its trigram index
		// (migrations.Indexes); an OR with the product subquery scans every variant.
		q = q.Where(`product_variant.id IN (SELECT v.id FROM product_variant v WHERE v.title ILIKE ? OR v.sku ILIKE ?
			UNION SELECT v.id FROM product_variant v JOIN product p ON p.id = v.product_id
				WHERE p.deleted_at IS NULL AND p.title ILIKE ?)`, like, like, like)
	}
	q, err := s.applyWhere(q, "variant", p.Where)
	if err != nil {
		return nil, 0, err
	}
	q, err = s.variantRelations(q, DefaultVariantRelations)
	if err != nil {
		return nil, 0, err
	}
	n, err := q.OrderExpr("product_variant.created_at ASC, product_variant.id ASC").
		Offset(int64(p.Offset)).Limit(int64(p.Limit)).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, dbError(err, "list variants")
	}
	FillRelations(s.DB, variants, DefaultVariantRelations)
	return variants, int(n), nil
}

// variantRelations loads Medusa relation paths of variants on q, one query per level.
func (s *Store) variantRelations(q *bun.SelectQuery, rels []string) (*bun.SelectQuery, error) {
	names, err := Relations(s.DB, (*model.ProductVariant)(nil), rels)
	if err != nil {
		return nil, err
	}
	return addOrderedRelations(s.DB, q, (*model.ProductVariant)(nil), names), nil
}
