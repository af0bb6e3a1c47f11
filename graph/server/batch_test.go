package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/graph/server"
)

func TestBatchSecondOperationFails(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, server.Options{})

	res := s.postJSON(t, `[
		{"query": "query A($n: String!) { hello(name: $n) }", "variables": {"n": "one"}, "operationName": "A"},
		{"query": "{ fail }"},
		{"query": "mutation { increment(by: 3) }"}
	]`)
	assertStatus(t, res, http.StatusOK)
	if ct := res.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	assertJSON(t, res.body, `[
		{"data": {"hello": "Hello, one!"}},
		{"errors": [{"message": "boom", "path": ["fail"], "locations": [{"line": 1, "column": 3}]}],
			"data": {"fail": null}},
		{"data": {"increment": 3}}
	]`)
}

// Every kind of failure stays inside its own element, the batch still answers 200, and
// each operation goes through the same limits as a single request.
func TestBatchFailuresStayInTheirElement(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, server.Options{MaxDepth: 3, MaxComplexity: 5})

	res := s.postJSON(t, `
	[
		{"query": "mutation { increment }"},
		{"query": "{ nope }"},
		{"query": "{ node { child { child { id } } } }"},
		{"query": "{ a: hello b: hello c: hello d: hello e: hello f: hello }"},
		{"query": "query A { hello } query B { hello(name: \"B\") }", "operationName": "B"},
		{"query": "query A { hello }", "operationName": "C"},
		{"query": "subscription { ticks }"},
		{},
		{"query": "{ hello("},
		{"query": "mutation { increment }"}
	]`)
	assertStatus(t, res, http.StatusOK)
	assertJSON(t, res.body, `[
		{"data": {"increment": 1}},
		{"errors": [{"message": "Cannot query field \"nope\" on type \"Query\". Did you mean \"node\"?",
			"locations": [{"line": 1, "column": 3}],
			"extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}], "data": null},
		{"errors": [{"message": "query depth 4 exceeds the limit of 3",
			"extensions": {"code": "DEPTH_LIMIT_EXCEEDED"}}], "data": null},
		{"errors": [{"message": "operation has complexity 6, which exceeds the limit of 5",
			"extensions": {"code": "COMPLEXITY_LIMIT_EXCEEDED"}}], "data": null},
		{"data": {"hello": "Hello, B!"}},
		{"errors": [{"message": "operation C not found",
			"extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}], "data": null},
		{"errors": [{"message": "subscriptions cannot be sent in a batch"}], "data": null},
		{"errors": [{"message": "no operation provided",
			"extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}}], "data": null},
		{"errors": [{"message": "Expected Name, found <EOF>",
			"locations": [{"line": 1, "column": 9}],
			"extensions": {"code": "GRAPHQL_PARSE_FAILED"}}], "data": null},
		{"data": {"increment": 2}}
	]`)
	// The two increments, the named hello; not the refused ones.
	if n := s.resolver.Calls.Load(); n != 3 {
		t.Errorf("%d resolver calls, want 3", n)
	}
}

// A malformed batch ran nothing, so it is refused whole with 400.
func TestMalformedBatch(t *testing.T) {
	t.Parallel()
	op := `{"query":"mutation { increment }"}`
	ops := func(n int) string { return "[" + strings.TrimSuffix(strings.Repeat(op+",", n), ",") + "]" }

	for _, tc := range []struct {
		name    string
		opts    server.Options
		body    string
		message string
	}{
		{"empty", server.Options{}, `[]`, "batch request contains no operations"},
		{"empty with whitespace", server.Options{}, " \n\t[ ]", "batch request contains no operations"},
		{"over the default limit", server.Options{}, ops(21), "batch of 21 operations exceeds the limit of 20"},
		{"over a set limit", server.Options{MaxBatch: 2}, ops(3), "batch of 3 operations exceeds the limit of 2"},
		{"batches disabled", server.Options{MaxBatch: -1}, ops(1), "batched requests are disabled"},
		{"not objects", server.Options{}, `[1, 2]`, "batch element 0 is not an operation object"},
		{"a null element", server.Options{}, `[` + op + `, null]`, "batch element 1 is not an operation object"},
		{"an array element", server.Options{}, `[` + op + `, [` + op + `]]`, "batch element 1 is not an operation object"},
		{"a string element", server.Options{}, `[` + op + `, "{ hello }"]`, "batch element 1 is not an operation object"},
		{"a bad field", server.Options{}, `[` + op + `, {"query": 5}]`,
			"batch element 1 could not be decoded: json: cannot unmarshal number into Go struct field RawParams.query of type string"},
		{"truncated", server.Options{}, `[` + op, "batch request body could not be decoded: unexpected end of JSON input"},
		{"trailing garbage", server.Options{}, `[` + op + `] x`,
			"batch request body could not be decoded: invalid character 'x' after top-level value"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newTestServer(t, tc.opts)
			res := s.postJSON(t, tc.body)
			assertStatus(t, res, http.StatusBadRequest)
			if ct := res.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			assertJSON(t, res.body, fmt.Sprintf(`{"errors":[{"message":%q,"extensions":{"code":"BAD_REQUEST"}}]}`, tc.message))
			assertNotExecuted(t, s)
		})
	}
}

func TestBatchAtTheLimit(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, server.Options{MaxBatch: 3})

	// Leading whitespace does not hide a batch from the transport.
	res := s.postJSON(t, "\r\n  [{\"query\":\"mutation { increment }\"},{\"query\":\"mutation { increment }\"},"+
		"{\"query\":\"mutation { increment }\"}]")
	assertStatus(t, res, http.StatusOK)
	assertJSON(t, res.body, `[{"data":{"increment":1}},{"data":{"increment":2}},{"data":{"increment":3}}]`)
}
