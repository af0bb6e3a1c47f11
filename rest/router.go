// Package rest serves Medusa 1.3.8's admin REST API over the store. Handlers only translate:
// decode and shape-check the input, call the store, encode Medusa's JSON. Errors are mapped to
// HTTP in one place (writeError).
package rest

import (
	"context"
	"database/sql/driver"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/cors"

	"github.com/gorgon-commerce/gorgon/metrics"
	"github.com/gorgon-commerce/gorgon/store"
)

// Config is the HTTP-side configuration.
type Config struct {
	CookieSecret  string
	SecureCookies bool
	AdminCORS     []string // origins allowed to call /admin and /graphql with credentials

	// TrustedProxies are the peers whose X-Forwarded-For names the client (clientip.go).
	TrustedProxies []netip.Prefix

	// Metrics, when set, records every request and is served at /metrics.
	Metrics *metrics.Metrics
}

// API holds the handlers' dependencies.
type API struct {
	store *store.Store
	cfg   Config
}

// NewRouter returns the whole HTTP surface: /health, /admin/* and, when graphql is non-nil,
// /graphql behind the same authentication.
func NewRouter(s *store.Store, cfg Config, graphql http.Handler) http.Handler {
	a := &API{store: s, cfg: cfg}
	r := chi.NewRouter()
	r.Use(clientIP(cfg.TrustedProxies), middleware.RequestID, requestIDHeader, trackWrites, requestLog, middleware.Recoverer, middleware.GetHead)
	if cfg.Metrics != nil {
		r.Use(cfg.Metrics.Middleware)
	}
	r.Use(retryReads)
	if cfg.Metrics != nil {
		r.Method(http.MethodGet, "/metrics", cfg.Metrics.Handler())
	}
	r.Get("/health", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("OK"))
	})
	// Readiness, apart from liveness (/health, Medusa's): the process is up but cannot serve
	// while its database is unreachable, so a load balancer should route around it.
	r.Get("/health/ready", func(w http.ResponseWriter, r *http.Request) {
		if err := s.Ready(r.Context(), 2*time.Second); err != nil {
			writeError(w, r, unavailable(err))
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("OK"))
	})
	MountUploads(r, s)
	corsMW := cors.Handler(cors.Options{
		AllowedOrigins:   cfg.AdminCORS,
		AllowCredentials: true,
		AllowedMethods:   []string{"GET", "POST", "DELETE", "PUT", "PATCH", "OPTIONS"},
		AllowedHeaders:   []string{"*"},
		MaxAge:           300,
	})
	r.Route("/admin", func(r chi.Router) {
		r.Use(corsMW)
		// Routes Medusa serves without authentication.
		r.Post("/auth", a.createSession)
		r.Post("/invites/accept", a.acceptInvite)
		r.Post("/users/password-token", a.passwordToken)
		r.Post("/users/reset-password", a.resetPassword)

		r.Group(func(r chi.Router) {
			r.Use(a.Authenticate)
			r.Use(guardInput)
			r.Get("/auth", a.getSession)
			r.Delete("/auth", a.deleteSession)
			a.userRoutes(r)
			a.inviteRoutes(r)
			for _, mount := range extraRoutes {
				mount(a, r)
			}
		})
		// Express runs Medusa's authentication before it finds no route: an unknown /admin path
		// answers 401 without credentials and 404 with them.
		r.NotFound(a.Authenticate(http.HandlerFunc(notFound)).ServeHTTP)
		r.MethodNotAllowed(a.Authenticate(http.HandlerFunc(notFound)).ServeHTTP)
	})
	if graphql != nil {
		r.With(corsMW, a.AuthenticateGraphQL).Handle("/graphql", graphql)
		r.With(corsMW, a.AuthenticateGraphQL).Handle("/graphql/*", graphql)
	}
	return expressPaths(r)
}

// unavailable makes a failed readiness probe a database-unavailable error whatever its cause (a
// timeout against a database that accepts connections but does not answer is one too).
func unavailable(err error) error {
	if store.IsUnavailable(err) {
		return err
	}
	return fmt.Errorf("readiness probe: %w: %w", driver.ErrBadConn, err)
}

// extraRoutes lets each resource file register its routes from an init function, so resource
// groups can be added without touching the router.
var extraRoutes []func(a *API, r chi.Router)

// notFound answers unknown routes like Express's final handler does behind Medusa.
func notFound(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n<body>\n<pre>Cannot " +
		html.EscapeString(r.Method+" "+originalPath(r)) + "</pre>\n</body>\n</html>\n"))
}

// requestIDHeader returns the request's id (the client's X-Request-Id, or one made up by
// middleware.RequestID) in the X-Request-Id response header, so a client reporting an error can
// name the log lines of its request (LogHandler puts the id on them).
func requestIDHeader(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id := middleware.GetReqID(r.Context()); id != "" {
			w.Header().Set(middleware.RequestIDHeader, id)
		}
		next.ServeHTTP(w, r)
	})
}

// trackWrites lets the store note whether the request may have changed data (store.TrackWrites),
// which decides between 503 and 500 when the database goes away mid-request.
func trackWrites(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(store.TrackWrites(r.Context())))
	})
}

func requestLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		start := time.Now()
		next.ServeHTTP(ww, r)
		slog.Debug("http", "method", r.Method, "path", r.URL.Path, "status", ww.Status(), "dur", time.Since(start))
	})
}

// retryReads runs a GET or HEAD once more when its database connection failed before anything
// was written (writeError asks for it): a pooled connection reset by a restarted pooler, a
// failover or a dropped idle connection costs the client nothing, since the failure flushed the
// pool and the second run takes a fresh connection. During an outage the second run fails too and
// is answered 503. Writes are never run twice: one may have committed.
func retryReads(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		st := &readAttempt{}
		r = r.WithContext(context.WithValue(r.Context(), readAttemptKey{}, st))
		next.ServeHTTP(w, r)
		if st.retry {
			st.retry, st.last = false, true
			// Route again from scratch: the first run filled chi's routing context.
			if old := chi.RouteContext(r.Context()); old != nil {
				rctx := chi.NewRouteContext()
				rctx.Routes = old.Routes
				r = r.WithContext(context.WithValue(r.Context(), chi.RouteCtxKey, rctx))
			}
			next.ServeHTTP(w, r)
		}
	})
}

type readAttemptKey struct{}

type readAttempt struct{ retry, last bool }

// retryRead reports whether the failed read r runs again instead of answering now.
func retryRead(r *http.Request) bool {
	st, _ := r.Context().Value(readAttemptKey{}).(*readAttempt)
	if st == nil || st.last {
		return false
	}
	st.retry = true
	return true
}
