package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// DiscountRelations are the relations Medusa's admin discount routes load when `expand` is not
// given (defaultAdminDiscountsRelations). Every column is selected by default.
var DiscountRelations = []string{"rule", "parent_discount", "regions", "rule.conditions"}

// Medusa's discount rule types, allocations and condition operators (its enums, in order).
var (
	DiscountRuleTypes         = []string{"fixed", "percentage", "free_shipping"}
	DiscountAllocations       = []string{"total", "item"}
	DiscountConditionOps      = []string{"in", "not_in"}
	discountRuleTypeMessage   = `Invalid rule type, must be one of "fixed", "percentage" or "free_shipping"`
	discountAllocationMessage = `Invalid allocation type, must be one of "total" or "item"`
)

// withEagerRegions adds, to every relation path ending at a list of regions, the regions'
// payment and fulfillment providers: Medusa's Region entity loads them eagerly.
func withEagerRegions(paths []string) []string {
	out := append([]string{}, paths...)
	for _, p := range paths {
		p = strings.TrimSpace(p)
		if p == "regions" || strings.HasSuffix(p, ".regions") {
			out = append(out, p+".payment_providers", p+".fulfillment_providers")
		}
	}
	return out
}

// checkModelFields refuses `fields` that are neither a column nor a relation of m (Medusa answers
// an unknown column with a 500; a relation name it ignores).
func (s *Store) checkModelFields(m any, fields []string) error {
	t := s.DB.Table(reflect.TypeOf(m))
	for _, f := range fields {
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

// checkDiscountFind validates `expand` and `fields` of a discount route before anything is
// written, so that a bad parameter changes nothing.
func (s *Store) checkDiscountFind(find Find) error {
	if err := s.checkModelFields((*model.Discount)(nil), find.Fields); err != nil {
		return err
	}
	_, err := Relations(s.DB, (*model.Discount)(nil), find.Expand)
	return err
}

func discountPaths(find Find) []string {
	if len(find.Expand) == 0 {
		return DiscountRelations
	}
	return find.Expand
}

// loadDiscountRelations adds the relation paths (and the regions' eager providers) to q.
func (s *Store) loadDiscountRelations(q *bun.SelectQuery, paths []string) (*bun.SelectQuery, []string, error) {
	paths = withEagerRegion(withEagerRegions(withPrefixes(paths)))
	names, err := Relations(s.DB, (*model.Discount)(nil), paths)
	if err != nil {
		return nil, nil, err
	}
	return addDiscountRelations(s.DB, q, (*model.Discount)(nil), names), paths, nil
}

// withPrefixes lists every path with the paths leading to it first ("rule.conditions.products"
// needs "rule" and "rule.conditions"), each once, so that each relation gets its order (Medusa
// wants the prefixes listed; Gorgon implies them).
func withPrefixes(paths []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range paths {
		parts := strings.Split(strings.TrimSpace(p), ".")
		for i := range parts {
			pre := strings.Join(parts[:i+1], ".")
			if !seen[pre] {
				seen[pre] = true
				out = append(out, pre)
			}
		}
	}
	return out
}

// finishDiscounts normalises what Gorgon reads differently from Medusa in loaded discounts and
// makes loaded to-many relations that found nothing [].
func (s *Store) finishDiscounts(discounts []*model.Discount, paths []string) {
	for _, d := range discounts {
		FillRelations(s.DB, d, paths)
		for _, dd := range []*model.Discount{d, d.ParentDiscount} {
			if dd == nil {
				continue
			}
			for _, r := range dd.Regions {
				fixLoadedRegion(r)
			}
		}
	}
}

func discountNotFound(id string) *Error { return NotFoundf("Discount with %s was not found", id) }

// DiscountFilter is Medusa's AdminGetDiscountsParams selector.
type DiscountFilter struct {
	Q              *string // ILIKE %q% on the code (pattern characters included, as Medusa)
	IsDynamic      *bool
	IsDisabled     *bool
	RuleType       *string
	RuleAllocation *string
	// RegionIDs: discounts valid in any of these regions (Gorgon's; Medusa has no such filter).
	RegionIDs []string
	// StartsAt, EndsAt: ranges on the validity window (Gorgon's); a discount without an end is
	// outside every endsAt range.
	StartsAt, EndsAt *TimeRange
	// Order: the list order, keys in turn (nil: newest first); ties end by id.
	Order []ListOrder
}

// ListDiscounts lists live discounts, newest first, with p.Expand (default DiscountRelations);
// the count is the total. Relations are loaded with one statement each, whatever the page size.
func (s *Store) ListDiscounts(ctx context.Context, f DiscountFilter, p Page) ([]*model.Discount, int, error) {
	if p.Limit < 0 || p.Offset < 0 {
		return nil, 0, Invalidf("limit and offset must not be negative")
	}
	discounts := []*model.Discount{}
	q := s.DB.NewSelect().Model(&discounts)
	if f.Q != nil && *f.Q != "" {
		q = q.Where("discount.code ILIKE ?", "%"+*f.Q+"%")
	}
	if f.IsDynamic != nil {
		q = q.Where("discount.is_dynamic = ?", *f.IsDynamic)
	}
	if f.IsDisabled != nil {
		q = q.Where("discount.is_disabled = ?", *f.IsDisabled)
	}
	if f.RuleType != nil || f.RuleAllocation != nil {
		sub := s.DB.NewSelect().TableExpr("discount_rule AS dr").Column("dr.id").Where("dr.deleted_at IS NULL")
		if f.RuleType != nil {
			sub = sub.Where("dr.type = ?", *f.RuleType)
		}
		if f.RuleAllocation != nil {
			sub = sub.Where("dr.allocation = ?", *f.RuleAllocation)
		}
		q = q.Where("discount.rule_id IN (?)", sub)
	}
	if f.RegionIDs != nil {
		q = q.Where("EXISTS (SELECT 1 FROM discount_regions AS dreg WHERE dreg.discount_id = discount.id AND dreg.region_id IN (?))",
			bun.In(nonEmpty(f.RegionIDs)))
	}
	q = f.StartsAt.apply(q, "discount.starts_at")
	q = f.EndsAt.apply(q, "discount.ends_at")
	q, err := s.applyWhere(q, "discount", p.Where)
	if err != nil {
		return nil, 0, err
	}
	order, err := listOrder("discount", f.Order, discountOrderColumns)
	if err != nil {
		return nil, 0, err
	}
	paths := discountPaths(p.Find)
	q, paths, err = s.loadDiscountRelations(q, paths)
	if err != nil {
		return nil, 0, err
	}
	q = q.OrderExpr(order).Offset(int64(p.Offset))
	if p.Limit == 0 && !p.All { // bun's Limit(0) is no limit; a page of none only needs the total
		n, err := q.Count(ctx)
		if err != nil {
			return nil, 0, fmt.Errorf("count discounts: %w", err)
		}
		return discounts, int(n), nil
	}
	n, err := q.Limit(int64(p.Limit)).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, dbError(err, "list discounts")
	}
	s.finishDiscounts(discounts, paths)
	return discounts, int(n), nil
}

// GetDiscount returns a live discount with find's relations (default DiscountRelations).
func (s *Store) GetDiscount(ctx context.Context, id string, find Find) (*model.Discount, error) {
	return s.getDiscount(ctx, s.DB, "discount.id = ?", id, discountNotFound(id), find)
}

// GetDiscountByCode returns the live discount with exactly this code (Medusa matches the code
// as given; codes are stored upper-cased).
func (s *Store) GetDiscountByCode(ctx context.Context, code string, find Find) (*model.Discount, error) {
	return s.getDiscount(ctx, s.DB, "discount.code = ?", code, NotFoundf("Discount with code %s was not found", code), find)
}

func (s *Store) getDiscount(ctx context.Context, db bun.IDB, where string, arg any, missing *Error, find Find) (*model.Discount, error) {
	if err := s.checkModelFields((*model.Discount)(nil), find.Fields); err != nil {
		return nil, err
	}
	d := new(model.Discount)
	q, paths, err := s.loadDiscountRelations(db.NewSelect().Model(d).Where(where, arg), discountPaths(find))
	if err != nil {
		return nil, err
	}
	if err := q.Limit(1).Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, missing
		}
		return nil, fmt.Errorf("get discount: %w", err)
	}
	s.finishDiscounts([]*model.Discount{d}, paths)
	return d, nil
}

// lockDiscount reads a live discount FOR UPDATE, so concurrent changes to it, its regions and its
// rule's conditions serialise.
func lockDiscount(ctx context.Context, tx bun.Tx, id string) (*model.Discount, error) {
	d := new(model.Discount)
	err := tx.NewSelect().Model(d).Where("discount.id = ?", id).For("UPDATE").Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, discountNotFound(id)
	}
	if err != nil {
		return nil, fmt.Errorf("lock discount %s: %w", id, err)
	}
	return d, nil
}

// discountRule reads a discount's rule (also a soft-deleted one, which Medusa would still join).
func discountRule(ctx context.Context, tx bun.Tx, d *model.Discount) (*model.DiscountRule, error) {
	r := new(model.DiscountRule)
	if d.RuleID == nil {
		return nil, Invalidf("Discount with %s has no rule", d.ID)
	}
	if err := tx.NewSelect().Model(r).WhereAllWithDeleted().Where("discount_rule.id = ?", *d.RuleID).Scan(ctx); err != nil {
		return nil, fmt.Errorf("get discount rule %s: %w", *d.RuleID, err)
	}
	return r, nil
}

// isoDurationRe is the ISO 8601 duration check of Medusa's IsISO8601Duration validator.
var isoDurationRe = regexp.MustCompile(`^P(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+S)?)?$`)

// IsISO8601Duration reports whether s passes Medusa's duration check ("P" alone and a "T"
// without a time part do not).
func IsISO8601Duration(s string) bool {
	return s != "P" && !strings.HasSuffix(s, "T") && isoDurationRe.MatchString(s)
}

// durationPartsRe is how Medusa's iso8601-duration parses a duration: a week form or a
// date/time form, the first that matches.
var durationPartsRe = regexp.MustCompile(`P(?:(\d+(?:[.,]\d+)?W)|(\d+(?:[.,]\d+)?Y)?(\d+(?:[.,]\d+)?M)?(\d+(?:[.,]\d+)?D)?(?:T(\d+(?:[.,]\d+)?H)?(\d+(?:[.,]\d+)?M)?(\d+(?:[.,]\d+)?S)?)?)`)

// addISODuration adds an ISO 8601 duration to t the way iso8601-duration's end() does: years,
// months, days, hours, minutes, seconds, then weeks, each in calendar arithmetic (UTC).
func addISODuration(t time.Time, d string) time.Time {
	m := durationPartsRe.FindStringSubmatch(d)
	if m == nil {
		return t
	}
	n := func(i int) float64 {
		s := strings.TrimRight(m[i], "WYMDHS")
		s = strings.Replace(s, ",", ".", 1)
		v, _ := strconv.ParseFloat(s, 64)
		return v
	}
	weeks, years, months, days, hours, minutes, seconds := n(1), n(2), n(3), n(4), n(5), n(6), n(7)
	t = t.UTC().AddDate(int(years), 0, 0).AddDate(0, int(months), 0).AddDate(0, 0, int(days))
	t = t.Add(time.Duration(hours * float64(time.Hour))).Add(time.Duration(minutes * float64(time.Minute)))
	t = t.Add(time.Duration(seconds * 1000 * float64(time.Millisecond)))
	return t.AddDate(0, 0, int(weeks*7))
}

// discountTime is t as a JavaScript Date keeps it: milliseconds.
func discountTime(t time.Time) model.Time {
	return model.Time{Time: t.UTC().Truncate(time.Millisecond)}
}

// DiscountRuleInput is Medusa's AdminPostDiscountsDiscountRule.
type DiscountRuleInput struct {
	Description *string
	Type        string
	Value       int
	Allocation  string
	Conditions  []DiscountConditionInput
}

// CreateDiscountInput is Medusa's AdminPostDiscountsReq.
type CreateDiscountInput struct {
	Code          string
	Rule          DiscountRuleInput
	IsDynamic     bool
	IsDisabled    bool
	StartsAt      *time.Time // nil: now
	EndsAt        *time.Time
	ValidDuration *string
	UsageLimit    *int
	Regions       []string
	Metadata      map[string]any
}

// checkDiscountRuleValue is Medusa's validateDiscountRule_, plus the lower bound of percentages
// (Medusa stores a negative percentage, which would raise prices; Gorgon refuses it).
func checkDiscountRuleValue(typ string, value int) error {
	if typ == "percentage" && value > 100 {
		return Invalidf("Discount value above 100 is not allowed when type is percentage")
	}
	if typ == "percentage" && value < 0 {
		return Invalidf("Discount value below 0 is not allowed when type is percentage")
	}
	return nil
}

// checkFixedRegions is Medusa's rule that a fixed amount, being in one currency, is valid in one
// region only.
func checkFixedRegions(typ string, regions []string) error {
	if typ == "fixed" && len(regions) > 1 {
		return Invalidf("Fixed discounts can have one region")
	}
	return nil
}

// checkDiscountRegions requires every id to name a live region; the first that does not is
// Medusa's not_found error. The regions are locked (FOR KEY SHARE) until the links are written.
func checkDiscountRegions(ctx context.Context, tx bun.Tx, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	var found []string
	if err := tx.NewSelect().Model((*model.Region)(nil)).Column("id").Where("id IN (?)", bun.In(ids)).
		For("KEY SHARE").Scan(ctx, &found); err != nil {
		return fmt.Errorf("check regions: %w", err)
	}
	have := make(map[string]bool, len(found))
	for _, f := range found {
		have[f] = true
	}
	for _, id := range ids {
		if !have[id] {
			return regionNotFound(id)
		}
	}
	return nil
}

// setDiscountRegions makes ids (in that order, duplicates once) exactly the discount's regions.
func setDiscountRegions(ctx context.Context, tx bun.Tx, discountID string, ids []string) error {
	if _, err := tx.NewRaw(`DELETE FROM discount_regions WHERE discount_id = ? AND region_id <> ALL(?::text[])`,
		discountID, pgdialect.Array(append([]string{}, ids...))).Exec(ctx); err != nil {
		return fmt.Errorf("unlink discount regions: %w", err)
	}
	if len(ids) == 0 {
		return nil
	}
	if _, err := tx.NewRaw(`INSERT INTO discount_regions (discount_id, region_id)
		SELECT ?, u.x FROM unnest(?::text[]) WITH ORDINALITY AS u(x, n) ORDER BY u.n ON CONFLICT DO NOTHING`,
		discountID, pgdialect.Array(ids)).Exec(ctx); err != nil {
		return dbError(err, "link discount regions")
	}
	return nil
}

// discountWriteError words the unique violation of a discount's code as Medusa's create does
// (its update and dynamic codes let it surface as a 500).
func discountWriteError(err error, code, what string) error {
	var pg *pgconn.PgError
	if errors.As(err, &pg) && pg.Code == "23505" && pg.TableName == "discount" {
		return &Error{Type: DuplicateError, Message: fmt.Sprintf("Discount with code %s already exists.", code), err: err}
	}
	return dbError(err, what)
}

func discountInList(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

// CreateDiscount creates a discount, its rule, its region links and its conditions in one
// transaction, with Medusa's checks in Medusa's order, and returns it as find asks.
func (s *Store) CreateDiscount(ctx context.Context, in CreateDiscountInput, find Find) (*model.Discount, error) {
	if err := s.checkDiscountFind(find); err != nil {
		return nil, err
	}
	var v Violations
	v.Add(!discountInList(DiscountRuleTypes, in.Rule.Type), "rule", discountRuleTypeMessage)
	v.Add(!discountInList(DiscountAllocations, in.Rule.Allocation), "rule", discountAllocationMessage)
	v.Add(in.ValidDuration != nil && !IsISO8601Duration(*in.ValidDuration), "valid_duration", `"valid_duration" must be a valid ISO 8601 duration`)
	v.Add(in.UsageLimit != nil && *in.UsageLimit <= 0, "usage_limit", "usage_limit must be a positive number")
	v.Add(in.StartsAt != nil && in.EndsAt != nil && !in.EndsAt.After(*in.StartsAt), "ends_at", `"ends_at" must be greater than "starts_at"`)
	if err := v.Err(); err != nil {
		return nil, err
	}
	if err := checkDiscountRuleValue(in.Rule.Type, in.Rule.Value); err != nil {
		return nil, err
	}
	if err := checkFixedRegions(in.Rule.Type, in.Regions); err != nil {
		return nil, err
	}
	alloc := in.Rule.Allocation
	rule := &model.DiscountRule{ID: NewID("dru"), Description: in.Rule.Description, Type: in.Rule.Type, Value: in.Rule.Value, Allocation: &alloc}
	d := &model.Discount{
		ID: NewID("disc"), Code: strings.ToUpper(in.Code), IsDynamic: in.IsDynamic, RuleID: &rule.ID, IsDisabled: in.IsDisabled,
		ValidDuration: in.ValidDuration, UsageLimit: in.UsageLimit, Metadata: in.Metadata,
	}
	if in.StartsAt != nil {
		d.StartsAt = discountTime(*in.StartsAt)
	}
	if in.EndsAt != nil {
		t := discountTime(*in.EndsAt)
		d.EndsAt = &t
	}
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := checkDiscountRegions(ctx, tx, in.Regions); err != nil {
			return err
		}
		if _, err := tx.NewInsert().Model(rule).Exec(ctx); err != nil {
			return dbError(err, "insert discount rule")
		}
		if _, err := tx.NewInsert().Model(d).Exec(ctx); err != nil {
			return discountWriteError(err, d.Code, "insert discount")
		}
		if err := setDiscountRegions(ctx, tx, d.ID, in.Regions); err != nil {
			return err
		}
		for _, c := range in.Rule.Conditions {
			if err := upsertCondition(ctx, tx, d, rule.ID, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.GetDiscount(ctx, d.ID, find)
}

// UpdateDiscountRuleInput is Medusa's AdminUpdateDiscountRule: ID must be the discount's rule;
// nil fields are left as they are, Description and Allocation are nullable.
type UpdateDiscountRuleInput struct {
	ID          string
	Description **string
	Value       *int
	Allocation  **string
	Conditions  []DiscountConditionInput
}

// UpdateDiscountInput is Medusa's AdminPostDiscountsDiscountReq. Nil fields are left as they are;
// EndsAt, ValidDuration and UsageLimit are nullable (a pointer to nil clears them); Regions, when
// non-nil, replaces the discount's regions; Metadata is merged.
type UpdateDiscountInput struct {
	Code          *string
	Rule          *UpdateDiscountRuleInput
	IsDisabled    *bool
	StartsAt      *time.Time
	EndsAt        **time.Time
	ValidDuration **string
	UsageLimit    **int
	Regions       []string
	Metadata      map[string]any
}

// UpdateDiscount changes a discount, its rule, its conditions and its regions in one transaction
// and returns it as find asks; updated_at moves only on the rows whose columns changed, as with
// TypeORM's save.
func (s *Store) UpdateDiscount(ctx context.Context, id string, in UpdateDiscountInput, find Find) (*model.Discount, error) {
	if err := s.checkDiscountFind(find); err != nil {
		return nil, err
	}
	var v Violations
	if in.Rule != nil && in.Rule.Allocation != nil && *in.Rule.Allocation != nil {
		v.Add(!discountInList(DiscountAllocations, **in.Rule.Allocation), "rule", discountAllocationMessage)
	}
	v.Add(in.ValidDuration != nil && *in.ValidDuration != nil && !IsISO8601Duration(**in.ValidDuration), "valid_duration",
		`"valid_duration" must be a valid ISO 8601 duration`)
	v.Add(in.UsageLimit != nil && *in.UsageLimit != nil && **in.UsageLimit <= 0, "usage_limit", "usage_limit must be a positive number")
	if err := v.Err(); err != nil {
		return nil, err
	}
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		d, err := lockDiscount(ctx, tx, id)
		if err != nil {
			return err
		}
		rule, err := discountRule(ctx, tx, d)
		if err != nil {
			return err
		}
		// Medusa saves the rule under whatever id is given, creating a rule or taking over another
		// discount's; Gorgon only updates the discount's own rule.
		if in.Rule != nil && in.Rule.ID != rule.ID {
			return Invalidf("Discount rule with id %s does not belong to Discount with id %s", in.Rule.ID, d.ID)
		}
		// Medusa checks a new end against the stored start only; Gorgon checks the window the
		// update leaves, also when only the start moves.
		if in.StartsAt != nil || (in.EndsAt != nil && *in.EndsAt != nil) {
			start, end := d.StartsAt.Time, d.EndsAt
			if in.StartsAt != nil {
				start = discountTime(*in.StartsAt).Time
			}
			if in.EndsAt != nil {
				end = nil
				if *in.EndsAt != nil {
					t := discountTime(**in.EndsAt)
					end = &t
				}
			}
			if end != nil && !end.After(start) {
				return Invalidf(`"ends_at" must be greater than "starts_at"`)
			}
		}
		if in.Regions != nil {
			if err := checkFixedRegions(rule.Type, in.Regions); err != nil {
				return err
			}
		}
		if in.Rule != nil {
			for _, c := range in.Rule.Conditions {
				if err := upsertCondition(ctx, tx, d, rule.ID, c); err != nil {
					return err
				}
			}
		}
		if in.Regions != nil {
			if err := checkDiscountRegions(ctx, tx, in.Regions); err != nil {
				return err
			}
			if err := setDiscountRegions(ctx, tx, d.ID, in.Regions); err != nil {
				return err
			}
		}
		if in.Rule != nil {
			if err := updateDiscountRule(ctx, tx, rule, *in.Rule); err != nil {
				return err
			}
		}
		var cols []string
		set := func(col string, changed bool) {
			if changed {
				cols = append(cols, col)
			}
		}
		if in.Code != nil {
			code := strings.ToUpper(*in.Code)
			set("code", code != d.Code)
			d.Code = code
		}
		if in.IsDisabled != nil {
			set("is_disabled", *in.IsDisabled != d.IsDisabled)
			d.IsDisabled = *in.IsDisabled
		}
		if in.StartsAt != nil {
			t := discountTime(*in.StartsAt)
			set("starts_at", !t.Equal(d.StartsAt.Time))
			d.StartsAt = t
		}
		if in.EndsAt != nil {
			var t *model.Time
			if *in.EndsAt != nil {
				tt := discountTime(**in.EndsAt)
				t = &tt
			}
			set("ends_at", (t == nil) != (d.EndsAt == nil) || (t != nil && !t.Equal(d.EndsAt.Time)))
			d.EndsAt = t
		}
		if in.ValidDuration != nil {
			set("valid_duration", !catalogPtrEq(*in.ValidDuration, d.ValidDuration))
			d.ValidDuration = *in.ValidDuration
		}
		if in.UsageLimit != nil {
			set("usage_limit", !catalogPtrEq(*in.UsageLimit, d.UsageLimit))
			d.UsageLimit = *in.UsageLimit
		}
		if in.Metadata != nil {
			m := mergeMetadata(d.Metadata, in.Metadata)
			set("metadata", !reflect.DeepEqual(m, d.Metadata))
			d.Metadata = m
		}
		if len(cols) == 0 {
			return nil
		}
		d.UpdatedAt = model.Now()
		if _, err := tx.NewUpdate().Model(d).Column(append(cols, "updated_at")...).WherePK().Exec(ctx); err != nil {
			return discountWriteError(err, d.Code, "update discount")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.GetDiscount(ctx, id, find)
}

// updateDiscountRule applies a rule update: Medusa checks the value against the rule's type.
func updateDiscountRule(ctx context.Context, tx bun.Tx, rule *model.DiscountRule, in UpdateDiscountRuleInput) error {
	var cols []string
	if in.Value != nil {
		if err := checkDiscountRuleValue(rule.Type, *in.Value); err != nil {
			return err
		}
		if *in.Value != rule.Value {
			rule.Value, cols = *in.Value, append(cols, "value")
		}
	}
	if in.Description != nil && !catalogPtrEq(*in.Description, rule.Description) {
		rule.Description, cols = *in.Description, append(cols, "description")
	}
	if in.Allocation != nil && !catalogPtrEq(*in.Allocation, rule.Allocation) {
		rule.Allocation, cols = *in.Allocation, append(cols, "allocation")
	}
	if len(cols) == 0 {
		return nil
	}
	rule.UpdatedAt = model.Now()
	if _, err := tx.NewUpdate().Model(rule).Column(append(cols, "updated_at")...).WherePK().Exec(ctx); err != nil {
		return dbError(err, "update discount rule")
	}
	return nil
}

// DeleteDiscount soft-deletes a discount; a missing one is no error, as in Medusa. Its dynamic
// codes stay, as in Medusa.
func (s *Store) DeleteDiscount(ctx context.Context, id string) error {
	if _, err := s.DB.NewDelete().Model((*model.Discount)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
		return fmt.Errorf("delete discount: %w", err)
	}
	return nil
}

// DynamicCodeInput is Medusa's AdminPostDiscountsDiscountDynamicCodesReq. Its usage_limit is
// validated but, as in Medusa, the code takes its parent's.
type DynamicCodeInput struct {
	Code     string
	Metadata map[string]any
}

// CreateDynamicCode issues a code of a dynamic discount: a child discount sharing the parent's
// rule and usage limit, valid from now for the parent's valid_duration (if any). It returns the
// child's id.
func (s *Store) CreateDynamicCode(ctx context.Context, id string, in DynamicCodeInput) (string, error) {
	var child *model.Discount
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		// A share lock: codes may be issued concurrently, but not while the parent changes.
		p := new(model.Discount)
		err := tx.NewSelect().Model(p).Where("discount.id = ?", id).For("SHARE").Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return discountNotFound(id)
		}
		if err != nil {
			return fmt.Errorf("get discount %s: %w", id, err)
		}
		if !p.IsDynamic {
			return Errorf(NotAllowed, "Discount must be set to dynamic")
		}
		if in.Code == "" {
			return Invalidf("Discount must have a code")
		}
		child = &model.Discount{ID: NewID("disc"), Code: strings.ToUpper(in.Code), IsDynamic: true, RuleID: p.RuleID,
			ParentDiscountID: &p.ID, UsageLimit: p.UsageLimit, Metadata: in.Metadata}
		if p.ValidDuration != nil {
			end := discountTime(addISODuration(time.Now(), *p.ValidDuration))
			child.EndsAt = &end
		}
		if _, err := tx.NewInsert().Model(child).Exec(ctx); err != nil {
			return discountWriteError(err, child.Code, "insert dynamic code")
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return child.ID, nil
}

// DeleteDynamicCode soft-deletes the live code (matched exactly, as in Medusa) issued from a
// discount; a code it does not have is no change.
func (s *Store) DeleteDynamicCode(ctx context.Context, id, code string) error {
	if _, err := s.DB.NewDelete().Model((*model.Discount)(nil)).Where("parent_discount_id = ? AND code = ?", id, code).
		Exec(ctx); err != nil {
		return fmt.Errorf("delete dynamic code: %w", err)
	}
	return nil
}

// AddDiscountRegion makes a discount valid in a live region; one it has is no change. A fixed
// discount keeps to one region.
func (s *Store) AddDiscountRegion(ctx context.Context, id, regionID string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		d, err := lockDiscount(ctx, tx, id)
		if err != nil {
			return err
		}
		var regions []string
		if err := tx.NewRaw(`SELECT dr.region_id FROM discount_regions AS dr JOIN region AS r ON r.id = dr.region_id AND r.deleted_at IS NULL
			WHERE dr.discount_id = ?`, id).Scan(ctx, &regions); err != nil {
			return fmt.Errorf("discount regions: %w", err)
		}
		if discountInList(regions, regionID) {
			return nil
		}
		rule, err := discountRule(ctx, tx, d)
		if err != nil {
			return err
		}
		if len(regions) == 1 && rule.Type == "fixed" {
			return Invalidf("Fixed discounts can have one region")
		}
		if err := checkDiscountRegions(ctx, tx, []string{regionID}); err != nil {
			return err
		}
		if _, err := tx.NewRaw(`INSERT INTO discount_regions (discount_id, region_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
			id, regionID).Exec(ctx); err != nil {
			return dbError(err, "link discount region")
		}
		return nil
	})
}

// RemoveDiscountRegion takes a region out of a discount; one it does not have is no change.
func (s *Store) RemoveDiscountRegion(ctx context.Context, id, regionID string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := lockDiscount(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.NewRaw(`DELETE FROM discount_regions WHERE discount_id = ? AND region_id = ?`, id, regionID).Exec(ctx); err != nil {
			return fmt.Errorf("unlink discount region: %w", err)
		}
		return nil
	})
}
