// Package rest serves Medusa 1.3.8's admin REST API over the store. Handlers only translate:
// decode and shape-check the input, call the store, encode Medusa's JSON. Errors are mapped to
// HTTP in one place (writeError).
package rest

import (
	"html"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/go-chi/cors"

	"github.com/gorgon-commerce/gorgon/store"
)

// Config is the HTTP-side configuration.
type Config struct {
	CookieSecret  string
	SecureCookies bool
	AdminCORS     []string // origins allowed to call /admin and /graphql with credentials
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
	r.Use(middleware.RealIP, middleware.RequestID, requestLog, middleware.Recoverer, middleware.GetHead)
	r.Get("/health", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
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
		r.With(corsMW, a.Authenticate).Handle("/graphql", graphql)
		r.With(corsMW, a.Authenticate).Handle("/graphql/*", graphql)
	}
	return expressPaths(r)
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

func requestLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		start := time.Now()
		next.ServeHTTP(ww, r)
		slog.Debug("http", "method", r.Method, "path", r.URL.Path, "status", ww.Status(), "dur", time.Since(start))
	})
}
