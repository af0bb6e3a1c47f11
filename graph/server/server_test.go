package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/gorgon-commerce/gorgon/graph/server"
	"github.com/gorgon-commerce/gorgon/graph/server/internal/testschema"
)

// testServer serves the test schema through server.New, mounted as an application would
// mount it: on the endpoint and on everything below it.
type testServer struct {
	*httptest.Server
	resolver *testschema.Resolver
}

func newTestServer(t *testing.T, opts server.Options) *testServer {
	t.Helper()
	es, resolver := testschema.New()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	h := server.New(es, opts)
	path := strings.TrimSuffix(opts.Path, "/")
	if path == "" {
		path = "/graphql"
	}
	mux := http.NewServeMux()
	mux.Handle(path, h)
	mux.Handle(path+"/", h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &testServer{Server: srv, resolver: resolver}
}

type response struct {
	status int
	header http.Header
	body   string
}

// do sends a request; headers are name/value pairs.
func (s *testServer) do(t *testing.T, method, path string, body io.Reader, headers ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := s.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

// postJSON posts body as application/json to /graphql.
func (s *testServer) postJSON(t *testing.T, body string) response {
	t.Helper()
	return s.do(t, http.MethodPost, "/graphql", strings.NewReader(body), "Content-Type", "application/json")
}

// query marshals a single operation request.
func query(q string, variables map[string]any) string {
	b, err := json.Marshal(map[string]any{"query": q, "variables": variables})
	if err != nil {
		panic(err)
	}
	return string(b)
}

func assertStatus(t *testing.T, res response, want int) {
	t.Helper()
	if res.status != want {
		t.Fatalf("status = %d, want %d; body: %s", res.status, want, res.body)
	}
}

// assertJSON compares JSON documents by value.
func assertJSON(t *testing.T, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expectation: %v\n%s", err, want)
	}
	if !strings.Contains(want, `"cost"`) {
		g = withoutCost(g)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("body mismatch\n got: %s\nwant: %s", got, want)
	}
}

// withoutCost drops the query-cost extension every answer carries (tested in cost_test.go), so
// the other tests state the rest of the answer in full.
func withoutCost(v any) any {
	switch v := v.(type) {
	case []any:
		for i := range v {
			v[i] = withoutCost(v[i])
		}
	case map[string]any:
		if ext, ok := v["extensions"].(map[string]any); ok {
			delete(ext, "cost")
			if len(ext) == 0 {
				delete(v, "extensions")
			}
		}
	}
	return v
}

func assertNotExecuted(t *testing.T, s *testServer) {
	t.Helper()
	if n := s.resolver.Calls.Load(); n != 0 {
		t.Fatalf("%d resolver calls, want none: the request must be refused before execution", n)
	}
}

func TestSingleQuery(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, server.Options{})

	res := s.postJSON(t, query(`query Greet($n: String!) { hello(name: $n) }`, map[string]any{"n": "Ada"}))
	assertStatus(t, res, http.StatusOK)
	if ct := res.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	assertJSON(t, res.body, `{"data":{"hello":"Hello, Ada!"}}`)

	// The Content-Type may carry parameters.
	res = s.do(t, http.MethodPost, "/graphql", strings.NewReader(`{"query":"mutation { increment(by: 2) }"}`),
		"Content-Type", "application/json; charset=utf-8")
	assertStatus(t, res, http.StatusOK)
	assertJSON(t, res.body, `{"data":{"increment":2}}`)
}

func TestResolverErrorIsInTheResult(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, server.Options{})

	res := s.postJSON(t, `{"query":"{ fail hello }"}`)
	assertStatus(t, res, http.StatusOK)
	assertJSON(t, res.body, `{"errors":[{"message":"boom","path":["fail"],"locations":[{"line":1,"column":3}]}],"data":{"fail":null,"hello":"Hello, world!"}}`)
}

// A page on another site can make a browser POST text/plain, form-encoded or multipart
// bodies with the admin's session cookie and no preflight: none of them may execute.
func TestCSRFRefusesSimpleRequests(t *testing.T) {
	t.Parallel()
	const contentTypeMessage = `POST requests must have Content-Type: application/json ` +
		`(or multipart/form-data with an Apollo-Require-Preflight header, for uploads); got `
	multipartBody, multipartType := uploadBody(t, "x")
	mutation := `{"query":"mutation { increment }"}`

	for _, tc := range []struct {
		name        string
		contentType string
		body        string
		headers     []string
		message     string
	}{
		{"text/plain", "text/plain", mutation, nil, contentTypeMessage + `"text/plain"`},
		{"text/plain as fetch sends it", "text/plain;charset=UTF-8", mutation, nil,
			contentTypeMessage + `"text/plain;charset=UTF-8"`},
		{"form post", "application/x-www-form-urlencoded", "query=mutation+%7B+increment+%7D", nil,
			contentTypeMessage + `"application/x-www-form-urlencoded"`},
		{"no content type", "", mutation, nil, contentTypeMessage + `""`},
		{"unparsable content type", "application/json; =", mutation, nil, contentTypeMessage + `"application/json; ="`},
		// The preflight header makes a request safe, but text/plain has no transport.
		{"text/plain with preflight header", "text/plain", mutation, []string{"Apollo-Require-Preflight", "true"},
			contentTypeMessage + `"text/plain"`},
		{"multipart without preflight header", multipartType, multipartBody, nil,
			"multipart requests must carry a non-empty Apollo-Require-Preflight (or X-Apollo-Operation-Name) " +
				"header: without it, another site could forge this request"},
		{"multipart with an empty preflight header", multipartType, multipartBody, []string{"Apollo-Require-Preflight", ""},
			"multipart requests must carry a non-empty Apollo-Require-Preflight (or X-Apollo-Operation-Name) " +
				"header: without it, another site could forge this request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newTestServer(t, server.Options{})
			req, err := http.NewRequest(http.MethodPost, s.URL+"/graphql", strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			for i := 0; i+1 < len(tc.headers); i += 2 {
				req.Header.Set(tc.headers[i], tc.headers[i+1])
			}
			httpRes, err := s.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(httpRes.Body)
			httpRes.Body.Close()
			res := response{status: httpRes.StatusCode, header: httpRes.Header, body: string(b)}

			assertStatus(t, res, http.StatusBadRequest)
			if ct := res.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			want, _ := json.Marshal(map[string]any{"errors": []any{map[string]any{
				"message": tc.message, "extensions": map[string]any{"code": "CSRF_PREVENTED"},
			}}})
			assertJSON(t, res.body, string(want))
			assertNotExecuted(t, s)
			if n := s.resolver.Counter.Load(); n != 0 {
				t.Fatalf("counter = %d: the mutation ran", n)
			}
		})
	}
}

// uploadBody is a GraphQL multipart request uploading one file with the given content.
func uploadBody(t *testing.T, content string) (body, contentType string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(mw.WriteField("operations",
		`{"query":"mutation Up($file: Upload!) { upload(file: $file) { filename contentType size content } }",`+
			`"variables":{"file":null}}`))
	must(mw.WriteField("map", `{"0":["variables.file"]}`))
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="0"; filename="notes.txt"`)
	h.Set("Content-Type", "text/plain")
	part, err := mw.CreatePart(h)
	must(err)
	_, err = part.Write([]byte(content))
	must(err)
	must(mw.Close())
	return buf.String(), mw.FormDataContentType()
}

func TestUploadWithPreflightHeader(t *testing.T) {
	t.Parallel()
	for _, header := range []string{"Apollo-Require-Preflight", "X-Apollo-Operation-Name"} {
		t.Run(header, func(t *testing.T) {
			t.Parallel()
			s := newTestServer(t, server.Options{})
			body, contentType := uploadBody(t, "hello")
			res := s.do(t, http.MethodPost, "/graphql", strings.NewReader(body),
				"Content-Type", contentType, header, "Up")
			assertStatus(t, res, http.StatusOK)
			assertJSON(t, res.body,
				`{"data":{"upload":{"filename":"notes.txt","contentType":"text/plain","size":5,"content":"hello"}}}`)
		})
	}
}

func TestUploadTooLarge(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, server.Options{MaxUploadSize: 100})
	body, contentType := uploadBody(t, strings.Repeat("x", 200))
	res := s.do(t, http.MethodPost, "/graphql", strings.NewReader(body),
		"Content-Type", contentType, "Apollo-Require-Preflight", "true")
	assertStatus(t, res, http.StatusRequestEntityTooLarge)
	assertJSON(t, res.body, `{"errors":[{"message":"request body exceeds 100 bytes","extensions":{"code":"PAYLOAD_TOO_LARGE"}}]}`)
	assertNotExecuted(t, s)
}

func TestJSONBodyTooLarge(t *testing.T) {
	t.Parallel()
	const want = `{"errors":[{"message":"request body exceeds 64 bytes","extensions":{"code":"PAYLOAD_TOO_LARGE"}}]}`
	big := query(`{ hello(name: "`+strings.Repeat("x", 100)+`") }`, nil)

	for _, tc := range []struct {
		name string
		body string
	}{
		{"single", big},
		{"batch", "[" + big + "]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newTestServer(t, server.Options{MaxBodySize: 64})

			// With a Content-Length.
			res := s.postJSON(t, tc.body)
			assertStatus(t, res, http.StatusRequestEntityTooLarge)
			assertJSON(t, res.body, want)

			// Chunked: the size is only known while reading.
			res = s.do(t, http.MethodPost, "/graphql", io.MultiReader(strings.NewReader(tc.body)),
				"Content-Type", "application/json")
			assertStatus(t, res, http.StatusRequestEntityTooLarge)
			assertJSON(t, res.body, want)
			assertNotExecuted(t, s)
		})
	}
}

// Mutations are never executed from a URL: a link or an <img> on another site could.
func TestGETDoesNotExecuteMutations(t *testing.T) {
	t.Parallel()
	for _, accept := range []string{"", "application/json", "*/*", "text/html"} {
		t.Run("Accept "+accept, func(t *testing.T) {
			t.Parallel()
			s := newTestServer(t, server.Options{})
			res := s.do(t, http.MethodGet, "/graphql?query=mutation%7Bincrement%7D", nil, "Accept", accept)
			assertStatus(t, res, http.StatusNotAcceptable)
			assertJSON(t, res.body, `{"errors":[{"message":"GET requests only allow query operations"}],"data":null}`)
			assertNotExecuted(t, s)
		})
	}
}

// Queries may come over GET (urql's default, GraphQL over HTTP), also by persisted hash.
func TestGETQueries(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, server.Options{})
	res := s.do(t, http.MethodGet, "/graphql?query=%7Bhello%7D", nil, "Accept", "application/graphql-response+json, application/json")
	assertStatus(t, res, http.StatusOK)
	assertJSON(t, res.body, `{"data":{"hello":"Hello, world!"}}`)
	if got := res.header.Get("Cache-Control"); got != "private, no-cache" {
		t.Errorf("Cache-Control = %q", got)
	}

	// Apollo's automatic persisted queries: the hash alone first, then hash and query, then
	// the hash alone is enough.
	const query = "{hello}"
	ext := `{"persistedQuery":{"version":1,"sha256Hash":"` + sha256Hex(query) + `"}}`
	res = s.do(t, http.MethodGet, "/graphql?extensions="+url.QueryEscape(ext), nil, "Accept", "application/json")
	assertStatus(t, res, http.StatusOK)
	assertJSON(t, res.body, `{"errors":[{"message":"PersistedQueryNotFound","extensions":{"code":"PERSISTED_QUERY_NOT_FOUND"}}],"data":null}`)
	res = s.postJSON(t, `{"query":"{hello}","extensions":`+ext+`}`)
	assertStatus(t, res, http.StatusOK)
	assertJSON(t, res.body, `{"data":{"hello":"Hello, world!"}}`)
	res = s.do(t, http.MethodGet, "/graphql?extensions="+url.QueryEscape(ext), nil, "Accept", "application/json")
	assertStatus(t, res, http.StatusOK)
	assertJSON(t, res.body, `{"data":{"hello":"Hello, world!"}}`)

	// A GET without an operation is not one.
	res = s.do(t, http.MethodGet, "/graphql", nil, "Accept", "application/json")
	assertStatus(t, res, http.StatusMethodNotAllowed)
	if allow := res.header.Get("Allow"); allow != "OPTIONS, GET, POST" {
		t.Errorf("Allow = %q", allow)
	}
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestOtherMethodsAndPaths(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, server.Options{})

	res := s.do(t, http.MethodOptions, "/graphql", nil)
	assertStatus(t, res, http.StatusOK)
	if allow := res.header.Get("Allow"); allow != "OPTIONS, GET, POST" {
		t.Errorf("OPTIONS Allow = %q", allow)
	}

	res = s.do(t, http.MethodPut, "/graphql", strings.NewReader(`{"query":"{hello}"}`), "Content-Type", "application/json")
	assertStatus(t, res, http.StatusMethodNotAllowed)

	res = s.do(t, http.MethodPost, "/graphql/elsewhere", strings.NewReader(`{"query":"{hello}"}`), "Content-Type", "application/json")
	assertStatus(t, res, http.StatusNotFound)
	assertJSON(t, res.body, `{"errors":[{"message":"no GraphQL endpoint at /graphql/elsewhere","extensions":{"code":"NOT_FOUND"}}]}`)

	// A trailing slash is the same endpoint.
	res = s.do(t, http.MethodPost, "/graphql/", strings.NewReader(`{"query":"{hello}"}`), "Content-Type", "application/json")
	assertStatus(t, res, http.StatusOK)
	assertJSON(t, res.body, `{"data":{"hello":"Hello, world!"}}`)
}

func TestPanicIsLoggedAndAnswered(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	s := newTestServer(t, server.Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})

	res := s.postJSON(t, `[{"query":"{ explode }"},{"query":"{ hello }"}]`)
	assertStatus(t, res, http.StatusOK)
	assertJSON(t, res.body, `[
		{"errors":[{"message":"internal system error","path":["explode"]}],
		 "data":{"explode":null}},
		{"data":{"hello":"Hello, world!"}}
	]`)
	if !strings.Contains(logs.String(), `msg="graphql: recovered panic" panic=kaboom`) {
		t.Errorf("panic not logged:\n%s", logs.String())
	}
}

func TestErrorPresenterAndRecoverFunc(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, server.Options{
		ErrorPresenter: func(ctx context.Context, err error) *gqlerror.Error {
			e := graphql.DefaultErrorPresenter(ctx, err)
			e.Extensions = map[string]any{"code": "PRESENTED"}
			return e
		},
		RecoverFunc: func(ctx context.Context, v any) error {
			return fmt.Errorf("recovered %v", v)
		},
	})
	res := s.postJSON(t, `{"query":"{ fail explode }"}`)
	assertStatus(t, res, http.StatusOK)
	assertJSON(t, res.body, `{"errors":[
		{"message":"boom","path":["fail"],"locations":[{"line":1,"column":3}],"extensions":{"code":"PRESENTED"}},
		{"message":"recovered kaboom","path":["explode"],"extensions":{"code":"PRESENTED"}}
	],"data":{"fail":null,"explode":null}}`)
}
