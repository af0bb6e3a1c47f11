package rest_test

import (
	"context"
	"testing"
	"time"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

// listening starts e's event listener, with which the store remembers API token and session
// lookups, and stops it when the test ends.
func listening(t *testing.T, e *resttest.Env) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.Store.RunEventDispatcher(ctx, time.Minute); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	for deadline := time.Now().Add(5 * time.Second); !e.Store.AuthCacheOn(); {
		if time.Now().After(deadline) {
			t.Fatal("the listener did not start")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// eventually retries check until it passes or 3 s have gone by: a change made on another instance
// reaches this one when PostgreSQL delivers the notification, milliseconds after the commit.
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Second); !check(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 3 s", what)
		}
	}
}

// With the listener running, a request authenticated by a known API token or session starts
// without a database round trip; a token changed, a user deleted or a session ended on another
// instance stops working here as soon as that instance commits.
func TestAuthCacheAcrossInstances(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	listening(t, e)
	other, err := store.New(context.Background(), e.DB, e.Store.Config) // a second instance
	if err != nil {
		t.Fatal(err)
	}
	oe := *e
	oe.Store, oe.Handler = other, resttest.NewHandler(other)

	e.Do("GET", "/admin/users", nil)
	first := e.Queries
	e.Do("GET", "/admin/users", nil)
	if e.Queries != first-1 {
		t.Fatalf("statements with a remembered token: %d, want %d", e.Queries, first-1)
	}

	// A session remembered here ends when the other instance logs it out.
	cookie := login(t, e)
	withCookie := map[string]string{"Cookie": cookie}
	e.DoWith("GET", "/admin/auth", nil, withCookie)
	first = e.Queries
	e.DoWith("GET", "/admin/auth", nil, withCookie)
	if e.Queries != first-1 {
		t.Fatalf("statements with a remembered session: %d, want %d", e.Queries, first-1)
	}
	if res := oe.DoWith("DELETE", "/admin/auth", nil, withCookie); res.Status != 200 {
		t.Fatalf("logout on the other instance: %d %s", res.Status, res.Body)
	}
	eventually(t, "session ended", func() bool { return e.DoWith("GET", "/admin/auth", nil, withCookie).Status == 401 })

	// The token is replaced on the other instance: the old one stops working here.
	rotated := "rotated_token"
	if _, err := other.UpdateUser(context.Background(), e.AdminID, store.UpdateUserInput{APIToken: &rotated}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "old token refused", func() bool { return e.Do("GET", "/admin/users", nil).Status == 401 })
	bearer := map[string]string{"Authorization": "Bearer rotated_token"}
	if res := e.DoWith("GET", "/admin/users", nil, bearer); res.Status != 200 {
		t.Fatalf("new token: %d %s", res.Status, res.Body)
	}

	// The user is deleted on the other instance: its token stops working here.
	e.DoWith("GET", "/admin/users", nil, bearer)
	if err := other.DeleteUser(context.Background(), e.AdminID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "deleted user refused", func() bool { return e.DoWith("GET", "/admin/users", nil, bearer).Status == 401 })
}

// Without a listener nothing is remembered: every request looks its credentials up.
func TestAuthCacheOffWithoutListener(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	e.Do("GET", "/admin/users", nil)
	first := e.Queries
	e.Do("GET", "/admin/users", nil)
	if e.Queries != first || e.Store.AuthCacheOn() {
		t.Fatalf("statements %d then %d, cache on %v", first, e.Queries, e.Store.AuthCacheOn())
	}
}
