package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// TaxRateFields are the columns Medusa's tax rate routes return when `fields` is not given
// (defaultAdminTaxRatesFields): no metadata. The routes load no relation by default.
var TaxRateFields = []string{"id", "rate", "code", "name", "region_id", "created_at", "updated_at"}

// taxRateCounts are the computed fields `fields` may ask for (the repository's resolveableFields),
// each counting the live rows of a relation.
var taxRateCounts = map[string]string{
	"product_count":         "products",
	"product_type_count":    "product_types",
	"shipping_option_count": "shipping_options",
}

// TaxRate is a tax rate as Medusa's tax rate routes answer it: the row, the relations asked for
// and, when `fields` names them, the counts of its products, product types and shipping options.
type TaxRate struct {
	*model.TaxRate
	ProductCount        *int `json:"product_count,omitempty"`
	ProductTypeCount    *int `json:"product_type_count,omitempty"`
	ShippingOptionCount *int `json:"shipping_option_count,omitempty"`
}

// NumberFilter is Medusa's `number | NumericalComparisonOperator` filter: equal to one of In,
// and/or compared.
type NumberFilter struct {
	In               []float64
	Lt, Gt, Lte, Gte *float64
}

// applyReal adds the filter on a `real` column. The values are compared as reals, as Medusa's
// (untyped) parameters are: 0.1 as a double would never equal the real 0.1.
func (nf *NumberFilter) applyReal(q *bun.SelectQuery, col string) *bun.SelectQuery {
	if nf == nil {
		return q
	}
	if nf.In != nil {
		q = q.Where("? = ANY(?::real[])", bun.Ident(col), pgdialect.Array(nf.In))
	}
	for _, c := range []struct {
		op string
		v  *float64
	}{{"<", nf.Lt}, {">", nf.Gt}, {"<=", nf.Lte}, {">=", nf.Gte}} {
		if c.v != nil {
			q = q.Where("? "+c.op+" ?::real", bun.Ident(col), *c.v)
		}
	}
	return q
}

// TaxRateFilter is the selector of Medusa's GET /admin/tax-rates.
type TaxRateFilter struct {
	RegionIDs []string // nil: any region
	Name      *string
	Code      *string
	Rate      *NumberFilter
}

func taxRateNotFound(id string) *Error { return NotFoundf("TaxRate with %s was not found", id) }

// withEagerRegion adds, to every relation path ending at a region, the region's payment and
// fulfillment providers: Medusa's Region entity loads them eagerly wherever a region is loaded.
func withEagerRegion(paths []string) []string {
	out := append([]string{}, paths...)
	for _, p := range paths {
		p = strings.TrimSpace(p)
		if p == "region" || strings.HasSuffix(p, ".region") {
			out = append(out, p+".payment_providers", p+".fulfillment_providers")
		}
	}
	return out
}

// withTaxRelations loads Medusa relation paths on q (m is q's model), regions with their
// providers, to-many relations in the given orders. It returns the paths loaded.
func (s *Store) withTaxRelations(q *bun.SelectQuery, m any, paths []string) (*bun.SelectQuery, []string, error) {
	paths = withEagerRegion(paths)
	names, err := Relations(s.DB, m, paths)
	if err != nil {
		return nil, nil, err
	}
	return addOrderedRelations(s.DB, q, m, names), paths, nil
}

// fixLoadedRegion normalises what Gorgon reads differently from Medusa in a loaded region: its real
// tax rate.
func fixLoadedRegion(r *model.Region) {
	if r == nil {
		return
	}
	r.TaxRate = model.Real(r.TaxRate)
}

// checkTaxRateFields refuses `fields` that are neither a tax rate column, a relation (which
// Medusa's pick then leaves out unless expanded) nor a count (Medusa answers those with a 500).
func (s *Store) checkTaxRateFields(fields []string) error {
	t := s.DB.Table(reflect.TypeOf((*model.TaxRate)(nil)))
	for _, f := range fields {
		if _, ok := taxRateCounts[f]; ok {
			continue
		}
		if _, ok := t.FieldMap[f]; ok {
			continue
		}
		isRel := false
		for _, rel := range t.Relations {
			isRel = isRel || jsonName(rel.Field.StructField.Tag.Get("json")) == f
		}
		if !isRel {
			return Invalidf("Field %s is not valid", f)
		}
	}
	return nil
}

// finishTaxRates normalises loaded rates and fills the relations and counts asked for.
func (s *Store) finishTaxRates(ctx context.Context, db bun.IDB, rates []*TaxRate, paths, fields []string) error {
	ids := make([]string, len(rates))
	for i, r := range rates {
		ids[i] = r.ID
		if r.Rate != nil {
			v := model.Real(*r.Rate)
			r.Rate = &v
		}
		fixLoadedRegion(r.Region)
		FillRelations(s.DB, r.TaxRate, paths)
	}
	if len(rates) == 0 {
		return nil
	}
	for _, f := range fields {
		rel, ok := taxRateCounts[f]
		if !ok {
			continue
		}
		counts, err := taxRateRelationCounts(ctx, db, rel, ids)
		if err != nil {
			return err
		}
		for _, r := range rates {
			n := counts[r.ID]
			switch rel {
			case "products":
				r.ProductCount = &n
			case "product_types":
				r.ProductTypeCount = &n
			case "shipping_options":
				r.ShippingOptionCount = &n
			}
		}
	}
	return nil
}

// taxRateLink describes one of a tax rate's associations: its join table and the linked table.
type taxRateLink struct {
	join, col, table string
}

var (
	taxRateProducts        = taxRateLink{"product_tax_rate", "product_id", "product"}
	taxRateProductTypes    = taxRateLink{"product_type_tax_rate", "product_type_id", "product_type"}
	taxRateShippingOptions = taxRateLink{"shipping_tax_rate", "shipping_option_id", "shipping_option"}
)

func taxRateLinkOf(rel string) taxRateLink {
	switch rel {
	case "products":
		return taxRateProducts
	case "product_types":
		return taxRateProductTypes
	}
	return taxRateShippingOptions
}

// taxRateRelationCounts counts, per rate, the live rows linked through a relation, in one
// statement for all rates (TypeORM's loadRelationCountAndMap skips soft-deleted rows too).
func taxRateRelationCounts(ctx context.Context, db bun.IDB, rel string, ids []string) (map[string]int, error) {
	l := taxRateLinkOf(rel)
	var rows []struct {
		RateID string `bun:"rate_id"`
		N      int    `bun:"n"`
	}
	err := db.NewRaw(fmt.Sprintf(`SELECT j.rate_id, count(*) AS n FROM %s AS j JOIN %s AS t ON t.id = j.%s AND t.deleted_at IS NULL
		WHERE j.rate_id IN (?) GROUP BY j.rate_id`, l.join, l.table, l.col), bun.In(ids)).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("count tax rate %s: %w", rel, err)
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.RateID] = r.N
	}
	return out, nil
}

// ListTaxRates is GET /admin/tax-rates: a page of rates, newest first, with p.Expand and the
// counts p.Fields names; the count is the total.
func (s *Store) ListTaxRates(ctx context.Context, f TaxRateFilter, p Page) ([]*TaxRate, int, error) {
	if err := s.checkTaxRateFields(p.Fields); err != nil {
		return nil, 0, err
	}
	if p.Limit < 0 || p.Offset < 0 {
		return nil, 0, Invalidf("limit and offset must not be negative")
	}
	rows := []*model.TaxRate{}
	q := s.DB.NewSelect().Model(&rows)
	if f.RegionIDs != nil {
		q = q.Where("tax_rate.region_id IN (?)", bun.In(nonEmpty(f.RegionIDs)))
	}
	if f.Name != nil {
		q = q.Where("tax_rate.name = ?", *f.Name)
	}
	if f.Code != nil {
		q = q.Where("tax_rate.code = ?", *f.Code)
	}
	q = f.Rate.applyReal(q, "tax_rate.rate")
	q, err := s.applyWhere(q, "taxRate", p.Where)
	if err != nil {
		return nil, 0, err
	}
	q, paths, err := s.withTaxRelations(q, (*model.TaxRate)(nil), p.Expand)
	if err != nil {
		return nil, 0, err
	}
	q = q.OrderExpr("tax_rate.created_at DESC, tax_rate.id DESC").Offset(int64(p.Offset))
	if p.Limit == 0 && !p.All { // bun's Limit(0) is no limit; a page of none only needs the total
		n, err := q.Count(ctx)
		if err != nil {
			return nil, 0, fmt.Errorf("count tax rates: %w", err)
		}
		return []*TaxRate{}, int(n), nil
	}
	n, err := q.Limit(int64(p.Limit)).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, dbError(err, "list tax rates")
	}
	out := make([]*TaxRate, len(rows))
	for i, r := range rows {
		out[i] = &TaxRate{TaxRate: r}
	}
	if err := s.finishTaxRates(ctx, s.DB, out, paths, p.Fields); err != nil {
		return nil, 0, err
	}
	return out, int(n), nil
}

// GetTaxRate returns a tax rate with find's relations and counts.
func (s *Store) GetTaxRate(ctx context.Context, id string, find Find) (*TaxRate, error) {
	return s.getTaxRate(ctx, s.DB, id, find)
}

func (s *Store) getTaxRate(ctx context.Context, db bun.IDB, id string, find Find) (*TaxRate, error) {
	if err := s.checkTaxRateFields(find.Fields); err != nil {
		return nil, err
	}
	r := new(model.TaxRate)
	q, paths, err := s.withTaxRelations(db.NewSelect().Model(r).Where("tax_rate.id = ?", id), r, find.Expand)
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, taxRateNotFound(id)
		}
		return nil, fmt.Errorf("get tax rate %s: %w", id, err)
	}
	out := &TaxRate{TaxRate: r}
	if err := s.finishTaxRates(ctx, db, []*TaxRate{out}, paths, find.Fields); err != nil {
		return nil, err
	}
	return out, nil
}

// lockTaxRate reads a tax rate FOR UPDATE, so concurrent changes to it and its links serialise.
func lockTaxRate(ctx context.Context, tx bun.Tx, id string) (*model.TaxRate, error) {
	r := new(model.TaxRate)
	err := tx.NewSelect().Model(r).Where("tax_rate.id = ?", id).For("UPDATE").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, taxRateNotFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("lock tax rate %s: %w", id, err)
	}
	return r, nil
}

// checkTaxRateRegion requires a live region (Medusa lets the foreign key fail: a 500).
func checkTaxRateRegion(ctx context.Context, db bun.IDB, id string) error {
	ok, err := db.NewSelect().Model((*model.Region)(nil)).Where("id = ?", id).Exists(ctx)
	if err != nil {
		return fmt.Errorf("find region %s: %w", id, err)
	}
	if !ok {
		return regionNotFound(id)
	}
	return nil
}

// CreateTaxRateInput is Medusa's AdminPostTaxRatesReq. The lists, when non-nil, are linked to
// the new rate.
type CreateTaxRateInput struct {
	Code            *string
	Name            string
	RegionID        string
	Rate            *float64 // nil: no rate (code-only rates)
	Products        []string
	ProductTypes    []string
	ShippingOptions []string
}

// CreateTaxRate creates a rate and its links in one transaction and returns it as find asks.
func (s *Store) CreateTaxRate(ctx context.Context, in CreateTaxRateInput, find Find) (*TaxRate, error) {
	if err := s.checkTaxRateFields(find.Fields); err != nil {
		return nil, err
	}
	if _, err := Relations(s.DB, (*model.TaxRate)(nil), find.Expand); err != nil {
		return nil, err
	}
	r := &model.TaxRate{ID: NewID("txr"), Code: in.Code, Name: in.Name, RegionID: in.RegionID, Rate: in.Rate}
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := checkTaxRateRegion(ctx, tx, in.RegionID); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			return dbError(err, "insert tax rate")
		}
		return setTaxRateLinks(ctx, tx, r, in.Products, in.ProductTypes, in.ShippingOptions, false)
	})
	if err != nil {
		return nil, err
	}
	return s.GetTaxRate(ctx, r.ID, find)
}

// setTaxRateLinks adds (replace: sets exactly) the rate's products, product types and shipping
// options, in Medusa's order; nil lists are left alone.
func setTaxRateLinks(ctx context.Context, tx bun.Tx, r *model.TaxRate, products, types, options []string, replace bool) error {
	if products != nil {
		if err := linkTaxRate(ctx, tx, r, taxRateProducts, products, replace); err != nil {
			return err
		}
	}
	if types != nil {
		if err := linkTaxRate(ctx, tx, r, taxRateProductTypes, types, replace); err != nil {
			return err
		}
	}
	if options != nil {
		if err := linkTaxRate(ctx, tx, r, taxRateShippingOptions, options, replace); err != nil {
			return err
		}
	}
	return nil
}

// linkTaxRate links the rows with ids to the rate, skipping links it has (replace: and unlinks
// every other row). Every id must name a row, deleted or not, as Medusa's foreign keys require:
// the first that does not is Medusa's not_found error and nothing is linked. Shipping options
// must be in the rate's region.
func linkTaxRate(ctx context.Context, tx bun.Tx, r *model.TaxRate, l taxRateLink, ids []string, replace bool) error {
	if l == taxRateShippingOptions && len(ids) > 0 {
		// Medusa compares the regions of the live options before linking.
		var opts []struct {
			ID       string `bun:"id"`
			RegionID string `bun:"region_id"`
		}
		if err := tx.NewRaw(`SELECT id, region_id FROM shipping_option WHERE id IN (?) AND deleted_at IS NULL
			ORDER BY array_position(?::text[], id)`, bun.In(ids), pgdialect.Array(ids)).Scan(ctx, &opts); err != nil {
			return fmt.Errorf("check shipping options: %w", err)
		}
		for _, o := range opts {
			if o.RegionID != r.RegionID {
				return Errorf(NotAllowed, "Shipping Option and Tax Rate must belong to the same Region to be associated. "+
					"Shipping Option with id: %s belongs to Region with id: %s and Tax Rate with id: %s belongs to Region with id: %s",
					o.ID, o.RegionID, r.ID, r.RegionID)
			}
		}
	}
	if len(ids) > 0 {
		if err := checkTaxLinkRows(ctx, tx, l, ids); err != nil {
			return err
		}
		// One insert in the request's order, as Medusa's: the join rows' storage order is the
		// order the rate lists them in (a repeated id is skipped by ON CONFLICT).
		if _, err := tx.NewRaw(fmt.Sprintf(`INSERT INTO %s (rate_id, %s)
			SELECT ?, u.x FROM unnest(?::text[]) WITH ORDINALITY AS u(x, n) ORDER BY u.n
			ON CONFLICT DO NOTHING`, l.join, l.col), r.ID, pgdialect.Array(ids)).Exec(ctx); err != nil {
			return dbError(err, "link tax rate")
		}
	}
	if replace {
		if _, err := tx.NewRaw(fmt.Sprintf(`DELETE FROM %s WHERE rate_id = ? AND %s <> ALL(?::text[])`, l.join, l.col),
			r.ID, pgdialect.Array(append([]string{}, ids...))).Exec(ctx); err != nil {
			return fmt.Errorf("unlink tax rate: %w", err)
		}
	}
	return nil
}

// checkTaxLinkRows requires every id to name a row of the link's table, deleted or not (what
// Medusa's foreign keys require); the first that does not is Medusa's not_found error. The rows
// are locked (FOR KEY SHARE) so that they cannot disappear before the links are written.
func checkTaxLinkRows(ctx context.Context, tx bun.Tx, l taxRateLink, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	var found []string
	if err := tx.NewRaw(fmt.Sprintf(`SELECT id FROM %s WHERE id IN (?) FOR KEY SHARE`, l.table), bun.In(ids)).
		Scan(ctx, &found); err != nil {
		return fmt.Errorf("check %s: %w", l.table, err)
	}
	have := make(map[string]bool, len(found))
	for _, f := range found {
		have[f] = true
	}
	for _, id := range ids {
		if !have[id] {
			return taxLinkNotFound(l, id)
		}
	}
	return nil
}

// taxLinkNotFound is the error of the service Medusa asks about the missing row. Its product
// type service words it as a product's.
func taxLinkNotFound(l taxRateLink, id string) *Error {
	if l == taxRateShippingOptions {
		return NotFoundf("Shipping Option with %s was not found", id)
	}
	return NotFoundf("Product with id: %s was not found", id)
}

// UpdateTaxRateInput is Medusa's AdminPostTaxRatesTaxRateReq. Nil fields are left alone; Code
// and Rate are nullable: a pointer to nil clears them. The lists, when non-nil, replace the
// rate's links.
type UpdateTaxRateInput struct {
	Code            **string
	Name            *string
	RegionID        *string
	Rate            **float64
	Products        []string
	ProductTypes    []string
	ShippingOptions []string
}

// UpdateTaxRate changes a rate and replaces the given links in one transaction; updated_at moves
// only when a column changed, as with TypeORM's save.
func (s *Store) UpdateTaxRate(ctx context.Context, id string, in UpdateTaxRateInput, find Find) (*TaxRate, error) {
	if err := s.checkTaxRateFields(find.Fields); err != nil {
		return nil, err
	}
	if _, err := Relations(s.DB, (*model.TaxRate)(nil), find.Expand); err != nil {
		return nil, err
	}
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		r, err := lockTaxRate(ctx, tx, id)
		if err != nil {
			return err
		}
		if r.Rate != nil {
			v := model.Real(*r.Rate)
			r.Rate = &v
		}
		var cols []string
		if in.Code != nil && !catalogPtrEq(*in.Code, r.Code) {
			r.Code, cols = *in.Code, append(cols, "code")
		}
		if in.Name != nil && *in.Name != r.Name {
			r.Name, cols = *in.Name, append(cols, "name")
		}
		if in.RegionID != nil && *in.RegionID != r.RegionID {
			if err := checkTaxRateRegion(ctx, tx, *in.RegionID); err != nil {
				return err
			}
			r.RegionID, cols = *in.RegionID, append(cols, "region_id")
		}
		if in.Rate != nil && !catalogPtrEq(*in.Rate, r.Rate) {
			r.Rate, cols = *in.Rate, append(cols, "rate")
		}
		if len(cols) > 0 {
			r.UpdatedAt = model.Now()
			if _, err := tx.NewUpdate().Model(r).Column(append(cols, "updated_at")...).WherePK().Exec(ctx); err != nil {
				return dbError(err, "update tax rate")
			}
		}
		return setTaxRateLinks(ctx, tx, r, in.Products, in.ProductTypes, in.ShippingOptions, true)
	})
	if err != nil {
		return nil, err
	}
	return s.GetTaxRate(ctx, id, find)
}

// DeleteTaxRate deletes a rate and its links; a missing rate is no error, as in Medusa.
func (s *Store) DeleteTaxRate(ctx context.Context, id string) error {
	// The join tables cascade.
	if _, err := s.DB.NewDelete().Model((*model.TaxRate)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("delete tax rate: %w", err)
	}
	return nil
}

// addTaxRateLinks links rows to an existing rate (idempotently) and returns it as find asks.
func (s *Store) addTaxRateLinks(ctx context.Context, id string, l taxRateLink, ids []string, find Find) (*TaxRate, error) {
	if err := s.checkTaxRateFields(find.Fields); err != nil {
		return nil, err
	}
	if _, err := Relations(s.DB, (*model.TaxRate)(nil), find.Expand); err != nil {
		return nil, err
	}
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		// When both the rate and a product are missing, Medusa looks both up at once and reports
		// whichever answers first; Gorgon reports the rate, as for shipping options.
		r, err := lockTaxRate(ctx, tx, id)
		if err != nil {
			return err
		}
		return linkTaxRate(ctx, tx, r, l, ids, false)
	})
	if err != nil {
		return nil, err
	}
	return s.GetTaxRate(ctx, id, find)
}

// removeTaxRateLinks unlinks rows from a rate; rows it is not linked to are no change. As in
// Medusa, a missing rate is reported after the (empty) removal.
func (s *Store) removeTaxRateLinks(ctx context.Context, id string, l taxRateLink, ids []string, find Find) (*TaxRate, error) {
	if err := s.checkTaxRateFields(find.Fields); err != nil {
		return nil, err
	}
	if _, err := Relations(s.DB, (*model.TaxRate)(nil), find.Expand); err != nil {
		return nil, err
	}
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := lockTaxRate(ctx, tx, id); err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		_, err := tx.NewRaw(fmt.Sprintf(`DELETE FROM %s WHERE rate_id = ? AND %s IN (?)`, l.join, l.col), id, bun.In(ids)).Exec(ctx)
		if err != nil {
			return fmt.Errorf("unlink tax rate: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.GetTaxRate(ctx, id, find)
}

// AddTaxRateProducts makes the rate apply to the products (every id must exist).
func (s *Store) AddTaxRateProducts(ctx context.Context, id string, productIDs []string, find Find) (*TaxRate, error) {
	return s.addTaxRateLinks(ctx, id, taxRateProducts, productIDs, find)
}

// RemoveTaxRateProducts stops the rate applying to the products.
func (s *Store) RemoveTaxRateProducts(ctx context.Context, id string, productIDs []string, find Find) (*TaxRate, error) {
	return s.removeTaxRateLinks(ctx, id, taxRateProducts, productIDs, find)
}

// AddTaxRateProductTypes makes the rate apply to the product types (every id must exist).
func (s *Store) AddTaxRateProductTypes(ctx context.Context, id string, typeIDs []string, find Find) (*TaxRate, error) {
	return s.addTaxRateLinks(ctx, id, taxRateProductTypes, typeIDs, find)
}

// RemoveTaxRateProductTypes stops the rate applying to the product types.
func (s *Store) RemoveTaxRateProductTypes(ctx context.Context, id string, typeIDs []string, find Find) (*TaxRate, error) {
	return s.removeTaxRateLinks(ctx, id, taxRateProductTypes, typeIDs, find)
}

// AddTaxRateShippingOptions makes the rate apply to the shipping options (every id must exist;
// live ones must be in the rate's region).
func (s *Store) AddTaxRateShippingOptions(ctx context.Context, id string, optionIDs []string, find Find) (*TaxRate, error) {
	return s.addTaxRateLinks(ctx, id, taxRateShippingOptions, optionIDs, find)
}

// RemoveTaxRateShippingOptions stops the rate applying to the shipping options.
func (s *Store) RemoveTaxRateShippingOptions(ctx context.Context, id string, optionIDs []string, find Find) (*TaxRate, error) {
	return s.removeTaxRateLinks(ctx, id, taxRateShippingOptions, optionIDs, find)
}
