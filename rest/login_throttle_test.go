package rest_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorgon-commerce/gorgon/rest"
	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/password"
)

const throttledJSON = `{"type":"not_allowed","message":"Too many failed login attempts. Please try again later."}`

// behindProxy makes e's router trust httptest's peer address (192.0.2.1) as a reverse proxy, so
// each request can name its client in X-Forwarded-For.
func behindProxy(e *resttest.Env) {
	e.Handler = rest.NewRouter(e.Store, rest.Config{CookieSecret: "test-cookie-secret",
		TrustedProxies: []netip.Prefix{netip.MustParsePrefix("192.0.2.1/32")}}, nil)
}

// loginFrom posts /admin/auth as a client at addr (through the trusted proxy).
func loginFrom(e *resttest.Env, addr, email, pass string) *resttest.Response {
	e.T.Helper()
	return e.DoWith("POST", "/admin/auth", map[string]any{"email": email, "password": pass},
		map[string]string{"X-Forwarded-For": addr})
}

// postLogin is loginFrom for goroutines: it only reports the status (Env.DoWith records per-Env
// state and may fail the test, which only the test goroutine may do).
func postLogin(h http.Handler, addr, email, pass string) int {
	body := fmt.Sprintf(`{"email":%q,"password":%q}`, email, pass)
	req := httptest.NewRequest("POST", "/admin/auth", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", addr)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// expectThrottled checks a 429 with Medusa's error body and a Retry-After of at most the window.
func expectThrottled(t *testing.T, res *resttest.Response, maxWait int) {
	t.Helper()
	res.Expect(t, 429, throttledJSON)
	n, err := strconv.Atoi(res.Header.Get("Retry-After"))
	if err != nil || n < 1 || n > maxWait {
		t.Fatalf("Retry-After %q, want 1..%d", res.Header.Get("Retry-After"), maxWait)
	}
}

func createUser(t *testing.T, e *resttest.Env, email, pass string) {
	t.Helper()
	if _, err := e.Store.CreateUser(context.Background(), store.CreateUserInput{Email: email, Password: pass}); err != nil {
		t.Fatal(err)
	}
}

// After AccountFailures wrong passwords an account answers 429 without checking any password,
// even the right one from elsewhere; another user from another address logs in meanwhile.
func TestLoginThrottlePerAccount(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	behindProxy(e)
	createUser(t, e, "other@test.com", "other-password")
	limit, window := store.DefaultLoginLimits.AccountFailures, int(store.DefaultLoginLimits.Window/time.Second)

	for i := 0; i < limit; i++ {
		loginFrom(e, "203.0.113.5", "admin@test.com", fmt.Sprintf("wrong-%d", i)).ExpectText(t, 401, "Unauthorized")
	}
	before := e.Store.Passwords.Stats().Derivations
	expectThrottled(t, loginFrom(e, "203.0.113.5", "admin@test.com", "wrong"), window)
	// The account is held whatever the address, the case of the email, or the password.
	expectThrottled(t, loginFrom(e, "198.51.100.7", "ADMIN@test.com", "secret-password"), window)
	if after := e.Store.Passwords.Stats().Derivations; after != before {
		t.Fatalf("throttled attempts ran scrypt: %d derivations, want %d", after, before)
	}
	// Another account, from another address, is not affected.
	loginFrom(e, "198.51.100.8", "other@test.com", "other-password").Expect(t, 200, `{"user":{"id":"$id:usr",
		"email":"other@test.com","first_name":null,"last_name":null,"api_token":null,"role":"member",
		"created_at":"$time","updated_at":"$time","deleted_at":null,"metadata":null}}`)
}

// A successful login clears the account's failures.
func TestLoginThrottleSuccessResets(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	behindProxy(e)
	limit := store.DefaultLoginLimits.AccountFailures
	for i := 0; i < limit-1; i++ {
		loginFrom(e, "203.0.113.5", "admin@test.com", "wrong").ExpectText(t, 401, "Unauthorized")
	}
	loginFrom(e, "203.0.113.5", "admin@test.com", "secret-password").Expect(t, 200, `{"user":`+adminUserJSON+`}`)
	for i := 0; i < limit; i++ {
		loginFrom(e, "203.0.113.5", "admin@test.com", "wrong").ExpectText(t, 401, "Unauthorized")
	}
	expectThrottled(t, loginFrom(e, "203.0.113.5", "admin@test.com", "secret-password"),
		int(store.DefaultLoginLimits.Window/time.Second))
}

// Without a trusted proxy, X-Forwarded-For is the client's own claim and is ignored: rotating it
// does not escape the per-address limit, which counts the TCP peer across every email tried.
func TestLoginThrottlePerAddressIgnoresSpoofedHeaders(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	limit := store.DefaultLoginLimits.AddressFailures
	for i := 0; i < limit; i++ {
		e.DoWith("POST", "/admin/auth", map[string]any{"email": fmt.Sprintf("guess%d@test.com", i), "password": "x"},
			map[string]string{"X-Forwarded-For": fmt.Sprintf("10.0.%d.%d", i/250, i%250+1), "X-Real-IP": "10.9.9.9",
				"True-Client-IP": "10.8.8.8"}).ExpectText(t, 401, "Unauthorized")
	}
	res := e.DoWith("POST", "/admin/auth", map[string]any{"email": "admin@test.com", "password": "secret-password"},
		map[string]string{"X-Forwarded-For": "10.200.0.1"})
	expectThrottled(t, res, int(store.DefaultLoginLimits.Window/time.Second))
	// The bearer token is no login: the admin still works through it.
	e.Do("GET", "/admin/auth", nil).Expect(t, 200, `{"user":`+adminUserJSON+`}`)
}

// A burst of simultaneous guesses at one account runs scrypt only AccountFailures times: the
// attempts beyond it are refused while the first ones are still being checked.
func TestLoginThrottleBurstRunsBoundedChecks(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	behindProxy(e)
	release := make(chan struct{})
	e.Store.Passwords = password.NewHasher(2)
	e.Store.Passwords.OnDerive = func() { <-release }
	limit, burst := store.DefaultLoginLimits.AccountFailures, 30

	statuses := make(chan int, burst)
	var wg sync.WaitGroup
	for i := 0; i < burst; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			statuses <- postLogin(e.Handler, fmt.Sprintf("203.0.113.%d", i+1), "admin@test.com", "wrong")
		}(i)
	}
	// While the admitted attempts are held in (or queued for) the hasher, the rest come back 429.
	for i := 0; i < burst-limit; i++ {
		select {
		case s := <-statuses:
			if s != 429 {
				t.Fatalf("status %d while %d attempts are in flight, want 429", s, limit)
			}
		case <-time.After(20 * time.Second):
			close(release) // let the held attempts finish before failing
			t.Fatalf("only %d of %d attempts beyond the limit were refused while the rest were checked", i, burst-limit)
		}
	}
	waitFor(t, "the admitted attempts at the hasher", func() bool {
		st := e.Store.Passwords.Stats()
		return st.Running+st.Waiting == int64(limit)
	})
	close(release)
	wg.Wait()
	close(statuses)
	for s := range statuses {
		if s != 401 {
			t.Fatalf("admitted attempt answered %d, want 401", s)
		}
	}
	if st := e.Store.Passwords.Stats(); st.Derivations != int64(limit) || st.Peak != 2 {
		t.Fatalf("hasher stats %+v: want %d derivations, peak 2", st, limit)
	}
}

// Password checks of different accounts share the hasher's bound: with 2 slots, 6 simultaneous
// logins have 2 checking and 4 waiting, and every one is answered once slots free up.
func TestLoginPasswordChecksAreBounded(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	behindProxy(e)
	const n = 6
	for i := 0; i < n; i++ {
		createUser(t, e, fmt.Sprintf("user%d@test.com", i), "pw")
	}
	release := make(chan struct{})
	e.Store.Passwords = password.NewHasher(2)
	e.Store.Passwords.OnDerive = func() { <-release }

	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			pass := "pw"
			if i%2 == 1 {
				pass = "wrong"
			}
			statuses[i] = postLogin(e.Handler, fmt.Sprintf("203.0.113.%d", i+1), fmt.Sprintf("user%d@test.com", i), pass)
		}(i)
	}
	waitFor(t, "2 checking and 4 waiting", func() bool {
		st := e.Store.Passwords.Stats()
		return st.Running == 2 && st.Waiting == n-2
	})
	if st := e.Store.Passwords.Stats(); st.Derivations != 2 {
		t.Fatalf("derivations %d with the first two held, want 2", st.Derivations)
	}
	close(release)
	wg.Wait()
	for i, s := range statuses {
		if want := []int{200, 401}[i%2]; s != want {
			t.Fatalf("login %d: status %d, want %d", i, s, want)
		}
	}
	if st := e.Store.Passwords.Stats(); st.Derivations != n || st.Peak != 2 || st.Running != 0 || st.Waiting != 0 {
		t.Fatalf("hasher stats %+v", st)
	}
}

// Creating users, resetting passwords and accepting invites hash through the same hasher.
func TestPasswordHashingSharesTheHasher(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	h := password.NewHasher(1)
	e.Store.Passwords = h
	e.Do("POST", "/admin/users", map[string]any{"email": "new@test.com", "password": "pw"}).Expect(t, 200, `{"user":{
		"id":"$id:usr","email":"new@test.com","first_name":null,"last_name":null,"api_token":null,"role":"member",
		"created_at":"$time","updated_at":"$time","deleted_at":null,"metadata":null}}`)
	if d := h.Stats().Derivations; d != 1 {
		t.Fatalf("derivations after user create: %d, want 1", d)
	}
	tok, err := e.Store.CreatePasswordResetToken(context.Background(), "new@test.com")
	if err != nil {
		t.Fatal(err)
	}
	res := e.DoAnon("POST", "/admin/users/reset-password", map[string]any{"token": tok, "password": "pw2"})
	if res.Status != 200 {
		t.Fatalf("reset: %d %s", res.Status, res.Body)
	}
	if d := h.Stats().Derivations; d != 2 {
		t.Fatalf("derivations after reset: %d, want 2", d)
	}
	inv, err := e.Store.CreateInvite(context.Background(), "invited@test.com", "member")
	if err != nil {
		t.Fatal(err)
	}
	res = e.DoAnon("POST", "/admin/invites/accept", map[string]any{"token": inv.Token,
		"user": map[string]any{"first_name": "A", "last_name": "B", "password": "pw3"}})
	if res.Status != 200 {
		t.Fatalf("accept: %d %s", res.Status, res.Body)
	}
	if d := h.Stats().Derivations; d != 3 {
		t.Fatalf("derivations after invite accept: %d, want 3", d)
	}
}

// waitFor polls cond until it holds: the tests wait on the hasher's counters, not on time.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}
