package server_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"

	"github.com/gorgon-commerce/gorgon/graph/server"
)

func costServer(t *testing.T) *testServer {
	return newTestServer(t, server.Options{
		MaxComplexity: 10, MaxCostAvailable: 10, CostRestoreRate: 0.001,
		CostKey: func(ctx context.Context) string { return graphql.GetOperationContext(ctx).Headers.Get("X-User") },
	})
}

func post(t *testing.T, s *testServer, user, body string) response {
	t.Helper()
	return s.do(t, http.MethodPost, "/graphql", strings.NewReader(body), "Content-Type", "application/json", "X-User", user)
}

func cost(requested, actual, available int) string {
	return `"extensions":{"cost":{"requestedQueryCost":` + itoa(requested) + `,"actualQueryCost":` + itoa(actual) +
		`,"throttleStatus":{"maximumAvailable":10,"currentlyAvailable":` + itoa(available) + `,"restoreRate":0.001}}}`
}

func itoa(n int) string { return strconv.Itoa(n) }

const throttled = `{"message":"Throttled: this operation's cost exceeds the points available; retry when the bucket has refilled","extensions":{"code":"THROTTLED"}}`

// Every answer reports its cost and the caller's bucket; aliases cost each time; an operation
// that does not fit is refused before it runs; callers have buckets of their own.
func TestQueryCost(t *testing.T) {
	t.Parallel()
	s := costServer(t)
	res := post(t, s, "ann", `{"query":"{ hello }"}`)
	assertJSON(t, res.body, `{"data":{"hello":"Hello, world!"},`+cost(1, 1, 9)+`}`)

	res = post(t, s, "ann", `{"query":"{ a: hello b: hello c: hello d: hello e: hello f: hello g: hello h: hello i: hello }"}`)
	if !strings.Contains(res.body, cost(9, 9, 0)) {
		t.Fatalf("nine aliases: %s", res.body)
	}

	res = post(t, s, "ann", `{"query":"mutation { increment(by: 1) }"}`)
	assertStatus(t, res, http.StatusOK)
	assertJSON(t, res.body, `{"errors":[`+throttled+`],"data":null,`+cost(1, 0, 0)+`}`)
	if n := s.resolver.Counter.Load(); n != 0 {
		t.Fatalf("the throttled mutation ran: counter %d", n)
	}

	// Another caller's bucket is full.
	res = post(t, s, "bob", `{"query":"{ hello }"}`)
	assertJSON(t, res.body, `{"data":{"hello":"Hello, world!"},`+cost(1, 1, 9)+`}`)
}

// The operations of a batch pay one after the other from the same bucket.
func TestQueryCostBatch(t *testing.T) {
	t.Parallel()
	s := costServer(t)
	six := `{"query":"{ a: hello b: hello c: hello d: hello e: hello f: hello }"}`
	res := post(t, s, "ann", `[`+six+`,`+six+`]`)
	if !strings.Contains(res.body, cost(6, 6, 4)) || !strings.Contains(res.body, throttled) || !strings.Contains(res.body, cost(6, 0, 4)) {
		t.Fatalf("batch: %s", res.body)
	}
}
