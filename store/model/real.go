package model

import (
	"context"
	"strconv"

	"github.com/uptrace/bun"
)

// Medusa keeps tax rates in PostgreSQL `real` (float4) columns. Read through pgx they arrive as
// float32 and widen to float64 as 0.10000000149011612, while Medusa (node-postgres) shows 0.1.
// The models below round them back to the shortest decimal the float4 holds right after a scan.

// Real rounds a float64 read from a `real` column to the decimal the column holds.
func Real(f float64) float64 {
	v, err := strconv.ParseFloat(strconv.FormatFloat(f, 'g', -1, 32), 64)
	if err != nil {
		return f
	}
	return v
}

func realPtr(f *float64) {
	if f != nil {
		*f = Real(*f)
	}
}

var (
	_ bun.AfterScanRowHook = (*Region)(nil)
	_ bun.AfterScanRowHook = (*TaxRate)(nil)
)

// AfterScanRow implements bun.AfterScanRowHook.
func (r *Region) AfterScanRow(context.Context) error { r.TaxRate = Real(r.TaxRate); return nil }

// AfterScanRow implements bun.AfterScanRowHook.
func (r *TaxRate) AfterScanRow(context.Context) error { realPtr(r.Rate); return nil }

// AfterScanRow implements bun.AfterScanRowHook.
func (g *GiftCardTransaction) AfterScanRow(context.Context) error { realPtr(g.TaxRate); return nil }

// AfterScanRow implements bun.AfterScanRowHook.
func (o *Order) AfterScanRow(context.Context) error { realPtr(o.TaxRate); return nil }

// AfterScanRow implements bun.AfterScanRowHook.
func (l *ShippingMethodTaxLine) AfterScanRow(context.Context) error {
	l.Rate = Real(l.Rate)
	return nil
}

// AfterScanRow implements bun.AfterScanRowHook.
func (l *LineItemTaxLine) AfterScanRow(context.Context) error { l.Rate = Real(l.Rate); return nil }
