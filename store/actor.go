package store

import (
	"context"

	"github.com/gorgon-commerce/gorgon/store/model"
)

type userKey struct{}

// WithUser returns a context carrying the authenticated admin user (set by the HTTP auth
// middleware that guards both /admin and /graphql).
func WithUser(ctx context.Context, u *model.User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFrom returns the authenticated admin user, or nil.
func UserFrom(ctx context.Context) *model.User {
	u, _ := ctx.Value(userKey{}).(*model.User)
	return u
}

type sessionKey struct{}

// WithSessionID records the cookie session a request was authenticated by (so GraphQL's logout
// can end it).
func WithSessionID(ctx context.Context, sid string) context.Context {
	return context.WithValue(ctx, sessionKey{}, sid)
}

// SessionIDFrom returns the request's session id, if it came with a session cookie.
func SessionIDFrom(ctx context.Context) (string, bool) {
	sid, ok := ctx.Value(sessionKey{}).(string)
	return sid, ok
}
