// Package metrics exposes a server's Prometheus metrics: HTTP requests by route pattern, SQL
// statements per request, the database pool, the event outbox's backlog and throttled logins,
// next to Go's runtime and process metrics.
package metrics

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/querycount"
)

// Metrics is one server's registry and its HTTP instruments.
type Metrics struct {
	registry   *prometheus.Registry
	requests   *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	statements *prometheus.HistogramVec
}

// New registers the metrics of a server over s.
func New(s *store.Store) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "gorgon_http_requests_total",
			Help: "HTTP requests answered, by method, route pattern and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gorgon_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by method and route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
		statements: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "gorgon_db_statements_per_request",
			Help:    "SQL statements one HTTP request ran, by method and route pattern.",
			Buckets: []float64{0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64, 128},
		}, []string{"method", "route"}),
	}
	reg.MustRegister(
		m.requests, m.duration, m.statements,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(s.DB.DB, "gorgon"),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "gorgon_login_throttled_total",
			Help: "Logins refused by the login throttle (too many failures for an email or an address).",
		}, func() float64 { return float64(s.Logins.Refused()) }),
		&outboxCollector{db: s.DB.DB},
	)
	return m
}

// Handler serves the registry in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// Middleware records every request under its route pattern (chi's, e.g.
// /admin/products/{id}), never its raw path: ids in paths would make a series per object. It
// must run inside the chi router, where the pattern is known once the request was routed.
func (m *Metrics) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		c, ok := querycount.From(r.Context())
		if !ok {
			c = new(querycount.Counter)
			r = r.WithContext(querycount.With(r.Context(), c))
		}
		before := c.N()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		route := "unmatched"
		if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
			route = rc.RoutePattern()
		}
		status := ww.Status()
		if status == 0 {
			status = http.StatusOK
		}
		m.requests.WithLabelValues(r.Method, route, strconv.Itoa(status)).Inc()
		m.duration.WithLabelValues(r.Method, route).Observe(time.Since(start).Seconds())
		m.statements.WithLabelValues(r.Method, route).Observe(float64(c.N() - before))
	})
}

// outboxCollector reports the events not yet delivered to subscribers, read at scrape time.
type outboxCollector struct{ db *sql.DB }

var (
	outboxPending = prometheus.NewDesc("gorgon_outbox_pending_events", "Events written but not yet delivered to subscribers.", nil, nil)
	outboxLag     = prometheus.NewDesc("gorgon_outbox_lag_seconds", "Age of the oldest undelivered event (0 when none).", nil, nil)
)

func (o *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxPending
	ch <- outboxLag
}

func (o *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var n int64
	var lag float64
	err := o.db.QueryRowContext(ctx, `SELECT count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)
		FROM gorgon.event WHERE processed_at IS NULL`).Scan(&n, &lag)
	if err != nil {
		// An unreachable database shows in the pool metrics and /health/ready; a scrape still
		// answers with everything else.
		if !errors.Is(err, context.Canceled) {
			ch <- prometheus.NewInvalidMetric(outboxPending, err)
		}
		return
	}
	ch <- prometheus.MustNewConstMetric(outboxPending, prometheus.GaugeValue, float64(n))
	ch <- prometheus.MustNewConstMetric(outboxLag, prometheus.GaugeValue, lag)
}
