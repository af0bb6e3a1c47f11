package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/gorgon-commerce/gorgon/store/model"
)

// FeatureFlag is one entry of Medusa's feature flag list (key and whether it is on).
type FeatureFlag struct {
	Key   string `json:"key"`
	Value bool   `json:"value"`
}

// StoreDetails is what GET /admin/store shows: the store with its currencies, default currency
// and (with sales channels on) default sales channel, plus the feature flags and every payment
// and fulfillment provider row.
type StoreDetails struct {
	*model.Store
	FeatureFlags         []FeatureFlag                `json:"feature_flags"`
	PaymentProviders     []*model.PaymentProvider     `json:"payment_providers"`
	FulfillmentProviders []*model.FulfillmentProvider `json:"fulfillment_providers"`
}

// FeatureFlags lists Medusa 1.3.8's feature flags and their state.
func (s *Store) FeatureFlags() []FeatureFlag {
	return []FeatureFlag{{Key: "sales_channels", Value: s.Config.FeatureSalesChannels}}
}

// storeNotFound is Medusa's error when the store row is missing (start-up creates it).
var storeNotFound = NotFoundf("Store does not exist")

// loadStore reads the store (the oldest row; Medusa keeps exactly one) with relations (bun
// names), optionally FOR UPDATE.
func loadStore(ctx context.Context, db bun.IDB, lock bool, relations ...string) (*model.Store, error) {
	st := new(model.Store)
	q := db.NewSelect().Model(st).OrderExpr("store.created_at ASC").Limit(1)
	for _, r := range relations {
		q = q.Relation(r, orderedRelation(db, st, r))
	}
	if lock {
		// FOR UPDATE cannot apply to the outer side of the joined to-one relations, so lock the
		// store table only.
		q = q.For("UPDATE OF store")
	}
	err := q.Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, storeNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("get store: %w", err)
	}
	return st, nil
}

// GetStore returns the store with its currencies and default currency, and its default sales
// channel when that feature is on (Medusa's GET /admin/store relations).
func (s *Store) GetStore(ctx context.Context) (*model.Store, error) {
	rels := []string{"Currencies", "DefaultCurrency"}
	paths := []string{"currencies", "default_currency"}
	if s.Config.FeatureSalesChannels {
		rels = append(rels, "DefaultSalesChannel")
		paths = append(paths, "default_sales_channel")
	}
	st, err := loadStore(ctx, s.DB, false, rels...)
	if err != nil {
		return nil, err
	}
	FillRelations(s.DB, st, paths)
	return st, nil
}

// GetStoreDetails returns GET /admin/store's body.
func (s *Store) GetStoreDetails(ctx context.Context) (*StoreDetails, error) {
	st, err := s.GetStore(ctx)
	if err != nil {
		return nil, err
	}
	pps, err := s.ListPaymentProviders(ctx)
	if err != nil {
		return nil, err
	}
	fps, err := s.ListFulfillmentProviders(ctx)
	if err != nil {
		return nil, err
	}
	return &StoreDetails{Store: st, FeatureFlags: s.FeatureFlags(), PaymentProviders: pps, FulfillmentProviders: fps}, nil
}

// UpdateStoreInput is Medusa's AdminPostStoreReq. The link templates are nullable columns: nil
// leaves one as it is, a pointer to nil clears it.
type UpdateStoreInput struct {
	Name                *string
	SwapLinkTemplate    **string
	PaymentLinkTemplate **string
	InviteLinkTemplate  **string
	DefaultCurrencyCode *string
	// Currencies, when non-nil, replaces the store's currencies (codes, any case).
	Currencies []string
	Metadata   map[string]any
}

// defaultCurrencyRemoved is Medusa's refusal to drop the default currency from the store's.
const defaultCurrencyRemoved = "You are not allowed to remove default currency from store currencies without replacing it as well"

// UpdateStore changes the store's settings with Medusa's rules: replaced currencies must exist
// and keep the (new) default currency; a new default currency must be one of the store's. The
// answer carries the currencies, and the default currency when it was given, as Medusa's does.
func (s *Store) UpdateStore(ctx context.Context, in UpdateStoreInput) (*model.Store, error) {
	var storeID string
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		st, err := loadStore(ctx, tx, true, "Currencies")
		if err != nil {
			return err
		}
		storeID = st.ID
		upd := tx.NewUpdate().Model((*model.Store)(nil)).Where("id = ?", st.ID)
		changed := false
		set := func(col string, old, v any) {
			if !reflect.DeepEqual(old, v) {
				upd = upd.Set("? = ?", bun.Ident(col), v)
				changed = true
			}
		}
		if in.Metadata != nil {
			set("metadata", st.Metadata, mergeMetadata(st.Metadata, in.Metadata))
		}
		currencies := st.Currencies
		if in.Currencies != nil {
			def := st.DefaultCurrencyCode
			if in.DefaultCurrencyCode != nil {
				def = *in.DefaultCurrencyCode
			}
			if !currencyListed(in.Currencies, def) {
				return Invalidf(defaultCurrencyRemoved)
			}
			currencies = nil
			for _, code := range in.Currencies {
				c, err := currencyByCode(ctx, tx, code)
				if err != nil {
					return err
				}
				if c == nil {
					return Invalidf("Currency with code %s does not exist", code)
				}
				currencies = append(currencies, c)
			}
			if err := setStoreCurrencies(ctx, tx, st.ID, currencies); err != nil {
				return err
			}
		}
		if in.DefaultCurrencyCode != nil && *in.DefaultCurrencyCode != "" {
			code := *in.DefaultCurrencyCode
			var has bool
			for _, c := range currencies {
				has = has || strings.EqualFold(c.Code, code)
			}
			if !has {
				return Invalidf("Store does not have currency: %s", code)
			}
			set("default_currency_code", st.DefaultCurrencyCode, strings.ToLower(code))
		}
		if in.Name != nil {
			set("name", st.Name, *in.Name)
		}
		for _, f := range []struct {
			col      string
			old, new **string
		}{
			{"swap_link_template", &st.SwapLinkTemplate, in.SwapLinkTemplate},
			{"payment_link_template", &st.PaymentLinkTemplate, in.PaymentLinkTemplate},
			{"invite_link_template", &st.InviteLinkTemplate, in.InviteLinkTemplate},
		} {
			if f.new != nil {
				set(f.col, *f.old, *f.new)
			}
		}
		if !changed {
			return nil
		}
		// Like TypeORM, touch updated_at only when a column changed.
		if _, err := upd.Set("updated_at = now()").Exec(ctx); err != nil {
			return dbError(err, "update store")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	rels := []string{"Currencies"}
	if in.DefaultCurrencyCode != nil && *in.DefaultCurrencyCode != "" {
		rels = append(rels, "DefaultCurrency")
	}
	st, err := s.storeWith(ctx, storeID, rels...)
	if err != nil {
		return nil, err
	}
	if in.Currencies != nil {
		answerCurrencies(st, currencyCodes(nil, in.Currencies...))
	}
	return st, nil
}

// currencyListed reports whether list holds the code s in any case.
func currencyListed(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// currencyByCode looks a currency up by code in any case; nil when there is none.
func currencyByCode(ctx context.Context, db bun.IDB, code string) (*model.Currency, error) {
	c := new(model.Currency)
	err := db.NewSelect().Model(c).Where("currency.code = ?", strings.ToLower(code)).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find currency %s: %w", code, err)
	}
	return c, nil
}

// setStoreCurrencies makes the store's currencies exactly cs, keeping the rows that stay (so
// their order does not change, as with TypeORM's diffing save).
func setStoreCurrencies(ctx context.Context, tx bun.Tx, storeID string, cs []*model.Currency) error {
	codes := make([]string, 0, len(cs))
	for _, c := range cs {
		codes = append(codes, c.Code)
	}
	if _, err := tx.NewDelete().Model((*model.StoreCurrency)(nil)).Where("store_id = ?", storeID).
		Where("currency_code <> ALL(?)", pgdialect.Array(codes)).Exec(ctx); err != nil {
		return fmt.Errorf("remove store currencies: %w", err)
	}
	for _, code := range codes {
		if _, err := tx.NewInsert().Model(&model.StoreCurrency{StoreID: storeID, CurrencyCode: code}).
			On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
			return dbError(err, "add store currency")
		}
	}
	return nil
}

// storeWith reads the store by id with the given relations (bun names), to-many ones as [].
func (s *Store) storeWith(ctx context.Context, id string, rels ...string) (*model.Store, error) {
	st := new(model.Store)
	q := s.DB.NewSelect().Model(st).Where("store.id = ?", id)
	for _, r := range rels {
		q = q.Relation(r, orderedRelation(s.DB, st, r))
	}
	if err := q.Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, storeNotFound
		}
		return nil, fmt.Errorf("get store: %w", err)
	}
	FillRelations(s.DB, st, []string{"currencies"})
	return st, nil
}

// answerCurrencies puts the answer's currencies in the order of codes (lower-case), those not
// listed after them as read. Medusa answers a change of the store's currencies with the list it
// saved, not with a fresh read: the currencies asked for in their order, or the ones it had
// with the new one last; the next read gives their storage order (relationOrders).
func answerCurrencies(st *model.Store, codes []string) {
	pos := make(map[string]int, len(codes))
	for i, c := range codes {
		if _, ok := pos[c]; !ok {
			pos[c] = i
		}
	}
	rank := func(c *model.Currency) int {
		if i, ok := pos[c.Code]; ok {
			return i
		}
		return len(codes)
	}
	sort.SliceStable(st.Currencies, func(i, j int) bool { return rank(st.Currencies[i]) < rank(st.Currencies[j]) })
}

// currencyCodes are the codes of cs, plus more, in lower case.
func currencyCodes(cs []*model.Currency, more ...string) []string {
	out := make([]string, 0, len(cs)+len(more))
	for _, c := range cs {
		out = append(out, c.Code)
	}
	for _, m := range more {
		out = append(out, strings.ToLower(m))
	}
	return out
}

// AddStoreCurrency adds a currency (code in any case) to the store's currencies.
func (s *Store) AddStoreCurrency(ctx context.Context, code string) (*model.Store, error) {
	var storeID string
	var codes []string
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		c, err := currencyByCode(ctx, tx, code)
		if err != nil {
			return err
		}
		if c == nil {
			return Invalidf("Currency %s not found", code)
		}
		st, err := loadStore(ctx, tx, true, "Currencies")
		if err != nil {
			return err
		}
		storeID = st.ID
		for _, have := range st.Currencies {
			if have.Code == c.Code {
				return Errorf(DuplicateError, "Currency already added")
			}
		}
		if _, err := tx.NewInsert().Model(&model.StoreCurrency{StoreID: st.ID, CurrencyCode: c.Code}).Exec(ctx); err != nil {
			return dbError(err, "add store currency")
		}
		codes = currencyCodes(st.Currencies, c.Code)
		return nil
	})
	if err != nil {
		return nil, err
	}
	st, err := s.storeWith(ctx, storeID, "Currencies")
	if err != nil {
		return nil, err
	}
	answerCurrencies(st, codes)
	return st, nil
}

// RemoveStoreCurrency removes a currency (code in any case) from the store's currencies; one the
// store does not have is no error. Unlike Medusa, which lets it happen and leaves the store with
// a default currency it does not accept, the default currency cannot be removed.
func (s *Store) RemoveStoreCurrency(ctx context.Context, code string) (*model.Store, error) {
	var storeID string
	err := s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		st, err := loadStore(ctx, tx, true, "Currencies")
		if err != nil {
			return err
		}
		storeID = st.ID
		code = strings.ToLower(code)
		var has bool
		for _, c := range st.Currencies {
			has = has || c.Code == code
		}
		if !has {
			return nil
		}
		if code == st.DefaultCurrencyCode {
			return Invalidf(defaultCurrencyRemoved)
		}
		if _, err := tx.NewDelete().Model((*model.StoreCurrency)(nil)).Where("store_id = ? AND currency_code = ?", st.ID, code).Exec(ctx); err != nil {
			return fmt.Errorf("remove store currency: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.storeWith(ctx, storeID, "Currencies")
}

// CurrenciesByCodes returns the currencies with the given (lower-case) codes, by code, in one
// statement (for dataloaders); unknown codes are absent.
func (s *Store) CurrenciesByCodes(ctx context.Context, codes []string) (map[string]*model.Currency, error) {
	var cs []*model.Currency
	if err := s.DB.NewSelect().Model(&cs).Where("currency.code IN (?)", bun.In(codes)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("currencies by codes: %w", err)
	}
	out := make(map[string]*model.Currency, len(cs))
	for _, c := range cs {
		out[c.Code] = c
	}
	return out, nil
}
