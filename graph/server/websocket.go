package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	coderws "github.com/coder/websocket"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// DefaultKeepAlive is how often an idle subscription connection is pinged.
const DefaultKeepAlive = 25 * time.Second

// Close codes of the graphql-ws protocol (graphql-transport-ws).
const (
	CloseInternalError = 4500
	CloseUnauthorized  = 4401
	CloseForbidden     = 4403
)

// WebsocketInit authenticates a subscription connection at its connection_init message: it
// returns the context the connection's operations run in, or an error that closes the
// connection with the code put in the context with transport.WithWebsocketCloseCode
// (CloseForbidden when none).
type WebsocketInit func(ctx context.Context, payload transport.InitPayload) (context.Context, error)

// isWebsocketUpgrade reports whether r asks to switch to the WebSocket protocol.
func isWebsocketUpgrade(r *http.Request) bool {
	return r.Method == http.MethodGet && strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}

// IsWebsocketUpgrade is for the authentication in front of the handler: an upgrade request may
// come without credentials, which the connection then carries in its connection_init message
// (Options.WebsocketInit decides).
func IsWebsocketUpgrade(r *http.Request) bool { return isWebsocketUpgrade(r) }

// allowOrigin is the guard against cross-site WebSocket hijacking: browsers send the session
// cookie with an upgrade request from any page, and a WebSocket is not subject to CORS, so an
// upgrade is accepted only without an Origin (not a browser), from the same origin, or from one
// of the allowed admin origins.
func (s *server) allowOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, o := range s.opts.AllowedOrigins {
		if o == "*" || strings.EqualFold(strings.TrimRight(o, "/"), origin) {
			return true
		}
	}
	return false
}

// serveWebsocket serves a subscription connection, until the client leaves or Options.Done ends.
func (s *server) serveWebsocket(w http.ResponseWriter, r *http.Request) {
	if !s.allowOrigin(r) {
		s.refuse(w, r, http.StatusForbidden, "FORBIDDEN_ORIGIN",
			"WebSocket connections are accepted from this server's origin or an allowed admin origin only")
		return
	}
	r = r.WithContext(context.WithValue(r.Context(), overWebsocketKey{}, true))
	if s.opts.Done != nil {
		ctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		stop := context.AfterFunc(s.opts.Done, cancel)
		defer stop()
		r = r.WithContext(ctx)
	}
	s.gql.ServeHTTP(w, r)
}

func (o Options) websocketTransport() transport.Websocket {
	init := o.WebsocketInit
	return transport.Websocket{
		// The origin is checked before (allowOrigin), against the admin origins as well.
		Implementation: transport.CoderWebsocketImplementation{AcceptOptions: coderws.AcceptOptions{InsecureSkipVerify: true}},
		InitFunc: func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
			if init == nil {
				return ctx, nil, nil
			}
			next, err := init(ctx, p)
			if err != nil {
				if next == nil {
					next = ctx
				}
				next = transport.WithWebsocketCloseCode(next, closeCodeOr(next, CloseForbidden))
				return transport.AppendCloseReason(next, err.Error()), nil, err
			}
			return next, nil, nil
		},
		InitTimeout:           10 * time.Second,
		KeepAlivePingInterval: o.KeepAlive, // graphql-ws (legacy subscriptions-transport-ws)
		PingPongInterval:      o.KeepAlive, // graphql-transport-ws: a peer that stops answering is dropped
		PayloadReadLimit:      &o.MaxBodySize,
	}
}

type closeCodeKey struct{}

// WithCloseCode sets the code a refused connection_init closes the connection with.
func WithCloseCode(ctx context.Context, code int) context.Context {
	return context.WithValue(ctx, closeCodeKey{}, code)
}

func closeCodeOr(ctx context.Context, def int) int {
	if c, ok := ctx.Value(closeCodeKey{}).(int); ok {
		return c
	}
	return def
}

type overWebsocketKey struct{}

type inBatchKey struct{}

// subscriptionsOverWebsocket refuses a subscription sent over HTTP, which would hold the request
// open until a first event: subscriptions are served on WebSocket connections only.
type subscriptionsOverWebsocket struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = subscriptionsOverWebsocket{}

func (subscriptionsOverWebsocket) ExtensionName() string { return "SubscriptionsOverWebsocket" }

func (subscriptionsOverWebsocket) Validate(graphql.ExecutableSchema) error { return nil }

func (subscriptionsOverWebsocket) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	if opCtx.Operation != nil && opCtx.Operation.Operation == ast.Subscription &&
		ctx.Value(overWebsocketKey{}) == nil && ctx.Value(inBatchKey{}) == nil {
		return &gqlerror.Error{
			Message:    "Subscriptions are served over a WebSocket at this endpoint (graphql-ws protocol, subprotocol graphql-transport-ws), not over HTTP",
			Extensions: map[string]any{"code": "BAD_REQUEST"},
		}
	}
	return nil
}

// websocketResponseContext gives every answer sent on a WebSocket the context
// Options.WebsocketResponseContext makes of it.
type websocketResponseContext struct {
	f func(context.Context) context.Context
}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = websocketResponseContext{}

func (websocketResponseContext) ExtensionName() string { return "WebsocketResponseContext" }

func (websocketResponseContext) Validate(graphql.ExecutableSchema) error { return nil }

func (w websocketResponseContext) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if ctx.Value(overWebsocketKey{}) != nil {
		ctx = w.f(ctx)
	}
	return next(ctx)
}
