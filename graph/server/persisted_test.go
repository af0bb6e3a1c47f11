package server_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/gorgon-commerce/gorgon/graph/server"
)

// docs is a registry held in memory (the real one is the store's table, tested in graph/).
type docs map[string]string

func (d docs) PersistedDocument(_ context.Context, hash string) (string, bool, error) {
	q, ok := d[hash]
	return q, ok, nil
}

// Registered documents work by hash alone on a fresh server (another instance, a restart).
func TestRegisteredDocumentsByHash(t *testing.T) {
	t.Parallel()
	const query = "query Hello { hello }"
	s := newTestServer(t, server.Options{Documents: docs{sha256Hex(query): query}})
	ext := `{"persistedQuery":{"version":1,"sha256Hash":"` + sha256Hex(query) + `"}}`
	res := s.do(t, http.MethodGet, "/graphql?operationName=Hello&extensions="+url.QueryEscape(ext), nil, "Accept", "application/json")
	assertStatus(t, res, http.StatusOK)
	assertJSON(t, res.body, `{"data":{"hello":"Hello, world!"}}`)

	// Without the allow-list any other document still runs.
	res = s.postJSON(t, `{"query":"{hello}"}`)
	assertJSON(t, res.body, `{"data":{"hello":"Hello, world!"}}`)
}

// In persisted-only mode only registered documents run, whichever way they are sent; clients
// cannot register their own through the persisted-query round trip.
func TestPersistedOnly(t *testing.T) {
	t.Parallel()
	const query = "query Hello { hello }"
	s := newTestServer(t, server.Options{Documents: docs{sha256Hex(query): query}, PersistedOnly: true})
	notInList := `{"errors":[{"message":"This server executes only registered documents; this one is not registered","extensions":{"code":"PERSISTED_QUERY_NOT_IN_LIST"}}],"data":null}`

	// Unregistered documents: refused before execution, also a mutation and introspection.
	for _, body := range []string{`{"query":"{hello}"}`, `{"query":"mutation{increment}"}`, `{"query":"{__schema{types{name}}}"}`} {
		res := s.postJSON(t, body)
		assertStatus(t, res, http.StatusOK)
		assertJSON(t, res.body, notInList)
	}
	assertNotExecuted(t, s)

	// The registered text, by hash, by text, by both.
	ext := `{"persistedQuery":{"version":1,"sha256Hash":"` + sha256Hex(query) + `"}}`
	res := s.postJSON(t, `{"extensions":`+ext+`}`)
	assertJSON(t, res.body, `{"data":{"hello":"Hello, world!"}}`)
	res = s.postJSON(t, `{"query":"query Hello { hello }"}`)
	assertJSON(t, res.body, `{"data":{"hello":"Hello, world!"}}`)
	res = s.postJSON(t, `{"query":"query Hello { hello }","extensions":`+ext+`}`)
	assertJSON(t, res.body, `{"data":{"hello":"Hello, world!"}}`)

	// The automatic round trip: an unknown hash is not found, and sending its text does not
	// register it.
	other := `{"persistedQuery":{"version":1,"sha256Hash":"` + sha256Hex("{hello}") + `"}}`
	res = s.postJSON(t, `{"extensions":`+other+`}`)
	assertJSON(t, res.body, `{"errors":[{"message":"PersistedQueryNotFound","extensions":{"code":"PERSISTED_QUERY_NOT_FOUND"}}],"data":null}`)
	res = s.postJSON(t, `{"query":"{hello}","extensions":`+other+`}`)
	assertJSON(t, res.body, notInList)
	res = s.postJSON(t, `{"extensions":`+other+`}`)
	assertJSON(t, res.body, `{"errors":[{"message":"PersistedQueryNotFound","extensions":{"code":"PERSISTED_QUERY_NOT_FOUND"}}],"data":null}`)

	// Batches go through the same check, element by element.
	res = s.postJSON(t, `[{"query":"query Hello { hello }"},{"query":"{hello}"}]`)
	assertJSON(t, res.body, `[{"data":{"hello":"Hello, world!"}},`+notInList+`]`)
}
