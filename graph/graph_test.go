package graph_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorgon-commerce/gorgon/graph"
	"github.com/gorgon-commerce/gorgon/graph/loaders"
	"github.com/gorgon-commerce/gorgon/rest"
	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

func init() {
	loaders.SetBatchWait(25 * time.Millisecond)
	resttest.NewHandler = func(s *store.Store) http.Handler {
		return withoutCost(rest.NewRouter(s, rest.Config{CookieSecret: "test-cookie-secret"}, graph.NewHandler(s)))
	}
}

// withoutCost drops the query-cost extension every GraphQL answer carries (its own tests send
// X-Test-Cost: keep), so the other tests state the rest of each answer in full.
func withoutCost(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Test-Cost") == "keep" {
			h.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		if bytes.Contains(body, []byte(`"cost":{"requestedQueryCost"`)) {
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.UseNumber()
			var v any
			if err := dec.Decode(&v); err == nil {
				strip := func(o any) {
					if m, ok := o.(map[string]any); ok {
						if ext, ok := m["extensions"].(map[string]any); ok {
							delete(ext, "cost")
							if len(ext) == 0 {
								delete(m, "extensions")
							}
						}
					}
				}
				if list, ok := v.([]any); ok {
					for _, o := range list {
						strip(o)
					}
				} else {
					strip(v)
				}
				body, _ = json.Marshal(v)
			}
		}
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
	})
}

// gql runs one operation as the admin and returns the response.
func gql(e *resttest.Env, query string, vars map[string]any) *resttest.Response {
	return e.Do("POST", "/graphql", map[string]any{"query": query, "variables": vars})
}

func TestViewerAndAuth(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	gql(e, `{ viewer { id email role firstName createdAt metadata } }`, nil).Expect(t, 200,
		`{"data":{"viewer":{"id":"`+e.AdminID+`","email":"admin@test.com","role":"ADMIN","firstName":null,"createdAt":"$time","metadata":null}}}`)
	e.DoAnon("POST", "/graphql", map[string]any{"query": "{ viewer { id } }"}).Expect(t, 401, unauthenticated)
}

func TestUsersGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := gql(e, `mutation($in: CreateUserInput!) { createUser(input: $in) { user { id email role lastName } userErrors { field message code } } }`,
		map[string]any{"in": map[string]any{"email": "Dev@Test.com", "password": "pw", "role": "DEVELOPER", "lastName": "L"}})
	res.Expect(t, 200, `{"data":{"createUser":{"user":{"id":"$id:usr","email":"dev@test.com","role":"DEVELOPER","lastName":"L"},"userErrors":[]}}}`)
	id := res.JSON(t)["data"].(map[string]any)["createUser"].(map[string]any)["user"].(map[string]any)["id"].(string)

	gql(e, `mutation($in: CreateUserInput!) { createUser(input: $in) { user { id } userErrors { field message code } } }`,
		map[string]any{"in": map[string]any{"email": "bad", "password": "pw"}}).Expect(t, 200,
		`{"data":{"createUser":{"user":null,"userErrors":[{"field":["email"],"message":"email must be an email","code":"INVALID_DATA"}]}}}`)
	gql(e, `mutation($in: CreateUserInput!) { createUser(input: $in) { user { id } userErrors { message code } } }`,
		map[string]any{"in": map[string]any{"email": "dev@test.com", "password": "pw"}}).Expect(t, 200,
		`{"data":{"createUser":{"user":null,"userErrors":[{"message":"A user with the same email already exists.","code":"DUPLICATE_ERROR"}]}}}`)

	gql(e, `mutation($id: ID!) { updateUser(id: $id, input: {firstName: "F", metadata: {k: "v"}}) { user { firstName metadata } userErrors { message } } }`,
		map[string]any{"id": id}).Expect(t, 200, `{"data":{"updateUser":{"user":{"firstName":"F","metadata":{"k":"v"}},"userErrors":[]}}}`)

	gql(e, `{ users(first: 1) { totalCount pageInfo { hasNextPage hasPreviousPage } nodes { email } edges { cursor node { email } } } }`, nil).Expect(t, 200,
		`{"data":{"users":{"totalCount":2,"pageInfo":{"hasNextPage":true,"hasPreviousPage":false},"nodes":[{"email":"admin@test.com"}],
		"edges":[{"cursor":"$string","node":{"email":"admin@test.com"}}]}}}`)

	gql(e, `query($id: ID!) { node(id: $id) { id ... on User { email } } }`, map[string]any{"id": id}).Expect(t, 200,
		`{"data":{"node":{"id":"`+id+`","email":"dev@test.com"}}}`)
	gql(e, `{ node(id: "usr_missing") { id } }`, nil).Expect(t, 200, `{"data":{"node":null}}`)

	gql(e, `mutation($id: ID!) { deleteUser(id: $id) { deletedId userErrors { message } } }`, map[string]any{"id": id}).Expect(t, 200,
		`{"data":{"deleteUser":{"deletedId":"`+id+`","userErrors":[]}}}`)
	gql(e, `query($id: ID!) { user(id: $id) { id } }`, map[string]any{"id": id}).Expect(t, 200, `{"data":{"user":null}}`)
}

func TestInvitesGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := gql(e, `mutation { createInvite(input: {email: "new@test.com", role: MEMBER}) { invite { id userEmail role accepted expiresAt } userErrors { message } } }`, nil)
	res.Expect(t, 200, `{"data":{"createInvite":{"invite":{"id":"$id:invite","userEmail":"new@test.com","role":"MEMBER","accepted":false,"expiresAt":"$time"},"userErrors":[]}}}`)
	gql(e, `mutation { createInvite(input: {email: "admin@test.com", role: MEMBER}) { invite { id } userErrors { message code } } }`, nil).Expect(t, 200,
		`{"data":{"createInvite":{"invite":null,"userErrors":[{"message":"Can't invite a user with an existing account","code":"INVALID_DATA"}]}}}`)
	gql(e, `{ invites { totalCount nodes { userEmail } } }`, nil).Expect(t, 200, `{"data":{"invites":{"totalCount":1,"nodes":[{"userEmail":"new@test.com"}]}}}`)
}

func TestBatchedRequest(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	e.Do("POST", "/graphql", []map[string]any{
		{"query": "{ viewer { email } }"},
		{"query": "{ nope }"},
	}).Expect(t, 200, `[{"data":{"viewer":{"email":"admin@test.com"}}},{"errors":"$any","data":null}]`)
}

func TestCostLimits(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	// 1000 users × 6 fields exceeds the complexity budget although the query text is small.
	res := gql(e, `{ users(first: 1000) { nodes { id email firstName lastName createdAt updatedAt } } }`, nil)
	if res.Status != 200 || !strings.Contains(string(res.Body), "complexity") {
		t.Fatalf("%d %s", res.Status, res.Body)
	}
	gql(e, `{ users(first: 10) { totalCount } }`, nil).Expect(t, 200, `{"data":{"users":{"totalCount":1}}}`)
}

func TestErrorsCarryCodesAndHideInternals(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	gql(e, `{ users(first: -1) { totalCount } }`, nil).Expect(t, 200,
		`{"data":null,"errors":[{"message":"first must be between 0 and 1000","locations":[{"line":1,"column":3}],"path":["users"],"extensions":{"code":"INVALID_DATA"}}]}`)
	gql(e, `{ users(after: "junk") { totalCount } }`, nil).Expect(t, 200,
		`{"data":null,"errors":[{"message":"invalid cursor","locations":[{"line":1,"column":3}],"path":["users"],"extensions":{"code":"INVALID_DATA"}}]}`)
}

// A NUL character, which PostgreSQL text cannot hold, is refused before any resolver runs,
// wherever it is: in a variable, an argument literal, a nested input or a fragment; nothing is
// written and no database error reaches the client.
func TestNULRefusedBeforeResolvers(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	const create = `mutation($n: String!) { createCustomerGroup(input: {name: $n}) { customerGroup { id } } }`
	gql(e, create, map[string]any{"n": "a\x00b"}).Expect(t, 200,
		`{"errors":[{"message":"variable $n must not contain NUL characters","extensions":{"code":"INVALID_DATA"}}],"data":null}`)
	gql(e, `mutation { createCustomerGroup(input: {name: "a\u0000b"}) { customerGroup { id } } }`, nil).Expect(t, 200,
		`{"errors":[{"message":"an argument of createCustomerGroup must not contain NUL characters","extensions":{"code":"INVALID_DATA"}}],"data":null}`)
	gql(e, `query { ...f } fragment f on Query { customers(q: "x\u0000") { totalCount } }`, nil).Expect(t, 200,
		`{"errors":[{"message":"an argument of customers must not contain NUL characters","extensions":{"code":"INVALID_DATA"}}],"data":null}`)
	gql(e, `mutation($in: CreateCustomerGroupInput!) { createCustomerGroup(input: $in) { customerGroup { id } } }`,
		map[string]any{"in": map[string]any{"name": "ok", "metadata": map[string]any{"list": []any{"x\x00"}}}}).Expect(t, 200,
		`{"errors":[{"message":"variable $in must not contain NUL characters","extensions":{"code":"INVALID_DATA"}}],"data":null}`)
	gql(e, `{ customerGroups { totalCount } }`, nil).Expect(t, 200, `{"data":{"customerGroups":{"totalCount":0}}}`)
}

// A database failure is logged and answered as a bare internal error: no SQL, no driver message.
func TestDatabaseFailureHidden(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	if _, err := e.DB.ExecContext(t.Context(), `ALTER TABLE customer_group RENAME TO customer_group_gone`); err != nil {
		t.Fatal(err)
	}
	gql(e, `{ customerGroups { totalCount } }`, nil).Expect(t, 200,
		`{"errors":[{"message":"internal server error","locations":[{"line":1,"column":3}],"path":["customerGroups"],"extensions":{"code":"INTERNAL_SERVER_ERROR"}}],"data":null}`)
}

// In an outage a GraphQL client gets the REST API's retryable 503 (authentication needs the
// database first).
func TestDatabaseOutage(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	pe, proxy := e.Proxied(t)
	gql(pe, `{ regions { totalCount } }`, nil).Expect(t, 200, `{"data":{"regions":{"totalCount":0}}}`)
	proxy.Cut()
	res := gql(pe, `{ regions { totalCount } }`, nil)
	res.Expect(t, 503, `{"code":"database_unavailable","type":"database_error","message":"The database is unavailable. Retry the request shortly."}`)
	if res.Header.Get("Retry-After") != "2" {
		t.Errorf("Retry-After %q", res.Header.Get("Retry-After"))
	}
}

// unauthenticated is the answer to a GraphQL request without valid credentials.
const unauthenticated = `{"errors":[{"message":"Unauthorized","extensions":{"code":"UNAUTHENTICATED"}}]}`

// Without credentials a GraphQL client gets a GraphQL error it can read (POST and GET queries
// alike); a browser asking for the playground page gets the page, with its login form.
func TestUnauthenticatedGraphQL(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := e.DoAnon("POST", "/graphql", map[string]any{"query": "{ viewer { id } }"})
	res.Expect(t, 401, unauthenticated)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("content type %q", ct)
	}
	e.DoWith("GET", "/graphql?query=%7Bviewer%7Bid%7D%7D", nil, map[string]string{"Accept": "application/json"}).Expect(t, 401, unauthenticated)
	if res := e.DoWith("GET", "/graphql", nil, map[string]string{"Accept": "text/html,application/xhtml+xml"}); res.Status != 200 {
		t.Errorf("playground page: %d", res.Status)
	}
}
