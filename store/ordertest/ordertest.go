// Package ordertest loads a shop that the real Medusa 1.3.8 wrote — orders with discounts, gift
// cards, taxes, payments, refunds, partial fulfilments, returns, a swap and claims, placed by
// store/totals/testdata/oracle/place_orders.py on the reference server — into a test database,
// so that tests read orders as Medusa stored them rather than as Gorgon would write them.
// testdata/medusa_shop.json is written by dump.sh from a copy of the reference database; the
// tests that use it compare with what Medusa answered on that same copy (rest/testdata/orders).
package ordertest

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/uptrace/bun"
)

//go:embed testdata/medusa_shop.json
var shop []byte

type tableRows struct {
	Table string          `json:"table"`
	Rows  json.RawMessage `json:"rows"`
}

// Load inserts the shop's rows into db, table by table in storage order (rows that the database
// already has, such as providers, are kept). Columns the database lacks (the sales channel
// columns of a database without that feature) are left out, and so are tables it lacks. Foreign
// keys are not checked while loading (session_replication_role): the shop's carts and orders
// point at rows it does not carry (sessions, idempotency keys).
func Load(t testing.TB, db *bun.DB) {
	t.Helper()
	if err := load(context.Background(), db); err != nil {
		t.Fatalf("load Medusa's shop: %v", err)
	}
}

func load(ctx context.Context, db *bun.DB) error {
	var tables []tableRows
	if err := json.Unmarshal(shop, &tables); err != nil {
		return err
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET session_replication_role = replica"); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), "SET session_replication_role = DEFAULT") //nolint:errcheck
	for _, tr := range tables {
		var exists bool
		if err := conn.QueryRowContext(ctx, "SELECT to_regclass(?) IS NOT NULL", fmt.Sprintf("public.%q", tr.Table)).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			continue
		}
		q := fmt.Sprintf(`INSERT INTO %q SELECT * FROM json_populate_recordset(NULL::%q, ?::json) ON CONFLICT DO NOTHING`, tr.Table, tr.Table)
		if _, err := conn.ExecContext(ctx, q, string(tr.Rows)); err != nil {
			return fmt.Errorf("%s: %w", tr.Table, err)
		}
	}
	// Display ids go on from the shop's, as Medusa's sequences do.
	for _, t := range []string{"order", "draft_order"} {
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%q', 'display_id'), (SELECT max(display_id) FROM %q)) WHERE EXISTS (SELECT 1 FROM %q)`, t, t, t)
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s display ids: %w", t, err)
		}
	}
	return nil
}
