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
