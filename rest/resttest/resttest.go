// Package resttest drives the real HTTP router on a real database in tests, and compares full
// JSON bodies with placeholders for generated values.
package resttest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/dbtest"
	"github.com/gorgon-commerce/gorgon/store/password"
	"github.com/gorgon-commerce/gorgon/store/querycount"
)

// Token is the API token of the admin user every Env starts with.
const Token = "test_token"

// Env is one test's server: its own database, the store, and the full router.
type Env struct {
	T       testing.TB
	DB      *bun.DB
	Store   *store.Store
	Handler http.Handler
	// Admin is the user behind Token.
	AdminID string
	// Queries counts the SQL statements of the last Do.
	Queries int64
}

// Config lets a package's tests choose the store configuration. New sets FeatureSalesChannels
// from the database's shape: on with the sales channel tables, off without them.
var Config = store.Config{JWTSecret: "test-jwt-secret", FeatureSalesChannels: true}

// NewHandler builds the router under test; set by the rest package's tests (an import cycle
// prevents resttest from importing rest).
var NewHandler func(s *store.Store) http.Handler

// New starts an Env on a fresh migrated database with Medusa's start-up defaults and an admin.
// The database has the shape GORGON_TEST_SCHEMA names (dbtest.DefaultSchema), and the sales
// channels flag is on exactly when it has the sales channel tables.
func New(t testing.TB) *Env {
	t.Helper()
	return NewSchema(t, dbtest.DefaultSchema(t))
}

// NewSchema is New on a database of the given shape (tests about one shape).
func NewSchema(t testing.TB, schema dbtest.Schema) *Env {
	t.Helper()
	return NewSchemaFlag(t, schema, schema.SalesChannels())
}

// NewSchemaFlag is NewSchema with the sales channels flag set apart from the shape: off over a
// database that has the sales channel tables is a shop that switched the flag off again.
func NewSchemaFlag(t testing.TB, schema dbtest.Schema, salesChannels bool) *Env {
	t.Helper()
	db := dbtest.NewSchema(t, schema)
	cfg := Config
	cfg.FeatureSalesChannels = salesChannels
	ctx := context.Background()
	s, err := store.New(ctx, db, cfg)
	if err != nil {
		t.Fatalf("store: %v", err)
	}
	if err := s.EnsureDefaults(ctx); err != nil {
		t.Fatalf("defaults: %v", err)
	}
	tok := Token
	role := "admin"
	u, err := s.CreateUser(ctx, store.CreateUserInput{Email: "admin@test.com", Password: "secret-password", APIToken: &tok, Role: &role})
	if err != nil {
		t.Fatalf("admin user: %v", err)
	}
	return &Env{T: t, DB: db, Store: s, Handler: NewHandler(s), AdminID: u.ID}
}

// SalesChannels reports whether New's databases have the sales channel tables, and so whether
// its stores run with the sales channels flag on (for expectations that differ). A bad
// GORGON_TEST_SCHEMA counts as none; New then fails the test.
func SalesChannels() bool {
	s, err := dbtest.SchemaFromEnv()
	return err == nil && s.SalesChannels()
}

// NeedSalesChannels skips a test about sales channels when the suite runs on databases without
// them (GORGON_TEST_SCHEMA=flagoff).
func NeedSalesChannels(t testing.TB) {
	t.Helper()
	if !dbtest.DefaultSchema(t).SalesChannels() {
		t.Skipf("about sales channels; %s=%s has none", dbtest.SchemaEnv, dbtest.DefaultSchema(t))
	}
}

// Response is a recorded answer.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends a request as the admin (bearer token). body may be nil, a string or a value to marshal.
func (e *Env) Do(method, path string, body any) *Response {
	return e.DoWith(method, path, body, map[string]string{"Authorization": "Bearer " + Token})
}

// DoAnon sends a request without credentials.
func (e *Env) DoAnon(method, path string, body any) *Response {
	return e.DoWith(method, path, body, nil)
}

// DoWith sends a request with the given headers.
func (e *Env) DoWith(method, path string, body any, headers map[string]string) *Response {
	e.T.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.T.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	var c querycount.Counter
	req = req.WithContext(querycount.With(req.Context(), &c))
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	e.Queries = c.N()
	return &Response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
}

// JSON decodes the body.
func (r *Response) JSON(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.Body)
	}
	return m
}

// Expect asserts the status and the full JSON body. In want, these string values match any
// value of their kind: "$any", "$string", "$time" (an ISO timestamp with ms and Z), "$id:<prefix>"
// (a Medusa id with that prefix). Object keys must match exactly; array order matters.
func (r *Response) Expect(t testing.TB, status int, want string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d; body: %s", r.Status, status, r.Body)
	}
	var got, exp any
	if err := json.Unmarshal(r.Body, &got); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, r.Body)
	}
	if err := json.Unmarshal([]byte(want), &exp); err != nil {
		t.Fatalf("bad expectation JSON: %v\n%s", err, want)
	}
	if diffs := Compare("", exp, got); len(diffs) > 0 {
		pretty, _ := json.MarshalIndent(got, "", "  ")
		t.Fatalf("body differs:\n  %s\ngot:\n%s", strings.Join(diffs, "\n  "), pretty)
	}
}

// ExpectText asserts the status and a non-JSON body.
func (r *Response) ExpectText(t testing.TB, status int, want string) {
	t.Helper()
	if r.Status != status || string(r.Body) != want {
		t.Fatalf("got %d %q, want %d %q", r.Status, r.Body, status, want)
	}
}

var (
	timeRe = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$`)
	ulidRe = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{26}$`)
)

// Compare returns the differences between want (with placeholders) and got.
func Compare(path string, want, got any) []string {
	if s, ok := want.(string); ok && strings.HasPrefix(s, "$") {
		gs, isStr := got.(string)
		switch {
		case s == "$any":
			return nil
		case s == "$string" && isStr:
			return nil
		case s == "$time" && isStr && timeRe.MatchString(gs):
			return nil
		case strings.HasPrefix(s, "$id:") && isStr && strings.HasPrefix(gs, s[4:]+"_") && ulidRe.MatchString(gs[len(s[4:])+1:]):
			return nil
		}
		return []string{fmt.Sprintf("%s: got %s, want %s", orRoot(path), show(got), s)}
	}
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: got %s, want an object", orRoot(path), show(got))}
		}
		var out []string
		keys := make([]string, 0, len(w)+len(g))
		for k := range w {
			keys = append(keys, k)
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			wv, inW := w[k]
			gv, inG := g[k]
			switch {
			case !inG:
				out = append(out, fmt.Sprintf("%s.%s: missing", path, k))
			case !inW:
				out = append(out, fmt.Sprintf("%s.%s: unexpected %s", path, k, show(gv)))
			default:
				out = append(out, Compare(path+"."+k, wv, gv)...)
			}
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{fmt.Sprintf("%s: got %s, want %d elements", orRoot(path), show(got), len(w))}
		}
		var out []string
		for i := range w {
			out = append(out, Compare(fmt.Sprintf("%s[%d]", path, i), w[i], g[i])...)
		}
		return out
	default:
		wb, _ := json.Marshal(want)
		gb, _ := json.Marshal(got)
		if !bytes.Equal(wb, gb) {
			return []string{fmt.Sprintf("%s: got %s, want %s", orRoot(path), gb, wb)}
		}
		return nil
	}
}

func orRoot(p string) string {
	if p == "" {
		return "(root)"
	}
	return p
}

func show(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

func init() {
	// Tests hash many passwords; production strength would cost ~60 ms each.
	password.Params = password.Parameters{LogN: 4, R: 8, P: 1}
}
