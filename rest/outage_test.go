package rest_test

import (
	"testing"

	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

const unavailableBody = `{"code":"database_unavailable","type":"database_error","message":"The database is unavailable. Retry the request shortly."}`

// While the database is unreachable every request that needs it, authentication included,
// answers 503 with Retry-After (not a 500 unknown_error), a write changes nothing, liveness
// stays up while readiness says not ready, and everything answers again once it is back.
func TestDatabaseOutage(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	pe, proxy := e.Proxied(t)
	pe.Do("GET", "/admin/regions", nil).Expect(t, 200, `{"regions":[],"count":0,"offset":0,"limit":50}`)
	pe.DoAnon("GET", "/health/ready", nil).ExpectText(t, 200, "OK")

	proxy.Cut()
	for _, req := range []struct {
		method, path string
		body         any
	}{
		{"GET", "/admin/regions", nil},
		{"GET", "/admin/regions", nil},
		{"POST", "/admin/regions", map[string]any{"name": "Outage", "currency_code": "usd", "tax_rate": 0, "payment_providers": []string{"manual"}, "fulfillment_providers": []string{"manual"}, "countries": []string{"us"}}},
		{"GET", "/admin/auth", nil},
	} {
		res := pe.Do(req.method, req.path, req.body)
		res.Expect(t, 503, unavailableBody)
		if got := res.Header.Get("Retry-After"); got != "2" {
			t.Errorf("%s %s: Retry-After %q, want 2", req.method, req.path, got)
		}
	}
	pe.DoAnon("GET", "/health", nil).ExpectText(t, 200, "OK")
	pe.DoAnon("GET", "/health/ready", nil).Expect(t, 503, unavailableBody)

	proxy.Restore()
	pe.DoAnon("GET", "/health/ready", nil).ExpectText(t, 200, "OK")
	pe.Do("GET", "/admin/regions", nil).Expect(t, 200, `{"regions":[],"count":0,"offset":0,"limit":50}`)
	// The write refused during the outage never happened (checked on the direct connection).
	e.Do("GET", "/admin/regions", nil).Expect(t, 200, `{"regions":[],"count":0,"offset":0,"limit":50}`)
}

// A read whose pooled connection was reset (a restarted pooler, a failover, a dropped idle
// connection) is run again once on a fresh connection instead of failing: the client sees
// nothing of it.
func TestReadRetriedAfterConnectionReset(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	pe, proxy := e.Proxied(t)
	for range 3 {
		pe.Do("GET", "/admin/regions", nil).Expect(t, 200, `{"regions":[],"count":0,"offset":0,"limit":50}`)
	}
	// Every open connection dies; new ones are accepted at once.
	proxy.Cut()
	proxy.Restore()
	pe.Do("GET", "/admin/regions", nil).Expect(t, 200, `{"regions":[],"count":0,"offset":0,"limit":50}`)
	pe.Do("GET", "/admin/regions/reg_missing", nil).Expect(t, 404, `{"type":"not_found","message":"Region with reg_missing was not found"}`)
}
