package rest_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/gorgon-commerce/gorgon/metrics"
	"github.com/gorgon-commerce/gorgon/rest"
	"github.com/gorgon-commerce/gorgon/rest/resttest"
)

// /metrics, scraped through the router, counts requests under their route patterns (never raw
// paths), the statements each ran, the pool, the outbox and throttled logins; every answer
// names its request id.
func TestMetrics(t *testing.T) {
	t.Parallel()
	e := resttest.New(t)
	me := *e
	me.Handler = rest.NewRouter(e.Store, rest.Config{CookieSecret: "test-cookie-secret", Metrics: metrics.New(e.Store)}, nil)

	res := me.Do("GET", "/admin/regions", nil)
	if res.Status != 200 || res.Header.Get("X-Request-Id") == "" {
		t.Fatalf("regions: %d, X-Request-Id %q", res.Status, res.Header.Get("X-Request-Id"))
	}
	listStatements := me.Queries
	me.Do("GET", "/admin/regions", nil)
	me.Do("GET", "/admin/regions/reg_nope", nil)
	me.Do("GET", "/admin/regions/reg_other", nil)
	got := me.DoWith("GET", "/admin/regions", nil, map[string]string{"X-Request-Id": "client-chosen-1", "Authorization": "Bearer " + resttest.Token})
	if got.Header.Get("X-Request-Id") != "client-chosen-1" {
		t.Errorf("X-Request-Id %q, want the client's", got.Header.Get("X-Request-Id"))
	}

	scrape := me.DoAnon("GET", "/metrics", nil)
	if scrape.Status != 200 {
		t.Fatalf("/metrics: %d %s", scrape.Status, scrape.Body)
	}
	body := string(scrape.Body)
	for _, want := range []string{
		`gorgon_http_requests_total{method="GET",route="/admin/regions",status="200"} 3`,
		`gorgon_http_requests_total{method="GET",route="/admin/regions/{id}",status="404"} 2`,
		`gorgon_db_statements_per_request_count{method="GET",route="/admin/regions"} 3`,
		fmt.Sprintf(`gorgon_db_statements_per_request_sum{method="GET",route="/admin/regions"} %d`, 3*listStatements),
		`gorgon_http_request_duration_seconds_count{method="GET",route="/admin/regions/{id}"} 2`,
		`go_sql_max_open_connections{db_name="gorgon"} `,
		`gorgon_outbox_pending_events `,
		`gorgon_outbox_lag_seconds `,
		`gorgon_login_throttled_total 0`,
		`go_goroutines `,
		`process_resident_memory_bytes `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if regexp.MustCompile(`reg_nope|reg_other`).MatchString(body) {
		t.Error("/metrics names raw paths")
	}
}
