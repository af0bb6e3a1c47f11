package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/graph/server"
)

// deepQuery nests fields exactly depth levels: node, depth-2 times child, then id.
func deepQuery(depth int) string {
	return "{ node { " + strings.Repeat("child { ", depth-2) + "id" + strings.Repeat(" }", depth-1) + " }"
}

// deepData is deepQuery's result: each child's id is its parent's plus one.
func deepData(depth int) string {
	return `{"data":{"node":` + strings.Repeat(`{"child":`, depth-2) +
		fmt.Sprintf(`{"id":%d}`, depth-1) + strings.Repeat("}", depth-2) + "}}"
}

func TestDepthLimit(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, server.Options{})

	res := s.postJSON(t, query(deepQuery(12), nil))
	assertStatus(t, res, http.StatusOK)
	assertJSON(t, res.body, deepData(12))

	s = newTestServer(t, server.Options{})
	res = s.postJSON(t, query(deepQuery(13), nil))
	assertStatus(t, res, http.StatusOK)
	assertJSON(t, res.body, `{"errors":[{"message":"query depth 13 exceeds the limit of 12",`+
		`"extensions":{"code":"DEPTH_LIMIT_EXCEEDED"}}],"data":null}`)
	assertNotExecuted(t, s)
}

// Fragment spreads and inline fragments are followed: their fields count where they are
// spread.
func TestDepthLimitFollowsFragments(t *testing.T) {
	t.Parallel()
	const q = `
		query { ...Root }
		fragment Root on Query { node { ...Deeper } }
		fragment Deeper on Node { child { ... on Node { child { ...Leaf } } } }
		fragment Leaf on Node { id ... { __typename } }`
	// node 1, child 2, child 3, id and __typename 4

	s := newTestServer(t, server.Options{MaxDepth: 3})
	res := s.postJSON(t, query(q, nil))
	assertJSON(t, res.body, `{"errors":[{"message":"query depth 4 exceeds the limit of 3",`+
		`"extensions":{"code":"DEPTH_LIMIT_EXCEEDED"}}],"data":null}`)
	assertNotExecuted(t, s)

	s = newTestServer(t, server.Options{MaxDepth: 4})
	res = s.postJSON(t, query(q, nil))
	assertStatus(t, res, http.StatusOK)
	assertJSON(t, res.body, `{"data":{"node":{"child":{"child":{"id":3,"__typename":"Node"}}}}}`)
}

func TestDepthLimitDisabled(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, server.Options{MaxDepth: -1})
	res := s.postJSON(t, query(deepQuery(40), nil))
	assertStatus(t, res, http.StatusOK)
	assertJSON(t, res.body, deepData(40))
}

// The query GraphiQL and graphql-js's getIntrospectionQuery() send nests ofType nine
// levels under __schema { types { fields { type, 14 fields deep: it must pass whatever the
// depth limit. The testdata files are getIntrospectionQuery()'s output from graphql
// 16.15.0, with default options and with every option on.
func TestStandardIntrospectionQueryPasses(t *testing.T) {
	t.Parallel()
	for _, file := range []string{"introspection.graphql", "introspection-full.graphql"} {
		for _, maxDepth := range []int{0, 2} {
			t.Run(fmt.Sprintf("%s MaxDepth %d", file, maxDepth), func(t *testing.T) {
				t.Parallel()
				text, err := os.ReadFile("testdata/" + file)
				if err != nil {
					t.Fatal(err)
				}
				s := newTestServer(t, server.Options{MaxDepth: maxDepth})
				res := s.postJSON(t, query(string(text), nil))
				assertStatus(t, res, http.StatusOK)

				var body struct {
					Errors json.RawMessage
					Data   struct {
						Schema struct {
							QueryType    struct{ Name string }
							MutationType struct{ Name string }
							Types        []struct {
								Name   string
								Fields []struct {
									Name string
									Type json.RawMessage
								}
							}
						} `json:"__schema"`
					}
				}
				if err := json.Unmarshal([]byte(res.body), &body); err != nil {
					t.Fatal(err)
				}
				if body.Errors != nil {
					t.Fatalf("errors: %s", body.Errors)
				}
				if q, m := body.Data.Schema.QueryType.Name, body.Data.Schema.MutationType.Name; q != "Query" || m != "Mutation" {
					t.Fatalf("queryType %q, mutationType %q", q, m)
				}
				// Node.child's type came back through the TypeRef fragment.
				for _, typ := range body.Data.Schema.Types {
					if typ.Name != "Node" {
						continue
					}
					for _, f := range typ.Fields {
						if f.Name == "child" {
							assertJSON(t, string(f.Type), `{"kind":"NON_NULL","name":null,`+
								`"ofType":{"kind":"OBJECT","name":"Node","ofType":null}}`)
							return
						}
					}
				}
				t.Fatalf("no Node.child in the introspection result")
			})
		}
	}
}

// Exempt from the depth limit, introspection is still bounded: nested type lists (each
// level multiplying the result) are refused by gqlparser's MaxIntrospectionDepth rule.
func TestNestedIntrospectionListsAreRefused(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, server.Options{})
	res := s.postJSON(t, query(`{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }`, nil))
	assertStatus(t, res, http.StatusUnprocessableEntity)
	assertJSON(t, res.body, `{"errors":[{"message":"Maximum introspection depth exceeded",`+
		`"locations":[{"line":1,"column":3}],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}],"data":null}`)
}

func TestComplexityLimit(t *testing.T) {
	t.Parallel()
	aliases := func(n int) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			fmt.Fprintf(&b, " a%d: hello", i)
		}
		b.WriteString(" }")
		return b.String()
	}

	t.Run("default limit", func(t *testing.T) {
		t.Parallel()
		s := newTestServer(t, server.Options{})
		res := s.postJSON(t, query(aliases(5001), nil))
		assertStatus(t, res, http.StatusOK)
		assertJSON(t, res.body, `{"errors":[{"message":"operation has complexity 5001, which exceeds the limit of 5000",`+
			`"extensions":{"code":"COMPLEXITY_LIMIT_EXCEEDED"}}],"data":null}`)
		assertNotExecuted(t, s)
	})
	t.Run("set limit", func(t *testing.T) {
		t.Parallel()
		s := newTestServer(t, server.Options{MaxComplexity: 10})
		res := s.postJSON(t, query(aliases(11), nil))
		assertJSON(t, res.body, `{"errors":[{"message":"operation has complexity 11, which exceeds the limit of 10",`+
			`"extensions":{"code":"COMPLEXITY_LIMIT_EXCEEDED"}}],"data":null}`)
		assertNotExecuted(t, s)

		res = s.postJSON(t, query(aliases(10), nil))
		assertStatus(t, res, http.StatusOK)
		if strings.Contains(res.body, "errors") || !strings.Contains(res.body, `"a9":"Hello, world!"`) {
			t.Fatalf("10 fields at a limit of 10: %s", res.body)
		}
	})
}
