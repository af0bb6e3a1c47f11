package store

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store/dbtest"
	"github.com/gorgon-commerce/gorgon/store/model"
)

// inLockedTx holds its lock until the script commits (another writer cannot take it meanwhile),
// commits the script, and rolls back everything, returning the connection clean, on an error.
func TestInLockedTx(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db := dbtest.New(t)
	s, err := New(ctx, db, Config{})
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(2)
	o := dbtest.PlaceOrder(t, db, 1)
	lockOf := func(dest *model.Order) *bun.SelectQuery {
		return s.DB.NewSelect().Model(dest).Where("?TableAlias.id = ?", o.ID).For("UPDATE")
	}
	metadata := func() (n int) {
		if err := db.QueryRow(`SELECT count(*) FROM "order" WHERE id = ? AND metadata ? 'locked'`, o.ID, bun.Safe("?")).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, fail := range []bool{true, false} {
		got := new(model.Order)
		err := s.inLockedTx(ctx, "test", lockOf(got), s.scanFirst(ctx, got), func(ctx context.Context, tx bun.IDB, found bool) (*script, error) {
			if !found || got.ID != o.ID {
				t.Fatalf("found %v, %q", found, got.ID)
			}
			_, err := s.DB.ExecContext(ctx, `SET lock_timeout = '100ms'; SELECT 1 FROM "order" WHERE id = '`+o.ID+`' FOR UPDATE`)
			var pg *pgconn.PgError
			if !errors.As(err, &pg) || pg.Code != "55P03" {
				t.Errorf("another writer took the lock: %v", err)
			}
			var sc script
			sc.add(tx.NewRaw(`UPDATE "order" SET metadata = '{"locked": true}' WHERE id = ?`, o.ID))
			if fail {
				if _, err := tx.ExecContext(ctx, `UPDATE "order" SET metadata = '{"locked": true}' WHERE id = ?`, o.ID); err != nil {
					t.Fatal(err)
				}
				return nil, Invalidf("refused")
			}
			return &sc, nil
		})
		if fail {
			if _, ok := AsError(err); !ok || metadata() != 0 {
				t.Fatalf("refused: %v, %d rows written", err, metadata())
			}
			// Both connections are usable and none is left in the transaction.
			for range 2 {
				if _, err := db.ExecContext(ctx, `RESET lock_timeout; SELECT 1 FROM "order" WHERE id = ? FOR UPDATE NOWAIT`, o.ID); err != nil {
					t.Fatal(err)
				}
			}
		} else if err != nil || metadata() != 1 {
			t.Fatalf("commit: %v, %d rows written", err, metadata())
		}
	}
	got := new(model.Order)
	err = s.inLockedTx(ctx, "test", s.DB.NewSelect().Model(got).Where("?TableAlias.id = 'order_missing'").For("UPDATE"), s.scanFirst(ctx, got),
		func(ctx context.Context, tx bun.IDB, found bool) (*script, error) {
			if found {
				t.Error("found a missing order")
			}
			return nil, nil
		})
	if err != nil {
		t.Fatal(err)
	}
}

// lockOrFail refuses to quote a body holding its tag (a value written into it), and its guard
// fails a script whose row is missing with guardCode.
func TestLockOrFail(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	db := dbtest.New(t)
	if _, ok := lockOrFail(db, "1 FROM product WHERE id = ?", "x"+guardTag+"; DROP TABLE product; --"); ok {
		t.Fatal("a guard quoted a value holding its tag")
	}
	q, ok := lockOrFail(db, "1 FROM product WHERE id = ? AND title = ?", "prod_missing", "it's")
	if !ok {
		t.Fatal("no guard")
	}
	var sc script
	sc.add(q)
	sc.add(db.NewRaw(`INSERT INTO gorgon.event (name, data) VALUES ('test.guard', '{}')`))
	if err := sc.exec(ctx, db, "guard"); !isGuardFailure(err) {
		t.Fatalf("guard: %v", err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM gorgon.event WHERE name = 'test.guard'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d events written after a failed guard (%v)", n, err)
	}
}
