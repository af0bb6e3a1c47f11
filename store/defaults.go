package store

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// Providers names the provider ids this instance serves, per Medusa plugin slot.
type Providers struct {
	Payment      []string
	Fulfillment  []string
	Notification []string
	Tax          []string
}

// DefaultProviders is what a Medusa 1.3.8 shop with medusa-payment-manual and
// medusa-fulfillment-manual installed registers.
var DefaultProviders = Providers{Payment: []string{"manual"}, Fulfillment: []string{"manual"}}

// EnsureDefaults does what Medusa's defaults loader does on every start: the store row (with
// its default currency usd), the served providers marked installed and every other one not (rows
// are never deleted), the default and gift-card shipping profiles, and the default sales channel
// when that feature is on. It is idempotent, and an advisory lock makes simultaneous starts of
// several instances safe.
func (s *Store) EnsureDefaults(ctx context.Context) error {
	p := s.Config.Providers
	if p.Payment == nil && p.Fulfillment == nil && p.Notification == nil && p.Tax == nil {
		p = DefaultProviders
	}
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7469617470)`); err != nil {
			return fmt.Errorf("defaults: lock: %w", err)
		}
		var storeID string
		err := tx.QueryRowContext(ctx, `SELECT id FROM store ORDER BY created_at LIMIT 1`).Scan(&storeID)
		if err != nil {
			storeID = NewID("store")
			if _, err := tx.ExecContext(ctx, `INSERT INTO store (id) VALUES (?)`, storeID); err != nil {
				return fmt.Errorf("defaults: create store: %w", err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO store_currencies (store_id, currency_code)
				SELECT ?, code FROM currency WHERE code = 'usd'`, storeID); err != nil {
				return fmt.Errorf("defaults: store currency: %w", err)
			}
		}
		for _, slot := range []struct {
			table string
			ids   []string
		}{
			{"payment_provider", p.Payment},
			{"notification_provider", p.Notification},
			{"fulfillment_provider", p.Fulfillment},
			{"tax_provider", p.Tax},
		} {
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE %s SET is_installed = false WHERE is_installed`, slot.table)); err != nil {
				return fmt.Errorf("defaults: %s: %w", slot.table, err)
			}
			for _, id := range slot.ids {
				if _, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO %s (id, is_installed) VALUES (?, true)
					ON CONFLICT (id) DO UPDATE SET is_installed = true`, slot.table), id); err != nil {
					return fmt.Errorf("defaults: %s %s: %w", slot.table, id, err)
				}
			}
		}
		for _, prof := range []struct{ typ, name string }{{"default", "Default Shipping Profile"}, {"gift_card", "Gift Card Profile"}} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO shipping_profile (id, name, type)
				SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM shipping_profile WHERE type = ? AND deleted_at IS NULL)`,
				NewID("sp"), prof.name, prof.typ, prof.typ); err != nil {
				return fmt.Errorf("defaults: shipping profile %s: %w", prof.typ, err)
			}
		}
		if s.Config.FeatureSalesChannels {
			var has bool
			if err := tx.QueryRowContext(ctx, `SELECT default_sales_channel_id IS NOT NULL FROM store WHERE id = ?`, storeID).Scan(&has); err != nil {
				return fmt.Errorf("defaults: read store: %w", err)
			}
			if !has {
				scID := NewID("sc")
				if _, err := tx.ExecContext(ctx, `INSERT INTO sales_channel (id, name, description, is_disabled)
					VALUES (?, 'Default Sales Channel', 'Created by Medusa', false)`, scID); err != nil {
					return fmt.Errorf("defaults: sales channel: %w", err)
				}
				if _, err := tx.ExecContext(ctx, `UPDATE store SET default_sales_channel_id = ? WHERE id = ?`, scID, storeID); err != nil {
					return fmt.Errorf("defaults: store sales channel: %w", err)
				}
			}
		}
		return nil
	})
}

// SeedStore applies a seed file's store part: the name, and the currencies added to the store's.
func (s *Store) SeedStore(ctx context.Context, name *string, currencies []string) error {
	return s.InTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if name != nil {
			if _, err := tx.ExecContext(ctx, `UPDATE store SET name = ?, updated_at = now()`, *name); err != nil {
				return fmt.Errorf("store name: %w", err)
			}
		}
		for _, c := range currencies {
			res, err := tx.ExecContext(ctx, `INSERT INTO store_currencies (store_id, currency_code)
				SELECT s.id, cur.code FROM store s, currency cur WHERE cur.code = lower(?) ON CONFLICT DO NOTHING`, c)
			if err != nil {
				return fmt.Errorf("store currency %s: %w", c, err)
			}
			_ = res
			var ok bool
			if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM currency WHERE code = lower(?))`, c).Scan(&ok); err != nil {
				return err
			}
			if !ok {
				return Invalidf("Currency with code %s does not exist", c)
			}
		}
		return nil
	})
}
