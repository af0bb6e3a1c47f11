package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/gorgon-commerce/gorgon/graph/server"
	"github.com/gorgon-commerce/gorgon/graph/server/internal/testschema"
)

// The server answers POSTs byte for byte as gqlgen's own POST transport does, headers and status
// included, whether it writes the data itself or leaves the answer to gqlgen.
func TestPostAsGqlgen(t *testing.T) {
	t.Parallel()
	es, _ := testschema.New()
	// Without the cost extension, which gqlgen's handler lacks.
	ours := server.New(es, server.Options{Logger: slog.New(slog.DiscardHandler), DisableCost: true})
	es2, _ := testschema.New()
	theirs := handler.New(es2)
	theirs.AddTransport(transport.POST{})
	for _, c := range []struct{ body, accept string }{
		{`{"query":"{ hello }"}`, ""},
		{`{"query":"{ hello(name: \"<b>&</b>\") }"}`, ""},
		{`{"query":"{ hello(name: \"10 € – \u2028 é\") }"}`, ""},
		{`{"query":"{ hello(name: \"tab\\t \\\"quoted\\\" back\\\\slash\") a: hello b: node { id child { id } } }"}`, "application/json"},
		{`{"query":"query($n: String!) { hello(name: $n) }","variables":{"n":"x"}}`, "application/graphql-response+json"},
		{`{"query":"{ hello }"}`, "text/html, */*;q=0.8"},
		{`{"query":"{ hello }"}`, "text/html"},
		{`{"query":"{ fail hello }"}`, ""},
		{`{"query":"{ nope }"}`, ""},
		{`{"query":"{ nope }"}`, "application/graphql-response+json"},
		{`{"query":"{ hello"}`, ""},
		{`{"query":`, ""},
		{`{"query":"mutation { increment(by: 2) }"}`, ""},
	} {
		answer := func(h http.Handler) (int, string, string) {
			req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(c.body))
			req.Header.Set("Content-Type", "application/json")
			if c.accept != "" {
				req.Header.Set("Accept", c.accept)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			b, _ := io.ReadAll(rec.Body)
			return rec.Code, rec.Header().Get("Content-Type"), string(b)
		}
		s1, ct1, b1 := answer(ours)
		s2, ct2, b2 := answer(theirs)
		if s1 != s2 || ct1 != ct2 || b1 != b2 {
			t.Errorf("%s (Accept %q):\nours   %d %s %s\ngqlgen %d %s %s", c.body, c.accept, s1, ct1, b1, s2, ct2, b2)
		}
	}
}
