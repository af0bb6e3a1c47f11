package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
	"github.com/gorgon-commerce/gorgon/store/model"
)

// With the flag off the models name no sales channel column and have no sales channel relation,
// on either shape of database, as Medusa's entities with the flag off; with it on they have them.
func TestSalesChannelModelsFollowTheFlag(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		schema dbtest.Schema
		flag   bool
	}{
		{"flag-off database", dbtest.FlagOff, false},
		{"flag-on database, flag off", dbtest.FlagOn, false},
		{"flag-on database, flag on", dbtest.FlagOn, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			db := dbtest.NewSchema(t, tc.schema)
			s := newStore(t, db, store.Config{FeatureSalesChannels: tc.flag})
			if got := s.Schema().SalesChannels; got != tc.schema.SalesChannels() {
				t.Fatalf("detected sales channels %v", got)
			}
			for _, q := range []struct{ sql, column string }{
				{db.NewSelect().Model((*model.Store)(nil)).String(), "default_sales_channel_id"},
				{db.NewSelect().Model((*model.Order)(nil)).String(), "sales_channel_id"},
				{db.NewSelect().Model((*model.Cart)(nil)).String(), "sales_channel_id"},
				{db.NewInsert().Model(&model.Store{ID: "store_x"}).String(), "default_sales_channel_id"},
				{db.NewSelect().Model((*model.GiftCard)(nil)).Relation("Order").String(), "sales_channel_id"},
			} {
				if strings.Contains(q.sql, q.column) != tc.flag {
					t.Errorf("flag %v: %s names %s: %v", tc.flag, q.sql, q.column, !tc.flag)
				}
			}
			_, err := store.Relations(db, (*model.Product)(nil), []string{"sales_channels"})
			if tc.flag != (err == nil) {
				t.Errorf("expand sales_channels: %v", err)
			}
			if err := s.EnsureDefaults(ctx); err != nil {
				t.Fatal(err)
			}
			st, err := s.GetStore(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st.DefaultSalesChannelID.Read != tc.flag || (st.DefaultSalesChannel != nil) != tc.flag {
				t.Fatalf("store default sales channel read=%v loaded=%v", st.DefaultSalesChannelID.Read, st.DefaultSalesChannel != nil)
			}
			var channels int
			if tc.schema.SalesChannels() {
				if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sales_channel`).Scan(&channels); err != nil {
					t.Fatal(err)
				}
			}
			if want := map[bool]int{false: 0, true: 1}[tc.flag]; channels != want {
				t.Fatalf("%d sales channels after the defaults, want %d", channels, want)
			}
			// A *bun.DB shaped for the flag off cannot serve with it on.
			if !tc.flag && tc.schema.SalesChannels() {
				if _, err := store.New(ctx, db, store.Config{FeatureSalesChannels: true}); err == nil {
					t.Fatal("store with the flag on over models shaped for the flag off")
				}
			}
		})
	}
}
