package resttest

import (
	"context"
	"testing"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
)

// Proxied is e's server again, on a second store that reaches e's database through a fault
// proxy the test can cut or slow down (outage and latency tests). e itself keeps its direct
// connection, to check what the proxied server did.
func (e *Env) Proxied(t testing.TB) (*Env, *dbtest.FaultProxy) {
	t.Helper()
	p := dbtest.NewFaultProxy(e.T)
	return e.Through(t, p.URL(e.DatabaseName(t))), p
}

// Through is e's server again (another instance), on a second store with its own pool that
// reaches e's database at url (a proxy, a pooler).
func (e *Env) Through(t testing.TB, url string) *Env {
	t.Helper()
	db, err := store.OpenDB(url, 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	s, err := store.New(context.Background(), db, e.Store.Config)
	if err != nil {
		t.Fatal(err)
	}
	pe := *e
	pe.DB, pe.Store, pe.Handler = db, s, NewHandler(s)
	return &pe
}

// DatabaseName is the name of e's database.
func (e *Env) DatabaseName(t testing.TB) string {
	t.Helper()
	var name string
	if err := e.DB.QueryRow("SELECT current_database()").Scan(&name); err != nil {
		t.Fatal(err)
	}
	return name
}
