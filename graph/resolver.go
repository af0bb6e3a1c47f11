package graph

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/gorgon-commerce/gorgon/graph/generated"
	"github.com/gorgon-commerce/gorgon/graph/gqlmodel"
	"github.com/gorgon-commerce/gorgon/graph/loaders"
	"github.com/gorgon-commerce/gorgon/graph/node"
	"github.com/gorgon-commerce/gorgon/graph/server"
	"github.com/gorgon-commerce/gorgon/store"
)

// Resolver is the root resolver: it holds the store, nothing else.
type Resolver struct {
	Store *store.Store
}

// NewExecutableSchema builds the gqlgen schema over s.
func NewExecutableSchema(s *store.Store) graphql.ExecutableSchema {
	cfg := generated.Config{Resolvers: &Resolver{Store: s}}
	for _, hook := range complexityHooks {
		hook(&cfg.Complexity)
	}
	return generated.NewExecutableSchema(cfg)
}

// HandlerConfig is what a shop may set about /graphql.
type HandlerConfig struct {
	// PersistedOnly executes only documents registered with `gorgon graphql register`
	// (GORGON_GRAPHQL_PERSISTED_ONLY), an allow-list for production.
	PersistedOnly bool
	// AllowedOrigins are the admin's CORS origins, from which a browser page may also open a
	// subscription WebSocket (besides the server's own origin).
	AllowedOrigins []string
	// Done, when it ends, closes the subscription connections (server shutdown).
	Done context.Context
	// KeepAlive is how often subscription connections are pinged (server.DefaultKeepAlive).
	KeepAlive time.Duration
	// CredentialsRecheck is how often a subscription connection's session or API token is
	// checked again (default a minute); a logout closes the connection then.
	CredentialsRecheck time.Duration
}

// NewHandler serves /graphql with the default configuration.
func NewHandler(s *store.Store) http.Handler { return NewConfiguredHandler(s, HandlerConfig{}) }

// NewConfiguredHandler serves /graphql: transports, limits, batching, persisted documents,
// playground (graph/server), with per-request dataloaders. Authentication is the caller's (rest
// wraps it like /admin, and lets the playground page and its assets through without it).
func NewConfiguredHandler(s *store.Store, c HandlerConfig) http.Handler {
	h := server.New(NewExecutableSchema(s), server.Options{
		Path:           "/graphql",
		Logger:         slog.Default(),
		ErrorPresenter: presentError,
		Documents:      s,
		PersistedOnly:  c.PersistedOnly,
		LoginPath:      "/admin/auth",
		AllowedOrigins: c.AllowedOrigins,
		Done:           c.Done,
		KeepAlive:      c.KeepAlive,
		WebsocketInit:  websocketInit(s, c.CredentialsRecheck),
		// The loaders the upgrade request got would cache for the connection's whole life.
		WebsocketResponseContext: func(ctx context.Context) context.Context { return loaders.With(ctx, s) },
		// A user's session and API token share one bucket of query-cost points.
		CostKey: func(ctx context.Context) string {
			if u := store.UserFrom(ctx); u != nil {
				return u.ID
			}
			return ""
		},
	})
	return loaders.Middleware(s, h)
}

// websocketInit authenticates a subscription connection like an HTTP request: the upgrade
// request's session cookie (or Authorization header), which the authentication in front of
// /graphql has already put in the context, or else an API token in the connection_init payload:
// {"authorization": "Bearer <api_token>"} or {"token": "<api_token>"}. Without valid credentials
// the connection is closed with 4403 Forbidden (graphql-ws).
//
// Every recheck interval, the connection's credentials are checked again: a session ended
// (logout) or an API token changed closes the connection, as the next HTTP request would be
// refused. (Credentials sent as an Authorization header on the upgrade request are not
// rechecked.)
func websocketInit(s *store.Store, recheck time.Duration) server.WebsocketInit {
	if recheck <= 0 {
		recheck = time.Minute
	}
	return func(ctx context.Context, p transport.InitPayload) (context.Context, error) {
		if store.UserFrom(ctx) != nil {
			if sid, ok := store.SessionIDFrom(ctx); ok {
				return watchCredentials(ctx, recheck, func(ctx context.Context) error {
					_, err := s.SessionUser(ctx, sid)
					return err
				}), nil
			}
			return ctx, nil
		}
		token := p.GetString("token")
		if a := p.Authorization(); a != "" {
			if len(a) > 7 && strings.EqualFold(a[:7], "bearer ") {
				token = strings.TrimSpace(a[7:])
			} else {
				token = ""
			}
		}
		if token == "" {
			return ctx, errors.New("Forbidden: no valid credentials (a session cookie, or an API token in the connection_init payload)")
		}
		u, err := s.UserByAPIToken(ctx, token)
		if err != nil {
			if _, ok := store.AsError(err); ok {
				return ctx, errors.New("Forbidden: invalid API token")
			}
			slog.ErrorContext(ctx, "graphql: websocket authentication failed", "err", err)
			return server.WithCloseCode(ctx, server.CloseInternalError), errors.New("Internal server error")
		}
		return watchCredentials(store.WithUser(ctx, u), recheck, func(ctx context.Context) error {
			_, err := s.UserByAPIToken(ctx, token)
			return err
		}), nil
	}
}

// watchCredentials returns ctx, canceled (which closes the connection) as soon as check finds the
// credentials refused; a failing database leaves the connection as it is.
func watchCredentials(ctx context.Context, every time.Duration, check func(context.Context) error) context.Context {
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		defer cancel()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if err := check(ctx); err != nil {
				if _, refused := store.AsError(err); refused {
					slog.DebugContext(ctx, "graphql: websocket credentials ended: connection closed")
					return
				}
			}
		}
	}()
	return ctx
}

// payloadErrors turns a store error into userErrors; anything else stays a GraphQL error (which
// the server reports without internals).
func payloadErrors(err error) ([]*gqlmodel.UserError, error) {
	if err == nil {
		return []*gqlmodel.UserError{}, nil
	}
	var se *store.Error
	if !errors.As(err, &se) {
		return nil, err
	}
	code := gqlmodel.UserErrorCode(strings.ToUpper(string(se.Type)))
	if !code.IsValid() {
		if se.Type == store.DBError {
			return nil, err
		}
		code = gqlmodel.UserErrorCodeUnexpectedState
	}
	ue := &gqlmodel.UserError{Message: se.Message, Code: code}
	if len(se.Field) > 0 && se.Field[0] != "" {
		ue.Field = camelPath(se.Field)
	}
	if se.Type == store.Conflict {
		ue.Message = "The request conflicted with another request. You may retry the request."
	}
	return []*gqlmodel.UserError{ue}, nil
}

// queryError is for queries: a store not_found becomes null, other store errors a GraphQL error
// with the store's safe message and its type as extensions.code. It is a *gqlerror.Error because
// gqlgen's presenter keeps only the message of any other error (gqlparser no longer reads an
// Extensions method); gqlgen adds the path and locations.
func queryError(err error) error {
	var se *store.Error
	if errors.As(err, &se) {
		return &gqlerror.Error{Message: se.Message, Extensions: map[string]any{"code": strings.ToUpper(string(se.Type))}}
	}
	return err
}

func camelPath(p []string) []string {
	out := make([]string, len(p))
	for i, s := range p {
		out[i] = camel(s)
	}
	return out
}

// camel turns Medusa's snake_case names into GraphQL's camelCase.
func camel(s string) string {
	parts := strings.Split(s, "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// countedPage is page for a connection whose store read honours Page.NoCount: the total is
// counted only when the query selects totalCount (pageInfo needs only to know whether rows
// follow).
func countedPage(ctx context.Context, first *int, after *string) (store.Page, error) {
	p, err := page(first, after)
	p.NoCount = !selects(ctx, "totalCount")
	return p, err
}

// selects says whether the selection set of the field being resolved asks for field name.
func selects(ctx context.Context, name string) bool {
	if graphql.GetFieldContext(ctx) == nil {
		return true
	}
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		if f.Name == name {
			return true
		}
	}
	return false
}

// plainWhere turns a where argument as gqlgen unmarshals it (typed values: pointers, enums,
// DateTime) into the plain JSON values store.Where holds (strings, json.Number, bools, lists,
// objects), which the store checks against its field maps.
func plainWhere(w map[string]any) (store.Where, error) {
	if len(w) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(w)
	if err != nil {
		return nil, fmt.Errorf("where: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out store.Where
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("where: %w", err)
	}
	return out, nil
}

// page converts Relay arguments (first, after) to the store's offset paging. Cursors are opaque
// offsets.
func page(first *int, after *string) (store.Page, error) {
	p := store.Page{Limit: 50}
	if first != nil {
		if *first < 0 || *first > 1000 {
			return p, store.Invalidf("first must be between 0 and 1000")
		}
		p.Limit = *first
	}
	if after != nil && *after != "" {
		off, err := decodeCursor(*after)
		if err != nil {
			return p, err
		}
		p.Offset = off + 1
	}
	return p, nil
}

func encodeCursor(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("o:" + strconv.Itoa(offset)))
}

func decodeCursor(c string) (int, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !strings.HasPrefix(string(b), "o:") {
		return 0, store.Invalidf("invalid cursor")
	}
	n, err := strconv.Atoi(string(b[2:]))
	if err != nil || n < 0 {
		return 0, store.Invalidf("invalid cursor")
	}
	return n, nil
}

// pageInfo computes Relay page info for items [offset, offset+n) of total.
func pageInfo(p store.Page, n, total int) *gqlmodel.PageInfo {
	pi := &gqlmodel.PageInfo{HasPreviousPage: p.Offset > 0, HasNextPage: p.Offset+n < total}
	if n > 0 {
		s, e := encodeCursor(p.Offset), encodeCursor(p.Offset+n-1)
		pi.StartCursor, pi.EndCursor = &s, &e
	}
	return pi
}

// enumIn lower-cases a GraphQL enum value into Medusa's stored value.
func enumIn[T ~string](v *T) *string {
	if v == nil {
		return nil
	}
	s := strings.ToLower(string(*v))
	return &s
}

// enumOut upper-cases a stored value into a GraphQL enum value.
func enumOut[T ~string](s *string) *T {
	if s == nil {
		return nil
	}
	v := T(strings.ToUpper(*s))
	return &v
}

// nodeFetchers resolve node(id:) by id prefix; each resource file registers its own.
var nodeFetchers = map[string]func(ctx context.Context, r *Resolver, id string) (node.Node, error){}

// deletedID is the id a DeletePayload reports: the id when it worked, null otherwise.
func deletedID(id string, ue []*gqlmodel.UserError) *string {
	if len(ue) > 0 {
		return nil
	}
	return &id
}

// presentError is the one place GraphQL errors are shaped: store errors keep their safe message
// and carry Medusa's type as extensions.code; GraphQL's own errors (syntax, validation, limits)
// pass as they are; anything else is logged and answered as a bare internal error, so no
// driver or wrapped message reaches a client.
func presentError(ctx context.Context, err error) *gqlerror.Error {
	if store.IsUnavailable(err) && !store.MayHaveWritten(ctx) {
		// Logged once per outage by the store; the client may retry (nothing was written).
		e := graphql.DefaultErrorPresenter(ctx, err)
		e.Message = store.ErrUnavailableMessage
		e.Extensions = map[string]any{"code": "DATABASE_UNAVAILABLE", "retryAfterSeconds": int(store.UnavailableRetryAfter / time.Second)}
		return e
	}
	var se *store.Error
	if errors.As(err, &se) {
		e := graphql.DefaultErrorPresenter(ctx, err)
		e.Message = se.Message
		e.Extensions = map[string]any{"code": strings.ToUpper(string(se.Type))}
		return e
	}
	// A resolver's error arrives wrapped in a gqlerror.Error that carries its message, so a
	// database failure is told apart before GraphQL's own errors pass.
	var ge *gqlerror.Error
	if errors.As(err, &ge) && !store.IsDatabaseFailure(err) {
		return graphql.DefaultErrorPresenter(ctx, err)
	}
	slog.ErrorContext(ctx, "graphql: resolver failed", "err", err)
	e := graphql.DefaultErrorPresenter(ctx, err)
	e.Message = "internal server error"
	e.Extensions = map[string]any{"code": "INTERNAL_SERVER_ERROR"}
	return e
}
