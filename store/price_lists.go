package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// PriceListTypes and PriceListStatuses are Medusa's price_list_type_enum and
// price_list_status_enum values.
var (
	PriceListTypes    = []string{"sale", "override"}
	PriceListStatuses = []string{"active", "draft"}
)

// PriceListRelations are the relations Medusa returns a single price list with
// (defaultAdminPriceListRelations).
var PriceListRelations = []string{"prices", "customer_groups"}

func priceListNotFound(id string) *Error {
	return NotFoundf("Price list with id: %s was not found", id)
}

// PriceListFilter is the selector of Medusa's GET /admin/price-lists.
type PriceListFilter struct {
	ID *string
	// Q matches the name, the description or a customer group's name (ILIKE %q%).
	Q           *string
	Status      []string
	Name        *string
	Description *string
	Type        []string
	// CustomerGroups keeps the price lists of any of these groups; as in Medusa, such a list
	// comes with those of its customer groups that matched.
	CustomerGroups []string
	CreatedAt      *TimeRange
	UpdatedAt      *TimeRange
	DeletedAt      *TimeRange
}

// ListPriceLists returns a page of price lists (created_at DESC unless p.Order) with p.Expand.
func (s *Store) ListPriceLists(ctx context.Context, f PriceListFilter, p Page) ([]*model.PriceList, int, error) {
	lists := []*model.PriceList{}
	q := s.DB.NewSelect().Model(&lists)
	if f.ID != nil {
		q = q.Where("price_list.id = ?", *f.ID)
	}
	if f.Q != nil && *f.Q != "" {
		like := "%" + *f.Q + "%"
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("price_list.description ILIKE ?", like).WhereOr("price_list.name ILIKE ?", like).
				WhereOr(`EXISTS (SELECT 1 FROM price_list_customer_groups plcg JOIN customer_group cg ON cg.id = plcg.customer_group_id
					AND cg.deleted_at IS NULL WHERE plcg.price_list_id = price_list.id AND cg.name ILIKE ?)`, like)
		})
	}
	if f.Status != nil {
		q = q.Where("price_list.status::text IN (?)", bun.In(nonEmpty(f.Status)))
	}
	if f.Name != nil {
		q = q.Where("price_list.name = ?", *f.Name)
	}
	if f.Description != nil {
		q = q.Where("price_list.description = ?", *f.Description)
	}
	if f.Type != nil {
		q = q.Where("price_list.type::text IN (?)", bun.In(nonEmpty(f.Type)))
	}
	q = f.CreatedAt.apply(q, "price_list.created_at")
	q = f.UpdatedAt.apply(q, "price_list.updated_at")
	if f.DeletedAt != nil {
		q = f.DeletedAt.apply(q.WhereAllWithDeleted(), "price_list.deleted_at")
	}
	if f.CustomerGroups != nil {
		groups := nonEmpty(f.CustomerGroups)
		q = q.Where(`EXISTS (SELECT 1 FROM price_list_customer_groups plcg WHERE plcg.price_list_id = price_list.id
			AND plcg.customer_group_id IN (?))`, bun.In(groups))
		if !catalogHas(p.Expand, "customer_groups") {
			q = q.Relation("CustomerGroups", func(q *bun.SelectQuery) *bun.SelectQuery {
				return q.Where("customer_group.id IN (?)", bun.In(groups)).OrderExpr(relationOrderOf("price_list", "CustomerGroups"))
			})
		}
	}
	q, err := s.applyWhere(q, "priceList", p.Where)
	if err != nil {
		return nil, 0, err
	}
	n, err := s.listOrdered(ctx, q, &lists, "price_list", p, nil)
	if err != nil {
		return nil, 0, err
	}
	if f.CustomerGroups != nil {
		FillRelations(s.DB, lists, []string{"customer_groups"})
	}
	return lists, n, nil
}

// catalogHas reports whether list holds s.
func catalogHas(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// GetPriceList returns a price list with its prices and customer groups.
func (s *Store) GetPriceList(ctx context.Context, id string) (*model.PriceList, error) {
	return s.getPriceList(ctx, s.DB, id, PriceListRelations, false)
}

func (s *Store) getPriceList(ctx context.Context, db bun.IDB, id string, rels []string, forUpdate bool) (*model.PriceList, error) {
	pl := new(model.PriceList)
	q, err := s.withOrderedRelations(db.NewSelect().Model(pl).Where("price_list.id = ?", id), pl, rels)
	if err != nil {
		return nil, err
	}
	if forUpdate {
		q = q.For("UPDATE OF price_list")
	}
	err = q.Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, priceListNotFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("get price list %s: %w", id, err)
	}
	FillRelations(s.DB, pl, rels)
	return pl, nil
}

// PriceListPriceInput is a price of a price list request (Medusa's AdminPriceListPricesCreateReq
// and AdminPriceListPricesUpdateReq): a currency or a region (whose currency it takes), a variant,
// an amount in minor units, an optional quantity range. ID names an existing price to update.
type PriceListPriceInput struct {
	ID           *string
	RegionID     *string
	CurrencyCode *string
	VariantID    string
	Amount       int
	MinQuantity  *int
	MaxQuantity  *int
	// SetMinQuantity, SetMaxQuantity: the update gives these (possibly null); when updating a
	// price by ID, fields not given stay as they are.
	SetMinQuantity, SetMaxQuantity bool
}

// CreatePriceListInput is Medusa's AdminPostPriceListsPriceListReq.
type CreatePriceListInput struct {
	Name           string
	Description    string
	Type           string
	Status         *string // default draft
	StartsAt       *time.Time
	EndsAt         *time.Time
	Prices         []PriceListPriceInput
	CustomerGroups []string // ids; nil: none
}

func validatePriceList(typ, status *string) error {
	var v Violations
	v.Add(status != nil && !catalogHas(PriceListStatuses, *status), "status", "status must be a valid enum value")
	v.Add(typ != nil && !catalogHas(PriceListTypes, *typ), "type", "type must be a valid enum value")
	return v.Err()
}

// CreatePriceList adds a price list with its prices and customer groups in one transaction.
// An unknown variant, currency, region or customer group refuses the whole request (not_found).
func (s *Store) CreatePriceList(ctx context.Context, in CreatePriceListInput) (*model.PriceList, error) {
	if err := validatePriceList(&in.Type, in.Status); err != nil {
		return nil, err
	}
	pl := &model.PriceList{ID: NewID("pl"), Name: in.Name, Description: in.Description, Type: in.Type, Status: "draft",
		StartsAt: catalogTime(in.StartsAt), EndsAt: catalogTime(in.EndsAt)}
	if in.Status != nil {
		pl.Status = *in.Status
	}
	var out *model.PriceList
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(pl).Returning("*").Exec(ctx); err != nil {
			return formatDBError(err, "insert price list")
		}
		if _, err := insertPriceListPrices(ctx, tx, pl.ID, in.Prices); err != nil {
			return err
		}
		if in.CustomerGroups != nil {
			if err := setPriceListGroups(ctx, tx, pl.ID, in.CustomerGroups); err != nil {
				return err
			}
		}
		var err error
		out, err = s.getPriceList(ctx, tx, pl.ID, PriceListRelations, false)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func catalogTime(t *time.Time) *model.Time {
	if t == nil {
		return nil
	}
	return &model.Time{Time: t.UTC().Truncate(time.Microsecond)}
}

// regionCurrencies gives prices with a region that region's currency, as Medusa does; an unknown
// region is not_found. One query for all of them.
func regionCurrencies(ctx context.Context, db bun.IDB, prices []PriceListPriceInput) error {
	var ids []string
	for _, p := range prices {
		if p.RegionID != nil && *p.RegionID != "" {
			ids = append(ids, *p.RegionID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var regions []*model.Region
	if err := db.NewSelect().Model(&regions).Column("id", "currency_code").Where("id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return fmt.Errorf("price regions: %w", err)
	}
	cur := map[string]string{}
	for _, r := range regions {
		cur[r.ID] = r.CurrencyCode
	}
	for i := range prices {
		if r := prices[i].RegionID; r != nil && *r != "" {
			c, ok := cur[*r]
			if !ok {
				return NotFoundf("Region with %s was not found", *r)
			}
			prices[i].CurrencyCode = &c
		}
	}
	return nil
}

// insertPriceListPrices adds prices to a price list in one statement; prices whose given id
// exists already are skipped (Medusa's insert … orIgnore). It returns the ids of all the prices.
func insertPriceListPrices(ctx context.Context, tx bun.Tx, priceListID string, prices []PriceListPriceInput) ([]string, error) {
	if len(prices) == 0 {
		return []string{}, nil
	}
	if err := regionCurrencies(ctx, tx, prices); err != nil {
		return nil, err
	}
	rows := make([]*model.MoneyAmount, len(prices))
	ids := make([]string, len(prices))
	for i, p := range prices {
		id := NewID("ma")
		if p.ID != nil && *p.ID != "" {
			id = *p.ID
		}
		ids[i] = id
		variant := p.VariantID
		rows[i] = &model.MoneyAmount{ID: id, Amount: p.Amount, MinQuantity: p.MinQuantity, MaxQuantity: p.MaxQuantity,
			PriceListID: &priceListID, VariantID: &variant, RegionID: p.RegionID}
		if p.CurrencyCode == nil {
			return nil, Invalidf(`Failed XOR relation between "region_id" and "currency_code".`)
		}
		rows[i].CurrencyCode = *p.CurrencyCode
	}
	if _, err := tx.NewInsert().Model(&rows).On("CONFLICT (id) DO NOTHING").Exec(ctx); err != nil {
		return nil, formatDBError(err, "insert price list prices")
	}
	return ids, nil
}

// updatePriceListPrices changes the given prices of a price list in one statement: variant and
// amount always, region, currency and quantities when given. Every id must be a price of this list.
func updatePriceListPrices(ctx context.Context, tx bun.Tx, priceListID string, prices []PriceListPriceInput) error {
	if len(prices) == 0 {
		return nil
	}
	ids := make([]string, len(prices))
	for i, p := range prices {
		ids[i] = *p.ID
	}
	var found []string
	err := tx.NewSelect().Model((*model.MoneyAmount)(nil)).Column("id").Where("id IN (?)", bun.In(ids)).
		Where("price_list_id = ?", priceListID).For("UPDATE").Scan(ctx, &found)
	if err != nil {
		return fmt.Errorf("find price list prices: %w", err)
	}
	have := map[string]bool{}
	for _, f := range found {
		have[f] = true
	}
	for _, id := range ids {
		if !have[id] {
			// Medusa would save a price of another list, or create one outside any list, here.
			return NotFoundf("Money amount with id: %s was not found", id)
		}
	}
	var values []string
	var args []any
	for _, p := range prices {
		cur := p.CurrencyCode
		values = append(values, "(?::text, ?::text, ?::integer, ?::boolean, ?::text, ?::boolean, ?::text, ?::boolean, ?::integer, ?::boolean, ?::integer)")
		args = append(args, *p.ID, p.VariantID, p.Amount, p.RegionID != nil, p.RegionID, cur != nil, cur,
			p.SetMinQuantity, p.MinQuantity, p.SetMaxQuantity, p.MaxQuantity)
	}
	_, err = tx.NewRaw(`UPDATE money_amount AS ma SET variant_id = v.variant_id, amount = v.amount,
			region_id = CASE WHEN v.set_region THEN v.region_id ELSE ma.region_id END,
			currency_code = CASE WHEN v.set_currency THEN v.currency_code ELSE ma.currency_code END,
			min_quantity = CASE WHEN v.set_min THEN v.min_quantity ELSE ma.min_quantity END,
			max_quantity = CASE WHEN v.set_max THEN v.max_quantity ELSE ma.max_quantity END,
			updated_at = now()
		FROM (VALUES `+strings.Join(values, ", ")+`) AS v(id, variant_id, amount, set_region, region_id, set_currency,
			currency_code, set_min, min_quantity, set_max, max_quantity)
		WHERE ma.id = v.id`, args...).Exec(ctx)
	return formatDBError(err, "update price list prices")
}

// setPriceListGroups makes groups the customer groups of a price list; each must exist.
func setPriceListGroups(ctx context.Context, tx bun.Tx, priceListID string, groups []string) error {
	if len(groups) > 0 {
		var found []string
		err := tx.NewSelect().Model((*model.CustomerGroup)(nil)).Column("id").Where("id IN (?)", bun.In(groups)).
			For("SHARE").Scan(ctx, &found)
		if err != nil {
			return fmt.Errorf("find customer groups: %w", err)
		}
		have := map[string]bool{}
		for _, f := range found {
			have[f] = true
		}
		for _, g := range groups {
			if !have[g] {
				return NotFoundf("CustomerGroup with id %s was not found", g)
			}
		}
	}
	if _, err := tx.NewDelete().TableExpr("price_list_customer_groups").Where("price_list_id = ?", priceListID).Exec(ctx); err != nil {
		return fmt.Errorf("clear price list groups: %w", err)
	}
	if len(groups) == 0 {
		return nil
	}
	links := make([]*model.PriceListCustomerGroup, 0, len(groups))
	for _, g := range groups {
		links = append(links, &model.PriceListCustomerGroup{PriceListID: priceListID, CustomerGroupID: g})
	}
	if _, err := tx.NewInsert().Model(&links).On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
		return formatDBError(err, "set price list groups")
	}
	return nil
}

// UpdatePriceListInput is Medusa's AdminPostPriceListsPriceListPriceListReq. StartsAt, EndsAt:
// nil leaves them, a nil *time.Time clears them. Prices with an ID update that price of the list,
// the others are added. CustomerGroups, when not nil, replaces the list's groups.
type UpdatePriceListInput struct {
	Name           *string
	Description    *string
	StartsAt       **time.Time
	EndsAt         **time.Time
	Status         *string
	Type           *string
	Prices         []PriceListPriceInput
	CustomerGroups []string
}

// UpdatePriceList changes a price list, its prices and its groups in one transaction; updated_at
// moves only when one of its own fields changed, as with TypeORM's save.
func (s *Store) UpdatePriceList(ctx context.Context, id string, in UpdatePriceListInput) (*model.PriceList, error) {
	if err := validatePriceList(in.Type, in.Status); err != nil {
		return nil, err
	}
	var out *model.PriceList
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		pl, err := s.getPriceList(ctx, tx, id, nil, true)
		if err != nil {
			return err
		}
		if in.Prices != nil {
			if err := regionCurrencies(ctx, tx, in.Prices); err != nil {
				return err
			}
			var existing, added []PriceListPriceInput
			for _, p := range in.Prices {
				if p.ID != nil && *p.ID != "" {
					existing = append(existing, p)
				} else {
					added = append(added, p)
				}
			}
			// TypeORM's save runs the inserts before the updates.
			if _, err := insertPriceListPrices(ctx, tx, id, added); err != nil {
				return err
			}
			if err := updatePriceListPrices(ctx, tx, id, existing); err != nil {
				return err
			}
		}
		if in.CustomerGroups != nil {
			if err := setPriceListGroups(ctx, tx, id, in.CustomerGroups); err != nil {
				return err
			}
		}
		var cols []string
		set := func(changed bool, col string) {
			if changed {
				cols = append(cols, col)
			}
		}
		if in.Name != nil {
			set(*in.Name != pl.Name, "name")
			pl.Name = *in.Name
		}
		if in.Description != nil {
			set(*in.Description != pl.Description, "description")
			pl.Description = *in.Description
		}
		if in.Status != nil {
			set(*in.Status != pl.Status, "status")
			pl.Status = *in.Status
		}
		if in.Type != nil {
			set(*in.Type != pl.Type, "type")
			pl.Type = *in.Type
		}
		if in.StartsAt != nil {
			t := catalogTime(*in.StartsAt)
			set(!catalogTimeEq(t, pl.StartsAt), "starts_at")
			pl.StartsAt = t
		}
		if in.EndsAt != nil {
			t := catalogTime(*in.EndsAt)
			set(!catalogTimeEq(t, pl.EndsAt), "ends_at")
			pl.EndsAt = t
		}
		if len(cols) > 0 {
			pl.UpdatedAt = model.Now()
			if _, err := tx.NewUpdate().Model(pl).Column(append(cols, "updated_at")...).WherePK().Exec(ctx); err != nil {
				return formatDBError(err, "update price list")
			}
		}
		out, err = s.getPriceList(ctx, tx, id, PriceListRelations, false)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func catalogTimeEq(a, b *model.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(b.Time)
}

// DeletePriceList removes a price list with its prices and group links (Medusa deletes the row,
// the database cascades); a missing one is not an error.
func (s *Store) DeletePriceList(ctx context.Context, id string) error {
	if _, err := s.DB.NewDelete().Model((*model.PriceList)(nil)).Where("id = ?", id).ForceDelete().Exec(ctx); err != nil {
		return fmt.Errorf("delete price list: %w", err)
	}
	return nil
}

// AddPriceListPrices adds prices to a price list in one transaction; with override, every other
// price of the list is removed. An unknown variant, currency or region refuses the whole batch.
func (s *Store) AddPriceListPrices(ctx context.Context, id string, prices []PriceListPriceInput, override bool) (*model.PriceList, error) {
	var out *model.PriceList
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.getPriceList(ctx, tx, id, nil, true); err != nil {
			return err
		}
		ids, err := insertPriceListPrices(ctx, tx, id, prices)
		if err != nil {
			return err
		}
		if override {
			q := tx.NewDelete().Model((*model.MoneyAmount)(nil)).Where("price_list_id = ?", id).ForceDelete()
			if len(ids) > 0 {
				q = q.Where("id NOT IN (?)", bun.In(ids))
			}
			if _, err := q.Exec(ctx); err != nil {
				return fmt.Errorf("replace price list prices: %w", err)
			}
		}
		out, err = s.getPriceList(ctx, tx, id, PriceListRelations, false)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeletePriceListPrices removes the given prices of a price list (ids of other prices are
// ignored, as in Medusa).
func (s *Store) DeletePriceListPrices(ctx context.Context, id string, priceIDs []string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := s.getPriceList(ctx, tx, id, nil, true); err != nil {
			return err
		}
		if len(priceIDs) == 0 {
			return nil
		}
		_, err := tx.NewDelete().Model((*model.MoneyAmount)(nil)).Where("price_list_id = ?", id).
			Where("id IN (?)", bun.In(priceIDs)).ForceDelete().Exec(ctx)
		if err != nil {
			return fmt.Errorf("delete price list prices: %w", err)
		}
		return nil
	})
}

// DeletePriceListProductPrices removes the price list's prices of a live product's live variants
// and returns their ids (variants by rank). Like Medusa it does not check that the list exists.
func (s *Store) DeletePriceListProductPrices(ctx context.Context, id, productID string) ([]string, error) {
	return s.deletePriceListPricesWhere(ctx, id, "pv.product_id = ? AND EXISTS (SELECT 1 FROM product p WHERE p.id = pv.product_id AND p.deleted_at IS NULL)", productID)
}

// DeletePriceListVariantPrices removes the price list's prices of a live variant and returns
// their ids.
func (s *Store) DeletePriceListVariantPrices(ctx context.Context, id, variantID string) ([]string, error) {
	return s.deletePriceListPricesWhere(ctx, id, "pv.id = ?", variantID)
}

func (s *Store) deletePriceListPricesWhere(ctx context.Context, id, where string, arg string) ([]string, error) {
	ids := []string{}
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		err := tx.NewRaw(`SELECT ma.id FROM money_amount ma JOIN product_variant pv ON pv.id = ma.variant_id AND pv.deleted_at IS NULL
			WHERE ma.price_list_id = ? AND ma.deleted_at IS NULL AND `+where+`
			ORDER BY pv.variant_rank ASC NULLS LAST, pv.created_at, pv.id, ma.ctid FOR UPDATE OF ma`, id, arg).Scan(ctx, &ids)
		if err != nil {
			return fmt.Errorf("find price list prices: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		_, err = tx.NewDelete().Model((*model.MoneyAmount)(nil)).Where("id IN (?)", bun.In(ids)).ForceDelete().Exec(ctx)
		if err != nil {
			return fmt.Errorf("delete price list prices: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// PriceListProductRelations are the relations of Medusa's GET /admin/price-lists/:id/products:
// the admin product defaults without variants.prices (each variant gets its prices anyway).
var PriceListProductRelations = []string{"variants", "variants.options", "images", "options", "tags", "type", "collection"}

// PriceListProduct is a product of a price list's product listing: its variants carry their
// prices outside any list and in this list, each with its price list (null for the others).
type PriceListProduct struct {
	*model.Product
	Variants []*PriceListVariant `json:"variants,omitzero"`
}

// PriceListVariant is a variant of a PriceListProduct.
type PriceListVariant struct {
	*model.ProductVariant
	Prices []*PriceListMoneyAmount `json:"prices"`
}

// PriceListMoneyAmount is a price with its price list joined.
type PriceListMoneyAmount struct {
	*model.MoneyAmount
	PriceList *model.PriceList `json:"price_list"`
}

// ListPriceListProducts is GET /admin/price-lists/:id/products: the products with a price in
// the list, filtered and paged like the product list, with p.Expand or PriceListProductRelations;
// the variants' prices come with one more query, whatever the page size.
func (s *Store) ListPriceListProducts(ctx context.Context, id string, f ProductFilter, p Page) ([]*PriceListProduct, int, error) {
	rels := p.Expand
	if len(rels) == 0 {
		rels = PriceListProductRelations
	}
	// variants.prices is replaced by the list's prices below; it still implies variants.
	var keep []string
	for _, r := range rels {
		if r == "variants.prices" || strings.HasPrefix(r, "variants.prices.") {
			r = "variants"
		}
		if !catalogHas(keep, r) {
			keep = append(keep, r)
		}
	}
	if p.Order != "" {
		// Medusa's allowedAdminProductFields are all of product's columns. The sort itself is
		// ListProducts' to apply.
		col := strings.TrimPrefix(p.Order, "-")
		if _, ok := s.DB.Table(reflect.TypeOf(model.Product{})).FieldMap[col]; !ok {
			return nil, 0, Invalidf("Order field %s is not valid", col)
		}
	}
	f.PriceListIDs = []string{id}
	p.Expand = keep
	products, n, err := s.ListProducts(ctx, f, p)
	if err != nil {
		return nil, 0, err
	}
	var variantIDs []string
	for _, pr := range products {
		for _, v := range pr.Variants {
			variantIDs = append(variantIDs, v.ID)
		}
	}
	byVariant := map[string][]*PriceListMoneyAmount{}
	if len(variantIDs) > 0 {
		var prices []*model.MoneyAmount
		err := s.DB.NewSelect().Model(&prices).Relation("PriceList").
			Where("money_amount.variant_id IN (?)", bun.In(variantIDs)).
			Where("money_amount.price_list_id = ? OR money_amount.price_list_id IS NULL", id).
			OrderExpr("money_amount.ctid").Scan(ctx)
		if err != nil {
			return nil, 0, fmt.Errorf("price list product prices: %w", err)
		}
		for _, ma := range prices {
			pl := ma.PriceList
			if ma.PriceListID == nil {
				pl = nil
			}
			ma.PriceList = nil
			byVariant[*ma.VariantID] = append(byVariant[*ma.VariantID], &PriceListMoneyAmount{MoneyAmount: ma, PriceList: pl})
		}
	}
	out := make([]*PriceListProduct, len(products))
	for i, pr := range products {
		lp := &PriceListProduct{Product: pr}
		if pr.Variants != nil {
			lp.Variants = make([]*PriceListVariant, len(pr.Variants))
			for j, v := range pr.Variants {
				prices := byVariant[v.ID]
				if prices == nil {
					prices = []*PriceListMoneyAmount{}
				}
				lp.Variants[j] = &PriceListVariant{ProductVariant: v, Prices: prices}
			}
		}
		out[i] = lp
	}
	return out, n, nil
}
