// Package server builds the http.Handler that serves a gqlgen schema at /graphql.
//
// What it serves, under Options.Path (default "/graphql"):
//
//   - POST Path with Content-Type: application/json: one GraphQL operation
//     ({query, operationName, variables, extensions}), or a batch: a JSON array of such
//     objects (see batch.go).
//   - POST Path with multipart/form-data (GraphQL multipart request spec, for Upload
//     arguments), only with a non-empty Apollo-Require-Preflight or
//     X-Apollo-Operation-Name header (see csrf.go).
//   - OPTIONS Path: the allowed methods.
//   - GET Path with Upgrade: websocket: subscriptions (and any other operation) over the
//     graphql-ws protocol (graphql-transport-ws, or the older graphql-ws subprotocol), from the
//     same origin or Options.AllowedOrigins only; the connection is authenticated at
//     connection_init by Options.WebsocketInit (see websocket.go).
//   - GET Path with a query or extensions parameter (GraphQL over HTTP, urql's default,
//     Apollo's persisted queries by hash): a query operation, never a mutation.
//   - GET Path with Accept: text/html and no such parameter: the GraphiQL page, whose
//     scripts and styles are embedded in the binary and served from Path+"/assets/" (see
//     playground.go).
//
// Mutations are never executed on GET: the admin authenticates with a cookie session, and a
// GET (or any "simple" cross-site request) would let another site act with it. A query on GET
// changes nothing, and another site cannot read its answer (no CORS grant).
//
// The handler expects the full request path, so mount it for both the endpoint and the
// asset folder, e.g. with chi: r.Handle("/graphql", h); r.Handle("/graphql/*", h).
package server

import (
	"context"
	"log/slog"
	"math"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// Defaults for the zero values of Options.
const (
	DefaultPath          = "/graphql"
	DefaultMaxDepth      = 12
	DefaultMaxComplexity = 5000
	DefaultMaxBatch      = 20
	DefaultMaxBodySize   = 4 << 20  // 4 MiB of JSON
	DefaultMaxUploadSize = 32 << 20 // 32 MiB per multipart request
	DefaultMaxMemory     = 8 << 20  // larger uploads spill to temporary files
	DefaultQueryCache    = 1000     // parsed and validated query documents
	DefaultAPQCache      = 100      // automatic persisted queries

	DefaultMaxCostAvailable = 20000 // query-cost points a caller may spend at once
	DefaultCostRestoreRate  = 1000  // points per second a caller's bucket refills
)

// Options configures New. Zero values take the defaults above.
type Options struct {
	// Path is the endpoint, e.g. "/graphql"; the playground's assets are served under
	// Path+"/assets/".
	Path string

	// MaxDepth is the deepest field nesting an operation may have (a top-level field is at
	// depth 1). Introspection (__schema, __type) is not counted: gqlparser's
	// MaxIntrospectionDepth validation rule bounds it instead. Negative: no limit.
	MaxDepth int
	// MaxComplexity is gqlgen's complexity limit per operation. Negative: no limit.
	MaxComplexity int
	// MaxBatch is the most operations a batched request may hold. Negative: batches are
	// refused.
	MaxBatch int

	// MaxBodySize bounds a JSON request body (a single operation or a whole batch).
	MaxBodySize int64
	// MaxUploadSize bounds a multipart request; MaxMemory is how much of it is kept in
	// memory before files go to temporary files.
	MaxUploadSize int64
	MaxMemory     int64

	// QueryCacheSize is how many parsed and validated documents are kept.
	QueryCacheSize int

	// Documents, if set, is the registry of persisted documents: Apollo's persisted-query
	// hashes are looked up there when no recent request sent the text.
	Documents Documents
	// PersistedOnly executes only documents Documents holds (requires Documents).
	PersistedOnly bool

	// CostKey names the caller whose bucket of query-cost points an operation draws on (see
	// cost.go); nil: one bucket for all. MaxCostAvailable is a bucket's size (default
	// DefaultMaxCostAvailable, at least MaxComplexity), CostRestoreRate its refill in points per
	// second (DefaultCostRestoreRate).
	// DisableCost leaves the cost extension out (no buckets, no extensions.cost).
	DisableCost      bool
	CostKey          func(context.Context) string
	MaxCostAvailable float64
	CostRestoreRate  float64

	// LoginPath, if set, is where the playground's login form posts {email, password} to
	// start a cookie session (e.g. "/admin/auth").
	LoginPath string

	// DisablePlayground makes GET Path answer 405 like any other GET.
	DisablePlayground bool

	// AllowedOrigins are the origins besides the server's own from which a browser page may
	// open a subscription WebSocket (the admin's CORS origins); "*" allows any.
	AllowedOrigins []string
	// WebsocketInit authenticates a subscription connection at connection_init; nil accepts
	// every connection as the upgrade request's context has it.
	WebsocketInit WebsocketInit
	// KeepAlive is how often subscription connections are pinged (DefaultKeepAlive).
	KeepAlive time.Duration
	// Done, when it ends, closes every subscription connection (server shutdown).
	Done context.Context
	// WebsocketResponseContext, if set, makes the context of each answer sent on a WebSocket
	// (each event of a subscription), e.g. with fresh dataloaders: a connection outlives them.
	WebsocketResponseContext func(context.Context) context.Context

	// Logger receives refused requests (debug) and recovered panics (error). Default:
	// slog.Default().
	Logger *slog.Logger
	// ErrorPresenter, if set, replaces gqlgen's default error presenter.
	ErrorPresenter graphql.ErrorPresenterFunc
	// RecoverFunc, if set, replaces the default, which logs the panic with its stack to
	// Logger and answers "internal system error".
	RecoverFunc graphql.RecoverFunc
}

func (o Options) withDefaults() Options {
	o.Path = "/" + strings.Trim(o.Path, "/")
	if o.Path == "/" {
		o.Path = DefaultPath
	}
	if o.MaxDepth == 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.MaxComplexity == 0 {
		o.MaxComplexity = DefaultMaxComplexity
	}
	if o.MaxBatch == 0 {
		o.MaxBatch = DefaultMaxBatch
	}
	if o.MaxBodySize <= 0 {
		o.MaxBodySize = DefaultMaxBodySize
	}
	if o.MaxUploadSize <= 0 {
		o.MaxUploadSize = DefaultMaxUploadSize
	}
	if o.MaxMemory <= 0 {
		o.MaxMemory = DefaultMaxMemory
	}
	if o.QueryCacheSize <= 0 {
		o.QueryCacheSize = DefaultQueryCache
	}
	if o.MaxCostAvailable <= 0 {
		o.MaxCostAvailable = DefaultMaxCostAvailable
	}
	if o.MaxComplexity > 0 && o.MaxCostAvailable < float64(o.MaxComplexity) {
		o.MaxCostAvailable = float64(o.MaxComplexity)
	}
	if o.CostRestoreRate <= 0 {
		o.CostRestoreRate = DefaultCostRestoreRate
	}
	if o.CostKey == nil {
		o.CostKey = func(context.Context) string { return "" }
	}
	if o.KeepAlive <= 0 {
		o.KeepAlive = DefaultKeepAlive
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.RecoverFunc == nil {
		logger := o.Logger
		o.RecoverFunc = func(ctx context.Context, v any) error {
			logger.ErrorContext(ctx, "graphql: recovered panic",
				"panic", v, "stack", string(debug.Stack()))
			return gqlerror.Errorf("internal system error")
		}
	}
	return o
}

// New returns the handler serving es; see the package documentation.
func New(es graphql.ExecutableSchema, opts Options) http.Handler {
	opts = opts.withDefaults()

	gql := handler.New(es)
	// Transports are tried in order. GET refuses mutations itself (406). The batch
	// transport must come before POST, which would otherwise claim (and fail to decode) a
	// JSON array.
	gql.AddTransport(opts.websocketTransport())
	gql.AddTransport(transport.Options{AllowedMethods: []string{http.MethodOptions, http.MethodGet, http.MethodPost}})
	gql.AddTransport(transport.GET{})
	gql.AddTransport(&batchTransport{maxBatch: opts.MaxBatch, logger: opts.Logger})
	gql.AddTransport(postTransport{})
	gql.AddTransport(transport.MultipartForm{MaxUploadSize: opts.MaxUploadSize, MaxMemory: opts.MaxMemory})

	gql.SetQueryCache(lru.New[*ast.QueryDocument](opts.QueryCacheSize))
	gql.Use(extension.Introspection{})
	gql.Use(extension.AutomaticPersistedQuery{Cache: &apqCache{
		recent: lru.New[string](DefaultAPQCache), registry: opts.Documents, readOnly: opts.PersistedOnly,
	}})
	if opts.PersistedOnly {
		if opts.Documents == nil {
			panic("server: PersistedOnly needs Documents")
		}
		gql.Use(&persistedOnly{registry: opts.Documents})
	}
	gql.Use(RefuseNUL{})
	gql.Use(subscriptionsOverWebsocket{})
	if opts.WebsocketResponseContext != nil {
		gql.Use(websocketResponseContext{f: opts.WebsocketResponseContext})
	}
	// The depth limit runs first: it is cheaper than the complexity walk and its message
	// says more about a deeply nested query.
	if opts.MaxDepth > 0 {
		gql.Use(DepthLimit{Max: opts.MaxDepth})
	}
	if opts.MaxComplexity > 0 {
		gql.Use(extension.FixedComplexityLimit(opts.MaxComplexity))
	} else {
		// The cost extension reads the complexity: computed, never refused.
		gql.Use(extension.FixedComplexityLimit(math.MaxInt))
	}
	if !opts.DisableCost {
		gql.Use(newCostLimit(opts.MaxCostAvailable, opts.CostRestoreRate, opts.CostKey))
	}
	if opts.ErrorPresenter != nil {
		gql.SetErrorPresenter(opts.ErrorPresenter)
	}
	gql.SetRecoverFunc(opts.RecoverFunc)

	return &server{
		opts:       opts,
		gql:        gql,
		assetsPath: opts.Path + "/assets/",
		page:       newPlaygroundPage(opts.Path, opts.LoginPath),
	}
}

type server struct {
	opts       Options
	gql        http.Handler
	assetsPath string
	page       *playgroundPage
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("X-Content-Type-Options", "nosniff")

	if name, ok := strings.CutPrefix(r.URL.Path, s.assetsPath); ok && !s.opts.DisablePlayground {
		serveAsset(w, r, name)
		return
	}
	if r.URL.Path != s.opts.Path && r.URL.Path != s.opts.Path+"/" {
		writeError(w, http.StatusNotFound, "NOT_FOUND", "no GraphQL endpoint at "+r.URL.Path)
		return
	}

	if isWebsocketUpgrade(r) {
		s.serveWebsocket(w, r)
		return
	}
	switch r.Method {
	case http.MethodPost:
		if !s.allowPost(w, r) {
			return
		}
		s.gql.ServeHTTP(w, r)
		return
	case http.MethodOptions:
		s.gql.ServeHTTP(w, r)
		return
	case http.MethodGet, http.MethodHead:
		if IsOperationGET(r) {
			if r.Method == http.MethodHead {
				break
			}
			// Answers differ per user: no shared cache may keep them.
			w.Header().Set("Cache-Control", "private, no-cache")
			w.Header().Add("Vary", "Authorization, Cookie")
			s.gql.ServeHTTP(w, r)
			return
		}
		if !s.opts.DisablePlayground && acceptsHTML(r) {
			s.page.serve(w, r)
			return
		}
	}
	w.Header().Set("Allow", "OPTIONS, GET, POST")
	writeError(w, http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED",
		"GraphQL operations are sent with POST and Content-Type: application/json, or queries with "+
			"GET and a query (or extensions) parameter; GET without one serves the GraphiQL page (Accept: text/html)")
}

// IsOperationGET reports whether r is a GET that carries an operation (a query or
// extensions parameter) rather than asking for the playground page.
func IsOperationGET(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	q := r.URL.Query()
	return q.Has("query") || q.Has("extensions")
}

// IsPublicGET reports whether r asks for the playground page or its assets under path, which
// hold no data and are served without credentials (the page then offers a login form).
func IsPublicGET(r *http.Request, path string) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	path = "/" + strings.Trim(path, "/")
	if strings.HasPrefix(r.URL.Path, path+"/assets/") {
		return true
	}
	return !IsOperationGET(r) && acceptsHTML(r)
}
