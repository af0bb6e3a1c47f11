package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// ProductTypeInput is Medusa's ProductTypeReq: a type by value, created when no live type has
// that value (the id is not used, as in Medusa's upsertType).
type ProductTypeInput struct {
	ID    *string
	Value string
}

// ProductTagInput is Medusa's ProductTagReq: a tag by value, created (with the given id, if any)
// when no live tag has that value.
type ProductTagInput struct {
	ID    *string
	Value string
}

// CreateProductInput is Medusa's AdminPostProductsReq (after its defaults: Discountable true).
type CreateProductInput struct {
	Title        string
	Subtitle     *string
	Description  *string
	IsGiftcard   bool
	Discountable bool
	Images       []string
	Thumbnail    *string
	Handle       *string
	Status       *string
	Type         *ProductTypeInput
	CollectionID *string
	Tags         []ProductTagInput
	// SalesChannels are sales channel ids; nil when not given (then none are linked, as in
	// Medusa 1.3.8). Only used with the sales channels feature.
	SalesChannels []string
	Options       []string // option titles
	// Variants give their option values in the order of Options (OptionID is not used).
	Variants      []CreateVariantInput
	Weight        *int
	Length        *int
	Height        *int
	Width         *int
	HSCode        *string
	OriginCountry *string
	MIDCode       *string
	Material      *string
	Metadata      map[string]any
	// ExternalID is not in Medusa's admin request; its product import sets it (Product External ID).
	ExternalID *string
}

// UpdateProductInput is Medusa's AdminPostProductsProductReq. A nil field is left as it is; for
// nullable columns a pointer to nil clears the column.
type UpdateProductInput struct {
	Title        *string
	Subtitle     **string
	Description  **string
	Discountable *bool
	Images       []string // nil: unchanged; otherwise the product's images, in order
	Thumbnail    **string
	Handle       **string
	Status       *string
	Type         **ProductTypeInput // pointer to nil: no type
	CollectionID **string
	Tags         []ProductTagInput // nil: unchanged
	// SalesChannels replaces the product's sales channels when not nil (a pointer to nil or to
	// an empty list removes them all).
	SalesChannels *[]string
	// Variants, when not nil, are all the product's variants afterwards: those with an id are
	// updated, the others created, and the product's variants not listed are deleted.
	Variants      []UpdateVariantInput
	Weight        **int
	Length        **int
	Height        **int
	Width         **int
	HSCode        **string
	OriginCountry **string
	MIDCode       **string
	Material      **string
	Metadata      map[string]any
	// ExternalID is set by the product import only (Medusa's admin request has no external_id).
	ExternalID **string
	// Fields are the request's properties, announced in the product.updated event.
	Fields []string
}

// PriceInput is a variant price: by currency or by region (whose currency it takes), with an
// optional quantity range. ID is accepted on updates as Medusa does, which then keys prices by
// currency or region only.
type PriceInput struct {
	ID           *string
	RegionID     *string
	CurrencyCode *string
	Amount       int
	MinQuantity  *int
	MaxQuantity  *int
}

// VariantOptionInput is a variant's value for one product option.
type VariantOptionInput struct {
	OptionID string
	Value    string
}

// CreateVariantInput is Medusa's AdminPostProductsProductVariantsReq (and a variant of a product
// create or update without id).
type CreateVariantInput struct {
	Title             string
	SKU               *string
	EAN               *string
	UPC               *string
	Barcode           *string
	HSCode            *string
	InventoryQuantity int
	AllowBackorder    *bool
	ManageInventory   *bool
	Weight            *int
	Length            *int
	Height            *int
	Width             *int
	OriginCountry     *string
	MIDCode           *string
	Material          *string
	Metadata          map[string]any
	Prices            []PriceInput
	Options           []VariantOptionInput
}

// UpdateVariantInput is Medusa's AdminPostProductsProductVariantsVariantReq (and a variant of a
// product update). Nil fields are left; for nullable columns a pointer to nil clears them.
type UpdateVariantInput struct {
	ID                *string // product update only: the variant to update; nil creates one
	Title             *string
	SKU               **string
	EAN               **string
	UPC               **string
	Barcode           **string
	HSCode            **string
	InventoryQuantity *int
	AllowBackorder    *bool
	ManageInventory   *bool
	Weight            **int
	Length            **int
	Height            **int
	Width             **int
	OriginCountry     **string
	MIDCode           **string
	Material          **string
	Metadata          map[string]any
	// Prices, when not nil, replace the variant's prices outside price lists the way Medusa's
	// updateVariantPrices does.
	Prices  []PriceInput
	Options []VariantOptionInput
	Fields  []string
}

// CreateProduct creates a product with its images, tags, type, sales channels, options and
// variants (with option values and prices) in one transaction, as Medusa's POST /admin/products.
//
// Its writes go to PostgreSQL as one script (script.go), which PostgreSQL runs as one
// transaction: the lookups a request needs (existing images, tags, type, the currencies of the
// regions its prices name) come first, one statement each and none for a request without them,
// then every insert and the events in one round trip, then the answer's read.
func (s *Store) CreateProduct(ctx context.Context, in CreateProductInput) (*model.Product, error) {
	id, err := s.createProduct(ctx, s.DB, in)
	if err != nil {
		return nil, err
	}
	return s.GetProduct(ctx, id, nil)
}

// createProduct is CreateProduct on db: the database (the script is its transaction) or a
// transaction (a product import creates its products in batches, each batch one transaction);
// it returns the new product's id.
func (s *Store) createProduct(ctx context.Context, tx bun.IDB, in CreateProductInput) (string, error) {
	if in.Status != nil && !ValidProductStatus(*in.Status) {
		return "", Invalidf("status must be a valid enum value")
	}
	p := &model.Product{
		ID: NewID("prod"), Title: in.Title, Subtitle: in.Subtitle, Description: in.Description, IsGiftcard: in.IsGiftcard,
		Discountable: in.Discountable, Thumbnail: in.Thumbnail, Handle: in.Handle, Status: "draft",
		CollectionID: in.CollectionID, Weight: in.Weight, Length: in.Length, Height: in.Height, Width: in.Width,
		HSCode: in.HSCode, OriginCountry: in.OriginCountry, MIDCode: in.MIDCode, Material: in.Material, Metadata: in.Metadata,
		ExternalID: in.ExternalID,
	}
	if in.Status != nil {
		p.Status = *in.Status
	}
	if (p.Thumbnail == nil || *p.Thumbnail == "") && len(in.Images) > 0 {
		p.Thumbnail = &in.Images[0]
	}
	// A gift card is never discountable.
	if p.IsGiftcard {
		p.Discountable = false
	}
	if p.Handle == nil || *p.Handle == "" {
		h := ProductHandle(p.Title)
		p.Handle = &h
	}
	profile := "default"
	if p.IsGiftcard {
		profile = "gift_card"
	}
	err := func() error {
		// The lookups, then one script: the type first (the product refers to it), the product,
		// then what refers to it.
		regions, err := variantRegionCurrencies(ctx, tx, in.Variants)
		if err != nil {
			return err
		}
		var sc script
		if in.Type != nil {
			if p.TypeID, err = upsertType(ctx, tx, &sc, in.Type); err != nil {
				return err
			}
		}
		// The shipping profile is looked up by the insert itself; without one the column stays
		// null, which PostgreSQL refuses (see below).
		sc.add(tx.NewInsert().Model(p).Value("profile_id",
			"(SELECT id FROM shipping_profile WHERE type = ? AND deleted_at IS NULL ORDER BY created_at LIMIT 1)", profile))
		images, err := upsertImages(ctx, tx, &sc, in.Images)
		if err != nil {
			return err
		}
		tags, err := upsertTags(ctx, tx, &sc, in.Tags)
		if err != nil {
			return err
		}
		linkProduct(tx, &sc, "product_images", "image_id", p.ID, imageIDs(images))
		linkProduct(tx, &sc, "product_tags", "product_tag_id", p.ID, tagIDs(tags))
		if s.Config.FeatureSalesChannels && in.SalesChannels != nil {
			linkProduct(tx, &sc, "product_sales_channel", "sales_channel_id", p.ID, in.SalesChannels)
		}
		options := make([]*model.ProductOption, len(in.Options))
		for i, title := range in.Options {
			options[i] = &model.ProductOption{ID: NewID("opt"), Title: title, ProductID: &p.ID}
		}
		if len(options) > 0 {
			sc.add(tx.NewInsert().Model(&options))
		}
		// A variant's values map to the options by position; Medusa finds each position's
		// option by its title, so a repeated title maps to its first option.
		optionIDs := make([]string, len(in.Options))
		for i, title := range in.Options {
			for _, o := range options {
				if o.Title == title {
					optionIDs[i] = o.ID
					break
				}
			}
		}
		built := make([]*newVariant, len(in.Variants))
		for i, v := range in.Variants {
			v.Options = append([]VariantOptionInput(nil), v.Options...)
			for j := range v.Options {
				v.Options[j].OptionID = ""
				if j < len(optionIDs) {
					v.Options[j].OptionID = optionIDs[j]
				}
			}
			// Medusa creates the variants concurrently, each checking for duplicates before
			// any is saved: a product's initial variants are not checked against each other.
			if built[i], err = buildVariant(ctx, tx, p.ID, options, nil, v, i, regions); err != nil {
				return err
			}
		}
		events := addVariants(tx, &sc, built)
		events = append(events, event{"product.created", map[string]any{"id": p.ID}})
		q, err := emitAllQuery(tx, events)
		if err != nil {
			return err
		}
		sc.add(q)
		if err := sc.exec(ctx, tx, "insert product"); err != nil {
			var pg *pgconn.PgError
			if errors.As(err, &pg) && pg.Code == "23502" && pg.TableName == "product" && pg.ColumnName == "profile_id" {
				return Invalidf("No %s shipping profile exists", profile)
			}
			return err
		}
		return nil
	}()
	if err != nil {
		return "", err
	}
	return p.ID, nil
}

// variantRegionCurrencies looks up, in one statement, the currencies of the live regions that variants'
// prices name (a cache for regionCurrency; a region not found is left to it, which refuses it
// where Medusa does).
func variantRegionCurrencies(ctx context.Context, db bun.IDB, variants []CreateVariantInput) (map[string]string, error) {
	regions := map[string]string{}
	var ids []string
	for _, v := range variants {
		for _, p := range v.Prices {
			if p.RegionID != nil && *p.RegionID != "" {
				ids = append(ids, *p.RegionID)
			}
		}
	}
	if len(ids) == 0 {
		return regions, nil
	}
	var rows []struct {
		ID           string `bun:"id"`
		CurrencyCode string `bun:"currency_code"`
	}
	if err := db.NewSelect().Model((*model.Region)(nil)).Column("id", "currency_code").Where("id IN (?)", bun.In(ids)).Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("find regions: %w", err)
	}
	for _, r := range rows {
		regions[r.ID] = r.CurrencyCode
	}
	return regions, nil
}

// upsertImages returns an image per URL: a live image with that URL, or a new one (inserted by sc).
func upsertImages(ctx context.Context, tx bun.IDB, sc *script, urls []string) ([]*model.Image, error) {
	if len(urls) == 0 {
		return nil, nil
	}
	var existing []*model.Image
	if err := tx.NewSelect().Model(&existing).Where("image.url IN (?)", bun.In(urls)).OrderExpr("image.ctid").Scan(ctx); err != nil {
		return nil, fmt.Errorf("find images: %w", err)
	}
	byURL := map[string]*model.Image{}
	for _, img := range existing {
		if _, ok := byURL[img.URL]; !ok {
			byURL[img.URL] = img
		}
	}
	out := make([]*model.Image, len(urls))
	var created []*model.Image
	for i, u := range urls {
		if img, ok := byURL[u]; ok {
			out[i] = img
			continue
		}
		out[i] = &model.Image{ID: NewID("img"), URL: u}
		created = append(created, out[i])
	}
	if len(created) > 0 {
		sc.add(tx.NewInsert().Model(&created))
	}
	return out, nil
}

// upsertTags returns a tag per input: a live tag with that value, or a new one (inserted by sc,
// one for each input not found, in order).
func upsertTags(ctx context.Context, tx bun.IDB, sc *script, in []ProductTagInput) ([]*model.ProductTag, error) {
	if len(in) == 0 {
		return nil, nil
	}
	values := make([]string, len(in))
	for i, t := range in {
		values[i] = t.Value
	}
	var existing []*model.ProductTag
	if err := tx.NewSelect().Model(&existing).Where("product_tag.value IN (?)", bun.In(values)).OrderExpr("product_tag.ctid").Scan(ctx); err != nil {
		return nil, fmt.Errorf("find tags: %w", err)
	}
	byValue := map[string]*model.ProductTag{}
	for _, t := range existing {
		if _, ok := byValue[t.Value]; !ok {
			byValue[t.Value] = t
		}
	}
	out := make([]*model.ProductTag, len(in))
	var created []*model.ProductTag
	for i, t := range in {
		if tag, ok := byValue[t.Value]; ok {
			out[i] = tag
			continue
		}
		tag := &model.ProductTag{ID: NewID("ptag"), Value: t.Value}
		if t.ID != nil && *t.ID != "" {
			tag.ID = *t.ID
		}
		created = append(created, tag)
		out[i] = tag
	}
	if len(created) > 0 {
		sc.add(tx.NewInsert().Model(&created))
	}
	return out, nil
}

// upsertType returns the id of the live type with the value, created (by sc) when there is none.
func upsertType(ctx context.Context, tx bun.IDB, sc *script, in *ProductTypeInput) (*string, error) {
	t := new(model.ProductType)
	err := tx.NewSelect().Model(t).Where("product_type.value = ?", in.Value).OrderExpr("product_type.ctid").Limit(1).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		t = &model.ProductType{ID: NewID("ptyp"), Value: in.Value}
		sc.add(tx.NewInsert().Model(t))
	} else if err != nil {
		return nil, fmt.Errorf("find product type: %w", err)
	}
	return &t.ID, nil
}

func imageIDs(images []*model.Image) []string {
	ids := make([]string, len(images))
	for i, img := range images {
		ids[i] = img.ID
	}
	return ids
}

func tagIDs(tags []*model.ProductTag) []string {
	ids := make([]string, len(tags))
	for i, t := range tags {
		ids[i] = t.ID
	}
	return ids
}

// linkProduct adds to sc the insert of the join rows product → ids, in order, once each.
func linkProduct(tx bun.IDB, sc *script, table, column, productID string, ids []string) {
	seen := map[string]bool{}
	var values strings.Builder
	var args []any
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		if len(args) > 0 {
			values.WriteString(", ")
		}
		values.WriteString("(?, ?)")
		args = append(args, productID, id)
	}
	if len(args) > 0 {
		sc.add(tx.NewRaw(fmt.Sprintf(`INSERT INTO %s (product_id, %s) VALUES %s ON CONFLICT DO NOTHING`, table, column, values.String()), args...))
	}
}

// relinkProduct makes ids a product's join rows: the others are removed, the ones it has are
// kept where they are and the new ones added in order, as TypeORM's diffing save does (a product
// lists its tags and images in the join rows' storage order, relationOrders).
// Both statements go to sc.
func relinkProduct(tx bun.IDB, sc *script, table, column, productID string, ids []string) {
	sc.add(tx.NewRaw(fmt.Sprintf(`DELETE FROM %s WHERE product_id = ? AND %s <> ALL(?::text[])`, table, column),
		productID, pgdialect.Array(append([]string{}, ids...))))
	linkProduct(tx, sc, table, column, productID, ids)
}

// insertVariant creates a variant of a product with its option values and prices, after
// Medusa's checks: one value per product option, and (when existing is not nil) no live variant
// with the same values. regions caches region currencies.
func (s *Store) insertVariant(ctx context.Context, tx bun.Tx, productID string, options []*model.ProductOption,
	existing []*model.ProductVariant, in CreateVariantInput, rank int, regions map[string]string) (*model.ProductVariant, error) {
	nv, err := buildVariant(ctx, tx, productID, options, existing, in, rank, regions)
	if err != nil {
		return nil, err
	}
	if err := insertVariants(ctx, tx, []*newVariant{nv}); err != nil {
		return nil, err
	}
	return nv.variant, nil
}

// newVariant is a variant checked and built, with its option values and prices, not yet saved.
type newVariant struct {
	variant *model.ProductVariant
	values  []*model.ProductOptionValue
	prices  []*model.MoneyAmount
}

// buildVariant runs Medusa's checks of a new variant (see insertVariant) and builds its rows.
func buildVariant(ctx context.Context, tx bun.IDB, productID string, options []*model.ProductOption,
	existing []*model.ProductVariant, in CreateVariantInput, rank int, regions map[string]string) (*newVariant, error) {
	if len(options) != len(in.Options) {
		return nil, Invalidf("Product options length does not match variant options length. Product has %d and variant has %d.", len(options), len(in.Options))
	}
	for _, o := range options {
		found := false
		for _, vo := range in.Options {
			found = found || vo.OptionID == o.ID
		}
		if !found {
			return nil, Invalidf("Variant options do not contain value for %s", o.Title)
		}
	}
	for _, ev := range existing {
		same := true
		for _, ov := range ev.Options {
			var value *string
			for i := range in.Options {
				if in.Options[i].OptionID == ov.OptionID {
					value = &in.Options[i].Value
					break
				}
			}
			same = same && value != nil && *value == ov.Value
		}
		if same {
			return nil, Errorf(DuplicateError, "Variant with title %s with provided options already exists", ev.Title)
		}
	}
	v := &model.ProductVariant{
		ID: NewID("variant"), Title: in.Title, ProductID: productID, SKU: in.SKU, Barcode: in.Barcode, EAN: in.EAN, UPC: in.UPC,
		VariantRank: &rank, InventoryQuantity: in.InventoryQuantity, ManageInventory: true, HSCode: in.HSCode,
		OriginCountry: in.OriginCountry, MIDCode: in.MIDCode, Material: in.Material, Weight: in.Weight, Length: in.Length,
		Height: in.Height, Width: in.Width, Metadata: in.Metadata,
	}
	if in.AllowBackorder != nil {
		v.AllowBackorder = *in.AllowBackorder
	}
	if in.ManageInventory != nil {
		v.ManageInventory = *in.ManageInventory
	}
	nv := &newVariant{variant: v}
	for _, o := range in.Options {
		nv.values = append(nv.values, &model.ProductOptionValue{ID: NewID("optval"), Value: o.Value, OptionID: o.OptionID, VariantID: v.ID})
	}
	// setVariantPrice's rules on a variant that has no price yet: one price per region and per
	// currency, a repeated one changing the amount of the first.
	byKey := map[string]*model.MoneyAmount{}
	for _, in := range in.Prices {
		key, code := "", ""
		if in.RegionID != nil && *in.RegionID != "" {
			c, err := regionCurrency(ctx, tx, *in.RegionID, regions)
			if err != nil {
				return nil, err
			}
			key, code = "region:"+*in.RegionID, c
		} else {
			if in.CurrencyCode != nil {
				code = strings.ToLower(*in.CurrencyCode)
			}
			key = "currency:" + code
			in.RegionID = nil
		}
		if ma, ok := byKey[key]; ok {
			ma.Amount = in.Amount
			continue
		}
		if code == "" {
			return nil, Invalidf("currency_code must be a string")
		}
		ma := &model.MoneyAmount{ID: NewID("ma"), CurrencyCode: code, Amount: in.Amount, MinQuantity: in.MinQuantity,
			MaxQuantity: in.MaxQuantity, VariantID: &v.ID, RegionID: in.RegionID}
		if key[0] == 'r' {
			ma.MinQuantity, ma.MaxQuantity = nil, nil // a region price has no quantity range
		}
		byKey[key] = ma
		nv.prices = append(nv.prices, ma)
	}
	return nv, nil
}

// insertVariants saves built variants, their values and prices, and records their events, in
// one round trip (addVariants).
func insertVariants(ctx context.Context, tx bun.IDB, nvs []*newVariant) error {
	var sc script
	events := addVariants(tx, &sc, nvs)
	q, err := emitAllQuery(tx, events)
	if err != nil {
		return err
	}
	if q != nil {
		sc.add(q)
	}
	return sc.exec(ctx, tx, "insert variant")
}

// addVariants adds to sc the inserts of built variants, their values and prices, one statement
// per table whatever the number of variants (a product created with 100 variants costs what one
// with 1 does), and returns their events.
func addVariants(tx bun.IDB, sc *script, nvs []*newVariant) []event {
	if len(nvs) == 0 {
		return nil
	}
	variants := make([]*model.ProductVariant, len(nvs))
	var values []*model.ProductOptionValue
	var prices []*model.MoneyAmount
	events := make([]event, len(nvs))
	for i, nv := range nvs {
		variants[i] = nv.variant
		values = append(values, nv.values...)
		prices = append(prices, nv.prices...)
		events[i] = event{"product-variant.created", map[string]any{"id": nv.variant.ID, "product_id": nv.variant.ProductID}}
	}
	sc.add(tx.NewInsert().Model(&variants))
	if len(values) > 0 {
		sc.add(tx.NewInsert().Model(&values))
	}
	if len(prices) > 0 {
		sc.add(tx.NewInsert().Model(&prices))
	}
	return events
}

// regionCurrency returns a live region's currency code.
func regionCurrency(ctx context.Context, tx bun.IDB, id string, cache map[string]string) (string, error) {
	if c, ok := cache[id]; ok {
		return c, nil
	}
	var code string
	err := tx.NewSelect().Model((*model.Region)(nil)).Column("currency_code").Where("id = ?", id).Scan(ctx, &code)
	if errors.Is(err, sql.ErrNoRows) {
		return "", NotFoundf("Region with %s was not found", id)
	} else if err != nil {
		return "", fmt.Errorf("find region: %w", err)
	}
	cache[id] = code
	return code, nil
}

// setVariantPrice is Medusa's setRegionPrice / setCurrencyPrice: the variant's price outside
// price lists for that region (in the region's currency, without quantity range) or for that
// currency gets the amount, or is created.
func setVariantPrice(ctx context.Context, tx bun.Tx, variantID string, in PriceInput, regions map[string]string) error {
	ma := new(model.MoneyAmount)
	q := tx.NewSelect().Model(ma).Where("money_amount.variant_id = ?", variantID).Where("money_amount.price_list_id IS NULL")
	if in.RegionID != nil && *in.RegionID != "" {
		code, err := regionCurrency(ctx, tx, *in.RegionID, regions)
		if err != nil {
			return err
		}
		q = q.Where("money_amount.region_id = ?", *in.RegionID)
		in = PriceInput{RegionID: in.RegionID, CurrencyCode: &code, Amount: in.Amount}
	} else {
		code := ""
		if in.CurrencyCode != nil {
			code = strings.ToLower(*in.CurrencyCode)
		}
		in.CurrencyCode = &code
		q = q.Where("money_amount.currency_code = ?", code).Where("money_amount.region_id IS NULL")
	}
	err := q.OrderExpr("money_amount.ctid").Limit(1).Scan(ctx)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		ma = &model.MoneyAmount{ID: NewID("ma"), CurrencyCode: *in.CurrencyCode, Amount: in.Amount, MinQuantity: in.MinQuantity,
			MaxQuantity: in.MaxQuantity, VariantID: &variantID, RegionID: in.RegionID}
		if ma.CurrencyCode == "" {
			return Invalidf("currency_code must be a string")
		}
		if _, err := tx.NewInsert().Model(ma).Exec(ctx); err != nil {
			return formatDBError(err, "insert price")
		}
	case err != nil:
		return fmt.Errorf("find price: %w", err)
	case ma.Amount != in.Amount:
		_, err := tx.NewUpdate().Model((*model.MoneyAmount)(nil)).Set("amount = ?", in.Amount).Set("updated_at = now()").
			Where("id = ?", ma.ID).Exec(ctx)
		if err != nil {
			return formatDBError(err, "update price")
		}
	}
	return nil
}

// setField applies an update of a non-nullable column, recording the column when it changes.
func setField[T comparable](dst *T, v *T, col string, cols *[]string) {
	if v != nil && *dst != *v {
		*dst = *v
		*cols = append(*cols, col)
	}
}

// setNullable applies an update of a nullable column (a pointer to nil clears it), recording the
// column when it changes.
func setNullable[T comparable](dst **T, v **T, col string, cols *[]string) {
	if v == nil {
		return
	}
	old, nv := *dst, *v
	if (old == nil) != (nv == nil) || (old != nil && *old != *nv) {
		*dst = nv
		*cols = append(*cols, col)
	}
}

// UpdateProduct applies Medusa's product update in one transaction: images, tags and sales
// channels are replaced, the type is found or created by value, metadata is merged, and the
// variants, when given, become exactly the listed ones.
func (s *Store) UpdateProduct(ctx context.Context, id string, in UpdateProductInput) (*model.Product, error) {
	if done, err := s.updateProductColumns(ctx, id, in); done {
		if err != nil {
			return nil, err
		}
		return s.GetProduct(ctx, id, nil)
	}
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		return s.updateProduct(ctx, tx, id, in)
	})
	if err != nil {
		return nil, err
	}
	return s.GetProduct(ctx, id, nil)
}

// updateProduct is UpdateProduct in tx.
func (s *Store) updateProduct(ctx context.Context, tx bun.Tx, id string, in UpdateProductInput) error {
	if in.Status != nil && !ValidProductStatus(*in.Status) {
		return Invalidf("status must be a valid enum value")
	}
	p, err := lockProduct(ctx, tx, id)
	if err != nil {
		return err
	}
	var cols []string
	noThumb := in.Thumbnail == nil || *in.Thumbnail == nil || **in.Thumbnail == ""
	if (p.Thumbnail == nil || *p.Thumbnail == "") && noThumb && len(in.Images) > 0 {
		p.Thumbnail = &in.Images[0]
		cols = append(cols, "thumbnail")
	}
	// The writes go in one script after the lock (and the lookups), flushed before the variants,
	// whose checks read the product's variants back.
	var sc script
	if in.Images != nil {
		images, err := upsertImages(ctx, tx, &sc, in.Images)
		if err != nil {
			return err
		}
		relinkProduct(tx, &sc, "product_images", "image_id", p.ID, imageIDs(images))
	}
	if in.Metadata != nil {
		p.Metadata = mergeMetadata(p.Metadata, in.Metadata)
		cols = append(cols, "metadata")
	}
	if in.Type != nil {
		var typeID *string
		if *in.Type != nil {
			if typeID, err = upsertType(ctx, tx, &sc, *in.Type); err != nil {
				return err
			}
		}
		setNullable(&p.TypeID, &typeID, "type_id", &cols)
	}
	if in.Tags != nil {
		tags, err := upsertTags(ctx, tx, &sc, in.Tags)
		if err != nil {
			return err
		}
		relinkProduct(tx, &sc, "product_tags", "product_tag_id", p.ID, tagIDs(tags))
	}
	if s.Config.FeatureSalesChannels && in.SalesChannels != nil {
		relinkProduct(tx, &sc, "product_sales_channel", "sales_channel_id", p.ID, *in.SalesChannels)
	}
	if in.Variants != nil {
		if err := sc.exec(ctx, tx, "update product"); err != nil {
			return err
		}
		sc = script{}
		if err := s.replaceVariants(ctx, tx, p.ID, in.Variants); err != nil {
			return err
		}
	}
	setField(&p.Title, in.Title, "title", &cols)
	setNullable(&p.Subtitle, in.Subtitle, "subtitle", &cols)
	setNullable(&p.Description, in.Description, "description", &cols)
	setField(&p.Discountable, in.Discountable, "discountable", &cols)
	setNullable(&p.Thumbnail, in.Thumbnail, "thumbnail", &cols)
	setNullable(&p.Handle, in.Handle, "handle", &cols)
	setField(&p.Status, in.Status, "status", &cols)
	setNullable(&p.CollectionID, in.CollectionID, "collection_id", &cols)
	setNullable(&p.Weight, in.Weight, "weight", &cols)
	setNullable(&p.Length, in.Length, "length", &cols)
	setNullable(&p.Height, in.Height, "height", &cols)
	setNullable(&p.Width, in.Width, "width", &cols)
	setNullable(&p.HSCode, in.HSCode, "hs_code", &cols)
	setNullable(&p.OriginCountry, in.OriginCountry, "origin_country", &cols)
	setNullable(&p.MIDCode, in.MIDCode, "mid_code", &cols)
	setNullable(&p.Material, in.Material, "material", &cols)
	setNullable(&p.ExternalID, in.ExternalID, "external_id", &cols)
	// Like TypeORM's save, the row (and updated_at) is only written when a column changed.
	if len(cols) > 0 {
		p.UpdatedAt = model.Now()
		sc.add(tx.NewUpdate().Model(p).Column(append(cols, "updated_at")...).WherePK())
	}
	q, err := emitAllQuery(tx, []event{{"product.updated", map[string]any{"id": p.ID, "fields": in.Fields}}})
	if err != nil {
		return err
	}
	sc.add(q)
	return sc.exec(ctx, tx, "update product")
}

// productColumn is a column an update sets and its new value (nil for NULL).
type productColumn struct {
	name  string
	value any
}

// updateProductColumns is UpdateProduct for an update of the product's own columns only (no
// images, type, tags, sales channels, variants or metadata: those need the product or other
// rows read first), in one round trip: a script that locks the product (lockOrFail, not found
// as lockProduct words it), updates the columns whose value differs (in SQL, IS DISTINCT FROM:
// like TypeORM's save, a row whose values are all the same is not written and keeps its
// updated_at) and records product.updated. done is false when the update is not of that kind;
// the caller then takes the locking transaction.
func (s *Store) updateProductColumns(ctx context.Context, id string, in UpdateProductInput) (done bool, err error) {
	if in.Images != nil || in.Type != nil || in.Tags != nil || (s.Config.FeatureSalesChannels && in.SalesChannels != nil) ||
		in.Variants != nil || in.Metadata != nil {
		return false, nil
	}
	if in.Status != nil && !ValidProductStatus(*in.Status) {
		return true, Invalidf("status must be a valid enum value")
	}
	guard, ok := lockOrFail(s.DB, "1 FROM product WHERE id = ? AND deleted_at IS NULL", id)
	if !ok {
		return false, nil
	}
	var cols []productColumn
	field := func(name string, v any) { cols = append(cols, productColumn{name, v}) }
	if in.Title != nil {
		field("title", *in.Title)
	}
	if in.Discountable != nil {
		field("discountable", *in.Discountable)
	}
	if in.Status != nil {
		field("status", *in.Status)
	}
	for _, c := range []struct {
		name string
		v    **string
	}{{"subtitle", in.Subtitle}, {"description", in.Description}, {"thumbnail", in.Thumbnail}, {"handle", in.Handle},
		{"collection_id", in.CollectionID}, {"hs_code", in.HSCode}, {"origin_country", in.OriginCountry},
		{"mid_code", in.MIDCode}, {"material", in.Material}, {"external_id", in.ExternalID}} {
		if c.v != nil {
			field(c.name, *c.v)
		}
	}
	for _, c := range []struct {
		name string
		v    **int
	}{{"weight", in.Weight}, {"length", in.Length}, {"height", in.Height}, {"width", in.Width}} {
		if c.v != nil {
			field(c.name, *c.v)
		}
	}
	sc := script{}
	sc.add(guard)
	if len(cols) > 0 {
		q := s.DB.NewUpdate().Table("product").Where("id = ?", id)
		for _, c := range cols {
			q.Set("? = ?", bun.Ident(c.name), c.value)
		}
		q.Set("updated_at = ?", model.Now())
		q.WhereGroup(" AND ", func(q *bun.UpdateQuery) *bun.UpdateQuery {
			for _, c := range cols {
				q.WhereOr("? IS DISTINCT FROM ?", bun.Ident(c.name), c.value)
			}
			return q
		})
		sc.add(q)
	}
	ev, err := emitAllQuery(s.DB, []event{{"product.updated", map[string]any{"id": id, "fields": in.Fields}}})
	if err != nil {
		return true, err
	}
	sc.add(ev)
	if err := sc.exec(ctx, s.DB, "update product"); err != nil {
		if isGuardFailure(err) {
			return true, NotFoundf("Product with id: %s was not found", id)
		}
		return true, err
	}
	return true, nil
}

// lockProduct reads a live product FOR UPDATE, so concurrent changes of one product serialise.
func lockProduct(ctx context.Context, tx bun.Tx, id string) (*model.Product, error) {
	p := new(model.Product)
	err := tx.NewSelect().Model(p).Where("product.id = ?", id).For("UPDATE").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, NotFoundf("Product with id: %s was not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("lock product %s: %w", id, err)
	}
	return p, nil
}

// productVariants returns a product's live options and variants with their option values.
func productVariants(ctx context.Context, tx bun.Tx, productID string) ([]*model.ProductOption, []*model.ProductVariant, error) {
	options := []*model.ProductOption{}
	if err := tx.NewSelect().Model(&options).Where("product_option.product_id = ?", productID).OrderExpr("product_option.created_at, product_option.id").Scan(ctx); err != nil {
		return nil, nil, fmt.Errorf("product options: %w", err)
	}
	variants := []*model.ProductVariant{}
	err := tx.NewSelect().Model(&variants).Where("product_variant.product_id = ?", productID).
		Relation("Options", orderedRelation(tx, (*model.ProductVariant)(nil), "Options")).
		OrderExpr("product_variant.variant_rank ASC NULLS LAST, product_variant.created_at ASC, product_variant.id ASC").Scan(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("product variants: %w", err)
	}
	return options, variants, nil
}

// replaceVariants is the variants part of Medusa's product update: variants not listed are
// deleted (for good, as Medusa's repository remove does), listed ones with an id are updated and
// take their position as rank, the others are created.
func (s *Store) replaceVariants(ctx context.Context, tx bun.Tx, productID string, in []UpdateVariantInput) error {
	_, live, err := productVariants(ctx, tx, productID)
	if err != nil {
		return err
	}
	listed := map[string]bool{}
	for _, v := range in {
		if v.ID != nil {
			listed[*v.ID] = true
		}
	}
	for _, v := range live {
		if !listed[v.ID] {
			if _, err := tx.NewDelete().Model((*model.ProductVariant)(nil)).Where("id = ?", v.ID).ForceDelete().Exec(ctx); err != nil {
				return formatDBError(err, "delete variant")
			}
		}
	}
	regions := map[string]string{}
	for i, vin := range in {
		if vin.ID != nil {
			var v *model.ProductVariant
			for _, lv := range live {
				if lv.ID == *vin.ID {
					v = lv
				}
			}
			if v == nil {
				return NotFoundf("Variant with id: %s is not associated with this product", *vin.ID)
			}
			rank := i
			fields := append(append([]string(nil), vin.Fields...), "variant_rank", "product_id")
			vin.Fields = fields
			if err := s.updateVariant(ctx, tx, v, vin, &rank, regions); err != nil {
				return err
			}
			continue
		}
		options, existing, err := productVariants(ctx, tx, productID)
		if err != nil {
			return err
		}
		if vin.Title == nil {
			return Invalidf("title must be a string")
		}
		rank := i
		if rank == 0 {
			rank = len(existing)
		}
		if _, err := s.insertVariant(ctx, tx, productID, options, existing, createFromUpdate(vin), rank, regions); err != nil {
			return err
		}
	}
	return nil
}

// createFromUpdate turns a product update's new variant into a variant to create.
func createFromUpdate(in UpdateVariantInput) CreateVariantInput {
	deref := func(p **string) *string {
		if p == nil {
			return nil
		}
		return *p
	}
	derefInt := func(p **int) *int {
		if p == nil {
			return nil
		}
		return *p
	}
	out := CreateVariantInput{
		SKU: deref(in.SKU), EAN: deref(in.EAN), UPC: deref(in.UPC), Barcode: deref(in.Barcode), HSCode: deref(in.HSCode),
		AllowBackorder: in.AllowBackorder, ManageInventory: in.ManageInventory, Weight: derefInt(in.Weight),
		Length: derefInt(in.Length), Height: derefInt(in.Height), Width: derefInt(in.Width), OriginCountry: deref(in.OriginCountry),
		MIDCode: deref(in.MIDCode), Material: deref(in.Material), Metadata: in.Metadata, Prices: in.Prices, Options: in.Options,
	}
	if in.Title != nil {
		out.Title = *in.Title
	}
	if in.InventoryQuantity != nil {
		out.InventoryQuantity = *in.InventoryQuantity
	}
	return out
}

// DeleteProduct soft-deletes a product with its variants, their prices and option values, as
// Medusa's softRemove cascade does; deleting a missing product succeeds (idempotent).
func (s *Store) DeleteProduct(ctx context.Context, id string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewRaw(`UPDATE product SET deleted_at = now(), updated_at = now() WHERE id = ? AND deleted_at IS NULL`, id).Exec(ctx)
		if err != nil {
			return fmt.Errorf("delete product: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		if err := softDeleteVariants(ctx, tx, "product_id = ?", id); err != nil {
			return err
		}
		return emit(ctx, tx, "product.deleted", map[string]any{"id": id})
	})
}

// softDeleteVariants soft-deletes the live variants matching where, with their prices (in price
// lists too) and option values, at one timestamp.
func softDeleteVariants(ctx context.Context, tx bun.Tx, where string, args ...any) error {
	var ids []string
	err := tx.NewRaw(`UPDATE product_variant SET deleted_at = now(), updated_at = now() WHERE `+where+` AND deleted_at IS NULL RETURNING id`, args...).
		Scan(ctx, &ids)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("delete variants: %w", err)
	}
	if len(ids) == 0 {
		return nil
	}
	for _, table := range []string{"money_amount", "product_option_value"} {
		_, err := tx.NewRaw(`UPDATE `+table+` SET deleted_at = now(), updated_at = now() WHERE variant_id IN (?) AND deleted_at IS NULL`, bun.In(ids)).Exec(ctx)
		if err != nil {
			return fmt.Errorf("delete variant rows of %s: %w", table, err)
		}
	}
	return nil
}
