package model

import "github.com/uptrace/bun"

// Invite is a pending invitation of a new admin user (by email, with a role and a signed token).
type Invite struct {
	bun.BaseModel `bun:"table:invite,alias:invite"`

	ID        string         `bun:"id,pk" json:"id"`
	UserEmail string         `bun:"user_email,notnull" json:"user_email"`
	Role      *string        `bun:"role" json:"role"`
	Accepted  bool           `bun:"accepted,notnull" json:"accepted"`
	Token     string         `bun:"token,notnull" json:"token"`
	ExpiresAt Time           `bun:"expires_at,nullzero,notnull,default:now()" json:"expires_at"`
	CreatedAt Time           `bun:"created_at,nullzero,notnull,default:now()" json:"created_at"`
	UpdatedAt Time           `bun:"updated_at,nullzero,notnull,default:now()" json:"updated_at"`
	DeletedAt *Time          `bun:"deleted_at,soft_delete,nullzero" json:"deleted_at"`
	Metadata  map[string]any `bun:"metadata,type:jsonb,nullzero" json:"metadata"`
}
