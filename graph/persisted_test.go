package graph_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/graph"
	"github.com/gorgon-commerce/gorgon/rest"
	"github.com/gorgon-commerce/gorgon/rest/resttest"
	"github.com/gorgon-commerce/gorgon/store"
)

// Queries over GET (urql's default), authenticated like POST; mutations never.
func TestGraphQLOverGET(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := e.DoWith("GET", "/graphql?query="+url.QueryEscape(`{ viewer { email } }`), nil,
		map[string]string{"Authorization": "Bearer " + resttest.Token, "Accept": "application/graphql-response+json"})
	res.Expect(t, 200, `{"data":{"viewer":{"email":"admin@test.com"}}}`)
	if got := res.Header.Get("Cache-Control"); got != "private, no-cache" {
		t.Errorf("Cache-Control %q", got)
	}
	e.DoWith("GET", "/graphql?query="+url.QueryEscape(`mutation { logout { userErrors { message } } }`), nil,
		map[string]string{"Authorization": "Bearer " + resttest.Token}).
		Expect(t, 406, `{"errors":[{"message":"GET requests only allow query operations"}],"data":null}`)
}

// Documents registered from a client's build run by hash on any instance; in persisted-only
// mode nothing else runs.
func TestPersistedDocuments(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	const query = "query Me { viewer { email } }"
	manifest := `{"format":"apollo-persisted-query-manifest","version":1,"operations":[` +
		`{"id":"` + store.HashDocument(query) + `","name":"Me","type":"query","body":"` + query + `"}]}`
	docs, err := store.ParsePersistedDocuments([]byte(manifest))
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Store.RegisterPersistedDocuments(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	byHash := map[string]any{"extensions": map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": store.HashDocument(query)}}}
	e.Do("POST", "/graphql", byHash).Expect(t, 200, `{"data":{"viewer":{"email":"admin@test.com"}}}`)

	e.Handler = withoutCost(rest.NewRouter(e.Store, rest.Config{CookieSecret: "test-cookie-secret"},
		graph.NewConfiguredHandler(e.Store, graph.HandlerConfig{PersistedOnly: true})))
	e.Do("POST", "/graphql", byHash).Expect(t, 200, `{"data":{"viewer":{"email":"admin@test.com"}}}`)
	e.Do("POST", "/graphql", map[string]any{"query": query}).Expect(t, 200, `{"data":{"viewer":{"email":"admin@test.com"}}}`)
	e.Do("POST", "/graphql", map[string]any{"query": "{ viewer { id } }"}).Expect(t, 200,
		`{"errors":[{"message":"This server executes only registered documents; this one is not registered","extensions":{"code":"PERSISTED_QUERY_NOT_IN_LIST"}}],"data":null}`)

	// A document whose hash is not its text's is refused whole.
	if _, err := store.ParsePersistedDocuments([]byte(`{"` + store.HashDocument("{ a }") + `":"{ b }"}`)); err == nil {
		t.Error("a wrong hash was accepted")
	}
}

// The playground page and its assets hold no data: they are served without credentials, and the
// page offers a login form. Operations without credentials are refused, GET or POST.
func TestPlaygroundWithoutSession(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	page := e.DoWith("GET", "/graphql", nil, map[string]string{"Accept": "text/html,application/xhtml+xml"})
	if page.Status != 200 || !containsAll(string(page.Body), `var loginPath = "/admin/auth";`, "showLogin", "graphiql.min.js") {
		t.Fatalf("playground page: %d\n%s", page.Status, page.Body)
	}
	if res := e.DoWith("GET", "/graphql/assets/graphiql.min.css", nil, nil); res.Status != 200 {
		t.Errorf("asset: %d", res.Status)
	}
	e.DoWith("GET", "/graphql?query=%7Bviewer%7Bid%7D%7D", nil, map[string]string{"Accept": "text/html"}).Expect(t, 401, unauthenticated)
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// logout ends a cookie session and says so; a token-authenticated request has none to end.
func TestLogoutPayload(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	res := e.DoAnon("POST", "/admin/auth", map[string]any{"email": "admin@test.com", "password": "secret-password"})
	cookie := strings.SplitN(res.Header.Get("Set-Cookie"), ";", 2)[0]
	withCookie := map[string]string{"Cookie": cookie}
	const logout = `mutation { logout { loggedOut userErrors { message code } } }`
	e.DoWith("POST", "/graphql", map[string]any{"query": logout}, withCookie).Expect(t, 200,
		`{"data":{"logout":{"loggedOut":true,"userErrors":[]}}}`)
	e.DoWith("POST", "/graphql", map[string]any{"query": logout}, withCookie).Expect(t, 401, unauthenticated)
	gql(e, logout, nil).Expect(t, 200, `{"data":{"logout":{"loggedOut":false,"userErrors":[`+
		`{"message":"This request has no cookie session to end: it authenticated with an API token","code":"NOT_ALLOWED"}]}}}`)
}

// Every answer reports its cost (Shopify's extensions.cost): a connection is requested at its
// page size and costs what it returned; the bucket is the user's, whatever credential is used.
func TestQueryCostExtension(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	keep := map[string]string{"Authorization": "Bearer " + resttest.Token, "X-Test-Cost": "keep"}
	res := e.DoWith("POST", "/graphql", map[string]any{"query": `{ regions(first: 10) { edges { node { id name } } } }`}, keep)
	// Requested: the connection (1) + 10 × (edges 1 + node 1 + id 1 + name 1)... as gqlgen's
	// complexity with Gorgon's connection hook counts it; actual: no regions, so only the
	// connection's two fields.
	var body struct {
		Extensions struct {
			Cost struct {
				Requested      int `json:"requestedQueryCost"`
				Actual         int `json:"actualQueryCost"`
				ThrottleStatus struct {
					Max, Available, Rate float64
				} `json:"throttleStatus"`
			} `json:"cost"`
		} `json:"extensions"`
	}
	if err := json.Unmarshal(res.Body, &body); err != nil {
		t.Fatal(err)
	}
	c := body.Extensions.Cost
	if c.Requested < 10 || c.Actual != 2 {
		t.Fatalf("cost %+v: %s", c, res.Body)
	}
	if !strings.Contains(string(res.Body), `"throttleStatus":{"maximumAvailable":20000,"currentlyAvailable":`) ||
		!strings.Contains(string(res.Body), `"restoreRate":1000}`) {
		t.Fatalf("throttle status: %s", res.Body)
	}
}
